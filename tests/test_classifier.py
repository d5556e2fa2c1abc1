"""The trained paragraph classifier: keeps prose, drops menus, says why, and can be switched off."""

from __future__ import annotations

import numpy as np
from prose import PROSE, lines

from cleaner import Cleaner
from cleaner.features import paragraph_features, stoplist_fits
from cleaner.model import MODEL_PATH, from_dict, load
from cleaner.options import Options
from cleaner.steps.classifier import expected_f1_threshold
from cleaner.training import GoldIndex, fit_trees, in_training_split

MENU = ["Home", "News", "Sport", "Weather", "Contact us", "About", "Archive"]


def classifier_only() -> Cleaner:
    """Every other mechanism off, to see the classifier on its own."""
    return Cleaner(rules=False, context=False, content=False, dedup=False, repeated_lines=False)


def test_the_classifier_keeps_prose_and_drops_a_menu_run():
    text = lines(*MENU, *PROSE["en"][:3], "Terms", "Privacy", "Cookies", "Sitemap")
    result = classifier_only().clean(text)
    assert result.text == "\n\n".join(PROSE["en"][:3])


def test_the_classifier_works_in_other_languages():
    for lang in ("es", "fr", "de", "pt"):
        text = lines(*MENU, *PROSE[lang], "Impressum", "Kontakt", "Datenschutz", "Facebook", "Twitter")
        result = classifier_only().clean(text)
        assert result.text == "\n\n".join(PROSE[lang]), lang


def test_a_removal_names_the_features_that_decided_it():
    text = lines(*MENU, *PROSE["en"][:2])
    record = next(r for r in classifier_only().clean(text).removals if r["text"] == "Sport")
    assert (record["step"], record["rule"]) == ("classifier", "classifier")
    assert record["evidence"]["p_content"] < 0.5
    assert "=" in record["detail"] and "(-" in record["detail"]  # feature=value (contribution)


def test_the_classifier_can_be_switched_off():
    text = lines(*MENU, *PROSE["en"][:2])
    result = Cleaner(classifier=False, rules=False, context=False, content=False, dedup=False,
                     repeated_lines=False).clean(text)
    assert result.text == text.strip().replace("\n", "\n\n")


def test_a_lower_threshold_keeps_more():
    text = lines(*MENU, *PROSE["en"][:2])
    strict = Cleaner(rules=False, context=False, content=False, dedup=False, repeated_lines=False,
                     classifier_threshold=0.99).clean(text)
    lenient = Cleaner(rules=False, context=False, content=False, dedup=False, repeated_lines=False,
                      classifier_threshold=0.0).clean(text)
    assert len(lenient.text) == len(text.strip().replace("\n", "\n\n")) >= len(strict.text)


def test_a_page_the_model_is_sure_of_drops_its_uncertain_lines_an_unsure_page_keeps_them():
    words = np.ones(6)
    assert expected_f1_threshold(np.array([0.95] * 5 + [0.4]), words, alpha=1.0) == 0.95
    assert expected_f1_threshold(np.array([0.6, 0.4, 0.1, 0.1]), words[:4], alpha=1.0) == 0.4


def test_the_page_threshold_can_be_switched_off_and_an_explicit_threshold_is_fixed():
    from cleaner.steps import ParagraphClassifier

    assert ParagraphClassifier().page_threshold
    assert not ParagraphClassifier(page_threshold=False).page_threshold
    assert not ParagraphClassifier(threshold=0.5).page_threshold
    text = lines(*MENU, *PROSE["en"][:2])
    fixed = Cleaner(rules=False, context=False, content=False, dedup=False, repeated_lines=False,
                    classifier_page_threshold=False).clean(text)
    assert all("page threshold" not in r["reason"] for r in fixed.removals)


def test_the_shipped_model_is_small_and_loads_from_json():
    assert MODEL_PATH.stat().st_size < 2_000_000
    model = load()
    assert 0.0 < model.threshold < 1.0
    assert model.first.names == model.second.names[: len(model.first.names)]


def test_a_gold_label_needs_the_words_in_order_or_a_whole_gold_line():
    gold = GoldIndex("Best dishwasher\n\nThe Bosch 800 series cleans quietly and dries well.")
    assert gold.label("Best dishwasher") == 1.0
    assert gold.label("* The Bosch 800 Series cleans quietly and dries well") == 1.0
    assert gold.label("Dishwasher") == 0.0  # a word of the gold, but not a line of it
    assert gold.label("Series 800 Bosch the well dries") == 0.0  # the words, not their order


def test_the_split_is_fixed_and_about_half():
    ids = [f"page-{i}" for i in range(1000)]
    assert [in_training_split(i) for i in ids] == [in_training_split(i) for i in ids]
    assert 400 < sum(map(in_training_split, ids)) < 600


def test_trees_learn_a_threshold_and_explain_it_the_same_way_every_time():
    rng = np.random.default_rng(0)
    x = rng.random((400, 2))
    y = (x[:, 0] > 0.6).astype(float)
    one = fit_trees(x, y, np.ones(400), ("signal", "noise"), trees=20, depth=2)
    two = fit_trees(x, y, np.ones(400), ("signal", "noise"), trees=20, depth=2)
    assert one == two
    model = from_dict(one)
    prob = model.probability(np.array([[0.9, 0.5], [0.1, 0.5]]))
    assert prob[0] > 0.8 and prob[1] < 0.2
    contrib, bias = model.contributions(np.array([[0.1, 0.5]]))
    assert abs(contrib[0, 0]) > abs(contrib[0, 1])
    assert np.isclose(bias + contrib.sum(), model.log_odds(np.array([[0.1, 0.5]]))[0])


def test_a_coarse_feature_is_split_at_no_more_places_than_it_is_given():
    rng = np.random.default_rng(0)
    x = rng.random((400, 2))
    y = (x[:, 0] + x[:, 1] > 1).astype(float)  # a diagonal: the trees want many thresholds on both
    fine = fit_trees(x, y, np.ones(400), ("a", "page_wide"), trees=20, depth=2)
    coarse = fit_trees(x, y, np.ones(400), ("a", "page_wide"), trees=20, depth=2, coarse={"page_wide": 2})

    def thresholds(model: dict) -> set[float]:
        return {t for tree in model["trees"] for f, t in zip(tree["feature"], tree["threshold"], strict=True) if f == 1}

    assert len(thresholds(fine)) > 2
    assert len(thresholds(coarse)) <= 2
    assert coarse["coarse"] == {"page_wide": 2} and "coarse" not in fine


RU = ("Старый паром, который пересекает реку у подножия деревни, работает уже больше ста лет, и почти все "
      "жители помнят, как впервые переправлялись на нём вместе с родителями холодным зимним утром.")


def test_a_stop_list_that_does_not_fit_the_text_is_not_used():
    doc = Cleaner().document(lines(*MENU, RU, RU))
    doc.lang = "ru"
    assert stoplist_fits(doc)
    doc.lang = "en"  # as if misdetected: English stop words for Russian text
    assert not stoplist_fits(doc)
    assert (paragraph_features(doc) == paragraph_features(doc, use_stopwords=False)).all()


def test_the_content_step_stands_in_for_the_classifier_and_follows_it_only_when_asked():
    from cleaner.chain import build_steps
    from cleaner.steps import ContentClassifier

    def has_content(**options) -> bool:
        return any(isinstance(step, ContentClassifier) for step in build_steps(Options(**options)))

    assert not has_content()
    assert has_content(classifier=False)
    assert has_content(content_with_classifier=True)
    assert not has_content(classifier=False, content=False)


def test_patterns_searched_by_parts_find_what_the_whole_patterns_find():
    """The feature patterns skip texts without what a match needs, and the URL and copyright ones are
    searched as their alternatives: on texts made of the characters they care about, nothing changes."""
    import random
    import re

    from cleaner import features

    whole = {
        "url": (features._URL, re.compile(r"https?://|www\.|\S+@\S+\.\w+|\w\.(?:com|org|net|html?|php)\b", re.I)),
        "copyright": (features._COPYRIGHT, re.compile(r"©|\(c\)\s*\d{4}|\bcopyright\b", re.I)),
        "currency": (features._CURRENCY, re.compile(r"[$€£¥₹₽]|\b(?:USD|EUR|GBP)\b")),
    }
    counted = {"separators": (features._SEPARATORS, re.compile(r"\s[|·•»/>›–-]\s|\s\|\s?|\|")),
               "sentences": (features._SENTENCE_INSIDE, re.compile(r"[.!?。！？…]['\"”’»)\]]*(?:\s|$)")),
               "digits": (features._DIGIT, re.compile(r"\d")), "punctuation": (features._PUNCT, re.compile(r"[^\w\s]"))}
    pieces = list("aAcCoOpPyYrRwWhHıİſK0٣ .!?。…'”»)|·•/>›–-:@$€£_\t\u00a0©(") + [
        "USD", "EUR", "www.", "WWW.", "http://", "copyright", "COPYRİGHT", "(c) 2020", "x.COM", "a@b.co", " | "]
    rng = random.Random(0)
    for _ in range(5000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        for name, (ours, plain) in whole.items():
            assert ours.search(text) == bool(plain.search(text)), (name, text)
        for name, (ours, plain) in counted.items():
            assert ours.count(text) == len(plain.findall(text)), (name, text)


def test_the_main_region_is_the_stretch_whose_scores_add_up_to_the_most():
    from cleaner.steps.classifier import main_region

    assert main_region(np.array([-1.0, 2.0, -1.0, 3.0, -5.0, 1.0])) == (1, 3)  # bridged over the -1
    assert main_region(np.array([1.0, -5.0, 2.0])) == (2, 2)
    assert main_region(np.array([-2.0, -1.0])) == (1, 1)
    assert main_region(np.zeros(0)) == (0, -1)


def _region_page():
    """An article, a menu the threshold removes, then a paragraph the threshold keeps but the model doubts."""
    from cleaner.steps import ParagraphClassifier

    doc = Cleaner().document(lines(*PROSE["en"][:3], "Home", "Shop", "Returns", PROSE["en"][3]))
    prob = np.array([0.9, 0.8, 0.9, 0.1, 0.1, 0.1, 0.41])
    return ParagraphClassifier, doc, prob, [3, 4, 5]


def test_a_doubtful_paragraph_beyond_the_main_region_goes_a_sure_one_stays():
    step, doc, prob, judged = _region_page()
    assert step().outside(doc, prob, 0.4, judged)[0] == {6}
    assert step(region_keep=0.4).outside(doc, prob, 0.4, judged)[0] == set()  # sure enough of it


def test_the_main_region_takes_in_the_kept_paragraphs_that_touch_it():
    step, doc, prob, _ = _region_page()
    # nothing removed between the article and the last paragraph: one stretch, however doubtful its end
    assert step().outside(doc, np.array([0.9, 0.8, 0.9, 0.45, 0.41, 0.45, 0.4]), 0.4, [])[0] == set()


def test_a_page_with_nothing_above_the_cut_has_no_main_region_to_remove_by():
    step, doc, _, _ = _region_page()
    # a fixed threshold above everything: the prose the threshold spares is not split into inside and outside
    prob = np.array([0.3, 0.35, 0.3, 0.1, 0.1, 0.1, 0.3])
    assert step().outside(doc, prob, 0.5, [3, 4, 5]) == (set(), (0, 6))


def test_the_main_region_can_be_switched_off():
    step, doc, prob, judged = _region_page()
    assert step(main_region=False).outside(doc, prob, 0.4, judged)[0] == set()
    options = Options(classifier_main_region=False)  # --no-main-region: see test_cli_options
    from cleaner.chain import build_steps

    assert not next(s for s in build_steps(options) if isinstance(s, step)).main_region


def test_the_main_region_bridges_what_its_content_outweighs():
    step, doc, _, judged = _region_page()
    # the last paragraph is sure enough of itself to outweigh the three menu lines before it
    assert step().outside(doc, np.array([0.9, 0.8, 0.9, 0.1, 0.1, 0.1, 0.55]), 0.4, judged)[0] == set()


def test_a_removal_outside_the_main_region_names_the_region():
    step, doc, prob, judged = _region_page()
    outside, region = step().outside(doc, prob, 0.4, judged)
    assert (outside, region) == ({6}, (0, 2))


def test_paragraphs_an_earlier_step_removed_are_context_but_are_not_scored():
    from cleaner.document import Removal
    from cleaner.steps import ParagraphClassifier

    step = ParagraphClassifier()
    doc = Cleaner().document(lines(*MENU[:3], *PROSE["en"][:3]))
    unscored = step.scores(doc).probability
    doc.paragraphs[1].removed = Removal("rules", "a menu line")
    scores = step.scores(doc)
    assert scores.probability[1] == 0.0 < unscored[1]
    # the others as before but for their context: their neighbour's first-stage score counts as 0
    removed = np.array([p.removed is not None for p in doc.paragraphs])
    chars = np.array([len(p.text) for p in doc.paragraphs], dtype=float)
    everything = scores.model.probability(scores.x, chars, removed)
    kept = ~removed
    assert np.array_equal(scores.probability[kept], everything[kept])
