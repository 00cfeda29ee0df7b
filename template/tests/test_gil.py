"""The GIL demo: `run_detached` releases the GIL, `run` holds it, and the scripts run.

Whether the GIL is released is measured without timing thresholds: a background Python
thread records the longest pause between its loop iterations. While a call holds the
GIL, that thread cannot run at all, so its longest pause spans the call (all of it but
the moments it takes the two threads to hand the GIL over, a few ms, more on a loaded
machine). While a call has released the GIL, the thread keeps running, and its longest
pause stays a small part of the call (a few percent, measured under full load).
"""

from __future__ import annotations

import math
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Callable

import pytest

from {{module_name}} import (
    double_list,
    run,
    run_detached,
)

ROOT = Path(__file__).resolve().parent.parent

# sys._is_gil_enabled() exists from Python 3.13 on; older versions always have a GIL.
GIL_ENABLED = getattr(sys, "_is_gil_enabled", lambda: True)()


def longest_pause_during(call: Callable[[], object]) -> tuple[float, float]:
    """(longest pause of a busy background thread, duration of call())."""
    stop = threading.Event()
    running = threading.Event()
    longest = 0.0

    def ticker() -> None:
        nonlocal longest
        last = time.perf_counter()
        running.set()
        while not stop.is_set():
            now = time.perf_counter()
            longest = max(longest, now - last)
            last = now

    thread = threading.Thread(target=ticker)
    thread.start()
    running.wait()
    time.sleep(0.02)
    longest = 0.0
    start = time.perf_counter()
    call()
    duration = time.perf_counter() - start
    stop.set()
    thread.join()
    return longest, duration


@pytest.fixture(scope="module")
def slow_n() -> int:
    """An n for which run(n) takes about 0.2 s with this machine and build."""
    # Each step of n multiplies the naive recursion's work by the golden ratio.
    start = time.perf_counter()
    run(25)
    seconds = max(time.perf_counter() - start, 1e-6)
    n = 25 + max(0, math.ceil(math.log(0.2 / seconds, (1 + 5**0.5) / 2)))
    return min(n, 45)


def test_run_detached_agrees_with_run() -> None:
    assert [run_detached(n) for n in range(25)] == [run(n) for n in range(25)]


def test_run_detached_checks_n_like_run() -> None:
    with pytest.raises(ValueError):
        run_detached(-1)
    with pytest.raises(OverflowError):
        run_detached(94)


@pytest.mark.skipif(not GIL_ENABLED, reason="free-threaded: there is no GIL")
def test_run_holds_the_gil(slow_n: int) -> None:
    pause, duration = longest_pause_during(lambda: run(slow_n))
    # The background thread could not run during the call.
    assert pause > 0.5 * duration, f"{pause:.3f} s pause in a {duration:.3f} s call"


def test_run_detached_releases_the_gil(slow_n: int) -> None:
    pause, duration = longest_pause_during(lambda: run_detached(slow_n))
    # The background thread kept running during the call.
    assert pause < 0.25 * duration, f"{pause:.3f} s pause in a {duration:.3f} s call"


def test_double_list_writes_the_doubled_numbers_into_its_slot() -> None:
    result: list[list[int]] = [[], [], []]
    double_list([1, -2, 3], result, 2, hold_seconds=0)
    assert result == [[], [], [2, -4, 6]]


def test_double_list_refuses_an_overflowing_number() -> None:
    with pytest.raises(OverflowError):
        double_list([2**62], [[]], 0, hold_seconds=0)


@pytest.mark.parametrize("hold_seconds", [-1.0, float("nan"), float("inf")])
def test_double_list_refuses_a_bad_hold_time(hold_seconds: float) -> None:
    with pytest.raises(ValueError, match="hold_seconds"):
        double_list([1], [[]], 0, hold_seconds=hold_seconds)


def test_gil_demo_prints_in_the_courses_order() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "gil_demo.py")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[:7] == [
        "Py: Enter double_list_py...",
        "Rust: Enter double_list...",
        "Rust: Acquire GIL...",
        "Rust: Exit...",
        "Py: Exit...",
        "Py: [2, 4, 6]",
        "Rust: [2, 4, 6]",
    ]


def test_gil_parallel_measures_all_three_variants() -> None:
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "gil_parallel.py"),
            *("--threads", "2", "--n", "15", "--seconds", "0.02", "--repeat", "1"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    rows = [line for line in done.stdout.splitlines() if line.endswith("x")]
    assert [row.split("(")[-1].split(")")[0] for row in rows] == [
        "run",
        "run_detached",
        "pyrun",
    ]
