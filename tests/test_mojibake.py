"""UTF-8 text read as windows-1252 or Latin-1 before cleaner saw it ("donât") is put right, and said so."""

from __future__ import annotations

import json

import pytest
from prose import EN, lines

from cleaner import Cleaner
from cleaner.audit import note_records
from cleaner.mojibake import repair


def garbled(text: str, how: str = "cp1252") -> str:
    """What a site that stores UTF-8 and serves it as windows-1252 shows (as browsers decode it: the
    five bytes windows-1252 leaves undefined are the C1 controls), or as Latin-1."""
    if how == "latin-1":
        return text.encode("utf-8").decode("latin-1")
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in text.encode("utf-8"))


@pytest.mark.parametrize("meant", ["It doesn’t matter", "café crème brûlée", "“quoted” — and … more",
                                   "Straße und Grüße", "привет, мир", "Ελληνικά", "日本語のテキスト", "price: 5 €",
                                   "Über 9000 ™", "a smile 😀"])
def test_utf8_read_as_windows_1252_is_put_right(meant):
    assert repair(garbled(meant)) == (meant, repair(garbled(meant))[1])
    assert repair(garbled(meant))[1] > 0


def test_utf8_read_as_latin1_with_its_c1_controls_is_put_right():
    assert repair(garbled("It doesn’t matter", "latin-1"))[0] == "It doesn’t matter"


@pytest.mark.parametrize("text", ["naïve café, crème brûlée", "»Straße« und „Grüße“", "FJALË” e mbyllur",
                                  "CAFÉ” said the sign", "ÀÉÎÕÜ ÿ", "Ã  la carte is not UTF-8 of anything",
                                  "Romanian: ÎN ROMÂNIA, în România", "plain ASCII text"])
def test_text_that_only_looks_like_mojibake_is_left_alone(text):
    assert repair(text) == (text, 0)


def test_what_is_left_of_a_no_break_space_goes():
    assert repair("with EmbraceÂ and moreÂ\nnext") == ("with Embrace and more\nnext", 2)


def test_a_document_is_cleaned_repaired_and_the_audit_counts_it():
    text = lines(EN[0], garbled("It doesn’t rain much here, and the café by the river stays open until late every "
                               "evening of the summer, when the whole village comes down to the water to talk."), EN[1])
    result = Cleaner(dedup=False, repeated_lines=False).clean(text)
    assert "It doesn’t rain" in result.text and "café" in result.text and "â" not in result.text
    notes = note_records(result.document)
    assert [(n["rule"], n["count"]) for n in notes] == [("mojibake", 2)]
    assert notes[0]["examples"] == [["â€™", "’"], ["Ã©", "é"]]  # what was there, what is now


def test_the_repair_can_be_switched_off():
    text = lines(EN[0], garbled("It doesn’t rain much here, and the café by the river stays open until late every "
                               "evening of the summer, when the whole village comes down to the water to talk."))
    result = Cleaner(dedup=False, repeated_lines=False, repair_mojibake=False).clean(text)
    assert "doesnâ" in result.text and note_records(result.document) == []


def test_a_page_is_repaired_after_extraction_and_the_manifest_notes_it(corpus, cli, tmp_path):
    article = "".join(f"<p>{p}</p>" for p in (EN[0], garbled("The café’s owner said it’s the best summer in years, "
                                                              "and that the river has never been so busy."), EN[1]))
    page = f"<html><head><title>Café</title></head><body><nav>Home</nav><article>{article}</article></body></html>"
    src = corpus({"page.html": page})
    result = cli("clean", src, tmp_path / "out", "--workers", "1")
    assert result.exit_code == 0, result.output
    assert "The café’s owner said it’s" in (tmp_path / "out" / "page.txt").read_text()
    entry = json.loads((tmp_path / "out" / "cleaner-manifest.jsonl").read_text().splitlines()[0])
    assert entry["mojibake_repaired"] == 3  # é, ’ and ’


def test_the_command_line_leaves_it_with_no_repair_mojibake(corpus, cli, tmp_path):
    src = corpus({"a.txt": lines(EN[0], garbled("It doesn’t rain much here, and the café by the river stays open "
                                                "until late every evening of the summer, when the village comes."))})
    result = cli("clean", src, tmp_path / "out", "--workers", "1", "--no-repair-mojibake")
    assert result.exit_code == 0, result.output
    assert "doesnâ" in (tmp_path / "out" / "a.txt").read_text()


@pytest.mark.parametrize("text", [
    "„ÞAÐ“ sagði hann", "VIÐ… og svo",                     # Icelandic: Ð“ would be Г, Ð… Ѕ
    "«SNØ» i natt", "»PÅ Ø« og mere",                       # Norwegian, Danish: Arabic letters
    "«AMANHÃ» disse ela", "A IRMÃ” e o irmão",               # Portuguese: û, Ô
    "«SE ACABÓ» dijo", "“LLEGÓ” ayer", "«AQUÍ» está",       # Spanish: Cyrillic, Greek
    "«ALLÔ» répondit-il", "”HYVÄ” sanoi hän", "”PÅ” betyder on", "“GENÇ” dedi", "“CÔ” ấy nói",
    "«È» una parola; COM'È… così",
    "« C'est réglé\u00a0» dit-il", "« Voilà\u00a0» dit-il",  # French: a no-break space before »
    "“I’d like a café…” she said", "“He said ‘touché’” and left",
    "a surface of 120 Å² and a cell of 40Å³",
    'how many times I saw "Ã¤" instead of "ä"',              # a page about mojibake (devset wcxb-2498)
])
def test_an_accented_letter_before_punctuation_is_left_alone(text):
    """A capital before a closing quote, a small letter before two marks: in a text with no
    mojibake elsewhere, such a pair is the text's own."""
    assert repair(text) == (text, 0)


@pytest.mark.parametrize("meant", ["«NÃO» disse ela, e não voltou", "“SE ACABÓ” y ya está dicho",
                                   "« C'est réglé » et c'est ça", "Il a dit : « Voilà » à sa sœur"])
def test_the_same_pairs_are_put_right_in_a_text_with_mojibake_elsewhere(meant):
    assert repair(garbled(meant))[0] == meant


@pytest.mark.parametrize("meant", ["£5 and 10 £", "© 2024 Nomad", "sąd i łódź"])
def test_a_lone_sign_or_a_letter_inside_a_word_is_put_right_alone(meant):
    """'Â£' is no word's end; 'sÄ…d' (ą) has a letter after its mark: both are mojibake by themselves."""
    assert repair(garbled(meant))[0] == meant


def test_no_character_of_an_unassigned_plane_is_made():
    text = "llegó…»» y"  # F3 85 BB BB would be U+C5EFB, in plane 12, where nothing is assigned
    assert repair(text)[0] == text


def test_a_capital_a_with_circumflex_ending_a_word_in_capitals_stays():
    """Turkish 'HÂLÂ' (still): its last letter is no remnant of a no-break space."""
    assert repair("KARAR HÂLÂ VERİLMEDİ") == ("KARAR HÂLÂ VERİLMEDİ", 0)


def test_the_audit_writes_out_the_invisible_controls_of_latin1_mojibake():
    text = lines(EN[0], garbled("It doesn’t rain much here in the summer, when the whole village comes down to the "
                               "river in the evening to talk about the harvest and the weather.", "latin-1"))
    notes = note_records(Cleaner(dedup=False, repeated_lines=False).clean(text).document)
    assert notes[0]["examples"] == [["â\\x80\\x99", "’"]]
