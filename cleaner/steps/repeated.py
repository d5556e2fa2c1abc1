"""Corpus statistics: a line repeated on many pages of one site is boilerplate on all of them."""

from __future__ import annotations

import hashlib
from collections import Counter

from ..document import Document, Paragraph
from ..textstats import normalize
from .base import CorpusStep, Step

KEY = "repeated_line_key"


def line_key(site: str, text: str) -> bytes:
    return hashlib.blake2b(f"{site}\x00{normalize(text)}".encode(), digest_size=8).digest()


def key_of(site: str, text: str) -> bytes | None:
    """The line's key, or None for a line that normalises to nothing (it is never counted)."""
    return line_key(site, text) if normalize(text) else None


class RepeatedLineKeys(Step):
    """Each paragraph's RepeatedLines key, computed per document: in a corpus run that is in the
    worker processes, instead of twice (observe, apply) in the one that runs the corpus steps.

    Marks nothing. It goes after every step that may split paragraphs.
    """

    name = "repeated"

    def apply(self, doc: Document) -> None:
        site = doc.site
        for p in doc.paragraphs:
            p.features[KEY] = key_of(site, p.text)


def _key(doc: Document, p: Paragraph) -> bytes | None:
    features = p.features
    return features[KEY] if KEY in features else key_of(doc.site, p.text)


class RepeatedLines(CorpusStep):
    """Counts, per site, the documents each normalised line occurs in (cc_net's idea).

    In a corpus run every document is observed before any is changed, so the first copy goes
    too; in a stream, a line goes from the document in which its count reaches `min_docs`.
    """

    name = "repeated"
    reads = (KEY,)

    def __init__(self, min_docs: int = 4):
        self.min_docs = min_docs
        self.counts: Counter[bytes] = Counter()

    def observe(self, doc: Document) -> None:
        keys = {key for p in doc.paragraphs if (key := _key(doc, p)) is not None}
        self.counts.update(keys)

    def apply(self, doc: Document) -> None:
        counts = self.counts
        for p in doc.paragraphs:
            if p.removed is None and (key := _key(doc, p)) is not None:
                seen = counts.get(key, 0)
                if seen >= self.min_docs:
                    self.mark(doc, p, f"line repeated on {seen} pages of the site", "repeated-line",
                              site=doc.site or "(input folder)", documents=seen)
