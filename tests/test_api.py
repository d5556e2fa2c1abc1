"""The library: one call for one text, a Cleaner for documents and streams, options checked by name."""

from __future__ import annotations

import random
import sys
import threading

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


def test_clean_text_cleans_a_page_too():
    page = f"<html><body><nav><a href='/'>Home</a></nav><article><p>{EN[0]}</p><p>{EN[1]}</p></article></body></html>"
    assert clean_text(page, format="html") == f"{EN[0]}\n\n{EN[1]}"


@pytest.mark.parametrize("opening", ["<!DOCTYPE html>\n", "\ufeff<!-- saved page -->\n<!doctype HTML>", "  <html lang='en'>", "<body>"])
def test_a_text_that_opens_as_a_page_is_cleaned_as_one(opening):
    page = f"{opening}<html><body><nav><a href='/'>Home</a></nav><article><p>{EN[0]}</p><p>{EN[1]}</p></article></body></html>"
    assert clean_text(page) == f"{EN[0]}\n\n{EN[1]}"
    assert Cleaner().clean(page.encode("utf-8")).text == f"{EN[0]}\n\n{EN[1]}"


def test_a_text_about_html_is_text_and_format_text_keeps_a_page_as_text():
    about = lines("Use <html> as the root element of every page, and <body> for what is shown.", EN[0])
    assert Cleaner().clean(about).document.meta.get("extractor") is None
    page = f"<html><body><article><p>{EN[0]}</p></article></body></html>"
    assert "<article>" in Cleaner(classifier=False, content=False).clean(page, format="text").text


def test_bytes_are_decoded_as_a_file_is():
    text = lines(EN[0], EN[1])
    assert clean_text(text.encode("utf-16")) == clean_text(text)
    page = (f"<html><head><meta charset='windows-1252'></head><body><article><p>{EN[0]} Café crème.</p>"
            f"<p>{EN[1]}</p></article></body></html>")
    assert Cleaner().clean(page.encode("cp1252"), format="html").text == f"{EN[0]} Café crème.\n\n{EN[1]}"
    assert [r.text for r in Cleaner().stream([text.encode(), {"text": text.encode()}])][0] == f"{EN[0]}\n\n{EN[1]}"


@pytest.mark.parametrize("value", [None, 5, ["a list"]])
def test_a_document_that_is_not_text_is_refused_naming_its_type(value):
    with pytest.raises(TypeError, match=f"a document is a str or bytes, not {type(value).__name__}"):
        clean_text(value)


def test_an_unknown_format_is_refused_not_read_as_text():
    with pytest.raises(ValueError, match="format must be one of 'auto', 'text', 'html', not 'htm'"):
        Cleaner().clean("<p>a page</p>", format="htm")


def test_half_a_utf16_pair_becomes_a_replacement_character_and_is_counted():
    result = Cleaner().clean(lines(EN[0] + " \ud800", EN[1]))
    assert result.text == f"{EN[0]} \ufffd\n\n{EN[1]}"
    assert result.document.meta["undecodable_chars"] == 1


def test_stream_reads_the_text_and_id_fields_it_is_told():
    cleaner = Cleaner(text_field="content", id_field="url_hash")
    [result] = cleaner.stream([{"content": lines(EN[0], EN[1]), "url_hash": "h1"}])
    assert (result.id, result.text) == ("h1", f"{EN[0]}\n\n{EN[1]}")


def test_stream_names_a_record_without_its_text_field():
    with pytest.raises(ValueError, match="document 1 of the stream: expected a string 'text' field, got NoneType"):
        list(Cleaner().stream([{"text": EN[0]}, {"body": EN[1]}]))


def test_stream_refuses_one_string_rather_than_cleaning_each_character():
    with pytest.raises(TypeError, match=r"stream\(\) takes an iterable of documents, not one str"):
        list(Cleaner().stream(EN[0]))


def test_one_cleaner_may_be_called_from_several_threads():
    # the dedup index grows a bytearray while numpy reads it: without a lock, several threads
    # raised BufferError ('Existing exports of data: object cannot be re-sized')
    rng = random.Random(1)
    words = " ".join(EN).split()
    docs = ["\n\n".join(" ".join(rng.choice(words) for _ in range(40)) + "." for _ in range(12)) for _ in range(200)]
    cleaner, errors, kept = Cleaner(), [], []

    def work():
        try:
            kept.extend(cleaner.clean(doc).text for doc in docs)
        except Exception as exc:  # noqa: BLE001 - the test reports whatever a thread raised
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(3)]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads take turns often, as they do on a loaded machine
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert errors == []
    assert len(kept) == 3 * len(docs)
