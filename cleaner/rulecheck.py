"""`cleaner rules check`: validate rule files before a long run trips on them."""

from __future__ import annotations

from pathlib import Path

from .rules import Rule, RuleError, load_file

# strings on which a pattern with nested quantifiers backtracks for ever; a linear pattern answers at once
PROBES = tuple(unit * 60 + "!" for unit in ("a", "a ", "1", "ab", ". ", "-", "é"))
PROBE_SECONDS = 0.2


def check_folder(folder: Path) -> tuple[list[Rule], list[str]]:
    """(the rules that load, a message per problem naming file, line and rule)."""
    folder = Path(folder)
    if not folder.is_dir():
        return [], [f"{folder}: not a folder"]
    files = sorted(folder.glob("*.y*ml"))
    if not files:
        return [], [f"{folder}: no rule files (*.yaml, *.yml)"]
    rules: list[Rule] = []
    problems: list[str] = []
    seen: dict[str, str] = {}
    for path in files:
        try:
            found = load_file(path, problems)
        except RuleError as exc:
            problems.append(str(exc))
            continue
        for rule in found:
            if rule.id in seen:
                problems.append(f"{rule.source}: rule id {rule.id!r} is also defined in {seen[rule.id]}")
                continue
            seen[rule.id] = rule.source
            slow = backtracks(rule)
            if slow:
                problems.append(f"{rule.source}: rule {rule.id!r}: pattern may backtrack catastrophically "
                                f"(over {PROBE_SECONDS:g} s on {slow!r}); at run time it would be skipped")
                continue
            rules.append(rule)
    return rules, problems


def backtracks(rule: Rule) -> str:
    """The first probe on which the pattern runs out of time, or ''."""
    for probe in PROBES:
        try:
            rule.pattern.search(probe, timeout=PROBE_SECONDS)
        except TimeoutError:
            return probe[:12] + "…"
    return ""
