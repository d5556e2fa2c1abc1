"""Byte streams: inputs read and outputs written plain, gzip or zstd, with a clear error for a missing extra."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from typing import BinaryIO

CHUNK = 1 << 20


class MissingExtra(RuntimeError):
    """An input format needs an optional dependency that is not installed."""


def need(module: str, extra: str, what: str):
    try:
        return __import__(module)
    except ImportError:
        raise MissingExtra(f"{what} needs the '{module}' package: pip install 'cleaner[{extra}]'") from None


COMPRESSED = (".gz", ".zst")
GZIP_LEVEL = 1  # a corpus run's audit is several times its input, written by one process: speed first
ZSTD_LEVEL = 3


def compressing(raw: BinaryIO, name: str) -> BinaryIO:
    """A stream that writes to `raw` compressed as `name` says (.gz, .zst), or `raw` itself.

    The same bytes in give the same file: the gzip header has no time stamp and no file name.
    Both formats carry a checksum of the content (gzip's CRC-32, zstd's frame checksum).
    Closing the stream finishes the compressed data but leaves `raw` open."""
    lower = name.lower()
    if lower.endswith(".gz"):
        return gzip.GzipFile(filename="", mode="wb", compresslevel=GZIP_LEVEL, fileobj=raw, mtime=0)
    if lower.endswith(".zst"):
        zstandard = need("zstandard", "zstd", ".zst output")
        return zstandard.ZstdCompressor(level=ZSTD_LEVEL, write_checksum=True).stream_writer(raw, closefd=False)
    return raw


def check_compressor(name: str) -> None:
    """Raise MissingExtra now, before a run, when writing `name` will need a package that is not installed."""
    if name.lower().endswith(".zst"):
        need("zstandard", "zstd", ".zst output")


def decompressed(raw: BinaryIO, name: str) -> Iterator[bytes]:
    """Chunks of decompressed bytes; a truncated or corrupt stream raises EOFError or OSError."""
    lower = name.lower()
    if lower.endswith(".gz"):
        with gzip.GzipFile(fileobj=raw) as stream:
            while chunk := stream.read1(CHUNK):  # read1: a cut file still gives up what precedes the cut
                yield chunk
    elif lower.endswith(".zst"):
        yield from _zstd_chunks(raw)
    else:
        while chunk := raw.read(CHUNK):
            yield chunk


def _zstd_chunks(raw: BinaryIO) -> Iterator[bytes]:
    """zstd frames one after another; the library's stream reader says nothing of a cut frame, we do."""
    zstandard = need("zstandard", "zstd", ".zst input")
    dctx = zstandard.ZstdDecompressor()
    obj, pending, started = dctx.decompressobj(), b"", False
    while True:
        data = pending or raw.read(CHUNK)
        pending = b""
        if not data:
            if not started:
                return  # an empty file holds no documents
            break
        started = True
        try:
            out = obj.decompress(data)
        except zstandard.ZstdError as exc:
            raise OSError(f"corrupt zstd data: {exc}") from None
        if out:
            yield out
        if obj.eof:
            pending = obj.unused_data
            obj = dctx.decompressobj()
            if not pending:
                pending = raw.read(CHUNK)
                if not pending:
                    return
    raise EOFError("zstd stream ended in the middle of a frame (truncated file?)")


def lines(chunks: Iterator[bytes], max_line: int) -> Iterator[tuple[int, bytes | None]]:
    """(line number, line without its newline) in order; a line longer than `max_line` bytes
    comes as (number, None) and is skipped without ever being held whole in memory."""
    number, parts, size, skipping = 0, [], 0, False
    for chunk in chunks:
        start = 0
        while True:
            end = chunk.find(b"\n", start)
            if end < 0:
                if not skipping and start < len(chunk):
                    parts.append(chunk[start:])
                    size += len(chunk) - start
                    if size > max_line:
                        parts, size, skipping = [], 0, True
                break
            number += 1
            if skipping or size + end - start > max_line:
                yield number, None
            else:
                yield number, b"".join([*parts, chunk[start:end]])
            parts, size, skipping, start = [], 0, False, end + 1
    if skipping:
        yield number + 1, None
    elif parts:
        yield number + 1, b"".join(parts)
