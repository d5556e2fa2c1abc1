"""A per-call time limit, for work that may run away (trafilatura on a pathological page).

SIGALRM interrupts the Python code of the call; it works in the main thread of a process (each
worker of a corpus run, or a script), elsewhere the call simply runs without a limit.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class TimeLimitExceeded(BaseException):
    """BaseException, so that a library's `except Exception` cannot swallow it."""


def alarm_available() -> bool:
    """Whether `time_limit` can set an alarm here: the main thread, and no other alarm running."""
    return threading.current_thread() is threading.main_thread() and signal.getitimer(signal.ITIMER_REAL)[0] == 0


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    if not seconds or seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def _expired(signum, frame):
        raise TimeLimitExceeded(f"took longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, _expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
