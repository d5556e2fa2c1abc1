"""Find input files, name their outputs, and read them into documents."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .decode import decode
from .document import Document, Failure
from .extract import FALLBACK_SHARE, extract_page, host, page_url
from .segment import paragraphs

TEXT_SUFFIXES = {".txt", ".md"}
HTML_SUFFIXES = {".html", ".htm"}
JSONL_SUFFIXES = {".jsonl"}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES


class InputError(ValueError):
    """The input as a whole cannot be used (missing, colliding outputs); nothing was written."""


@dataclass(frozen=True)
class Source:
    """One input file; `rel` is its path relative to the input root, with '/' separators."""

    path: Path
    rel: str

    @property
    def kind(self) -> str:
        suffix = self.path.suffix.lower()
        if suffix in HTML_SUFFIXES:
            return "html"
        if suffix in JSONL_SUFFIXES:
            return "jsonl"
        return "text"

    @property
    def output(self) -> str:
        """`rel/path/name.ext` -> `rel/path/name.txt`; JSON lines get a folder of their records."""
        stem = str(PurePosixPath(self.rel).with_suffix(""))
        return stem + "/" if self.kind == "jsonl" else stem + ".txt"

    @property
    def site(self) -> str:
        """Pages from one input folder are taken to be one site unless a URL says otherwise."""
        return str(PurePosixPath(self.rel).parent)


def discover(root: Path) -> list[Source]:
    """Input files under a folder (recursively, in sorted order), or the one file given."""
    root = Path(root)
    if root.is_file():
        return [Source(root, root.name)]
    if not root.is_dir():
        raise InputError(f"{root}: no such file or folder")
    found = [
        Source(p, p.relative_to(root).as_posix())
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.suffix.lower() in SUFFIXES
        and not any(part.startswith(".") for part in p.relative_to(root).parts)
    ]
    check_collisions(found)
    return found


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


def read(source: Source, favor_recall: bool = True, fallback_share: float = FALLBACK_SHARE,
         drop_chrome: bool = True) -> Iterator[Document | Failure]:
    data = source.path.read_bytes()
    if source.kind == "jsonl":
        yield from _read_jsonl(source, data)
        return
    doc = from_bytes(data, source.rel, source.kind, site=source.site, favor_recall=favor_recall,
                     fallback_share=fallback_share, drop_chrome=drop_chrome)
    doc.output = source.output
    yield doc


def from_bytes(data: bytes, doc_id: str, kind: str = "text", site: str = "",
               favor_recall: bool = True, fallback_share: float = FALLBACK_SHARE, drop_chrome: bool = True) -> Document:
    decoded = decode(data, html=kind == "html")
    doc = from_text(decoded.text, doc_id, kind, site=site, favor_recall=favor_recall, fallback_share=fallback_share,
                    drop_chrome=drop_chrome)
    doc.meta["encoding"] = decoded.encoding
    if decoded.replaced:
        doc.meta["undecodable_chars"] = decoded.replaced
    return doc


def from_text(text: str, doc_id: str, kind: str = "text", site: str = "", source: str = "",
              favor_recall: bool = True, meta: dict | None = None,
              fallback_share: float = FALLBACK_SHARE, drop_chrome: bool = True) -> Document:
    meta = dict(meta or {})
    if kind == "html":
        source = source or page_url(text)
        text, meta["extractor"] = extract_page(text, favor_recall, fallback_share, drop_chrome)
    doc = Document(id=doc_id, text=text, source=source, site=host(source) or site, meta=meta)
    doc.paragraphs = paragraphs(text)
    return doc


def _read_jsonl(source: Source, data: bytes) -> Iterator[Document | Failure]:
    text = decode(data).text
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        doc_id = f"{source.rel}:{number}"
        output = f"{source.output}{number:06d}.txt"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Failure(doc_id, f"not valid JSON ({exc.msg})", output)
            continue
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            yield Failure(doc_id, "expected a JSON object with a string 'text' field", output)
            continue
        meta = {k: v for k, v in record.items() if k != "text"}
        url = str(record.get("url") or "")
        kind = "html" if record.get("format") == "html" else "text"
        doc = from_text(record["text"], doc_id, kind, site=source.site, source=url, meta=meta)
        doc.output = output
        yield doc
