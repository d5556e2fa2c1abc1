"""Rule folders: a same-named file replaces a default one, a new file is added, a broken file is named."""

from __future__ import annotations

from pathlib import Path

import pytest
from prose import EN, lines

from cleaner import Cleaner, Options
from cleaner.rules import RuleError, load_rules

SHARE_ONLY_SPREAD = """\
family: social
reason: share widget
rules:
  - id: local-spread-the-word
    max_words: 4
    pattern: '^\\W*spread the word\\W*$'
"""

ADDED_FAMILY = """\
family: house-style
reason: house promo line
rules:
  - id: local-promo
    max_words: 8
    pattern: '^\\W*more from the valley gazette\\W*$'
"""

DOCUMENT = lines(EN[0], "Share this story", "Spread the word", "More from the Valley Gazette", EN[1])


def write_rules(folder: Path, **files: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def rules_only(**options) -> Cleaner:
    """Only the rules step, so what is removed is what the rules say."""
    return Cleaner(content=False, classifier=False, context=False, dedup=False, repeated_lines=False, **options)


def removed(result) -> dict[str, str]:
    return {r["text"]: r["rule"] for r in result.removals}


def test_a_file_named_like_a_default_one_replaces_it(tmp_path):
    folder = write_rules(tmp_path / "rules", **{"social.yaml": SHARE_ONLY_SPREAD})
    result = rules_only(rules_dirs=(folder,)).clean(DOCUMENT)
    assert removed(result) == {"Spread the word": "local-spread-the-word"}
    assert "Share this story" in result.text


def test_a_file_with_a_new_name_is_added_to_the_defaults(tmp_path):
    folder = write_rules(tmp_path / "rules", **{"house.yaml": ADDED_FAMILY})
    result = rules_only(rules_dirs=(folder,)).clean(DOCUMENT)
    assert removed(result) == {"Share this story": "share-label", "More from the Valley Gazette": "local-promo"}


def test_rules_dirs_accepts_paths_given_as_strings(tmp_path):
    folder = write_rules(tmp_path / "rules", **{"house.yaml": ADDED_FAMILY})
    result = rules_only(rules_dirs=[str(folder)]).clean(DOCUMENT)
    assert "More from the Valley Gazette" in removed(result)


def test_rules_dirs_accepts_a_single_folder(tmp_path):
    folder = write_rules(tmp_path / "rules", **{"house.yaml": ADDED_FAMILY})
    result = rules_only(rules_dirs=str(folder)).clean(DOCUMENT)
    assert "More from the Valley Gazette" in removed(result)


def test_cli_rules_option_replaces_and_adds_files(tmp_path, corpus, clean_run):
    folder = write_rules(tmp_path / "rules", **{"social.yaml": SHARE_ONLY_SPREAD, "house.yaml": ADDED_FAMILY})
    src = corpus({"story.txt": DOCUMENT})
    out, result = clean_run(src, "--rules", folder, "--no-content", "--no-classifier", "--no-context")
    assert result.exit_code == 0, result.output
    text = (out / "story.txt").read_text(encoding="utf-8")
    assert "Share this story" in text
    assert "Spread the word" not in text and "More from the Valley Gazette" not in text


def test_yaml_error_names_the_file_and_line(tmp_path):
    folder = write_rules(tmp_path / "rules", **{"broken.yaml": "rules:\n  - id: a\n    pattern: 'x'\n   action: line\n"})
    with pytest.raises(RuleError, match=r"broken\.yaml:4: not valid YAML"):
        load_rules((folder,))


def test_bad_regex_names_the_file_line_and_rule(tmp_path):
    text = "rules:\n  - id: fine\n    pattern: 'ok'\n  - id: broken-group\n    pattern: '(unclosed'\n"
    folder = write_rules(tmp_path / "rules", **{"local.yaml": text})
    with pytest.raises(RuleError, match=r"local\.yaml:4: rule 'broken-group': bad pattern"):
        load_rules((folder,))


def test_bad_regex_line_is_right_when_id_is_not_the_first_key(tmp_path):
    text = "rules:\n  - pattern: '(unclosed'\n    id: first\n  - id: second\n    pattern: 'ok'\n"
    folder = write_rules(tmp_path / "rules", **{"local.yaml": text})
    with pytest.raises(RuleError, match=r"local\.yaml:2: rule 'first'"):
        load_rules((folder,))


def test_unknown_action_is_refused_with_the_rule_named(tmp_path):
    folder = write_rules(tmp_path / "rules", **{"local.yaml": "rules:\n  - id: odd\n    pattern: 'x'\n    action: paragraph\n"})
    with pytest.raises(RuleError, match=r"local\.yaml:2: rule 'odd': action must be one of"):
        load_rules((folder,))


def test_by_shape_must_be_true_or_false_in_a_file_or_a_rule(tmp_path):
    folder = write_rules(tmp_path / "rules", **{"local.yaml": "by_shape: sometimes\nrules:\n  - id: odd\n    pattern: 'x'\n"})
    with pytest.raises(RuleError, match=r"local\.yaml: by_shape must be true or false, not 'sometimes'"):
        load_rules((folder,))
    write_rules(folder, **{"local.yaml": "rules:\n  - id: odd\n    pattern: 'x'\n    by_shape: 1\n"})
    with pytest.raises(RuleError, match=r"local\.yaml:2: rule 'odd': by_shape must be true or false"):
        load_rules((folder,))


def test_a_rule_may_say_otherwise_than_its_files_by_shape(tmp_path):
    text = "by_shape: true\nrules:\n  - id: lone\n    pattern: 'x'\n  - id: named\n    pattern: 'y'\n    by_shape: false\n"
    folder = write_rules(tmp_path / "rules", **{"local.yaml": text})
    shape = {r.id: r.by_shape for r in load_rules((folder,)) if r.id in ("lone", "named", "share-label")}
    assert shape == {"lone": True, "named": False, "share-label": False}


def test_an_id_defined_twice_names_both_files(tmp_path):
    folder = write_rules(tmp_path / "rules", **{"local.yaml": "rules:\n  - id: share-label\n    pattern: 'x'\n"})
    with pytest.raises(RuleError, match="rule id 'share-label' is also defined") as error:
        load_rules((folder,))
    assert "local.yaml:2" in str(error.value) and "social.yaml:" in str(error.value)


def test_a_missing_rules_folder_is_an_error(tmp_path):
    with pytest.raises(RuleError, match="does not exist"):
        Cleaner(Options(rules_dirs=(tmp_path / "nowhere",)))


def test_cli_with_a_broken_rule_file_exits_2_naming_it_and_writes_nothing(tmp_path, corpus, clean_run):
    folder = write_rules(tmp_path / "rules", **{"broken.yaml": "rules:\n  - id: bad\n    pattern: '[a-'\n"})
    src = corpus({"story.txt": lines(EN[0])})
    out, result = clean_run(src, "--rules", folder)
    assert result.exit_code == 2
    assert "broken.yaml:2" in "".join(result.output.split())  # the console may wrap long paths
    assert not (out / "story.txt").exists()


def test_cli_explain_with_a_broken_rule_file_exits_2(tmp_path, corpus, cli):
    folder = write_rules(tmp_path / "rules", **{"broken.yaml": "rules: [unclosed\n"})
    src = corpus({"story.txt": lines(EN[0])})
    result = cli("explain", src / "story.txt", "--rules", folder)
    assert result.exit_code == 2
    assert "broken.yaml" in "".join(result.output.split())
