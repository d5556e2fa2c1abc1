"""The library: one call for one text, a Cleaner for documents and streams, options checked by name."""

from __future__ import annotations

import pytest
from prose import EN, ES, lines

from cleaner import Cleaner, Options, clean_text
from cleaner.chain import build_steps
from cleaner.rules import load_rules
from cleaner.steps import BoilerplateRules


def test_clean_text_returns_the_cleaned_string():
    assert clean_text(lines("Skip to content", EN[0], "Share this story", EN[1])) == f"{EN[0]}\n\n{EN[1]}"


def test_clean_text_takes_options_by_keyword():
    assert "Share this story" in clean_text(lines(EN[0], "Share this story", EN[1]), rules=False, content=False, classifier=False)


def test_a_result_carries_text_language_and_removals():
    result = Cleaner().clean(lines("Skip to content", EN[0], EN[1]), id="ferry")
    assert result.text == f"{EN[0]}\n\n{EN[1]}"
    assert (result.id, result.lang) == ("ferry", "en")
    assert 0.9 <= result.lang_confidence <= 1.0
    assert [(r["doc"], r["paragraph"], r["rule"]) for r in result.removals] == [("ferry", 0, "nav-skip-link")]
    assert not result.removed


def test_result_lang_is_spanish_for_a_spanish_document():
    assert Cleaner().clean(lines(ES[0], ES[1])).lang == "es"


def test_a_document_removed_whole_has_empty_text():
    result = Cleaner(langs=("es",)).clean(lines(EN[0], EN[1]))
    assert result.removed and result.text == ""
    assert result.removals[0]["reason"] == "language en not in es"


def test_langs_may_be_given_as_a_comma_separated_string():
    assert Cleaner(langs="es, fr").options.langs == ("es", "fr")


def test_langs_as_a_string_works_with_an_options_object_too():
    result = Cleaner(Options(), langs="es").clean(lines(ES[0], ES[1]))
    assert not result.removed


def test_stream_removes_a_duplicate_across_documents_of_the_stream():
    results = list(Cleaner().stream([lines(EN[0], EN[1]), lines(EN[2], EN[1]), lines(EN[3])]))
    assert [r.text for r in results] == [f"{EN[0]}\n\n{EN[1]}", EN[2], EN[3]]
    assert [r.id for r in results] == ["0", "1", "2"]


def test_stream_accepts_records_with_a_text_field_and_keeps_their_id():
    [result] = Cleaner().stream([{"id": "ferry-7", "text": lines("Menu", EN[0]), "url": "https://example.org/a"}])
    assert (result.id, result.text) == ("ferry-7", EN[0])
    assert result.document.site == "example.org"


def test_separate_cleaners_do_not_share_what_they_have_seen():
    Cleaner().clean(lines(EN[0], EN[1]))
    assert Cleaner().clean(lines(EN[2], EN[0])).text == f"{EN[2]}\n\n{EN[0]}"


def test_one_cleaner_remembers_earlier_documents():
    cleaner = Cleaner()
    cleaner.clean(lines(EN[0], EN[1]))
    assert cleaner.clean(lines(EN[2], EN[0])).text == EN[2]


def test_unknown_option_names_raise_a_clear_type_error():
    with pytest.raises(TypeError, match="unknown cleaner option.*dedupe"):
        Cleaner(dedupe=False)
    with pytest.raises(TypeError, match="unknown cleaner option.*no_rules"):
        clean_text("some text", no_rules=True)


def test_unknown_option_with_an_options_object_names_the_option():
    with pytest.raises(TypeError, match="dedupe"):
        Cleaner(Options(), dedupe=False)


def test_a_cleaner_runs_the_list_of_steps_it_is_given():
    only_rules = Cleaner(steps=[BoilerplateRules(load_rules())])
    result = only_rules.clean(lines("Skip to content", EN[0], "Our friends at the mill"))
    assert result.text == f"{EN[0]}\n\nOur friends at the mill"


def test_the_chain_is_a_plain_list_built_from_options():
    names = [type(step).__name__ for step in build_steps(Options(content=False, dedup=False))]
    assert "ContentClassifier" not in names and "NearDuplicateParagraphs" not in names
    assert names[0] == "DetectLanguage" and "BoilerplateRules" in names


def test_html_text_can_be_cleaned_through_the_library():
    page = f"<html><body><nav><a href='/'>Home</a></nav><article><p>{EN[0]}</p><p>{EN[1]}</p></article></body></html>"
    assert Cleaner().clean(page, format="html").text == f"{EN[0]}\n\n{EN[1]}"
