"""Corpus statistics: a line repeated on many pages of one site is boilerplate on all of them."""

from __future__ import annotations

import hashlib
from collections import Counter

from ..document import Document
from ..textstats import normalize
from .base import CorpusStep


def line_key(site: str, text: str) -> bytes:
    return hashlib.blake2b(f"{site}\x00{normalize(text)}".encode(), digest_size=8).digest()


class RepeatedLines(CorpusStep):
    """Counts, per site, the documents each normalised line occurs in (cc_net's idea).

    In a corpus run every document is observed before any is changed, so the first copy goes
    too; in a stream, a line goes from the document in which its count reaches `min_docs`.
    """

    name = "repeated"

    def __init__(self, min_docs: int = 4):
        self.min_docs = min_docs
        self.counts: Counter[bytes] = Counter()

    def observe(self, doc: Document) -> None:
        keys = {line_key(doc.site, p.text) for p in doc.paragraphs if normalize(p.text)}
        self.counts.update(keys)

    def apply(self, doc: Document) -> None:
        for p in doc.paragraphs:
            if p.removed is None and normalize(p.text):
                seen = self.counts[line_key(doc.site, p.text)]
                if seen >= self.min_docs:
                    self.mark(doc, p, f"line repeated on {seen} pages of the site", "repeated-line",
                              site=doc.site or "(input folder)", documents=seen)
