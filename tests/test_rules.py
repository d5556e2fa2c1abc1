"""Boilerplate rules, one family at a time: the boilerplate goes with its rule id, the prose stays."""

from __future__ import annotations

import pytest
from prose import DE, EN, ES, FR, PT, lines

from cleaner import Cleaner, clean_text
from cleaner.rules import default_rules_dir, load_rules


def removed(result) -> dict[str, str]:
    """Removed text -> the rule that removed it."""
    return {r["text"]: r["rule"] for r in result.removals}


def kept(result) -> list[str]:
    return result.text.split("\n\n")


def test_skip_link_and_menu_labels_go_the_article_stays():
    result = Cleaner().clean(lines("Skip to main content", "Home", "Menu", EN[0], EN[1]))
    assert kept(result) == [EN[0], EN[1]]
    assert removed(result) == {"Skip to main content": "nav-skip-link", "Home": "nav-menu-label", "Menu": "nav-menu-label"}


def test_spam_link_line_between_paragraphs_goes():
    result = Cleaner().clean(lines(EN[0], "free minecraft mods apk", EN[1]))
    assert kept(result) == [EN[0], EN[1]]
    assert removed(result) == {"free minecraft mods apk": "spam-download-keywords"}


def test_donation_heading_takes_its_block_but_not_the_article_paragraph_after_it():
    widget = ["Support our journalism", "Readers like you keep the paper going.", "Donate now"]
    result = Cleaner().clean(lines(EN[0], *widget, EN[1], EN[2]))
    assert kept(result) == [EN[0], EN[1], EN[2]]
    assert removed(result) == dict.fromkeys(widget, "donation-heading")
    body = next(r for r in result.removals if r["text"] == widget[1])
    assert body["detail"] == "in the block under a boilerplate heading"


def test_newsletter_sign_up_block_goes():
    block = ["Sign up for our weekly newsletter", "The best stories from the valley, every Friday.", "Enter your email"]
    result = Cleaner().clean(lines(EN[0], *block, EN[1]))
    assert kept(result) == [EN[0], EN[1]]
    assert removed(result) == {block[0]: "newsletter-heading", block[1]: "newsletter-heading",
                               block[2]: "newsletter-email-field"}


def test_cookie_notice_goes():
    notice = "This website uses cookies so that we can remember your choices between visits."
    result = Cleaner().clean(lines(EN[0], notice, EN[1]))
    assert kept(result) == [EN[0], EN[1]]
    assert removed(result) == {notice: "cookie-notice"}


def test_share_widget_labels_go():
    result = Cleaner().clean(lines(EN[0], EN[1], "Share this story", "Facebook", "WhatsApp", "Copy link", EN[2]))
    assert kept(result) == [EN[0], EN[1], EN[2]]
    assert removed(result) == {"Share this story": "share-label", "Facebook": "share-network-name",
                               "WhatsApp": "share-network-name", "Copy link": "share-label"}


def test_author_bio_at_the_end_goes():
    bio = "Martha Quill is a freelance reporter who has covered rivers and rural transport for the Valley Gazette since 2019."
    result = Cleaner().clean(lines(EN[0], EN[1], bio))
    assert kept(result) == [EN[0], EN[1]]
    assert removed(result) == {bio: "author-bio"}


def test_leading_date_token_is_cut_and_the_sentence_kept():
    result = Cleaner().clean(lines("date 2025-08-11 " + EN[0], EN[1]))
    assert kept(result) == [EN[0], EN[1]]
    assert removed(result) == {"date 2025-08-11": "meta-date-prefix"}
    assert result.removals[0]["detail"] == "prefix of the paragraph"


def test_a_line_that_is_only_a_full_stop_goes():
    result = Cleaner().clean(lines(EN[0], ".", EN[1]))
    assert kept(result) == [EN[0], EN[1]]
    assert removed(result) == {".": "stray-punctuation"}


def test_every_removal_by_a_rule_names_the_rules_step_and_its_family():
    result = Cleaner().clean(lines("Skip to content", EN[0], "Share", EN[1]))
    assert [(r["step"], r["evidence"]["family"]) for r in result.removals] == [("rules", "navigation"), ("rules", "social")]


MULTILINGUAL = {
    "es-donation": (ES, ["Apóyanos", "Tu apoyo es fundamental para seguir informando."], "donation-heading-es"),
    "es-newsletter": (ES, ["Suscríbete a nuestro boletín semanal"], "newsletter-heading-es"),
    "es-cookies": (ES, ["Utilizamos cookies para mejorar tu experiencia en este sitio."], "cookie-notice-other"),
    "fr-donation": (FR, ["Soutenez-nous", "Votre soutien est essentiel pour notre rédaction."], "donation-heading-fr"),
    "fr-newsletter": (FR, ["Abonnez-vous à notre newsletter"], "newsletter-heading-fr"),
    "fr-cookies": (FR, ["Nous utilisons des cookies pour améliorer votre expérience."], "cookie-notice-other"),
    "de-donation": (DE, ["Jetzt spenden", "Ihre Unterstützung ist wichtig für unsere Redaktion."], "donation-heading-de"),
    "de-newsletter": (DE, ["Newsletter abonnieren"], "newsletter-heading-de"),
    "de-cookies": (DE, ["Wir verwenden Cookies, um Ihnen ein besseres Erlebnis zu bieten."], "cookie-notice-other"),
    "pt-donation": (PT, ["Apoie-nos", "Sua contribuição é essencial para o nosso jornalismo."], "donation-heading-pt"),
    "pt-newsletter": (PT, ["Assine a nossa newsletter"], "newsletter-heading-pt"),
    "pt-cookies": (PT, ["Este site usa cookies para melhorar a sua experiência."], "cookie-notice-other"),
}


@pytest.mark.parametrize("prose, boilerplate, rule", MULTILINGUAL.values(), ids=MULTILINGUAL.keys())
def test_rules_in_other_languages_remove_their_boilerplate(prose, boilerplate, rule):
    result = Cleaner().clean(lines(prose[0], *boilerplate, prose[1]))
    assert kept(result) == [prose[0], prose[1]]
    assert removed(result) == dict.fromkeys(boilerplate, rule)


def test_a_spanish_only_rule_does_not_fire_on_an_english_document():
    result = Cleaner(content=False, classifier=False, context=False).clean(lines(EN[0], "Saltar al contenido", EN[1]))
    assert result.lang == "en"
    assert "Saltar al contenido" in kept(result)
    assert result.removals == []


def test_the_same_spanish_only_rule_fires_on_a_spanish_document():
    result = Cleaner(content=False, classifier=False, context=False).clean(lines(ES[0], "Saltar al contenido", ES[1]))
    assert removed(result) == {"Saltar al contenido": "nav-skip-link-es"}


def test_no_rules_switches_the_rules_off():
    assert "Skip to content" in clean_text(lines("Skip to content", EN[0]), rules=False, content=False, classifier=False, context=False)


def test_default_rules_folder_holds_one_file_per_family():
    families = {"navigation", "ads", "donation", "newsletter", "cookies", "social", "bylines", "metadata", "punctuation"}
    folder = default_rules_dir()
    assert folder.is_dir()
    assert families <= {p.stem for p in folder.glob("*.yaml")}
    assert families <= {rule.family for rule in load_rules()}


def test_rule_ids_are_unique_across_the_default_files():
    ids = [rule.id for rule in load_rules()]
    assert len(ids) == len(set(ids))


def test_the_rest_of_a_paragraph_after_a_cut_prefix_is_checked_again():
    result = Cleaner().clean(lines("published 2025-08-10 updated 2025-08-11 " + EN[0], EN[1]))
    assert kept(result) == [EN[0], EN[1]]
