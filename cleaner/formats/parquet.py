"""Parquet, read a row group batch at a time with pyarrow (the `parquet` extra)."""

from __future__ import annotations

from collections.abc import Iterator

from ..document import Failure
from ..options import Options
from .base import Raw, Source
from .jsonl import dict_to_raw
from .streams import need

BATCH_ROWS = 256


def read_parquet(source: Source, options: Options) -> Iterator[Raw | Failure]:
    need("pyarrow", "parquet", "Parquet input")
    import pyarrow.parquet as pq

    number = 0
    try:
        with pq.ParquetFile(source.path) as table:
            for batch in table.iter_batches(batch_size=BATCH_ROWS):
                for row in batch.to_pylist():
                    number += 1
                    yield dict_to_raw(row, f"{source.rel}:{number}", source.member_output(number), source.site, options)
    except Exception as exc:  # pyarrow raises its own errors for a broken file
        yield Failure(f"{source.rel}:{number + 1}", f"input unreadable after row {number}: {type(exc).__name__}: {exc}",
                      source.output)
