"""The rules of a run, arranged so that a paragraph is shown only the rules that could match it.

A rule applies to some languages and to paragraphs within its word limits; of those, only the
rules one of whose required literals the paragraph contains can match (see prefilter.py). For
each language and each range of word counts the rules that apply are fixed, so their literal
scan is built once (lazily) and every paragraph costs one word count, one case fold and one
scan, whatever the number of rules. `candidates` keeps the rules' order: the first of them that
matches is the one that would have matched when trying every rule in turn.
"""

from __future__ import annotations

from bisect import bisect_right
from functools import lru_cache

from .prefilter import CaseFold, LiteralScan, required_literals
from .rules import Rule
from .textstats import MEMO_SIZE, collapse_space, words


class RuleBand:
    """The rules that apply to paragraphs of one language and one range of word counts."""

    def __init__(self, rules: tuple[Rule, ...], literals: tuple[frozenset[str] | None, ...]):
        self.rules = rules  # literals: per rule, case-folded; None: the rule is always a candidate
        self.always = sum(1 << i for i, lits in enumerate(literals) if lits is None)
        self.scan = _scan(tuple(lits or frozenset() for lits in literals)) if any(literals) else None
        self.picked: dict[int, tuple[Rule, ...]] = {}

    def candidates(self, folded: str) -> tuple[Rule, ...]:
        mask = self.always | (self.scan.scan(folded) if self.scan else 0)
        picked = self.picked.get(mask)
        if picked is None:
            picked = self.picked[mask] = tuple(r for i, r in enumerate(self.rules) if mask >> i & 1)
        return picked


@lru_cache(maxsize=256)
def _scan(literals: tuple[frozenset[str], ...]) -> LiteralScan:
    """Shared by the rule sets of one process (every Cleaner builds its own)."""
    return LiteralScan(list(literals))


@lru_cache(maxsize=64)
def _fold(chars: frozenset[str]) -> CaseFold:
    return CaseFold(chars)


class RuleSet:
    def __init__(self, rules: list[Rule]):
        self.rules = list(rules)
        self.literals = {r.id: required_literals(r.pattern.pattern, r.pattern.flags) for r in self.rules}
        self.fold = _fold(frozenset(c for lits in self.literals.values() if lits for s in lits for c in s))
        self.folded = {rid: frozenset(map(self.fold, lits)) if lits else None for rid, lits in self.literals.items()}
        # word counts at which the set of rules within their limits changes
        self.bounds = sorted({r.min_words for r in self.rules} | {r.max_words + 1 for r in self.rules if r.max_words} | {0})
        self._languages: dict[str, LanguageRules] = {}
        self._bands: dict[tuple[str, ...], RuleBand] = {}

    def __iter__(self):
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def language(self, lang: str) -> LanguageRules:
        """The rules that apply in documents of language `lang`, by word count."""
        found = self._languages.get(lang)
        if found is None:
            rules = [r for r in self.rules if r.applies_to(lang)]
            found = self._languages[lang] = LanguageRules(self, [self._band(rules, n) for n in self.bounds])
        return found

    def _band(self, rules: list[Rule], n: int) -> RuleBand:
        within = tuple(r for r in rules if not ((r.max_words and n > r.max_words) or n < r.min_words))
        key = tuple(r.id for r in within)
        band = self._bands.get(key)
        if band is None:
            band = self._bands[key] = RuleBand(within, tuple(self.folded[r.id] for r in within))
        return band

    def candidates(self, text: str, lang: str) -> tuple[Rule, ...]:
        """The rules, in order, that may match `text` in a document of language `lang`."""
        return self.language(lang).candidates(text)


class LanguageRules:
    def __init__(self, rules: RuleSet, bands: list[RuleBand]):
        """`bands[i]`: the rules for bounds[i] to bounds[i + 1] - 1 words, looked up by word count."""
        self.fold = rules.fold
        self.by_count = [bands[bisect_right(rules.bounds, n) - 1] for n in range(rules.bounds[-1] + 1)]
        self.top = len(self.by_count) - 1
        self.memo: dict[str, tuple[Rule, ...]] = {}  # a site's menus and footers come again on every page

    def candidates(self, text: str) -> tuple[Rule, ...]:
        """The rules, in order, that may match `text` (and are within their word limits for it)."""
        found = self.memo.get(text)
        if found is None:
            if len(self.memo) >= MEMO_SIZE:
                self.memo.clear()
            band = self.by_count[min(len(words(text)), self.top)]
            found = self.memo[text] = band.candidates(self.fold(collapse_space(text))) if band.rules else ()
        return found
