"""Where clean documents go: mirrored .txt files, one JSON lines file (or stdout), or Parquet.

A writer's `render` turns a written document into what it stores (in a worker process, in a
corpus run); the writer itself receives those renderings in input order, stores them and says
where each one went (`write`: the manifest's "output", a file of the folder, or `out.jsonl:LINE`,
`out.parquet:ROW`, `-:LINE`), or hears that a document's output is dropped (`drop`); a writer
`in_workers` (a folder, a file per document) is itself sent to the workers, which store and drop
there. Every file it makes appears whole on `commit()` or not at all (the temporary files live
in the run's state folder).
"""

from __future__ import annotations

import json
import math
import sys
from collections import Counter
from pathlib import Path

from .atomic import AtomicWriter, write_text
from .document import Document
from .formats.base import kind_of
from .formats.streams import need
from .options import Options

STDOUT = "-"
# what cleaner itself puts in a document's meta, as opposed to the input's own fields
OWN_META = ("encoding", "undecodable_chars", "mojibake_repaired", "mojibake_examples", "rule_timeouts", "html_too_deep")


def output_kind(output: Path | str) -> str:
    """"stdout", "jsonl" or "parquet" (named as the readers name those inputs: out.jsonl.gz is
    JSON lines), else "folder"."""
    name = str(output)
    if name == STDOUT:
        return "stdout"
    kind = kind_of(name)
    return kind if kind in ("jsonl", "parquet") else "folder"


def removal_counts(doc: Document) -> dict:
    by_step = Counter(p.removed.step for p in doc.paragraphs if p.removed is not None)
    return {"paragraphs_kept": len(doc.kept_paragraphs), "paragraphs_removed": sum(by_step.values()),
            "chars_removed": sum(len(p.text) for p in doc.paragraphs if p.removed is not None),
            "removed_by_step": dict(sorted(by_step.items()))}


def record_of(doc: Document, options: Options) -> dict:
    """The input's own fields, the clean text in the text field, and cleaner's facts under "cleaner"."""
    record = {k: v for k, v in doc.meta.items() if k not in OWN_META}
    record.setdefault(options.id_field, doc.id)
    if doc.source:
        record.setdefault("url", doc.source)
    record[options.text_field] = doc.clean_text()
    record["cleaner"] = {"lang": doc.lang, "lang_confidence": doc.lang_confidence, **removal_counts(doc),
                         **{k: doc.meta[k] for k in OWN_META if k in doc.meta}}
    return record


def dumps(record: dict) -> str:
    return json_text(record) + "\n"


def json_text(value: object) -> str:
    """JSON, strictly: a NaN or infinity (which Python's json reads in an input record, and Parquet
    floats hold) is written null, not as the `NaN` most JSON readers refuse."""
    try:
        return json.dumps(value, ensure_ascii=False, default=str, allow_nan=False)
    except ValueError:
        return json.dumps(_finite(value), ensure_ascii=False, default=str, allow_nan=False)


def _finite(value: object) -> object:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


class FolderWriter:
    """`rel/path/name.ext` -> `OUT/rel/path/name.txt`, as the corpus was."""

    # each document is a file of its own, which the worker process that renders it writes: no
    # order to keep, and the driver, the one process a run cannot multiply, writes no file
    in_workers = True

    def __init__(self, folder: Path, tmp_dir: Path | None = None):
        self.folder, self.tmp_dir = Path(folder), tmp_dir

    @staticmethod
    def render(doc: Document, options: Options) -> tuple[str, str]:
        return doc.output, doc.clean_text() + "\n"

    def write(self, rendered: tuple[str, str]) -> str:
        output, text = rendered
        write_text(self.folder / output, text, self.tmp_dir)
        return output

    def drop(self, output: str) -> None:
        if output.endswith(".txt"):
            (self.folder / output).unlink(missing_ok=True)  # a stale file from an earlier run would lie

    def commit(self) -> None:
        pass

    def discard(self) -> None:
        pass


class JsonlWriter:
    """One JSON object per written document, to a file (atomically) or to standard output."""

    in_workers = False  # one file, written in input order by the driver

    def __init__(self, path: Path | str, options: Options, tmp_dir: Path | None = None):
        self.options, self.name, self.lines = options, Path(path).name, 0
        self.file = None if str(path) == STDOUT else AtomicWriter(Path(path), tmp_dir)

    @staticmethod
    def render(doc: Document, options: Options) -> str:
        return dumps(record_of(doc, options))

    def write(self, line: str) -> str:
        if self.file is None:
            sys.stdout.write(line)
        else:
            self.file.write(line)
        self.lines += 1
        return f"{self.name}:{self.lines}"

    def drop(self, output: str) -> None:
        pass

    def commit(self) -> None:
        if self.file is None:
            sys.stdout.flush()
        else:
            self.file.commit()

    def discard(self) -> None:
        if self.file is not None:
            self.file.discard()


class ParquetWriter:
    """Fixed columns; the input's other fields as one JSON column (their types vary by record)."""

    in_workers = False  # one file, written in input order by the driver

    BATCH = 1000

    def __init__(self, path: Path, options: Options, tmp_dir: Path | None = None):
        need("pyarrow", "parquet", "Parquet output")
        import pyarrow as pa
        import pyarrow.parquet as pq

        self.pa, self.options, self.rows, self.name, self.written = pa, options, [], Path(path).name, 0
        self.schema = pa.schema([
            ("id", pa.string()), ("text", pa.string()), ("url", pa.string()), ("lang", pa.string()),
            ("lang_confidence", pa.float64()), ("paragraphs_kept", pa.int64()), ("paragraphs_removed", pa.int64()),
            ("chars_removed", pa.int64()), ("removed_by_step", pa.string()), ("fields", pa.string()),
        ])
        self.file = AtomicWriter(Path(path), tmp_dir, binary=True)
        self.writer = pq.ParquetWriter(self.file.handle, self.schema)

    @staticmethod
    def render(doc: Document, options: Options) -> dict:
        counts = removal_counts(doc)
        # the id column is the manifest's id; an input id that could not be one (null, a list) stays in fields
        id_field = options.id_field
        fields = {k: v for k, v in doc.meta.items()
                  if k not in OWN_META and not (k == id_field and str(v) == doc.id)}
        return {
            "id": doc.id, "text": doc.clean_text(), "url": doc.source,
            "lang": doc.lang, "lang_confidence": doc.lang_confidence, "paragraphs_kept": counts["paragraphs_kept"],
            "paragraphs_removed": counts["paragraphs_removed"], "chars_removed": counts["chars_removed"],
            "removed_by_step": json.dumps(counts["removed_by_step"]),
            "fields": json_text(fields),
        }

    def write(self, row: dict) -> str:
        self.rows.append(row)
        if len(self.rows) >= self.BATCH:
            self._flush()
        self.written += 1
        return f"{self.name}:{self.written}"

    def _flush(self) -> None:
        if self.rows:
            self.writer.write_table(self.pa.Table.from_pylist(self.rows, schema=self.schema))
            self.rows = []

    def drop(self, output: str) -> None:
        pass

    def commit(self) -> None:
        self._flush()
        self.writer.close()
        self.file.commit()

    def discard(self) -> None:
        self.writer.close()
        self.file.discard()


def open_writer(output: Path | str, options: Options, tmp_dir: Path | None = None):
    kind = output_kind(output)
    if kind == "folder":
        return FolderWriter(Path(output), tmp_dir)
    if kind == "parquet":
        return ParquetWriter(Path(output), options, tmp_dir)
    return JsonlWriter(output, options, tmp_dir)
