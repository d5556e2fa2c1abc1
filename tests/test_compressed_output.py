"""JSON lines output, audit and manifest written compressed when their names end in .gz or .zst:
the same content as plain files, the same bytes from run to run, readable again as input."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest
import zstandard
from conftest import article, write_jsonl

from cleaner.atomic import AtomicWriter
from cleaner.formats import MissingExtra
from cleaner.runner import clean_corpus

OPEN = {".gz": lambda path: gzip.decompress(path.read_bytes()),
        ".zst": lambda path: zstandard.ZstdDecompressor().stream_reader(path.read_bytes()).read()}


def corpus(tmp_path: Path, documents: int = 12) -> Path:
    return write_jsonl(tmp_path / "in.jsonl", [{"id": f"d{i}", "text": article(i)} for i in range(documents)])


@pytest.mark.parametrize("ext", [".gz", ".zst"])
def test_a_compressed_output_and_its_side_files_hold_what_plain_ones_hold(tmp_path, ext):
    src = corpus(tmp_path)
    clean_corpus(src, tmp_path / "plain" / "out.jsonl", workers=1)
    clean_corpus(src, tmp_path / "packed" / f"out.jsonl{ext}", workers=1)
    packed = sorted(p.name for p in (tmp_path / "packed").iterdir())
    assert packed == sorted([f"out.jsonl{ext}", f"out.jsonl.audit.jsonl{ext}", f"out.jsonl.manifest.jsonl{ext}",
                             f"out.jsonl{ext}.dedup-index.npz"])
    for name in ("out.jsonl", "out.jsonl.audit.jsonl", "out.jsonl.manifest.jsonl"):
        # the manifest says where each document went: a line of out.jsonl, or of out.jsonl.gz
        plain = (tmp_path / "plain" / name).read_bytes().replace(b'"out.jsonl:', f'"out.jsonl{ext}:'.encode())
        assert plain and OPEN[ext](tmp_path / "packed" / f"{name}{ext}") == plain
    assert (tmp_path / "packed" / f"out.jsonl{ext}").stat().st_size < len((tmp_path / "plain" / "out.jsonl").read_bytes())


@pytest.mark.parametrize("ext", [".gz", ".zst"])
def test_two_runs_write_byte_identical_compressed_files(tmp_path, ext):
    src = corpus(tmp_path, 150)  # several batches, which 2 workers clean in parallel
    clean_corpus(src, tmp_path / "one" / f"out.jsonl{ext}", workers=1)
    clean_corpus(src, tmp_path / "two" / f"out.jsonl{ext}", workers=2)
    for path in (tmp_path / "one").iterdir():
        assert path.read_bytes() == (tmp_path / "two" / path.name).read_bytes(), path.name


def test_a_gzip_file_says_nothing_of_when_or_where_it_was_written(tmp_path):
    clean_corpus(corpus(tmp_path), tmp_path / "out.jsonl.gz", workers=1)
    header = (tmp_path / "out.jsonl.gz").read_bytes()[:10]
    assert header[3] & 0x08 == 0  # no file name
    assert header[4:8] == b"\0\0\0\0"  # no time stamp


def test_a_zst_file_carries_a_checksum_of_its_content(tmp_path):
    clean_corpus(corpus(tmp_path), tmp_path / "out.jsonl.zst", workers=1)
    assert zstandard.get_frame_parameters((tmp_path / "out.jsonl.zst").read_bytes()).has_checksum


@pytest.mark.parametrize("ext", [".gz", ".zst"])
def test_a_compressed_file_whose_writes_fail_is_discarded_without_a_trace(tmp_path, ext):
    writer = AtomicWriter(tmp_path / f"out.jsonl{ext}", tmp_path)
    writer.write("a line of the audit\n" * 5000)
    read_only = os.open(os.devnull, os.O_RDONLY)
    os.dup2(read_only, writer.raw.fileno())  # from now on every write fails, as on a full disk
    os.close(read_only)
    writer.discard()  # what a failed run does: no error of its own to hide the run's, nothing left behind
    assert list(tmp_path.iterdir()) == []


def test_a_compressed_output_is_read_back_as_input(tmp_path):
    clean_corpus(corpus(tmp_path), tmp_path / "first" / "out.jsonl.gz", workers=1)
    again = clean_corpus(tmp_path / "first" / "out.jsonl.gz", tmp_path / "second.jsonl", workers=1)
    assert again.documents_in == 12 and again.failed == 0


def test_a_compressed_audit_beside_a_folder_output(tmp_path):
    src = corpus(tmp_path)
    clean_corpus(src, tmp_path / "plain", workers=1)
    clean_corpus(src, tmp_path / "out", workers=1, audit_path=tmp_path / "audit.jsonl.gz")
    assert gzip.decompress((tmp_path / "audit.jsonl.gz").read_bytes()) == (tmp_path / "plain" / "cleaner-audit.jsonl").read_bytes()
    assert not (tmp_path / "out" / "cleaner-audit.jsonl").exists()


def test_a_zst_output_without_zstandard_stops_before_the_run(tmp_path, without_zstandard):
    with pytest.raises(MissingExtra, match=r"\.zst output needs the 'zstandard' package"):
        clean_corpus(corpus(tmp_path), tmp_path / "out" / "out.jsonl.zst", workers=1)
    assert not (tmp_path / "out").exists()
