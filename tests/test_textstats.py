"""The text views every step shares: their fast paths give what their definitions give."""

from __future__ import annotations

import random
import re
import unicodedata

from cleaner.textstats import collapse_space, normalize, words

WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
SPACE = re.compile(r"\s+")
PUNCT = re.compile(r"[^\w\s]|_")
PIECES = ["a", "B", "7", " ", "  ", "\t", "\n", "\x1c", "\u00a0", "\u2028", "_", "-", "'", "’", "é", "İ", "ß",
          "ﬁ", "Ⅻ", "don't", "rock 'n' roll", "x_y", ".", "…", "株式"]


def texts(n: int = 20000):
    rng = random.Random(11)
    for _ in range(n):
        yield "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 8)))


def test_words_are_the_word_pattern_matches():
    for text in texts():
        assert words(text) == tuple(WORD.findall(text)), repr(text)


def test_normalize_is_nfkc_casefold_without_punctuation_and_extra_space():
    for text in texts():
        expected = SPACE.sub(" ", PUNCT.sub(" ", unicodedata.normalize("NFKC", text).casefold())).strip()
        assert normalize(text) == expected, repr(text)


def test_collapse_space_is_nfkc_with_single_spaces():
    for text in texts():
        assert collapse_space(text) == SPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip(), repr(text)
