"""The per-document time budget: it interrupts a stalled block (Python code, a backtracking regular
expression, a thread), and leaves everything else alone."""

from __future__ import annotations

import re
import signal
import threading
import time

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
    before = signal.getsignal(signal.SIGVTALRM)
    with time_limit(0.3):
        value = sum(range(1000))
    _spin(0.5)  # past the budget: nothing may fire any more
    assert value == 499500 and signal.getsignal(signal.SIGVTALRM) is before


def test_no_budget_means_no_limit() -> None:
    for budget in (None, 0):
        with time_limit(budget):
            _spin(0.05)


def test_the_budget_works_in_a_thread_too() -> None:
    outcome: list[str] = []

    def work() -> None:
        try:
            with time_limit(0.2):
                while True:
                    pass
        except BudgetExceeded:
            outcome.append("interrupted")

    worker = threading.Thread(target=work)
    worker.start()
    worker.join(timeout=60)
    assert outcome == ["interrupted"]


def test_in_a_thread_a_block_within_its_budget_is_left_alone() -> None:
    outcome: list[str] = []

    def work() -> None:
        with time_limit(0.2):
            outcome.append("done")
        time.sleep(0.4)  # past the budget: nothing may be raised here
        outcome.append("after")

    worker = threading.Thread(target=work)
    worker.start()
    worker.join(timeout=60)
    assert outcome == ["done", "after"]
