"""CPU cost of the paragraph classifier step, per paragraph: python benchmarks/classifier_speed.py PATH/TO/devset [--pages N]

Each page of devset/raw/ (sorted by name, the first N) goes through the steps before the
classifier of the default chain, untimed; then the classifier step is timed on a copy of it,
and its parts on the page itself: the features, the two model stages, and the explanations
of the paragraphs it removes. Times are CPU times of this process (time.process_time), so
other programs on the machine change them little; each part is run --repeat times per page
and the fastest run is kept.
"""

from __future__ import annotations

import argparse
import copy
import os
from collections.abc import Callable
from pathlib import Path
from time import process_time

import numpy as np

from cleaner.api import Cleaner
from cleaner.chain import run_steps, split
from cleaner.document import Document
from cleaner.features import paragraph_features
from cleaner.reading import discover, read
from cleaner.steps import ParagraphClassifier


def cpu(run: Callable[[], object], repeat: int) -> float:
    """The fastest of `repeat` runs, in CPU seconds."""
    best = float("inf")
    for _ in range(repeat):
        started = process_time()
        run()
        best = min(best, process_time() - started)
    return best


def time_page(doc: Document, clf: ParagraphClassifier, repeat: int) -> tuple[dict[str, float], int]:
    """CPU seconds of the step and of its parts on one page, and how many paragraphs the step removes."""
    copies = iter([copy.deepcopy(doc) for _ in range(repeat)])
    seconds = {"step": cpu(lambda: clf.apply(next(copies)), repeat)}
    if not any(p.removed is None for p in doc.paragraphs):
        return seconds, 0
    model = clf.model
    chars = np.array([len(p.text) for p in doc.paragraphs], dtype=float)
    removed = np.array([p.removed is not None for p in doc.paragraphs])
    seconds["features"] = cpu(lambda: paragraph_features(doc), repeat)
    x = paragraph_features(doc)
    seconds["model"] = cpu(lambda: model.second.probability(model.first_stage(x, chars, removed)), repeat)
    stacked = model.first_stage(x, chars, removed)
    judged = clf.judged(doc, model.second.probability(stacked))
    seconds["explanations"] = cpu(lambda: clf.explanations(x[judged], stacked[judged]), repeat)
    return seconds, len(judged)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("devset", type=Path)
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()

    steps, _ = split(Cleaner().steps)
    at = next(i for i, step in enumerate(steps) if isinstance(step, ParagraphClassifier))
    before, clf = steps[:at], steps[at]
    seconds = dict.fromkeys(("features", "model", "explanations", "step"), 0.0)
    paragraphs = judged = 0
    for source in discover(args.devset / "raw")[: args.pages]:
        for doc in read(source):
            run_steps(before, doc)
            if doc.removed is not None:
                continue
            paragraphs += len(doc.paragraphs)
            page, removed = time_page(doc, clf, args.repeat)
            judged += removed
            for part, s in page.items():
                seconds[part] += s
    load = ", ".join(f"{v:.2f}" for v in os.getloadavg())
    print(f"{paragraphs} paragraphs ({judged} removed by the classifier) on {args.pages} pages; load {load}")
    for part, s in seconds.items():
        print(f"  {part:<13} {s * 1e6 / max(paragraphs, 1):8.1f} µs/paragraph CPU  ({s:.2f} s)")


if __name__ == "__main__":
    main()
