"""The rule prefilter: literals every match must contain, case classes, and candidates in rule order."""

from __future__ import annotations

import sys

import regex
from prose import DE, EN, ES, FR, PT

from cleaner.prefilter import CaseFold, LiteralScan, required_literals
from cleaner.rules import Rule, load_rules
from cleaner.ruleset import RuleSet

FLAGS = regex.IGNORECASE | regex.V0


def rule(rid: str, pattern: str, **kw) -> Rule:
    return Rule(id=rid, family="test", pattern=regex.compile(pattern, FLAGS), **kw)


def test_a_word_alternation_requires_one_of_its_words():
    assert required_literals(r"^\W*(home|menu|search( for)?)\W*$") == {"home", "menu", "search", "search for"}


def test_optional_parts_are_expanded_and_the_longest_run_is_chosen():
    assert required_literals(r"\b(we|i) (may )?earn\b") == {"we earn", "we may earn", "i earn", "i may earn"}


def test_a_small_character_set_is_expanded():
    assert required_literals(r"end[- ]of[- ]year") == {"end-of-year", "end of-year", "end-of year", "end of year"}


def test_lookarounds_and_anchors_add_nothing_but_do_not_hide_the_rest():
    assert required_literals(r"(?<!not )\bcookie policy(?=\W)") == {"cookie policy"}


def test_nothing_is_required_of_a_pattern_without_literals():
    assert required_literals(r"^[\W_]+$") is None
    assert required_literals(r"^\W*[\d.,:/+-]{1,6}\W*$") is None


def test_a_branch_without_literals_leaves_the_whole_pattern_without():
    assert required_literals(r"cookies|^\d+$") is None


def test_fuzzy_matching_is_not_taken_for_literal_braces():
    # the regex module matches 'cookei' here; re would read {e<=1} as five literal characters
    assert required_literals(r"(?:cookie){e<=1}") is None
    assert regex.search(r"(?:cookie){e<=1}", "cookei", FLAGS)


def test_full_case_folding_is_not_prefiltered():
    assert required_literals(r"(?f)strasse") is None


def test_case_fold_puts_every_case_the_engine_accepts_in_one_class():
    fold = CaseFold("kis")
    for literal, text in (("k", "\u212a"), ("s", "\u017f"), ("i", "\u0130"), ("k", "K")):
        assert regex.fullmatch(literal, text, FLAGS)  # the engine takes them for the same letter
        assert fold(literal) == fold(text)


def test_case_classes_of_the_engine_are_symmetric():
    # CaseFold closes over cases of cases anyway; this is what makes its classes exact
    asymmetric = []
    for cp in range(sys.maxunicode + 1):
        for other in regex._regex.get_all_cases(regex.IGNORECASE | regex.UNICODE, cp):
            if cp not in regex._regex.get_all_cases(regex.IGNORECASE | regex.UNICODE, other):
                asymmetric.append((cp, other))
    assert asymmetric == []


def test_literal_scan_reports_every_set_with_a_member_in_the_text_even_when_they_overlap():
    scan = LiteralScan([frozenset({"cookie"}), frozenset({"cookies policy"}), frozenset({"kies"}), frozenset({"zzz"})])
    assert scan.scan("our cookies policy") == 0b0111
    assert scan.scan("nothing here") == 0


def test_candidates_keep_the_rule_order_and_drop_rules_that_cannot_match():
    rules = RuleSet([rule("a", r"^home$", max_words=2), rule("b", r"cookies"), rule("c", r"^[\W_]+$"),
                     rule("d", r"home page")])
    assert [r.id for r in rules.candidates("Home", "en")] == ["a", "c"]
    assert [r.id for r in rules.candidates("the home page uses cookies", "en")] == ["b", "c", "d"]
    assert [r.id for r in rules.candidates("HOME PAGE", "en")] == ["a", "c", "d"]


def test_word_limits_and_languages_choose_the_rules_shown():
    rules = RuleSet([rule("short", r"menu", max_words=2), rule("es", r"menú", langs=frozenset({"es"}))])
    assert [r.id for r in rules.candidates("menu", "en")] == ["short"]
    assert [r.id for r in rules.candidates("the menu of the day", "en")] == []
    assert [r.id for r in rules.candidates("Menú", "es")] == ["es"]
    assert [r.id for r in rules.candidates("Menú", "und")] == ["es"]


def test_every_rule_that_matches_a_paragraph_is_among_its_candidates():
    rules = load_rules()
    index = RuleSet(rules)
    texts = [*EN, *ES, *FR, *DE, *PT, "Skip to main content", "Home", "Menu", "Share this story", "Facebook",
             "Sign up for our weekly newsletter", "This website uses cookies so that we can remember your choices.",
             "Support our journalism", "Donate now", "By Jane Doe", "Published on March 3, 2024", "5 min read",
             "Tags: politics, harbour", "« Previous post", "Page 2 of 7", "12 comments", "***", "42",
             "Saltar al contenido", "Aller au contenu", "Zum Inhalt springen", "Pular para o conteúdo",
             "WE MAY EARN A COMMISSION when you buy through links", "ſhare thiſ ſtory", "\u212aontakt"]
    for lang in ("en", "es", "fr", "de", "pt", "und"):
        for text in texts:
            shown = {r.id for r in index.candidates(text, lang)}
            matching = {r.id for r in rules if r.applies_to(lang) and r.match(text)}
            assert matching <= shown, (lang, text)
