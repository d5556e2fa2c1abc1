"""Near-duplicate candidates found by a shuffle on MinHash band keys, for engines that spread work.

The local engine asks the index, one document at a time, which earlier cluster each paragraph
joins (LSH lookup, then verification on shingle fingerprints). On a cluster the expensive part
of that - bucketing by band key and verifying candidate pairs - runs on the workers instead:

1. `entries`: for each chunk of cleaned documents, one entry per band for every distinct
   paragraph (a "group": paragraphs with the same signature and fingerprints, so a footer
   repeated on 100,000 pages is one group, not 100,000), routed to a partition by band key;
2. `verify`: per partition, every pair of groups sharing a band key is verified once (by the
   lowest band they share) on fingerprints, in both directions (the measure is asymmetric);
3. `ShuffledCandidates` on the driver replays the index's decisions in input order from the
   verified pairs: a paragraph joins the most similar earlier cluster founder among its group's
   neighbours (ties: the earliest cluster), exactly as `MinHashIndex.query` would have.

So the result is the local engine's, byte for byte, whatever the partitioning.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

import numpy as np

from .document import Document
from .minhash_index import MinHashIndex, fingerprint_jaccard, stored_form
from .steps.dedup import Candidates, NearDuplicateParagraphs

Entry = tuple[int, int, bytes, bytes]  # (band key with its band, group, all band keys, fingerprints)
Pair = tuple[int, int, float, float]  # (group a, group b, J of a against b, J of b against a)


def group_of(sig: np.ndarray, fps: np.ndarray) -> int:
    return int.from_bytes(hashlib.blake2b(sig.tobytes() + fps.tobytes(), digest_size=8).digest(), "little")


def entries(items: list, step: NearDuplicateParagraphs, partitions: int) -> list[list[Entry]]:
    """The band entries of one chunk's documents, split into `partitions` lists by band key."""
    out: list[list[Entry]] = [[] for _ in range(partitions)]
    seen: set[int] = set()
    index = step.index
    for doc in items:
        if not isinstance(doc, Document) or doc.removed is not None:
            continue
        longs, _ = step.judged(doc, keep_signatures=True)
        for _, _, (sig, fps) in longs:
            group = group_of(sig, fps)
            if group in seen:
                continue
            seen.add(group)
            keys = index.band_keys(sig[None, :])[0]
            for band, key in enumerate(keys.tolist()):
                bucket = band << 32 | key
                out[bucket % partitions].append((bucket, group, keys.tobytes(), fps.tobytes()))
    return out


def verify(parts: list[list[Entry]], threshold: float) -> list[Pair]:
    """Verified pairs of groups that share a band key, each pair once, sorted."""
    buckets: dict[int, dict[int, tuple[bytes, bytes]]] = defaultdict(dict)
    for part in parts:
        for bucket, group, keys, fps in part:
            buckets[bucket][group] = (keys, fps)
    pairs: list[Pair] = []
    for bucket, members in buckets.items():
        if len(members) < 2:
            continue
        band = bucket >> 32
        groups = sorted(members)
        keys = {g: np.frombuffer(members[g][0], np.uint32) for g in groups}
        fps = {g: np.frombuffer(members[g][1], np.uint16) for g in groups}
        for n, a in enumerate(groups):
            for b in groups[n + 1:]:
                if np.any(keys[a][:band] == keys[b][:band]):
                    continue  # an earlier band's bucket verifies this pair
                ab = fingerprint_jaccard(fps[a], stored_form(fps[b]))
                ba = fingerprint_jaccard(fps[b], stored_form(fps[a]))
                if max(ab, ba) >= threshold - 1e-9:
                    pairs.append((a, b, ab, ba))
    return sorted(pairs)


class ShuffledCandidates(Candidates):
    """`MinHashIndex.query`'s answers, from verified pairs instead of the index's LSH tables."""

    def __init__(self, pairs: list[Pair], index: MinHashIndex):
        self.threshold = threshold = index.threshold - 1e-9
        self.neighbours: dict[int, list[tuple[int, float]]] = defaultdict(list)
        for a, b, ab, ba in pairs:
            if ab >= threshold:
                self.neighbours[a].append((b, ab))
            if ba >= threshold:
                self.neighbours[b].append((a, ba))
        self.founders: dict[int, list[int]] = defaultdict(list)  # group -> clusters it started
        self.earlier = len(index)  # clusters loaded from an earlier run's index: asked of the index

    def query(self, index, sigs, fps):
        best = np.full(len(sigs), -1, np.int64)
        best_sim = np.zeros(len(sigs))
        found: list[list[tuple[float, int]]] = [[] for _ in range(len(sigs))]
        if self.earlier:
            rows, clusters, sims = index.query(sigs, fps, all_matches=True)
            for r, c, s in zip(rows.tolist(), clusters.tolist(), sims.tolist(), strict=True):
                if c < self.earlier:
                    found[r].append((s, c))
        for r, (sig, fp) in enumerate(zip(sigs, fps, strict=True)):
            group = group_of(sig, fp)
            same = fingerprint_jaccard(fp, stored_form(fp)) if group in self.founders else 0.0
            for other, sim in [(group, same), *self.neighbours.get(group, ())]:
                if sim >= self.threshold:
                    found[r].extend((sim, cluster) for cluster in self.founders.get(other, ()))
            if found[r]:
                sim, cluster = min(found[r], key=lambda x: (-x[0], x[1]))  # highest J, then earliest cluster
                best[r], best_sim[r] = cluster, sim
        return best, best_sim

    def added(self, sigs, fps, clusters):
        for sig, fp, cluster in zip(sigs, fps, clusters.tolist(), strict=True):
            self.founders[group_of(sig, fp)].append(cluster)
