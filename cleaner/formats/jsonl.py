"""JSON lines (plain, .gz, .zst, or standard input): one object per line, as datatrove and dolma write.

The text and id fields are configurable (`Options.text_field`, `Options.id_field`); every other
field is carried through to the output. A record with `"format": "html"` is extracted as a page.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from ..document import Failure
from ..options import Options
from .base import Raw, Source
from .streams import decompressed, lines


def read_jsonl(source: Source, options: Options) -> Iterator[Raw | Failure]:
    name = "-" if source.is_stdin else source.path.name
    handle = source.open()
    number = 0
    try:
        for number, line in lines(decompressed(handle, name), options.max_document_bytes):
            doc_id, output = f"{source.rel}:{number}", source.member_output(number)
            if line is None:
                yield Failure(doc_id, f"line longer than {options.max_document_bytes} bytes", output)
                continue
            if not line.strip():
                continue
            yield record_to_raw(line, doc_id, output, source, options)
    except (OSError, EOFError, ValueError) as exc:
        yield Failure(f"{source.rel}:{number + 1}", f"input unreadable after line {number}: {exc}", source.output)
    finally:
        if not source.is_stdin:
            handle.close()


def record_to_raw(line: bytes, doc_id: str, output: str, source: Source, options: Options) -> Raw | Failure:
    text = line.decode("utf-8", errors="replace")
    replaced = text.count("\ufffd") - line.count("\ufffd".encode())
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        return Failure(doc_id, f"not valid JSON ({exc.msg} at column {exc.colno})", output)
    return dict_to_raw(record, doc_id, output, source.site, options, replaced)


def dict_to_raw(record: object, doc_id: str, output: str, site: str, options: Options, replaced: int = 0) -> Raw | Failure:
    field = options.text_field
    if not isinstance(record, dict) or not isinstance(record.get(field), str):
        return Failure(doc_id, f"expected an object with a string {field!r} field", output)
    meta = {k: v for k, v in record.items() if k != field}
    if replaced:
        meta["undecodable_chars"] = replaced
    own_id = record.get(options.id_field)
    if isinstance(own_id, str | int) and not isinstance(own_id, bool) and str(own_id):
        doc_id = str(own_id)
    kind = "html" if record.get("format") == "html" else "text"
    return Raw(doc_id, output, kind, text=record[field], source=str(record.get("url") or ""), site=site, meta=meta)
