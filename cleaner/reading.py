"""Find inputs, name their outputs, and turn raw documents into segmented Documents."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from .decode import DecodeError, decode
from .document import Document, Failure
from .extract import Extraction, extract_page, host, page_url
from .formats import Raw, Source, raw_items
from .formats.base import STDIN, kind_of
from .options import Options
from .segment import paragraphs
from .timelimit import TimeLimitExceeded, time_limit

__all__ = ["InputError", "Source", "check_collisions", "discover", "from_bytes", "from_text", "read", "to_document"]


class InputError(ValueError):
    """The input as a whole cannot be used (missing, colliding outputs); nothing was written."""


def discover(root: Path, skip: Iterable[Path | None] = ()) -> list[Source]:
    """Input files under a folder (recursively, in sorted order), the one file given, or `-` (stdin).

    Paths in `skip` (a run's own outputs, when they lie inside its input) and everything under
    them are not inputs. An input that is one of them would be replaced by what the run
    writes: refused. An output folder holding the input folder is not skipped."""
    if str(root) == STDIN:
        return [Source(Path(STDIN), "stdin")]
    root = Path(root)
    skipped = [Path(s).resolve() for s in skip if s is not None]
    if root.resolve() in skipped:
        raise InputError(f"{root} is both the input and an output of this run: the originals would be "
                         "replaced; nothing was written")
    if root.is_file():
        return [Source(root, root.name)]
    if not root.is_dir():
        raise InputError(f"{root}: no such file or folder")
    skipped = [s for s in skipped if s not in root.resolve().parents]
    found = [
        Source(p, p.relative_to(root).as_posix())
        for p in sorted(root.rglob("*"))
        if p.is_file() and kind_of(p.name)
        and not any(part.startswith(".") for part in p.relative_to(root).parts)
        and not _under(p, skipped)
    ]
    check_collisions(found)
    return found


def _under(path: Path, folders: list[Path]) -> bool:
    path = path.resolve()
    return any(path == f or f in path.parents for f in folders)


def check_collisions(sources: list[Source]) -> None:
    taken: dict[str, Source] = {}
    clashes = []
    for s in sources:
        if s.output in taken:
            clashes.append(f"{taken[s.output].rel} and {s.rel} would both write {s.output}")
        taken[s.output] = s
    folders = {out for out in taken if out.endswith("/")}
    for out, s in taken.items():
        for folder in folders:
            if out != folder and out.startswith(folder):
                clashes.append(f"{taken[folder].rel} and {s.rel} would both write under {folder}")
    if clashes:
        raise InputError("output names collide; nothing was written:\n  " + "\n  ".join(clashes))


def read(source: Source, options: Options | None = None) -> Iterator[Document | Failure]:
    """Every document of one input, read, decoded, extracted and segmented (not cleaned)."""
    options = options or Options()
    for item in raw_items(source, options):
        yield item if isinstance(item, Failure) else to_document(item, options)


def to_document(raw: Raw, options: Options) -> Document | Failure:
    """Decode, extract (under the HTML time limit) and segment; what cannot be done is a Failure."""
    try:
        if raw.data is not None:
            decoded = decode(raw.data, html=raw.kind == "html", declared=raw.encoding)
            text, meta = decoded.text, {**raw.meta, "encoding": decoded.encoding}
            if decoded.replaced:
                meta["undecodable_chars"] = decoded.replaced
        else:
            text, meta = raw.text or "", raw.meta
        with time_limit(options.html_timeout if raw.kind == "html" else 0):
            doc = from_text(text, raw.id, raw.kind, site=raw.site, source=raw.source, meta=meta,
                            extraction=options.extraction())
    except DecodeError as exc:
        return Failure(raw.id, str(exc), raw.output, raw.origin)
    except TimeLimitExceeded as exc:
        return Failure(raw.id, f"HTML extraction {exc}", raw.output, raw.origin)
    doc.output, doc.origin = raw.output, raw.origin
    return doc


def from_bytes(data: bytes, doc_id: str, kind: str = "text", site: str = "",
               extraction: Extraction = Extraction()) -> Document:
    decoded = decode(data, html=kind == "html")
    doc = from_text(decoded.text, doc_id, kind, site=site, extraction=extraction)
    doc.meta["encoding"] = decoded.encoding
    if decoded.replaced:
        doc.meta["undecodable_chars"] = decoded.replaced
    return doc


def from_text(text: str, doc_id: str, kind: str = "text", site: str = "", source: str = "",
              meta: dict | None = None, extraction: Extraction = Extraction()) -> Document:
    meta = dict(meta or {})
    if kind == "html":
        source = source or page_url(text)
        text, meta["extractor"] = extract_page(text, extraction)
    doc = Document(id=doc_id, text=text, source=source, site=host(source) or site, meta=meta)
    doc.paragraphs = paragraphs(text)
    return doc
