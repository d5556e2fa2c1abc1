"""Throughput of the whole chain on one machine: MB/s and documents/s, per core, memory, step shares.

    python benchmarks/throughput.py PATH/TO/devset [--mb 300] [--html-mb 70] [--workers 1,2]
                                    [--kinds text,html] [--repeat 1] [--out DIR] [--no-memory]

The corpora are made once (and kept in --out, default a temporary folder) from the devset:

- text: every page of devset/raw/ is a "site" (a folder of its own). Its first page is the
  devset page itself; each further page is a copy in which every paragraph of 8 words or more
  has a quarter of its words replaced by other words of the same page (a seeded RNG), while
  shorter lines (menus, buttons, footers) stay as they are. So a site is a template repeated
  over pages with different main text: the repeated-lines step finds the template, MinHash
  finds no near-duplicates between the main texts (a 5-word shingle survives 24% of the time),
  and dedup does not simply delete every copy. Copies are added site by site until the corpus
  reaches --mb megabytes (all sites get the same number of pages, give or take one).
- html: the 150 pages of devset/html/, copied the same way (words of text between tags
  mutated), up to --html-mb megabytes.

Each run is `clean_corpus` (what `cleaner clean` calls) in a child process with the default
options, so the process tree can be measured: wall time, CPU time of the whole tree (from
getrusage of the waited-for children), the peak resident memory of the tree (psutil, sampled
every 20 ms, summed over the processes) and of its largest process. The time share
of each step comes from the run's own summary (CPU seconds per step, summed over workers;
"read" is decoding and segmenting, "spool" making the sketches and saving and loading the
pass-1 chunks and sketches, "write" rendering (in the workers) and writing the outputs, audit
and manifest). Peak memory is also measured on a corpus a quarter of the size,
to see how it grows with the corpus.

Other programs can be added as engines (see ENGINES): a function that cleans a folder into a
folder with a number of workers and returns what it knows of the run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

SEED = 20261123
MUTATE_SHARE = 0.25
MIN_WORDS_TO_MUTATE = 8
_WORD = re.compile(r"\w+")
_TEXT_NODE = re.compile(r">([^<]+)<")


# -- corpora ------------------------------------------------------------------------------
def mutate(paragraph: str, vocabulary: list[str], rng: random.Random) -> str:
    """A quarter of the words of a long paragraph replaced by words of the same page."""
    parts = _WORD.split(paragraph)
    if len(parts) <= MIN_WORDS_TO_MUTATE:
        return paragraph
    words = _WORD.findall(paragraph)
    out = [parts[0]]
    for word, gap in zip(words, parts[1:], strict=True):
        out.append(rng.choice(vocabulary) if rng.random() < MUTATE_SHARE else word)
        out.append(gap)
    return "".join(out)


def copy_text(page: str, rng: random.Random, vocabulary: list[str]) -> str:
    return "\n".join(mutate(line, vocabulary, rng) for line in page.split("\n"))


def copy_html(page: str, rng: random.Random, vocabulary: list[str]) -> str:
    return _TEXT_NODE.sub(lambda m: ">" + mutate(m.group(1), vocabulary, rng) + "<", page)


def build_corpus(pages: list[Path], target: Path, megabytes: float, copy: Callable, suffix: str) -> Path:
    """Sites of copies of each page, in rounds, until the corpus holds `megabytes` MB."""
    done = target / ".complete"
    if done.exists():
        return target
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    texts = [p.read_bytes().decode("utf-8", "replace") for p in pages]
    vocabularies = [sorted(set(_WORD.findall(t))) or ["word"] for t in texts]
    size, round_ = 0, 0
    while size < megabytes * 1e6:
        for page, text, vocabulary in zip(pages, texts, vocabularies, strict=True):
            site = target / page.stem
            site.mkdir(exist_ok=True)
            body = text if round_ == 0 else copy(text, random.Random(f"{SEED}:{page.stem}:{round_}"), vocabulary)
            data = body.encode("utf-8")
            (site / f"page-{round_:04d}{suffix}").write_bytes(data)
            size += len(data)
            if size >= megabytes * 1e6:
                break
        round_ += 1
    done.write_text(f"{size}\n")
    return target


def corpora(devset: Path, out: Path, kinds: list[str], mb: float, html_mb: float) -> dict[str, Path]:
    made = {}
    if "text" in kinds:
        pages = sorted((devset / "raw").glob("*.txt"))
        made["text"] = build_corpus(pages, out / f"corpus-text-{mb:g}MB", mb, copy_text, ".txt")
        made["text-small"] = build_corpus(pages, out / f"corpus-text-{mb / 4:g}MB", mb / 4, copy_text, ".txt")
    if "html" in kinds:
        pages = sorted((devset / "html").glob("*.html"))
        made["html"] = build_corpus(pages, out / f"corpus-html-{html_mb:g}MB", html_mb, copy_html, ".html")
    return made


# -- measuring one run --------------------------------------------------------------------
@dataclass
class Run:
    engine: str
    corpus: str
    workers: int
    megabytes: float = 0.0
    documents: int = 0
    wall: float = 0.0
    cpu: float = 0.0  # user + system seconds of the whole process tree
    peak_tree_mb: float = 0.0  # resident memory of all processes of the run at once (sampled)
    peak_process_mb: float = 0.0  # the largest single process
    step_seconds: dict = field(default_factory=dict)

    @property
    def mb_per_s(self) -> float:
        return self.megabytes / self.wall

    @property
    def docs_per_s(self) -> float:
        return self.documents / self.wall


def measure(command: list[str], run: Run) -> dict:
    """Run a child process; wall and CPU time, peak memory of its process tree, its JSON answer."""
    import psutil

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    proc = psutil.Process(child.pid)
    peak = largest = 0
    while child.poll() is None:
        try:
            sizes = [p.memory_info().rss for p in [proc, *proc.children(recursive=True)]]
            peak, largest = max(peak, sum(sizes)), max(largest, *sizes)
        except psutil.Error:  # a process ended while we looked
            pass
        time.sleep(0.02)
    run.wall = time.perf_counter() - started
    answer = child.stdout.read()
    if child.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited with {child.returncode}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    run.cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    run.peak_tree_mb, run.peak_process_mb = peak / 1e6, largest / 1e6
    return json.loads(answer)


def cleaner_engine(corpus: Path, output: Path, workers: int, run: Run) -> None:
    summary = measure([sys.executable, __file__, "--child", str(corpus), str(output), str(workers)], run)
    run.megabytes = summary["bytes_in"] / 1e6
    run.documents = summary["documents_in"]
    run.step_seconds = summary["step_seconds"]


def child(corpus: str, output: str, workers: int) -> int:
    """The measured process: one corpus run with the default options, its summary on stdout."""
    from cleaner.options import Options
    from cleaner.runner import clean_corpus

    summary = clean_corpus(corpus, output, Options(), workers=workers)
    print(json.dumps({"bytes_in": summary.bytes_in, "documents_in": summary.documents_in,
                      "seconds": summary.seconds, "step_seconds": dict(summary.step_seconds)}))
    return 0


# name -> function(corpus folder, output folder, workers, Run to fill); peers go here too
ENGINES: dict[str, Callable[[Path, Path, int, Run], None]] = {"cleaner": cleaner_engine}


# -- report -------------------------------------------------------------------------------
def table(runs: list[Run]) -> str:
    head = (f"{'engine':<9}{'corpus':<12}{'workers':>8}{'MB':>8}{'docs':>8}{'wall s':>8}{'MB/s':>7}"
            f"{'MB/s/core':>10}{'docs/s':>8}{'docs/s/core':>12}{'CPU s':>8}{'MB/CPU s':>9}{'peak RSS':>10}{'largest':>9}")
    rows = [head]
    for r in runs:
        rows.append(f"{r.engine:<9}{r.corpus:<12}{r.workers:>8}{r.megabytes:>8.1f}{r.documents:>8}{r.wall:>8.1f}"
                     f"{r.mb_per_s:>7.2f}{r.mb_per_s / r.workers:>10.2f}{r.docs_per_s:>8.0f}{r.docs_per_s / r.workers:>12.0f}"
                     f"{r.cpu:>8.1f}{r.megabytes / r.cpu if r.cpu else 0:>9.2f}{r.peak_tree_mb:>8.0f}MB{r.peak_process_mb:>7.0f}MB")
    return "\n".join(rows)


def shares(run: Run) -> str:
    total = sum(run.step_seconds.values())
    if not total:
        return ""
    parts = [f"{name} {100 * s / total:.1f}%" for name, s in sorted(run.step_seconds.items(), key=lambda kv: -kv[1])]
    return f"{run.engine} {run.corpus} x{run.workers}: {total:.1f} CPU s in steps: " + ", ".join(parts)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("devset", type=Path, nargs="?")
    ap.add_argument("--mb", type=float, default=300, help="size of the plain-text corpus (MB)")
    ap.add_argument("--html-mb", type=float, default=70, help="size of the HTML corpus (MB)")
    ap.add_argument("--workers", default="1,2", help="numbers of worker processes to run with")
    ap.add_argument("--kinds", default="text,html", help="text, html or both")
    ap.add_argument("--engines", default="cleaner", help=f"of: {', '.join(ENGINES)}")
    ap.add_argument("--repeat", type=int, default=1, help="runs per configuration; the fastest is reported")
    ap.add_argument("--out", type=Path, help="folder for the corpora (kept) and outputs; default: a temporary one")
    ap.add_argument("--no-memory", action="store_true", help="skip the memory run on the quarter-size corpus")
    ap.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        return child(a.child[0], a.child[1], int(a.child[2]))
    if a.devset is None:
        ap.error("the devset folder is needed")
    kinds = a.kinds.split(",")
    workers = [int(w) for w in a.workers.split(",")]
    root = a.out or Path(tempfile.mkdtemp(prefix="cleaner-throughput-"))
    root.mkdir(parents=True, exist_ok=True)
    print(f"{os.cpu_count()} cores, load average at start {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    made = corpora(a.devset, root, kinds, a.mb, a.html_mb)
    runs: list[Run] = []
    for engine in a.engines.split(","):
        for kind in kinds:
            for n in workers:
                best = None
                for _ in range(a.repeat):
                    run = Run(engine, kind, n)
                    output = root / f"out-{engine}-{kind}-{n}"
                    shutil.rmtree(output, ignore_errors=True)
                    ENGINES[engine](made[kind], output, n, run)
                    shutil.rmtree(output, ignore_errors=True)
                    print(f"  {engine} {kind} x{n}: {run.wall:.1f} s, {run.mb_per_s:.2f} MB/s", flush=True)
                    best = run if best is None or run.wall < best.wall else best
                runs.append(best)
        if "text" in kinds and not a.no_memory:
            run = Run(engine, "text/4", 1)
            output = root / f"out-{engine}-small"
            shutil.rmtree(output, ignore_errors=True)
            ENGINES[engine](made["text-small"], output, 1, run)
            shutil.rmtree(output, ignore_errors=True)
            runs.append(run)
    print(f"load average at end {' '.join(f'{x:.2f}' for x in os.getloadavg())}\n")
    print(table(runs))
    print()
    for run in runs:
        print(shares(run))
    if a.out is None:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
