"""What an input folder holds besides inputs: symbolic links (followed, once, never round in a loop)
and the outputs of earlier runs (not read, but said): nothing is passed over in silence."""

from __future__ import annotations

import os

from conftest import FAST, article, manifest

from cleaner.runner import clean_corpus


def texts(root, names, first: int = 0):
    root.mkdir(parents=True, exist_ok=True)
    for i, name in enumerate(names, first):
        (root / name).write_text(article(i))
    return root


def entries(out) -> dict[str, tuple[str, str]]:
    """input (or doc) -> (status, reason or output)"""
    return {e.get("doc", e.get("input")): (e["status"], e.get("reason") or e.get("output", ""))
            for e in manifest(out / "cleaner-manifest.jsonl")}


def test_a_symlinked_folder_is_followed_and_named_by_its_link(tmp_path):
    src = texts(tmp_path / "in", ["own.txt"])
    texts(tmp_path / "data" / "shard", ["b.txt"], first=1)
    os.symlink(tmp_path / "data" / "shard", src / "shard")
    summary = clean_corpus(src, tmp_path / "out", FAST, workers=1)
    assert entries(tmp_path / "out") == {"own.txt": ("written", "own.txt"), "shard/b.txt": ("written", "shard/b.txt")}
    assert summary.written == 2 and (tmp_path / "out" / "shard" / "b.txt").is_file()


def test_a_link_to_a_folder_that_holds_it_is_recorded_as_a_loop_not_followed(tmp_path):
    src = texts(tmp_path / "in" / "sub", ["a.txt"]).parent
    os.symlink("..", src / "sub" / "up")
    os.symlink(".", src / "here")
    summary = clean_corpus(src, tmp_path / "out", FAST, workers=1)
    got = entries(tmp_path / "out")
    assert got["sub/a.txt"] == ("written", "sub/a.txt")
    assert got["here"][0] == got["sub/up"][0] == "skipped" and "loop" in got["sub/up"][1]
    assert len(got) == 3 and summary.skipped_inputs == [("here", got["here"][1]), ("sub/up", got["sub/up"][1])]


def test_a_file_reached_through_two_links_is_read_once_and_the_other_name_is_recorded(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    texts(tmp_path / "data", ["x.txt"])
    os.symlink(tmp_path / "data", src / "a")
    os.symlink(tmp_path / "data", src / "b")
    summary = clean_corpus(src, tmp_path / "out", FAST, workers=1)
    got = entries(tmp_path / "out")
    assert got == {"a/x.txt": ("written", "a/x.txt"), "b/x.txt": ("skipped", got["b/x.txt"][1])}
    assert "the same file as a/x.txt" in got["b/x.txt"][1]
    assert summary.documents_in == 1 and not (tmp_path / "out" / "b").exists()


def test_a_file_and_a_link_to_it_are_read_once_under_the_file_own_name(tmp_path):
    src = texts(tmp_path / "in", ["z.txt"])
    os.symlink("z.txt", src / "a.txt")  # sorts first, but is only another name
    clean_corpus(src, tmp_path / "out", FAST, workers=1)
    got = entries(tmp_path / "out")
    assert got["z.txt"] == ("written", "z.txt") and got["a.txt"][0] == "skipped" and "z.txt" in got["a.txt"][1]


def test_the_summary_names_each_skipped_input_and_why(tmp_path, cli):
    src = texts(tmp_path / "in", ["a.txt"])
    os.symlink(".", src / "here")
    result = cli("clean", src, tmp_path / "out", "--workers", "1")
    assert result.exit_code == 0
    assert "skipped: here: a symbolic link to ., a folder that holds it: following it would loop" in " ".join(
        result.output.split())
def test_an_earlier_output_folder_inside_the_input_is_skipped_and_said(tmp_path):
    src = texts(tmp_path / "raw", ["a.txt", "b.txt"])
    clean_corpus(src, src / "out", FAST, workers=1)
    summary = clean_corpus(src, tmp_path / "ex", FAST, workers=1)  # failed on every line of out's manifest
    got = entries(tmp_path / "ex")
    assert summary.failed == 0 and summary.documents_in == 2
    assert got["out"][0] == "skipped" and "output folder of cleaner" in got["out"][1]
    assert [k for k, (status, _) in got.items() if status != "skipped"] == ["a.txt", "b.txt"]


def test_an_earlier_output_folder_given_as_the_input_has_its_documents_cleaned_but_not_its_side_files(tmp_path):
    src = texts(tmp_path / "raw", ["a.txt"])
    clean_corpus(src, tmp_path / "once", FAST, workers=1)
    summary = clean_corpus(tmp_path / "once", tmp_path / "twice", FAST, workers=1)
    got = entries(tmp_path / "twice")
    assert summary.failed == 0 and got["a.txt"] == ("written", "a.txt")
    assert {k for k, (status, _) in got.items() if status == "skipped"} == {"cleaner-audit.jsonl", "cleaner-manifest.jsonl"}


def test_an_earlier_file_output_and_its_side_files_inside_the_input_are_skipped_and_said(tmp_path):
    src = texts(tmp_path / "raw", ["a.txt"])
    clean_corpus(src, src / "old.jsonl", FAST, workers=1)
    summary = clean_corpus(src, tmp_path / "ex", FAST, workers=1)
    got = entries(tmp_path / "ex")
    assert summary.failed == 0 and summary.documents_in == 1
    assert {k for k, (status, _) in got.items() if status == "skipped"} == {
        "old.jsonl", "old.jsonl.audit.jsonl", "old.jsonl.manifest.jsonl"}


def test_an_input_folder_given_through_a_link_still_reads_each_file_under_its_own_name(tmp_path):
    texts(tmp_path / "real", ["z.txt"])
    os.symlink("z.txt", tmp_path / "real" / "a.txt")
    os.symlink(tmp_path / "real", tmp_path / "in")
    clean_corpus(tmp_path / "in", tmp_path / "out", FAST, workers=1)
    got = entries(tmp_path / "out")
    assert got["z.txt"] == ("written", "z.txt") and got["a.txt"][0] == "skipped"
