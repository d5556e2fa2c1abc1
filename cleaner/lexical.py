"""What a paragraph says, as one number: a linear model over its hashed words, for the classifier.

The shape features (cleaner.features) cannot tell "Free shipping on orders over $50" from a
sentence of the text: both are short, with stop words and punctuation. The words can. Each
paragraph becomes hashed features (lower-cased words with digits folded to 0, word pairs, the
first word, the whole line when it is short; a character of a script without spaces counts as
a word), a logistic regression over them gives the log-odds of content, and that is one more
column of the first stage of a classifier trained with it (cleaner/models/paragraphs-lexical.json).
The model knows only the languages it has enough training pages of (English, on the devset);
a page in another language is judged by the classifier without it, exactly as before.

Hashing is zlib.crc32 of each word, mixed in numpy (Python's hash is salted per process);
training is full-batch AdaGrad over numpy arrays in a fixed order: the same data gives the
same weights byte for byte. The weights ship as float16 (cleaner/models/lexical.npy, 2^20 of
them, 2 MB); the intercept and the languages are in the classifier's model.
"""

from __future__ import annotations

import re
import zlib
from functools import cache
from pathlib import Path

import numpy as np

LEXICAL_PATH = Path(__file__).with_name("models") / "lexical.npy"
# the paragraph classifier trained with the lexical score as one more first-stage feature
LEXICAL_MODEL_PATH = Path(__file__).with_name("models") / "paragraphs-lexical.json"
BITS = 20
_MASK = (1 << BITS) - 1
_CJK = "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
_TOKEN = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+")
_DIGITS = re.compile(r"\d+")
SHORT_LINE = 6  # a line of at most this many tokens is also hashed whole ("add to cart")


_MEMO_SIZE = 1 << 16
_memo: dict[str, int] = {}
# splitmix64's finaliser, keyed per kind of feature
_M1, _M2, _S = np.uint64(0xFF51AFD7ED558CCD), np.uint64(0xC4CEB9FE1A85EC53), np.uint64(33)
_WORD, _PAIR, _FIRST, _LINE = (np.uint64(k) for k in (0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9,
                                                        0x94D049BB133111EB, 0x2545F4914F6CDD1D))


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(_DIGITS.sub("0", text.lower()))


def _crc(token: str) -> int:
    code = _memo.get(token)
    if code is None:
        if len(_memo) >= _MEMO_SIZE:
            _memo.clear()
        code = _memo[token] = zlib.crc32(token.encode())
    return code


def _bucket(x: np.ndarray, kind: np.uint64) -> np.ndarray:
    with np.errstate(over="ignore"):
        x = x ^ kind
        x = (x ^ (x >> _S)) * _M1
        x = (x ^ (x >> _S)) * _M2
        x = x ^ (x >> _S)
    return (x & np.uint64(_MASK)).astype(np.int64)


def buckets(texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All paragraphs' features at once: (paragraph, bucket) pairs and the number of pairs per paragraph.

    The features: each word, each pair of consecutive words, the first word, and the whole
    paragraph when it has at most SHORT_LINE words.
    """
    codes: list[int] = []
    rows: list[int] = []
    lines: list[int] = []
    line_rows: list[int] = []
    for i, text in enumerate(texts):
        toks = tokens(text)
        if not toks:
            continue
        codes += [_crc(t) for t in toks]
        rows += [i] * len(toks)
        if len(toks) <= SHORT_LINE:
            lines.append(zlib.crc32(" ".join(toks).encode()))
            line_rows.append(i)
    if not codes:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(len(texts))
    code = np.array(codes, dtype=np.uint64)
    row = np.array(rows, dtype=np.int64)
    pair = row[1:] == row[:-1]
    first = np.concatenate(([True], ~pair))
    with np.errstate(over="ignore"):
        pairs = code[:-1][pair] * np.uint64(0x100000001B3) + code[1:][pair]
    out_rows = np.concatenate((row, row[:-1][pair], row[first], np.array(line_rows, dtype=np.int64)))
    out_cols = np.concatenate((_bucket(code, _WORD), _bucket(pairs, _PAIR), _bucket(code[first], _FIRST),
                               _bucket(np.array(lines, dtype=np.uint64), _LINE)))
    return out_rows, out_cols, np.bincount(out_rows, minlength=len(texts)).astype(np.float64)


def design(texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A sparse design matrix as (row, column, value) arrays: each feature at 1/sqrt(the row's features)."""
    rows, cols, count = buckets(texts)
    return rows, cols, 1.0 / np.sqrt(count[rows])


def scores(weights: np.ndarray, texts: list[str]) -> np.ndarray:
    """Per paragraph, the model's log-odds without its intercept (0 for a paragraph without words)."""
    rows, cols, count = buckets(texts)
    return np.bincount(rows, weights=weights[cols], minlength=len(texts)) / np.sqrt(np.maximum(count, 1.0))


@cache
def load(path: Path = LEXICAL_PATH) -> np.ndarray:
    return np.load(Path(path)).astype(np.float64)


def fit(matrix: tuple[np.ndarray, np.ndarray, np.ndarray], y: np.ndarray, w: np.ndarray,
        l2: float = 1e-4, iterations: int = 300, step: float = 0.5) -> tuple[np.ndarray, float]:
    """Weighted L2 logistic regression by full-batch AdaGrad: (weights per bucket, intercept)."""
    rows, cols, vals = matrix
    n = len(y)
    w = w / w.sum()
    coef, bias = np.zeros(1 << BITS), 0.0
    acc, acc_b = np.full(1 << BITS, 1e-8), 1e-8
    for _ in range(iterations):
        z = np.bincount(rows, weights=coef[cols] * vals, minlength=n) + bias
        r = (1 / (1 + np.exp(-z)) - y) * w
        grad = np.bincount(cols, weights=r[rows] * vals, minlength=1 << BITS) + l2 * coef
        gb = float(r.sum())
        acc += grad * grad
        acc_b += gb * gb
        coef -= step * grad / np.sqrt(acc)
        bias -= step * gb / np.sqrt(acc_b)
    return coef, bias
