"""The lexical score: what a paragraph's words say, the same in every process, learned reproducibly."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
from prose import PROSE, lines

from cleaner import Cleaner, lexical
from cleaner.steps import ParagraphClassifier

BOILERPLATE = ["Add to cart", "Free shipping on orders over $50", "Write a review", "Size guide"]
CONTENT = ["The kettle boils a litre of water in three minutes.", "Its handle stays cool while the water boils."]


def test_the_same_text_gets_the_same_buckets_in_every_process():
    code = "from cleaner import lexical; print(lexical.buckets(['Add to cart now', '本网站使用'])[1].tolist())"
    runs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")}
    assert len(runs) == 1


def test_a_paragraph_without_words_scores_zero():
    assert lexical.scores(np.ones(1 << lexical.BITS), ["", "---", "Add to cart"]).tolist()[:2] == [0.0, 0.0]


def test_digits_are_folded_so_a_count_does_not_make_a_new_word():
    assert lexical.tokens("Reviews (12)") == lexical.tokens("Reviews (3)") == ["reviews", "0"]


def test_training_is_reproducible_and_learns_which_words_are_boilerplate():
    texts = BOILERPLATE * 3 + CONTENT * 3
    y = np.array([0.0] * 12 + [1.0] * 6)
    fits = [lexical.fit(lexical.design(texts), y, np.ones(len(y)), iterations=50) for _ in range(2)]
    assert fits[0][0].astype(np.float16).tobytes() == fits[1][0].astype(np.float16).tobytes()
    score = lexical.scores(fits[0][0], ["Add to cart", "The water boils in three minutes."])
    assert score[0] < 0 < score[1]


def test_the_lexical_score_can_be_switched_off():
    assert ParagraphClassifier(lexical=False).lexical is None
    text = lines("Home", "Shop", "Cart", *PROSE["en"][:2])
    result = Cleaner(rules=False, context=False, content=False, dedup=False, repeated_lines=False,
                     classifier_lexical=False).clean(text)
    assert PROSE["en"][0] in result.text


def test_the_shipped_weights_are_small():
    assert lexical.LEXICAL_PATH.stat().st_size < 4_000_000
    assert lexical.LEXICAL_MODEL_PATH.stat().st_size < 2_000_000
    assert lexical.load().shape == (1 << lexical.BITS,)


def test_a_language_the_lexical_model_knows_is_judged_with_the_score_as_a_feature():
    step = ParagraphClassifier()
    assert "en" in step.lexical_info["languages"]
    assert step.lexical_model.first.names[-1] == "lexical" and "lexical" not in step.model.first.names


def test_a_language_the_lexical_model_has_not_learned_is_judged_by_shape_alone():
    def clean(**lexical_option):
        return Cleaner(rules=False, context=False, content=False, dedup=False, repeated_lines=False,
                       **lexical_option).clean(text)

    text = lines("Startseite", "Impressum", "Kontakt", *PROSE["de"], "Datenschutz")
    assert "de" not in ParagraphClassifier().lexical_info["languages"]
    with_lexical, without = clean(), clean(classifier_lexical=False)
    assert with_lexical.text == without.text
    assert [r["evidence"] for r in with_lexical.removals] == [r["evidence"] for r in without.removals]


def test_a_page_taken_for_a_known_language_whose_stop_words_do_not_fit_is_judged_by_shape_alone():
    """Irish detected as English (it shares a few short words with English: 'a', 'an', 'is', 'i')
    gets the model without the English-trained lexical score; English itself gets the score."""
    from cleaner.reading import from_text

    step = ParagraphClassifier()
    irish = from_text(lines("Baile", "Teagmháil",
                            "Tá an aimsir go hálainn inniu agus tá na páistí ag súgradh sa pháirc mhór in aice leis an abhainn.",
                            "Chuaigh mé go dtí an siopa ar maidin chun arán, im agus bainne úr a cheannach don teaghlach ar fad.",
                            "Cóipcheart"), "ga")
    english = from_text(lines("Home", *PROSE["en"], "Contact"), "en")
    irish.lang = english.lang = "en"
    assert step.scores(irish).model is step.model
    assert step.scores(english).model is step.lexical_model
