"""Boilerplate rules are data: YAML files in rules/, one per family.

A file:

    family: donation
    reason: donation appeal            # default reason of its rules
    rules:
      - id: donation-heading            # unique across all files
        pattern: '\\b(donate|fundrais)' # Python regex, case-insensitive, on whitespace-collapsed text
        action: block                   # line (default) | block | prefix
        langs: [en]                     # languages it applies to; omitted: all
        max_words: 12                   # only paragraphs of at most this many words
        min_words: 0
        reason: a fundraising heading   # optional, overrides the family's
        by_shape: false                 # optional, overrides the family's (default false)

`line` removes the paragraph, `block` removes it and the paragraphs under it (up to the next
heading-like paragraph), `prefix` removes only the matched start of the paragraph.

`by_shape: true` says that a rule judges a paragraph by its shape alone (a lone number, a line
of punctuation), not by words that name what it is (a share button, a menu label). A step that
reads the page's structure may keep such a paragraph again: a price in a shop's grid of records
is a lone number too (steps/records.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import regex
import yaml

from .textstats import collapse_space, words

ACTIONS = ("line", "block", "prefix")
_KEYS = {"id", "pattern", "action", "langs", "max_words", "min_words", "reason", "block_max", "by_shape"}


class RuleError(ValueError):
    """A rule file that cannot be used; the message names the file, the line and the rule."""


@dataclass(frozen=True)
class Rule:
    id: str
    family: str
    pattern: regex.Pattern
    action: str = "line"
    langs: frozenset[str] = frozenset()
    max_words: int = 0
    min_words: int = 0
    block_max: int = 4
    reason: str = ""
    source: str = ""
    by_shape: bool = False  # judged by its shape alone: a page's structure may overrule it

    def applies_to(self, lang: str) -> bool:
        return not self.langs or lang in self.langs or lang == "und"

    def match(self, text: str, timeout: float | None = None) -> regex.Match | None:
        """Match against whitespace-collapsed text; prefix rules only at the start.

        Patterns are user data: with `timeout` (seconds) a match that backtracks for longer
        raises TimeoutError instead of hanging the run.
        """
        n = len(words(text))
        if (self.max_words and n > self.max_words) or n < self.min_words:
            return None
        return self.match_collapsed(collapse_space(text), timeout)

    def match_collapsed(self, flat: str, timeout: float | None = None) -> regex.Match | None:
        """`match` of a text already whitespace-collapsed and known to be within the word limits."""
        find = self.pattern.match if self.action == "prefix" else self.pattern.search
        # no keyword without a limit: passing timeout=None costs more than a failed match on a short line
        return find(flat, timeout=timeout) if timeout else find(flat)


def default_rules_dir() -> Path:
    """rules/ ships inside the package when installed, and beside it in a checkout."""
    here = Path(__file__).resolve().parent
    packaged = here / "rules"
    return packaged if packaged.is_dir() else here.parent / "rules"


def rule_files(extra_dirs: tuple[Path, ...] = ()) -> list[Path]:
    """Default files, each replaced by a same-named file from an extra folder, plus new ones."""
    chosen: dict[str, Path] = {}
    for folder in (default_rules_dir(), *extra_dirs):
        folder = Path(folder)
        if not folder.is_dir():
            raise RuleError(f"{folder}: " + ("not a folder (--rules takes a folder of rule files)" if folder.exists()
                                             else "rules folder does not exist"))
        for path in sorted(folder.glob("*.y*ml")):
            chosen[path.name] = path
    return [chosen[name] for name in sorted(chosen)]


def load_rules(extra_dirs: tuple[Path, ...] = ()) -> list[Rule]:
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for path in rule_files(extra_dirs):
        for rule in load_file(path):
            if rule.id in seen:
                raise RuleError(f"{rule.source}: rule id {rule.id!r} is also defined in {seen[rule.id]}")
            seen[rule.id] = rule.source
            rules.append(rule)
    return rules


def load_file(path: Path, errors: list[str] | None = None) -> list[Rule]:
    """The rules of one file; with `errors`, a bad rule is reported there and the others still load."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        raise RuleError(f"{path}{where}: not valid YAML: {getattr(exc, 'problem', exc)}") from None
    except UnicodeDecodeError:
        raise RuleError(f"{path}: not UTF-8 text") from None
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise RuleError(f"{path}: expected a mapping with a 'rules' list")
    family = str(data.get("family") or path.stem)
    by_shape = _flag(data, "by_shape", False, str(path))
    lines = _rule_lines(path)
    rules = []
    for i, entry in enumerate(data["rules"]):
        try:
            rules.append(_parse(entry, family, str(data.get("reason", family)), path, lines, i, by_shape))
        except RuleError as exc:
            if errors is None:
                raise
            errors.append(str(exc))
    return rules


def _rule_lines(path: Path) -> list[int]:
    """The line on which each entry of the 'rules' list starts, so errors can point at it."""
    root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if key.value == "rules" and isinstance(value, yaml.SequenceNode):
                return [item.start_mark.line + 1 for item in value.value]
    return []


def _flag(data: dict, key: str, default: bool, where: str) -> bool:
    value = data.get(key, default)
    if not isinstance(value, bool):
        raise RuleError(f"{where}: {key} must be true or false, not {value!r}")
    return value


def _parse(entry, family: str, reason: str, path: Path, lines: list[int], index: int,
           by_shape: bool = False) -> Rule:
    line = lines[index] if index < len(lines) else 0
    where = f"{path}:{line}" if line else f"{path} (rule #{index + 1})"
    if not isinstance(entry, dict):
        raise RuleError(f"{where}: a rule must be a mapping")
    rid = str(entry.get("id", "")).strip()
    label = f"{where}: rule {rid!r}" if rid else where
    if not rid:
        raise RuleError(f"{where}: rule without an id")
    unknown = set(entry) - _KEYS
    if unknown:
        raise RuleError(f"{label}: unknown key(s) {', '.join(sorted(unknown))}")
    action = entry.get("action", "line")
    if action not in ACTIONS:
        raise RuleError(f"{label}: action must be one of {', '.join(ACTIONS)}, not {action!r}")
    if not isinstance(entry.get("pattern"), str) or not entry["pattern"]:
        raise RuleError(f"{label}: needs a non-empty 'pattern'")
    try:  # the `regex` module: re's syntax (V0), plus a time limit per match
        pattern = regex.compile(entry["pattern"], regex.IGNORECASE | regex.V0)
    except (regex.error, ValueError, OverflowError) as exc:
        raise RuleError(f"{label}: bad pattern: {exc}") from None
    langs = entry.get("langs") or []
    if isinstance(langs, str):
        langs = [langs]
    try:
        numbers = {k: int(entry.get(k, d)) for k, d in (("max_words", 0), ("min_words", 0), ("block_max", 4))}
    except (TypeError, ValueError):
        raise RuleError(f"{label}: max_words, min_words and block_max must be whole numbers") from None
    return Rule(
        id=rid, family=family, pattern=pattern, action=action,
        langs=frozenset(str(x) for x in langs), reason=str(entry.get("reason", reason)),
        source=where, by_shape=_flag(entry, "by_shape", by_shape, label), **numbers,
    )
