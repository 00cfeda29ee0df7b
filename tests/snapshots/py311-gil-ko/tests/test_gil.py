"""The GIL demo's claims, proven: which functions release the GIL and which hold it,
the order of gil_demo.py's two acts, and the scripts' runs.

Whether a call releases the GIL is measured without a timing threshold that a busy
machine could break: a background Python thread records the longest pause between its
loop iterations. While a call holds the GIL, that thread cannot run at all, so its
longest pause spans the whole call. While a call has released the GIL, the thread
keeps running, and its longest pause stays a small part of the call (a few percent,
measured with every core busy).
"""

from __future__ import annotations

import math
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import gil_demo
import gil_parallel

from gil import (
    double_list,
    double_list_detached,
    run,
    run_detached,
)

ROOT = Path(__file__).resolve().parent.parent

needs_the_gil = pytest.mark.skipif(
    not gil_demo.gil_enabled(),
    reason="free-threaded Python has no GIL that a call could hold",
)
# For pytest-run-parallel (`pipenv run check --parallel-threads N`), which otherwise runs
# each test in N threads at once.
measures_the_gil = pytest.mark.thread_unsafe(
    reason="times a background thread's pauses, which other threads' calls would skew",
)

# gil_parallel.py on a little work: quick, yet every variant measured.
TINY_RUN = ["--threads", "2", "--n", "12", "--seconds", "0.01", "--repeat", "1"]

ACT_1 = [
    "Py: Enter double_list_py...",
    "Rust: Enter double_list...",
    "Rust: Acquire GIL...",
    "Rust: Exit...",
    "Py: Exit...",
    "Py: [2, 4, 6]",
    "Rust: [2, 4, 6]",
]
ACT_2 = [
    "Py: Enter double_list_py...",
    "Rust: Enter double_list_detached...",
    "Rust: Release GIL...",
    "Py: Exit...",
    "Rust: Acquire GIL...",
    "Rust: Exit...",
    "Py: [2, 4, 6]",
    "Rust: [2, 4, 6]",
]


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
        # The pause that ends with the stop signal counts too. After a call that held
        # the GIL, this thread may run again only once the stop is set: the pause that
        # shows the hold is then this last one, wherever in the loop it began.
        longest = max(longest, time.perf_counter() - last)

    thread = threading.Thread(target=ticker)
    thread.start()
    running.wait()
    start = time.perf_counter()
    call()
    duration = time.perf_counter() - start
    stop.set()
    thread.join()
    return longest, duration


def n_taking(seconds: float) -> int:
    """An n for which run(n) takes about `seconds` with this machine and build."""
    # Each step of n multiplies the naive recursion's work by the golden ratio. The
    # fastest of five timings of run(22): one slowed down by a busy machine would make
    # n too small, and a call too short to tell holding the GIL from waiting for it.
    timings = []
    for _ in range(5):
        start = time.perf_counter()
        run(22)
        timings.append(time.perf_counter() - start)
    elapsed = max(min(timings), 1e-6)
    steps = math.ceil(math.log(seconds / elapsed, (1 + 5**0.5) / 2))
    return min(45, 22 + max(0, steps))


def assert_holds(pause: float, duration: float) -> None:
    # The background thread could not run during the call.
    assert pause > 0.5 * duration, f"{pause:.3f} s pause in a {duration:.3f} s call"


def assert_releases(pause: float, duration: float) -> None:
    # The background thread kept running during the call.
    assert pause < 0.25 * duration, f"{pause:.3f} s pause in a {duration:.3f} s call"


@needs_the_gil
@measures_the_gil
def test_run_holds_the_gil() -> None:
    n = n_taking(0.05)
    assert_holds(*longest_pause_during(lambda: run(n)))


@measures_the_gil
def test_run_detached_releases_the_gil() -> None:
    n = n_taking(0.15)
    assert_releases(*longest_pause_during(lambda: run_detached(n)))


@needs_the_gil
@measures_the_gil
def test_double_list_holds_the_gil() -> None:
    slot: list[list[int]] = [[]]
    assert_holds(*longest_pause_during(lambda: double_list([1], slot, 0, 0.05)))


@measures_the_gil
def test_double_list_detached_releases_the_gil() -> None:
    slot: list[list[int]] = [[]]
    assert_releases(
        *longest_pause_during(lambda: double_list_detached([1], slot, 0, 0.15))
    )


def test_run_detached_agrees_with_run() -> None:
    assert [run_detached(n) for n in range(25)] == [run(n) for n in range(25)]


def test_run_detached_checks_n_like_run() -> None:
    with pytest.raises(ValueError, match="n must be >= 0, got -1"):
        run_detached(-1)
    with pytest.raises(OverflowError, match="n must be <= 93"):
        run_detached(94)


@pytest.mark.parametrize("double", [double_list, double_list_detached])
def test_doubling_writes_into_its_slot(double: Callable[..., None]) -> None:
    result: list[list[int]] = [[], [], []]
    double([1, -2, 3], result, 2, 0)
    assert result == [[], [], [2, -4, 6]]


@pytest.mark.parametrize("double", [double_list, double_list_detached])
def test_doubling_refuses_an_overflowing_number(double: Callable[..., None]) -> None:
    with pytest.raises(OverflowError, match="overflows 64 bits"):
        double([2**62], [[]], 0, 0)


@pytest.mark.parametrize("double", [double_list, double_list_detached])
@pytest.mark.parametrize("seconds", [-1.0, float("nan"), float("inf")])
def test_doubling_refuses_a_bad_time(
    double: Callable[..., None], seconds: float
) -> None:
    with pytest.raises(ValueError, match="must be a finite number >= 0"):
        double([1], [[]], 0, seconds)


def act(lines: list[str], number: int) -> list[str]:
    """The Py:/Rust: lines of act `number` (1 or 2) of gil_demo.py's output."""
    acts: list[list[str]] = []
    for line in lines:
        if not line.startswith(("Py: ", "Rust: ")):
            continue
        if line.startswith("Py: Enter"):
            acts.append([])
        acts[-1].append(line)
    return acts[number - 1]


def gil_demo_lines(capfd: pytest.CaptureFixture[str]) -> list[str]:
    """What gil_demo.py prints, Rust's lines included (they go straight to fd 1)."""
    gil_demo.main(["--seconds", "0.05"])
    return capfd.readouterr().out.splitlines()


@needs_the_gil
def test_gil_demo_act_1_prints_in_the_courses_order(
    capfd: pytest.CaptureFixture[str],
) -> None:
    assert act(gil_demo_lines(capfd), 1) == ACT_1


def test_gil_demo_act_2_finishes_python_during_rusts_work(
    capfd: pytest.CaptureFixture[str],
) -> None:
    assert act(gil_demo_lines(capfd), 2) == ACT_2


def test_gil_demo_ends_when_its_output_is_closed() -> None:
    """Piped into `head`, which closes the pipe: the demo ends, nobody waits forever."""
    # The `with` closes stderr too: an unclosed pipe is a ResourceWarning, an error here.
    # Bytes, not text: the demo's output is decoded by nobody here.
    with subprocess.Popen(
        [sys.executable, str(ROOT / "gil_demo.py"), "--seconds", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as demo:
        assert demo.stdout is not None
        assert demo.stderr is not None
        demo.stdout.readline()
        demo.stdout.close()
        assert demo.wait(timeout=30) == 0, demo.stderr.read().decode(errors="replace")


def test_gil_demo_refuses_a_negative_time() -> None:
    with pytest.raises(SystemExit) as refused:
        gil_demo.main(["--seconds", "-1"])
    assert refused.value.code == 2


def test_gil_parallel_measures_all_three_variants(
    capsys: pytest.CaptureFixture[str],
) -> None:
    gil_parallel.main(TINY_RUN)
    rows = [line for line in capsys.readouterr().out.splitlines() if line.endswith("x")]
    assert [row.split("(")[-1].split(")")[0] for row in rows] == [
        "run",
        "run_detached",
        "pyrun",
    ]


def test_scripts_explain_free_threaded_python(
    monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    """Their free-threaded paths, taken by making the GIL check say "disabled"."""
    monkeypatch.setattr(sys, "_is_gil_enabled", lambda: False, raising=False)
    gil_parallel.main(TINY_RUN)
    gil_demo.main(["--seconds", "0"])
    printed = capfd.readouterr().out
    assert "프리스레드 (GIL 꺼짐)" in printed
    assert "세 방식 모두 병렬로 실행됩니다" in printed
    assert gil_demo.FREE_THREADED in printed
    assert gil_demo.EXPLAIN_1 not in printed
    # Act 2's order is set by its events, with or without a GIL.
    assert act(printed.splitlines(), 2) == ACT_2
