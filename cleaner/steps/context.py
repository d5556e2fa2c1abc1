"""Context: a short line between two removed lines is boilerplate too."""

from __future__ import annotations

from ..document import Document
from ..textstats import words
from .base import Step


class SandwichedLines(Step):
    """A run of short paragraphs whose neighbours on both sides were removed goes with them.

    Menus, link lists and sign-up blocks leave short survivors ("More", "assetto corsa mods")
    that no rule names; their surroundings say what they are. The start or end of the page
    counts as a removed neighbour only for very short lines (`edge_words`).
    """

    name = "context"

    def __init__(self, max_words: int = 6, max_run: int = 3, edge_words: int = 3):
        self.max_words, self.max_run, self.edge_words = max_words, max_run, edge_words

    def apply(self, doc: Document) -> None:
        paragraphs = doc.paragraphs
        short = [p.removed is None and len(words(p.text)) <= self.max_words for p in paragraphs]
        i = 0
        while i < len(paragraphs):
            if not short[i]:
                i += 1
                continue
            j = i
            while j < len(paragraphs) and short[j]:
                j += 1
            self._judge_run(doc, i, j)
            i = j

    def _judge_run(self, doc: Document, start: int, stop: int) -> None:
        paragraphs = doc.paragraphs
        if stop - start > self.max_run:
            return
        before = paragraphs[start - 1].removed if start > 0 else None
        after = paragraphs[stop].removed if stop < len(paragraphs) else None
        at_edge = start == 0 or stop == len(paragraphs)
        if at_edge:
            inner = before or after
            very_short = all(len(words(p.text)) <= self.edge_words for p in paragraphs[start:stop])
            if inner is None or not very_short or (start == 0 and stop == len(paragraphs)):
                return
        elif before is None or after is None:
            return
        for p in paragraphs[start:stop]:
            self.mark(doc, p, "short line between removed lines", "sandwiched",
                      before=before.rule if before else "start of page",
                      after=after.rule if after else "end of page")
