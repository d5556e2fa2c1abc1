"""Documents per second per input format, same documents, same chain (the default one).

    python benchmarks/formats.py [--docs 400] [--workers 2] [--light]

Writes the same N generated articles as .txt files, .html files, JSON lines (plain, .gz,
.zst), Parquet and WARC (.warc, .warc.gz), cleans each with `clean_corpus` into JSON lines,
and prints docs/s and MB/s of wall-clock time, and docs per second of CPU time (this process
and its workers: on a shared machine wall-clock speeds say more about the neighbours).
`--light` switches off rules, context, content, repeated lines and dedup, to show what the
format itself costs beside the chain.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import random
import resource
import tempfile
import time
from pathlib import Path

from cleaner.options import Options
from cleaner.runner import clean_corpus

WORDS = ("the council of harbour town voted on tuesday evening to fund a movable flood barrier at mouth old "
         "ending debate that had divided residents for two winters engineers said work would begin spring").split()


def articles(n: int) -> list[str]:
    rng = random.Random(7)
    out = []
    for i in range(n):
        paras = [" ".join(rng.choices(WORDS, k=rng.randint(20, 60))).capitalize() + "." for _ in range(rng.randint(4, 10))]
        out.append(f"Headline {i}\n\n" + "\n\n".join(paras) + "\n\nShare this article\n\nHome | News | Sport")
    return out


def html(text: str) -> str:
    body = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
    return f"<html><head><title>t</title></head><body><nav><a href='/'>Home</a></nav><article>{body}</article></body></html>"


def make(root: Path, kind: str, texts: list[str]) -> Path:
    target = root / kind
    target.mkdir()
    records = "".join(json.dumps({"id": f"d{i}", "text": t}) + "\n" for i, t in enumerate(texts)).encode()
    if kind in ("txt", "html"):
        for i, t in enumerate(texts):
            (target / f"d{i:05d}.{kind}").write_text(html(t) if kind == "html" else t)
    elif kind == "jsonl":
        (target / "a.jsonl").write_bytes(records)
    elif kind == "jsonl.gz":
        (target / "a.jsonl.gz").write_bytes(gzip.compress(records))
    elif kind == "jsonl.zst":
        import zstandard
        (target / "a.jsonl.zst").write_bytes(zstandard.ZstdCompressor().compress(records))
    elif kind == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq
        pq.write_table(pa.Table.from_pylist([{"id": f"d{i}", "text": t} for i, t in enumerate(texts)]), target / "a.parquet")
    elif kind in ("warc", "warc.gz"):
        from warcio.statusandheaders import StatusAndHeaders
        from warcio.warcwriter import WARCWriter
        with open(target / f"a.{kind}", "wb") as out:
            writer = WARCWriter(out, gzip=kind == "warc.gz")
            for i, t in enumerate(texts):
                headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
                writer.write_record(writer.create_warc_record(f"https://example.org/{i}", "response",
                                                              payload=io.BytesIO(html(t).encode()), http_headers=headers))
    return target


def cpu_seconds() -> float:
    """User + system time of this process and of its finished workers (the pool is joined at the end of a run)."""
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=400)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--light", action="store_true")
    args = parser.parse_args()
    options = Options(rules=False, context=False, content=False, repeated_lines=False, dedup=False) if args.light else Options()
    texts = articles(args.docs)
    print(f"{args.docs} documents, {sum(map(len, texts)) / 1e6:.1f} MB of text, {args.workers} workers, "
          f"{'light' if args.light else 'default'} chain")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for kind in ("txt", "html", "jsonl", "jsonl.gz", "jsonl.zst", "parquet", "warc", "warc.gz"):
            src = make(root, kind, texts)
            cpu, started = cpu_seconds(), time.perf_counter()
            summary = clean_corpus(src, root / f"{kind}.out.jsonl", options, workers=args.workers)
            seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
            print(f"{kind:10} {summary.documents_in:6d} docs {seconds:6.2f} s {summary.documents_in / seconds:7.1f} docs/s "
                  f"{summary.bytes_in / 1e6 / seconds:6.2f} MB/s  cpu {cpu:6.2f} s {summary.documents_in / cpu:7.1f} docs/cpu-s "
                  f"(written {summary.written}, failed {summary.failed})")


if __name__ == "__main__":
    main()
