"""Duplicate paragraphs: inside a document (exact Jaccard), across the corpus (MinHash LSH)."""

from __future__ import annotations

from datasketch import MinHashLSH

from ..document import Document
from ..shingles import jaccard, shingles, signature
from ..textstats import normalize, words
from .base import CorpusStep, Step


class DuplicateParagraphsInDocument(Step):
    """A paragraph that repeats an earlier kept one of the same document (J >= threshold)."""

    name = "dedup"

    def __init__(self, threshold: float = 0.8, shingle_words: int = 5):
        self.threshold, self.size = threshold, shingle_words

    def apply(self, doc: Document) -> None:
        exact: dict[str, int] = {}
        earlier: list[tuple[int, set[bytes]]] = []
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
            grams = shingles(p.text, self.size)
            if len(key.split()) <= self.size:
                continue  # short: exact repeats only
            best = max(((jaccard(grams, g), j) for j, g in earlier
                        if min(len(g), len(grams)) >= self.threshold * max(len(g), len(grams))),
                       default=(0.0, -1))
            if best[0] >= self.threshold:
                self.mark(doc, p, "near-duplicate paragraph in the document", "dedup-doc",
                          f"near-duplicate of ¶{best[1]}, J={best[0]:.2f}",
                          duplicate_of=best[1], similarity=round(best[0], 3))
            else:
                earlier.append((i, grams))


class NearDuplicateParagraphs(CorpusStep):
    """A paragraph that near-duplicates one kept earlier in the corpus (first in input order wins).

    Paragraphs of fewer than `min_words` words are not judged: word-5-gram MinHash cannot tell
    a repeated heading from a repeated sentence; repeated short lines are RepeatedLines' job.
    """

    name = "dedup"

    def __init__(self, threshold: float = 0.8, num_perm: int = 128, shingle_words: int = 5,
                 min_words: int = 8):
        self.threshold, self.num_perm, self.size, self.min_words = threshold, num_perm, shingle_words, min_words
        self.lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self.signatures: dict[str, object] = {}
        self.owner: dict[str, str] = {}

    def apply(self, doc: Document) -> None:
        if doc.removed is not None:
            return
        for i, p in enumerate(doc.paragraphs):
            if p.removed is not None or len(words(p.text)) < self.min_words:
                continue
            sig = signature(shingles(p.text, self.size), self.num_perm)
            verified = [(sig.jaccard(self.signatures[key]), -int(key), key) for key in self.lsh.query(sig)]
            best = max((v for v in verified if v[0] >= self.threshold), default=None)
            if best is not None:
                score, _, key = best
                self.mark(doc, p, "near-duplicate of a paragraph earlier in the corpus", "dedup-corpus",
                          f"near-duplicate of {self.owner[key]}, J={score:.2f}",
                          duplicate_of=self.owner[key], similarity=round(score, 3))
                continue
            key = f"{len(self.signatures)}"
            self.lsh.insert(key, sig)
            self.signatures[key] = sig
            self.owner[key] = f"{doc.id} ¶{i}"

