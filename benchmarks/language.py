"""Language detection, side by side: cleaner's profile scorer against plain `langdetect.detect`.

    python benchmarks/language.py DEVSET_PATH [--per-lang 40] [--pages 200] [--rounds 3]

DEVSET_PATH is the development set (with `lang/<code>.txt`, one sentence per line, and optionally
`raw/*.txt` web pages) or its `lang/` folder. From each language's sentences, in order, we build
documents of about 50, 200 and 1,000 characters (consecutive sentences joined, cut at a word
boundary), the same documents for both engines, and time both in this one process. langdetect gets
`DetectorFactory.seed = 0` so that its accuracy is reproducible; its profiles are loaded before
timing, as ours are; the two take turns on blocks of 50 documents, so load from other processes
hits both; with --rounds N the timing is repeated N times and the median speed-up is reported with
its range, in wall-clock time and in this process's CPU time (which leaves out the time other
processes held the core; the machine's load average is printed too). Accuracy counts a document right when the
answer is its language (nb is langdetect's "no", zh is "zh-cn" or "zh-tw"); "supported" rows use
only the languages langdetect has a profile for, "all" rows every language of the set (the others
can only be wrong). "Mixed-script" documents have at least a quarter of their letters in ASCII and a
quarter in a non-Latin script. The last lines say whether issue 5's targets are met: at least 20x
the documents per second of langdetect.detect in every bucket, and accuracy at least langdetect's
in every bucket.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import langdetect
from langdetect.detector_factory import DetectorFactory, init_factory

from cleaner.document import Document
from cleaner.language import code_points, count_letters, detect, profiles
from cleaner.segment import paragraphs
from cleaner.steps.language import DetectLanguage

BUCKETS = (50, 200, 1000)
SPEED_TARGET = 20.0
ALIASES = {"nb": {"no"}, "zh": {"zh-cn", "zh-tw"}}


def cut(text: str, size: int) -> str:
    """About `size` characters: at the last word boundary before it, or right at it for unspaced scripts."""
    if len(text) <= size:
        return text
    space = text.rfind(" ", 0, size + 1)
    return text[:space] if space >= size * 0.6 else text[:size]


def documents(sentences: list[str], size: int, limit: int) -> list[str]:
    out, parts = [], []
    for sentence in sentences:
        parts.append(sentence)
        joined = " ".join(parts)
        if len(joined) >= size:
            out.append(cut(joined, size))
            parts = []
            if len(out) == limit:
                break
    return out


def mixed_script(text: str) -> bool:
    """At least a quarter of the letters are ASCII and at least a quarter are not Latin at all."""
    cps = code_points(text)
    letters = max(1, count_letters(cps))
    ascii_letters = int(((cps >= 65) & (cps <= 90) | (cps >= 97) & (cps <= 122)).sum())
    return ascii_letters >= letters / 4 and int((cps >= 0x370).sum()) >= letters / 4


def plain_langdetect(text: str) -> str:
    try:
        return langdetect.detect(text)
    except langdetect.LangDetectException:
        return "und"


def timed(fn: Callable[[str], object], texts: list) -> tuple[list, float]:
    started = time.perf_counter()
    answers = [fn(t) for t in texts]
    return answers, time.perf_counter() - started


def side_by_side(ours: Callable[[str], str], theirs: Callable[[str], str], texts: list[str], block: int = 50):
    """Both engines in turn on blocks of documents, so that load from other processes hits both alike.

    Returns each engine's answers, wall-clock seconds and CPU seconds (of this process: what the
    engine cost, without the time other processes held the core).
    """
    answers: tuple[list[str], list[str]] = ([], [])
    wall, cpu = [0.0, 0.0], [0.0, 0.0]
    for start in range(0, len(texts), block):
        for k, fn in enumerate((ours, theirs)):
            started = time.process_time()
            got, took = timed(fn, texts[start:start + block])
            cpu[k] += time.process_time() - started
            answers[k].extend(got)
            wall[k] += took
    return answers, wall, cpu


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg()) + f" on {os.cpu_count()} cores"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("devset", type=Path)
    parser.add_argument("--per-lang", type=int, default=40, help="documents per language and length bucket")
    parser.add_argument("--pages", type=int, default=200, help="web pages from raw/ for the step's speed (0: none)")
    parser.add_argument("--rounds", type=int, default=3, help="timing rounds per bucket (the median speed-up is reported)")
    args = parser.parse_args()
    lang_dir = args.devset / "lang" if (args.devset / "lang").is_dir() else args.devset
    raw_dir = lang_dir.parent / "raw"

    started = time.perf_counter()
    model = profiles()
    detect("warm up: the letter table is built on first use")
    print(f"profile model: {len(model.langs)} languages, {len(model.codes):,} n-grams, "
          f"loaded in {time.perf_counter() - started:.2f} s")
    DetectorFactory.seed = 0
    init_factory()
    plain_langdetect("warm up")
    supported = set(model.langs)

    gold_of: dict[int, list[tuple[str, str]]] = {}
    for path in sorted(lang_dir.glob("*.txt")):
        sentences = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        for size in BUCKETS:
            gold_of.setdefault(size, []).extend((path.stem, doc) for doc in documents(sentences, size, args.per_lang))

    print(f"load average before timing: {_load()}")
    rows, total = [], {"ours": 0.0, "langdetect": 0.0, "docs": 0}
    ratios: dict[int, list[float]] = {}
    cpu_ratios: dict[int, list[float]] = {}
    for size in BUCKETS:
        items = gold_of[size]
        texts = [t for _, t in items]
        t_ours, t_theirs = [], []
        for _ in range(args.rounds):
            (ours, theirs), wall, cpu = side_by_side(lambda t: detect(t)[0], plain_langdetect, texts)
            t_ours.append(wall[0])
            t_theirs.append(wall[1])
            cpu_ratios.setdefault(size, []).append(cpu[1] / cpu[0])
        ratios[size] = [b / a for a, b in zip(t_ours, t_theirs, strict=True)]
        total["ours"] += sum(t_ours)
        total["langdetect"] += sum(t_theirs)
        total["docs"] += len(texts) * args.rounds
        speed_ours, speed_theirs = len(texts) / statistics.median(t_ours), len(texts) / statistics.median(t_theirs)
        for scope in ("supported", "all"):
            keep = [i for i, (g, _) in enumerate(items) if scope == "all" or ALIASES.get(g, {g}) & supported]
            right = [sum(answers[i] in ALIASES.get(items[i][0], {items[i][0]}) for i in keep) / len(keep)
                     for answers in (ours, theirs)]
            mixed = [i for i in keep if mixed_script(texts[i])]
            wrong_mixed = [sum(answers[i] not in ALIASES.get(items[i][0], {items[i][0]}) for i in mixed)
                           for answers in (ours, theirs)]
            rows.append((size, scope, len(keep), statistics.mean(len(texts[i]) for i in keep), *right,
                         speed_ours, speed_theirs, statistics.median(ratios[size]), len(mixed), *wrong_mixed))

    print(f"\n{'bucket':>6} {'langs':>9} {'docs':>5} {'chars':>6} {'acc ours':>9} {'acc langdetect':>14} "
          f"{'docs/s ours':>11} {'docs/s langdetect':>17} {'speed-up':>8}  mixed-script docs: n, wrong ours/langdetect")
    for size, scope, n, chars, acc_ours, acc_theirs, speed_ours, speed_theirs, ratio, mixed, w_ours, w_theirs in rows:
        print(f"{size:>6} {scope:>9} {n:>5} {chars:>6.0f} {acc_ours:>9.3f} {acc_theirs:>14.3f} "
              f"{speed_ours:>11.0f} {speed_theirs:>17.0f} {ratio:>7.1f}x  {mixed:>4} {w_ours:>4} / {w_theirs}")
    n = total["docs"]
    overall = total["langdetect"] / total["ours"]
    print(f"\nall buckets, {n // args.rounds} documents x {args.rounds} rounds, one process: ours {n / total['ours']:,.0f} "
          f"docs/s, langdetect.detect {n / total['langdetect']:,.0f} docs/s, speed-up {overall:.1f}x")
    for size in BUCKETS:
        print(f"  speed-up, {size:>4} chars: median {statistics.median(ratios[size]):.1f}x over {args.rounds} rounds "
              f"(range {min(ratios[size]):.1f}-{max(ratios[size]):.1f}x); in CPU time of this process "
              f"{statistics.median(cpu_ratios[size]):.1f}x ({min(cpu_ratios[size]):.1f}-{max(cpu_ratios[size]):.1f}x)")
    print(f"load average after timing: {_load()}")
    slowest = min(min(statistics.median(r) for r in ratios.values()), min(statistics.median(r) for r in cpu_ratios.values()))
    behind = [f"{size} {scope} ({a:.3f} < {b:.3f})" for size, scope, _, _, a, b, *_ in rows if a < b]
    print(f"target speed-up >= {SPEED_TARGET:.0f}x in every bucket: {'met' if slowest >= SPEED_TARGET else 'NOT met'} "
          f"(slowest bucket, wall-clock or CPU: {slowest:.1f}x; all buckets {overall:.1f}x)")
    print(f"target accuracy >= langdetect in every bucket: {'met' if not behind else 'NOT met: ' + ', '.join(behind)}")

    pages = sorted(raw_dir.glob("*.txt"))[: args.pages] if raw_dir.is_dir() else []
    if pages:
        texts = [p.read_text(encoding="utf-8", errors="replace") for p in pages]
        docs = [Document(p.stem, t, paragraphs(t)) for p, t in zip(pages, texts, strict=True)]
        step = DetectLanguage()
        _, t_step = timed(step.apply, docs)
        _, t_theirs = timed(plain_langdetect, texts)
        agree = sum(d.lang == plain_langdetect(t) for d, t in zip(docs, texts, strict=True)) / len(docs)
        print(f"web pages ({len(docs)} from {raw_dir}, mean {statistics.mean(map(len, texts)):,.0f} chars): "
              f"DetectLanguage step {len(docs) / t_step:,.0f} docs/s, langdetect.detect on the whole page "
              f"{len(docs) / t_theirs:,.0f} docs/s, speed-up {t_theirs / t_step:.1f}x, same answer on {agree:.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
