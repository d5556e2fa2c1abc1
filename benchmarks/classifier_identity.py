"""Whether a change to the classifier step leaves its results exactly as they were.

    python benchmarks/classifier_identity.py save PATH/TO/devset REFERENCE.pickle [--pages N]
    python benchmarks/classifier_identity.py check PATH/TO/devset REFERENCE.pickle [--pages N]

`save` (run it with the code before the change) records, for each devset page after the steps
before the classifier: the feature matrix, the context columns the second stage adds, the
content probabilities, and the removals the step marks (paragraph, reason, detail, evidence).
`check` (with the code after the change) computes the same and compares: the arrays bit for
bit (np.array_equal), the removals as text. It exits with 1 and names the first differences.
"""

from __future__ import annotations

import argparse
import copy
import pickle
import sys
from pathlib import Path

import numpy as np

from cleaner.api import Cleaner
from cleaner.chain import run_steps, split
from cleaner.features import paragraph_features
from cleaner.reading import discover, read
from cleaner.steps import ParagraphClassifier


def results(devset: Path, pages: int | None) -> dict[str, dict]:
    steps, _ = split(Cleaner().steps)
    at = next(i for i, step in enumerate(steps) if isinstance(step, ParagraphClassifier))
    before, clf = steps[:at], steps[at]
    model = clf.model
    out = {}
    for source in discover(devset / "raw")[:pages]:
        for doc in read(source):
            run_steps(before, doc)
            if doc.removed is not None:
                continue
            x = paragraph_features(doc)
            chars = np.array([len(p.text) for p in doc.paragraphs], dtype=float)
            removed = np.array([p.removed is not None for p in doc.paragraphs])
            stacked = model.first_stage(x, chars, removed)
            marked = copy.deepcopy(doc)
            clf.apply(marked)
            marks = [(i, p.removed.reason, p.removed.detail, repr(p.removed.evidence))
                     for i, (p, q) in enumerate(zip(marked.paragraphs, doc.paragraphs, strict=True))
                     if p.removed is not None and q.removed is None]
            out[doc.id] = {"features": x, "context": stacked[:, x.shape[1]:],
                           "probability": model.second.probability(stacked), "marks": marks}
    return out


def differences(reference: dict[str, dict], now: dict[str, dict], every_page: bool = True) -> list[str]:
    """What differs; with every_page=False, `now` may be the first pages of the reference only."""
    found = []
    if (missing := now.keys() - reference.keys()) or (every_page and (missing := reference.keys() - now.keys())):
        found.append(f"pages in one and not the other: {sorted(missing)[:5]}")
    for doc_id in reference.keys() & now.keys():
        a, b = reference[doc_id], now[doc_id]
        for key in ("features", "context", "probability"):
            if a[key].dtype != b[key].dtype or not np.array_equal(a[key], b[key]):
                where = np.argwhere(a[key] != b[key]) if a[key].shape == b[key].shape else "shape"
                found.append(f"{doc_id}: {key} differ ({a[key].dtype} / {b[key].dtype}) at {where[:5]}")
        if a["marks"] != b["marks"]:
            first = next((x, y) for x, y in zip(a["marks"] + [None], b["marks"] + [None], strict=False) if x != y)
            found.append(f"{doc_id}: removals differ, first: {first}")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("save", "check"))
    parser.add_argument("devset", type=Path)
    parser.add_argument("reference", type=Path)
    parser.add_argument("--pages", type=int, default=None)
    args = parser.parse_args()
    now = results(args.devset, args.pages)
    paragraphs = sum(len(r["probability"]) for r in now.values())
    if args.action == "save":
        args.reference.write_bytes(pickle.dumps(now, protocol=pickle.HIGHEST_PROTOCOL))
        print(f"saved {len(now)} pages, {paragraphs} paragraphs")
        return
    found = differences(pickle.loads(args.reference.read_bytes()), now, every_page=args.pages is None)
    for line in found[:20]:
        print(line)
    print(f"{len(now)} pages, {paragraphs} paragraphs: " + (f"{len(found)} differences" if found else "identical"))
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
