"""Worker processes started by fork, forkserver (Python 3.14's default on Linux) or spawn: the same
output, and a killed run takes its workers with it whichever started them."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ENV, tree
from prose import EN, lines

from cleaner.runner import clean_corpus

METHODS = [m for m in ("fork", "forkserver", "spawn") if m in multiprocessing.get_all_start_methods()]
RUN = """
import multiprocessing, sys
multiprocessing.set_start_method(sys.argv[1])
from cleaner.runner import clean_corpus
clean_corpus(sys.argv[2], sys.argv[3], workers=2)
"""


def site(root: Path, pages: int) -> Path:
    root.mkdir()
    for i in range(pages):
        (root / f"p{i:03d}.txt").write_text(
            lines("Home | News | Sport", f"Headline {i}", EN[i % len(EN)], EN[(i + 1) % len(EN)], "Share this article"),
            encoding="utf-8")
    return root


@pytest.mark.parametrize("method", METHODS)
def test_two_workers_started_by_each_method_write_what_one_worker_writes(tmp_path, method):
    src = site(tmp_path / "in", 12)
    clean_corpus(src, tmp_path / "one", workers=1)
    run = subprocess.run([sys.executable, "-c", RUN, method, str(src), str(tmp_path / "two")], env=ENV,
                         capture_output=True, timeout=300)
    assert run.returncode == 0, run.stderr.decode()[-3000:]
    assert tree(tmp_path / "two") == tree(tmp_path / "one")


def _children() -> dict[int, list[int]]:
    """Every process's children, from /proc (Linux)."""
    out: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:  # gone meanwhile
                continue
            out.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(entry))
    return out


def _descendants(pid: int) -> list[int]:
    children, found, todo = _children(), [], [pid]
    while todo:
        kids = children.get(todo.pop(), [])
        found += kids
        todo += kids
    return found


def _running(pid: int) -> bool:
    """Alive and not a zombie (a dead process its parent has not waited for)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc (Linux)")
@pytest.mark.parametrize("method", METHODS)
def test_killing_the_run_ends_its_workers_whichever_method_started_them(tmp_path, method):
    src = site(tmp_path / "in", 3000)  # long enough to be killed half-way
    state = tmp_path / "out" / ".cleaner-state"
    run = subprocess.Popen([sys.executable, "-c", RUN, method, str(src), str(tmp_path / "out")], env=ENV,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    started: list[int] = []
    try:
        deadline = time.monotonic() + 120
        while not any(state.glob("chunk-*")) and run.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)  # a saved chunk: a worker has cleaned a batch
        started = _descendants(run.pid)
        assert run.poll() is None and len(started) >= 2, "the run had no worker processes to leave behind"
        run.kill()  # the run alone, as the OOM killer would: not its process group
        run.wait()
        deadline = time.monotonic() + 20
        while (left := [pid for pid in started if _running(pid)]) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not left, f"processes of the killed run still running: {left}"
    finally:  # the run's processes as seen before the kill: once it is dead, they are no longer its children
        for pid in [run.pid, *started]:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
