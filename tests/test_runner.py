"""Corpus runs: the same bytes whatever the number of workers, whole files only, no stale outputs."""

from __future__ import annotations

import json
import multiprocessing

import pytest
from prose import EN, ES, lines

from cleaner import Options
from cleaner.runner import clean_corpus


def snapshot(folder) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


MIXED = {
    "a.txt": lines("Skip to content", EN[0], "Share this story", EN[1]),
    "b.txt": lines(EN[2], EN[0], "Sign up for our newsletter"),
    "c/d.md": lines("date 2025-08-11 " + EN[3], ".", EN[4]),
    "c/e.txt": lines(ES[0], "Apóyanos", ES[1]),
    "f.txt": lines("Facebook"),
    "g.html": f"<html><body><nav><a href='/'>Home</a></nav><article><p>{EN[5]}</p><p>{EN[1]}</p></article></body></html>",
    "h.txt": b"\x00\x00 binary",
    "records.jsonl": json.dumps({"id": "r1", "text": lines(EN[2], "Menu")}) + "\n" + json.dumps({"text": EN[3]}) + "\n",
}


def test_two_runs_give_byte_identical_outputs_and_audit(tmp_path, corpus, clean_run):
    src = corpus(MIXED)
    first, _ = clean_run(src, out=tmp_path / "one")
    second, _ = clean_run(src, out=tmp_path / "two")
    assert snapshot(first) == snapshot(second)
    assert "cleaner-audit.jsonl" in snapshot(first)


def test_one_worker_and_two_workers_give_byte_identical_outputs(tmp_path, corpus, cli):
    src = corpus(MIXED)
    one = cli("clean", src, tmp_path / "one", "--workers", "1", "--quiet")
    two = cli("clean", src, tmp_path / "two", "--workers", "2", "--quiet")
    assert one.exit_code == two.exit_code == 1  # h.txt fails in both
    assert snapshot(tmp_path / "one") == snapshot(tmp_path / "two")


def test_running_again_into_the_same_folder_changes_nothing(tmp_path, corpus, clean_run):
    src = corpus(MIXED)
    out, _ = clean_run(src)
    before = snapshot(out)
    clean_run(src)
    after = snapshot(out)
    # the saved dedup index records the second run's document names; what it decides must not change
    before.pop("cleaner-dedup-index.npz"), after.pop("cleaner-dedup-index.npz")
    assert after == before


def test_cleaning_the_same_corpus_again_and_again_does_not_turn_its_paragraphs_into_boilerplate(corpus):
    from cleaner.options import Options
    from cleaner.runner import clean_corpus

    src = corpus(MIXED)
    out = src.parent / "again"
    options = Options(dedup_boilerplate_docs=3)
    clean_corpus(src, out, options, workers=1)
    first = snapshot(out)
    for _ in range(4):
        clean_corpus(src, out, options, workers=1)
    last = snapshot(out)
    assert {k: v for k, v in last.items() if k.endswith(".txt")} == {k: v for k, v in first.items() if k.endswith(".txt")}


def test_no_temporary_files_are_left_in_the_output_folder(tmp_path, corpus, clean_run):
    out, _ = clean_run(corpus(MIXED))
    leftovers = [p.name for p in out.rglob("*") if p.name.startswith(".") or p.suffix == ".tmp"]
    assert leftovers == []


def test_a_stale_output_of_a_document_now_removed_whole_is_deleted(tmp_path, corpus, clean_run):
    src = corpus({"story.txt": lines(EN[0], EN[1]), "other.txt": lines(EN[2])})
    out, _ = clean_run(src)
    assert (out / "story.txt").exists()
    (src / "story.txt").write_text(lines("Share this story", "Facebook"), encoding="utf-8")
    clean_run(src)
    assert not (out / "story.txt").exists()
    assert (out / "other.txt").exists()


def test_a_stale_output_of_a_document_that_now_fails_is_deleted(tmp_path, corpus, clean_run):
    src = corpus({"story.txt": lines(EN[0], EN[1])})
    out, _ = clean_run(src)
    (src / "story.txt").write_bytes(b"\x00\x00 now binary")
    _, result = clean_run(src)
    assert result.exit_code == 1
    assert not (out / "story.txt").exists()


def test_an_output_folder_inside_the_input_folder_is_not_read_as_input(tmp_path, corpus, clean_run):
    src = corpus({"story.txt": lines(EN[0], EN[1])})
    out = src / "clean"
    clean_run(src, out=out)
    before = snapshot(out)
    _, result = clean_run(src, out=out)
    assert result.exit_code == 0, result.output
    assert snapshot(out) == before


def test_json_lines_records_each_get_a_file_in_a_folder_named_after_the_input(corpus, clean_run):
    out, result = clean_run(corpus({"records.jsonl": MIXED["records.jsonl"]}))
    assert result.exit_code == 0, result.output
    assert (out / "records" / "000001.txt").read_text(encoding="utf-8") == EN[2] + "\n"
    assert (out / "records" / "000002.txt").read_text(encoding="utf-8") == EN[3] + "\n"


def test_clean_corpus_is_the_library_form_of_the_command(tmp_path, corpus):
    src = corpus({"a.txt": lines(EN[0], "Share"), "b.txt": lines("Facebook")})
    summary = clean_corpus(src, tmp_path / "out", Options(), workers=1)
    assert (summary.documents_in, summary.written, summary.removed, summary.failed) == (2, 1, 1, 0)
    assert (tmp_path / "out" / "a.txt").read_text(encoding="utf-8") == EN[0] + "\n"


@pytest.mark.skipif((multiprocessing.get_start_method(allow_none=True) or multiprocessing.get_all_start_methods()[0])
                    != "fork",
                    reason="the workers must be forked to see the test's own FolderWriter.write")
def test_the_files_of_a_folder_output_are_written_by_the_worker_processes(tmp_path, corpus, monkeypatch):
    import os

    from cleaner.writers import FolderWriter

    src = corpus(MIXED)
    writers = tmp_path / "writers"
    real = FolderWriter.write

    def write(self, rendered):
        with open(writers, "a") as log:
            log.write(f"{os.getpid()}\n")
        return real(self, rendered)

    monkeypatch.setattr(FolderWriter, "write", write)  # before the run: its forked workers have it too
    clean_corpus(src, tmp_path / "two", workers=2)
    pids = writers.read_text().split()
    assert pids and str(os.getpid()) not in pids  # the driver wrote no file
    clean_corpus(src, tmp_path / "one", workers=1)
    assert snapshot(tmp_path / "one") == snapshot(tmp_path / "two")
