"""Input formats: each reader turns one input into raw documents, in input order, streaming.

A reader yields `Raw` items (the bytes or text of one document, not yet decoded, extracted or
segmented: that work is done by the worker processes) or `Failure`s for what it could not read
(and the JSON lines reader an `EmptyInput` for a standard input of 0 bytes).
Readers never hold more than one document (or one Parquet batch) in memory.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..document import EmptyInput, Failure, SkippedInput
from ..options import Options
from .base import Raw, Source
from .files import read_file
from .jsonl import read_jsonl
from .parquet import read_parquet
from .streams import MissingExtra
from .warc import read_warc

READERS = {"text": read_file, "html": read_file, "jsonl": read_jsonl, "parquet": read_parquet, "warc": read_warc}

# why a file of many documents held none, when it is not empty
NONE_IN = {"jsonl": "no JSON lines record", "parquet": "no rows", "warc": "no HTML response record"}

__all__ = ["READERS", "MissingExtra", "Raw", "Source", "raw_items"]


def raw_items(source: Source, options: Options) -> Iterator[Raw | Failure | EmptyInput]:
    """The documents of one input; a source that breaks part-way ends with a Failure naming where.

    A file of many documents that holds none is one EmptyInput, whatever its format: a file of
    0 bytes (even a .parquet, which would otherwise be unreadable), or one whose records are
    only blank lines, no rows or no HTML responses. A file of one document is that document. A file
    that cannot be opened (no permission, removed since the run started) is a Failure naming it."""
    if source.skipped:
        yield SkippedInput(source.rel, source.skipped)
        return
    empty = True
    try:
        if source.many and not source.is_stdin and source.path.stat().st_size == 0:
            yield EmptyInput(source.rel, "0 bytes", source.output)
            return
        for item in READERS[source.kind](source, options):
            empty = False
            yield item
    except OSError as exc:  # unreadable, or gone since the inputs were listed: that file fails, the run goes on
        what = "cannot read the file" if empty else "input unreadable after what was read"
        yield Failure(source.rel, f"{what}: {exc.strerror or exc}", source.output)
        return
    if empty and source.many:
        yield EmptyInput(source.rel, NONE_IN[source.kind], source.output)
