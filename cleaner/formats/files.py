"""One file, one document: .txt, .md, .html, .htm."""

from __future__ import annotations

from collections.abc import Iterator

from ..document import Failure
from ..options import Options
from .base import Raw, Source


def read_file(source: Source, options: Options) -> Iterator[Raw | Failure]:
    size = source.path.stat().st_size
    if size > options.max_document_bytes:
        yield Failure(source.rel, f"document too large ({size} bytes > {options.max_document_bytes})", source.output)
        return
    yield Raw(source.rel, source.output, source.kind, data=source.path.read_bytes(), site=source.site, origin=source.rel)
