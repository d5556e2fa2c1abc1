"""Training the paragraph classifier: labels from gold text, a fixed split, gradient-boosted trees in numpy.

Labels. A page's raw text and its gold main text are tokenised like the devset's scorer
(lower-cased word tokens). A paragraph of three or more tokens is content when at least half
of its word trigrams occur in the gold text (rendering differences, a dropped bullet or a
changed quote mark cost one or two trigrams, not the label). A paragraph of one or two tokens
has no trigram; it is content only when it is a whole line of the gold (a heading, a list
item), never merely because its words occur somewhere in the gold ("Home", "Share").

Split. A page is in the training part when the first byte of blake2b(page id) is even: fixed,
independent of the order of the manifest and of the page's content.

Model. Binary log-loss gradient boosting over histogram bins (at most 32 per feature), depth-
limited trees grown level by level, row subsampling from a seeded generator: the same data
gives the same model byte for byte.
"""

from __future__ import annotations

import collections
import hashlib
import re

import numpy as np

CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
TOKEN = re.compile(rf"[{CJK}]|[^\W{CJK}]+")


def in_training_split(page_id: str) -> bool:
    return hashlib.blake2b(page_id.encode(), digest_size=8).digest()[0] % 2 == 0


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text.lower())


class GoldIndex:
    """What a page's gold text contains: its trigrams and its whole lines."""

    def __init__(self, gold: str):
        toks = tokens(gold)
        self.trigrams = set(zip(toks, toks[1:], toks[2:], strict=False))
        self.lines = {" ".join(tokens(line)) for line in gold.splitlines() if line.strip()}

    def label(self, text: str) -> float:
        toks = tokens(text)
        if not toks:
            return 0.0
        if len(toks) < 3:
            return 1.0 if " ".join(toks) in self.lines else 0.0
        grams = list(zip(toks, toks[1:], toks[2:], strict=False))
        return 1.0 if sum(g in self.trigrams for g in grams) >= 0.5 * len(grams) else 0.0


def bag(text: str) -> collections.Counter:
    return collections.Counter(tokens(text))


def page_prf(pred: str, gold: str) -> tuple[float, float, float] | None:
    """The devset's metric for one page: bag-of-words precision, recall, F1."""
    g, p = bag(gold), bag(pred)
    if not g:
        return None
    if not p:
        return 0.0, 0.0, 0.0
    tp = sum((p & g).values())
    pr, rc = tp / sum(p.values()), tp / sum(g.values())
    return pr, rc, (2 * pr * rc / (pr + rc) if pr + rc else 0.0)


def bin_edges(x: np.ndarray, max_bins: int = 32, limits: dict[int, int] | None = None) -> list[np.ndarray]:
    """Per feature, the split candidates: midpoints between quantiles (unique values when few);
    feature f gets at most limits[f] bins when it is named there."""
    edges = []
    for f in range(x.shape[1]):
        bins = (limits or {}).get(f, max_bins)
        values = np.unique(x[:, f])
        if len(values) > bins:
            values = np.unique(np.quantile(x[:, f], np.linspace(0, 1, bins + 1)))
        edges.append(((values[:-1] + values[1:]) / 2).astype(np.float64))
    return edges


def fit_trees(x: np.ndarray, y: np.ndarray, w: np.ndarray, names: tuple[str, ...], trees: int = 200,
              depth: int = 4, learning_rate: float = 0.1, l2: float = 1.0, min_hessian: float = 1.0,
              subsample: float = 0.7, seed: int = 0, coarse: dict[str, int] | None = None) -> dict:
    """Gradient-boosted trees for P(y=1); returns the model as plain data (see cleaner.model.from_dict).

    `coarse` gives some features (by name) fewer split candidates than 32: see train_classifier's --page-bins.
    """
    rng = np.random.default_rng(seed)
    edges = bin_edges(x, limits={names.index(n): b for n, b in (coarse or {}).items() if n in names})
    nbins = max(len(e) for e in edges) + 1
    xb = np.stack([np.searchsorted(e, x[:, f], side="left") for f, e in enumerate(edges)], axis=1)
    codes = (xb + np.arange(x.shape[1]) * nbins).astype(np.int32)
    prior = float(np.clip(np.average(y, weights=w), 1e-6, 1 - 1e-6))
    base = float(np.log(prior / (1 - prior)))
    score = np.full(len(y), base)
    out_trees = []
    for _ in range(trees):
        p = 1 / (1 + np.exp(-score))
        g, h = (p - y) * w, np.maximum(p * (1 - p), 1e-6) * w
        rows = np.flatnonzero(rng.random(len(y)) < subsample)
        tree = {"feature": [], "threshold": [], "left": [], "right": [], "value": []}
        _grow(tree, rows, codes, g, h, edges, nbins, depth, l2, min_hessian, learning_rate)
        out_trees.append(tree)
        score += _predict_tree(tree, x)
    out = {"features": list(names), "base": base, "depth": depth, "trees": out_trees,
           "learning_rate": learning_rate, "l2": l2, "subsample": subsample, "seed": seed}
    if coarse:
        out["coarse"] = dict(sorted(coarse.items()))
    return out


def _grow(tree: dict, rows: np.ndarray, codes: np.ndarray, g: np.ndarray, h: np.ndarray, edges: list[np.ndarray],
          nbins: int, depth: int, l2: float, min_hessian: float, lr: float) -> None:
    """One tree, level by level; a node's histograms are its parent's minus its smaller sibling's."""
    nf = codes.shape[1]
    invalid = np.zeros((nf, nbins - 1), dtype=bool)
    for f, e in enumerate(edges):  # bins past a feature's own edges are not real splits
        invalid[f, len(e):] = True

    def new_node(idx: np.ndarray) -> int:
        tree["feature"].append(-1)
        tree["threshold"].append(0.0)
        tree["left"].append(0)
        tree["right"].append(0)
        tree["value"].append(round(float(-g[idx].sum() / (h[idx].sum() + l2) * lr), 6))
        return len(tree["feature"]) - 1

    def histograms(idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        flat = codes[idx].ravel()
        size = nf * nbins
        return (np.bincount(flat, weights=np.repeat(g[idx], nf), minlength=size).reshape(nf, nbins),
                np.bincount(flat, weights=np.repeat(h[idx], nf), minlength=size).reshape(nf, nbins))

    level = [(new_node(rows), rows, histograms(rows))]
    for _ in range(depth):
        following = []
        for node, idx, (gh, hh) in level:
            if len(idx) < 2:
                continue
            gl, hl = np.cumsum(gh, axis=1)[:, :-1], np.cumsum(hh, axis=1)[:, :-1]
            gt, ht = gh.sum(axis=1, keepdims=True), hh.sum(axis=1, keepdims=True)
            gr, hr = gt - gl, ht - hl
            gain = gl**2 / (hl + l2) + gr**2 / (hr + l2) - gt**2 / (ht + l2)
            gain[(hl < min_hessian) | (hr < min_hessian) | invalid] = -np.inf
            f, b = np.unravel_index(int(np.argmax(gain)), gain.shape)
            if not np.isfinite(gain[f, b]) or gain[f, b] <= 1e-9:
                continue
            go_left = codes[idx, f] - f * nbins <= b
            left, right = idx[go_left], idx[~go_left]
            small, large = (left, right) if len(left) <= len(right) else (right, left)
            gs, hs = histograms(small)
            hist = {id(small): (gs, hs), id(large): (gh - gs, hh - hs)}
            tree["feature"][node], tree["threshold"][node] = int(f), round(float(edges[f][b]), 6)
            tree["left"][node], tree["right"][node] = new_node(left), new_node(right)
            following += [(tree["left"][node], left, hist[id(left)]), (tree["right"][node], right, hist[id(right)])]
        level = following


def _predict_tree(tree: dict, x: np.ndarray) -> np.ndarray:
    feature, threshold = np.array(tree["feature"]), np.array(tree["threshold"])
    left, right, value = np.array(tree["left"]), np.array(tree["right"]), np.array(tree["value"])
    node = np.zeros(len(x), dtype=np.int64)
    while True:
        feat = feature[node]
        inner = feat >= 0
        if not inner.any():
            return value[node]
        go_left = x[np.arange(len(x)), np.maximum(feat, 0)] <= threshold[node]
        node = np.where(inner, np.where(go_left, left[node], right[node]), node)
