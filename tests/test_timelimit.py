"""The per-call time limit works in the main thread (SIGALRM) and in other threads (Dask's)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from cleaner.timelimit import TimeLimitExceeded, time_limit


def busy(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def in_thread(work) -> object:
    out: dict = {}

    def run() -> None:
        try:
            out["value"] = work()
        except BaseException as exc:  # noqa: BLE001 - the test looks at what escaped
            out["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(30)
    return out


def limited(limit: float, seconds: float):
    def work():
        started = time.monotonic()
        with time_limit(limit):
            busy(seconds)
        return time.monotonic() - started
    return work


def test_runaway_call_in_the_main_thread_is_stopped():
    started = time.monotonic()
    with pytest.raises(TimeLimitExceeded, match="0.2 s"):
        limited(0.2, 10)()
    assert time.monotonic() - started < 5


def test_runaway_call_in_another_thread_is_stopped():
    started = time.monotonic()
    out = in_thread(limited(0.2, 10))
    assert isinstance(out.get("error"), TimeLimitExceeded) and "0.2 s" in str(out["error"])
    assert time.monotonic() - started < 5


def test_a_call_within_its_limit_in_another_thread_is_left_alone():
    def work():
        limited(1.0, 0.05)()
        busy(1.5)  # the limit's timer would have fired by now
        return "finished"

    assert in_thread(work) == {"value": "finished"}


def test_an_alarm_that_fires_as_the_block_ends_is_not_reported(tmp_path):
    script = tmp_path / "late.py"
    script.write_text(
        "import signal, time\n"
        "from cleaner.timelimit import time_limit\n"
        "for _ in range(200):\n"
        "    with time_limit(0.0005):\n"
        "        pass\n"
        "    signal.setitimer(signal.ITIMER_REAL, 0.0001)\n"  # a stray alarm, as a late one would be
        "    time.sleep(0.001)\n"
        "print('done')\n")
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60,
                         env={**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)})
    assert run.returncode == 0 and run.stdout == "done\n" and "race condition" not in run.stderr
