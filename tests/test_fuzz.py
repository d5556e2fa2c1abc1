"""Fuzzing the readers and the whole chain (hypothesis): no crash, and every document accounted for.

Example counts are kept modest so the suite stays fast; each test's count is in its settings.
"""

from __future__ import annotations

import gzip
import json
import shutil
import tempfile
from pathlib import Path

import zstandard
from conftest import FAST, accounted, article
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner.api import Cleaner
from cleaner.decode import DecodeError, decode
from cleaner.document import Document, EmptyInput, Failure
from cleaner.formats.base import Source
from cleaner.reading import read
from cleaner.runner import clean_corpus

FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FEW = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                           max_leaves=8)
records = st.one_of(
    st.fixed_dictionaries({"text": st.text(max_size=300)}, optional={"id": json_values, "url": json_values}),
    st.dictionaries(st.sampled_from(["text", "id", "meta", "format"]), json_values, max_size=4),
    json_values,
)


def run(files: dict[str, bytes]) -> tuple[int, list[dict]]:
    """Clean a folder of these files; (documents in, manifest)."""
    root = Path(tempfile.mkdtemp(prefix="cleaner-fuzz-"))
    try:
        (root / "in").mkdir()
        for name, data in files.items():
            (root / "in" / name).write_bytes(data)
        summary = clean_corpus(root / "in", root / "out", FAST, workers=1)
        return summary.documents_in, accounted(summary, root / "out" / "cleaner-manifest.jsonl")
    finally:
        shutil.rmtree(root)


@FUZZ
@given(st.binary(max_size=3000))
def test_decode_never_crashes_on_random_bytes(data):
    try:
        decoded = decode(data, html=True)
    except DecodeError:
        return
    assert isinstance(decoded.text, str)


@FUZZ
@given(st.binary(max_size=2000), st.sampled_from(["a.txt", "a.html", "a.jsonl", "a.jsonl.gz", "a.jsonl.zst",
                                                   "a.warc", "a.warc.gz", "a.parquet"]))
def test_readers_never_crash_on_random_bytes(data, name):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        items = list(read(Source(path, name), FAST))
    assert all(isinstance(i, Document | Failure | EmptyInput) for i in items)


@FUZZ
@given(st.text(max_size=2000))
def test_the_chain_never_crashes_on_random_unicode(text):
    result = Cleaner(FAST).clean(text)
    assert isinstance(result.text, str)


@FEW
@given(st.lists(records, max_size=8), st.sampled_from(["", ".gz", ".zst"]), st.floats(0.3, 1.0))
def test_jsonl_with_odd_records_and_cut_compression_accounts_for_every_line(recs, compression, keep):
    lines = [json.dumps(r) for r in recs]
    data = "".join(line + "\n" for line in lines).encode()
    if compression == ".gz":
        data = gzip.compress(data)
    elif compression == ".zst":
        data = zstandard.ZstdCompressor().compress(data)
    cut = data[: max(1, int(len(data) * keep))] if compression else data
    n, entries = run({"a.jsonl" + compression: cut})
    if cut == data:
        non_blank = sum(1 for line in lines if line.strip())
        assert n == non_blank  # one entry per line, whatever the record holds


@FEW
@given(st.integers(1, 400), st.integers(1, 30))
def test_deeply_nested_html_is_cleaned_or_recorded(depth, width):
    html = "<html><body>" + "<div><span>" * depth + ("<p>" + article(1) + "</p>") * width + "</span></div>" * depth + "</body></html>"
    n, entries = run({"deep.html": html.encode()})
    assert n == 1 and entries[0]["status"] in ("written", "removed", "failed")


def test_a_huge_line_is_cleaned_or_recorded():
    huge = ("word " * 400_000).encode()  # 2 MB, one paragraph
    n, entries = run({"huge.txt": huge, "huge.jsonl": json.dumps({"text": huge.decode()}).encode() + b"\n"})
    assert n == 2


@FEW
@given(st.dictionaries(st.sampled_from(["a.txt", "b.md", "c.html", "d.jsonl", "e.jsonl.gz"]), st.binary(max_size=500), min_size=1))
def test_whole_run_on_random_files_accounts_for_every_document(files):
    run(files)
