"""Near-duplicate paragraphs: speed, memory and accuracy, side by side with plain datasketch.

    PYTHONPATH=. python benchmarks/dedup.py --paragraphs 50000 --seed 1
    PYTHONPATH=. python benchmarks/dedup.py --index-only --paragraphs 10000000
    PYTHONPATH=. python benchmarks/dedup.py --devset PATH/TO/devset

Generates a corpus from the seed: paragraphs of ~420 characters of Zipf-distributed words,
of which a share are planted near-duplicates of earlier ones (word edits, punctuation and
case changes, appended bylines, reordered sentences, combinations), plus a few boilerplate
paragraphs repeated in many documents. Then, all in one process (one core):

1. signatures: ours (cleaner.shingles.signatures) and datasketch's MinHash.bulk;
2. the dedup step (observe + apply over documents of 10 paragraphs), its index size;
3. accuracy as a pair search: every paragraph indexed, a sample queried; the pairs found
   are compared with brute-force exact Jaccard of the sample against every paragraph.
   The same for datasketch MinHashLSH (raw candidates, and candidates verified with
   MinHash.jaccard), with its default banding for the threshold.

With --index-only, nothing of that: the index alone at scale. Synthetic paragraphs (random
signatures; fingerprint sets of random 12-bit values, their sizes drawn from those of the
generated paragraphs; document names like "site123/page000001234.html", 10 paragraphs a
document) are inserted straight into a MinHashIndex in batches of 100,000, then the band
index is compacted as save() compacts it. Memory is measured three ways: the arrays' own
allocated sizes (MinHashIndex.nbytes, with a breakdown), tracemalloc (held at the end, and
the peak including the batches being inserted and the merges), and the process's resident
set (growth, and the kernel's high-water mark).
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import time
import tracemalloc
from pathlib import Path

import numpy as np
from scipy import sparse

from cleaner.chain import build_steps, run_steps, split
from cleaner.document import Document, Paragraph
from cleaner.minhash_index import MinHashIndex
from cleaner.options import Options
from cleaner.reading import from_text
from cleaner.shingles import _token_cache, shingle_hashes, shingles, signatures, signatures_and_fingerprints, tokens
from cleaner.steps import RepeatedLines
from cleaner.steps.dedup import MinHashSignatures, NearDuplicateParagraphs

BYLINES = ["Reported by {} for the Daily {}.", "By {} | {} News", "Additional reporting by {} in {}.", "Photo: {} / {}"]


def make_corpus(n: int, seed: int, planted: float = 0.3, boilerplate_docs: int = 30):
    """Paragraphs (in input order), and for each planted one the index of its original."""
    rng = np.random.default_rng(seed)
    letters = np.array(list("etaoinshrdlcumwfgypbvkjxqz"))
    weights = np.linspace(2, 0.1, len(letters))
    weights /= weights.sum()
    vocab = ["".join(rng.choice(letters, size=int(rng.integers(2, 10)), p=weights)) for _ in range(40000)]
    cdf = np.cumsum(1 / np.arange(1, len(vocab) + 1) ** 1.05)
    cdf /= cdf[-1]

    def sentence() -> list[str]:
        words = [vocab[i] for i in np.searchsorted(cdf, rng.random(int(rng.integers(8, 22)))).tolist()]
        words[0] = words[0].capitalize()
        if rng.random() < 0.4:
            words[int(rng.integers(1, len(words) - 1))] += ","
        return words

    def paragraph() -> list[list[str]]:
        sents, size = [], 0
        while size < 400:
            sents.append(sentence())
            size += sum(len(w) + 1 for w in sents[-1])
        return sents

    def render(sents: list[list[str]]) -> str:
        return " ".join(" ".join(s) + "." for s in sents)

    def variant(sents: list[list[str]]) -> str:
        sents = [list(s) for s in sents]
        ops = rng.choice(["edit", "punct", "byline", "reorder"], size=int(rng.integers(1, 3)), replace=False)
        for op in ops:
            if op == "edit":  # substitute, insert or delete a few words
                for _ in range(int(rng.integers(1, 4))):
                    s = sents[int(rng.integers(len(sents)))]
                    k = int(rng.integers(len(s)))
                    kind = rng.integers(3)
                    if kind == 0:
                        s[k] = vocab[int(rng.integers(len(vocab)))]
                    elif kind == 1:
                        s.insert(k, vocab[int(rng.integers(len(vocab)))])
                    elif len(s) > 3:
                        del s[k]
            elif op == "punct":
                sents = [[w.upper() if rng.random() < 0.1 else w.strip(",") for w in s] for s in sents]
            elif op == "reorder" and len(sents) > 2:
                k = int(rng.integers(len(sents) - 1))
                sents[k], sents[k + 1] = sents[k + 1], sents[k]
        text = render(sents)
        if "byline" in ops:
            names = [vocab[int(rng.integers(2000))].capitalize() for _ in range(2)]
            text += " " + BYLINES[int(rng.integers(len(BYLINES)))].format(*names)
        if "punct" in ops:
            text = text.replace(". ", "; ", 1).replace(",", " -", 1)
        return text

    structure: list[list[list[str]]] = []
    texts: list[str] = []
    origin: list[int] = []
    for _ in range(n):
        if structure and rng.random() < planted:
            k = int(rng.integers(len(structure)))
            structure.append(structure[k])
            texts.append(variant(structure[k]))
            origin.append(origin[k] if origin[k] >= 0 else k)
        else:
            structure.append(paragraph())
            texts.append(render(structure[-1]))
            origin.append(-1)
    # boilerplate: a few paragraphs repeated in many documents (exact copies)
    for b in range(5):
        text = render(paragraph())
        for d in rng.choice(n // 10, size=boilerplate_docs, replace=False):
            pos = int(d) * 10 + int(rng.integers(10))
            if pos < n:
                texts[pos], origin[pos] = text, -2 - b
    return texts, origin


def exact_neighbours(texts: list[str], sample: np.ndarray, threshold: float) -> list[set[int]]:
    """For each sampled paragraph, every other paragraph with exact Jaccard >= threshold.

    Shingle-hash overlaps (a sparse product) find the pairs that could qualify; each is then
    checked on the exact shingle sets (bytes), so a 32-bit hash collision cannot count.
    """
    hashes, starts = shingle_hashes([tokens(t) for t in texts])
    rows = np.repeat(np.arange(len(texts)), np.diff(starts))
    columns = np.unique(hashes, return_inverse=True)[1]
    matrix = sparse.csr_matrix((np.ones(len(hashes), np.float32), (rows, columns)),
                               shape=(len(texts), int(columns.max()) + 1))
    matrix.sum_duplicates()
    matrix.data[:] = 1
    sizes = np.asarray(matrix.sum(axis=1)).ravel()
    inter = (matrix[sample] @ matrix.T).tocoo()
    approx = inter.data / (sizes[sample[inter.row]] + sizes[inter.col] - inter.data)
    cache: dict[int, set[bytes]] = {}

    def grams(i: int) -> set[bytes]:
        if i not in cache:
            cache[i] = shingles(texts[i])
        return cache[i]

    out: list[set[int]] = [set() for _ in sample]
    for r, c, j in zip(inter.row.tolist(), inter.col.tolist(), approx.tolist(), strict=True):
        q = int(sample[r])
        if c != q and j >= threshold - 0.05:
            a, b = grams(q), grams(c)
            if len(a & b) / len(a | b) >= threshold:
                out[r].add(c)
    return out


def score(found: list[set[int]], truth: list[set[int]]) -> tuple[float, float, int, int]:
    tp = sum(len(f & t) for f, t in zip(found, truth, strict=True))
    nf, nt = sum(map(len, found)), sum(map(len, truth))
    return tp / nf if nf else 1.0, tp / nt if nt else 1.0, nf, nt


def _speeds(mb: float, paragraphs: int, wall: float, cpu: float) -> tuple[str, str]:
    """MB/s on the wall clock and per second of this process's CPU (the machine may be shared)."""
    return f"{mb / wall:.1f} MB/s, {mb / cpu:.1f} MB/s of CPU", f"{paragraphs / wall:,.0f} par/s"


def _status(field: str) -> int:
    """A memory figure of this process from /proc/self/status, in bytes (0 where there is none)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def index_only(n: int, seed: int, batch: int = 100_000) -> None:
    """Index memory for n paragraphs, without generating or hashing their text."""
    texts, _ = make_corpus(20000, seed)
    _, sample_fps = signatures_and_fingerprints([tokens(x) for x in texts])
    pool = np.array([len(f) for f in sample_fps])
    del texts, sample_fps
    rng = np.random.default_rng(seed)
    gc.collect()
    rss_before = _status("VmRSS")
    tracemalloc.start()
    clock = time.perf_counter()
    index = MinHashIndex()
    doc = 0
    for start in range(0, n, batch):
        m = min(batch, n - start)
        sigs = rng.integers(0, 1 << 32, (m, index.num_perm), dtype=np.uint32)
        sizes = rng.choice(pool, m)
        owner = np.repeat(np.arange(m, dtype=np.uint32), sizes)
        keys = owner << np.uint32(12) | rng.integers(0, 4096, len(owner), dtype=np.uint32)
        keys.sort()  # and duplicates out: np.unique hashes, an order of magnitude slower
        keys = keys[np.concatenate(([True], keys[1:] != keys[:-1]))]
        bounds = np.searchsorted(keys >> np.uint32(12), np.arange(m + 1, dtype=np.uint32))
        values = (keys & np.uint32(0xFFF)).astype(np.uint16)
        fps = [values[bounds[i]: bounds[i + 1]] for i in range(m)]
        for d in range(doc, doc + (m + 9) // 10):
            index.add_document(f"site{d % 1000:03d}/page{d:09d}.html")
        index.add(sigs, fps, doc, np.arange(m) % 10, np.full(m, 420))
        doc += (m + 9) // 10
        del sigs, sizes, owner, keys, bounds, values, fps
        if start // batch % 10 == 9:
            print(f"  {start + m:>11,} paragraphs, {index.nbytes / (start + m):.0f} B/paragraph, "
                  f"{time.perf_counter() - clock:.0f} s", flush=True)
    index.band_index.compact()  # as save() does
    took = time.perf_counter() - clock
    gc.collect()
    held, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_growth = _status("VmRSS") - rss_before
    columns = (index.owner_doc, index.owner_par, index.owner_len, index.docs, index.fingerprint_ends)
    parts = {
        "band index (keys + clusters)": index.band_index.nbytes,
        "fingerprints (12-bit, packed)": index.fingerprints.__sizeof__(),
        "per-cluster columns + flags": sum(c.__sizeof__() for c in columns) + index.flags.__sizeof__(),
        "document names": index.names.__sizeof__() + index.name_ends.__sizeof__(),
    }
    print(f"index only: {n:,} synthetic paragraphs ({len(index):,} clusters, {doc:,} documents, mean "
          f"{pool.mean():.1f} fingerprints a paragraph, drawn from generated paragraphs), inserted in {took:.0f} s")
    for name, size in parts.items():
        print(f"  {name:<32} {size / 1e6:>9,.0f} MB  {size / n:>6.1f} B/paragraph")
    print(f"  {'total (MinHashIndex.nbytes)':<32} {index.nbytes / 1e6:>9,.0f} MB  {index.nbytes / n:>6.1f} B/paragraph")
    used = (index.band_index.nbytes + len(index.fingerprints) + sum(c.itemsize * len(c) for c in columns)
            + len(index.flags) + len(index.names) + 8 * len(index.name_ends))
    print(f"  {'of which used (rest: growth room)':<32} {used / 1e6:>9,.0f} MB  {used / n:>6.1f} B/paragraph")
    print(f"  tracemalloc: held {held / n:.1f} B/paragraph at the end, peak {peak / 1e6:,.0f} MB "
          f"({peak / n:.1f} B/paragraph, with a batch in flight and the last merge)")
    print(f"  resident set: grew {rss_growth / 1e6:,.0f} MB ({rss_growth / n:.1f} B/paragraph); "
          f"high-water mark of the process {_status('VmHWM') / 1e6:,.0f} MB")
    per = index.nbytes / n
    print(f"target <= 200 B/paragraph: {'met' if per <= 200 else 'NOT met'} ({per:.1f}); at this rate a 24 GB "
          f"machine holds {24e9 / max(per, peak / n):,.0f} paragraphs counting the peak")


def devset_clusters(devset: Path, examples: int = 8) -> None:
    """How many near-duplicate clusters of the devset's raw pages span N documents, and what they are."""
    urls = {}
    for line in (devset / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        urls[record["id"]] = record["url"]
    local, tail = split(build_steps(Options(dedup_boilerplate_docs=0)))
    repeated = next(s for s in tail if isinstance(s, RepeatedLines))
    dedup = next(s for s in tail if isinstance(s, NearDuplicateParagraphs))
    docs = []
    for path in sorted((devset / "raw").glob("*.txt")):
        doc = run_steps(local, from_text(path.read_text(encoding="utf-8"), path.stem, source=urls.get(path.stem, "")))
        if doc.removed is None:
            repeated.observe(doc)
            dedup.observe(doc)
        docs.append(doc)
    clusters: dict[int, dict] = {}
    for doc in docs:
        if doc.removed is None:
            repeated.apply(doc)
        for p in doc.paragraphs:
            if (seen := p.features.get("dedup")) is not None:
                c = clusters.setdefault(seen[0], {"sites": set(), "text": p.text, "copies": 0, "repeated": 0})
                c["sites"].add(doc.site)
                c["copies"] += 1
                c["repeated"] += p.removed is not None
    spans = np.array(dedup.index.docs, dtype=np.int64)
    print(f"devset: {len(docs)} raw pages from {len({d.site for d in docs})} sites, {len(clusters):,} clusters of "
          "paragraphs (3+ words) reaching the dedup step of the default chain, boilerplate removal off")
    print(f"{'documents':>11} {'clusters':>9} {'on 1 site':>10} {'copies RepeatedLines removes':>29} {'across sites':>13}")
    for n in (3, 5, 10, 20, 50):
        big = [c for c in np.flatnonzero(spans >= n).tolist() if c in clusters]
        single = [c for c in big if len(clusters[c]["sites"]) == 1]
        removed = sum(clusters[c]["repeated"] for c in single)
        copies = sum(clusters[c]["copies"] for c in single)
        print(f"{'>= ' + str(n):>11} {len(big):>9} {len(single):>10} {f'{removed}/{copies}':>29} {len(big) - len(single):>13}")
    across = sorted((c for c in clusters if len(clusters[c]["sites"]) > 1 and spans[c] >= 5), key=lambda c: -spans[c])
    print(f"clusters across sites in >= 5 documents ({len(across)}), largest first:")
    for c in across[: examples * 2]:
        print(f"  {spans[c]:>4} docs {len(clusters[c]['sites']):>3} sites  {clusters[c]['text'][:100]!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=50000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threshold", type=float, default=0.8)
    parser.add_argument("--sample", type=int, default=1000, help="paragraphs checked by brute force")
    parser.add_argument("--no-datasketch", action="store_true")
    parser.add_argument("--index-only", action="store_true",
                        help="only the index's memory, for --paragraphs synthetic paragraphs (try 10000000)")
    parser.add_argument("--devset", type=Path, help="count near-duplicate clusters of this devset's raw pages")
    args = parser.parse_args()
    t = args.threshold
    if args.devset:
        devset_clusters(args.devset)
        return
    if args.index_only:
        index_only(args.paragraphs, args.seed)
        return

    started = time.perf_counter()
    texts, origin = make_corpus(args.paragraphs, args.seed)
    mb = sum(len(x.encode()) for x in texts) / 1e6
    print(f"corpus: {len(texts)} paragraphs, {mb:.1f} MB, mean {mb * 1e6 / len(texts):.0f} bytes, "
          f"{sum(o >= 0 for o in origin)} planted variants, seed {args.seed} "
          f"(generated in {time.perf_counter() - started:.1f} s)")
    rows = []

    # 1. signatures -----------------------------------------------------------------------
    _token_cache.clear()
    cpu_clock = time.process_time()
    clock = time.perf_counter()
    sigs = signatures(texts)
    took = time.perf_counter() - clock
    cpu = time.process_time() - cpu_clock
    rows.append(("signatures, cleaner (one batch)", *_speeds(mb, len(texts), took, cpu)))
    cpu_clock = time.process_time()
    clock = time.perf_counter()
    sigs, fps = signatures_and_fingerprints([tokens(x) for x in texts])
    took = time.perf_counter() - clock
    cpu = time.process_time() - cpu_clock
    rows.append(("signatures + fingerprints (one batch)", *_speeds(mb, len(texts), took, cpu)))
    docs = [Document(f"d{d}", "", [Paragraph(x, 0, len(x)) for x in texts[d * 10: d * 10 + 10]], site="s")
            for d in range((len(texts) + 9) // 10)]
    _token_cache.clear()
    step = MinHashSignatures()
    cpu_clock = time.process_time()
    clock = time.perf_counter()
    for doc in docs:
        step.apply(doc)
    took = time.perf_counter() - clock
    cpu = time.process_time() - cpu_clock
    rows.append(("signatures, cleaner step (per doc of 10)", *_speeds(mb, len(texts), took, cpu)))

    # 2. the dedup step -------------------------------------------------------------------
    gc.collect()
    dedup = NearDuplicateParagraphs(t, boilerplate_docs=20)
    clock = time.perf_counter()
    for doc in docs:
        dedup.observe(doc)
    observed = time.perf_counter() - clock
    for doc in docs:
        dedup.apply(doc)
    took = time.perf_counter() - clock
    index = dedup.index
    removed = [(d, i, p) for d, doc in enumerate(docs) for i, p in enumerate(doc.paragraphs) if p.removed]
    by_rule: dict[str, int] = {}
    for _, _, p in removed:
        by_rule[p.removed.rule] = by_rule.get(p.removed.rule, 0) + 1
    wrong = 0
    checked = 0
    for _, _, p in removed:
        if p.removed.rule != "dedup-corpus":
            continue
        owner_doc, owner_par = dict(p.removed.evidence)["duplicate_of"].split(" ¶")
        other = docs[int(owner_doc[1:])].paragraphs[int(owner_par)].text
        a, b = shingles(p.text), shingles(other)
        checked += 1
        wrong += len(a & b) / len(a | b) < t
    rows.append(("dedup step observe+apply", f"{mb / took:.1f} MB/s", f"{len(texts) / took:,.0f} par/s "
                 f"(observe {observed:.1f} s, apply {took - observed:.1f} s)"))
    rows.append(("dedup step removed", ", ".join(f"{k} {v}" for k, v in sorted(by_rule.items())),
                 f"{checked - wrong}/{checked} removals have exact J >= {t} with the kept copy"))
    rows.append(("dedup step index", f"{index.nbytes / 1e6:.1f} MB for {len(index)} clusters",
                 f"{index.nbytes / len(index):.0f} B/cluster, {index.nbytes / len(texts):.0f} B/paragraph of the corpus"))

    # 3. accuracy as a pair search --------------------------------------------------------
    rng = np.random.default_rng(args.seed + 1)
    planted_idx = np.flatnonzero(np.array(origin) >= 0)
    sample = np.unique(np.concatenate([rng.choice(planted_idx, args.sample // 2, replace=False),
                                       rng.choice(len(texts), args.sample // 2, replace=False)]))
    clock = time.perf_counter()
    truth = exact_neighbours(texts, sample, t)
    brute = time.perf_counter() - clock
    gc.collect()
    tracemalloc.start()
    clock = time.perf_counter()
    full = MinHashIndex(threshold=t)
    for start in range(0, len(texts), 1000):
        part = slice(start, start + 1000)
        full.add(sigs[part], fps[part], 0, range(start, start + 1000), [0] * len(sigs[part]))
    built = time.perf_counter() - clock
    held, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    row, cand, _ = full.query(sigs[sample], [fps[i] for i in sample], all_matches=True)
    found = [set() for _ in sample]
    for r, c in zip(row.tolist(), cand.tolist(), strict=True):
        if c != sample[r]:
            found[r].add(c)
    precision, recall, nf, nt = score(found, truth)
    rows.append((f"cleaner index, all {len(texts)} inserted", f"{full.nbytes / len(texts):.0f} B/paragraph (nbytes)",
                 f"traced {held / len(texts):.0f} B/paragraph, peak {peak / len(texts):.0f} while building; "
                 f"built in {built:.1f} s (traced)"))
    rows.append((f"cleaner {full.bands}x{full.rows} LSH + fingerprint verify, J>={t}", f"precision {precision:.4f} recall {recall:.4f}",
                 f"{nf} pairs found, {nt} true pairs in the sample of {len(sample)} (brute force {brute:.1f} s)"))
    pairs = [(s, c) for s, tr in zip(sample.tolist(), truth, strict=True) for c in tr]
    js = np.array([len(shingles(texts[s]) & shingles(texts[c])) / len(shingles(texts[s]) | shingles(texts[c]))
                   for s, c in pairs])
    keys = full.band_keys(sigs)
    candidate = np.array([bool((keys[s] == keys[c]).any()) for s, c in pairs], dtype=bool)
    hits = {(s, c) for s, f in zip(sample.tolist(), found, strict=True) for c in f}
    verified = np.array([pair in hits for pair in pairs], dtype=bool)
    bands = {}
    for lo, hi in ((t, 0.85), (0.85, 0.9), (0.9, 1.01)):
        inband = (js >= lo) & (js < hi)
        missed = js[inband & ~verified]
        bands[f"{lo:.2f}-{min(hi, 1):.2f}"] = (int((inband & verified).sum()), int(inband.sum()),
                                               int((inband & candidate).sum()), missed.max() if len(missed) else None)
    rows.append(("cleaner recall by exact J", ", ".join(f"{k}: {a}/{b}" for k, (a, b, _, _) in bands.items()),
                 "LSH candidates before verifying: " + ", ".join(f"{c}/{b}" for a, b, c, _ in bands.values())
                 + "; highest J missed: " + ", ".join("-" if m is None else f"{m:.3f}" for *_, m in bands.values())))

    if not args.no_datasketch:
        from datasketch import MinHash, MinHashLSH

        grams = [sorted(shingles(x)) for x in texts]
        cpu_clock = time.process_time()
        clock = time.perf_counter()
        theirs = MinHash.bulk(grams, num_perm=128)
        took = time.perf_counter() - clock
        cpu = time.process_time() - cpu_clock
        rows.append(("signatures, datasketch MinHash.bulk (sha1)", *_speeds(mb, len(texts), took, cpu)))
        gc.collect()
        tracemalloc.start()
        clock = time.perf_counter()
        lsh = MinHashLSH(threshold=t, num_perm=128)
        with lsh.insertion_session() as session:
            for i, m in enumerate(theirs):
                session.insert(i, m)
        built = time.perf_counter() - clock
        held, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        raw, verified = [], []
        for s in sample.tolist():
            cands = {c for c in lsh.query(theirs[s]) if c != s}
            raw.append(cands)
            verified.append({c for c in cands if theirs[s].jaccard(theirs[c]) >= t})
        b, r = lsh.b, lsh.r
        p_raw, r_raw, nf_raw, _ = score(raw, truth)
        p_ver, r_ver, nf_ver, _ = score(verified, truth)
        rows.append(("datasketch MinHashLSH, all inserted", f"traced {held / len(texts):.0f} B/paragraph",
                     f"(LSH only, MinHash objects not counted); built in {built:.1f} s (traced)"))
        rows.append((f"datasketch {b}x{r} LSH candidates", f"precision {p_raw:.4f} recall {r_raw:.4f}", f"{nf_raw} pairs"))
        rows.append(("datasketch + MinHash.jaccard verify", f"precision {p_ver:.4f} recall {r_ver:.4f}", f"{nf_ver} pairs"))

    width = max(len(a) for a, _, _ in rows)
    for a, b, c in rows:
        print(f"{a:<{width}}  {b:<36} {c}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3
    print(f"peak RSS of the benchmark process: {peak:.0f} MB; total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
