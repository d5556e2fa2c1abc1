"""cleaner side by side with the peers users would otherwise pick, on the same documents (issue 7).

    PYTHONPATH=. python benchmarks/peers.py [--mb 50] [--html-copies 6] [--repeat 3] [--work /tmp/cleaner-peers]

Plain text: cleaner's whole chain versus a datatrove pipeline doing comparable work. HTML:
cleaner's whole chain versus trafilatura's own command line (bare extraction). Each tool runs
as a subprocess, timed from start to exit; we report seconds, MB/s and documents/s (also per
core: divided by the worker count), CPU seconds of the whole process tree (what the run reaped,
or what /proc showed for each process, whichever is larger: datatrove's forkserver workers are
not reaped into the run) and MB per CPU-second, the figure least disturbed by other load, and
peak memory (RSS and PSS summed over the process tree, sampled every 0.2 s from /proc: Linux only). Runs are
interleaved and repeated; the table shows the best run (least disturbed by other load on the
machine) and the median time. The 1-minute load average at each start is printed beside.

Peers live in their own virtual environment, so that the project's dependencies stay clean:

    python3 -m venv /work/venv-peers
    /work/venv-peers/bin/pip install datatrove trafilatura lxml_html_clean orjson "xxhash<4" regex spacy tokenizers

Why these and not `datatrove[processing]`: that extra pins trafilatura<1.12, older than the
trafilatura 2.x cleaner itself uses, and pulls fasttext, whose language-ID model datatrove
would download at run time. What the pipeline does need: orjson (JsonlReader), xxhash
(MinHash's default hash), and spaCy, whose *blank* English pipeline is datatrove's English
word and sentence tokenizer (C4's sentence count, MinHash shingles); a blank pipeline is built
in, nothing is downloaded. tokenizers: datatrove.pipeline.dedup imports it (for stages not used
here; no tokenizer is loaded). lxml_html_clean: justext (a trafilatura dependency) imports
lxml.html.clean, which lxml no longer ships. `--peer-python` names the environment's
interpreter (default /work/venv-peers/bin/python when it exists); without it, the peers'
rows say "skipped: not installed".

The datatrove pipeline (all stages timed together, LocalPipelineExecutor with the same
workers): JsonlReader -> C4QualityFilter (its defaults: C4's line filters and the page-level
ones) -> JsonlWriter (the filtered documents) -> MinhashDedupSignature; then MinhashDedupBuckets,
MinhashDedupCluster, and JsonlReader -> MinhashDedupFilter -> JsonlWriter. MinHash: word
5-grams, 16 buckets of 8 hashes (128 hashes, as cleaner's 128 permutations), 64-bit xxhash.
Not comparable, and said so in the output: datatrove removes whole duplicate *documents*,
cleaner near-duplicate *paragraphs*; datatrove has no language stage here (its LanguageFilter
needs a fastText model it downloads), while cleaner always detects each document's language.

This file is importable by the peers' interpreter too (standard library only at the top):
`python peers.py _datatrove ...` is how the datatrove pipeline runs in the peers' environment.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve()
REPO = HERE.parents[1]
DEVSET = Path("/work/shared/devset")
DEFAULT_PEER_PYTHON = Path("/work/venv-peers/bin/python")
DEFAULT_WORK = Path("/tmp/cleaner-peers")
SHARDS = 8  # JSON lines files: datatrove gives each task whole files, so it needs several to use two workers
DT_BUCKETS, DT_HASHES_PER_BUCKET, DT_NGRAMS = 16, 8, 5
SAMPLE_EVERY = 0.2

# ---------------------------------------------------------------- corpora


def _vary(text: str, rng: random.Random, vocabulary: list[str], share: float) -> str:
    """Replace `share` of the words of every content-like line (8 words or more); short lines,
    such as menus and footers, stay as they are, as a site's template does across its pages."""
    lines = []
    for line in text.split("\n"):
        words = line.split(" ")
        if len(words) >= 8:
            words = [rng.choice(vocabulary) if w and rng.random() < share else w for w in words]
        lines.append(" ".join(words))
    return "\n".join(lines)


def _variant(text: str, copy: int, rng: random.Random, vocabulary: list[str], duplicates: float) -> str:
    """Copy 0 is the page itself; a later copy is the page with new content words, or now and
    then (share `duplicates`) the page again, lightly edited: a near-duplicate for dedup to find."""
    if copy == 0:
        return text
    if rng.random() < duplicates:
        return _vary(text, rng, vocabulary, 0.02)
    return _vary(text, rng, vocabulary, 0.3)


def _vocabulary(texts: list[str]) -> list[str]:
    words = sorted({w for t in texts for w in t.split() if w.isalpha() and 3 <= len(w) <= 12})
    return words


def _manifest() -> dict[str, str]:
    urls = {}
    with open(DEVSET / "manifest.jsonl", encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            urls[record["id"]] = record.get("url") or ""
    return urls


def _host(url: str) -> str:
    found = re.match(r"https?://(?:www\.)?([^/:]+)", url)
    return found.group(1).lower() if found else "unknown"


def build_text_corpus(root: Path, mb: float = 50, seed: int = 1, duplicates: float = 0.1) -> dict:
    """The devset's raw pages, copied with varied content words until `mb` MB of text, written
    as JSON lines shards (root/jsonl, records id, text, url) and as a folder of .txt
    (root/txt/<host>/<id>.txt). Deterministic for a seed; reused when already built alike."""
    spec = {"mb": mb, "seed": seed, "duplicates": duplicates, "shards": SHARDS}
    stats_path = root / "corpus.json"
    if stats_path.exists() and json.loads(stats_path.read_text()).get("spec") == spec:
        return json.loads(stats_path.read_text())
    shutil.rmtree(root, ignore_errors=True)
    (root / "jsonl").mkdir(parents=True)
    urls = _manifest()
    pages = sorted((DEVSET / "raw").glob("*.txt"))
    texts = {p.stem: p.read_text(encoding="utf-8") for p in pages}
    vocabulary = _vocabulary(list(texts.values()))
    rng = random.Random(seed)
    shards = [open(root / "jsonl" / f"part-{i:03d}.jsonl", "w", encoding="utf-8") for i in range(SHARDS)]  # noqa: SIM115
    target, size, docs, copy = mb * 1e6, 0, 0, 0
    try:
        while size < target:
            for page_id, text in texts.items():
                if size >= target:
                    break
                doc_id = f"{page_id}-c{copy:03d}"
                text = _variant(text, copy, rng, vocabulary, duplicates)
                url = urls.get(page_id, "")
                url = f"{url}{'&' if '?' in url else '?'}copy={copy}" if copy and url else url
                shards[docs % SHARDS].write(json.dumps({"id": doc_id, "text": text, "url": url}, ensure_ascii=False) + "\n")
                folder = root / "txt" / _host(url)
                folder.mkdir(parents=True, exist_ok=True)
                (folder / f"{doc_id}.txt").write_text(text, encoding="utf-8")
                size += len(text.encode("utf-8"))
                docs += 1
            copy += 1
    finally:
        for f in shards:
            f.close()
    stats = {"spec": spec, "docs": docs, "bytes": size, "copies": copy}
    stats_path.write_text(json.dumps(stats))
    return stats


_SCRIPT_OR_STYLE = re.compile(r"(<script\b.*?</script>|<style\b.*?</style>|<!--.*?-->)", re.S | re.I)
_TEXT_NODE = re.compile(r">([^<]+)<")


def _vary_html(html: str, rng: random.Random, vocabulary: list[str], share: float) -> str:
    """The same variation as for plain text, applied to the text between tags (not in scripts, styles, comments)."""
    parts = _SCRIPT_OR_STYLE.split(html)
    for i in range(0, len(parts), 2):
        parts[i] = _TEXT_NODE.sub(lambda m: ">" + _vary(m.group(1), rng, vocabulary, share) + "<", parts[i])
    return "".join(parts)


def build_html_corpus(root: Path, copies: int = 6, seed: int = 1, duplicates: float = 0.1) -> dict:
    """The devset's 150 HTML pages, `copies` times under different names (root/html/<id>-cNNN.html),
    later copies with varied content words as for plain text."""
    spec = {"copies": copies, "seed": seed, "duplicates": duplicates}
    stats_path = root / "corpus.json"
    if stats_path.exists() and json.loads(stats_path.read_text()).get("spec") == spec:
        return json.loads(stats_path.read_text())
    shutil.rmtree(root, ignore_errors=True)
    (root / "html").mkdir(parents=True)
    pages = {p.stem: p.read_text(encoding="utf-8", errors="surrogateescape") for p in sorted((DEVSET / "html").glob("*.html"))}
    vocabulary = _vocabulary([(DEVSET / "raw" / f"{page_id}.txt").read_text(encoding="utf-8") for page_id in pages])
    rng = random.Random(seed)
    docs = size = 0
    for copy in range(copies):
        for page_id, html in pages.items():
            if copy:
                html = _vary_html(html, rng, vocabulary, 0.02 if rng.random() < duplicates else 0.3)
            data = html.encode("utf-8", errors="surrogateescape")
            (root / "html" / f"{page_id}-c{copy:03d}.html").write_bytes(data)
            docs += 1
            size += len(data)
    stats = {"spec": spec, "docs": docs, "bytes": size, "copies": copies}
    stats_path.write_text(json.dumps(stats))
    return stats


def input_stats(path: Path) -> tuple[int, int]:
    """(documents, bytes) of an input: the text of JSON lines records, or whole .txt/.html files."""
    path = Path(path)
    stats = path.parent / "corpus.json"  # written by the builders above, beside their jsonl/, txt/, html/
    if path.name in ("jsonl", "txt", "html") and stats.exists():
        found = json.loads(stats.read_text())
        return found["docs"], found["bytes"]
    docs = size = 0
    for f in sorted(path.rglob("*") if path.is_dir() else [path]):
        if f.name.endswith(".jsonl"):
            with open(f, encoding="utf-8") as lines:
                for line in lines:
                    docs += 1
                    size += len(json.loads(line)["text"].encode("utf-8"))
        elif f.suffix in (".txt", ".html", ".htm"):
            docs += 1
            size += f.stat().st_size
    return docs, size

# ---------------------------------------------------------------- measuring a process tree


_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _processes() -> dict[int, tuple[int, int, float]]:
    """Every process: pid -> (parent, start time, own CPU seconds so far)."""
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8", errors="replace") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            found[int(entry)] = (int(fields[1]), int(fields[19]), (int(fields[11]) + int(fields[12])) / _TICK)
        except (OSError, IndexError, ValueError):
            continue
    return found


def _memory(pid: int) -> tuple[int, int]:
    """(RSS, PSS) in kB; PSS shares a page between the processes that map it (fork's copy-on-write)."""
    rss = pss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="utf-8") as f:
            for line in f:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1])
    except (OSError, ValueError):
        pass
    return rss, pss


class TreeSampler(threading.Thread):
    """Samples a process and its descendants until stopped: peaks of summed RSS and PSS, and the
    CPU time each process had used when last seen (a lower bound: a process's last 0.2 s, or one
    living less than that, is missed; the run's own rusage covers what its parents reap)."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak_rss, self.peak_pss = pid, 0, 0
        self.cpu: dict[tuple[int, int], float] = {}
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            processes = _processes()
            children: dict[int, list[int]] = {}
            for pid, (parent, _, _) in processes.items():
                children.setdefault(parent, []).append(pid)
            pending, found = [self.pid], []
            while pending:
                pid = pending.pop()
                found.append(pid)
                pending.extend(children.get(pid, []))
            for pid in found:
                if pid in processes:
                    _, started, cpu = processes[pid]
                    self.cpu[(pid, started)] = cpu
            sizes = [_memory(pid) for pid in found]
            self.peak_rss = max(self.peak_rss, sum(r for r, _ in sizes))
            self.peak_pss = max(self.peak_pss, sum(p for _, p in sizes))
            self.done.wait(SAMPLE_EVERY)


def _load() -> float:
    with open("/proc/loadavg", encoding="utf-8") as f:
        return float(f.read().split()[0])


def measure(command: list[str], *, docs: int, size: int, workers: int, log: Path, env: dict | None = None) -> dict:
    """Run a command to its end; time, CPU of the whole tree, peak memory, and rates over the input."""
    load = _load()
    before = os.times()
    started = time.perf_counter()
    with open(log, "wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
        sampler = TreeSampler(process.pid)
        sampler.start()
        code = process.wait()
        sampler.done.set()
        sampler.join()
    seconds = time.perf_counter() - started
    after = os.times()
    reaped = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    cpu = max(reaped, sum(sampler.cpu.values()))  # pool workers a forkserver started are not always reaped into ours
    cores = max(1, min(workers, os.cpu_count() or 1))
    return {
        "returncode": code, "seconds": seconds, "cpu_seconds": cpu, "workers": workers, "load": load,
        "docs": docs, "mb": size / 1e6, "mb_per_s": size / 1e6 / seconds, "docs_per_s": docs / seconds,
        "mb_per_s_per_core": size / 1e6 / seconds / cores, "docs_per_s_per_core": docs / seconds / cores,
        "mb_per_cpu_s": size / 1e6 / cpu if cpu else 0.0,
        "cpu_reaped": reaped, "cpu_sampled": sum(sampler.cpu.values()),
        "peak_rss_mb": sampler.peak_rss / 1024, "peak_pss_mb": sampler.peak_pss / 1024, "log": str(log),
    }


def _skipped(tool: str, reason: str = "skipped: not installed") -> dict:
    return {"tool": tool, "skipped": reason}


def _fresh(folder: Path) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def _peer_env() -> dict:
    """The peers' environment: none of the project's import path, and no hub downloads."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", TOKENIZERS_PARALLELISM="false")
    return env


def _peer_python(peer_python: Path | str | None) -> Path | None:
    path = Path(peer_python) if peer_python else DEFAULT_PEER_PYTHON
    return path if path.exists() else None

# ---------------------------------------------------------------- the three tools


def run_cleaner(input_path: Path, out_dir: Path, workers: int, output_name: str | None = None,
                extra_args: tuple[str, ...] = (), python: Path | str | None = None) -> dict:
    """`cleaner clean INPUT OUTPUT --workers N`, OUTPUT a fresh folder (or `output_name` in it, say
    cleaned.jsonl). A fresh output matters: cleaner keeps a dedup index there for later runs."""
    docs, size = input_stats(input_path)
    out_dir = _fresh(Path(out_dir))
    output = out_dir / output_name if output_name else out_dir / "out"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    command = [str(python or sys.executable), "-m", "cleaner.cli", "clean", str(input_path), str(output),
               "--workers", str(workers), *extra_args]
    result = measure(command, docs=docs, size=size, workers=workers, log=out_dir / "log.txt", env=env)
    result["tool"] = f"cleaner ({workers} worker{'s' if workers > 1 else ''})"
    result["docs_out"] = _count_output(output)
    return result


def run_datatrove(corpus_dir: Path, out_dir: Path, workers: int, peer_python: Path | str | None = None) -> dict:
    """The datatrove pipeline of the module docstring on corpus_dir/jsonl (or corpus_dir itself, a
    folder of .jsonl), in the peers' environment; output out_dir/output/*.jsonl."""
    python = _peer_python(peer_python)
    tool = f"datatrove ({workers} worker{'s' if workers > 1 else ''})"
    if python is None:
        return _skipped(tool)
    corpus_dir = Path(corpus_dir)
    jsonl = corpus_dir / "jsonl" if (corpus_dir / "jsonl").is_dir() else corpus_dir
    docs, size = input_stats(jsonl)
    out_dir = _fresh(Path(out_dir))
    command = [str(python), str(HERE), "_datatrove", str(jsonl), str(out_dir), str(workers)]
    result = measure(command, docs=docs, size=size, workers=workers, log=out_dir / "log.txt", env=_peer_env())
    result["tool"] = tool
    report = out_dir / "stages.json"
    if report.exists():
        result.update(json.loads(report.read_text()))
    return result


def run_trafilatura_cli(html_dir: Path, out_dir: Path, workers: int = 2, peer_python: Path | str | None = None,
                        extra_args: tuple[str, ...] = ()) -> dict:
    """trafilatura's own command line: `trafilatura --input-dir HTML --output-dir OUT --parallel N`
    (text output, its default settings unless extra_args say otherwise)."""
    python = _peer_python(peer_python)
    tool = f"trafilatura CLI (--parallel {workers}{' ' + ' '.join(extra_args) if extra_args else ''})"
    if python is None or not (python.parent / "trafilatura").exists():
        return _skipped(tool)
    docs, size = input_stats(html_dir)
    out_dir = _fresh(Path(out_dir))
    command = [str(python.parent / "trafilatura"), "--input-dir", str(html_dir), "--output-dir", str(out_dir / "out"),
               "--parallel", str(workers), *extra_args]
    result = measure(command, docs=docs, size=size, workers=workers, log=out_dir / "log.txt", env=_peer_env())
    result["tool"] = tool
    result["docs_out"] = _count_output(out_dir / "out")
    return result


def _count_output(output: Path) -> int:
    """Documents written: lines of a .jsonl output, .txt files of a folder output (side files aside)."""
    if output.is_file():
        with open(output, "rb") as f:
            return sum(1 for _ in f)
    if output.is_dir():
        return sum(1 for p in output.rglob("*.txt") if not p.name.startswith("cleaner-"))
    return 0

# ---------------------------------------------------------------- datatrove, in the peers' interpreter


def _datatrove_child(jsonl: str, work: str, workers: str) -> int:
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.dedup import MinhashDedupSignature
    from datatrove.pipeline.dedup.minhash import MinhashConfig, MinhashDedupBuckets, MinhashDedupCluster, MinhashDedupFilter
    from datatrove.pipeline.filters import C4QualityFilter
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter

    root, n = Path(work), int(workers)
    tasks = len(list(Path(jsonl).glob("*.jsonl")))
    config = MinhashConfig(n_grams=DT_NGRAMS, num_buckets=DT_BUCKETS, hashes_per_bucket=DT_HASHES_PER_BUCKET)
    filtered, sigs, buckets, remove = (str(root / "tmp" / name) for name in ("filtered", "signatures", "buckets", "remove_ids"))
    stages = {
        "c4+signatures": (tasks, [
            JsonlReader(jsonl, glob_pattern="*.jsonl"),
            C4QualityFilter(),
            JsonlWriter(filtered, compression=None),
            MinhashDedupSignature(output_folder=sigs, config=config),
        ]),
        "buckets": (DT_BUCKETS, [MinhashDedupBuckets(input_folder=sigs, output_folder=buckets, config=config)]),
        "cluster": (1, [MinhashDedupCluster(input_folder=buckets, output_folder=remove, config=config)]),
        "filter+write": (tasks, [
            JsonlReader(filtered),
            MinhashDedupFilter(input_folder=remove),
            JsonlWriter(str(root / "output"), compression=None),
        ]),
    }
    seconds = {}
    for name, (stage_tasks, pipeline) in stages.items():
        started = time.perf_counter()
        LocalPipelineExecutor(pipeline=pipeline, tasks=stage_tasks, workers=min(n, stage_tasks),
                              logging_dir=str(root / "logs" / name), skip_completed=False).run()
        seconds[name] = round(time.perf_counter() - started, 2)
    counts = {}
    for name, folder in (("docs_after_c4", filtered), ("docs_out", str(root / "output"))):
        counts[name] = sum(sum(1 for _ in open(p, "rb")) for p in Path(folder).glob("*.jsonl"))  # noqa: SIM115
    steps = {}  # each step's time summed over tasks (datatrove's own stats; wall time, so waits for a core count too)
    for name in stages:
        for step in json.loads((root / "logs" / name / "stats.json").read_text()):
            label = " ".join(re.sub(r"[^\x20-\x7e]", "", step["name"]).split()).strip(" -")
            spent = step.get("time_stats") or 0.0
            steps[f"{name}: {label}"] = round(spent.get("total", 0.0) if isinstance(spent, dict) else float(spent), 1)
    (root / "stages.json").write_text(json.dumps({"stages": seconds, "steps": steps, **counts}))
    return 0

# ---------------------------------------------------------------- the table


def _summarise(runs: list[dict]) -> dict:
    """The best run's figures, with the median time and every run's time beside."""
    ok = [r for r in runs if "skipped" not in r and r["returncode"] == 0]
    if not ok:
        return runs[0] if "skipped" in runs[0] else {**runs[0], "skipped": f"failed (exit {runs[0]['returncode']}, see {runs[0]['log']})"}
    best = min(ok, key=lambda r: r["seconds"])
    return {**best, "median_seconds": statistics.median(r["seconds"] for r in ok),
            "all_seconds": [round(r["seconds"], 1) for r in ok], "loads": [r["load"] for r in ok]}


def table(rows: list[dict], title: str) -> str:
    head = ("| tool | docs | MB | best s | median s | MB/s | docs/s | MB/s/core | docs/s/core | MB/CPU-s "
            "| peak RSS MB | peak PSS MB | docs out | load |")
    lines = [f"### {title}", "", head, "|" + "---|" * (head.count("|") - 1)]
    for r in rows:
        if "skipped" in r:
            lines.append(f"| {r['tool']} | {r['skipped']} |" + " |" * 12)
            continue
        lines.append(
            f"| {r['tool']} | {r['docs']} | {r['mb']:.1f} | {r['seconds']:.1f} | {r['median_seconds']:.1f} | {r['mb_per_s']:.2f} "
            f"| {r['docs_per_s']:.1f} | {r['mb_per_s_per_core']:.2f} | {r['docs_per_s_per_core']:.1f} | {r['mb_per_cpu_s']:.2f} "
            f"| {r['peak_rss_mb']:.0f} | {r['peak_pss_mb']:.0f} | {r.get('docs_out', '')} "
            f"| {'/'.join(f'{x:.1f}' for x in r['loads'])} |")
    return "\n".join(lines)


def _ratios(a: dict | None, b: dict | None) -> tuple[float, float] | None:
    """b's time over a's: best wall-clock seconds, and CPU seconds (the same work is compared, so
    the CPU ratio is the one other load on the machine disturbs least)."""
    if not a or not b or "skipped" in a or "skipped" in b:
        return None
    return b["seconds"] / a["seconds"], b["cpu_seconds"] / a["cpu_seconds"]


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "_datatrove":
        return _datatrove_child(*argv[1:4])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK, help="corpora and outputs (corpora are reused)")
    parser.add_argument("--mb", type=float, default=50, help="plain-text corpus size, MB of text")
    parser.add_argument("--html-copies", type=int, default=6, help="copies of the 150 devset HTML pages")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each tool, interleaved; the best is shown")
    parser.add_argument("--cleaner-workers", default="1,2", help="comma-separated worker counts for cleaner on plain text")
    parser.add_argument("--workers", type=int, default=2, help="workers for datatrove, trafilatura and cleaner on HTML")
    parser.add_argument("--cleaner-input", choices=("jsonl", "txt"), default="jsonl",
                        help="cleaner reads the same JSON lines as datatrove, or the same texts as .txt files")
    parser.add_argument("--trafilatura-variants", default=",--recall --no-comments,--recall --no-comments --fast",
                        help="comma-separated flag sets for trafilatura's CLI, one row each; the empty one is its defaults "
                             "(--recall --no-comments --fast is what cleaner asks of trafilatura; --html-second-opinions "
                             "drops --fast)")
    parser.add_argument("--cleaner-args", default="", help="extra options for `cleaner clean`, e.g. '--lang en'")
    parser.add_argument("--peer-python", type=Path, default=None, help=f"the peers' interpreter (default {DEFAULT_PEER_PYTHON})")
    parser.add_argument("--only", choices=("text", "html"), default=None, help="run one side only")
    args = parser.parse_args(argv)
    extra = tuple(args.cleaner_args.split())
    work = args.work
    runs: dict[str, list[dict]] = {}

    def note(key: str, result: dict) -> None:
        runs.setdefault(key, []).append(result)
        if "skipped" in result:
            print(f"  {key}: {result['skipped']}", file=sys.stderr)
        else:
            print(f"  {key}: {result['seconds']:.1f} s, exit {result['returncode']}, load {result['load']:.1f}, "
                  f"peak RSS {result['peak_rss_mb']:.0f} MB", file=sys.stderr)

    jobs = []
    if args.only in (None, "text"):
        stats = build_text_corpus(work / "text", args.mb, args.seed)
        print(f"plain text: {stats['docs']} documents, {stats['bytes'] / 1e6:.1f} MB ({stats['copies']} copies of the devset)",
              file=sys.stderr)
        source = work / "text" / args.cleaner_input
        for w in (int(x) for x in args.cleaner_workers.split(",")):
            jobs.append((f"text/cleaner-{w}", lambda w=w: run_cleaner(source, work / "out" / f"cleaner-text-{w}", w,
                                                                      "cleaned.jsonl", extra)))
        jobs.append(("text/datatrove", lambda: run_datatrove(work / "text", work / "out" / "datatrove", args.workers,
                                                              args.peer_python)))
    if args.only in (None, "html"):
        stats = build_html_corpus(work / "html", args.html_copies, args.seed)
        print(f"HTML: {stats['docs']} pages, {stats['bytes'] / 1e6:.1f} MB", file=sys.stderr)
        html = work / "html" / "html"
        for variant in args.trafilatura_variants.split(","):
            flags = tuple(variant.split())
            name = "-".join(f.strip("-") for f in flags) or "default"
            jobs.append((f"html/trafilatura-{name}", lambda flags=flags, name=name: run_trafilatura_cli(
                html, work / "out" / f"trafilatura-{name}", args.workers, args.peer_python, flags)))
        jobs.append(("html/cleaner", lambda: run_cleaner(html, work / "out" / "cleaner-html", args.workers, None, extra)))
    for round_ in range(args.repeat):
        print(f"round {round_ + 1}/{args.repeat}", file=sys.stderr)
        for key, job in jobs:
            result = job()
            note(key, result)
            if "skipped" in result:
                jobs = [(k, j) for k, j in jobs if k != key]

    best = {key: _summarise(found) for key, found in runs.items()}
    (work / f"results-{args.only or 'all'}.json").write_text(json.dumps({"args": argv, "runs": runs, "best": best}, indent=1))
    print(f"cleaner {' '.join(['clean', 'INPUT', 'OUTPUT', '--workers', 'N', *extra])}; {os.cpu_count()} cores; "
          f"{args.repeat} interleaved runs each, best shown\n")
    text_rows = [r for k, r in best.items() if k.startswith("text/")]
    if text_rows:
        print(table(text_rows, f"plain text ({args.cleaner_input} input for cleaner, JSON lines for datatrove)"))
        dt = best.get("text/datatrove")
        for k, r in best.items():
            ratios = _ratios(dt, r) if k.startswith("text/cleaner") else None
            if ratios:
                print(f"\n{r['tool']}: {1 / ratios[0]:.2f}x datatrove's throughput by best wall-clock time, "
                      f"{1 / ratios[1]:.2f}x by CPU time (target >= 2x)", end="")
        if dt and "stages" in dt:
            print(f"\ndatatrove stages (wall s, best run): {dt['stages']}\ndatatrove steps (s summed over tasks): "
                  f"{dt.get('steps')}\ndocuments after C4: {dt['docs_after_c4']}, after MinHash: {dt['docs_out']}")
        print()
    if "html/cleaner" in best:
        extractions = [r for k, r in best.items() if k.startswith("html/trafilatura")]
        print(table([*extractions, best["html/cleaner"]], "HTML (same pages)"))
        for bare in extractions:
            ratios = _ratios(bare, best["html/cleaner"])
            if ratios:
                print(f"\ncleaner's whole chain versus {bare['tool']}: {100 * (ratios[0] - 1):+.0f}% time by best wall-clock "
                      f"time, {100 * (ratios[1] - 1):+.0f}% by CPU time (target <= +15%)", end="")
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
