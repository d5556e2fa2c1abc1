"""--resume: kill a run (SIGKILL) anywhere, resume it, and get exactly the uninterrupted run's output."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ENV, PROSE, killed_run, story, tree

from cleaner.resume import ResumeError
from cleaner.runner import clean_corpus


def corpus(root: Path, n: int = 150) -> Path:
    """Files and JSON lines, with lines repeated across a site and near-duplicates across documents,
    and a file of no records (its manifest line must survive a resumption too)."""
    (root / "site").mkdir(parents=True)
    for i in range(n):
        (root / "site" / f"p{i:03d}.txt").write_text(
            f"Home | News | Sport\n\nHeadline {i}\n\n{story(i)}\n\n{PROSE}{i}\n\n{PROSE * 2}\n\nShare this article\n")
    (root / "feed.jsonl").write_text("".join(f'{{"id": "f{i}", "text": "Item {i}. {PROSE}\\n\\n{story(n + i)}"}}\n'
                                             for i in range(n)))
    (root / "empty.jsonl").write_bytes(b"")
    return root



def assert_nothing_half_written(out: Path, reference: dict[str, bytes]) -> None:
    """Outside the hidden state folder, every file is one the finished run writes, with its final bytes."""
    for rel, data in tree(out).items():
        if rel.startswith(".cleaner-state/"):
            continue
        assert rel in reference, f"stray file {rel}"
        assert data == reference[rel], f"{rel} differs from the finished run's"


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    base = tmp_path_factory.mktemp("ref")
    src = corpus(base / "in")
    clean_corpus(src, base / "out", workers=2)
    expected = tree(base / "out")
    assert b'{"input": "empty.jsonl", "reason": "0 bytes", "status": "empty"}' in expected["cleaner-manifest.jsonl"]
    return src, expected


@pytest.mark.parametrize("module,cls,method,at", [
    ("resume", "RunState", "save", 1),       # pass 1, before the first chunk is saved
    ("resume", "RunState", "save", 4),       # pass 1, half-way
    ("writers", "FolderWriter", "write", 1),  # pass 2, first document
    ("writers", "FolderWriter", "write", 120),  # pass 2, most documents written
    ("resume", "RunState", "remove", 1),      # all written, state not yet removed
])
def test_resume_after_sigkill_at_a_given_point_is_byte_identical(tmp_path, reference, module, cls, method, at):
    src, expected = reference
    out = tmp_path / "out"
    killed_run(src, out, module, cls, method, at)
    assert_nothing_half_written(out, expected)
    clean_corpus(src, out, workers=2, resume=True)
    assert tree(out) == expected


@pytest.mark.parametrize("delay", [0.8, 1.5])
def test_resume_after_killing_the_cli_after_a_delay(tmp_path, reference, delay):
    src, expected = reference
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "cleaner.cli", "clean", str(src), str(out), "-q", "--workers", "2"]
    proc = subprocess.Popen(cmd, env=ENV, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    os.killpg(proc.pid, signal.SIGKILL)  # the run and its worker processes, as the OOM killer or a reboot would
    proc.wait()
    assert_nothing_half_written(out, expected)
    done = subprocess.run([*cmd, "--resume"], env=ENV, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode()
    assert tree(out) == expected


def test_resume_reuses_the_saved_work(tmp_path, reference):
    src, expected = reference
    out = tmp_path / "out"
    killed_run(src, out, "writers", "FolderWriter", "write", 5)
    import cleaner.runner as runner

    calls = []
    real = runner._clean_batch
    runner._clean_batch = lambda batch: calls.append(1) or real(batch)
    try:
        clean_corpus(src, out, workers=1, resume=True)
    finally:
        runner._clean_batch = real
    assert calls == [] and tree(out) == expected


def test_resume_refuses_state_from_other_options(tmp_path, reference):
    src, _ = reference
    out = tmp_path / "out"
    killed_run(src, out, "resume", "RunState", "save", 2)
    from cleaner.options import Options

    with pytest.raises(ResumeError, match="without --resume"):
        clean_corpus(src, out, Options(dedup=False), workers=1, resume=True)


def test_resume_refuses_state_left_by_another_version_of_cleaner(tmp_path, reference, monkeypatch):
    import cleaner.resume

    src, _ = reference
    out = tmp_path / "out"
    killed_run(src, out, "resume", "RunState", "save", 2)
    monkeypatch.setattr(cleaner.resume, "code_fingerprint", lambda: "another version")  # as if upgraded since
    with pytest.raises(ResumeError, match="without --resume"):
        clean_corpus(src, out, workers=1, resume=True)


def test_a_run_without_resume_starts_over(tmp_path, reference):
    src, expected = reference
    out = tmp_path / "out"
    killed_run(src, out, "resume", "RunState", "save", 3)
    clean_corpus(src, out, workers=2)
    assert tree(out) == expected
