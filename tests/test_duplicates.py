"""Duplicate paragraphs: the first copy in input order stays, later copies go with their evidence."""

from __future__ import annotations

import pytest
from prose import EN, lines

from cleaner import Cleaner, Options

# EN[0] with its last word changed: a near-duplicate, not an exact one
NEAR = EN[0].removesuffix("winter.") + "autumn."


def test_a_paragraph_repeated_in_a_document_goes_the_second_time():
    result = Cleaner().clean(lines(EN[0], EN[1], EN[0], EN[2]))
    assert result.text.split("\n\n") == [EN[0], EN[1], EN[2]]
    [record] = result.removals
    assert (record["paragraph"], record["step"], record["rule"]) == (2, "dedup", "dedup-doc")
    assert record["evidence"] == {"duplicate_of": 0, "similarity": 1.0}
    assert record["detail"] == "duplicate of ¶0, J=1.00"


def test_a_near_duplicate_in_a_document_goes_with_its_similarity():
    result = Cleaner().clean(lines(EN[0], EN[1], NEAR))
    [record] = result.removals
    assert record["text"] == NEAR and record["evidence"]["duplicate_of"] == 0
    assert 0.8 <= record["evidence"]["similarity"] < 1.0
    assert record["detail"] == f"near-duplicate of ¶0, J={record['evidence']['similarity']:.2f}"


def test_a_near_duplicate_below_the_threshold_stays():
    result = Cleaner(dedup_threshold=0.97).clean(lines(EN[0], EN[1], NEAR))
    assert NEAR in result.text and result.removals == []


def test_a_threshold_of_one_keeps_near_duplicates_and_removes_exact_ones():
    result = Cleaner(dedup_threshold=1.0).clean(lines(EN[0], EN[1], NEAR, EN[1]))
    assert [r["text"] for r in result.removals] == [EN[1]]


def test_cli_accepts_every_threshold_its_help_allows(corpus, clean_run):
    src = corpus({"a.txt": lines(EN[0], EN[1])})
    out, result = clean_run(src, "--dedup-threshold", "1.0")
    assert result.exit_code == 0, result.output
    assert (out / "a.txt").exists()


@pytest.mark.parametrize("value", ["0", "-0.1", "1.5", "nan"])
def test_cli_refuses_a_threshold_outside_zero_to_one_before_the_run(corpus, clean_run, value):
    src = corpus({"a.txt": lines(EN[0], EN[1])})
    out, result = clean_run(src, "--dedup-threshold", value)
    assert result.exit_code == 2 and "--dedup-threshold" in result.output
    assert not out.exists()  # 0 made every paragraph a near-duplicate of the first: almost nothing was kept


@pytest.mark.parametrize("value", [0, -0.1, 1.5, float("nan")])
def test_the_library_refuses_a_threshold_outside_zero_to_one(value):
    with pytest.raises(ValueError, match="dedup_threshold must be above 0 and at most 1"):
        Options(dedup_threshold=value)
    with pytest.raises(ValueError, match="dedup_threshold"):
        Cleaner(dedup_threshold=value)


def test_case_and_punctuation_do_not_hide_a_duplicate():
    shouted = EN[1].upper().replace(",", "")
    result = Cleaner().clean(lines(EN[1], EN[2], shouted))
    assert [r["text"] for r in result.removals] == [shouted]


def test_a_paragraph_repeated_in_a_later_document_of_a_stream_goes_there_only():
    first, second = Cleaner().stream([lines(EN[0], EN[1]), lines(EN[2], EN[0])])
    assert first.text == f"{EN[0]}\n\n{EN[1]}" and first.removals == []
    assert second.text == EN[2]
    [record] = second.removals
    assert record["rule"] == "dedup-corpus" and record["evidence"]["duplicate_of"] == "0 ¶0"


def test_a_paragraph_repeated_in_a_later_file_of_the_corpus_goes_there_only(corpus, clean_run, jsonl):
    src = corpus({"a.txt": lines(EN[0], EN[1]), "b.txt": lines(EN[2], EN[0])})
    out, result = clean_run(src)
    assert result.exit_code == 0, result.output
    assert (out / "a.txt").read_text(encoding="utf-8") == f"{EN[0]}\n\n{EN[1]}\n"
    assert (out / "b.txt").read_text(encoding="utf-8") == f"{EN[2]}\n"
    [record] = jsonl(out / "cleaner-audit.jsonl")
    assert (record["doc"], record["paragraph"], record["rule"]) == ("b.txt", 1, "dedup-corpus")
    assert record["evidence"]["duplicate_of"] == "a.txt ¶0" and record["evidence"]["similarity"] >= 0.8


def test_no_dedup_keeps_every_copy(corpus, clean_run, jsonl):
    src = corpus({"a.txt": lines(EN[0], EN[1], EN[0]), "b.txt": lines(EN[2], EN[0])})
    out, result = clean_run(src, "--no-dedup")
    assert result.exit_code == 0, result.output
    assert (out / "a.txt").read_text(encoding="utf-8") == f"{EN[0]}\n\n{EN[1]}\n\n{EN[0]}\n"
    assert (out / "b.txt").read_text(encoding="utf-8") == f"{EN[2]}\n\n{EN[0]}\n"
    assert jsonl(out / "cleaner-audit.jsonl") == []


def test_a_document_left_with_nothing_after_dedup_is_removed_whole():
    first, second = Cleaner().stream([lines(EN[0], EN[1]), lines(EN[1], EN[0])])
    assert second.removed and second.text == ""
    assert second.removals[0]["paragraph"] is None and second.removals[0]["rule"] == "empty"
