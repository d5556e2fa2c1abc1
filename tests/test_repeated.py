"""Repeated lines: a line on at least four pages of one site is boilerplate on all of them, first copy included."""

from __future__ import annotations

from prose import EN, lines

FOOTER = "The Valley Gazette is printed in Millbrook"


def site(pages: int) -> dict[str, str]:
    return {f"gazette/page{i}.txt": lines(EN[i], FOOTER) for i in range(pages)}


def test_a_line_on_four_pages_of_a_site_goes_from_all_of_them(corpus, clean_run, jsonl):
    out, result = clean_run(corpus(site(4)), "--no-content", "--no-classifier", "--no-context")
    assert result.exit_code == 0, result.output
    for i in range(4):
        assert (out / "gazette" / f"page{i}.txt").read_text(encoding="utf-8") == EN[i] + "\n"
    records = jsonl(out / "cleaner-audit.jsonl")
    assert {(r["rule"], r["text"]) for r in records} == {("repeated-line", FOOTER)}
    assert len(records) == 4 and records[0]["evidence"]["documents"] == 4


def test_a_line_on_three_pages_stays(corpus, clean_run):
    out, _ = clean_run(corpus(site(3)), "--no-content", "--no-classifier", "--no-context")
    assert FOOTER in (out / "gazette" / "page0.txt").read_text(encoding="utf-8")


def test_pages_in_different_folders_are_different_sites(corpus, clean_run):
    files = {f"site{i}/page.txt": lines(EN[i], FOOTER) for i in range(4)}
    out, _ = clean_run(corpus(files), "--no-content", "--no-classifier", "--no-context")
    assert FOOTER in (out / "site0" / "page.txt").read_text(encoding="utf-8")


def test_no_repeated_keeps_the_line(corpus, clean_run):
    out, _ = clean_run(corpus(site(4)), "--no-content", "--no-classifier", "--no-context", "--no-repeated")
    assert FOOTER in (out / "gazette" / "page0.txt").read_text(encoding="utf-8")
