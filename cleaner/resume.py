"""A run's state folder, so that a killed run can be finished with `--resume`.

Pass 1 (read, decode, extract, per-document steps: the expensive part) is saved in numbered
chunks, each written whole (temp file, then rename) once its documents are done: a chunk on
disk is a completed-documents marker. Pass 2 is cheap and order-dependent (the corpus steps
must see every document, in input order), so a resumed run replays it from the first chunk
and rewrites every output atomically: the result is byte-identical to an uninterrupted run.

Chunks and sketches are pickled and then compressed (zstd): pickled, a cleaned chunk is 4-5
times the input it came from, which on a large corpus made the state folder the largest thing
on the disk during a run.

The folder is hidden in the output folder (`.cleaner-state/`, or `.NAME.cleaner-state/` beside
a JSON lines or Parquet output) and removed once the run has completed.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path

import zstandard

from .formats import Source
from .rules import rule_files

# zstd level 1: a cleaned chunk is 4-5x the input it came from, pickled, and a fifth of that
# compressed, for under 1% of a run's CPU (zlib level 1: a quarter, for 3-4%)
STATE_LEVEL = 1


def spooled(items: list) -> bytes:
    """`items` as a state file holds them: pickled, then compressed (zstd)."""
    return zstandard.ZstdCompressor(level=STATE_LEVEL).compress(pickle.dumps(items, protocol=pickle.HIGHEST_PROTOCOL))


def unspooled(data: bytes) -> list:
    try:
        return pickle.loads(zstandard.ZstdDecompressor().decompress(data))
    except (zstandard.ZstdError, pickle.UnpicklingError, EOFError) as exc:
        raise UnreadableState(str(exc)) from exc


class ResumeError(ValueError):
    """The state left by the interrupted run does not belong to this input and these options."""


class UnreadableState(ValueError):
    """A state file cut short: renamed into place whole, then lost in part when the machine went
    down before the file system had written it."""


def fingerprint(sources: list[Source], options, output: str) -> str:
    """What must not change between a run and its resumption: inputs (size, mtime), options, the
    rule files' contents (a rule edited in between would mix old and new rules), output, and
    cleaner itself (chunks saved by another version hold another version's decisions)."""
    listing = [(s.rel, 0, 0) if s.is_stdin else (s.rel, s.skipped, 0) if s.skipped
               else (s.rel, s.path.stat().st_size, s.path.stat().st_mtime_ns) for s in sources]
    rules = [(str(p), hashlib.sha256(p.read_bytes()).hexdigest()) for p in rule_files(tuple(options.rules_dirs))]
    text = json.dumps([listing, rules, asdict(options), output, code_fingerprint()], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of the package's code and models: the version number does not change between commits."""
    package = Path(__file__).parent
    digest = hashlib.sha256()
    for path in sorted(p for p in package.rglob("*") if p.is_file() and p.suffix in (".py", ".json", ".npy")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


class RunState:
    def __init__(self, folder: Path, fingerprint: str, resume: bool):
        self.folder = Path(folder)
        self.tmp = self.folder / "tmp"
        stamp = self.folder / "fingerprint"
        if self.folder.exists():
            old = stamp.read_text() if stamp.exists() else ""
            if resume and old and old != fingerprint:
                raise ResumeError(f"{self.folder}: the interrupted run had other inputs, options or cleaner version; "
                                  "run without --resume to start over")
            if not resume or old != fingerprint:
                shutil.rmtree(self.folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(self.tmp, ignore_errors=True)  # temp files of a killed run
        self.tmp.mkdir()
        if not stamp.exists():
            stamp.write_text(fingerprint)
        self.reused = 0

    def _chunk(self, index: int) -> Path:
        return self.folder / f"chunk-{index:07d}.pickle.zst"

    def _sketches(self, index: int) -> Path:
        return self.folder / f"sketches-{index:07d}.pickle.zst"

    def has(self, index: int) -> bool:
        return self._chunk(index).exists()

    def save(self, index: int, data: bytes) -> None:
        """Save a chunk: `spooled(items)`, pickled where the items were made (a worker)."""
        self._write(self._chunk(index), data)

    def load(self, index: int) -> list:
        return unspooled(self._chunk(index).read_bytes())

    def save_sketches(self, index: int, sketches: list) -> None:
        """The chunk's sketches as observed (see sketch.py), for pass 2; made again on resuming."""
        self._write(self._sketches(index), spooled(sketches))

    def load_sketches(self, index: int) -> list:
        return unspooled(self._sketches(index).read_bytes())

    def _write(self, path: Path, data: bytes) -> None:
        tmp = self.tmp / path.name
        tmp.write_bytes(data)
        os.replace(tmp, path)

    def snapshot(self, name: str, path: Path | None) -> Path | None:
        """What `path` held when this run first started: a hard link (or copy) kept in the state folder.

        A resumed run reads the snapshot, not `path`, which the killed run may already have
        replaced with its own result (a corpus step's saved index, say). None: `path` did not exist.
        """
        record = self.folder / f"snapshot-{name}"
        if record.exists():
            taken = record.read_text()
            return self.folder / taken if taken else None
        taken = self.folder / f"start-{name}"
        taken.unlink(missing_ok=True)
        if path is not None and path.exists():
            try:
                os.link(path, taken)
            except OSError:  # another file system, or links not supported
                shutil.copyfile(path, taken)
        tmp = self.tmp / record.name
        tmp.write_text(taken.name if taken.exists() else "")
        os.replace(tmp, record)
        return taken if taken.exists() else None

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
