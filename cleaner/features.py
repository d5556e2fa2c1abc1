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
from collections import Counter

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .document import Document
from .textstats import SENTENCE_END, normalize, stopword_density, stopwords, words

_BULLET = re.compile(r"^\s*(?:[*+•·▪►◦‣>]|-(?!\d)|\d{1,3}[.)]\s)")
_URL = re.compile(r"https?://|www\.|\S+@\S+\.\w+|\w\.(?:com|org|net|html?|php)\b", re.I)
_COPYRIGHT = re.compile(r"©|\(c\)\s*\d{4}|\bcopyright\b", re.I)
_SENTENCE_INSIDE = re.compile(r"[.!?。！？…]['\"”’»)\]]*(?:\s|$)")
_SEPARATORS = re.compile(r"\s[|·•»/>›–-]\s|\s\|\s?|\|")
_DIGIT = re.compile(r"\d")
_PUNCT = re.compile(r"[^\w\s]")
_CURRENCY = re.compile(r"[$€£¥₹₽]|\b(?:USD|EUR|GBP)\b")
_DATE_LIKE = re.compile(r"\b\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b|\b\d{4}\b")

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


def _own(text: str, lang: str, stop: bool) -> dict[str, float]:
    tokens = words(text)
    n = len(tokens)
    chars = len(text)
    density = stopword_density(tokens, lang) if stop else None
    cased = [w for w in tokens if w[:1].lower() != w[:1].upper()]
    return {
        "log_chars": math.log1p(chars),
        "log_words": math.log1p(n),
        "stop_density": -1.0 if density is None else density,
        "has_stoplist": 0.0 if density is None else 1.0,
        "sentence_end": 1.0 if SENTENCE_END.search(text.rstrip()) else 0.0,
        "sentences_per_word": len(_SENTENCE_INSIDE.findall(text)) / n if n else 0.0,
        "capital_share": sum(1 for w in cased if w[0].isupper()) / len(cased) if cased else 0.0,
        "digit_share": len(_DIGIT.findall(text)) / chars if chars else 0.0,
        "punct_share": len(_PUNCT.findall(text)) / chars if chars else 0.0,
        "bullet": 1.0 if _BULLET.match(text) else 0.0,
        "url": 1.0 if _URL.search(text) else 0.0,
        "copyright": 1.0 if _COPYRIGHT.search(text) else 0.0,
        "separators": min(len(_SEPARATORS.findall(text)), 10) / 10,
        "ends_colon": 1.0 if text.rstrip().endswith((":", "：")) else 0.0,
        "mean_word_len": min(sum(map(len, tokens)) / n, 20) if n else 0.0,
        "currency": 1.0 if _CURRENCY.search(text) else 0.0,
        "date_like": 1.0 if _DATE_LIKE.search(text) else 0.0,
        "short": 1.0 if n <= SHORT_WORDS else 0.0,
        "prose": 1.0 if chars >= PROSE_CHARS and (density is None or density >= 0.25)
        and len(_SENTENCE_INSIDE.findall(text)) >= 1 else 0.0,
    }


def paragraph_features(doc: Document, use_stopwords: bool = True) -> np.ndarray:
    """One row per paragraph of `doc` (removed ones too: they are context), columns as in NAMES."""
    paragraphs = doc.paragraphs
    n = len(paragraphs)
    if not n:
        return np.zeros((0, len(NAMES)), dtype=np.float32)
    stop = use_stopwords and bool(stopwords(doc.lang)) and stoplist_fits(doc)
    own = [_own(p.text, doc.lang, stop) for p in paragraphs]
    keys = [normalize(p.text) for p in paragraphs]
    counts = Counter(keys)
    for p, f, key in zip(paragraphs, own, keys, strict=True):
        f["removed_before"] = 0.0 if p.removed is None else 1.0
        f["dup_in_page"] = 1.0 if key and counts[key] > 1 else 0.0

    _prose_vocabulary(paragraphs, own)
    short = np.array([f["short"] for f in own])
    prose = np.array([f["prose"] for f in own])
    chars = np.array([len(p.text) for p in paragraphs], dtype=float)
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
    table = np.array([[f[name] for name in OWN] for f in own], dtype=np.float64)
    rows = np.zeros((n, len(NAMES)), dtype=np.float32)
    column = {name: k for k, name in enumerate(NAMES)}
    rows[:, :len(OWN)] = table
    # outside the page: an empty, removed, short line
    outside = {name: 1.0 if name in ("removed_before", "short") else -1.0 if name == "stop_density" else 0.0
               for name in NEIGHBOUR}
    for o in WINDOW:
        for name in NEIGHBOUR:
            values = np.full(n, outside[name])
            src = table[:, OWN.index(name)]
            if o > 0:
                values[:max(n - o, 0)] = src[o:]
            else:
                values[-o:] = src[:n + o]
            rows[:, column[f"{name}@{o:+d}"]] = values
    index = np.arange(n)
    # the nearest prose paragraph before and after each paragraph (-1 / n when there is none)
    last_before = np.maximum.accumulate(np.where(prose > 0, index, -1))
    last_before = np.concatenate(([-1], last_before[:-1]))
    first_after = np.minimum.accumulate(np.where(prose > 0, index, n)[::-1])[::-1]
    first_after = np.concatenate((first_after[1:], [n]))
    cum = np.concatenate(([0.0], np.cumsum(chars)))
    has_before, has_after = last_before >= 0, first_after < n
    log_chars = table[:, OWN.index("log_chars")]
    window_log = np.array([log_chars[max(0, i - 3):i + 4].mean() for i in range(n)])
    window_prose = np.array([prose[max(0, i - 3):i + 4].sum() for i in range(n)])
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
        "window_mean_log_chars": window_log,
        "window_prose": window_prose,
        **page,
    }
    for name, values in page_columns.items():
        rows[:, column[name]] = values
    return rows


def stoplist_fits(doc: Document, min_density: float = 0.05, min_words: int = 10) -> bool:
    """Whether the stop list of the detected language fits the text at all.

    A misdetected language (Armenian taken for Estonian, Zulu for Swahili: langdetect knows
    neither) gives a stop-word density near 0 everywhere, which would make every paragraph look
    like a menu; then the features are computed as for a language without a stop list.
    Running text in a language whose stop list it is has well over 5% stop words.
    """
    stop = stopwords(doc.lang)
    tokens = [w.casefold() for p in doc.paragraphs if len(found := words(p.text)) >= min_words for w in found]
    return not tokens or sum(w in stop for w in tokens) >= min_density * len(tokens)


def _prose_vocabulary(paragraphs: list, own: list[dict]) -> None:
    """The share of a paragraph's words that the page's running prose (other than itself) also uses.

    A heading, a caption or a list item of the main text speaks of what the text speaks of; a
    menu, a footer or a teaser for another page mostly does not.
    """
    bags = [Counter(w.casefold() for w in words(p.text)) for p in paragraphs]
    prose = Counter()
    for bag, f in zip(bags, own, strict=True):
        if f["prose"]:
            prose.update(bag)
    for bag, f in zip(bags, own, strict=True):
        total = sum(bag.values())
        if not total:
            f["prose_vocab"] = 0.0
            continue
        inside = bag if f["prose"] else Counter()
        f["prose_vocab"] = sum(n for w, n in bag.items() if prose[w] - inside[w] > 0) / total


def _run_lengths(flags: np.ndarray) -> np.ndarray:
    """For each position, the length of the run of equal-to-1 flags it belongs to (0 outside runs)."""
    out = np.zeros(len(flags))
    i = 0
    while i < len(flags):
        if not flags[i]:
            i += 1
            continue
        j = i
        while j < len(flags) and flags[j]:
            j += 1
        out[i:j] = j - i
        i = j
    return out


# the second stage sees, besides a paragraph's own features, what the first stage thought of
# it and of its neighbours: jusText's context revision, learned
CONTEXT_WINDOW = (-5, -4, -3, -2, -1, 1, 2, 3, 4, 5)
CONTEXT = (("p",) + tuple(f"p@{o:+d}" for o in CONTEXT_WINDOW)
           + ("p_mean@5", "p_max_before", "p_max_after", "content_chars_before", "content_chars_after",
              "page_p_mean", "page_content_share"))


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
