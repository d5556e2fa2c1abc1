"""A per-call time limit, for work that may run away (trafilatura on a pathological page).

In the main thread of a process (each worker of the process pool, a script) SIGALRM interrupts
the call. In other threads (Dask runs tasks in a worker's thread pool) a watchdog timer raises
the exception in the thread instead; either way it lands between two Python bytecodes, so a
single C call that never returns (a regex in C, a blocking read) is only interrupted after it.
"""

from __future__ import annotations

import ctypes
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
    if not seconds or seconds <= 0:
        yield
        return
    if threading.current_thread() is not threading.main_thread():
        with _watchdog(seconds):
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
        # An alarm that fired just before the timer was stopped may still be pending: Python runs
        # its handler at the next bytecode. With the default handler back in place it would print
        # "Signal 14 ignored due to race condition"; a late alarm is nothing to report.
        signal.signal(signal.SIGALRM, previous if callable(previous) else _late_alarm)


def _late_alarm(signum, frame) -> None:
    pass


@contextmanager
def _watchdog(seconds: float) -> Iterator[None]:
    target = threading.get_ident()
    state = {"fired": False, "done": False}
    lock = threading.Lock()

    def expire() -> None:
        with lock:
            if not state["done"]:
                state["fired"] = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target), ctypes.py_object(_Expired))

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    except _Expired:
        raise TimeLimitExceeded(f"took longer than {seconds:g} s") from None
    finally:
        with lock:
            state["done"] = True
        timer.cancel()
        if state["fired"]:  # raised after the call had finished: it must not escape later
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target), None)


class _Expired(BaseException):
    """Raised in the thread by the watchdog (an exception class without arguments, as the C API needs)."""
