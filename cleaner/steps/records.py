"""A page whose main content is a grid of records: a shop's products, each a name and a price.

Line by line, a product grid looks like a menu: short names, lone numbers ("$99+", "29,99 €"),
labels ("New", "Save $10"). The rules remove the prices as stray numbers, the context step the
names between them, the classifier what is left, and a shop's category page comes out nearly
empty. What gives the grid away is its structure: a price comes back every few paragraphs, the
same way, many times. A menu has no such beat.

After the classifier, a run of at least `min_records` prices (a currency sign next to a number,
in any script; a price right after a price is the same record's), each within `max_gap`
paragraphs of the last (so at least two apart: names between them), is a grid when every
paragraph in it is record-sized (at most `record_words` words: prose between the prices makes a
buyer's guide or a review, which the line steps judge well). It is the page's main content
when it holds at least `share` times the words the page keeps outside it:
then what the classifier, the context step and the lone-number rules removed in it is kept
again, each paragraph with the removal it overrode in the audit. Which rules judge by shape
is data: the rule files' `by_shape` (rules/punctuation.yaml); the chain passes their ids. A grid of related products
under a product's description or an article's text is smaller than what is kept around it
and is left alone. Nothing here is learned; it reads no word of any language.

The in-document dedup step runs after this one and still removes a kept paragraph that repeats
an earlier one: repeated "Add to cart" lines go, but so does a price equal to an earlier
record's (measured: sparing every kept paragraph from dedup cost collection pages 0.004 F1).
"""

from __future__ import annotations

import regex

from ..document import Document, Removal
from ..textstats import words
from .base import Step

PRICE = regex.compile(r"\p{Sc}\s?\d|\d\s?\p{Sc}")
LETTERS_OR_DIGITS = regex.compile(r"\w")
# the steps whose removals a grid overrides: they judge a paragraph by its shape and its neighbours
SHAPE_STEPS = ("classifier", "context")


class RecordGrid(Step):
    name = "records"

    def __init__(self, min_records: int = 4, max_gap: int = 8, price_words: int = 6, share: float = 2.5,
                 record_words: int = 40, shape_rules: frozenset[str] = frozenset(),
                 shape_steps: tuple[str, ...] = SHAPE_STEPS):
        """`shape_rules`: the ids of the rules whose removals a grid may override (those marked
        `by_shape` in the rule files); a rule that names what a paragraph is (a share button, a
        menu label) still stands."""
        self.min_records, self.max_gap, self.price_words, self.share = min_records, max_gap, price_words, share
        self.record_words, self.shape_rules, self.shape_steps = record_words, frozenset(shape_rules), shape_steps

    def apply(self, doc: Document) -> None:
        paragraphs = doc.paragraphs
        n = [len(words(p.text)) for p in paragraphs]
        grid = self.grid(doc, n)
        if grid is None:
            return
        start, end, records = grid
        inside = sum(n[start:end + 1])
        outside = sum(k for i, k in enumerate(n) if paragraphs[i].removed is None and not start <= i <= end)
        if inside < self.share * outside:
            return
        detail = f"¶{start}-{end}: {records} records, {inside} words against {outside} kept outside"
        for p in paragraphs[start:end + 1]:
            if p.removed is not None and LETTERS_OR_DIGITS.search(p.text) and self.overridable(p.removed):
                self.keep(doc, p, "in the page's grid of records (name, price, ...)", "record-grid", detail)

    def grid(self, doc: Document, n: list[int]) -> tuple[int, int, int] | None:
        """(first, last paragraph, records) of the page's largest grid of priced records, or None."""
        prices = [i for i, p in enumerate(doc.paragraphs) if n[i] <= self.price_words and PRICE.search(p.text)]
        priced = set(prices)
        records = [i for i in prices if i - 1 not in priced]  # was/now prices: one record
        best, most = None, -1
        for run in _runs(records, self.max_gap):
            if len(run) < self.min_records:
                continue
            gaps = sorted(b - a for a, b in zip(run, run[1:], strict=False))
            beat = gaps[len(gaps) // 2]  # at least 2: a price right after a price is the same record's
            start, end = max(0, run[0] - beat + 1), run[-1]
            while end + 1 in priced:
                end += 1
            if max(n[start:end + 1]) > self.record_words:  # prose between prices: an article, not records
                continue
            size = sum(n[start:end + 1])
            if size > most:
                best, most = (start, end, len(run)), size
        return best

    def overridable(self, removal: Removal) -> bool:
        return removal.step in self.shape_steps or (removal.step == "rules" and removal.rule in self.shape_rules)


def _runs(anchors: list[int], max_gap: int) -> list[list[int]]:
    """The anchors in runs, each within `max_gap` paragraphs of the one before."""
    runs: list[list[int]] = []
    for i in anchors:
        if runs and i - runs[-1][-1] <= max_gap:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs
