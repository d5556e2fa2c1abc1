"""The Dask engine: pass 1 on a Dask cluster, for corpora that outgrow one machine.

The per-document chain is the local engine's (`runner.clean_batch_with`), one task per batch.
Cross-document near-duplicates are found as a shuffle: each batch's task is followed, on the
same worker, by one that lists its paragraphs' band keys split into partitions; one task per
partition verifies the pairs of paragraphs that share a band key (`band_shuffle`). Only the
verified pairs come back to the driver, which clusters in input order. The driver also keeps
the run's state (chunks, for --resume) and writes every output, so input and output paths must
be readable and writable where the driver runs; the workers only receive documents as data.

Imported only when `--engine dask` is asked for: the core install has no Dask.
"""

from __future__ import annotations

import operator
from collections import Counter, deque
from collections.abc import Iterator

from .band_shuffle import ShuffledCandidates, entries, verify
from .formats import MissingExtra
from .options import Options
from .resume import RunState, UnreadableState, spooled
from .runner import batch_size, clean_batch_with
from .sketch import reads_of, sketch
from .steps import CorpusStep
from .steps.dedup import NearDuplicateParagraphs

PARTITIONS_PER_WORKER = 2
IN_FLIGHT_PER_WORKER = 3


def connect(scheduler: str | None, workers: int):
    """A client of the cluster at `scheduler`, or of a new local cluster of `workers` processes."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise MissingExtra("--engine dask needs Dask: pip install 'cleaner[dask]'") from exc
    if scheduler:
        return Client(scheduler)
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0")
    return Client(cluster)


def dask_pass_one(todo: Iterator[list], options: Options, workers: int | None, scheduler: str | None,
                  state: RunState, corpus_steps: list[CorpusStep], seconds: Counter) -> Iterator[tuple[int, list, None]]:
    """Like the local engine's pass 1: (input bytes, sketches of the cleaned items, None: saved
    already) per batch, in input order; before the first is given, near-duplicate candidates
    have been found on the cluster."""
    dedup = next((s for s in corpus_steps if isinstance(s, NearDuplicateParagraphs)), None)
    client = connect(scheduler, max(1, workers or 1))
    try:
        nworkers = max(1, len(client.scheduler_info()["workers"]))
        partitions = nworkers * PARTITIONS_PER_WORKER
        blank = _blank(dedup) if dedup else None
        sizes, band_entries = [], []
        pending: deque = deque()

        def finish_one() -> None:
            index, future = pending.popleft()
            if future is not None:
                items, spent = future.result()
                seconds.update(spent)
                state.save(index, spooled(items))

        for index, batch in enumerate(todo):
            sizes.append(batch_size(batch))
            saved = _saved(state, index)
            if saved is not None:
                state.reused += 1
                items = client.scatter(saved)
                future = None
            else:
                items = future = client.submit(clean_batch_with, options, batch, pure=False)
            if blank is not None:
                band_entries.append(client.submit(_entries, items, blank, partitions, pure=False))
            pending.append((index, future))
            while len(pending) > nworkers * IN_FLIGHT_PER_WORKER:
                finish_one()
        while pending:
            finish_one()
        if dedup is not None:
            dedup.candidates = ShuffledCandidates(_verified_pairs(client, band_entries, partitions, dedup), dedup.index)
    finally:
        client.close()
        if not scheduler and client.cluster is not None:
            client.cluster.close()
    reads = reads_of(corpus_steps)
    for index, size in enumerate(sizes):
        yield size, [sketch(item, reads) for item in state.load(index)], None


def _saved(state: RunState, index: int) -> list | None:
    """The chunk an earlier run saved, if any and if it can be read (one cut short is cleaned again)."""
    if not state.has(index):
        return None
    try:
        return state.load(index)
    except UnreadableState:
        return None


def _verified_pairs(client, band_entries: list, partitions: int, dedup: NearDuplicateParagraphs) -> list:
    verified = []
    for part in range(partitions):
        pieces = [client.submit(operator.getitem, e, part, pure=False) for e in band_entries]
        verified.append(client.submit(verify, pieces, dedup.threshold, pure=False))
    return sorted(pair for pairs in client.gather(verified) for pair in pairs)


def _entries(result: list | tuple, step: NearDuplicateParagraphs, partitions: int) -> list:
    """Band entries of a batch's items (a cleaned batch comes with its step times)."""
    return entries(result[0] if isinstance(result, tuple) else result, step, partitions)


def _blank(step: NearDuplicateParagraphs) -> NearDuplicateParagraphs:
    """A copy of the step's settings without its index, small enough to send to every task."""
    return NearDuplicateParagraphs(step.threshold, step.num_perm, step.size, step.min_words,
                                   short_min_words=step.short_min_words, bands=step.index.bands, rows=step.index.rows)
