"""Segmentation: both conventions of scraped text, and offsets that point back into the document."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from prose import EN

from cleaner import Cleaner
from cleaner.segment import paragraphs

WRAPPED = (
    "The ferry has carried passengers between the two villages for\n"
    "more than a century, and people on both banks still talk about\n"
    "the winter when the ice stopped it for six weeks in a row.\n"
    "\n"
    "Nobody expected the thaw to come so late that year.\n"
)


def texts(text: str) -> list[str]:
    return [p.text for p in paragraphs(text)]


def unwrapped(span: str) -> str:
    """What a joined paragraph's span reads as: its lines, stripped, joined by one space."""
    return " ".join(line.strip() for line in span.splitlines() if line.strip())


def test_one_paragraph_per_line():
    assert texts("First line of the page.\nSecond line of the page.\nThird\n") == [
        "First line of the page.", "Second line of the page.", "Third"]


def test_every_kind_of_line_break_ends_a_line():
    # old Mac files end lines with a bare CR; CRLF text written again in text mode has \r\r\n;
    # some exporters write U+2028
    for newline in ("\r", "\r\n", "\r\r\n", "\u2028", "\u2029"):
        assert texts(newline.join(["Home | News", EN[0], EN[1]])) == ["Home | News", EN[0], EN[1]], repr(newline)
        assert texts(WRAPPED.replace("\n", newline)) == texts(WRAPPED), repr(newline)


def test_a_page_break_or_a_stray_control_character_does_not_cut_a_paragraph():
    # pdftotext ends a page with \n\f; a latin-1 misreading of cp1252 leaves U+0085 where '…' was
    assert texts(WRAPPED.replace("for\n", "for\n\x0c", 1)) == texts(WRAPPED)
    assert texts("The ferry was late\x85 as it always is in winter.") == ["The ferry was late\x85 as it always is in winter."]


def test_blank_lines_separate_paragraphs():
    assert texts("One paragraph here.\n\n\nAnother one here.\n") == ["One paragraph here.", "Another one here."]


def test_hard_wrapped_prose_is_joined_into_one_paragraph():
    assert texts(WRAPPED) == [
        "The ferry has carried passengers between the two villages for more than a century, and people on "
        "both banks still talk about the winter when the ice stopped it for six weeks in a row.",
        "Nobody expected the thaw to come so late that year.",
    ]


def test_short_lines_in_one_block_are_not_joined():
    assert texts("Home\nNews\nSport\n\nWeather\n") == ["Home", "News", "Sport", "Weather"]


def test_bulleted_lines_of_prose_width_are_not_joined():
    block = ("- the first item of the list is long enough to look like wrapped text\n"
             "- the second item of the list is long enough to look like wrapped text\n")
    assert len(texts(block)) == 2


def test_lines_that_each_end_a_sentence_stay_separate():
    block = ("This line is a whole sentence and it is long enough to be wrapped.\n"
             "This line is another sentence and it is also long enough for that.\n"
             "And a last one.\n")
    assert len(texts(block)) == 3


def test_a_line_paragraph_is_exactly_its_span():
    text = "  Indented line with spaces around it.   \r\nPlain line.\n\n\tTabbed line.\n"
    for p in paragraphs(text):
        assert text[p.start:p.end] == p.text
    assert texts(text) == ["Indented line with spaces around it.", "Plain line.", "Tabbed line."]


def test_a_joined_paragraph_spans_its_lines_from_first_to_last_character():
    first = paragraphs(WRAPPED)[0]
    span = WRAPPED[first.start:first.end]
    assert span.startswith("The ferry") and span.endswith("in a row.")
    assert "\n" in span
    assert unwrapped(span) == first.text


def test_prefix_rule_splits_the_paragraph_with_offsets_into_the_document():
    doc = Cleaner().clean("date 2025-08-11 " + EN[0] + "\n" + EN[1] + "\n").document
    head, tail = doc.paragraphs[0], doc.paragraphs[1]
    assert head.text == "date 2025-08-11" and tail.text == EN[0]
    assert doc.text[tail.start:tail.end] == tail.text
    assert doc.text[head.start:head.end].strip() == head.text
    assert head.end <= tail.start


line = st.text(alphabet=st.sampled_from("ab .,\t"), max_size=90)


@settings(max_examples=150, deadline=None, database=None)
@given(st.lists(line, max_size=12), st.sampled_from(["\n", "\r\n", "\r\r\n", "\r", "\u2028"]))
def test_every_paragraph_reads_back_from_its_span(rows, newline):
    text = newline.join(rows)
    found = paragraphs(text)
    for p in found:
        span = text[p.start:p.end]
        assert span == p.text or unwrapped(span) == p.text
        assert p.text == p.text.strip() and p.text
    assert all(a.end < b.start for a, b in zip(found, found[1:], strict=False))
    assert [w for p in found for w in p.text.split()] == text.split()
