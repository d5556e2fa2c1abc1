"""Which of many patterns can match a text, found without running them.

Most texts match no boilerplate rule, and running every rule's regex on every paragraph costs
more than everything else the chain does. But nearly every rule needs some literal text to
match: "cookie", "donate", "skip to", a menu word. `required_literals` reads a pattern with the
regex module's own parser (the engine that runs the rules, so no syntax is misread) and returns
a set of strings one of which every match contains. `LiteralScan` puts the literals of many
patterns into one trie; a pass over a text (the `re` engine finds where some literal starts, a
walk down the trie from there lists all that start there) says which patterns may match. Only
those are run. A pattern with nothing literal to require, or with a construct not understood
here, is always run: the prefilter only ever skips patterns that cannot match.

Patterns match case-insensitively, so texts and literals are compared after `CaseFold`, which
sends every character to one representative of its case class as the regex engine sees it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import regex
from regex import _regex
from regex import _regex_core as core

MAX_STRINGS = 256  # a literal set (or a set of alternatives to combine) larger than this is given up
MAX_REPEAT = 4  # x{0,4} is expanded into its alternatives, longer repeats are not
FIND_DEPTH = 6  # the scan's regex looks for the first characters of literals; the trie walk checks the rest
_ZERO_WIDTH = (core.ZeroWidthBase, core.LookAround)
_REPEATS = (core.GreedyRepeat, core.LazyRepeat, core.PossessiveRepeat)
_SIMPLE_CASE = (core.NOCASE, core.IGNORECASE)


@lru_cache(maxsize=4096)
def required_literals(pattern: str, flags: int = regex.IGNORECASE | regex.V0) -> frozenset[str] | None:
    """Strings one of which every match of `pattern` contains (as the pattern's characters are
    written: compare after case folding), or None when nothing can be said."""
    try:
        tree, info = _parse(pattern, flags)
        if info.flags & (core.VERSION1 | core.FULLCASE | core.LOCALE):
            return None  # full case folding (ß matching ss) or a locale's cases: not handled here
        found = _required(tree)
    except Exception:  # the regex module's internals changed, or an unknown construct: no prefilter
        return None
    return frozenset(found) if found else None


def _parse(pattern: str, flags: int):
    """The regex module's own parse of a pattern (as in regex._main._compile)."""
    global_flags = flags
    while True:
        source = core.Source(pattern)
        info = core.Info(global_flags, source.char_type, {})
        info.guess_encoding = core.UNICODE
        source.ignore_space = bool(info.flags & core.VERBOSE)
        try:
            return core._parse_pattern(source, info), info
        except core._UnscopedFlagSet:
            global_flags = info.global_flags


def _product(left: set[str], right: set[str]) -> set[str] | None:
    out = {a + b for a in left for b in right}
    return out if len(out) <= MAX_STRINGS else None


def _exact(node) -> set[str] | None:
    """Every string `node` can match, when they are few and known; None otherwise."""
    if isinstance(node, core.Sequence):
        out = {""}
        for item in node.items:
            part = _exact(item)
            if part is None or (out := _product(out, part)) is None:
                return None
        return out
    if isinstance(node, core.Branch):
        out = set()
        for branch in node.branches:
            part = _exact(branch)
            if part is None:
                return None
            out |= part
        return out if len(out) <= MAX_STRINGS else None
    if isinstance(node, core.Group | core.Atomic):
        return _exact(node.subpattern)
    if isinstance(node, _ZERO_WIDTH):
        return {""}  # consumes nothing: what it looks at need not be part of the match
    if isinstance(node, core.Character):
        if node.positive and not node.zerowidth and node.case_flags in _SIMPLE_CASE:
            return {chr(node.value)}
        return None
    if isinstance(node, core.String):  # also Literal
        return {"".join(map(chr, node.characters))} if node.case_flags in _SIMPLE_CASE else None
    if type(node) is core.SetUnion:  # a small positive set of characters: [- ]
        if not node.positive or node.zerowidth or node.case_flags not in _SIMPLE_CASE:
            return None
        chars = set()
        for item in node.items:
            part = _exact(item)
            if part is None or not all(len(c) == 1 for c in part):
                return None
            chars |= part
        return chars if len(chars) <= 8 else None
    if isinstance(node, _REPEATS):
        if node.max_count is None or node.max_count > MAX_REPEAT:
            return None
        part = _exact(node.subpattern)
        if part is None:
            return None
        out, power = set(), {""}
        for count in range(node.max_count + 1):
            if count >= node.min_count:
                out |= power
            if count < node.max_count and (power := _product(power, part)) is None:
                return None
        return out if len(out) <= MAX_STRINGS else None
    return None  # anything else (properties, ranges, fuzzy matching, references...): unknown


def _required(node) -> set[str] | None:
    """Strings one of which every match of `node` contains; None when nothing is known."""
    if isinstance(node, core.Sequence):
        return _required_sequence(node.items)
    if isinstance(node, core.Branch):
        out = set()
        for branch in node.branches:
            part = _required(branch)
            if not part:
                return None
            out |= part
        return out if len(out) <= MAX_STRINGS else None
    if isinstance(node, core.Group | core.Atomic):
        return _required(node.subpattern)
    if isinstance(node, _REPEATS):
        return _required(node.subpattern) if node.min_count >= 1 else None
    exact = _exact(node)
    return exact if exact and "" not in exact else None


def _required_sequence(items: list) -> set[str] | None:
    """The best of: each run of items with known strings (concatenated), each other item's own."""
    best: set[str] | None = None

    def consider(candidate: set[str] | None) -> None:
        nonlocal best
        if candidate and "" not in candidate and (
                best is None or (min(map(len, candidate)), -len(candidate)) > (min(map(len, best)), -len(best))):
            best = candidate

    run = {""}
    for item in items:
        exact = _exact(item)
        if exact is not None:
            joined = _product(run, exact)
            if joined is not None:
                run = joined
                continue
            consider(run)
            run = exact
            continue
        consider(run)
        run = {""}
        consider(_required(item))
    consider(run)
    return best


class CaseFold:
    """Maps text and literals so that equal-ignoring-case (as the regex engine sees it) is equal.

    Built for the characters of some literals: each goes, with every character the engine
    takes for a case of it (K, k and the Kelvin sign K), to one representative. Other
    characters are left alone: they can be equal to no literal's character anyway.
    """

    def __init__(self, chars: Iterable[str]):
        parent: dict[str, str] = {}

        def root(c: str) -> str:
            while parent.setdefault(c, c) != c:
                c = parent[c]
            return c

        todo = set(chars)
        seen: set[str] = set()
        while todo:  # the closure: cases of cases, in case the engine's relation is not symmetric
            c = todo.pop()
            seen.add(c)
            for case in map(chr, _regex.get_all_cases(regex.IGNORECASE | regex.UNICODE, ord(c))):
                parent[root(case)] = root(c)
                if case not in seen:
                    todo.add(case)
        classes: dict[str, list[str]] = {}
        for c in seen:
            classes.setdefault(root(c), []).append(c)
        reps: dict[str, str] = {}
        for members in classes.values():
            rep = min(members, key=lambda c: (c != c.lower(), ord(c)))  # 'k' for K, k and K
            reps.update(dict.fromkeys(members, rep))
        self.table = {ord(c): rep for c, rep in reps.items() if c != rep}
        # str.lower() does most of it, fast; the few cases it leaves (long s, dotless i, one of
        # the sigmas...) are replaced after it. Checked on every character, in and out of words;
        # if that ever fails, the table is used instead (str.translate: slower on non-ASCII text)
        fixes = sorted({(c.lower(), rep) for c, rep in reps.items() if c.lower() != rep}, key=lambda f: (-len(f[0]), f))
        self.fixes: list[tuple[str, str]] | None = fixes
        self.ascii_fixes = [f for f in fixes if f[0].isascii()]
        if len({old for old, _ in fixes}) != len(fixes) or not all(
                self(c) == rep and self("a" + c) == "a" + rep and self("a" + c + "a") == "a" + rep + "a"
                for c, rep in reps.items()):
            self.fixes = None

    def __call__(self, text: str) -> str:
        if self.fixes is None:
            return text.translate(self.table)
        folded = text.lower()
        for old, new in self.ascii_fixes if text.isascii() else self.fixes:
            if old in folded:
                folded = folded.replace(old, new)
        return folded


class LiteralScan:
    """Which of several literal sets have a member in a (case-folded) text, as a bit mask.

    `literals[i]` is the set of pattern i; bit i of `scan(text)` is set when one of them occurs.
    The trie is kept as one dict from every prefix of a literal to the mask of the literals
    equal to it: strings and ints only, which the garbage collector never has to walk.
    """

    def __init__(self, literals: list[frozenset[str]]):
        self.prefixes: dict[str, int] = {}
        for bit, strings in enumerate(literals):
            for s in strings:
                for end in range(1, len(s)):
                    self.prefixes.setdefault(s[:end], 0)
                self.prefixes[s] = self.prefixes.get(s, 0) | 1 << bit
        self.longest = max(map(len, self.prefixes), default=0)
        # finds the next position where some literal may start: a short regex compiles fast
        self.find = re.compile(_trie_pattern(_trie(self.prefixes, FIND_DEPTH), FIND_DEPTH)).search if self.prefixes else None

    def scan(self, text: str) -> int:
        mask = 0
        find, prefixes = self.find, self.prefixes
        if find is None:
            return 0
        found = find(text)
        while found is not None:
            start = found.start()
            for end in range(start + 1, min(start + self.longest, len(text)) + 1):  # every literal starting here
                ends = prefixes.get(text[start:end])
                if ends is None:
                    break
                mask |= ends
            found = find(text, start + 1)
        return mask


def _trie(prefixes: dict[str, int], depth: int) -> dict:
    """The prefixes up to `depth` characters as a nested trie: char -> (children, mask of the literals ending there)."""
    root: dict = {}
    for prefix in sorted((p for p in prefixes if len(p) <= depth), key=len):
        node = root
        for ch in prefix[:-1]:
            node = node[ch][0]
        node[prefix[-1]] = ({}, prefixes[prefix])
    return root


def _trie_pattern(node: dict, depth: int) -> str:
    """A regex of the trie's literals' first `depth` characters, factored by prefix (the first to end will do)."""
    branches = []
    for ch in sorted(node):
        children, ends = node[ch]
        rest = "" if ends or not children or depth <= 1 else _trie_pattern(children, depth - 1)
        branches.append(re.escape(ch) + rest)
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
