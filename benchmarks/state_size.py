"""The run's state folder: its size on disk against the input's, and what other codecs would make of it.

    python benchmarks/state_size.py CORPUS [--workers 1]

Cleans CORPUS with the default options (what `cleaner clean CORPUS OUT` does) into a temporary
folder and takes the state folder as it stands when the run is about to remove it: every chunk
and sketch saved, the most it ever holds (in pass 2 the outputs' temporary files are written
there too; they are the outputs, counted apart). Prints the input's size, the state's as
written and as pickled, and for each codec the size it would take and the CPU seconds to
compress it and to load it once (a run loads each chunk and sketch file once, in pass 2),
beside the run's own CPU seconds (driver and workers) to compare them with.

Chunks are compressed in the workers, sketches in the driver (the one process a run cannot
multiply): the two are reported apart.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
import zlib
from pathlib import Path

import zstandard

import cleaner.resume
from cleaner.options import Options
from cleaner.runner import clean_corpus


def codecs() -> dict:
    found = {"zlib-1": (lambda b: zlib.compress(b, 1), zlib.decompress),
             "zlib-6": (lambda b: zlib.compress(b, 6), zlib.decompress)}
    for level in (-1, 1, 2, 3, 6):
        found[f"zstd{level:+d}"] = (zstandard.ZstdCompressor(level=level).compress, zstandard.ZstdDecompressor().decompress)
    try:
        import lz4.frame
        found["lz4"] = (lz4.frame.compress, lz4.frame.decompress)
    except ImportError:
        pass
    return found


def kept_state(corpus: Path, workers: int) -> tuple[dict[str, list[bytes]], float, int]:
    """The state's files as written, by kind (chunk, sketches); the run's CPU seconds; its input bytes."""
    kept: dict[str, list[bytes]] = {"chunk": [], "sketches": []}
    remove = cleaner.resume.RunState.remove

    def keep_then_remove(state: cleaner.resume.RunState) -> None:
        for kind, files in kept.items():
            files.extend(p.read_bytes() for p in sorted(state.folder.glob(f"{kind}-*")))
        remove(state)

    cleaner.resume.RunState.remove = keep_then_remove
    try:
        with tempfile.TemporaryDirectory(prefix="state-size-") as out:
            summary = clean_corpus(corpus, Path(out) / "out", Options(), workers=workers)
    finally:
        cleaner.resume.RunState.remove = remove
    cpu = sum(getattr(resource.getrusage(who), field) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
              for field in ("ru_utime", "ru_stime"))
    return kept, cpu, summary.bytes_in


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args()
    kept, cpu, size = kept_state(args.corpus, args.workers)
    unpack = zstandard.ZstdDecompressor().decompress  # what resume.py writes: pickles in zstd frames
    written = sum(len(b) for files in kept.values() for b in files)
    print(f"input {size / 1e6:.1f} MB; run {cpu:.1f} CPU s ({args.workers} worker(s)); "
          f"state as written {written / 1e6:.1f} MB = {written / size:.2f}x the input")
    for kind, files in kept.items():
        pickled = [unpack(b) for b in files]
        raw = sum(map(len, pickled))
        print(f"{kind}: {len(files)} files, pickled {raw / 1e6:.1f} MB = {raw / size:.2f}x the input "
              f"(compressed in the {'workers' if kind == 'chunk' else 'driver'})")
        for name, (compress, decompress) in codecs().items():
            best = (float("inf"), float("inf"))
            for _ in range(3):
                start = time.process_time()
                packed = [compress(b) for b in pickled]
                middle = time.process_time()
                for b in packed:
                    decompress(b)
                best = min(best, (middle - start, time.process_time() - middle), key=sum)
            on_disk = sum(map(len, packed))
            print(f"  {name:7s} {on_disk / 1e6:7.1f} MB  {raw / on_disk:4.1f}x smaller  {on_disk / size:5.2f}x the input  "
                  f"compress {best[0]:.2f} s + load {best[1]:.2f} s = {100 * sum(best) / cpu:.1f}% of the run's CPU")


if __name__ == "__main__":
    sys.exit(main())
