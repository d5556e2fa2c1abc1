"""Content/boilerplate quality on the development set, per page type.

    python benchmarks/quality.py PATH/TO/devset [--html] [--no-content ...] [--sample N]

Runs the whole chain (the same code as `cleaner clean`) over the devset's raw text (or its HTML
with --html), then scores the output against the gold main text with the devset's metric:
bag-of-words precision, recall and F1 over lower-cased word tokens, averaged over pages.
Every `--no-X` switch of the CLI is accepted, to measure one mechanism at a time.
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import sys
import tempfile
import time
from pathlib import Path

from cleaner.options import Options
from cleaner.runner import clean_corpus

CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
TOKEN = re.compile(rf"[{CJK}]|[^\W{CJK}]+")
SWITCHES = ("rules", "context", "content", "repeated_lines", "dedup")


def bag(text: str) -> collections.Counter:
    return collections.Counter(TOKEN.findall(text.lower()))


def prf(pred: str, gold: str) -> tuple[float, float, float] | None:
    g, p = bag(gold), bag(pred)
    if not g:
        return None
    if not p:
        return 0.0, 0.0, 0.0
    tp = sum((p & g).values())
    pr, rc = tp / sum(p.values()), tp / sum(g.values())
    return pr, rc, (2 * pr * rc / (pr + rc) if pr + rc else 0.0)


def pages(devset: Path, html: bool, sample: int) -> list[dict]:
    records = [json.loads(line) for line in (devset / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    if html:
        records = [r for r in records if r.get("html")]
    return records[:sample] if sample else records


def score(records: list[dict], devset: Path, out: Path) -> dict[str, list[tuple[float, float, float]]]:
    by_type: dict[str, list[tuple[float, float, float]]] = collections.defaultdict(list)
    for rec in records:
        pred_path = out / f"{rec['id']}.txt"
        pred = pred_path.read_text(encoding="utf-8") if pred_path.exists() else ""
        result = prf(pred, (devset / rec["gold"]).read_text(encoding="utf-8"))
        if result is not None:
            by_type[rec["page_type"]].append(result)
    return by_type


def mean(rows: list[tuple[float, float, float]], i: int) -> float:
    return sum(r[i] for r in rows) / len(rows)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("devset", type=Path)
    ap.add_argument("--html", action="store_true", help="clean the HTML pages instead of the raw text")
    ap.add_argument("--sample", type=int, default=0, help="only the first N pages of the manifest")
    ap.add_argument("--workers", type=int, default=0)
    for name in SWITCHES:
        ap.add_argument(f"--no-{name.replace('_lines', '').replace('_', '-')}", dest=name, action="store_false")
    a = ap.parse_args()
    records = pages(a.devset, a.html, a.sample)
    options = Options(**{name: getattr(a, name) for name in SWITCHES})
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp, "in"), Path(tmp, "out")
        src.mkdir()
        for rec in records:
            kind = "html" if a.html else "raw"
            original = a.devset / (rec[kind] if kind in rec and isinstance(rec[kind], str) else f"{kind}/{rec['id']}.txt")
            (src / original.name).symlink_to(original.resolve())
        started = time.perf_counter()
        clean_corpus(src, out, options, workers=a.workers or None)
        elapsed = time.perf_counter() - started
        by_type = score(records, a.devset, out)
    rows = [r for rs in by_type.values() for r in rs]
    off = [f"--no-{n}" for n in SWITCHES if not getattr(a, n)]
    print(f"devset {'html' if a.html else 'plain text'}, {len(rows)} pages, options: {' '.join(off) or 'defaults'}, {elapsed:.1f} s")
    print(f"{'page type':<15}{'pages':>6}{'P':>7}{'R':>7}{'F1':>7}")
    for t in sorted(by_type):
        rs = by_type[t]
        print(f"{t:<15}{len(rs):>6}{mean(rs, 0):>7.3f}{mean(rs, 1):>7.3f}{mean(rs, 2):>7.3f}")
    print(f"{'all':<15}{len(rows):>6}{mean(rows, 0):>7.3f}{mean(rows, 1):>7.3f}{mean(rows, 2):>7.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
