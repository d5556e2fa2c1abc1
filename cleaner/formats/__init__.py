"""Input formats: each reader turns one input into raw documents, in input order, streaming.

A reader yields `Raw` items (the bytes or text of one document, not yet decoded, extracted or
segmented: that work is done by the worker processes) or `Failure`s for what it could not read.
Readers never hold more than one document (or one Parquet batch) in memory.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..document import Failure
from ..options import Options
from .base import Raw, Source
from .files import read_file
from .jsonl import read_jsonl
from .parquet import read_parquet
from .streams import MissingExtra
from .warc import read_warc

READERS = {"text": read_file, "html": read_file, "jsonl": read_jsonl, "parquet": read_parquet, "warc": read_warc}

__all__ = ["READERS", "MissingExtra", "Raw", "Source", "raw_items"]


def raw_items(source: Source, options: Options) -> Iterator[Raw | Failure]:
    """The documents of one input; a source that breaks part-way ends with a Failure naming where."""
    yield from READERS[source.kind](source, options)
