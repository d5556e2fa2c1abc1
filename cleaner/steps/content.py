"""Content or boilerplate from each paragraph's own evidence, then from its neighbours.

The idea is jusText's, applied to text rather than to a DOM: a paragraph is first classed
from its length, its stop-word density in the document's language (sentence punctuation
where no stop list is known) and its shape (bullet, link, copyright line); then short and
uncertain paragraphs take the class of the nearest confident paragraphs around them, and a
heading takes the class of the text it heads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..document import Document, Paragraph
from ..textstats import SENTENCE_END, is_heading_like, stopword_density, words
from .base import Step

GOOD, NEARGOOD, SHORT, BAD = "good", "neargood", "short", "bad"
_BULLET = re.compile(r"^\s*(?:[*+•·▪►◦‣]|-(?!\d))\s*")
_URL = re.compile(r"https?://|www\.|\S+@\S+\.\w+", re.I)
_COPYRIGHT = re.compile(r"©|\(c\)\s*\d{4}|\bcopyright\b|all rights reserved", re.I)


@dataclass(frozen=True)
class ContentThresholds:
    length_low: int = 70
    length_high: int = 200
    stopwords_low: float = 0.30
    stopwords_high: float = 0.32
    heading_distance: int = 200
    heading_words: int = 15  # a line this short without sentence punctuation is judged by context
    # below this share of the page's characters, good paragraphs do not anchor a main region:
    # the page is a grid of short items (a shop, a listing) that our evidence cannot judge
    min_good_share: float = 0.1


class ContentClassifier(Step):
    name = "content"

    def __init__(self, thresholds: ContentThresholds = ContentThresholds(), judge_extracted: bool = False):
        self.t, self.judge_extracted = thresholds, judge_extracted

    def apply(self, doc: Document) -> None:
        if doc.meta.get("extractor") == "trafilatura" and not self.judge_extracted:
            return  # trafilatura has already chosen the main content from the DOM, better than we can
        kept = [p for p in doc.paragraphs if p.removed is None or p.removed.step != "content"]
        if not kept:
            return
        classes = [self._initial(p, doc.lang) if p.removed is None else BAD for p in kept]
        self._promote_headings(kept, classes)
        final = _resolve(classes)
        lo, hi = _main_region(kept, classes, self.t.min_good_share)
        for i in range(lo, hi + 1):
            if classes[i] != BAD or not _always_bad(kept[i]):
                final[i] = GOOD
        for i, (p, first, last) in enumerate(zip(kept, classes, final, strict=True)):
            if p.removed is None and last == BAD:
                p.features["main_region"] = lo <= i <= hi
                self.mark(doc, p, _reason(p, first), f"content-{first}", **_evidence(p, first))

    def _initial(self, p: Paragraph, lang: str) -> str:
        text = p.text
        tokens = words(text)
        density = stopword_density(tokens, lang)
        p.features.update(chars=len(text), words=len(tokens))
        if density is not None:
            p.features["stopword_density"] = round(density, 3)
        if not tokens:
            return BAD
        if len(tokens) < 30 and _COPYRIGHT.search(text):  # the count first: searching long prose costs
            p.features["copyright"] = True
            return BAD
        if len(tokens) < 10 and _BULLET.match(text) and not SENTENCE_END.search(text):
            p.features["menu_item"] = True
            return BAD
        if len(tokens) < 12 and _URL.search(text):
            p.features["link"] = True
            return BAD
        if len(text) < self.t.length_low or is_heading_like(text, self.t.heading_words):
            return SHORT
        if density is None:
            sentence = SENTENCE_END.search(text.rstrip()) is not None
            if sentence and len(text) >= self.t.length_high:
                return GOOD
            return NEARGOOD if sentence else BAD
        if density >= self.t.stopwords_high and len(text) >= self.t.length_high:
            return GOOD
        if density >= self.t.stopwords_low:
            return NEARGOOD
        return BAD

    def _promote_headings(self, kept: list[Paragraph], classes: list[str]) -> None:
        """A short heading followed closely by good text is treated as near-good."""
        for i, p in enumerate(kept):
            if classes[i] != SHORT or not is_heading_like(p.text, self.t.heading_words) or _BULLET.match(p.text):
                continue
            distance = 0
            for q, c in zip(kept[i + 1:], classes[i + 1:], strict=False):
                if c == GOOD:
                    classes[i] = NEARGOOD
                    p.features["heading"] = True
                    break
                if c == SHORT and is_heading_like(q.text, self.t.heading_words):
                    break  # the nearer heading is the one that heads the text; this is a menu or a kicker
                distance += len(q.text)
                if distance > self.t.heading_distance:
                    break


def _main_region(kept: list[Paragraph], classes: list[str], min_good_share: float) -> tuple[int, int]:
    """From the first to the last confident paragraph: the page's main text and what lies inside it.

    Lists, prices, captions and short lines between two good paragraphs belong to the main
    text far more often than not; navigation and footers sit outside it. A page whose good
    paragraphs hold less than `min_good_share` of its characters (or that has none) is all
    one region, left to the other steps.
    """
    found = [i for i, c in enumerate(classes) if c == GOOD]
    good_chars = sum(len(kept[i].text) for i in found)
    if found and good_chars >= min_good_share * sum(len(p.text) for p in kept):
        return found[0], found[-1]
    return 0, len(classes) - 1


def _always_bad(p: Paragraph) -> bool:
    """Bare links and copyright lines are boilerplate even inside the main text."""
    return bool(p.features.get("link") or p.features.get("copyright"))


def _resolve(classes: list[str]) -> list[str]:
    """jusText's context revision: short, then near-good paragraphs take their neighbours' class."""
    out = list(classes)

    def neighbour(i: int, step: int, skip: set[str]) -> str:
        j = i + step
        while 0 <= j < len(out):
            if out[j] not in skip:
                return out[j]
            j += step
        return BAD

    resolved_short = list(out)
    for i, c in enumerate(out):
        if c != SHORT:
            continue
        prev, nxt = neighbour(i, -1, {SHORT, NEARGOOD}), neighbour(i, 1, {SHORT, NEARGOOD})
        if prev == GOOD and nxt == GOOD:
            resolved_short[i] = GOOD
        elif prev == BAD and nxt == BAD:
            resolved_short[i] = BAD
        elif (prev == BAD and neighbour(i, -1, {SHORT}) == NEARGOOD) or (
            nxt == BAD and neighbour(i, 1, {SHORT}) == NEARGOOD
        ):
            resolved_short[i] = GOOD
        else:
            resolved_short[i] = BAD
    out = resolved_short
    for i, c in enumerate(out):
        if c != NEARGOOD:
            continue
        prev, nxt = neighbour(i, -1, {NEARGOOD}), neighbour(i, 1, {NEARGOOD})
        out[i] = BAD if prev == BAD and nxt == BAD else GOOD
    return out


def _reason(p: Paragraph, first: str) -> str:
    f = p.features
    if f.get("copyright"):
        return "copyright line"
    if f.get("menu_item"):
        return "menu item (short bullet)"
    if f.get("link"):
        return "bare link"
    if first == SHORT:
        return "short line outside the main text"
    if first == NEARGOOD:
        return "uncertain paragraph surrounded by boilerplate"
    if "stopword_density" in f:
        return "not prose (few stop words)"
    return "not prose (no sentence)"


def _evidence(p: Paragraph, first: str) -> dict:
    keys = ("chars", "words", "stopword_density", "heading", "main_region")
    return {"class": first, **{k: p.features[k] for k in keys if k in p.features}}
