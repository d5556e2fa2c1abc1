"""A grid of priced records (a shop's category page) is the page's content, however much it looks like a menu."""

from __future__ import annotations

from pathlib import Path

from prose import EN, lines

from cleaner import Cleaner
from cleaner.audit import audit_lines

MENU = ["Home", "Desks", "Chairs", "Storage", "Lighting", "Sale", "Contact us"]
PRODUCTS = [("Bamboo Desk Shelf", "$99+"), ("Walnut Monitor Stand", "$149"), ("Oak Drawer Unit", "$269+"),
            ("Steel File Cabinet", "$279"), ("Cable Tray Kit", "$29+"), ("Foot Rest", "29,99 €")]


def grid(products=PRODUCTS) -> list[str]:
    return [line for name, price in products for line in (name, price)]


def shop_page(*between: str) -> str:
    return lines(*MENU, "Accessories for standing desks", *between, *grid(), "© 2025 Example Shop", *MENU)


def only_the_grid(**options) -> Cleaner:
    return Cleaner(dedup=False, repeated_lines=False, **options)


def test_a_shops_grid_of_names_and_prices_is_kept():
    text = only_the_grid().clean(shop_page()).text
    for name, price in PRODUCTS:
        assert name in text and price in text


def test_without_the_grid_step_the_line_steps_take_the_grid_apart():
    text = only_the_grid(record_grid=False).clean(shop_page()).text
    assert sum(price in text for _, price in PRODUCTS) < 2


def test_the_menus_around_the_grid_stay_removed():
    text = only_the_grid().clean(shop_page()).text
    assert "Contact us" not in text and "Lighting" not in text


def test_a_run_of_short_lines_without_prices_is_not_a_grid():
    menu = [f"Category {c}" for c in "ABCDEFGHIJKL"]
    page = lines(*MENU, *menu, "© 2025 Example Shop")
    doc = only_the_grid().clean(page).document
    assert not any(p.kept_by for p in doc.paragraphs)
    assert doc.clean_text() == only_the_grid(record_grid=False).clean(page).text


def test_a_grid_smaller_than_the_text_kept_around_it_is_left_to_the_classifier():
    article = lines(*MENU, *EN, *EN, *grid(PRODUCTS[:4]), "© 2025 Example Shop")
    with_grid = only_the_grid().clean(article).text
    assert with_grid == only_the_grid(record_grid=False).clean(article).text


def test_a_price_table_without_names_between_the_prices_is_not_a_grid():
    page = lines(*MENU, "Prices", "$10", "$20", "$30", "$40", "$50", "$60", "© 2025 Example Shop")
    doc = only_the_grid().clean(page).document
    assert not any(p.kept_by for p in doc.paragraphs)


def test_prices_between_paragraphs_of_prose_are_a_buyers_guide_not_a_grid():
    guide = [line for i, (name, price) in enumerate(PRODUCTS) for line in (name, EN[i % len(EN)], price)]
    page = lines(*MENU, "The best desk accessories", *guide, "Related coverage", "Sign up now", *MENU)
    doc = only_the_grid().clean(page).document
    assert not any(p.kept_by for p in doc.paragraphs)
    assert doc.clean_text() == only_the_grid(record_grid=False).clean(page).text


def test_what_the_grid_keeps_is_in_the_audit_with_the_removal_it_overrode():
    result = only_the_grid().clean(shop_page())
    kept = result.kept
    assert {r["text"] for r in kept} >= {"$99+", "$149"}
    assert all(r["kept"] and r["text"] in result.text for r in kept)
    assert not {r["text"] for r in result.removals} & {r["text"] for r in kept}  # removals are removals only
    record = next(r for r in kept if r["text"] == "$149")
    assert (record["step"], record["rule"]) == ("records", "record-grid")
    assert record["evidence"]["overrode"] in ("rules/stray-number", "context/sandwiched", "classifier/classifier")
    assert record["evidence"]["overrode_reason"]
    assert '"kept": true' in audit_lines(result.document)


def test_a_document_removed_whole_lists_nothing_as_kept():
    result = only_the_grid(langs=("de",)).clean(shop_page())
    assert result.removed and result.text == ""
    assert result.kept == [] and '"kept": true' not in audit_lines(result.document)


def test_a_rule_that_names_what_a_line_is_still_stands_in_a_grid():
    page = shop_page()
    page = page.replace("Cable Tray Kit", "Share on Facebook")
    assert "Share on Facebook" not in only_the_grid().clean(page).text


def test_which_rules_a_grid_overrides_is_said_by_the_rule_files(tmp_path):
    """Lone numbers are judged by shape (rules/punctuation.yaml says `by_shape: true`); a user's
    replacement file without the flag keeps its removals standing inside a grid too."""
    default = Path(__file__).parents[1] / "rules" / "punctuation.yaml"
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "punctuation.yaml").write_text(default.read_text().replace("by_shape: true", "by_shape: false"))
    page = shop_page()
    removed = {r["text"]: r for r in only_the_grid(rules_dirs=(folder,)).clean(page).removals}
    assert removed["$149"]["rule"] == "stray-number"
    assert "$149" in only_the_grid().clean(page).text


def test_the_run_summary_counts_what_the_grid_kept(corpus, cli, tmp_path):
    src = corpus({"shop.txt": shop_page()})
    result = cli("clean", src, tmp_path / "out", "--workers", "1", env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    kept = [line for line in (tmp_path / "out" / "cleaner-audit.jsonl").read_text().splitlines() if '"kept": true' in line]
    assert kept and f"records / record-grid: kept {len(kept)} paragraphs" in result.output
