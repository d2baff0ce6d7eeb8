"""The per-document time budget: `time_limit(seconds)` raises `BudgetExceeded` inside the block
once the time is up, so one pathological document cannot stall a crawl-sized scan.

On the main thread of a process (the CLI, joblib's worker processes) the budget is CPU time,
user and system as `time.process_time` counts it, kept by a profiling timer whose signal also
interrupts a long regular-expression match; CPU time, so that a busy machine slows a scan down
without turning documents into errors.
Elsewhere (a thread of a Dask worker or of an application) it is wall time, kept by a watchdog
thread that raises the exception asynchronously in the scanning thread: that interrupts Python
code between bytecodes, but not one long call into C (a single regular-expression match), which
ends first.

Either way the exception can land where Python cannot raise it (a garbage-collector callback, a
`__del__`) and be swallowed. So an expired timer keeps firing until it gets through, and a block
that still ends normally after its time is up raises `BudgetExceeded` on leaving: a document over
budget is always reported as over budget.
"""

from __future__ import annotations

import ctypes
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class BudgetExceeded(Exception):
    """A document took longer than its time budget."""


_REFIRE = 0.05  # seconds between repeats of an expiry that was swallowed


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise `BudgetExceeded` in this block after `seconds` (None or 0: no limit)."""
    if not seconds or seconds <= 0:
        yield
    elif threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        with _signal_limit(seconds):
            yield
    else:
        with _watchdog_limit(seconds):
            yield


@contextmanager
def _signal_limit(seconds: float) -> Iterator[None]:
    fired = False

    def expire(signum: int, frame: object) -> None:
        nonlocal fired
        fired = True
        raise BudgetExceeded

    def unraisable(info: sys.UnraisableHookArgs) -> None:
        # An expiry swallowed where Python cannot raise (a gc callback): counted in `fired`,
        # not printed as "Exception ignored in ..." on the user's terminal.
        if info.exc_type is not BudgetExceeded:
            hook(info)

    hook = sys.unraisablehook
    sys.unraisablehook = unraisable
    previous = signal.signal(signal.SIGPROF, expire)
    signal.setitimer(signal.ITIMER_PROF, seconds, _REFIRE)
    try:
        yield
    finally:
        while True:  # a repeat may land while disarming: disarm again, and count it
            try:
                signal.setitimer(signal.ITIMER_PROF, 0)
                signal.signal(signal.SIGPROF, previous)
                break
            except BudgetExceeded:
                fired = True
        sys.unraisablehook = hook
    if fired:
        raise BudgetExceeded


@contextmanager
def _watchdog_limit(seconds: float) -> Iterator[None]:
    target = ctypes.c_ulong(threading.get_ident())
    lock = threading.Lock()
    state = {"active": True, "fired": False}

    def expire() -> None:
        with lock:
            if state["active"]:
                state["fired"] = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(target, ctypes.py_object(BudgetExceeded))

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        with lock:
            state["active"] = False
            if state["fired"]:  # raised already, or still pending: never let it escape the block
                ctypes.pythonapi.PyThreadState_SetAsyncExc(target, None)
    if state["fired"]:
        raise BudgetExceeded
