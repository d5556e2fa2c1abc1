"""Bytes to text: BOMs, legacy 8-bit encodings, UTF-16, and binary files recorded as failures."""

from __future__ import annotations

import codecs

import pytest
from prose import EN, ES, FR, lines

from cleaner.decode import DecodeError, decode
from cleaner.reading import from_bytes

FRENCH = ("Le vieux bac traverse la rivière depuis plus de cent ans, et la plupart des habitants se souviennent "
          "encore de la première fois où ils y sont montés avec leurs parents, par un matin froid de février. "
          "L'été dernier, la mairie a décidé de réduire le service à deux traversées par jour.")
SPANISH = ("El viejo transbordador cruza el río desde hace más de cien años, y casi todos los vecinos recuerdan "
           "la primera vez que subieron a bordo con sus padres en una mañana fría de invierno. El pasado otoño, "
           "el ayuntamiento decidió reducir el servicio a dos viajes al día.")
ENGLISH = ("The ferry has crossed the river for more than a hundred years, and most people in the village "
           "still remember the first time they went aboard with their parents on a cold morning in February. "
           "Last summer the council decided to cut the service to two crossings a day.")


def test_utf8_with_bom_is_decoded_without_the_bom():
    doc = from_bytes(codecs.BOM_UTF8 + lines(EN[0], FR[0]).encode("utf-8"), "bom.txt")
    assert [p.text for p in doc.paragraphs] == [EN[0], FR[0]]
    assert "\ufeff" not in doc.text


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_bom_is_decoded(encoding):
    bom = {"utf-16": b"", "utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}[encoding]
    doc = from_bytes(bom + lines(ES[0], EN[0]).encode(encoding), "wide.txt")
    assert [p.text for p in doc.paragraphs] == [ES[0], EN[0]]


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_french_in_a_legacy_8bit_encoding_keeps_its_accents(encoding):
    assert decode(FRENCH.encode(encoding)).text == FRENCH


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_spanish_in_a_legacy_8bit_encoding_keeps_its_accents(encoding):
    assert decode(SPANISH.encode(encoding)).text == SPANISH


@pytest.mark.parametrize("text, encoding", [
    ("Burmistrz miasta powiedział wczoraj podczas spotkania z mieszkańcami, że nowy most zostanie "
     "otwarty jesienią, a remont dworca potrwa jeszcze dwa lata. Mieszkańcy pytali też o ścieżki rowerowe.", "cp1250"),
    ("Starosta města včera na setkání s obyvateli řekl, že nový most bude otevřen na podzim a oprava "
     "nádraží potrvá ještě dva roky. Obyvatelé se ptali také na cyklostezky a parkování.", "cp1250"),
    ("Der Bürgermeister sagte gestern, dass die neue Brücke im Herbst eröffnet wird und die Renovierung "
     "des Bahnhofs noch zwei Jahre dauert. Die Bürger fragten auch nach Radwegen und Parkplätzen.", "cp1252"),
])
def test_central_and_western_european_code_pages_are_told_apart(text, encoding):
    assert decode(text.encode(encoding)).text == text


def test_cp1252_curly_quotes_and_euro_sign_are_decoded():
    text = FRENCH + " Le billet coûte désormais 3 € et l’horaire d’hiver est «\u00a0provisoire\u00a0»."
    assert decode(text.encode("cp1252")).text == text


def test_an_html_page_declaring_its_charset_is_decoded_with_it():
    page = f'<html><head><meta charset="windows-1252"></head><body><p>{SPANISH}</p></body></html>'
    assert SPANISH in decode(page.encode("cp1252"), html=True).text


def test_plain_utf8_is_taken_as_it_is():
    decoded = decode(SPANISH.encode("utf-8"))
    assert (decoded.text, decoded.encoding, decoded.replaced) == (SPANISH, "utf-8", 0)


def test_nul_bytes_are_refused_as_binary():
    with pytest.raises(DecodeError, match="binary"):
        decode(b"PK\x03\x04\x00\x00\x08\x00 some zipped bytes")


def test_undecodable_bytes_are_replaced_and_counted():
    doc = from_bytes(codecs.BOM_UTF8 + b"caf\xe9 " + EN[0].encode("utf-8"), "broken.txt")
    assert doc.text.startswith("caf\ufffd ")
    assert doc.meta["undecodable_chars"] == 1


def test_a_binary_file_is_recorded_as_failed_and_the_others_are_written(corpus, clean_run, jsonl):
    src = corpus({"good.txt": lines(EN[0], EN[1]), "image.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"})
    out, result = clean_run(src)
    assert result.exit_code == 1
    assert (out / "good.txt").read_text(encoding="utf-8") == f"{EN[0]}\n\n{EN[1]}\n"
    assert not (out / "image.txt").exists()
    manifest = {entry["doc"]: entry for entry in jsonl(out / "cleaner-manifest.jsonl")}
    assert manifest["image.txt"]["status"] == "failed" and "binary" in manifest["image.txt"]["error"]
    assert manifest["good.txt"]["status"] == "written"


def test_undecodable_bytes_are_counted_in_the_audit_or_manifest(corpus, clean_run):
    src = corpus({"broken.txt": codecs.BOM_UTF8 + b"caf\xe9 " + lines(EN[0], EN[1]).encode("utf-8")})
    out, result = clean_run(src)
    assert result.exit_code == 0
    records = (out / "cleaner-audit.jsonl").read_text(encoding="utf-8") + (out / "cleaner-manifest.jsonl").read_text(encoding="utf-8")
    assert "undecodable" in records


def test_a_page_labelled_latin1_is_read_as_windows_1252_as_browsers_read_it():
    page = '<html><head><meta charset="iso-8859-1"></head><body><p>Le café était fermé… alors</p></body></html>'
    decoded = decode(page.encode("cp1252"), html=True)
    assert "fermé… alors" in decoded.text and "\x85" not in decoded.text


@pytest.mark.parametrize("text", [
    "Café crème brûlée. " + ENGLISH,
    ENGLISH + " We met at the café for a crème brûlée and a naïve résumé review. " + ENGLISH,
    "They hit a piñata in São Paulo, then drove to Zürich for the entrée. " + ENGLISH,
])
@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_english_with_a_few_accented_words_in_a_legacy_8bit_encoding_keeps_them(text, encoding):
    # a long English text is read by the language step in sampled windows, which may miss its
    # one French word; and DOS code pages (cp775: 'cafķ', 'na’ve') decode it as cleanly
    assert decode(text.encode(encoding)).text == text


def test_a_page_declaring_utf8_that_is_not_is_detected_rather_than_replaced():
    # the page's strict UTF-8 decoding has failed already: the label can only be wrong, and
    # honouring it turned every accented letter into U+FFFD
    page = f"<html><head><meta charset='utf-8'></head><body><p>Café crème. {ENGLISH}</p></body></html>"
    decoded = decode(page.encode("cp1252"), html=True)
    assert (decoded.text, decoded.replaced) == (page, 0)
