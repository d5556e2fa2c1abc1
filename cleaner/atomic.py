"""Files appear whole or not at all: write beside the target, then rename over it."""

from __future__ import annotations

import contextlib
import errno
import functools
import io
import os
import shutil
import tempfile
from pathlib import Path

from .formats.streams import compressing


@functools.cache
def file_mode() -> int:
    """What `open()` would give a new file: mkstemp's 0600 would hide the corpus from its readers."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def _temporary(path: Path, tmp_dir: Path | None) -> tuple[int, str]:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=tmp_dir or path.parent)
    os.fchmod(fd, file_mode())
    return fd, tmp


def _move(tmp: str, path: Path) -> None:
    """Rename `tmp` over `path`; from another file system (a state folder in /tmp, a side file on
    another disk) copy it beside `path` first, so that the rename is still atomic."""
    try:
        os.replace(tmp, path)
        return
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
    fd, beside = _temporary(path, None)
    try:
        with open(tmp, "rb") as source, os.fdopen(fd, "wb") as target:
            shutil.copyfileobj(source, target)
        os.replace(beside, path)
    except BaseException:
        Path(beside).unlink(missing_ok=True)
        raise
    Path(tmp).unlink(missing_ok=True)


def write_text(path: Path, text: str, tmp_dir: Path | None = None) -> None:
    """`tmp_dir` (same file system) keeps the half-written file out of the output folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _temporary(path, tmp_dir)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        _move(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class AtomicWriter:
    """A text file written line by line that only appears, complete, on `commit()`; compressed when
    its name ends in .gz or .zst (a JSON lines output, the audit, the manifest)."""

    def __init__(self, path: Path, tmp_dir: Path | None = None, binary: bool = False):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, self.tmp = _temporary(self.path, tmp_dir)
        self.raw = os.fdopen(fd, "wb")
        try:
            stream = compressing(self.raw, self.path.name)
        except BaseException:
            self.discard()
            raise
        self.handle = stream if binary else io.TextIOWrapper(stream, encoding="utf-8", newline="\n")

    def write(self, text: str) -> None:
        self.handle.write(text)

    def commit(self) -> None:
        try:
            self.handle.close()  # finishes the compressed data, if any: may fail (a full disk)
        finally:
            self.raw.close()
        _move(self.tmp, self.path)

    def discard(self) -> None:
        """Drop what was written; never raises for the file it drops (a full disk that failed the
        run must not also leave the temporary file, or hide the run's own error)."""
        with contextlib.suppress(Exception):
            if getattr(self, "handle", None) is not None:
                self.handle.close()
        with contextlib.suppress(Exception):
            self.raw.close()
        Path(self.tmp).unlink(missing_ok=True)
