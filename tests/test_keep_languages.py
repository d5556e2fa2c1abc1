"""Keeping languages: `--lang es` drops documents in other languages, says why, and writes nothing for them."""

from __future__ import annotations

import json

import pytest
from prose import DE, EN, ES, FR, PT, lines

from cleaner import Cleaner


def test_each_prose_sample_is_recognised_as_its_language():
    for lang, prose in {"en": EN, "es": ES, "fr": FR, "de": DE, "pt": PT}.items():
        assert Cleaner().clean(lines(*prose[:2])).lang == lang


def test_lang_es_drops_the_english_document_with_a_reason_and_no_output(corpus, clean_run, jsonl):
    src = corpus({"english.txt": lines(EN[0], EN[1]), "spanish.txt": lines(ES[0], ES[1])})
    out, result = clean_run(src, "--lang", "es")
    assert result.exit_code == 0, result.output
    assert not (out / "english.txt").exists()
    assert (out / "spanish.txt").read_text(encoding="utf-8") == f"{ES[0]}\n\n{ES[1]}\n"
    manifest = {m["doc"]: m for m in jsonl(out / "cleaner-manifest.jsonl")}
    assert manifest["english.txt"]["status"] == "removed"
    assert manifest["english.txt"]["reason"] == "language en not in es"
    [record] = [r for r in jsonl(out / "cleaner-audit.jsonl") if r["doc"] == "english.txt"]
    assert (record["step"], record["rule"], record["lang"]) == ("language", "lang-filter", "en")


def test_several_languages_can_be_kept(corpus, clean_run):
    src = corpus({"english.txt": lines(EN[0]), "spanish.txt": lines(ES[0]), "german.txt": lines(DE[0])})
    out, result = clean_run(src, "--lang", "en,es")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.glob("*.txt")) == ["english.txt", "spanish.txt"]


def test_language_codes_are_read_as_people_write_them(corpus, clean_run):
    # BCP 47 spells them 'EN', 'zh-CN', 'pt_BR' in many tools; refusing 'EN' says 'unknown language'
    src = corpus({"english.txt": lines(EN[0]), "spanish.txt": lines(ES[0]), "german.txt": lines(DE[0])})
    out, result = clean_run(src, "--lang", "EN, Es,zh_CN")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.glob("*.txt")) == ["english.txt", "spanish.txt"]
    assert Cleaner(langs=("ES",)).clean(lines(EN[0], EN[1])).text == ""


def test_a_language_field_in_a_json_record_is_trusted(corpus, clean_run, jsonl):
    records = [{"text": lines(ES[0], ES[1]), "lang": "en"}, {"text": lines(ES[0], ES[1])}]
    src = corpus({"records.jsonl": "".join(json.dumps(r) + "\n" for r in records)})
    out, result = clean_run(src, "--lang", "es", "--no-dedup")
    assert result.exit_code == 0, result.output
    assert not (out / "records" / "000001.txt").exists()
    assert (out / "records" / "000002.txt").exists()
    manifest = jsonl(out / "cleaner-manifest.jsonl")
    assert manifest[0]["reason"] == "language en not in es"


@pytest.mark.parametrize("command", ["clean", "explain"])
def test_an_unknown_language_code_is_refused_before_anything_is_written(corpus, cli, tmp_path, command):
    src = corpus({"english.txt": lines(EN[0])})
    where = [src, tmp_path / "out"] if command == "clean" else [src / "english.txt"]
    result = cli(command, *where, "--lang", "en,eng", env={"COLUMNS": "200"})
    assert result.exit_code == 2
    message = " ".join(result.output.split())
    assert "Invalid value for '--lang': unknown language code(s) eng; known: af, ar," in message
    assert not (tmp_path / "out").exists()  # without the check, every document would have been removed


def test_the_library_refuses_an_unknown_language_code_too():
    with pytest.raises(ValueError, match=r"unknown language code\(s\) english; known: .*\ben\b"):
        Cleaner(langs="english")


def test_zh_and_und_are_codes_to_keep(corpus, clean_run):
    src = corpus({"english.txt": lines(EN[0]), "digits.txt": "1 2 3 4 5 6 7 8 9\n"})
    out, result = clean_run(src, "--lang", "zh,und")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.glob("*.txt")) == ["digits.txt"]
