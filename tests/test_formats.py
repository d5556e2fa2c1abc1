"""Formats in and out: JSON lines (plain, gz, zst, stdin), Parquet, WARC; folder, .jsonl, .parquet, stdout."""

from __future__ import annotations

import gzip
import io
import json
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import zstandard
from conftest import FAST, PROSE, article, manifest, write_jsonl
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from cleaner.formats import MissingExtra
from cleaner.formats.base import Source
from cleaner.formats.streams import lines
from cleaner.reading import discover
from cleaner.runner import clean_corpus

ROOT = Path(__file__).resolve().parent.parent


def records(n: int) -> list[dict]:
    return [{"id": f"doc-{i}", "text": article(i), "source": "crawl-7", "score": i / 10} for i in range(n)]


def warc_file(path: Path, pages: list[tuple]) -> Path:
    """pages: (url, body, content type), and the HTTP status line when it is not 200 OK"""
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=path.name.endswith(".gz"))
        for url, body, ctype, *status in pages:
            headers = StatusAndHeaders(status[0] if status else "200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers))
    return path


def page(n: int) -> bytes:
    return (f"<html><head><title>Story {n}</title></head><body><nav><a href='/'>Home</a></nav><article>"
            f"<h1>Story number {n}</h1><p>{PROSE * 2}</p><p>It was item {n} of the evening.</p></article>"
            "</body></html>").encode()


def test_jsonl_fields_carried_through_with_clean_text_language_and_counts(tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", records(3))
    out = tmp_path / "out.jsonl"
    summary = clean_corpus(src, out, FAST, workers=1)
    got = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in got] == ["doc-0", "doc-1", "doc-2"]
    assert got[1]["source"] == "crawl-7" and got[1]["score"] == 0.1
    assert "Harbour Town" in got[1]["text"]
    assert got[1]["cleaner"]["lang"] == "en" and got[1]["cleaner"]["lang_confidence"] > 0.9
    assert {"paragraphs_removed", "chars_removed", "removed_by_step"} <= set(got[1]["cleaner"])
    assert summary.documents_in == 3 == summary.written
    assert len(manifest(tmp_path / "out.jsonl.manifest.jsonl")) == 3


def test_text_and_id_fields_are_configurable(tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", [{"doc_uid": "a1", "content": article(1)}])
    out = tmp_path / "out.jsonl"
    clean_corpus(src, out, FAST.with_(text_field="content", id_field="doc_uid"), workers=1)
    got = json.loads(out.read_text())
    assert got["doc_uid"] == "a1" and "Harbour Town" in got["content"] and "text" not in got


@pytest.mark.parametrize("name", ["in.jsonl.gz", "in.jsonl.zst"])
def test_compressed_jsonl_reads_like_plain(tmp_path, name):
    data = "".join(json.dumps(r) + "\n" for r in records(4)).encode()
    packed = gzip.compress(data) if name.endswith(".gz") else zstandard.ZstdCompressor().compress(data)
    (tmp_path / name).write_bytes(packed)
    plain = write_jsonl(tmp_path / "plain.jsonl", records(4))
    clean_corpus(tmp_path / name, tmp_path / "a.jsonl", FAST, workers=1)
    clean_corpus(plain, tmp_path / "b.jsonl", FAST, workers=1)
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()


@pytest.mark.parametrize("name", ["in.jsonl.gz", "in.jsonl.zst"])
def test_truncated_compressed_jsonl_keeps_what_it_read_and_records_the_rest(tmp_path, name):
    data = "".join(json.dumps(r) + "\n" for r in records(1000)).encode()  # zstd decodes whole 128 KB blocks only
    packed = gzip.compress(data) if name.endswith(".gz") else zstandard.ZstdCompressor().compress(data)
    (tmp_path / name).write_bytes(packed[: len(packed) * 2 // 3])
    summary = clean_corpus(tmp_path / name, tmp_path / "out", FAST, workers=1)
    entries = manifest(tmp_path / "out" / "cleaner-manifest.jsonl")
    assert summary.written > 0
    assert entries[-1]["status"] == "failed" and "unreadable" in entries[-1]["error"]


def test_jsonl_output_folder_mirrors_records_one_file_each(tmp_path):
    (tmp_path / "in").mkdir()
    write_jsonl(tmp_path / "in" / "part.jsonl", records(2))
    clean_corpus(tmp_path / "in", tmp_path / "out", FAST, workers=1)
    assert sorted(p.name for p in (tmp_path / "out" / "part").iterdir()) == ["000001.txt", "000002.txt"]


def test_parquet_in_and_out(tmp_path):
    pq.write_table(pa.Table.from_pylist(records(5)), tmp_path / "in.parquet")
    summary = clean_corpus(tmp_path / "in.parquet", tmp_path / "out.parquet", FAST, workers=1)
    table = pq.read_table(tmp_path / "out.parquet").to_pylist()
    assert summary.written == 5 and [r["id"] for r in table] == [f"doc-{i}" for i in range(5)]
    assert json.loads(table[2]["fields"]) == {"source": "crawl-7", "score": 0.2}
    assert table[2]["lang"] == "en" and "Harbour Town" in table[2]["text"]


def test_warc_html_responses_become_documents_with_their_url(tmp_path):
    warc = warc_file(tmp_path / "crawl.warc.gz", [
        ("https://example.org/a", page(1), "text/html; charset=utf-8"),
        ("https://example.org/logo.png", b"\x89PNG\x00\x00", "image/png"),
        ("https://example.org/b", page(2).replace(b"evening", "\u00e9vening".encode("latin-1")), "text/html; charset=iso-8859-1"),
    ])
    out = tmp_path / "out.jsonl"
    summary = clean_corpus(warc, out, FAST, workers=1)
    got = [json.loads(line) for line in out.read_text().splitlines()]
    assert summary.documents_in == 2
    assert [r["url"] for r in got] == ["https://example.org/a", "https://example.org/b"]
    # the header's charset is used, and iso-8859-1 read as windows-1252, as browsers read it
    assert "\u00e9vening" in got[1]["text"] and got[1]["cleaner"]["encoding"] == "cp1252"


def test_warc_error_and_redirect_responses_are_removed_with_their_status_not_cleaned(tmp_path):
    warc = warc_file(tmp_path / "crawl.warc.gz", [
        ("https://example.org/a", page(1), "text/html"),
        ("https://example.org/gone", page(2), "text/html", "404 Not Found"),
        ("https://example.org/moved", page(3), "text/html", "301 Moved Permanently"),
        ("https://example.org/broken", page(4), "text/html", "500 Internal Server Error"),
        ("https://example.org/b", page(5), "text/html", "203 Non-Authoritative Information"),
    ])
    out = tmp_path / "out"
    summary = clean_corpus(warc, out, FAST, workers=1)
    entries = {e["doc"]: e for e in manifest(out / "cleaner-manifest.jsonl")}
    assert [(e["status"], e.get("reason")) for e in entries.values()] == [
        ("written", None), ("removed", "HTTP status 404"), ("removed", "HTTP status 301"),
        ("removed", "HTTP status 500"), ("written", None)]
    assert entries["https://example.org/gone"]["input"] == "crawl.warc.gz:2"
    assert sorted(p.name for p in (out / "crawl").iterdir()) == ["000001.txt", "000005.txt"]
    assert summary.documents_in == 5 and summary.written == 2 and summary.removed == 3 and summary.failed == 0
    assert summary.documents_removed["read: HTTP status 404"] == 1


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_truncated_warc_is_recorded_not_fatal(tmp_path, name):
    warc = warc_file(tmp_path / name, [(f"https://example.org/{i}", page(i), "text/html") for i in range(6)])
    warc.write_bytes(warc.read_bytes()[:-300])
    summary = clean_corpus(warc, tmp_path / "out", FAST, workers=1)
    assert summary.failed == 1 and summary.written == 5


def test_stdin_to_stdout_is_a_unix_filter(tmp_path):
    data = "".join(json.dumps(r) + "\n" for r in records(3))
    run = subprocess.run([sys.executable, "-m", "cleaner.cli", "clean", "-", "-", "-q", "--no-content", "--no-dedup",
                          "--workers", "1"], input=data.encode(), capture_output=True, cwd=ROOT, timeout=120)
    assert run.returncode == 0, run.stderr.decode()
    got = [json.loads(line) for line in run.stdout.decode().splitlines()]
    assert [r["id"] for r in got] == ["doc-0", "doc-1", "doc-2"]


def test_output_is_identical_whatever_the_worker_count(tmp_path):
    (tmp_path / "in").mkdir()
    write_jsonl(tmp_path / "in" / "a.jsonl", records(70))  # more than one batch
    for i in range(3):
        (tmp_path / "in" / f"p{i}.txt").write_text(article(i) + "\nShare on Facebook\n")
    clean_corpus(tmp_path / "in", tmp_path / "one.jsonl", workers=1)
    clean_corpus(tmp_path / "in", tmp_path / "two.jsonl", workers=2)
    assert (tmp_path / "one.jsonl").read_bytes() == (tmp_path / "two.jsonl").read_bytes()


def test_every_input_document_is_accounted_for_in_the_manifest(tmp_path):
    (tmp_path / "in").mkdir()
    write_jsonl(tmp_path / "in" / "a.jsonl", [{"text": article(1)}, {"text": 5}, "not an object", {"id": 3}])
    (tmp_path / "in" / "a.jsonl").open("a").write("{broken json\n\n")
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    (tmp_path / "in" / "binary.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 100)
    (tmp_path / "in" / "latin.txt").write_bytes(article(2).encode("cp1252") + b" caf\xe9 \x81\x8d")
    summary = clean_corpus(tmp_path / "in", tmp_path / "out", FAST, workers=1)
    entries = manifest(tmp_path / "out" / "cleaner-manifest.jsonl")
    assert len(entries) == 8 == summary.documents_in == summary.written + summary.removed + summary.failed
    status = {e["doc"]: e["status"] for e in entries}
    assert status["binary.txt"] == "failed" and status["empty.txt"] == "removed" and status["latin.txt"] == "written"
    assert [e["status"] for e in entries if e["doc"].startswith("a.jsonl")] == ["written"] + ["failed"] * 4


def test_undecodable_bytes_are_replaced_and_recorded_in_the_audit(tmp_path):
    (tmp_path / "in").mkdir()
    write_jsonl(tmp_path / "in" / "a.jsonl", [])
    (tmp_path / "in" / "a.jsonl").write_bytes(json.dumps({"text": article(1)}).encode()[:-2] + b" \xff\xfe\"}\n")
    clean_corpus(tmp_path / "in", tmp_path / "out", FAST, workers=1)
    audit = manifest(tmp_path / "out" / "cleaner-audit.jsonl")
    assert any(r["rule"] == "undecodable-bytes" and r["count"] == 2 for r in audit)


def test_a_missing_extra_is_named(tmp_path, without_zstandard):
    import cleaner.formats.streams as streams

    with pytest.raises(MissingExtra, match=r"cleaner\[zstd\]"):
        list(streams.decompressed(io.BytesIO(b""), "x.jsonl.zst"))


def test_html_extraction_over_its_time_limit_fails_that_page_only(tmp_path, monkeypatch):
    import time

    import cleaner.reading as reading

    def slow(html, *settings):
        if "slow" in html:
            time.sleep(5)
        return "Quick page text that is long enough to be kept as a paragraph of real content here.", "stub", False

    monkeypatch.setattr(reading, "extract_page", slow)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.html").write_text("<p>slow</p>")
    (tmp_path / "in" / "b.html").write_text("<p>fast</p>")
    started = time.monotonic()
    summary = clean_corpus(tmp_path / "in", tmp_path / "out", FAST.with_(html_timeout=0.3), workers=1)
    assert time.monotonic() - started < 4
    entries = {e["doc"]: e for e in manifest(tmp_path / "out" / "cleaner-manifest.jsonl")}
    assert entries["a.html"]["status"] == "failed" and "0.3 s" in entries["a.html"]["error"]
    assert entries["b.html"]["status"] == "written" and summary.failed == 1


def test_discover_knows_every_format_by_its_suffix(tmp_path):
    for name in ["a.txt", "b.md", "c.html", "d.jsonl", "e.jsonl.gz", "f.jsonl.zst", "g.parquet", "h.warc", "i.warc.gz",
                 "skip.gz", "skip.csv"]:
        (tmp_path / name).write_bytes(b"")
    found = {s.rel: s.kind for s in discover(tmp_path)}
    assert found == {"a.txt": "text", "b.md": "text", "c.html": "html", "d.jsonl": "jsonl", "e.jsonl.gz": "jsonl",
                     "f.jsonl.zst": "jsonl", "g.parquet": "parquet", "h.warc": "warc", "i.warc.gz": "warc"}
    assert Source(tmp_path / "e.jsonl.gz", "x/e.jsonl.gz").output == "x/e/"


def test_an_overlong_line_is_skipped_without_being_held():
    got = list(lines(iter([b"short\n", b"x" * 50, b"x" * 50, b"\nafter\n"]), max_line=60))
    assert got == [(1, b"short"), (2, None), (3, b"after")]


def test_a_record_that_is_no_document_says_why_and_names_text_field(tmp_path):
    lines_in = [{"id": "a", "content": article(0)}, [1, 2], {"text": None}, {"text": 5}]
    (tmp_path / "in.jsonl").write_text("".join(json.dumps(r) + "\n" for r in lines_in), encoding="utf-8")
    summary = clean_corpus(tmp_path / "in.jsonl", tmp_path / "out.jsonl", FAST, workers=1)
    assert summary.failed == 4
    errors = [m["error"] for m in manifest(tmp_path / "out.jsonl.manifest.jsonl")]
    assert errors == [
        "no 'text' field (the record has 'id', 'content'; --text-field names the field that holds the text)",
        "expected an object with a string 'text' field, not an array",
        "the 'text' field is null, not a string",
        "the 'text' field is a number, not a string",
    ]


def test_a_parquet_binary_text_column_is_decoded(tmp_path):
    texts = [article(0).encode("utf-8"), article(1).encode("cp1252")]
    pq.write_table(pa.table({"id": ["a", "b"], "text": pa.array(texts, pa.binary())}), tmp_path / "in.parquet")
    summary = clean_corpus(tmp_path / "in.parquet", tmp_path / "out.jsonl", FAST, workers=1)
    assert (summary.failed, summary.written) == (0, 2)


def test_json_output_is_strict_json_even_for_a_nan_in_the_input(tmp_path):
    # Python's json reads NaN and Infinity; most JSON readers refuse them in the output
    (tmp_path / "in.jsonl").write_text(
        f'{{"id": "a", "text": {json.dumps(article(0))}, "score": NaN, "range": [-Infinity, 1.5]}}\n', encoding="utf-8")
    pq.write_table(pa.table({"id": ["a"], "text": [article(0)], "score": [float("nan")]}), tmp_path / "in.parquet")
    for name in ("in.jsonl", "in.parquet"):
        clean_corpus(tmp_path / name, tmp_path / f"{name}.out.jsonl", FAST, workers=1)
        line = (tmp_path / f"{name}.out.jsonl").read_text(encoding="utf-8")
        record = json.loads(line, parse_constant=lambda c, name=name: pytest.fail(f"{c} in the output of {name}"))
        assert record["score"] is None
    assert json.loads((tmp_path / "in.jsonl.out.jsonl").read_text(encoding="utf-8"))["range"] == [None, 1.5]
