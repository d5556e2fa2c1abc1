"""A corpus run: per-document steps in worker processes, corpus steps in input order.

Pass 1 streams the inputs as batches of raw documents (a batch never exceeds `BATCH_DOCS`
documents or `BATCH_BYTES` bytes, and only a few are in flight), decodes, extracts and runs the
per-document steps in a pool (results come back in input order, whatever the number of
workers). A worker returns a batch as a chunk of pickled documents and their sketches (what
the corpus steps read, see sketch.py); the driver saves the chunk in the run's state folder,
observes the sketches for the corpus steps (the near-duplicate step notes each paragraph's
cluster then) and saves them too. Pass 2 goes through the chunks in order: the driver lets the
corpus steps apply to the sketches (the only order-dependent decisions), a worker carries
their marks over to the chunk's documents and renders outputs, audit and manifest lines, and
the driver writes those in order (a folder's files, one per document, the worker writes
itself: they have no order). So the driver, the one process that cannot be multiplied,
never handles whole documents. Memory stays bounded by the corpus steps' own state, not by
the corpus; a killed run resumes from its saved chunks (see resume.py): their sketches are
made and observed again, so the corpus steps' state is rebuilt in the same order as in an
uninterrupted run.

Corpus steps may keep state between runs (the dedup index): loaded before pass 1, saved only
after every output is written, so a crashed run leaves the previous state in place.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import multiprocessing
import multiprocessing.connection
import os
import signal
import tempfile
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import NamedTuple

from .atomic import AtomicWriter
from .audit import audit_lines, json_line, manifest_entry
from .chain import build_steps, finish, run_steps, split
from .document import Document, EmptyInput, Failure
from .formats import Raw, Source, raw_items
from .formats.streams import COMPRESSED, check_compressor
from .language import profiles
from .options import Options
from .reading import AUDIT_NAME, MANIFEST_NAME, InputError, check_output_paths, discover, to_document
from .resume import ResumeError, RunState, UnreadableState, fingerprint, spooled
from .sketch import Marks, carry_marks, new_marks, reads_of, sketch
from .steps import CorpusStep, Step
from .steps.dedup import INDEX_NAME
from .summary import Summary
from .writers import STDOUT, open_writer, output_kind

Read = Raw | Failure | EmptyInput  # what the readers give: a document to clean, or what is recorded as it is
Done = Document | Failure | EmptyInput  # what the chain gives back, in input order

STATE_NAME = ".cleaner-state"
BATCH_DOCS = 64
BATCH_BYTES = 4 << 20
FULL_COLLECTION_AFTER = 100  # younger collections (CPython's default: 10)

ENGINES = ("local", "dask")

_local_steps: list[Step] = []
_reads: tuple[str, ...] = ()  # the paragraph features that go to the sketches (those the corpus steps read)
_options = Options()
_started_with: Options | None = None


def _start_worker(options: Options, parent: int | None = None, steps: list[Step] | None = None) -> None:
    """Build the chain (or take `steps`, built for `options`) unless this process has it already."""
    global _local_steps, _reads, _options, _started_with
    if parent is not None:
        _die_with(parent)
    if steps is not None or _started_with != options:  # a forked worker has what its parent built
        _local_steps, tail = split(steps or build_steps(options))
        _reads = reads_of(tail)
        _options = _started_with = options
    if parent is not None:  # a pool worker: what it has built (models, rules) lives as long as it does
        _quiet_collector()
        # SIGTERM to the whole process group (systemd, kill -TERM -PGID) is the run's to handle: a
        # worker killed by it would break the pool first, and the run would say a worker died. The
        # worker ends with its run anyway (see _die_with).
        signal.signal(signal.SIGTERM, signal.SIG_IGN)


def clean_batch_with(options: Options, batch: list[Read]) -> list[Done]:
    """`_clean_batch` for workers that were not started by us (Dask's): steps built once per process."""
    if _started_with != options:
        _start_worker(options)
    return _clean_batch(batch)


def _die_with(parent: int) -> None:
    """A killed run must not leave its workers behind (they would wait on the pool's queue for ever).

    Whatever the start method, a thread waits for the run's end: multiprocessing gives a worker
    a sentinel of the process that started it, readable once that process is gone. A worker
    whose parent is the run (fork, spawn) also asks Linux to kill it when the run dies, at once
    even when it is busy in C. Under "forkserver" (Python 3.14's default on Linux) the parent is
    the fork server, which outlives the run as long as the workers do: the thread ends them.
    """
    run = multiprocessing.parent_process()
    if run is not None:
        threading.Thread(target=_exit_when_ready, args=(run.sentinel,), name="cleaner-run-watch", daemon=True).start()
    if os.getppid() == parent:
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG, Linux only
        except (OSError, AttributeError):
            pass


def _exit_when_ready(sentinel: int) -> None:
    multiprocessing.connection.wait([sentinel])
    os._exit(1)


def _clean_batch(batch: list[Read]) -> tuple[list[Done], Counter]:
    """Decode, extract and run the per-document steps; every failure is caught and named.

    Also returns the CPU seconds spent per step, for the run's summary.
    """
    seconds: Counter = Counter()
    return [_clean_one(raw, seconds) for raw in batch], seconds


def _clean_one(raw: Read, seconds: Counter) -> Done:
    if not isinstance(raw, Raw):  # a Failure, or an EmptyInput: recorded as read
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
    base, compressed = output.name, ""
    if base.lower().endswith(COMPRESSED):  # x.jsonl.gz: x.jsonl.audit.jsonl.gz, compressed the same way
        base, compressed = os.path.splitext(base)
    return SidePaths(output.with_name(f"{base}.audit.jsonl{compressed}"),
                     output.with_name(f"{base}.manifest.jsonl{compressed}"),
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
    .jsonl.gz, .jsonl.zst, .parquet, or "-" for JSON lines on stdout). With `resume`, finish a
    killed run's work.

    `engine` "local" runs the per-document steps in a process pool of `workers`; "dask" runs
    them on a Dask cluster (`scheduler` address, or a local cluster of `workers` processes)
    and finds near-duplicate candidates with a shuffle there. Both give the same output."""
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    if scheduler and engine != "dask":
        raise ValueError("a scheduler goes with engine='dask'")
    options = options or Options()
    started = time.perf_counter()
    default_audit, default_manifest, state_folder, default_index = side_paths(output)
    own = [] if output_kind(output) == "stdout" else [Path(output), audit_path, manifest_path,
                                                       default_audit, default_manifest, state_folder, default_index]
    sources = discover(input_path, skip=own)
    check_output_paths(Path(output) if output_kind(output) == "folder" else None,
                       [Path(output) if output_kind(output) in ("jsonl", "parquet") else None,
                        audit_path or default_audit, manifest_path or default_manifest,
                        (options.dedup_index or default_index) if options.dedup else None])
    for path in (output if output_kind(output) == "jsonl" else None, audit_path or default_audit,
                 manifest_path or default_manifest):
        if path is not None:
            check_compressor(str(path))  # a .zst output without zstandard: said now, not after pass 1
    options = options.with_(dedup_index=options.dedup_index or default_index)
    steps = build_steps(options)  # bad rules stop the run here, before the output folder exists
    try:
        if output_kind(output) == "folder":
            Path(output).mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # not a run that stopped: one that cannot start, and --resume would not help
        raise InputError(f"cannot make the output folder {output}: {exc.strerror or exc}") from None
    tail = split(steps)[1]
    corpus_steps = [s for s in tail if isinstance(s, CorpusStep)]
    summary = Summary()
    # standard output has no folder to keep state in: a temporary one (removed even on error) serves
    with contextlib.nullcontext(None) if state_folder else tempfile.TemporaryDirectory(prefix="cleaner-state-") as scratch:
        if resume and any(s.is_stdin for s in sources):
            raise ResumeError("standard input cannot be resumed: nothing tells whether it holds the same data; "
                              "run without --resume to start over")
        try:
            state = RunState(state_folder or Path(scratch) / "state", fingerprint(sources, options, str(output)),
                             resume and state_folder is not None)
        except OSError as exc:
            raise InputError(f"cannot keep the run's state in {exc.filename or state_folder}: "
                             f"{exc.strerror or exc}") from None
        for step in corpus_steps:
            step.load_state(state.snapshot(step.name, step.state_path()))
        with Workers(options if engine == "local" else None, workers, steps) as processes:
            if engine == "dask":
                from .dask_engine import dask_pass_one

                done = dask_pass_one(batches(sources, options), options, workers, scheduler, state, corpus_steps,
                                     summary.step_seconds)
            else:
                done = _pass_one(sources, options, processes, state, summary.step_seconds)
            chunks = _observe(done, corpus_steps, state, summary, progress)
            _pass_two(state, chunks, tail, output, options, audit_path or default_audit,
                      manifest_path or default_manifest, summary, processes)
        for step in corpus_steps:  # only once every output is written: a crash keeps the old state
            step.save_state()
        state.remove()
    summary.seconds = time.perf_counter() - started
    return summary


def batches(sources: list[Source], options: Options) -> Iterator[list[Read]]:
    """The inputs' raw documents in input order, grouped; the grouping depends on the input only."""
    batch: list[Read] = []
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


def batch_size(batch: list[Read]) -> int:
    return sum(raw.size for raw in batch if isinstance(raw, Raw))


class Workers:
    """The worker processes of both passes; with one worker, the work is done in this process."""

    AHEAD = 3  # calls submitted per worker beyond the one whose result is awaited

    def __init__(self, options: Options | None, count: int | None, steps: list[Step] | None = None):
        """`options`: what the workers clean with (None: they only render pass 2, in this process);
        `steps`: the chain built for them, whose per-document steps the workers use."""
        self.count = max(1, count or os.cpu_count() or 1) if options else 1
        self.pool = None
        if options:
            _start_worker(options, steps=steps)  # built once, here: forked workers share it
        if self.count > 1:
            if options.lang_engine == "profiles":
                profiles()  # the language model too, which the steps load on first use
            self.pool = ProcessPoolExecutor(self.count, initializer=_start_worker, initargs=(options, os.getpid()))

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc) -> None:
        if self.pool is not None:  # a run that stopped (Ctrl-C, SIGTERM, an error) waits for no batch not started
            self.pool.shutdown(cancel_futures=exc[0] is not None)

    def in_order(self, calls: Iterable[tuple]) -> Iterator:
        """The result of `function(*args)` for each (function, *args) of `calls`, in order."""
        if self.pool is None:
            for function, *args in calls:
                yield function(*args)
            return
        pending: deque = deque()
        for function, *args in calls:
            pending.append(self.pool.submit(function, *args))
            while len(pending) > self.count * self.AHEAD:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


# -- pass 1: clean (workers), observe and spool (driver) ----------------------------------
def _pass_one(sources: list[Source], options: Options, processes: Workers, state: RunState,
              seconds: Counter) -> Iterator[tuple[int, list[Done], bytes | None]]:
    """(input bytes, sketches of the cleaned items, the items spooled or None) per batch, in input
    order; batches saved by an earlier run are loaded, not redone (None: nothing to save).
    Workers' CPU seconds per step go to `seconds`."""
    todo = batches(sources, options)
    sizes: deque = deque()  # (input bytes, the batch while its saved chunk is being read back)

    def calls() -> Iterator[tuple]:
        for index, batch in enumerate(todo):
            saved = state.has(index)
            sizes.append((batch_size(batch), batch if saved else None))
            if saved:
                state.reused += 1
                yield _reload, state, index
            else:
                yield _clean_and_sketch, batch

    for sketches, data, spent in processes.in_order(calls()):
        size, batch = sizes.popleft()
        if sketches is None:  # a saved chunk that cannot be read: cleaned again, here (it is rare)
            state.reused -= 1
            _start_worker(options)
            sketches, data, spent = _clean_and_sketch(batch)
        seconds.update(spent)
        yield size, sketches, data


def _clean_and_sketch(batch: list[Read]) -> tuple[list[Done], bytes, Counter]:
    """A cleaned batch: the items' sketches for the driver, the items themselves spooled."""
    items, seconds = _clean_batch(batch)
    clock = time.process_time()
    sketches = [sketch(item, _reads) for item in items]
    data = spooled(items)
    seconds["spool"] += time.process_time() - clock
    return sketches, data, seconds


def _reload(state: RunState, index: int) -> tuple[list[Done] | None, None, Counter]:
    """A batch saved by an earlier run: its sketches made again, nothing to save (no sketches:
    the chunk cannot be read, and the batch is to be cleaned again)."""
    clock = time.process_time()
    try:
        sketches = [sketch(item, _reads) for item in state.load(index)]
    except UnreadableState:
        sketches = None
    return sketches, None, Counter(spool=time.process_time() - clock)


def _observe(done: Iterable[tuple[int, list, bytes | None]], corpus_steps: list[CorpusStep], state: RunState,
             summary: Summary, progress: Callable[[int, int | None], None] | None) -> int:
    """Save each batch, let the corpus steps observe its sketches, save those; returns the number of chunks."""
    chunks = 0
    seconds = summary.step_seconds
    for index, (size, sketches, data) in enumerate(done):
        chunks += 1
        summary.bytes_in += size
        clock = time.process_time()
        if data is not None:
            state.save(index, data)
        seconds["spool"] += time.process_time() - clock
        for item in sketches:
            if isinstance(item, Document) and item.removed is None:
                for step in corpus_steps:
                    clock = time.process_time()
                    step.observe(item)
                    seconds[f"observe {type(step).__name__}"] += time.process_time() - clock
        clock = time.process_time()
        state.save_sketches(index, sketches)  # with what observe noted: pass 2 needs it
        seconds["spool"] += time.process_time() - clock
        if progress:
            progress(summary.bytes_in, None)
    return chunks


# -- pass 2: decide (driver), render (workers), write (driver) ----------------------------
def _pass_two(state: RunState, chunks: int, tail: list[Step], output: Path | str, options: Options,
              audit_path: Path | None, manifest_path: Path | None, summary: Summary,
              processes: Workers) -> None:
    """The corpus steps decide on each chunk's sketches in input order; workers carry their marks
    over to the documents and render outputs, audit lines and manifest entries; they are written
    here, each entry with where its document went (a folder's files the workers write)."""
    writer = open_writer(output, options, state.tmp)
    audit = AtomicWriter(audit_path, state.tmp) if audit_path else None
    manifest = AtomicWriter(manifest_path, state.tmp) if manifest_path else None
    # a writer that stores each document apart (a folder) goes to the workers; the others stay here
    render = (writer if writer.in_workers else type(writer), options, audit is not None, manifest is not None)
    calls = ((_render_chunk, state, index, _decide(state, index, tail, summary.step_seconds), render)
             for index in range(chunks))
    try:
        for rendered, audit_text, entries, part in processes.in_order(calls):
            clock = time.process_time()
            for i, (name, payload) in enumerate(rendered):
                if payload is None:
                    writer.drop(name)
                else:
                    output = writer.write(payload)
                    if entries:
                        entries[i]["output"] = output
            if audit:
                audit.write(audit_text)
            if manifest:
                manifest.write("".join(map(json_line, entries)))
            summary.merge(part)
            summary.step_seconds["write"] += time.process_time() - clock
        writer.commit()  # standard output's last flush may find its reader gone: the side files go too
    except BaseException:
        for f in (audit, manifest, writer):
            if f:
                f.discard()
        raise
    for f in (audit, manifest):
        if f:
            f.commit()


def _decide(state: RunState, index: int, tail: list[Step], seconds: Counter) -> list[Marks | None]:
    """What the corpus steps remove from each document of a chunk (None for a failure)."""
    clock = time.process_time()
    sketches = state.load_sketches(index)
    seconds["spool"] += time.process_time() - clock
    marks: list[Marks | None] = []
    for item in sketches:
        if isinstance(item, Document):
            before = [p.removed is None for p in item.paragraphs]
            run_steps(tail, item, seconds)
            marks.append(new_marks(item, before))
        else:
            marks.append(None)
    return marks


def _render_chunk(state: RunState, index: int, marks: list[Marks | None], render: tuple) -> tuple:
    """A chunk's documents with the corpus steps' marks: (output name, rendering or None when
    dropped) per item, the audit lines, the manifest entries (their "output" is the writer's to
    say), and the chunk's part of the summary. A writer that stores each document apart
    (`in_workers`, a folder) is given here, not its class: it stores them now, and says where
    they went; nothing is then left to render for the driver."""
    writer, options, with_audit, with_manifest = render
    part = Summary()
    clock = time.process_time()
    items = state.load(index)
    part.step_seconds["spool"] += time.process_time() - clock
    clock = time.process_time()
    rendered, audit, manifest = [], [], []
    for item, item_marks in zip(items, marks, strict=True):
        payload = None
        if isinstance(item, Document):
            finish(carry_marks(item, item_marks))
            payload = writer.render(item, options) if item.removed is None else None
            if with_audit:
                audit.append(audit_lines(item))
        part.add(item)
        entry = manifest_entry(item) if with_manifest else None
        if not writer.in_workers:
            rendered.append((item.output, payload))
        elif payload is None:
            writer.drop(item.output)
        else:
            where = writer.write(payload)
            if entry is not None:
                entry["output"] = where
        if entry is not None:
            manifest.append(entry)
    part.step_seconds["write"] += time.process_time() - clock
    return rendered, "".join(audit), manifest, part


__all__ = ["AUDIT_NAME", "INDEX_NAME", "MANIFEST_NAME", "STDOUT", "clean_corpus", "side_paths"]
