"""Duplicate paragraphs: inside a document (exact Jaccard), across the corpus (MinHash LSH)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..document import Document
from ..minhash_index import BOILERPLATE, EARLIER, WRITTEN, MinHashIndex
from ..shingles import jaccard, shingles, signatures_and_fingerprints, tokens
from ..textstats import normalize
from .base import CorpusStep, Step

INDEX_NAME = "cleaner-dedup-index.npz"


class DuplicateParagraphsInDocument(Step):
    """A paragraph that repeats an earlier kept one of the same document (J >= threshold)."""

    name = "dedup"

    def __init__(self, threshold: float = 0.8, shingle_words: int = 5):
        self.threshold, self.size = threshold, shingle_words

    def apply(self, doc: Document) -> None:
        exact: dict[str, int] = {}
        earlier: list[tuple[int, set[bytes]]] = []
        first: dict[bytes, int] = {}  # shingle -> the position in `earlier` of the first paragraph with it
        more: dict[bytes, list[int]] = {}  # shingle -> the positions of the others with it (rare)
        for i, p in enumerate(doc.paragraphs):
            if p.removed is not None:
                continue
            key = normalize(p.text)
            if not key:
                continue
            if key in exact:
                self.mark(doc, p, "duplicate paragraph in the document", "dedup-doc",
                          f"duplicate of ¶{exact[key]}, J=1.00", duplicate_of=exact[key], similarity=1.0)
                continue
            exact[key] = i
            if key.count(" ") < self.size:  # words of the normalised text, single spaces between them
                continue  # short: exact repeats only
            grams = shingles(p.text, self.size)
            common = grams & first.keys()
            best = self._most_similar(grams, earlier, common, first, more)
            if best[0] >= self.threshold:
                self.mark(doc, p, "near-duplicate paragraph in the document", "dedup-doc",
                          f"near-duplicate of ¶{best[1]}, J={best[0]:.2f}",
                          duplicate_of=best[1], similarity=round(best[0], 3))
            else:
                k = len(earlier)
                for gram in common:
                    more.setdefault(gram, []).append(k)
                first.update(dict.fromkeys(grams - common, k))
                earlier.append((i, grams))

    def _most_similar(self, grams: set[bytes], earlier: list[tuple[int, set[bytes]]], common: set[bytes],
                      first: dict[bytes, int], more: dict[bytes, list[int]]) -> tuple[float, int]:
        """The highest (J, ¶) among earlier paragraphs of similar size, when it can reach the threshold.

        Only paragraphs sharing a shingle (`common`, those of `grams` that earlier ones have) can
        have J > 0, so only they are compared, found through `first` and `more`, instead of every
        earlier paragraph (quadratic in long pages).
        """
        if self.threshold <= 0:  # then J = 0 is enough, and every earlier paragraph counts
            return max(((jaccard(grams, g), j) for j, g in earlier
                        if min(len(g), len(grams)) >= self.threshold * max(len(g), len(grams))), default=(0.0, -1))
        if not common:
            return 0.0, -1
        holders = {first[gram] for gram in common}
        for gram in common:
            holders.update(more.get(gram, ()))
        n, best = len(grams), (0.0, -1)
        for k in holders:
            j, other = earlier[k]
            m = len(other)
            if min(m, n) >= self.threshold * max(m, n):
                shared = len(grams & other)
                best = max(best, (shared / (n + m - shared), j))  # = jaccard(grams, other)
        return best


class MinHashSignatures(Step):
    """Computes the MinHash signature of every paragraph long enough to be judged by one: its
    first bands x rows values (of datasketch's num_perm-permutation scheme), all the index reads.

    A per-document step, so that signatures are computed in the worker processes; it marks
    nothing. NearDuplicateParagraphs reads the signature from `features["minhash"]`.
    """

    name = "minhash"

    def __init__(self, num_perm: int = 128, shingle_words: int = 5, min_words: int = 8, bands: int = 8, rows: int = 4):
        self.num_perm, self.size, self.min_words = num_perm, shingle_words, min_words
        self.prefix = bands * rows  # the values banded LSH reads: computing all num_perm took 4 times the work

    def apply(self, doc: Document) -> None:
        todo = [(p, toks) for p in doc.paragraphs if p.removed is None
                and len(toks := tokens(p.text)) >= self.min_words and "minhash" not in p.features]
        if todo:
            sigs, fps = signatures_and_fingerprints([t for _, t in todo], self.num_perm, self.size, prefix=self.prefix)
            for (p, _), sig, fp in zip(todo, sigs, fps, strict=True):
                p.features["minhash"] = (sig.tobytes(), fp.tobytes())


class Candidates:
    """Where `observe` gets, for a document's long paragraphs, the most similar earlier cluster."""

    def query(self, index: MinHashIndex, sigs: np.ndarray, fps: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        raise NotImplementedError  # pragma: no cover - interface

    def added(self, sigs: np.ndarray, fps: list[np.ndarray], clusters: np.ndarray) -> None:
        """These paragraphs started new clusters."""


class IndexCandidates(Candidates):
    """The index's own LSH lookup, verified on fingerprints (the local engine)."""

    def query(self, index, sigs, fps):
        return index.query(sigs, fps)


class NearDuplicateParagraphs(CorpusStep):
    """Paragraphs that near-duplicate others elsewhere in the corpus (or in an earlier run).

    observe: every paragraph joins the cluster of the most similar indexed paragraph
    (LSH candidates verified on shingle fingerprints, J >= threshold) or starts a new one.
    apply: one copy per cluster is kept - the first in input order that reaches this step,
    or with keep="longest" the longest - and the others are marked. A cluster found in
    `boilerplate_docs` documents or more is repeated boilerplate: every copy is marked.

    Why 20 documents by default: near-duplicate removal already leaves one copy of anything, so
    the threshold only decides whether that last copy goes too. On the devset (1,337 pages from
    1,166 sites) every cluster across sites in 5 or more documents is boilerplate - consent and
    cookie notices, comment forms, share buttons - and the largest spans 18 documents ("Do Not
    Sell or Share my Personal Information"); clusters within one site are RepeatedLines' (it
    removes 5,796 of their 5,812 copies). 20 removes none of them there, at the cost of one
    surviving copy each; a lower threshold would, in a large corpus, also take every copy of
    text that is legitimately repeated - wire stories, press releases, licences, quotations.
    `benchmarks/dedup.py --devset PATH` prints the counts.

    Paragraphs of fewer than `min_words` words cannot be judged by word-5-gram MinHash:
    those of at least `short_min_words` words are removed only when an earlier copy on the
    same site has the same normalised text; shorter ones (headings such as "Introduction",
    labels) are never removed here - lines repeated on many pages of a site are RepeatedLines'.

    In a corpus run `observe` writes the cluster into `features["dedup"]` before the document
    is spooled, so `apply` needs no per-paragraph state of its own. A document that an earlier
    run already indexed (in a corpus run, same id: the same input file cleaned again into the
    same output) keeps its document number and does not count as its own duplicate: clusters
    whose kept copy it held are decided again as in a fresh run (first in input order, or the
    longest from that copy on), so cleaning the same input again writes the same outputs and
    the same index file, byte for byte.
    """

    name = "dedup"
    reads = ("minhash",)

    def __init__(self, threshold: float = 0.8, num_perm: int = 128, shingle_words: int = 5,
                 min_words: int = 8, keep: str = "first", boilerplate_docs: int = 20,
                 index_path: Path | None = None, short_min_words: int = 3, bands: int = 8, rows: int = 4):
        if keep not in ("first", "longest"):
            raise ValueError(f"keep must be 'first' or 'longest', not {keep!r}")
        self.threshold, self.num_perm, self.size, self.min_words = threshold, num_perm, shingle_words, min_words
        self.keep, self.boilerplate_docs, self.short_min_words = keep, boilerplate_docs, short_min_words
        self.index_path = Path(index_path) if index_path else None
        self.index = MinHashIndex(num_perm, bands, rows, threshold)
        self.earlier_docs: dict[str, int] = {}  # documents of earlier runs, by id
        self.reprocessed: set[int] = set()  # ... that this run cleans again
        self.same_ids_same_documents = False  # true in corpus runs (ids are input paths), not in streams
        self.ready = False  # the saved index is read on first use, not in every worker that builds the chain
        self.candidates: Candidates = IndexCandidates()  # the Dask engine finds them with a shuffle instead

    # -- saved index ----------------------------------------------------------------------
    def load(self, path: Path) -> None:
        self.index = MinHashIndex.load(path, self.num_perm, self.threshold, self.index.bands, self.index.rows)
        self.earlier_docs = {self.index.document_name(n): n for n in range(len(self.index.name_ends))}
        self.reprocessed = set()
        self.ready = True

    def _ready(self) -> None:
        if not self.ready:
            self.ready = True
            if self.index_path and self.index_path.exists():
                self.load(self.index_path)

    def state_path(self) -> Path | None:
        return self.index_path

    def load_state(self, path: Path | None) -> None:
        self.ready = True
        if path is not None:
            self.load(path)
        self.same_ids_same_documents = True

    def save_state(self) -> None:
        if self.index_path:
            self.index.save(self.index_path)

    # -- the two phases -------------------------------------------------------------------
    def judged(self, doc: Document, keep_signatures: bool = False) -> tuple[list, list]:
        """The paragraphs `observe` judges: (i, paragraph, (signature, fingerprints)) for long ones,
        (i, paragraph, exact key) for short ones. Signatures computed by MinHashSignatures are
        taken out of the paragraph's features (they are not needed again) unless `keep_signatures`."""
        longs, shorts = [], []
        banded = self.index.bands * self.index.rows
        for i, p in enumerate(doc.paragraphs):
            if p.removed is not None:
                continue
            computed = p.features.get("minhash") if keep_signatures else p.features.pop("minhash", None)
            if computed is not None and len(computed[0]) >= 4 * banded:  # made for as many bands (uint32s)
                longs.append((i, p, (np.frombuffer(computed[0], np.uint32), np.frombuffer(computed[1], np.uint16))))
                continue
            toks = tokens(p.text)
            if len(toks) >= self.min_words:
                sigs, fps = signatures_and_fingerprints([toks], self.num_perm, self.size, prefix=banded)
                longs.append((i, p, (sigs[0], fps[0])))
            elif len(toks) >= self.short_min_words:
                shorts.append((i, p, self.index.exact_key(doc.site, b" ".join(toks))))
        return longs, shorts

    def observe(self, doc: Document) -> None:
        self._ready()
        index = self.index
        longs, shorts = self.judged(doc)
        counted = self.same_ids_same_documents and doc.id in self.earlier_docs
        if counted:
            self.reprocessed.add(self.earlier_docs[doc.id])
        if not longs and not shorts:
            return
        # a document cleaned again keeps its number: the index of a re-run is the same, byte for byte
        number = self.earlier_docs[doc.id] if counted else index.add_document(doc.id)
        if longs:
            sigs = np.stack([s for _, _, (s, _) in longs])
            fps = [f for _, _, (_, f) in longs]
            found, sims = self.candidates.query(index, sigs, fps)
            new = np.flatnonzero(found < 0)
            found[new] = index.add(sigs[new], [fps[k] for k in new], number, [longs[k][0] for k in new],
                                   [len(longs[k][1].text) for k in new])
            self.candidates.added(sigs[new], [fps[k] for k in new], found[new])
            sims[new] = 1.0
            self._join(longs, found, sims, number, short=False, count=not counted, fresh=found[new])
        if shorts:
            keys = [k for _, _, k in shorts]
            found = index.find_exact(keys)
            new = np.flatnonzero(found < 0)
            found[new] = index.add_exact([keys[k] for k in new], number, [shorts[k][0] for k in new],
                                         [len(shorts[k][1].text) for k in new])
            self._join(shorts, found, np.ones(len(shorts)), number, short=True, count=not counted, fresh=found[new])

    def _join(self, items, clusters, sims, number: int, short: bool, count: bool, fresh: np.ndarray) -> None:
        """Join one document's paragraphs to their clusters; a cluster counts the document once."""
        index, longest = self.index, self.keep == "longest"
        seen = set(fresh.tolist())  # new clusters start with this document counted
        for (i, p, _), cluster, sim in zip(items, clusters.tolist(), sims.tolist(), strict=True):
            if not count and index.flags[cluster] & EARLIER and (index.owner_doc[cluster], index.owner_par[cluster]) == (number, i):
                # the very copy an earlier run kept, cleaned again: the cluster is decided afresh, and
                # with keep="longest" the copies after this one compete with it as in the first run
                index.flags[cluster] &= ~(WRITTEN | EARLIER)
            index.join(cluster, number, i, len(p.text), longest, count and cluster not in seen)
            seen.add(cluster)
            p.features["dedup"] = (cluster, number, round(sim, 3), short)

    def apply(self, doc: Document) -> None:
        index = self.index
        for i, p in enumerate(doc.paragraphs):
            seen = p.features.get("dedup")
            if p.removed is not None or seen is None:
                continue
            cluster, number, sim, short = seen
            flags = index.flags[cluster]
            documents = index.docs[cluster]
            if self.boilerplate_docs and documents >= self.boilerplate_docs:
                index.flags[cluster] |= BOILERPLATE
                self.mark(doc, p, f"paragraph repeated in {documents} documents", "dedup-boilerplate",
                          f"near-duplicates in {documents} documents", documents=documents)
                continue
            reclaimed = bool(flags & EARLIER) and index.owner_doc[cluster] in self.reprocessed
            if reclaimed:  # its kept copy was in a document this run cleans again: decide afresh
                flags = index.flags[cluster] = flags & ~(WRITTEN | EARLIER)
            mine = index.owner_doc[cluster] == number and index.owner_par[cluster] == i
            if (self.keep == "first" or reclaimed) and not flags & WRITTEN:
                index.set_owner(cluster, number, i, len(p.text))
                mine = True
            if mine and not flags & WRITTEN:
                index.flags[cluster] |= WRITTEN
                continue
            where = "an earlier run" if flags & EARLIER else "the corpus"
            if short:
                self.mark(doc, p, f"short paragraph repeating one of the same site kept in {where}", "dedup-short",
                          f"same normalised text as {index.owner(cluster)}", duplicate_of=index.owner(cluster))
            else:
                self.mark(doc, p, f"near-duplicate of a paragraph kept in {where}", "dedup-corpus",
                          f"near-duplicate of {index.owner(cluster)}, J={sim:.2f}",
                          duplicate_of=index.owner(cluster), similarity=sim)
