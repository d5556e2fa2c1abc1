"""Boilerplate by rule: the patterns are data in rules/, this step only applies them."""

from __future__ import annotations

from ..document import Document, Paragraph
from ..rules import Rule
from ..ruleset import RuleSet
from ..textstats import collapse_space, is_heading_like, is_prose
from ..timelimit import TimeLimitExceeded, alarm_available, time_limit
from .base import Step


class BoilerplateRules(Step):
    name = "rules"

    def __init__(self, rules: list[Rule], timeout: float | None = None):
        self.rules, self.timeout = RuleSet(rules), timeout

    def apply(self, doc: Document) -> None:
        """Every match has `timeout` seconds. A time limit per match costs two reads of the CPU
        clock (system calls): several times the match itself. So the whole document's matching
        first gets one alarm of `timeout` seconds; in the rare document where it goes off, the
        step starts again with a limit per match, which finds the runaway rule."""
        if self.timeout and alarm_available():
            paragraphs, marks = list(doc.paragraphs), [p.removed for p in doc.paragraphs]
            try:
                with time_limit(self.timeout):
                    self._apply(doc, None)  # no match can have run for longer than the alarm
                return
            except TimeLimitExceeded:  # as it was before, then again match by match
                doc.paragraphs[:] = paragraphs
                for p, removed in zip(paragraphs, marks, strict=True):
                    p.removed = removed
        self._apply(doc, self.timeout)

    def _apply(self, doc: Document, timeout: float | None) -> None:
        rules = self.rules.language(doc.lang)
        off: list[Rule] = []  # rules that timed out in this document
        paragraphs = doc.paragraphs
        i = 0
        while i < len(paragraphs):
            p = paragraphs[i]
            if p.removed is None and (candidates := rules.candidates(p.text)):
                flat = collapse_space(p.text)
                # in rule order, the rules that could match this paragraph (within their word limits too)
                for rule in candidates:
                    if off and rule in off:
                        continue
                    try:
                        found = rule.match_collapsed(flat, timeout)
                    except TimeoutError:  # a runaway pattern: off for this document, and said so
                        off.append(rule)
                        doc.meta.setdefault("rule_timeouts", []).append(rule.id)
                        continue
                    if found is None:
                        continue
                    if rule.action == "prefix":
                        if found.end() == 0:
                            continue  # an empty prefix removes nothing
                        # the prefix now stands at i and the rest at i + 1, which the loop checks next
                        self._remove_prefix(doc, i, rule, found.end())
                    else:
                        self._mark(doc, p, rule, "")
                        if rule.action == "block":
                            self._remove_block(doc, i, rule)
                    break
            i += 1

    def _mark(self, doc: Document, p: Paragraph, rule: Rule, detail: str) -> None:
        self.mark(doc, p, rule.reason, rule.id, detail, family=rule.family)

    def _remove_block(self, doc: Document, head: int, rule: Rule) -> None:
        """The paragraphs under a boilerplate heading go with it, up to the next heading.

        Running prose ends the block too: a call-to-action button at the end of a widget
        must not take the article's next paragraph with it.
        """
        for p in doc.paragraphs[head + 1: head + 1 + rule.block_max]:
            if is_heading_like(p.text) or is_prose(p.text, doc.lang):
                break
            self._mark(doc, p, rule, "in the block under a boilerplate heading")

    def _remove_prefix(self, doc: Document, index: int, rule: Rule, flat_end: int) -> None:
        """Split the paragraph in two and mark the first part (the whole of it when nothing is left)."""
        p = doc.paragraphs[index]
        cut = _raw_offset(p.text, flat_end)
        rest = p.text[cut:].lstrip()
        if not rest:
            self._mark(doc, p, rule, "")
            return
        cut = len(p.text) - len(rest)
        prefix = p.text[:cut].rstrip()
        head = Paragraph(prefix, p.start, p.start + len(prefix))  # the span is the removed text, not its space
        tail = Paragraph(rest, p.start + cut, p.end, features=p.features)
        doc.paragraphs[index: index + 1] = [head, tail]
        self._mark(doc, head, rule, "prefix of the paragraph")


def _raw_offset(text: str, flat_end: int) -> int:
    """Where, in `text`, the whitespace-collapsed prefix of length `flat_end` ends."""
    seen, in_space = 0, True
    for i, ch in enumerate(text):
        if seen >= flat_end:
            return i
        if ch.isspace():
            if not in_space:
                seen += 1
            in_space = True
        else:
            seen += 1
            in_space = False
    return len(text)
