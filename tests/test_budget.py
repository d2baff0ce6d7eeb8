"""The per-document time budget: it interrupts a stalled block (Python code, a backtracking regular
expression, a thread), and leaves everything else alone."""

from __future__ import annotations

import contextlib
import re
import signal
import sys
import threading
import time
from collections.abc import Callable

import pytest

from detector.budget import BudgetExceeded, time_limit


def _spin(seconds: float) -> None:
    """Burn CPU (the budget counts CPU time on the main thread) for about `seconds`."""
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


def test_a_stalled_loop_is_interrupted() -> None:
    with pytest.raises(BudgetExceeded), time_limit(0.2):
        while True:
            pass


def test_a_catastrophically_backtracking_regex_is_interrupted() -> None:
    # Nested quantifiers on a near miss: exponential time, inside one call into C.
    pattern = re.compile(r"(a+)+$")
    with pytest.raises(BudgetExceeded), time_limit(0.2):
        pattern.match("a" * 64 + "b")


def test_a_block_within_its_budget_runs_and_leaves_no_timer_behind() -> None:
    before = signal.getsignal(signal.SIGPROF)
    with time_limit(0.3):
        value = sum(range(1000))
    _spin(0.5)  # past the budget: nothing may fire any more
    assert value == 499500 and signal.getsignal(signal.SIGPROF) is before


def test_no_budget_means_no_limit() -> None:
    for budget in (None, 0):
        with time_limit(budget):
            _spin(0.05)


def _outcome_in_thread(block: Callable[[], None]) -> list[str]:
    """Run `block` in a thread of its own: what happened, and what ran after its budget."""
    outcome: list[str] = []

    def work() -> None:
        try:
            block()
            outcome.append("finished")
        except BudgetExceeded:
            outcome.append("over budget")

    worker = threading.Thread(target=work)
    worker.start()
    worker.join(timeout=60)
    return outcome


def _stall() -> None:
    with time_limit(0.2):
        while True:
            pass


def test_the_budget_works_in_a_thread_too() -> None:
    assert _outcome_in_thread(_stall) == ["over budget"]


def _quick_then_past_the_budget() -> None:
    with time_limit(0.2):
        pass
    time.sleep(0.4)  # past the budget: nothing may be raised here


def test_in_a_thread_a_block_within_its_budget_is_left_alone() -> None:
    assert _outcome_in_thread(_quick_then_past_the_budget) == ["finished"]


def _swallowing_work(seconds: float) -> None:
    """Work that swallows every expiry, as a garbage-collector callback or `__del__` does."""
    end = time.process_time() + seconds
    while time.process_time() < end:
        with contextlib.suppress(BudgetExceeded):
            _spin(0.01)


def _swallowing_block() -> None:
    with time_limit(0.1):
        _swallowing_work(0.4)


def test_an_expiry_that_was_swallowed_still_ends_the_block_as_over_budget() -> None:
    with pytest.raises(BudgetExceeded):
        _swallowing_block()


def test_in_a_thread_an_expiry_that_was_swallowed_still_ends_the_block_as_over_budget() -> None:
    assert _outcome_in_thread(_swallowing_block) == ["over budget"]


class _RaisesOnCollection:
    """Raises from `__del__`, where Python cannot raise: the exception is "unraisable"."""

    def __init__(self, error: type[BaseException]) -> None:
        self.error = error

    def __del__(self) -> None:
        raise self.error


def test_an_expiry_swallowed_where_python_cannot_raise_is_not_printed() -> None:
    seen: list[type[BaseException] | None] = []
    previous, sys.unraisablehook = sys.unraisablehook, lambda info: seen.append(info.exc_type)
    try:
        with time_limit(30):
            _RaisesOnCollection(BudgetExceeded)  # as an expiry landing in `__del__` would
            _RaisesOnCollection(ValueError)  # anything else still goes to the previous hook
        assert sys.unraisablehook.__name__ == "<lambda>"  # restored on leaving the block
    finally:
        sys.unraisablehook = previous
    assert seen == [ValueError]
