"""Issue 6's "Nothing lost", tried on hostile inputs: every input document ends in exactly one
manifest line, the summary adds up, one bad record never costs the records around it, and no
output is ever half-written."""

from __future__ import annotations

import gzip
import io
import json
import os
import subprocess
import sys
import zlib
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import ENV, FAST, PROSE, accounted, article, manifest, write_jsonl
from hypothesis import given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from cleaner.formats.streams import lines
from cleaner.runner import clean_corpus


def good(i: int) -> str:
    return json.dumps({"id": f"g{i}", "text": article(i)})


def statuses(entries: list[dict]) -> list[str]:
    return [e["status"] for e in entries]


# -- one bad JSON line costs that line only ----------------------------------------------------

def test_a_record_with_a_huge_integer_fails_alone_and_the_lines_after_it_are_read(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join([good(1), '{"id": "big", "text": "x", "n": ' + "1" * 5000 + "}", good(2), good(3)]) + "\n")
    summary = clean_corpus(src, tmp_path / "out.jsonl", FAST, workers=1)
    entries = accounted(summary, tmp_path / "out.jsonl.manifest.jsonl")
    assert statuses(entries) == ["written", "failed", "written", "written"]
    assert entries[1]["doc"] == "in.jsonl:2"


def test_a_deeply_nested_record_fails_alone_and_the_run_goes_on(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join([good(1), '{"text": "x", "n": ' + "[" * 100_000 + "]" * 100_000 + "}", good(2)]) + "\n")
    summary = clean_corpus(src, tmp_path / "out.jsonl", FAST, workers=1)
    entries = accounted(summary, tmp_path / "out.jsonl.manifest.jsonl")
    assert statuses(entries) == ["written", "failed", "written"]


def test_a_utf8_bom_before_the_first_record_is_not_a_broken_record(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_bytes(b"\xef\xbb\xbf" + (good(1) + "\n" + good(2) + "\n").encode())
    summary = clean_corpus(src, tmp_path / "out.jsonl", FAST, workers=1)
    entries = accounted(summary, tmp_path / "out.jsonl.manifest.jsonl")
    assert statuses(entries) == ["written", "written"]
    assert [e["doc"] for e in entries] == ["g1", "g2"]


def test_a_lone_surrogate_escape_in_the_text_is_replaced_and_recorded(tmp_path):
    src = tmp_path / "in.jsonl"
    text = json.dumps(article(1))[1:-1] + " caf\\ud800 and more"
    src.write_text("\n".join([good(0), f'{{"id": "s", "text": "{text}"}}', good(2)]) + "\n")
    summary = clean_corpus(src, tmp_path / "out.jsonl", FAST, workers=1)
    entries = accounted(summary, tmp_path / "out.jsonl.manifest.jsonl")
    assert statuses(entries) == ["written"] * 3 and entries[1]["undecodable_chars"] == 1
    written = (tmp_path / "out.jsonl").read_bytes().decode("utf-8")  # strict: the output is valid UTF-8
    assert "caf\ufffd and more" in json.loads(written.splitlines()[1])["text"]


def test_a_lone_surrogate_in_a_carried_field_does_not_stop_the_run(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join([good(0), f'{{"id": "s", "tag": "\\udfff", "text": {json.dumps(article(1))}}}', good(2)]) + "\n")
    summary = clean_corpus(src, tmp_path / "out.jsonl", FAST, workers=1)
    entries = accounted(summary, tmp_path / "out.jsonl.manifest.jsonl")
    assert statuses(entries) == ["written"] * 3
    records = [json.loads(line) for line in (tmp_path / "out.jsonl").read_bytes().decode("utf-8").splitlines()]
    assert records[1]["tag"] == "\ufffd"


def test_blank_lines_are_not_documents_and_every_other_line_is_one(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(["", good(1), "   ", "{broken", "[1, 2]", '{"text": null}', good(2), "\r", good(3) + "\r"]))
    summary = clean_corpus(src, tmp_path / "out.jsonl", FAST, workers=1)
    entries = accounted(summary, tmp_path / "out.jsonl.manifest.jsonl")
    assert statuses(entries) == ["written", "failed", "failed", "failed", "written", "written"]
    assert [e["doc"] for e in entries if e["status"] == "failed"] == ["in.jsonl:4", "in.jsonl:5", "in.jsonl:6"]


def test_an_overlong_line_fails_alone_even_as_the_last_line_without_a_newline(tmp_path):
    src = tmp_path / "in.jsonl"
    huge = json.dumps({"text": "word " * 2000})
    src.write_text("\n".join([good(1), huge, good(2), huge]))
    summary = clean_corpus(src, tmp_path / "out.jsonl", FAST.with_(max_document_bytes=5000), workers=1)
    entries = accounted(summary, tmp_path / "out.jsonl.manifest.jsonl")
    assert statuses(entries) == ["written", "failed", "written", "failed"]
    assert [e["doc"] for e in entries if e["status"] == "failed"] == ["in.jsonl:2", "in.jsonl:4"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([b"a", b"bb", b"\n", b"cccccc", b"\n\n", b"dddddddddddd"]), max_size=30),
       st.integers(1, 8), st.integers(1, 12))
def test_lines_splits_any_chunking_like_a_plain_split(pieces, chunk, max_line):
    data = b"".join(pieces)
    chunks = [data[i:i + chunk] for i in range(0, len(data), chunk)]
    expected = data.split(b"\n")
    if expected[-1] == b"":
        expected.pop()
    assert list(lines(iter(chunks), max_line)) == [(n, line if len(line) <= max_line else None)
                                                    for n, line in enumerate(expected, 1)]


# -- every format: one manifest line per document ----------------------------------------------

def test_standard_input_with_blank_and_bad_lines_gets_one_manifest_line_per_record(tmp_path):
    data = "\n".join([good(1), "", "not json", good(2), '{"id": 7}', ""]) + "\n"
    run = subprocess.run([sys.executable, "-m", "cleaner.cli", "clean", "-", str(tmp_path / "out.jsonl"), "-q",
                          "--workers", "1", "--no-content", "--no-dedup", "--no-repeated"],
                         input=data.encode(), env=ENV, capture_output=True, timeout=120)
    assert run.returncode == 1, run.stderr.decode()  # a failed document
    entries = manifest(tmp_path / "out.jsonl.manifest.jsonl")
    assert statuses(entries) == ["written", "failed", "written", "failed"]
    assert [e["doc"] for e in entries] == ["g1", "stdin:3", "g2", "stdin:5"]


def test_standard_input_to_standard_output_writes_only_json_lines_there(tmp_path):
    data = "\n".join([good(1), "not json", good(2), json.dumps({"id": "e", "text": ""})]) + "\n"
    run = subprocess.run([sys.executable, "-m", "cleaner.cli", "clean", "-", "-", "-q", "--workers", "1",
                          "--manifest", str(tmp_path / "m.jsonl"), "--audit", str(tmp_path / "a.jsonl")],
                         input=data.encode(), env=ENV, capture_output=True, timeout=120)
    assert run.returncode == 1
    out = [json.loads(line) for line in run.stdout.decode("utf-8").splitlines()]
    entries = manifest(tmp_path / "m.jsonl")
    assert [r["id"] for r in out] == [e["doc"] for e in entries if e["status"] == "written"] == ["g1", "g2"]
    assert statuses(entries) == ["written", "failed", "written", "removed"]
    assert "stdin:2" in run.stderr.decode()


def test_parquet_rows_whatever_their_text_column_holds_each_get_one_manifest_line(tmp_path):
    table = pa.table({"id": ["a", "b", None, "d"], "text": [article(1), None, article(3), ""]})
    pq.write_table(table, tmp_path / "ok.parquet")
    pq.write_table(pa.table({"id": ["n1", "n2"], "text": [1, 2]}), tmp_path / "ints.parquet")
    pq.write_table(pa.table({"id": ["b1"], "text": pa.array([article(1).encode()], pa.binary())}), tmp_path / "bin.parquet")
    for name, expected in [("ok", ["written", "failed", "written", "removed"]), ("ints", ["failed", "failed"]),
                           ("bin", ["written"])]:  # binary text is decoded as a file's bytes are
        summary = clean_corpus(tmp_path / f"{name}.parquet", tmp_path / f"{name}.out.parquet", FAST, workers=1)
        entries = accounted(summary, tmp_path / f"{name}.out.parquet.manifest.jsonl")
        assert statuses(entries) == expected, name
        assert all("text" in e["error"] for e in entries if e["status"] == "failed")


def test_parquet_output_ids_are_the_manifests_ids(tmp_path):
    recs = [{"id": None, "text": article(1)}, {"text": article(2)}, {"id": {"k": 1}, "text": article(3)},
            {"id": 7, "text": article(4)}, {"id": "x", "text": article(5)}]
    src = write_jsonl(tmp_path / "in.jsonl", recs)
    summary = clean_corpus(src, tmp_path / "out.parquet", FAST, workers=1)
    entries = accounted(summary, tmp_path / "out.parquet.manifest.jsonl")
    rows = pq.read_table(tmp_path / "out.parquet").to_pylist()
    assert [r["id"] for r in rows] == [e["doc"] for e in entries] == ["in.jsonl:1", "in.jsonl:2", "in.jsonl:3", "7", "x"]
    assert json.loads(rows[2]["fields"]) == {"id": {"k": 1}}  # the input's own id is not lost
    assert json.loads(rows[0]["fields"]) == {"id": None}


def warc_with(path: Path, records: list[tuple[str, str, bytes, str]]) -> Path:
    """records: (WARC type, URL, payload, content type)"""
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=path.name.endswith(".gz"))
        for rtype, url, body, ctype in records:
            if rtype in ("response", "revisit"):
                headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
                rec = writer.create_warc_record(url, rtype, payload=io.BytesIO(body), http_headers=headers)
            elif rtype == "request":
                headers = StatusAndHeaders("GET / HTTP/1.1", [("Host", "example.org")], is_http_request=True)
                rec = writer.create_warc_record(url, rtype, payload=io.BytesIO(b""), http_headers=headers)
            else:
                rec = writer.create_warc_record(url, rtype, payload=io.BytesIO(body), warc_content_type=ctype)
            writer.write_record(rec)
    return path


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_warc_html_responses_each_get_one_manifest_line_and_other_records_none(tmp_path, name):
    html = f"<html><body><article><p>{PROSE * 2}</p></article></body></html>".encode()
    warc = warc_with(tmp_path / name, [
        ("warcinfo", "", b"software: test", "application/warc-fields"),
        ("request", "https://example.org/a", b"", ""),
        ("response", "https://example.org/a", html, "text/html; charset=utf-8"),
        ("metadata", "https://example.org/a", b"outlinks: none", "application/warc-fields"),
        ("response", "https://example.org/logo.png", b"\x89PNG\x00", "image/png"),
        ("response", "https://example.org/robots.txt", b"User-agent: *", "text/plain"),
        ("response", "https://example.org/bin", b"\x00\x01\x02" * 50, "text/html"),
        ("response", "https://example.org/empty", b"", "text/html"),
        ("response", "https://example.org/x", html, "application/xhtml+xml"),
    ])
    summary = clean_corpus(warc, tmp_path / "out.jsonl", FAST, workers=1)
    entries = accounted(summary, tmp_path / "out.jsonl.manifest.jsonl")
    assert [(e["doc"], e["status"]) for e in entries] == [
        ("https://example.org/a", "written"), ("https://example.org/bin", "failed"),
        ("https://example.org/empty", "removed"), ("https://example.org/x", "written")]


# -- an input file that holds no document is recorded, whatever its format ----------------------

def _no_rows_parquet(path: Path) -> None:
    pq.write_table(pa.table({"id": pa.array([], pa.string()), "text": pa.array([], pa.string())}), path)


EMPTY_INPUTS = [
    ("zero.jsonl", lambda p: p.write_bytes(b""), "0 bytes"),
    ("blank.jsonl", lambda p: p.write_bytes(b"\n  \n\r\n"), "no JSON lines record"),
    ("zero.jsonl.gz", lambda p: p.write_bytes(b""), "0 bytes"),
    ("blank.jsonl.gz", lambda p: p.write_bytes(gzip.compress(b"\n\n")), "no JSON lines record"),
    ("zero.jsonl.zst", lambda p: p.write_bytes(b""), "0 bytes"),
    ("zero.parquet", lambda p: p.write_bytes(b""), "0 bytes"),
    ("norows.parquet", _no_rows_parquet, "no rows"),
    ("zero.warc", lambda p: p.write_bytes(b""), "0 bytes"),
    ("zero.warc.gz", lambda p: p.write_bytes(b""), "0 bytes"),
    ("images.warc.gz", lambda p: warc_with(p, [("warcinfo", "", b"software: test", "application/warc-fields"),
                                                ("response", "https://example.org/a.png", b"\x89PNG", "image/png")]),
     "no HTML response record"),
]


@pytest.mark.parametrize(("name", "make", "reason"), EMPTY_INPUTS, ids=[case[0] for case in EMPTY_INPUTS])
def test_an_input_file_with_no_documents_gets_one_manifest_line_saying_so(tmp_path, name, make, reason):
    (tmp_path / "in").mkdir()
    write_jsonl(tmp_path / "in" / "a.jsonl", [{"id": "a", "text": article(1)}])
    make(tmp_path / "in" / name)
    write_jsonl(tmp_path / "in" / "zz.jsonl", [{"id": "zz", "text": article(2)}])
    summary = clean_corpus(tmp_path / "in", tmp_path / "out.jsonl", FAST, workers=1)
    entries = manifest(tmp_path / "out.jsonl.manifest.jsonl")
    assert [(e.get("doc"), e["status"]) for e in entries] == [("a", "written"), (None, "empty"), ("zz", "written")]
    assert entries[1] == {"input": name, "status": "empty", "reason": reason}
    assert summary.empty_inputs == [(name, reason)]
    assert (summary.documents_in, summary.written, summary.failed) == (2, 2, 0)  # a file is not a document


def test_empty_inputs_are_recorded_in_input_order_whatever_the_worker_count(tmp_path):
    (tmp_path / "in").mkdir()
    for i in range(3):
        write_jsonl(tmp_path / "in" / f"{i}-full.jsonl", [{"id": f"{i}-{j}", "text": article(j)} for j in range(40)])
        (tmp_path / "in" / f"{i}-none.jsonl").write_bytes(b"")
    runs = {}
    for workers in (1, 2):
        summary = clean_corpus(tmp_path / "in", tmp_path / f"out{workers}", FAST, workers=workers)
        entries = manifest(tmp_path / f"out{workers}" / "cleaner-manifest.jsonl")
        assert [e["input"] for e in entries if e["status"] == "empty"] == ["0-none.jsonl", "1-none.jsonl", "2-none.jsonl"]
        assert entries[40]["input"] == "0-none.jsonl" and summary.documents_in == 120
        runs[workers] = (tmp_path / f"out{workers}" / "cleaner-manifest.jsonl").read_bytes()
    assert runs[1] == runs[2]


@pytest.mark.parametrize(("given", "reason"), [(b"", "0 bytes"), (b"\n", "no JSON lines record")])
def test_an_empty_standard_input_is_recorded_as_an_empty_input(tmp_path, given, reason):
    run = subprocess.run([sys.executable, "-m", "cleaner.cli", "clean", "-", "-", "--workers", "1",
                          "--manifest", str(tmp_path / "m.jsonl")], input=given, capture_output=True, env=ENV, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout == b""
    assert manifest(tmp_path / "m.jsonl") == [{"input": "stdin", "status": "empty", "reason": reason}]
    assert f"empty input: stdin: {reason}" in run.stderr.decode()


def test_an_input_file_that_cannot_be_read_fails_alone_and_the_run_goes_on(tmp_path, monkeypatch):
    import cleaner.runner

    names = ["b.txt", "c.jsonl", "d.jsonl.gz", "e.parquet", "f.warc"]
    (tmp_path / "in").mkdir()
    write_jsonl(tmp_path / "in" / "a.jsonl", [{"id": "a", "text": article(1)}])
    for name in names:
        (tmp_path / "in" / name).write_text("x")
    listed = cleaner.runner.fingerprint

    def then_removed(sources, *args):  # as if removed, or made unreadable, once the run has started
        stamp = listed(sources, *args)
        for s in sources:
            if s.rel != "a.jsonl":
                s.path.unlink()
        return stamp

    monkeypatch.setattr(cleaner.runner, "fingerprint", then_removed)
    summary = clean_corpus(tmp_path / "in", tmp_path / "out.jsonl", FAST, workers=1)
    entries = accounted(summary, tmp_path / "out.jsonl.manifest.jsonl")
    assert [(e["doc"], e["status"], e.get("error")) for e in entries] == [("a", "written", None)] + [
        (name, "failed", "cannot read the file: No such file or directory") for name in names]


# -- a cut file keeps what precedes the cut -----------------------------------------------------

def test_a_gzip_cut_mid_record_keeps_every_whole_line_before_the_cut(tmp_path):
    data = "".join(good(i) + "\n" for i in range(400)).encode()
    packed = gzip.compress(data)
    cut = packed[: len(packed) // 2]
    readable = zlib.decompressobj(31).decompress(cut)
    whole_lines = readable.count(b"\n")
    assert 0 < whole_lines < 400 and not readable.endswith(b"\n")  # the cut falls inside a record
    (tmp_path / "in.jsonl.gz").write_bytes(cut)
    summary = clean_corpus(tmp_path / "in.jsonl.gz", tmp_path / "out.jsonl", FAST, workers=1)
    entries = accounted(summary, tmp_path / "out.jsonl.manifest.jsonl")
    assert statuses(entries) == ["written"] * whole_lines + ["failed"]
    assert entries[-1]["doc"] == f"in.jsonl.gz:{whole_lines + 1}" and "unreadable" in entries[-1]["error"]
    out = [json.loads(line)["id"] for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert out == [f"g{i}" for i in range(whole_lines)]


def test_a_record_nested_too_deep_to_pass_between_processes_fails_alone(tmp_path):
    deep = [f'{{"id": "d{d}", "text": {json.dumps(article(d))}, "n": {"[" * d + "]" * d}}}' for d in (150, 600, 990)]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join([good(1), *deep, good(2)]) + "\n")
    summary = clean_corpus(src, tmp_path / "out.jsonl", FAST, workers=2)
    entries = accounted(summary, tmp_path / "out.jsonl.manifest.jsonl")
    assert statuses(entries) == ["written", "written", "failed", "failed", "written"]
    assert "nested deeper" in entries[2]["error"]



def test_parquet_output_has_the_counts_json_lines_output_has(tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", [{"id": "a", "text": article(1) + "\n\nShare this article"}])
    clean_corpus(src, tmp_path / "out.parquet", FAST, workers=1)
    clean_corpus(src, tmp_path / "out.jsonl", FAST, workers=1)
    row = pq.read_table(tmp_path / "out.parquet").to_pylist()[0]
    counts = json.loads((tmp_path / "out.jsonl").read_text())["cleaner"]
    for key in ("lang", "lang_confidence", "paragraphs_kept", "paragraphs_removed", "chars_removed"):
        assert row[key] == counts[key], key
    assert json.loads(row["removed_by_step"]) == counts["removed_by_step"]


# -- outputs appear whole, where they were asked for ---------------------------------------------

def test_side_files_on_another_file_system_are_written(tmp_path):
    shm = Path("/dev/shm")
    if not shm.is_dir() or os.stat(shm).st_dev == os.stat(tmp_path).st_dev:
        pytest.skip("needs /dev/shm on another file system than the test's folder")
    src = write_jsonl(tmp_path / "in.jsonl", [{"id": "a", "text": article(1)}])
    side = shm / f"cleaner-test-{os.getpid()}"
    side.mkdir()
    try:
        summary = clean_corpus(src, tmp_path / "out.jsonl", FAST, workers=1, manifest_path=side / "m.jsonl",
                               audit_path=side / "a.jsonl")
        assert len(accounted(summary, side / "m.jsonl")) == 1
        assert sorted(p.name for p in side.iterdir()) == ["a.jsonl", "m.jsonl"]  # no temporary file left
    finally:
        for p in side.iterdir():
            p.unlink()
        side.rmdir()


@pytest.mark.parametrize("output", ["out", "out.jsonl", "out.parquet"])
def test_outputs_are_readable_as_the_umask_allows_like_any_new_file(tmp_path, output):
    src = write_jsonl(tmp_path / "in.jsonl", [{"id": "a", "text": article(1)}])
    clean_corpus(src, tmp_path / output, FAST.with_(dedup=True), workers=1)  # with the dedup index beside
    assert list(tmp_path.rglob("*dedup-index.npz"))
    (tmp_path / "plain").write_text("")
    expected = os.stat(tmp_path / "plain").st_mode & 0o777
    made = [p for p in tmp_path.rglob("*") if p.is_file() and p.name not in ("in.jsonl", "plain")]
    assert made and {p.relative_to(tmp_path).as_posix(): os.stat(p).st_mode & 0o777 for p in made} == {
        p.relative_to(tmp_path).as_posix(): expected for p in made}


FRAGMENTS = [good(1), good(2), "", " ", "\r", "\ufeff", "{", "}", "[" * 300, "]" * 300, '"\\ud800"', '"\\udfff\\ud800"',
             '"\\ud83d\\ude00"', "1" * 4500, "-0.5e999", "NaN", "null", '"text"', ':', ",", '{"text": ', '{"id": ',
             "\x00", "\u2028", "caf\u00e9", '"\\u0000"']


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from(FRAGMENTS), max_size=6).map("".join), max_size=8))
def test_hostile_json_lines_each_end_in_one_manifest_line(tmp_path_factory, fragments):
    tmp = tmp_path_factory.mktemp("hostile")
    data = "\n".join(fragments).encode("utf-8", "surrogatepass")
    (tmp / "in.jsonl").write_bytes(data)
    summary = clean_corpus(tmp / "in.jsonl", tmp / "out.jsonl", FAST, workers=1)
    entries = accounted(summary, tmp / "out.jsonl.manifest.jsonl")
    assert len(entries) == sum(1 for line in data.split(b"\n") if line.strip())
    (tmp / "out.jsonl").read_bytes().decode("utf-8")  # strict: whatever came in, valid UTF-8 goes out


def test_folder_output_names_come_from_line_numbers_whatever_the_ids(tmp_path):
    (tmp_path / "in").mkdir()
    write_jsonl(tmp_path / "in" / "feed.jsonl", [{"id": "x", "text": article(1)}, {"id": "x", "text": article(2)},
                                                {"text": article(3)}, {"id": "../../escape", "text": article(4)}])
    summary = clean_corpus(tmp_path / "in", tmp_path / "out", FAST, workers=1)
    entries = accounted(summary, tmp_path / "out" / "cleaner-manifest.jsonl")
    assert [(e["doc"], e["output"]) for e in entries] == [
        ("x", "feed/000001.txt"), ("x", "feed/000002.txt"), ("feed.jsonl:3", "feed/000003.txt"),
        ("../../escape", "feed/000004.txt")]
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.txt")) == [
        f"out/feed/00000{i}.txt" for i in range(1, 5)]


@pytest.mark.parametrize("output", ["out.jsonl", "out.parquet"])
def test_the_manifest_says_where_each_record_came_from_and_where_it_went(tmp_path, output):
    src = write_jsonl(tmp_path / "feed.jsonl", [{"id": "x", "text": article(1)}, {"id": "y", "text": "Home"},
                                                {"id": "z", "text": article(3)}, {"text": 5}])
    summary = clean_corpus(src, tmp_path / output, FAST, workers=1)
    entries = accounted(summary, tmp_path / f"{output}.manifest.jsonl")
    assert [(e["doc"], e.get("input"), e["status"], e.get("output")) for e in entries] == [
        ("x", "feed.jsonl:1", "written", f"{output}:1"), ("y", "feed.jsonl:2", "removed", None),
        ("z", "feed.jsonl:3", "written", f"{output}:2"), ("feed.jsonl:4", None, "failed", None)]
    if output.endswith(".jsonl"):
        written = [json.loads(line) for line in (tmp_path / output).read_text().splitlines()]
    else:
        written = pq.read_table(tmp_path / output).to_pylist()
    assert [r["id"] for r in written] == ["x", "z"]  # line / row N of the output is the one the manifest names
