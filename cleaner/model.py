"""A small gradient-boosted tree ensemble, loaded from JSON and evaluated with numpy alone.

Trained by `cleaner.training` (reproducible from the devset, see benchmarks/train_classifier.py);
shipped as `cleaner/models/paragraphs.json`. Besides the probability it gives, for each row, how
much each feature moved the score (the path attribution of Saabas: every split credits its
feature with the change of the node value), so a removal can name the evidence behind it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

import numpy as np

MODEL_PATH = Path(__file__).with_name("models") / "paragraphs.json"


@dataclass(frozen=True)
class TreeModel:
    names: tuple[str, ...]
    base: float
    feature: np.ndarray  # (trees, nodes) int: the split feature, -1 for a leaf
    threshold: np.ndarray  # (trees, nodes) float: go left when x <= threshold
    left: np.ndarray  # (trees, nodes) int
    right: np.ndarray  # (trees, nodes) int
    value: np.ndarray  # (trees, nodes) float: the node's contribution to the log-odds (already scaled)
    meta: dict

    @property
    def depth(self) -> int:
        return int(self.meta.get("depth", 8))

    @cached_property
    def _flat(self) -> FlatTrees:
        return flatten(self)

    def leaves(self, x: np.ndarray) -> np.ndarray:
        """The flat node id (see FlatTrees) per (row, tree) where each row's walk ends: what the
        *_of methods read (a caller may keep and slice them: the path there is known from the end)."""
        flat = self._flat
        x = np.ascontiguousarray(x)
        cells, row_start = x.ravel(), np.arange(x.shape[0])[:, None] * x.shape[1]
        node = np.broadcast_to(flat.roots, (x.shape[0], len(flat.roots)))
        for _ in range(self.depth):
            go_right = ~(cells.take(row_start + flat.feature.take(node)) <= flat.threshold.take(node))
            node = flat.child.take(2 * node + go_right)
        return node

    def log_odds(self, x: np.ndarray) -> np.ndarray:
        return self.log_odds_of(self.leaves(x))

    def log_odds_of(self, leaves: np.ndarray) -> np.ndarray:
        if not len(leaves):
            return np.zeros(0)
        return self.base + self._flat.value.take(leaves).sum(axis=1)

    def probability(self, x: np.ndarray) -> np.ndarray:
        return self.probability_of(self.leaves(x))

    def probability_of(self, leaves: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.log_odds_of(leaves)))

    def contributions(self, x: np.ndarray) -> tuple[np.ndarray, float]:
        """(rows x features, bias): each feature's share of the log-odds; with the bias they sum to it."""
        return self.contributions_of(self.leaves(x))

    def contributions_of(self, leaves: np.ndarray) -> tuple[np.ndarray, float]:
        """contributions, from where the rows' walks end. The changes are added up depth by depth,
        then row by row and tree by tree, each to a zero start: in one np.bincount over that order
        (a leaf that stays put adds 0.0, which changes no sum)."""
        rows, features = len(leaves), len(self.names)
        root = self.base + float(self.value[:, 0].sum())
        if not rows:
            return np.zeros((0, features)), root
        flat = self._flat
        delta = flat.credit.take(leaves, axis=1)  # (depth, rows, trees)
        cell = np.arange(rows)[:, None] * features + flat.credited.take(leaves, axis=1)
        out = np.bincount(cell.ravel(), weights=delta.ravel(), minlength=rows * features)
        return out.reshape(rows, features), root


@dataclass(frozen=True)
class FlatTrees:
    """All trees of a model as one array of nodes, node k of tree t at t * nodes + k.

    A leaf is its own left and right child (and splits on feature 0, which it then ignores), so
    walking every tree to a fixed depth is a few np.take per level, with no test for leaves.
    """

    feature: np.ndarray  # (trees * nodes,)
    threshold: np.ndarray  # (trees * nodes,)
    child: np.ndarray  # (2 * trees * nodes,): the left child at 2 * node, the right one at 2 * node + 1
    value: np.ndarray  # (trees * nodes,)
    roots: np.ndarray  # (trees,)
    # for a walk ending at a node, at each level (depth, trees * nodes): the feature its split credits
    # and the change of the node value it credits (0.0 once at a leaf, which stays put)
    credited: np.ndarray
    credit: np.ndarray


def flatten(model: TreeModel) -> FlatTrees:
    trees, nodes = model.feature.shape
    start = np.arange(trees)[:, None] * nodes
    leaf = model.feature < 0
    itself = start + np.arange(nodes)
    left, right = np.where(leaf, itself, model.left + start), np.where(leaf, itself, model.right + start)
    feature, value = np.where(leaf, 0, model.feature).ravel(), model.value.ravel()
    path = _on_the_way(left.ravel(), right.ravel(), model.depth)
    return FlatTrees(feature=feature, threshold=model.threshold.ravel(),
                     child=np.stack((left.ravel(), right.ravel()), axis=1).ravel(), value=value,
                     roots=start.ravel(), credited=feature[path[:-1]], credit=value[path[1:]] - value[path[:-1]])


def _on_the_way(left: np.ndarray, right: np.ndarray, depth: int) -> np.ndarray:
    """For each node as the end of a walk of `depth` levels (see TreeModel.leaves), the node the walk
    was at on each level: its ancestor at that depth, then itself once reached (a leaf stays put)."""
    size = len(left)
    node = np.arange(size)
    parent = node.copy()  # a root (and a padding node, which no walk reaches) is its own parent
    inner = left != node
    parent[left[inner]] = node[inner]
    parent[right[inner]] = node[inner]
    level = np.zeros(size, dtype=np.int64)  # how deep each node is
    up = node
    while (going := parent[up] != up).any():
        level += going
        up = parent[up]
    out = np.empty((depth + 1, size), dtype=np.int64)
    for d in range(depth + 1):
        at, climbs = node, np.maximum(level - d, 0)
        for _ in range(int(climbs.max(initial=0))):
            at = np.where(climbs > 0, parent[at], at)
            climbs = climbs - 1
        out[d] = at
    return out


def from_dict(data: dict) -> TreeModel:
    trees = data["trees"]
    size = max(len(t["feature"]) for t in trees)

    def pad(key: str, fill, dtype) -> np.ndarray:
        return np.array([t[key] + [fill] * (size - len(t[key])) for t in trees], dtype=dtype)

    return TreeModel(
        names=tuple(data["features"]), base=float(data["base"]),
        feature=pad("feature", -1, np.int64), threshold=pad("threshold", 0.0, np.float64),
        left=pad("left", 0, np.int64), right=pad("right", 0, np.int64), value=pad("value", 0.0, np.float64),
        meta={k: v for k, v in data.items() if k not in ("trees", "features", "base")},
    )


@dataclass(frozen=True)
class ParagraphModel:
    """Two stages: the paragraph's own features, then those plus the first stage's view of its neighbours."""

    first: TreeModel
    second: TreeModel
    threshold: float
    meta: dict

    def first_stage(self, x: np.ndarray, chars: np.ndarray, removed: np.ndarray) -> np.ndarray:
        return self.stages(x, chars, removed)[0]

    def stages(self, x: np.ndarray, chars: np.ndarray, removed: np.ndarray,
               second: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """The second stage's input, where the first stage's walks end, and (with `second`) the second's."""
        from .features import context_features

        first = self.first.leaves(x)
        stacked = np.hstack((x, context_features(self.first.probability_of(first), chars, removed)))
        return stacked, first, self.second.leaves(stacked) if second else None

    def probability(self, x: np.ndarray, chars: np.ndarray, removed: np.ndarray) -> np.ndarray:
        return self.second.probability(self.first_stage(x, chars, removed))


def paragraph_model(data: dict) -> ParagraphModel:
    return ParagraphModel(from_dict(data["first"]), from_dict(data["second"]), float(data["threshold"]),
                          {k: v for k, v in data.items() if k not in ("first", "second")})


@cache
def load(path: Path = MODEL_PATH) -> ParagraphModel:
    return paragraph_model(json.loads(Path(path).read_text(encoding="utf-8")))
