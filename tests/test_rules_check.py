"""Rules are user data and may be hostile: clear errors, no hang, and `cleaner rules check`."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner.api import Cleaner
from cleaner.cli import app
from cleaner.rulecheck import check_folder
from cleaner.rules import RuleError, load_file, load_rules

RULES_DIR = Path(__file__).resolve().parent.parent / "rules"
GOOD = """family: promo
rules:
  - id: promo-line
    pattern: '^buy now$'
"""
HOSTILE = """family: hostile
rules:
  - id: hostile-backtracking
    pattern: '(a|aa)+$'
"""


def folder(tmp_path: Path, **files: str) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (tmp_path / f"{name}.yaml").write_text(text)
    return tmp_path


def test_yaml_syntax_error_names_file_and_line(tmp_path):
    path = folder(tmp_path, broken="family: x\nrules:\n  - id: a\n    pattern: '[unclosed\n") / "broken.yaml"
    with pytest.raises(RuleError, match=r"broken\.yaml:\d+: not valid YAML"):
        load_file(path)


def test_bad_pattern_names_file_line_and_rule(tmp_path):
    path = folder(tmp_path, bad="family: x\nrules:\n  - id: fine\n    pattern: 'ok'\n  - id: broken-rule\n    pattern: '(unclosed'\n")
    with pytest.raises(RuleError, match=r"bad\.yaml:5: rule 'broken-rule': bad pattern"):
        load_file(path / "bad.yaml")


def test_check_reports_every_problem_not_just_the_first(tmp_path):
    folder(tmp_path, a="family: a\nrules:\n  - id: x\n    pattern: '('\n  - id: y\n    action: explode\n    pattern: 'z'\n",
           b="rules: [\n", c=GOOD, d=GOOD.replace("promo", "other").replace("other-line", "promo-line"))
    loaded, problems = check_folder(tmp_path)
    assert [r.id for r in loaded] == ["promo-line"]
    assert any("a.yaml:3: rule 'x'" in p for p in problems)
    assert any("a.yaml:5: rule 'y': action" in p for p in problems)
    assert any("b.yaml" in p and "not valid YAML" in p for p in problems)
    assert any("d.yaml" in p and "also defined" in p for p in problems)


def test_check_flags_catastrophic_backtracking(tmp_path):
    _, problems = check_folder(folder(tmp_path, hostile=HOSTILE))
    assert len(problems) == 1 and "hostile-backtracking" in problems[0] and "backtrack" in problems[0]


def test_shipped_rules_pass_the_check():
    loaded, problems = check_folder(RULES_DIR)
    assert problems == [] and len(loaded) == len(load_rules())


def test_cli_rules_check_exit_codes(tmp_path):
    runner = CliRunner()
    good = runner.invoke(app, ["rules", "check", str(folder(tmp_path / "good", c=GOOD))])
    assert good.exit_code == 0, good.output
    bad = runner.invoke(app, ["rules", "check", str(folder(tmp_path / "bad", hostile=HOSTILE))])
    assert bad.exit_code == 1 and "hostile-backtracking" in bad.output


def test_a_backtracking_rule_cannot_hang_cleaning(tmp_path):
    cleaner = Cleaner(rules_dirs=(folder(tmp_path, hostile=HOSTILE),), rule_timeout=0.1, content=False, dedup=False)
    text = "a" * 50 + "!\n\n" + "A normal paragraph with enough words in it to be kept as the content of the page."
    started = time.monotonic()
    result = cleaner.clean(text)
    assert time.monotonic() - started < 2
    assert result.document.meta["rule_timeouts"] == ["hostile-backtracking"]
    assert "normal paragraph" in result.text


def test_a_backtracking_rule_is_found_the_same_in_a_thread_where_no_alarm_can_be_set(tmp_path):
    import threading

    cleaner = Cleaner(rules_dirs=(folder(tmp_path, hostile=HOSTILE),), rule_timeout=0.1, content=False, dedup=False)
    text = "a" * 50 + "!\n\n" + "A normal paragraph with enough words in it to be kept as the content of the page."
    results = []
    worker = threading.Thread(target=lambda: results.append(cleaner.clean(text)))
    worker.start()
    worker.join(10)
    assert results[0].document.meta["rule_timeouts"] == ["hostile-backtracking"]
    assert results[0].text == cleaner.clean(text).text


def test_cli_clean_with_a_broken_rule_file_exits_2_naming_it(tmp_path):
    folder(tmp_path / "rules", broken="family: x\nrules:\n  - id: oops\n    pattern: '*'\n")
    (tmp_path / "in.txt").write_text("hello")
    result = CliRunner().invoke(app, ["clean", str(tmp_path / "in.txt"), str(tmp_path / "out"), "--rules", str(tmp_path / "rules")])
    assert result.exit_code == 2 and "broken.yaml:3" in result.output and "oops" in result.output
