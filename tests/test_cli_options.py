"""Each command-line option reaches the Options field (or the run's argument) it names, and no other:
`clean` and `explain` share most of them, and a misordered or misnamed one must show here."""

from __future__ import annotations

import os
from dataclasses import fields
from pathlib import Path
from types import SimpleNamespace

import pytest
import typer

from cleaner import cli as cli_module
from cleaner.options import Options
from cleaner.summary import Summary

# the chain's options, which both commands take: (flag and a value other than the default, what it sets)
CHAIN_FLAGS = [
    (["--lang", "en,es"], {"langs": ("en", "es")}),
    (["--rules", "more-rules"], {"rules_dirs": (Path("more-rules"),)}),
    (["--dedup-threshold", "0.6"], {"dedup_threshold": 0.6}),
    (["--no-dedup"], {"dedup": False}),
    (["--no-rules"], {"rules": False}),
    (["--no-context"], {"context": False}),
    (["--no-content"], {"content": False}),
    (["--no-classifier"], {"classifier": False}),
    (["--classifier-threshold", "0.3"], {"classifier_threshold": 0.3}),
    (["--no-page-threshold"], {"classifier_page_threshold": False}),
    (["--content-with-classifier"], {"content_with_classifier": True}),
    (["--no-lexical"], {"classifier_lexical": False}),
    (["--min-good-share", "0.3"], {"min_good_share": 0.3}),
    (["--html-fallback-share", "0.5"], {"html_fallback_share": 0.5}),
    (["--keep-html-chrome"], {"html_drop_chrome": False}),
    (["--html-second-opinions"], {"html_fast": False}),
    (["--no-forum-threads"], {"html_forum_threads": False}),
    (["--no-main-region"], {"classifier_main_region": False}),
    (["--no-record-grid"], {"record_grid": False}),
    (["--no-repair-mojibake"], {"repair_mojibake": False}),
    (["--no-repeated"], {"repeated_lines": False}),
    (["--keep-foreign-paragraphs"], {"foreign_paragraphs": False}),
]
# clean's own options of the chain
CLEAN_FLAGS = [
    (["--text-field", "body"], {"text_field": "body"}),
    (["--id-field", "key"], {"id_field": "key"}),
    (["--html-timeout", "5"], {"html_timeout": 5.0}),
    (["--keep", "longest"], {"dedup_keep": "longest"}),
    (["--index", "kept.npz"], {"dedup_index": Path("kept.npz")}),
    (["--no-dedup-boilerplate"], {"dedup_boilerplate_docs": 0}),
]
# clean's options of the run itself: what they set among clean_corpus's arguments
RUN_FLAGS = [
    (["--workers", "3"], {"workers": 3}),
    (["--audit", "a.jsonl"], {"audit_path": Path("a.jsonl")}),
    (["--manifest", "m.jsonl"], {"manifest_path": Path("m.jsonl")}),
    (["--resume"], {"resume": True}),
    (["--engine", "dask"], {"engine": "dask"}),
    (["--scheduler", "tcp://host:8786", "--engine", "dask"], {"scheduler": "tcp://host:8786", "engine": "dask"}),
]
SCREEN_ONLY = ["--quiet"]  # what is printed, nothing of the run


def ids(table: list) -> list[str]:
    return [flags[0] for flags, _ in table]


def changed(options: Options) -> dict:
    """The fields of `options` that differ from the library's defaults."""
    default = Options()
    return {f.name: getattr(options, f.name) for f in fields(Options) if getattr(options, f.name) != getattr(default, f.name)}


@pytest.fixture
def clean_asks(cli, monkeypatch, tmp_path):
    """`cleaner clean IN OUT *flags`: the arguments it calls clean_corpus with (options included)."""

    def run(*flags: str) -> dict:
        asked = {}

        def clean_corpus(input_path, output, options, workers, audit_path, **more):
            asked.update(options=options, workers=workers, audit_path=audit_path, **more)
            return Summary()

        monkeypatch.setattr(cli_module, "clean_corpus", clean_corpus)
        result = cli("clean", tmp_path, tmp_path / "out", *flags)
        assert result.exit_code == 0, result.output
        del asked["progress"]
        return asked

    return run


@pytest.fixture
def explain_asks(cli, monkeypatch, tmp_path):
    """`cleaner explain FILE *flags`: the options it builds its Cleaner with."""

    def run(*flags: str) -> Options:
        asked = []

        class Cleaner:
            def __init__(self, options: Options):
                asked.append(options)

            def clean(self, doc):
                return SimpleNamespace(document=doc)

        monkeypatch.setattr(cli_module, "Cleaner", Cleaner)
        (tmp_path / "story.txt").write_text("A line of the story.\n")
        result = cli("explain", tmp_path / "story.txt", *flags)
        assert result.exit_code == 0, result.output
        [options] = asked
        return options

    return run


def test_without_options_both_commands_use_the_library_defaults(clean_asks, explain_asks):
    asked = clean_asks()
    assert changed(asked["options"]) == {}
    assert asked == {"options": Options(), "workers": os.cpu_count(), "audit_path": None, "manifest_path": None,
                     "resume": False, "engine": "local", "scheduler": None}
    assert changed(explain_asks()) == {}


@pytest.mark.parametrize(("flags", "sets"), CHAIN_FLAGS + CLEAN_FLAGS, ids=ids(CHAIN_FLAGS + CLEAN_FLAGS))
def test_each_chain_option_of_clean_sets_its_own_field_and_no_other(clean_asks, flags, sets):
    assert changed(clean_asks(*flags)["options"]) == sets


@pytest.mark.parametrize(("flags", "sets"), CHAIN_FLAGS, ids=ids(CHAIN_FLAGS))
def test_each_option_of_explain_sets_its_own_field_and_no_other(explain_asks, flags, sets):
    assert changed(explain_asks(*flags)) == sets


@pytest.mark.parametrize(("flags", "sets"), RUN_FLAGS, ids=ids(RUN_FLAGS))
def test_each_run_option_of_clean_sets_its_own_argument_and_no_other(clean_asks, flags, sets):
    default, asked = clean_asks(), clean_asks(*flags)
    assert {k: v for k, v in asked.items() if v != default[k]} == sets


def _long_options(command: str) -> list[str]:
    click_command = typer.main.get_command(cli_module.app).commands[command]
    return [opt for param in click_command.params for opt in param.opts if opt.startswith("--")]


def test_every_option_is_checked_here():
    assert sorted(_long_options("clean")) == sorted(ids(CHAIN_FLAGS + CLEAN_FLAGS + RUN_FLAGS) + SCREEN_ONLY)
    assert sorted(_long_options("explain")) == sorted(ids(CHAIN_FLAGS))
