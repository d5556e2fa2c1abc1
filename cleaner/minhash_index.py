"""A small, saveable near-duplicate index: banded LSH over MinHash signatures, in flat arrays.

Per cluster (a paragraph with no near-duplicate indexed before it) the index holds:
  - `bands` 32-bit band keys, each in a sorted run of (key, cluster) pairs: 8 bytes a band;
  - the paragraph's set of 12-bit shingle fingerprints, packed (1.5 bytes a shingle, about
    100 bytes for 420 characters), to verify candidates on (almost) exact Jaccard: a MinHash
    estimate has a standard deviation of 0.035 at J = 0.8 with 128 permutations, which lets
    through too many pairs just under the threshold;
  - who owns the cluster (document number, paragraph, length), in how many documents it occurs,
    where its fingerprints end, and flags: 21 bytes.
Document ids are kept once per document, as one UTF-8 blob. With 8 bands of 4 rows that is
about 64 + 100 + 21 + 4 (names, 10 paragraphs a document) = 189 bytes a cluster of 420
characters, plus the growth room bytearray and array keep (up to 12.5% and 6%); no Python
object per entry. `benchmarks/dedup.py --index-only --paragraphs 10000000` measures it.

Where recall is lost: hardly in the banding. 8 bands of 4 rows make a candidate of 98.5% of
pairs at J = 0.8 in theory, and of 2,321 of the 2,325 pairs at J >= 0.8 in the benchmark
(50,000 paragraphs, seeds 1-3). The verification loses more: the pairs it misses are within
0.005 of the threshold (J = 0.800 exactly, most of them), where 12 bits per shingle cannot
tell one shingle more or less in common; the chance-match correction below costs them, and
leaving it out lets as many pairs just under 0.8 through (precision 0.987 on those seeds).
14-bit fingerprints would settle most of them, for 16 more bytes a cluster.

Sorted runs are merged like a binary counter (log-structured), so adding is amortised
O(log n) and a lookup is one `searchsorted` per run.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import zipfile
from array import array
from pathlib import Path

import numpy as np

from .atomic import file_mode
from .shingles import SCHEME, SEED

WRITTEN = 1  # a copy of the cluster has been kept (written), in this run or an earlier one
BOILERPLATE = 2  # the cluster spans many documents: every copy is removed
EARLIER = 4  # the cluster comes from an earlier run (loaded from a saved index)

FORMAT = 1
_C1 = np.uint64(0x9E3779B97F4A7C15)
_C2 = np.uint64(0xBF58476D1CE4E5B9)


def pack12(values: np.ndarray) -> np.ndarray:
    """Sorted 12-bit values, two in three bytes (an odd count repeats its last value)."""
    if len(values) % 2:
        values = np.append(values, values[-1:])
    v = values.astype(np.uint16).reshape(-1, 2)
    return np.stack([v[:, 0] & 0xFF, (v[:, 0] >> 8) | ((v[:, 1] & 0xF) << 4), v[:, 1] >> 4], axis=1).astype(np.uint8).ravel()


def unpack12(packed: np.ndarray) -> np.ndarray:
    b = packed.reshape(-1, 3).astype(np.uint16)
    pairs = np.stack([b[:, 0] | ((b[:, 1] & 0xF) << 8), (b[:, 1] >> 4) | (b[:, 2] << 4)], axis=1).ravel()
    return np.unique(pairs)


def stored_form(fingerprints: np.ndarray) -> np.ndarray:
    """A fingerprint set as the index gives it back once stored."""
    return unpack12(pack12(fingerprints))


def fingerprint_jaccard(fingerprints: np.ndarray, stored: np.ndarray) -> float:
    """Jaccard of a paragraph's fingerprint set with a stored one (exact but for 12-bit collisions)."""
    inter = len(np.intersect1d(fingerprints, stored, assume_unique=True))
    # a fingerprint of A not in B still matches one of B's with probability |B| / 4096: take
    # out the matches expected by chance, so that pairs just under the threshold stay under
    # (benchmark, 50k paragraphs: precision 0.989 -> 0.999, recall 0.991 -> 0.966)
    inter = max(0.0, inter - (len(fingerprints) - inter) * len(stored) / 4096)
    union = len(fingerprints) + len(stored) - inter
    return min(1.0, inter / union) if union else 1.0


class SortedRuns:
    """A multimap from integer keys to cluster numbers, as a few sorted numpy runs."""

    def __init__(self, key_dtype=np.uint32):
        self.key_dtype = np.dtype(key_dtype)
        self.runs: list[tuple[np.ndarray, np.ndarray]] = []

    def __len__(self) -> int:
        return sum(len(k) for k, _ in self.runs)

    @property
    def nbytes(self) -> int:
        return sum(k.nbytes + v.nbytes for k, v in self.runs)

    def add(self, keys: np.ndarray, values: np.ndarray) -> None:
        if not len(keys):
            return
        order = np.argsort(keys, kind="stable")
        self.runs.append((keys[order].astype(self.key_dtype), values[order].astype(np.uint32)))
        while len(self.runs) > 1 and len(self.runs[-2][0]) <= 2 * len(self.runs[-1][0]):
            (k1, v1), (k2, v2) = self.runs.pop(), self.runs.pop()
            keys, values = np.concatenate([k2, k1]), np.concatenate([v2, v1])
            order = np.argsort(keys, kind="stable")  # timsort: a linear merge of two sorted runs
            self.runs.append((keys[order], values[order]))

    def compact(self) -> None:
        if len(self.runs) > 1:
            keys = np.concatenate([k for k, _ in self.runs])
            values = np.concatenate([v for _, v in self.runs])
            order = np.argsort(keys, kind="stable")
            self.runs = [(keys[order], values[order])]

    def lookup(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Every (position in `keys`, value) whose key matches."""
        keys = keys.astype(self.key_dtype)
        rows, found = [], []
        for run_keys, run_values in self.runs:
            lo = np.searchsorted(run_keys, keys, "left")
            hi = np.searchsorted(run_keys, keys, "right")
            n = hi - lo
            hit = np.flatnonzero(n)
            if not len(hit):
                continue
            counts = n[hit]
            rows.append(np.repeat(hit, counts))
            first = np.repeat(lo[hit] - np.cumsum(counts) + counts, counts)
            found.append(run_values[first + np.arange(int(counts.sum()))])
        if not rows:
            return np.zeros(0, np.int64), np.zeros(0, np.uint32)
        return np.concatenate(rows), np.concatenate(found)


class MinHashIndex:
    """Clusters of near-duplicate paragraphs, found with banded LSH and verified on shingle fingerprints."""

    def __init__(self, num_perm: int = 128, bands: int = 8, rows: int = 4, threshold: float = 0.8,
                 seed: int = SEED):
        if bands * rows > num_perm:
            raise ValueError("num_perm must be at least bands * rows")
        self.num_perm, self.bands, self.rows, self.threshold, self.seed = num_perm, bands, rows, threshold, seed
        self.band_index = SortedRuns(np.uint32)
        self.exact_index = SortedRuns(np.uint64)
        self.fingerprints, self.fingerprint_ends = bytearray(), array("I")  # packed 12-bit, 3 bytes a pair
        self.owner_doc, self.owner_par, self.owner_len = array("I"), array("I"), array("I")
        self.docs = array("I")
        self.flags = bytearray()
        self.names, self.name_ends = bytearray(), array("Q")

    # -- what the index holds -------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.flags)

    @property
    def nbytes(self) -> int:
        """Bytes held (allocated, not just used) by the index's arrays."""
        columns = (self.owner_doc, self.owner_par, self.owner_len, self.docs, self.name_ends, self.fingerprint_ends)
        return (self.band_index.nbytes + self.exact_index.nbytes + self.fingerprints.__sizeof__()
                + self.flags.__sizeof__() + self.names.__sizeof__() + sum(c.__sizeof__() for c in columns))

    def add_document(self, doc_id: str) -> int:
        self.names += doc_id.encode("utf-8")
        self.name_ends.append(len(self.names))
        return len(self.name_ends) - 1

    def document_name(self, number: int) -> str:
        start = self.name_ends[number - 1] if number else 0
        return self.names[start: self.name_ends[number]].decode("utf-8")

    def owner(self, cluster: int) -> str:
        return f"{self.document_name(self.owner_doc[cluster])} ¶{self.owner_par[cluster]}"

    # -- signatures to keys ---------------------------------------------------------------
    def band_keys(self, sigs: np.ndarray) -> np.ndarray:
        """One 32-bit key per band (band number mixed in), shape (paragraphs, bands)."""
        v = sigs[:, : self.bands * self.rows].reshape(len(sigs), self.bands, self.rows).astype(np.uint64)
        h = np.broadcast_to(np.arange(self.bands, dtype=np.uint64) * _C2, v.shape[:2]).copy()
        with np.errstate(over="ignore"):
            for r in range(self.rows):
                h ^= v[:, :, r]
                h *= _C1
        h ^= h >> np.uint64(29)
        return (h >> np.uint64(32)).astype(np.uint32)

    def _stored(self, cluster: int) -> np.ndarray:
        start = self.fingerprint_ends[cluster - 1] if cluster else 0
        packed = np.frombuffer(self.fingerprints, np.uint8, self.fingerprint_ends[cluster] - start, start)
        return unpack12(packed)

    def similarity(self, fingerprints: np.ndarray, cluster: int) -> float:
        """Jaccard of a fingerprint set with a cluster's (exact but for 12-bit collisions)."""
        return fingerprint_jaccard(fingerprints, self._stored(cluster))

    # -- queries and inserts --------------------------------------------------------------
    def query(self, sigs: np.ndarray, fingerprints: list[np.ndarray], all_matches: bool = False):
        """For each signature, the verified cluster most similar to it (J >= threshold).

        Returns (clusters, similarities): cluster -1 where there is none; ties go to the
        earliest cluster. With `all_matches`, returns every verified (row, cluster, J) instead.
        """
        if not len(sigs):
            empty = np.zeros(0, np.int64)
            return (empty, empty, np.zeros(0)) if all_matches else (empty, np.zeros(0))
        keys = self.band_keys(sigs)
        pos, cand = self.band_index.lookup(keys.ravel())
        pairs = np.unique((pos // self.bands).astype(np.int64) << 32 | cand.astype(np.int64))
        row, cand = pairs >> 32, pairs & 0xFFFFFFFF
        sim = np.array([self.similarity(fingerprints[r], c) for r, c in zip(row.tolist(), cand.tolist(), strict=True)])
        ok = sim >= self.threshold - 1e-9 if len(sim) else np.zeros(0, bool)
        row, cand, sim = row[ok], cand[ok], sim[ok]
        if all_matches:
            return row, cand, sim
        best = np.full(len(sigs), -1, np.int64)
        best_sim = np.zeros(len(sigs))
        order = np.lexsort((cand, -sim, row))  # per row: highest J, then earliest cluster
        first = np.ones(len(order), bool)
        first[1:] = row[order][1:] != row[order][:-1]
        chosen = order[first]
        best[row[chosen]] = cand[chosen]
        best_sim[row[chosen]] = sim[chosen]
        return best, best_sim

    def _new_clusters(self, n: int, doc: int, paragraphs, lengths) -> np.ndarray:
        first = len(self)
        self.owner_doc.extend([doc] * n)
        self.owner_par.extend(int(p) for p in paragraphs)
        self.owner_len.extend(int(x) for x in lengths)
        self.docs.extend([1] * n)
        self.flags.extend(bytes(n))
        return np.arange(first, first + n, dtype=np.int64)

    def add(self, sigs: np.ndarray, fingerprints: list[np.ndarray], doc: int, paragraphs, lengths) -> np.ndarray:
        """New clusters for these signatures (of one document); returns their numbers."""
        clusters = self._new_clusters(len(sigs), doc, paragraphs, lengths)
        if fingerprints:  # packed all at once: each set padded to an even count, as pack12 pads it
            sizes = np.fromiter(map(len, fingerprints), np.int64, len(fingerprints))
            values = np.concatenate(fingerprints)
            repeats = np.ones(len(values), np.int64)
            repeats[(np.cumsum(sizes) - 1)[sizes % 2 == 1]] = 2
            ends = len(self.fingerprints) + np.cumsum((sizes + 1) // 2 * 3)
            self.fingerprints += pack12(np.repeat(values, repeats)).tobytes()
            self.fingerprint_ends.extend(ends.tolist())
        self.band_index.add(self.band_keys(sigs).ravel(), np.repeat(clusters, self.bands))
        return clusters

    @staticmethod
    def exact_key(scope: str, text_key: bytes) -> int:
        return int.from_bytes(hashlib.blake2b(scope.encode() + b"\0" + text_key, digest_size=8).digest(), "little")

    def find_exact(self, keys: list[int]) -> np.ndarray:
        out = np.full(len(keys), -1, np.int64)
        if keys:
            pos, found = self.exact_index.lookup(np.array(keys, np.uint64))
            for p, c in zip(pos[::-1].tolist(), found[::-1].tolist(), strict=True):
                out[p] = c if out[p] < 0 else min(out[p], c)
        return out

    def add_exact(self, keys: list[int], doc: int, paragraphs, lengths) -> np.ndarray:
        clusters = self._new_clusters(len(keys), doc, paragraphs, lengths)
        self.fingerprint_ends.extend([len(self.fingerprints)] * len(keys))
        self.exact_index.add(np.array(keys, np.uint64), clusters)
        return clusters

    def join(self, cluster: int, doc: int, paragraph: int, length: int, keep_longest: bool,
             count: bool = True) -> None:
        """A paragraph of document `doc` belongs to `cluster`: count the document, maybe own it.

        `count` only for the document's first paragraph in the cluster, and not for a document
        an earlier run already counted (cleaned again)."""
        if count:
            self.docs[cluster] = min(self.docs[cluster] + 1, 0xFFFFFFFF)
        if keep_longest and not self.flags[cluster] & WRITTEN and length > self.owner_len[cluster]:
            self.owner_doc[cluster], self.owner_par[cluster], self.owner_len[cluster] = doc, paragraph, length

    def set_owner(self, cluster: int, doc: int, paragraph: int, length: int) -> None:
        self.owner_doc[cluster], self.owner_par[cluster], self.owner_len[cluster] = doc, paragraph, length

    # -- persistence ----------------------------------------------------------------------
    def save(self, path: Path) -> None:
        """Write the index atomically: a crash leaves the previous file whole.

        The same index gives the same bytes: np.savez would stamp every member with the time
        of day, so the .npz is written here with a fixed date, and the EARLIER flag (which
        `load` sets on every cluster anyway) is not saved.
        """
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.band_index.compact()
        self.exact_index.compact()
        arrays = {
            "params": np.array([FORMAT, self.num_perm, self.bands, self.rows, self.seed], np.int64),
            "threshold": np.array([self.threshold]),
            "scheme": np.frombuffer(SCHEME.encode(), np.uint8),
            "fingerprints": np.frombuffer(self.fingerprints, np.uint8).copy(),
            "fingerprint_ends": np.array(self.fingerprint_ends, np.uint32),
            "owner_doc": np.array(self.owner_doc, np.uint32), "owner_par": np.array(self.owner_par, np.uint32),
            "owner_len": np.array(self.owner_len, np.uint32), "docs": np.array(self.docs, np.uint32),
            "flags": np.frombuffer(self.flags, np.uint8) & np.uint8(~EARLIER & 0xFF),
            "names": np.frombuffer(self.names, np.uint8).copy(), "name_ends": np.array(self.name_ends, np.uint64),
        }
        for name, runs in (("band", self.band_index), ("exact", self.exact_index)):
            keys, values = runs.runs[0] if runs.runs else (np.zeros(0, runs.key_dtype), np.zeros(0, np.uint32))
            arrays[f"{name}_keys"], arrays[f"{name}_values"] = keys, values
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.fchmod(fd, file_mode())  # mkstemp's 0600 would hide the index from the corpus's other readers
        try:
            with os.fdopen(fd, "wb") as handle:
                with zipfile.ZipFile(handle, "w", zipfile.ZIP_STORED) as archive:
                    for name, value in arrays.items():
                        member = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
                        with archive.open(member, "w", force_zip64=True) as out:
                            np.lib.format.write_array(out, np.ascontiguousarray(value), allow_pickle=False)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    @classmethod
    def load(cls, path: Path, num_perm: int = 128, threshold: float | None = None, bands: int = 8,
             rows: int = 4) -> MinHashIndex:
        """Read a saved index; every cluster in it counts as coming from an earlier run. Its
        parameters must be the run's: the signatures the run computes are banded as it bands them."""
        with np.load(Path(path)) as data:
            fmt, saved_perm, saved_bands, saved_rows, seed = (int(x) for x in data["params"])
            if (fmt != FORMAT or (saved_perm, saved_bands, saved_rows) != (num_perm, bands, rows)
                    or bytes(data["scheme"]).decode() != SCHEME):
                raise ValueError(f"{path}: index was built with other MinHash parameters (format {fmt}, "
                                 f"num_perm {saved_perm}, {saved_bands} bands x {saved_rows} rows); rebuild it")
            index = cls(num_perm, bands, rows, float(data["threshold"][0]) if threshold is None else threshold, seed)
            index.fingerprints = bytearray(data["fingerprints"].tobytes())
            index.fingerprint_ends = array("I", data["fingerprint_ends"].tobytes())
            index.owner_doc, index.owner_par = array("I", data["owner_doc"].tobytes()), array("I", data["owner_par"].tobytes())
            index.owner_len, index.docs = array("I", data["owner_len"].tobytes()), array("I", data["docs"].tobytes())
            index.flags = bytearray((data["flags"] | np.uint8(EARLIER)).tobytes())
            index.names, index.name_ends = bytearray(data["names"].tobytes()), array("Q", data["name_ends"].tobytes())
            for name, runs in (("band", index.band_index), ("exact", index.exact_index)):
                if len(data[f"{name}_keys"]):
                    runs.runs = [(data[f"{name}_keys"], data[f"{name}_values"])]
        return index
