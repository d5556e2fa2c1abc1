"""Paragraph features for the learned content classifier: a paragraph's own shape and its neighbours'.

Everything here is meant to mean the same in any language: lengths, the stop-word density in
the document's own language (jusText's stop lists; -1 where none is known), punctuation,
digits, capitals (0 in scripts without case), bullets, link-like tokens, the paragraph's place
in the page, the runs of short lines it sits in (menus), how far it is from running prose, and
whether an earlier step (rules, context) already removed it or its neighbours.
"""

from __future__ import annotations

import math
import re
import struct
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from itertools import chain, repeat
from operator import itemgetter
from typing import NamedTuple

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .document import Document
from .textstats import MEMO_SIZE, SENTENCE_END, normalize, stopwords, words


def _finder(strings: tuple[str, ...]) -> re.Pattern | None:
    """A pattern that finds any of `strings`; None when there are none (anything may match)."""
    return re.compile("|".join(map(re.escape, strings))) if strings else None


class _Pattern:
    """A regular expression, and strings of which every text it matches contains one (`needs`).

    re tries a pattern at every position of a text, where looking for a few plain strings is
    quick: most paragraphs have none of what a pattern needs and are not searched at all (the
    same results, for the cost of a scan for the strings).
    """

    def __init__(self, pattern: str, flags: int = 0, needs: tuple[str, ...] = ()):
        self.regex = re.compile(pattern, flags)
        self.needs = needs
        self._needed = _finder(needs)

    def search(self, text: str) -> bool:
        if self._needed is not None and self._needed.search(text) is None:
            return False
        return self.regex.search(text) is not None

    def count(self, text: str) -> int:
        if self._needed is not None and self._needed.search(text) is None:
            return 0
        return len(self.regex.findall(text))


class _AnyOf:
    """Alternatives of a pattern (`a|b|c`), each with what it needs: a text is found by the
    pattern exactly when one of them finds it, and an alternative that cannot match is skipped."""

    def __init__(self, *alternatives: _Pattern):
        self.alternatives = alternatives
        every_one_needs = all(alternative.needs for alternative in alternatives)
        self._needed = _finder(tuple(s for a in alternatives for s in a.needs)) if every_one_needs else None

    def search(self, text: str) -> bool:
        if self._needed is not None and self._needed.search(text) is None:
            return False
        for alternative in self.alternatives:
            if alternative.search(text):
                return True
        return False


class _Character:
    """A pattern of one character without context, counted in ASCII text by bytes.translate in C
    (the ASCII characters it does not match, found by trying each one, are deleted; its matches remain)."""

    def __init__(self, pattern: str):
        self.regex = re.compile(pattern)
        self.others = bytes(c for c in range(128) if not self.regex.fullmatch(chr(c)))

    def count(self, text: str) -> int:
        if text.isascii():
            return len(text.encode("ascii").translate(None, self.others))
        return len(self.regex.findall(text))


_BULLET = re.compile(r"^\s*(?:[*+•·▪►◦‣>]|-(?!\d)|\d{1,3}[.)]\s)")
# https?://|www\.|\S+@\S+\.\w+|\w\.(?:com|org|net|html?|php)\b, ignoring case (which lets a letter
# here match itself and its capital only: no other character lower-cases to c, h, n, o, p or w)
_URL = _AnyOf(_Pattern(r"https?://", re.I, needs=("://",)), _Pattern(r"www\.", re.I, needs=("w.", "W.")),
              _Pattern(r"\S+@\S+\.\w+", re.I, needs=("@",)),
              _Pattern(r"\w\.(?:com|org|net|html?|php)\b", re.I, needs=tuple("." + c for c in "cChHnNoOpP")))
# ©|\(c\)\s*\d{4}|\bcopyright\b, ignoring case (c, r and y match only themselves and their capitals)
_COPYRIGHT = _AnyOf(_Pattern(r"©", re.I, needs=("©",)), _Pattern(r"\(c\)\s*\d{4}", re.I, needs=("(c)", "(C)")),
                    _Pattern(r"\bcopyright\b", re.I, needs=("yr", "yR", "Yr", "YR")))
_SENTENCE_END = _Pattern(SENTENCE_END.pattern, SENTENCE_END.flags, needs=tuple(".!?。！？…"))
_SENTENCE_INSIDE = _Pattern(r"[.!?。！？…]['\"”’»)\]]*(?:\s|$)", needs=tuple(".!?。！？…"))
_SEPARATORS = _Pattern(r"\s[|·•»/>›–-]\s|\s\|\s?|\|", needs=tuple("|·•»/>›–-"))
_DIGIT = _Character(r"\d")
_PUNCT = _Character(r"[^\w\s]")
_CURRENCY = _Pattern(r"[$€£¥₹₽]|\b(?:USD|EUR|GBP)\b", needs=("$", "€", "£", "¥", "₹", "₽", "USD", "EUR", "GBP"))
_DATE_LIKE = _Pattern(r"\b\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b|\b\d{4}\b")
_DATE_DIGITS = 3  # every match of _DATE_LIKE has at least this many digits (\d, as _DIGIT counts them)

SHORT_WORDS = 4  # a line of at most this many words is "short" (a menu item, a label, a button)
PROSE_CHARS = 150
WINDOW = (-3, -2, -1, 1, 2, 3)

# the paragraph's own evidence, in this order
OWN = (
    "log_chars", "log_words", "stop_density", "has_stoplist", "sentence_end", "sentences_per_word",
    "capital_share", "digit_share", "punct_share", "bullet", "url", "copyright", "separators",
    "ends_colon", "mean_word_len", "currency", "date_like", "removed_before", "dup_in_page",
    "prose", "short", "prose_vocab",
)
NEIGHBOUR = ("log_chars", "stop_density", "sentence_end", "bullet", "removed_before", "prose", "short")
PAGE = (
    "position", "char_position", "short_run", "log_short_run", "prose_before", "prose_after",
    "chars_to_prose_before", "chars_to_prose_after", "in_prose_region", "page_prose_share",
    "page_log_paragraphs", "page_short_share", "window_mean_log_chars", "window_prose",
)
NAMES = OWN + tuple(f"{name}@{o:+d}" for o in WINDOW for name in NEIGHBOUR) + PAGE

_CAP = 12  # distances in paragraphs are capped here
# the OWN features that depend on the page or its language, not on the paragraph's text alone
_IN_PAGE = ("stop_density", "has_stoplist", "removed_before", "dup_in_page", "prose", "prose_vocab")
_TEXT = tuple(name for name in OWN if name not in _IN_PAGE)
_text_row = itemgetter(*_TEXT)  # a dict of features -> its values in the order of _TEXT
_ROW = struct.Struct(f"{len(_TEXT)}d")  # those values as the bytes of a float64 row: 8 bytes each in the memo


class _Text(NamedTuple):
    """What a paragraph's text alone says: the columns _TEXT, and counts that page features need."""

    row: bytes  # the values of _TEXT, packed by _ROW
    folded: tuple[str, ...]  # its words, case-folded (the word itself where that changes nothing: shared with words())
    sentences: int


@lru_cache(maxsize=MEMO_SIZE)
def _text(text: str) -> _Text:
    """Memoised by text: a menu, a footer or a button line repeated on every page of a site is read once."""
    tokens = words(text)
    n = len(tokens)
    chars = len(text)
    sentences = _SENTENCE_INSIDE.count(text)
    digits = _DIGIT.count(text)
    features = {
        "log_chars": math.log1p(chars),
        "log_words": math.log1p(n),
        "sentence_end": 1.0 if _SENTENCE_END.search(text.rstrip()) else 0.0,
        "sentences_per_word": sentences / n if n else 0.0,
        "capital_share": _capital_share(tokens),
        "digit_share": digits / chars if chars else 0.0,
        "punct_share": _PUNCT.count(text) / chars if chars else 0.0,
        "bullet": 1.0 if _BULLET.match(text) else 0.0,
        "url": 1.0 if _URL.search(text) else 0.0,
        "copyright": 1.0 if _COPYRIGHT.search(text) else 0.0,
        "separators": min(_SEPARATORS.count(text), 10) / 10,
        "ends_colon": 1.0 if text.rstrip().endswith((":", "：")) else 0.0,
        "mean_word_len": min(sum(map(len, tokens)) / n, 20) if n else 0.0,
        "currency": 1.0 if _CURRENCY.search(text) else 0.0,
        "date_like": 1.0 if digits >= _DATE_DIGITS and _DATE_LIKE.search(text) else 0.0,
        "short": 1.0 if n <= SHORT_WORDS else 0.0,
    }
    folded = tuple(w if w == (f := w.casefold()) else f for w in tokens)
    return _Text(_ROW.pack(*_text_row(features)), folded, sentences)


_NOT_LETTERS = bytes(c for c in range(128) if not chr(c).isalpha())
_NOT_CAPITALS = bytes(c for c in range(128) if not chr(c).isupper())


def _capital_share(tokens: tuple[str, ...]) -> float:
    """Of the words that begin with a letter that has case, the share that begin with a capital."""
    firsts = "".join([w[0] for w in tokens])
    if firsts.isascii():  # an ASCII character has case exactly when it is a letter
        ascii_firsts = firsts.encode("ascii")
        cased, capitals = len(ascii_firsts.translate(None, _NOT_LETTERS)), len(ascii_firsts.translate(None, _NOT_CAPITALS))
    else:
        having_case = [c for c in firsts if c.lower() != c.upper()]
        cased, capitals = len(having_case), sum(map(str.isupper, having_case))
    return capitals / cased if cased else 0.0


class _Words(NamedTuple):
    """The case-folded words of a page, and where each paragraph's begin and end among them."""

    folded: list[str]
    start: np.ndarray
    end: np.ndarray

    @classmethod
    def of(cls, seen: list[_Text]) -> _Words:
        folded = [s.folded for s in seen]
        end = np.cumsum(np.fromiter(map(len, folded), dtype=np.int64, count=len(folded)))
        start = np.concatenate(([0], end[:-1]))
        return cls(list(chain.from_iterable(folded)), start, end)

    def count(self, found: Iterable[bool]) -> np.ndarray:
        """Per paragraph, how many of its words `found` (one flag per word, in order) says yes to."""
        return self.total(np.fromiter(found, dtype=np.int64, count=len(self.folded)))

    def total(self, per_word: np.ndarray) -> np.ndarray:
        """Per paragraph, the sum of `per_word` (integers, one per word in order) over its words."""
        running = np.concatenate(([0], np.cumsum(per_word)))
        return running[self.end] - running[self.start]


class PageWords(NamedTuple):
    """A page's words, read once for all that counts them: the features, whether the stop list
    fits, the classifier's cut (`word_counts`)."""

    seen: list[_Text]  # what each paragraph's text says
    words: _Words
    word_counts: np.ndarray  # per paragraph
    stop_words: np.ndarray | None  # per paragraph; None without a stop list

    @classmethod
    def of(cls, doc: Document, use_stopwords: bool = True) -> PageWords:
        seen = [_text(p.text) for p in doc.paragraphs]
        page_words = _Words.of(seen)
        stop = stopwords(doc.lang) if use_stopwords else frozenset()
        stop_words = page_words.count(map(stop.__contains__, page_words.folded)) if stop else None
        return cls(seen, page_words, page_words.end - page_words.start, stop_words)

    def stoplist_fits(self, min_density: float = 0.05, min_words: int = 10) -> bool:
        """`stoplist_fits` of the page, with the stop list it was read with (none: no stop word)."""
        stop_words = np.zeros_like(self.word_counts) if self.stop_words is None else self.stop_words
        return _fits(stop_words, self.word_counts, min_density, min_words)


def paragraph_features(doc: Document, use_stopwords: bool = True, page: PageWords | None = None) -> np.ndarray:
    """One row per paragraph of `doc` (removed ones too: they are context), columns as in NAMES.

    `page`: the page's words when the caller has them already (`PageWords.of(doc, use_stopwords)`)."""
    paragraphs = doc.paragraphs
    n = len(paragraphs)
    if not n:
        return np.zeros((0, len(NAMES)), dtype=np.float32)
    texts = [p.text for p in paragraphs]
    page = page or PageWords.of(doc, use_stopwords)
    seen, page_words, word_counts, stop_words = page
    table = np.zeros((n, len(OWN)))
    own = {name: k for k, name in enumerate(OWN)}
    values = np.frombuffer(b"".join([s.row for s in seen]), dtype=np.float64)
    table[:, [own[name] for name in _TEXT]] = values.reshape(n, len(_TEXT))
    chars = np.fromiter(map(len, texts), dtype=np.int64, count=n).astype(float)
    if stop_words is not None and _fits(stop_words, word_counts):
        # a paragraph without words has no density, like a language without a stop list
        density = np.where(word_counts > 0, stop_words / np.maximum(word_counts, 1), np.nan)
    else:
        density = np.full(n, np.nan)
    known = ~np.isnan(density)
    sentences = np.array([s.sentences for s in seen], dtype=np.int64)
    prose = ((chars >= PROSE_CHARS) & (~known | (density >= 0.25)) & (sentences >= 1)).astype(float)
    keys = [normalize(text) for text in texts]
    counts = Counter(keys)
    columns = {
        "stop_density": np.where(known, density, -1.0),
        "has_stoplist": known.astype(float),
        "removed_before": np.array([0.0 if p.removed is None else 1.0 for p in paragraphs]),
        "dup_in_page": np.array([1.0 if key and counts[key] > 1 else 0.0 for key in keys]),
        "prose": prose,
        "prose_vocab": _prose_vocabulary(page_words, prose, word_counts),
    }
    for name, values in columns.items():
        table[:, own[name]] = values

    short = table[:, own["short"]]
    total = chars.sum() or 1.0
    before_chars = np.concatenate(([0.0], np.cumsum(chars)[:-1]))
    runs = _run_lengths(short)
    prose_idx = np.flatnonzero(prose)
    first, last = (prose_idx[0], prose_idx[-1]) if len(prose_idx) else (n, -1)
    page = {
        "page_prose_share": float(chars[prose > 0].sum() / total),
        "page_log_paragraphs": math.log1p(n),
        "page_short_share": float(short.mean()),
    }
    rows = np.zeros((n, len(NAMES)), dtype=np.float32)
    column = {name: k for k, name in enumerate(NAMES)}
    rows[:, :len(OWN)] = table
    # the neighbours' columns, the page padded with lines outside it: empty, removed, short
    reach = max(map(abs, WINDOW))
    outside = [1.0 if name in ("removed_before", "short") else -1.0 if name == "stop_density" else 0.0
               for name in NEIGHBOUR]
    padded = np.array([outside] * reach + [outside] * n + [outside] * reach)
    padded[reach:reach + n] = table[:, [own[name] for name in NEIGHBOUR]]
    for o in WINDOW:
        rows[:, [column[f"{name}@{o:+d}"] for name in NEIGHBOUR]] = padded[reach + o:reach + o + n]
    index = np.arange(n)
    # the nearest prose paragraph before and after each paragraph (-1 / n when there is none)
    last_before = np.maximum.accumulate(np.where(prose > 0, index, -1))
    last_before = np.concatenate(([-1], last_before[:-1]))
    first_after = np.minimum.accumulate(np.where(prose > 0, index, n)[::-1])[::-1]
    first_after = np.concatenate((first_after[1:], [n]))
    cum = np.concatenate(([0.0], np.cumsum(chars)))
    has_before, has_after = last_before >= 0, first_after < n
    page_columns = {
        "position": index / max(n - 1, 1),
        "char_position": before_chars / total,
        "short_run": np.minimum(runs, 50) / 50,
        "log_short_run": np.log1p(runs),
        "prose_before": np.where(has_before, np.minimum(index - last_before, _CAP), _CAP),
        "prose_after": np.where(has_after, np.minimum(first_after - index, _CAP), _CAP),
        "chars_to_prose_before": np.where(has_before, np.log1p(np.maximum(cum[index] - cum[last_before + 1], 0)), 10.0),
        "chars_to_prose_after": np.where(has_after, np.log1p(np.maximum(cum[first_after] - cum[index + 1], 0)), 10.0),
        "in_prose_region": ((first <= index) & (index <= last)).astype(float),
        "window_mean_log_chars": _window_mean(table[:, own["log_chars"]], 3),
        "window_prose": _window_sum(prose, 3),
        **page,
    }
    for name, values in page_columns.items():
        rows[:, column[name]] = values
    return rows


def _window_sum(values: np.ndarray, reach: int) -> np.ndarray:
    """values[i - reach : i + reach + 1].sum() for each i, added left to right as numpy adds so few.

    The zeros padding the page's ends change no sum: no value here is negative (no -0.0 to turn into 0.0).
    """
    padding = np.zeros(reach)
    return sliding_window_view(np.concatenate((padding, values, padding)), 2 * reach + 1).sum(axis=1)


def _window_mean(values: np.ndarray, reach: int) -> np.ndarray:
    """values[max(0, i - reach) : i + reach + 1].mean() for each i (fewer values at the page's ends)."""
    index = np.arange(len(values))
    count = np.minimum(index + reach, len(values) - 1) - np.maximum(index - reach, 0) + 1
    return _window_sum(values, reach) / count


def stoplist_fits(doc: Document, min_density: float = 0.05, min_words: int = 10) -> bool:
    """Whether the stop list of the detected language fits the text at all.

    A misdetected language (Armenian taken for Estonian, Zulu for Swahili: langdetect knows
    neither) gives a stop-word density near 0 everywhere, which would make every paragraph look
    like a menu; then the features are computed as for a language without a stop list.
    Running text in a language whose stop list it is has well over 5% stop words.
    """
    return PageWords.of(doc).stoplist_fits(min_density, min_words)


def _fits(stop_words: np.ndarray, word_counts: np.ndarray, min_density: float = 0.05, min_words: int = 10) -> bool:
    """stoplist_fits, from each paragraph's counts of stop words and of words."""
    long = word_counts >= min_words
    words_in_long = int(word_counts[long].sum())
    return not words_in_long or int(stop_words[long].sum()) >= min_density * words_in_long


def _prose_vocabulary(page_words: _Words, prose: np.ndarray, word_counts: np.ndarray) -> np.ndarray:
    """The share of a paragraph's words that the page's running prose (other than itself) also uses.

    A heading, a caption or a list item of the main text speaks of what the text speaks of; a
    menu, a footer or a teaser for another page mostly does not. A word of a prose paragraph
    counts when another prose paragraph has it too: when two or more prose paragraphs have it.
    """
    folded = page_words.folded
    in_prose = Counter()  # word -> how many prose paragraphs have it
    for i in np.flatnonzero(prose):
        in_prose.update(set(folded[page_words.start[i]:page_words.end[i]]))
    needed = np.repeat(1 + (prose > 0), word_counts)  # per word: in how many prose paragraphs it must be
    found = np.fromiter(map(in_prose.get, folded, repeat(0)), dtype=np.int64, count=len(folded))
    shared = page_words.total(found >= needed)
    return np.where(word_counts > 0, shared / np.maximum(word_counts, 1), 0.0)


def _run_lengths(flags: np.ndarray) -> np.ndarray:
    """For each position, the length of the run of non-zero flags it belongs to (0 outside runs)."""
    on = np.concatenate(([False], flags != 0, [False]))
    edges = np.flatnonzero(on[1:] != on[:-1])  # where runs start and end, alternately
    lengths = edges[1::2] - edges[::2]
    out = np.zeros(len(flags))
    out[on[1:-1]] = np.repeat(lengths, lengths)
    return out


# the second stage sees, besides a paragraph's own features, what the first stage thought of
# it and of its neighbours: jusText's context revision, learned
CONTEXT_WINDOW = (-5, -4, -3, -2, -1, 1, 2, 3, 4, 5)
CONTEXT = (("p",) + tuple(f"p@{o:+d}" for o in CONTEXT_WINDOW)
           + ("p_mean@5", "p_max_before", "p_max_after", "content_chars_before", "content_chars_after",
              "page_p_mean", "page_content_share"))


# the columns that are the same for every paragraph of a page (of NAMES and CONTEXT): together, finely
# split, they tell the training pages apart, and trees learn a page's labels from them instead of its text
PAGE_WIDE = ("page_prose_share", "page_log_paragraphs", "page_short_share", "page_p_mean", "page_content_share")


def context_features(prob: np.ndarray, chars: np.ndarray, removed: np.ndarray) -> np.ndarray:
    """Columns CONTEXT for each paragraph, from first-stage probabilities (0 for removed paragraphs)."""
    n = len(prob)
    p = np.where(removed, 0.0, prob)
    padded = np.concatenate((np.zeros(5), p, np.zeros(5)))
    content = chars * (p >= 0.5)
    total = max(chars.sum(), 1.0)
    before = np.concatenate(([0.0], np.cumsum(content)[:-1]))
    after = content.sum() - before - content
    rows = np.zeros((n, len(CONTEXT)), dtype=np.float32)
    rows[:, 0] = p
    for k, o in enumerate(CONTEXT_WINDOW, 1):
        rows[:, k] = padded[5 + o: 5 + o + n]
    k = len(CONTEXT_WINDOW) + 1
    window = np.stack([padded[5 + o: 5 + o + n] for o in range(-5, 6)])
    rows[:, k] = window.mean(axis=0)
    # the largest p of the 10 paragraphs before / after (0 where there are none: no p is below 0)
    rows[:, k + 1] = sliding_window_view(np.concatenate((np.zeros(10), p)), 10)[:n].max(axis=1)
    rows[:, k + 2] = sliding_window_view(np.concatenate((p[1:], np.zeros(10))), 10)[:n].max(axis=1)
    rows[:, k + 3] = before / total
    rows[:, k + 4] = after / total
    rows[:, k + 5] = p.mean() if n else 0.0
    rows[:, k + 6] = content.sum() / total
    return rows
