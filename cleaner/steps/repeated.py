"""Corpus statistics: a line repeated on many pages of one site is boilerplate on all of them."""

from __future__ import annotations

import hashlib

import numpy as np

from ..document import Document, Paragraph
from ..keycount import KeyCounter
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
        self.counts = KeyCounter()  # documents per key: a corpus's every distinct line, so kept compact

    def observe(self, doc: Document) -> None:
        keys = [key for p in doc.paragraphs if (key := _key(doc, p)) is not None]
        if keys:
            self.counts.add(_as_array(keys))

    def apply(self, doc: Document) -> None:
        judged = [(p, key) for p in doc.paragraphs if p.removed is None and (key := _key(doc, p)) is not None]
        if not judged:
            return
        seen = self.counts.get(_as_array([key for _, key in judged])).tolist()
        for (p, _), count in zip(judged, seen, strict=True):
            if count >= self.min_docs:
                self.mark(doc, p, f"line repeated on {count} pages of the site", "repeated-line",
                          site=doc.site or "(input folder)", documents=count)


def _as_array(keys: list[bytes]) -> np.ndarray:
    return np.frombuffer(b"".join(keys), dtype="<u8")
