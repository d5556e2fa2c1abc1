"""A corpus run: per-document steps in worker processes, corpus steps in input order.

Pass 1 streams the inputs as batches of raw documents (a batch never exceeds `BATCH_DOCS`
documents or `BATCH_BYTES` bytes, and only a few are in flight), decodes, extracts and runs the
per-document steps in a pool (results come back in input order, whatever the number of
workers); the driver observes every document for the corpus steps (the near-duplicate step
notes each paragraph's cluster then) and saves each batch's results as a chunk in the run's
state folder. Pass 2 replays the chunks: corpus steps apply,
documents are written. Memory stays bounded by the corpus steps' own state, not by the corpus;
a killed run resumes from its saved chunks (see resume.py): they are observed again, so the
corpus steps' state is rebuilt in the same order as in an uninterrupted run.

Corpus steps may keep state between runs (the dedup index): loaded before pass 1, saved only
after every output is written, so a crashed run leaves the previous state in place.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import signal
import tempfile
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import NamedTuple

from .atomic import AtomicWriter
from .audit import audit_lines, json_line, manifest_entry
from .chain import build_steps, finish, run_steps, split
from .document import Document, Failure
from .formats import Raw, Source, raw_items
from .options import Options
from .reading import discover, to_document
from .resume import ResumeError, RunState, fingerprint
from .steps import CorpusStep, Step
from .steps.dedup import INDEX_NAME
from .summary import Summary
from .writers import STDOUT, open_writer, output_kind

AUDIT_NAME = "cleaner-audit.jsonl"
MANIFEST_NAME = "cleaner-manifest.jsonl"
STATE_NAME = ".cleaner-state"
BATCH_DOCS = 64
BATCH_BYTES = 4 << 20
FULL_COLLECTION_AFTER = 100  # younger collections (CPython's default: 10)

ENGINES = ("local", "dask")

_local_steps: list[Step] = []
_options = Options()
_started_with: Options | None = None


def _start_worker(options: Options, parent: int | None = None) -> None:
    global _local_steps, _options, _started_with
    if parent is not None:
        _die_with(parent)
    _options = _started_with = options
    _local_steps = split(build_steps(options))[0]
    if parent is not None:  # a pool worker: what it has built (models, rules) lives as long as it does
        _quiet_collector()


def clean_batch_with(options: Options, batch: list[Raw | Failure]) -> list[Document | Failure]:
    """`_clean_batch` for workers that were not started by us (Dask's): steps built once per process."""
    if _started_with != options:
        _start_worker(options)
    return _clean_batch(batch)


def _die_with(parent: int) -> None:
    """A killed run must not leave its workers behind (they would wait on the pool's queue for ever)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG, Linux only
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the run died before prctl took effect
        os._exit(1)


def _clean_batch(batch: list[Raw | Failure]) -> tuple[list[Document | Failure], Counter]:
    """Decode, extract and run the per-document steps; every failure is caught and named.

    Also returns the CPU seconds spent per step, for the run's summary.
    """
    seconds: Counter = Counter()
    return [_clean_one(raw, seconds) for raw in batch], seconds


def _clean_one(raw: Raw | Failure, seconds: Counter) -> Document | Failure:
    if isinstance(raw, Failure):
        return raw
    try:
        started = time.process_time()
        item = to_document(raw, _options)
        seconds["read"] += time.process_time() - started
        if isinstance(item, Document):
            run_steps(_local_steps, item, seconds)
        return item
    except Exception as exc:  # one bad document must not stop the run
        return Failure(raw.id, f"{type(exc).__name__}: {exc}", raw.output, raw.origin)


class SidePaths(NamedTuple):
    audit: Path | None
    manifest: Path | None
    state: Path | None  # the run's resumable state, removed once the run completes
    index: Path | None  # the dedup index kept for later runs


def side_paths(output: Path | str) -> SidePaths:
    """Default side files of an output: inside a folder, beside a file, none for standard output."""
    kind = output_kind(output)
    if kind == "stdout":
        return SidePaths(None, None, None, None)
    output = Path(output)
    if kind == "folder":
        return SidePaths(output / AUDIT_NAME, output / MANIFEST_NAME, output / STATE_NAME, output / INDEX_NAME)
    return SidePaths(output.with_name(f"{output.name}.audit.jsonl"), output.with_name(f"{output.name}.manifest.jsonl"),
                     output.with_name(f".{output.name}{STATE_NAME}"), output.with_name(f"{output.name}.dedup-index.npz"))


def _quiet_collector() -> tuple[int, int, int]:
    """Keep the garbage collector from walking, again and again, what lives all through a run.

    Each batch of documents leaves thousands of objects in the oldest generation, which made
    CPython run a full collection every few batches; each walked the heap (modules, models, the
    memoised text views, the corpus steps' counts): a third of a run's CPU time. What exists now
    is frozen out of collections, and full collections wait for 10x more younger ones.
    Returns the thresholds to restore.
    """
    before = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(before[0], before[1], max(before[2], FULL_COLLECTION_AFTER))
    return before


def _run_with_quiet_collector(run: Callable) -> Callable:
    @functools.wraps(run)
    def quiet(*args, **kwargs):
        before = _quiet_collector()
        try:
            return run(*args, **kwargs)
        finally:  # the caller's process as it was
            gc.set_threshold(*before)
            gc.unfreeze()

    return quiet


@_run_with_quiet_collector
def clean_corpus(
    input_path: Path | str,
    output: Path | str,
    options: Options | None = None,
    workers: int | None = None,
    audit_path: Path | None = None,
    progress: Callable[[int, int | None], None] | None = None,
    resume: bool = False,
    manifest_path: Path | None = None,
    engine: str = "local",
    scheduler: str | None = None,
) -> Summary:
    """Clean INPUT (folder, file, or "-" for JSON lines on stdin) into OUTPUT (folder, .jsonl,
    .parquet, or "-" for JSON lines on stdout). With `resume`, finish a killed run's work.

    `engine` "local" runs the per-document steps in a process pool of `workers`; "dask" runs
    them on a Dask cluster (`scheduler` address, or a local cluster of `workers` processes)
    and finds near-duplicate candidates with a shuffle there. Both give the same output."""
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    options = options or Options()
    started = time.perf_counter()
    default_audit, default_manifest, state_folder, default_index = side_paths(output)
    own = [] if output_kind(output) == "stdout" else [Path(output), audit_path, manifest_path,
                                                       default_audit, default_manifest, state_folder, default_index]
    sources = discover(input_path, skip=own)
    if output_kind(output) == "folder":
        Path(output).mkdir(parents=True, exist_ok=True)
    options = options.with_(dedup_index=options.dedup_index or default_index)
    tail = split(build_steps(options))[1]
    corpus_steps = [s for s in tail if isinstance(s, CorpusStep)]
    summary = Summary()
    # standard output has no folder to keep state in: a temporary one (removed even on error) serves
    with contextlib.nullcontext(None) if state_folder else tempfile.TemporaryDirectory(prefix="cleaner-state-") as scratch:
        if resume and any(s.is_stdin for s in sources):
            raise ResumeError("standard input cannot be resumed: nothing tells whether it holds the same data; "
                              "run without --resume to start over")
        state = RunState(state_folder or Path(scratch) / "state", fingerprint(sources, options, str(output)),
                         resume and state_folder is not None)
        for step in corpus_steps:
            step.load_state(state.snapshot(step.name, step.state_path()))
        if engine == "dask":
            from .dask_engine import dask_pass_one

            done = dask_pass_one(batches(sources, options), options, workers, scheduler, state, corpus_steps,
                                 summary.step_seconds)
        else:
            done = _pass_one(sources, options, workers, state, summary.step_seconds)
        chunks = 0
        for index, (size, items, save) in enumerate(done):
            chunks += 1
            summary.bytes_in += size
            for item in items:
                if isinstance(item, Document) and item.removed is None:
                    for step in corpus_steps:
                        clock = time.process_time()
                        step.observe(item)
                        summary.step_seconds[f"observe {type(step).__name__}"] += time.process_time() - clock
            clock = time.process_time()
            if save:  # after observe: pass 2 needs what observe noted
                state.save(index, items)
            summary.step_seconds["spool"] += time.process_time() - clock
            if progress:
                progress(summary.bytes_in, None)
        _pass_two(_replay(state, chunks, summary.step_seconds), tail, open_writer(output, options, state.tmp),
                  audit_path or default_audit, manifest_path or default_manifest, state.tmp, summary)
        for step in corpus_steps:  # only once every output is written: a crash keeps the old state
            step.save_state()
        state.remove()
    summary.seconds = time.perf_counter() - started
    return summary


def batches(sources: list[Source], options: Options) -> Iterator[list[Raw | Failure]]:
    """The inputs' raw documents in input order, grouped; the grouping depends on the input only."""
    batch: list[Raw | Failure] = []
    size = 0
    for source in sources:
        for raw in raw_items(source, options):
            batch.append(raw)
            size += raw.size if isinstance(raw, Raw) else 0
            if len(batch) >= BATCH_DOCS or size >= BATCH_BYTES:
                yield batch
                batch, size = [], 0
    if batch:
        yield batch


def batch_size(batch: list[Raw | Failure]) -> int:
    return sum(raw.size for raw in batch if isinstance(raw, Raw))


def _pass_one(sources: list[Source], options: Options, workers: int | None, state: RunState,
              seconds: Counter) -> Iterator[tuple[int, list[Document | Failure], bool]]:
    """(input bytes, cleaned items, whether to save them) per batch, in input order; batches
    saved by an earlier run are loaded, not redone. Workers' CPU seconds per step go to `seconds`."""
    workers = max(1, workers or os.cpu_count() or 1)
    todo = batches(sources, options)
    if workers == 1:
        _start_worker(options)
        for index, batch in enumerate(todo):
            yield batch_size(batch), *_done(state, index, None, batch, seconds)
        return
    with ProcessPoolExecutor(workers, initializer=_start_worker, initargs=(options, os.getpid())) as pool:
        pending: deque = deque()
        for index, batch in enumerate(todo):
            future = None if state.has(index) else pool.submit(_clean_batch, batch)
            pending.append((index, future, batch))
            while len(pending) > workers * 3:
                index, future, batch = pending.popleft()
                yield batch_size(batch), *_done(state, index, future, batch, seconds)
        while pending:
            index, future, batch = pending.popleft()
            yield batch_size(batch), *_done(state, index, future, batch, seconds)


def _done(state: RunState, index: int, future, batch: list, seconds: Counter) -> tuple[list[Document | Failure], bool]:
    if state.has(index):
        state.reused += 1
        return state.load(index), False
    items, spent = future.result() if future is not None else _clean_batch(batch)
    seconds.update(spent)
    return items, True


def _replay(state: RunState, chunks: int, seconds: Counter) -> Iterator[Document | Failure]:
    for index in range(chunks):
        clock = time.process_time()
        items = state.load(index)
        seconds["spool"] += time.process_time() - clock
        yield from items


def _pass_two(items: Iterable[Document | Failure], tail: list[Step], writer, audit_path: Path | None,
              manifest_path: Path | None, tmp_dir: Path, summary: Summary) -> None:
    audit = AtomicWriter(audit_path, tmp_dir) if audit_path else None
    manifest = AtomicWriter(manifest_path, tmp_dir) if manifest_path else None
    try:
        for item in items:
            lines, output = "", ""
            if isinstance(item, Document):
                run_steps(tail, item, summary.step_seconds)
                clock = time.process_time()
                finish(item)
                if item.removed is None:
                    output = writer.write(item)
                else:
                    writer.drop(item)
                lines = audit_lines(item)
            else:
                clock = time.process_time()
                writer.drop(item)
            if audit:
                audit.write(lines)
            summary.add(item)
            if manifest:
                manifest.write(json_line(manifest_entry(item, output)))
            summary.step_seconds["write"] += time.process_time() - clock
    except BaseException:
        for f in (audit, manifest, writer):
            if f:
                f.discard()
        raise
    writer.commit()
    for f in (audit, manifest):
        if f:
            f.commit()


__all__ = ["AUDIT_NAME", "INDEX_NAME", "MANIFEST_NAME", "STDOUT", "clean_corpus", "side_paths"]
