"""A small gradient-boosted tree ensemble, loaded from JSON and evaluated with numpy alone.

Trained by `cleaner.training` (reproducible from the devset, see benchmarks/train_classifier.py);
shipped as `cleaner/models/paragraphs.json`. Besides the probability it gives, for each row, how
much each feature moved the score (the path attribution of Saabas: every split credits its
feature with the change of the node value), so a removal can name the evidence behind it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
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

    def _walk(self, x: np.ndarray) -> list[np.ndarray]:
        """The node index per (row, tree) at each depth, root first."""
        trees = np.arange(self.feature.shape[0])[None, :]
        node = np.zeros((x.shape[0], self.feature.shape[0]), dtype=np.int64)
        path = [node]
        rows = np.arange(x.shape[0])[:, None]
        for _ in range(self.depth):
            feat = self.feature[trees, node]
            leaf = feat < 0
            if leaf.all():
                break
            go_left = x[rows, np.maximum(feat, 0)] <= self.threshold[trees, node]
            node = np.where(leaf, node, np.where(go_left, self.left[trees, node], self.right[trees, node]))
            path.append(node)
        return path

    def log_odds(self, x: np.ndarray) -> np.ndarray:
        if not len(x):
            return np.zeros(0)
        node = self._walk(x)[-1]
        trees = np.arange(self.feature.shape[0])[None, :]
        return self.base + self.value[trees, node].sum(axis=1)

    def probability(self, x: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.log_odds(x)))

    def contributions(self, x: np.ndarray) -> tuple[np.ndarray, float]:
        """(rows x features, bias): each feature's share of the log-odds; with the bias they sum to it."""
        out = np.zeros((x.shape[0], len(self.names)))
        root = self.base + float(self.value[:, 0].sum())
        if not len(x):
            return out, root
        trees = np.arange(self.feature.shape[0])[None, :]
        path = self._walk(x)
        rows = np.repeat(np.arange(x.shape[0])[:, None], self.feature.shape[0], axis=1)
        for parent, child in zip(path, path[1:], strict=False):
            feat = self.feature[trees, parent]
            moved = parent != child
            delta = self.value[trees, child] - self.value[trees, parent]
            np.add.at(out, (rows[moved], feat[moved]), delta[moved])
        return out, root


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
        from .features import context_features

        return np.hstack((x, context_features(self.first.probability(x), chars, removed)))

    def probability(self, x: np.ndarray, chars: np.ndarray, removed: np.ndarray) -> np.ndarray:
        return self.second.probability(self.first_stage(x, chars, removed))


def paragraph_model(data: dict) -> ParagraphModel:
    return ParagraphModel(from_dict(data["first"]), from_dict(data["second"]), float(data["threshold"]),
                          {k: v for k, v in data.items() if k not in ("first", "second")})


@cache
def load(path: Path = MODEL_PATH) -> ParagraphModel:
    return paragraph_model(json.loads(Path(path).read_text(encoding="utf-8")))
