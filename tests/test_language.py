"""Language detection: deterministic, never failing on odd text, and paragraph-aware with --lang."""

from __future__ import annotations

import json
import multiprocessing
import os
import threading
import time

import numpy as np
import pytest
from typer.testing import CliRunner

from cleaner import language
from cleaner.chain import build_steps
from cleaner.cli import app
from cleaner.language import UNDETERMINED, detect, profiles
from cleaner.options import Options
from cleaner.reading import from_text
from cleaner.steps import DetectLanguage, ForeignParagraphs, KeepLanguages

ENGLISH = (
    "The committee met on Tuesday to discuss the new budget for the public library, which has been "
    "closed for repairs since the storm damaged its roof last winter. Members agreed that the reading "
    "room should reopen before the summer holidays, when children have more time to read."
)
GERMAN = (
    "Der Gemeinderat hat am Dienstag beschlossen, die Stadtbibliothek nach den Reparaturen am Dach "
    "wieder zu öffnen. Die Arbeiten hatten länger gedauert als geplant, weil im Winter kaum gebaut "
    "werden konnte und die Lieferung der Ziegel sich immer wieder verzögert hat."
)
SAMPLES = {
    "en": ENGLISH,
    "de": GERMAN,
    "fr": "Le conseil municipal a décidé mardi de rouvrir la bibliothèque après les travaux de réparation du toit.",
    "es": "El ayuntamiento decidió el martes reabrir la biblioteca después de las obras de reparación del tejado.",
    "ru": "Городской совет во вторник решил вновь открыть библиотеку после ремонта крыши, который затянулся.",
    "ja": "市議会は火曜日、屋根の修理が終わった後に図書館を再開することを決めました。工事は予定より長くかかりました。",
}


def test_common_languages_are_recognised():
    for lang, text in SAMPLES.items():
        assert detect(text)[0] == lang, text


def test_langdetect_engine_is_kept_for_comparison():
    assert detect(ENGLISH, engine="langdetect")[0] == "en"
    assert detect(GERMAN, engine="langdetect")[0] == "de"


def test_unknown_engine_is_refused():
    with pytest.raises(ValueError, match="engine"):
        detect(ENGLISH, engine="fasttext")
    with pytest.raises(ValueError, match="engine"):
        build_steps(Options(lang_engine="fasttext"))


def test_same_text_gives_the_same_answer_every_time_in_one_process():
    first = {lang: detect(text) for lang, text in SAMPLES.items()}
    for _ in range(3):
        for lang, text in reversed(SAMPLES.items()):
            assert detect(text) == first[lang]


def test_scores_are_identical_bit_for_bit_whatever_was_scored_before():
    model = profiles()
    before, known = model.score(GERMAN)
    model.score(ENGLISH * 20)
    after, known_after = model.score(GERMAN)
    assert known == known_after > 0
    assert np.array_equal(before, after)


def test_langdetect_engine_is_deterministic_too():
    answers = {detect(ENGLISH[:60], engine="langdetect") for _ in range(5)}
    assert len(answers) == 1


HINDI = (
    "भारत एक विशाल देश है जहाँ अनेक भाषाएँ बोली जाती हैं। यहाँ के लोग अलग अलग त्योहार मिलकर "
    "मनाते हैं और एक दूसरे की संस्कृति का सम्मान करते हैं।"
)
SHARE_MENU = (
    "Share to Twitter Share to Facebook Share to Pinterest Posted by Admin on Friday, 15 April 2011 "
    "at 11:10 PM Labels: News, Politics, Sports Read More Latest News Home About Contact"
)


def test_english_menus_in_a_page_in_another_script_do_not_decide_its_language():
    assert detect(f"{SHARE_MENU} {HINDI}")[0] == "hi"
    assert detect(f"{HINDI} {SHARE_MENU}")[0] == "hi"


def test_a_short_quote_in_another_script_leaves_an_english_text_english():
    assert detect(f'{ENGLISH} The sign said "Добро пожаловать в Москву" in big letters.')[0] == "en"


def test_a_long_text_is_judged_on_all_its_length_not_only_its_beginning():
    text = f"{ENGLISH} {ENGLISH} " + " ".join([GERMAN] * 8)
    assert detect(text[:512])[0] == "en"
    assert detect(text)[0] == "de"


def test_the_hash_table_finds_exactly_the_ngrams_the_profiles_know():
    model = profiles()
    unknown = np.random.default_rng(0).integers(0, model.base**3, 100_000)
    codes = np.concatenate((model.codes, unknown, model.codes[::7]))
    expected = np.searchsorted(model.codes, codes)
    expected = expected[model.codes.take(expected, mode="clip") == codes]
    assert np.array_equal(np.sort(model.rows(codes)), np.sort(expected))


def _answers(texts: list[str]) -> list[tuple[str, float]]:
    return [detect(t) for t in texts]


@pytest.mark.parametrize("method", ["spawn", "fork"])
def test_a_started_process_gives_the_same_answers(method):
    if method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"no {method} on this platform")
    texts = [*SAMPLES.values(), ENGLISH[:40], GERMAN[:40], "Paris Texas"]
    with multiprocessing.get_context(method).Pool(1) as pool:
        theirs = pool.apply(_answers, (texts,))
    assert theirs == _answers(texts)


def test_threads_loading_the_model_at_once_agree(monkeypatch):
    monkeypatch.setattr(language, "_PROFILES", None)
    results: list[tuple[str, float]] = []
    threads = [threading.Thread(target=lambda: results.append(detect(GERMAN))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [detect(GERMAN)] * 4


@pytest.mark.parametrize("text", [
    "", "   \n\t  ", "12345 67.890 2024-01-01", "😀😀😀 🎉🎉 👍", "!!! ??? ... ---", "abc", "Hi there",
    "١٢٣٤٥٦٧٨٩ ٠١٢", "https://example.com/some/long/path?with=query&and=more", "😀" * 500, "\x00\ufffd\uffff",
])
def test_text_without_enough_letters_is_undetermined(text):
    assert detect(text) == (UNDETERMINED, 0.0)
    assert detect(text, engine="langdetect") == (UNDETERMINED, 0.0)


def test_letters_unknown_to_every_profile_are_undetermined():
    cherokee = "ᏣᎳᎩ ᎦᏬᏂᎯᏍᏗ ᎠᏍᎦᏯ ᎤᏪᏥ ᎠᎴ ᎤᏓᏅᏘ ᏄᏍᏛ ᎠᏂᏴᏫ ᎦᏚᎲ ᏗᏂᎳᏫᎩ"
    assert detect(cherokee) == (UNDETERMINED, 0.0)


def test_a_few_characters_are_not_judged():
    assert detect("Danke schön", min_letters=20) == (UNDETERMINED, 0.0)


def _document(*paragraphs: str):
    return from_text("\n\n".join(paragraphs), "doc")


def _judge(doc, langs=("en",), **kwargs):
    for step in (DetectLanguage(), KeepLanguages(langs), ForeignParagraphs(langs, **kwargs)):
        if doc.removed is None:
            step.apply(doc)
    return doc


def test_a_long_paragraph_in_another_language_is_dropped_with_its_evidence():
    doc = _judge(_document(ENGLISH, GERMAN, ENGLISH.replace("Tuesday", "Friday")))
    assert doc.lang == "en"
    assert [p.removed is None for p in doc.paragraphs] == [True, False, True]
    removal = doc.paragraphs[1].removed
    assert removal.step == "language" and removal.rule == "foreign-paragraph"
    evidence = dict(removal.evidence)
    assert evidence["lang"] == "de" and evidence["confidence"] >= 0.99


def test_short_quotes_and_names_are_not_judged():
    doc = _judge(_document(ENGLISH, "« Liberté, égalité, fraternité »", "Jürgen Müller-Lüdenscheidt", "Carpe diem.",
                           ENGLISH.replace("Tuesday", "Friday")))
    assert all(p.removed is None for p in doc.paragraphs)


def test_paragraphs_in_any_asked_language_stay():
    doc = _judge(_document(ENGLISH, GERMAN, ENGLISH.replace("Tuesday", "Friday")), langs=("en", "de"))
    assert all(p.removed is None for p in doc.paragraphs)


def test_an_unsure_judgement_keeps_the_paragraph():
    doc = _judge(_document(ENGLISH, GERMAN, ENGLISH.replace("Tuesday", "Friday")), min_confidence=1.01)
    assert all(p.removed is None for p in doc.paragraphs)


def test_a_document_in_another_language_is_removed_whole_not_paragraph_by_paragraph():
    doc = _judge(_document(GERMAN, GERMAN.replace("Dienstag", "Freitag")))
    assert doc.removed is not None and doc.removed.rule == "lang-filter"
    assert all(p.removed is None for p in doc.paragraphs)


def test_foreign_paragraphs_step_is_built_only_with_langs_and_can_be_switched_off():
    def names(options):
        return [type(s).__name__ for s in build_steps(options)]

    assert "ForeignParagraphs" not in names(Options())
    assert "ForeignParagraphs" in names(Options(langs=("en",)))
    assert "ForeignParagraphs" not in names(Options(langs=("en",), foreign_paragraphs=False))


def _run_cli(tmp_path, *args):
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    (src / "mixed.txt").write_text(f"{ENGLISH}\n\n{GERMAN}\n\n{ENGLISH.replace('Tuesday', 'Friday')}\n", encoding="utf-8")
    (src / "german.txt").write_text(f"{GERMAN}\n\n{GERMAN.replace('Dienstag', 'Freitag')}\n", encoding="utf-8")
    off = ["--no-rules", "--no-context", "--no-content", "--no-classifier", "--no-repeated", "--no-dedup"]
    result = CliRunner().invoke(app, ["clean", str(src), str(out), "--workers", "1", "--quiet", *off, *args])
    assert result.exit_code == 0, result.output
    audit = [json.loads(line) for line in (out / "cleaner-audit.jsonl").read_text(encoding="utf-8").splitlines()]
    return out, audit


def test_cli_lang_drops_foreign_documents_and_foreign_paragraphs(tmp_path):
    out, audit = _run_cli(tmp_path, "--lang", "en")
    text = (out / "mixed.txt").read_text(encoding="utf-8")
    assert "library" in text and "Gemeinderat" not in text
    assert not (out / "german.txt").exists()
    paragraph = next(r for r in audit if r["doc"] == "mixed.txt")
    assert paragraph["step"] == "language" and paragraph["evidence"]["lang"] == "de"
    assert paragraph["evidence"]["confidence"] >= 0.99
    assert any(r["doc"] == "german.txt" and r["paragraph"] is None for r in audit)


def test_cli_can_keep_foreign_paragraphs(tmp_path):
    out, audit = _run_cli(tmp_path, "--lang", "en", "--keep-foreign-paragraphs")
    assert "Gemeinderat" in (out / "mixed.txt").read_text(encoding="utf-8")
    assert not any(r["doc"] == "mixed.txt" for r in audit)


def test_cli_without_lang_keeps_every_language(tmp_path):
    out, audit = _run_cli(tmp_path)
    assert "Gemeinderat" in (out / "mixed.txt").read_text(encoding="utf-8")
    assert (out / "german.txt").exists()
    assert audit == []


def _same_profiles(a: language.Profiles, b: language.Profiles) -> bool:
    arrays = ("codes", "log_probs", "chars", "slot_codes", "slot_rows")
    return a.langs == b.langs and a.base == b.base and all(
        getattr(a, name).dtype == getattr(b, name).dtype
        and getattr(a, name).tobytes() == getattr(b, name).tobytes() for name in arrays)


def test_cached_profiles_are_the_built_ones_bit_for_bit(tmp_path, monkeypatch):
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(tmp_path))
    built = language.Profiles.load()
    first = language.Profiles.cached()  # builds and saves
    assert list(tmp_path.glob("language-profiles-*.npz")) == [language.cache_file()]
    again = language.Profiles.cached()  # reads
    assert _same_profiles(first, built) and _same_profiles(again, built)


def test_a_damaged_or_outdated_profile_cache_is_replaced(tmp_path, monkeypatch):
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(tmp_path))
    stale, other = tmp_path / "language-profiles-0123.npz", tmp_path / "language-profiles-4567.npz"
    stale.write_bytes(b"from an older version")
    os.utime(stale, (time.time() - 2 * 24 * 3600,) * 2)
    other.write_bytes(b"another install's, written just now")
    language.cache_file().write_bytes(b"cut short")
    assert _same_profiles(language.Profiles.cached(), language.Profiles.load())
    assert sorted(tmp_path.glob("language-profiles-*.npz")) == sorted([language.cache_file(), other])
    assert _same_profiles(language.Profiles.read(language.cache_file()), language.Profiles.load())


def test_the_profile_cache_is_readable_as_any_new_file_is(tmp_path, monkeypatch):
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(tmp_path))
    language.Profiles.cached()
    umask = os.umask(0o022)
    os.umask(umask)
    assert language.cache_file().stat().st_mode & 0o777 == 0o666 & ~umask


def test_an_empty_cache_dir_setting_turns_the_profile_cache_off(tmp_path, monkeypatch):
    monkeypatch.setenv("CLEANER_CACHE_DIR", "")
    assert language.cache_file() is None
    assert _same_profiles(language.Profiles.cached(), language.Profiles.load())
