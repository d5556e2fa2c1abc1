"""--resume beyond a folder of .txt files: JSON lines and Parquet outputs, the Dask engine, and
what must make a resumption refuse (or redo) the saved work."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ENV, PROSE, killed_run, story

from cleaner.options import Options
from cleaner.resume import ResumeError
from cleaner.runner import clean_corpus


def records(n: int = 200) -> list[dict]:
    """More than three batches; lines repeated across the site and near-duplicate paragraphs across documents."""
    return [{"id": f"r{i}", "url": f"https://news.example/{i}", "text": f"Home | News | Sport\n\nHeadline {i}\n\n"
             f"{story(i)}\n\n{PROSE}{i}\n\n{PROSE * 2}\n\nShare this article"} for i in range(n)]


def write(path: Path, recs: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in recs))
    return path


def side_files(output: Path) -> dict[str, bytes]:
    """The output and everything cleaner wrote beside it, except the hidden state folder."""
    stem = output.name.split(".")[0] + "."  # out.jsonl.gz: out.jsonl.audit.jsonl.gz too
    return {p.name: p.read_bytes() for p in sorted(output.parent.iterdir()) if p.is_file() and p.name.startswith(stem)}


@pytest.fixture(scope="module")
def jsonl_input(tmp_path_factory):
    base = tmp_path_factory.mktemp("src")
    return write(base / "in.jsonl", records())


@pytest.fixture(scope="module")
def reference(jsonl_input, tmp_path_factory):
    """The uninterrupted runs' outputs, JSON lines and Parquet, with their side files."""
    base = tmp_path_factory.mktemp("ref")
    got = {}
    for name in ("out.jsonl", "out.parquet", "out.jsonl.gz"):
        clean_corpus(jsonl_input, base / name / name, workers=2)  # a folder each: side_files reads it all
        got[name] = side_files(base / name / name)
    return got


@pytest.mark.parametrize("name,writer", [("out.jsonl", "JsonlWriter"), ("out.parquet", "ParquetWriter"),
                                         ("out.jsonl.gz", "JsonlWriter")])
@pytest.mark.parametrize("module,method,at", [("resume", "save", 2), ("writers", "write", 1), ("writers", "write", 150)])
def test_a_file_output_killed_anywhere_resumes_byte_identical(tmp_path, jsonl_input, reference, name, writer,
                                                              module, method, at):
    out = tmp_path / name
    killed_run(jsonl_input, out, module, "RunState" if module == "resume" else writer, method, at)
    assert side_files(out) == {}  # nothing visible, let alone half-written, before the run completes
    clean_corpus(jsonl_input, out, workers=2, resume=True)
    assert side_files(out) == reference[name]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(reference[name])  # the state folder is gone


def test_a_file_output_keeps_the_previous_runs_whole_files_until_the_new_ones_are_done(tmp_path, jsonl_input, reference):
    out = tmp_path / "out.jsonl"
    clean_corpus(jsonl_input, out, Options(dedup=False), workers=2)
    before = side_files(out)
    killed_run(jsonl_input, out, "writers", "JsonlWriter", "write", 150)
    assert side_files(out) == before
    clean_corpus(jsonl_input, out, workers=2, resume=True)
    assert side_files(out) == reference["out.jsonl"]


def test_resuming_a_file_output_with_other_options_is_refused(tmp_path, jsonl_input):
    out = tmp_path / "out.jsonl"
    killed_run(jsonl_input, out, "resume", "RunState", "save", 3)
    with pytest.raises(ResumeError, match="without --resume"):
        clean_corpus(jsonl_input, out, Options(text_field="body"), workers=1, resume=True)


def test_the_dask_engine_killed_in_pass_one_resumes_byte_identical(tmp_path, jsonl_input, reference):
    pytest.importorskip("distributed")
    out = tmp_path / "out.jsonl"
    killed_run(jsonl_input, out, "resume", "RunState", "save", 2, engine="dask")
    assert side_files(out) == {}
    clean_corpus(jsonl_input, out, workers=2, resume=True, engine="dask")
    assert side_files(out) == reference["out.jsonl"]


def test_a_rule_file_edited_between_kill_and_resume_does_not_mix_old_and_new_rules(tmp_path, jsonl_input):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "house.yaml").write_text("family: house\nreason: house headline\nrules:\n"
                                      "  - id: headline\n    pattern: '^Headline \\d+$'\n")
    opts = f'"rules_dirs": ("{rules}",)'
    out = tmp_path / "out.jsonl"
    killed_run(jsonl_input, out, "resume", "RunState", "save", 3, options=opts)
    (rules / "house.yaml").write_text("family: house\nreason: house headline\nrules: []\n")
    try:
        resumed = clean_corpus(jsonl_input, out, Options(rules_dirs=(rules,)), workers=2, resume=True)
    except ResumeError:
        return  # refusing is as good as redoing
    fresh = clean_corpus(jsonl_input, tmp_path / "fresh.jsonl", Options(rules_dirs=(rules,)), workers=2)
    assert resumed.written == fresh.written  # measured: 72 against 200 (the saved chunks' 128 kept the old rule)
    assert out.read_bytes() == (tmp_path / "fresh.jsonl").read_bytes()


def test_resuming_from_standard_input_with_other_data_does_not_reuse_the_old_data(tmp_path):
    first = write(tmp_path / "first.jsonl", records(200))
    other = [dict(r, text=r["text"].replace("It happened on day", "It was reported on day")) for r in records(200)]
    second = write(tmp_path / "second.jsonl", other)
    out = tmp_path / "out.jsonl"
    killed_run("-", out, "resume", "RunState", "save", 3, stdin=first)
    cmd = [sys.executable, "-m", "cleaner.cli", "clean", "-", str(out), "-q", "--workers", "2", "--resume"]
    with open(second, "rb") as stdin:
        done = subprocess.run(cmd, stdin=stdin, env=ENV, capture_output=True, timeout=300)
    if done.returncode == 2 and b"resume" in done.stderr:
        return  # refusing is as good as redoing
    assert done.returncode == 0, done.stderr.decode()
    assert b"It happened on day" not in out.read_bytes() and b"It was reported on day" in out.read_bytes()


def _first(folder: Path, pattern: str) -> bool:
    return any(not p.relative_to(folder).as_posix().startswith(".cleaner-state/tmp") for p in folder.glob(pattern))


@pytest.mark.parametrize("moment,pattern", [("pass 1: a chunk saved", ".cleaner-state/chunk-*"),
                                            ("pass 2: a document written", "**/*.txt")])
def test_the_cli_killed_when_it_is_seen_to_be_in_a_given_pass_resumes_byte_identical(tmp_path, moment, pattern):
    """test_resume.py's CLI kills come after a fixed delay, which on a loaded machine falls before
    the first chunk is saved; here the run is watched and killed once it is in the given pass."""
    import time

    from test_resume import corpus, tree

    src = corpus(tmp_path / "in")
    clean_corpus(src, tmp_path / "ref", workers=2)
    expected = tree(tmp_path / "ref")
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "cleaner.cli", "clean", str(src), str(out), "-q", "--workers", "2"]
    proc = subprocess.Popen(cmd, env=ENV, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not (out.exists() and _first(out, pattern)) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    os.killpg(proc.pid, signal.SIGKILL)
    assert proc.wait() == -signal.SIGKILL, f"the run ended before {moment}"
    for rel, data in tree(out).items():
        assert rel.startswith(".cleaner-state/") or data == expected.get(rel), f"{rel} is not the finished run's"
    done = subprocess.run([*cmd, "--resume"], env=ENV, capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr.decode()
    assert tree(out) == expected


def test_a_killed_runs_state_takes_less_room_than_twice_its_input(tmp_path, jsonl_input):
    """The state holds every cleaned document with its marks and sketches: pickled, 4-6 times the
    input (measured on the devset), which on a large corpus was the most disk a run took."""
    out = tmp_path / "out.jsonl"
    killed_run(jsonl_input, out, "resume", "RunState", "remove", 1)  # every chunk and sketch saved, none removed
    state = tmp_path / ".out.jsonl.cleaner-state"
    size = sum(p.stat().st_size for p in state.rglob("*") if p.is_file())
    assert any(state.glob("chunk-*")) and any(state.glob("sketches-*"))
    assert size < 2 * jsonl_input.stat().st_size


@pytest.mark.parametrize("keep", [0.5, 0.0])
def test_a_saved_chunk_cut_short_by_a_system_crash_is_cleaned_again(tmp_path, jsonl_input, reference, keep):
    """A chunk is renamed into place whole, but a machine that goes down before the file system has
    written it can leave it cut short (or empty): the resumed run cleans that batch again."""
    out = tmp_path / "out.jsonl"
    killed_run(jsonl_input, out, "resume", "RunState", "remove", 1)
    chunk = sorted((tmp_path / ".out.jsonl.cleaner-state").glob("chunk-*"))[1]
    chunk.write_bytes(chunk.read_bytes()[:int(chunk.stat().st_size * keep)])
    clean_corpus(jsonl_input, out, workers=2, resume=True)
    assert side_files(out) == reference["out.jsonl"]


def test_the_dask_engine_cleans_a_chunk_cut_short_again(tmp_path, jsonl_input, reference):
    pytest.importorskip("distributed")
    out = tmp_path / "out.jsonl"
    killed_run(jsonl_input, out, "resume", "RunState", "save", 3, engine="dask")
    chunk = sorted((tmp_path / ".out.jsonl.cleaner-state").glob("chunk-*"))[0]
    chunk.write_bytes(chunk.read_bytes()[:100])
    clean_corpus(jsonl_input, out, workers=2, resume=True, engine="dask")
    assert side_files(out) == reference["out.jsonl"]
