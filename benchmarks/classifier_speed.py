"""CPU cost of the paragraph classifier step, per paragraph: python benchmarks/classifier_speed.py PATH/TO/devset [--pages N]

Each page of devset/raw/ (sorted by name, the first N) goes through the steps before the
classifier of the default chain, untimed; then the classifier step is timed on a copy of it.
In a second pass from the same start, its parts are timed on the page itself: the features,
the two model stages, and the explanations of the paragraphs it removes. Times are CPU times
of this process (time.process_time), so other programs on the machine change them little.
"""

from __future__ import annotations

import argparse
import copy
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from time import process_time

import numpy as np

from cleaner import features
from cleaner.api import Cleaner
from cleaner.chain import run_steps, split
from cleaner.document import Document
from cleaner.features import PageWords, paragraph_features
from cleaner.reading import discover, read
from cleaner.runner import _quiet_collector
from cleaner.steps import ParagraphClassifier, Step
from cleaner.steps.classifier import Scores


def cpu(run: Callable[[], object], repeat: int) -> float:
    """The fastest of `repeat` runs, in CPU seconds."""
    best = float("inf")
    for _ in range(repeat):
        started = process_time()
        run()
        best = min(best, process_time() - started)
    return best


def prepared(devset: Path, pages: int, before: list[Step]) -> Iterator[Document]:
    """The first pages of the devset, each just after the steps before the classifier (as a run sees it)."""
    for source in discover(devset / "raw")[:pages]:
        for doc in read(source):
            run_steps(before, doc)
            if doc.removed is None:
                yield doc


def time_step(doc: Document, clf: ParagraphClassifier, repeat: int) -> float:
    copies = iter([copy.deepcopy(doc) for _ in range(repeat)])
    return cpu(lambda: clf.apply(next(copies)), repeat)


def time_parts(doc: Document, clf: ParagraphClassifier, repeat: int) -> tuple[dict[str, float], int]:
    """CPU seconds of the step's parts on one page, and how many paragraphs the step removes.

    The features are computed once only: a second time would find every text memoised.
    """
    if not any(p.removed is None for p in doc.paragraphs):
        return {}, 0
    model = clf.model
    chars = np.array([len(p.text) for p in doc.paragraphs], dtype=float)
    removed = np.array([p.removed is not None for p in doc.paragraphs])
    started = process_time()
    page = PageWords.of(doc)
    x = paragraph_features(doc, page=page)
    seconds = {"features": process_time() - started}
    seconds["model"] = cpu(lambda: Scores.of(model, page.word_counts, x, chars, removed), repeat)
    scores = Scores.of(model, page.word_counts, x, chars, removed)
    judged = clf.judged(doc, scores.probability, clf.page_cut(doc, scores.probability, scores.words)[0])
    seconds["explanations"] = cpu(lambda: clf.explanations(scores.rows(judged)), repeat)
    return seconds, len(judged)


def forget_texts() -> None:
    """Empty the features' memo of paragraph texts, if there is one."""
    if (memo := getattr(features, "_text", None)) is not None:
        memo.cache_clear()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("devset", type=Path)
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=1, help="runs of the model and explanations per page")
    args = parser.parse_args()

    _quiet_collector()  # the garbage collector as a corpus run sets it (else its full collections land anywhere)
    steps, _ = split(Cleaner().steps)
    at = next(i for i, step in enumerate(steps) if isinstance(step, ParagraphClassifier))
    before, clf = steps[:at], steps[at]
    seconds = dict.fromkeys(("features", "model", "explanations", "step"), 0.0)
    paragraphs = judged = 0
    # two passes from the same start, so the memoised texts are those a run would have at each page
    forget_texts()
    for doc in prepared(args.devset, args.pages, before):
        paragraphs += len(doc.paragraphs)
        seconds["step"] += time_step(doc, clf, 1)
    forget_texts()
    for doc in prepared(args.devset, args.pages, before):
        page, removed = time_parts(doc, clf, args.repeat)
        judged += removed
        for part, s in page.items():
            seconds[part] += s
    load = ", ".join(f"{v:.2f}" for v in os.getloadavg())
    print(f"{paragraphs} paragraphs ({judged} removed by the classifier) on {args.pages} pages; load {load}")
    for part, s in seconds.items():
        print(f"  {part:<13} {s * 1e6 / max(paragraphs, 1):8.1f} µs/paragraph CPU  ({s:.2f} s)")


if __name__ == "__main__":
    main()
