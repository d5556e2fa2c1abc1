"""A corpus run: per-document steps in worker processes, corpus steps in input order.

Pass 1 reads each input file and runs the per-document steps in a pool (results come back
in input order, whatever the number of workers); the driver observes every document for the
corpus steps and spools it to disk. Pass 2 replays the spool: corpus steps apply, documents
are written. Memory stays bounded by the corpus steps' own state, not by the corpus.
"""

from __future__ import annotations

import json
import os
import pickle
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from .atomic import AtomicWriter, write_text
from .audit import manifest_entry, removal_records
from .chain import build_steps, finish, run_steps, split
from .decode import DecodeError
from .document import Document, Failure
from .options import Options
from .reading import Source, discover, read
from .steps import CorpusStep, Step
from .summary import Summary

AUDIT_NAME = "cleaner-audit.jsonl"
MANIFEST_NAME = "cleaner-manifest.jsonl"

_local_steps: list[Step] = []
_options = Options()


def _start_worker(options: Options) -> None:
    global _local_steps, _options
    _options = options
    _local_steps = split(build_steps(options))[0]


def _clean_source(source: Source) -> tuple[int, list[Document | Failure]]:
    """Read one input file and run the per-document steps; every failure is caught and named."""
    items: list[Document | Failure] = []
    try:
        size = source.path.stat().st_size
        for item in read(source, _options.html_favor_recall, _options.html_fallback_share, _options.html_drop_chrome):
            if isinstance(item, Document):
                try:
                    run_steps(_local_steps, item)
                except Exception as exc:  # one bad document must not stop the run
                    item = Failure(item.id, f"{type(exc).__name__}: {exc}", item.output)
            items.append(item)
    except DecodeError as exc:
        return 0, [Failure(source.rel, str(exc), source.output)]
    except Exception as exc:
        return 0, [*items, Failure(source.rel, f"{type(exc).__name__}: {exc}", source.output)]
    return size, items


def clean_corpus(
    input_path: Path,
    output_dir: Path,
    options: Options | None = None,
    workers: int | None = None,
    audit_path: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Summary:
    options = options or Options()
    started = time.perf_counter()
    sources = discover(Path(input_path))
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    tail = split(build_steps(options))[1]
    corpus_steps = [s for s in tail if isinstance(s, CorpusStep)]
    for step in corpus_steps:
        step.load_state(output_dir)
    summary = Summary()
    with tempfile.TemporaryFile(dir=output_dir, prefix=".cleaner-spool-") as spool:
        for done, (size, items) in enumerate(_pass_one(sources, options, workers), 1):
            summary.bytes_in += size
            for item in items:
                if isinstance(item, Document) and item.removed is None:
                    for step in corpus_steps:
                        step.observe(item)
                pickle.dump(item, spool, protocol=pickle.HIGHEST_PROTOCOL)
            if progress:
                progress(done, len(sources))
        spool.seek(0)
        _pass_two(_replay(spool), tail, output_dir, audit_path or output_dir / AUDIT_NAME, summary)
    for step in corpus_steps:  # only once every output is written: a crash keeps the old state
        step.save_state(output_dir)
    summary.seconds = time.perf_counter() - started
    return summary


def _pass_one(sources: list[Source], options: Options, workers: int | None) -> Iterator[tuple[int, list]]:
    workers = max(1, workers or os.cpu_count() or 1)
    if workers == 1 or len(sources) < 2:
        _start_worker(options)
        yield from map(_clean_source, sources)
        return
    with ProcessPoolExecutor(workers, initializer=_start_worker, initargs=(options,)) as pool:
        yield from pool.map(_clean_source, sources, chunksize=max(1, min(16, len(sources) // (workers * 8))))


def _replay(spool) -> Iterator[Document | Failure]:
    while True:
        try:
            yield pickle.load(spool)
        except EOFError:
            return


def _pass_two(items, tail: list[Step], output_dir: Path, audit_path: Path, summary: Summary) -> None:
    audit = AtomicWriter(audit_path)
    manifest = AtomicWriter(output_dir / MANIFEST_NAME)
    try:
        for item in items:
            if isinstance(item, Document):
                run_steps(tail, item)
                finish(item)
                target = output_dir / item.output
                if item.removed is None:
                    write_text(target, item.clean_text() + "\n")
                else:
                    target.unlink(missing_ok=True)  # a stale file from an earlier run would lie
                for record in removal_records(item):
                    audit.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
            summary.add(item)
            manifest.write(json.dumps(manifest_entry(item, getattr(item, "output", "")),
                                      ensure_ascii=False, sort_keys=True) + "\n")
    except BaseException:
        audit.discard()
        manifest.discard()
        raise
    audit.commit()
    manifest.commit()
