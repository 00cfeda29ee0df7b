"""The course's GIL demo in two acts: a Python thread and a Rust function side by side.

    pipenv run python gil_demo.py
    pipenv run python gil_demo.py --seconds 3     # Rust works (or holds the GIL) longer

Act 1 is the course's run: `double_list` (src/gil_demo.rs) holds the GIL the whole time, as
the course's code did, so the Python thread can only finish after Rust has returned.
Act 2 is what releasing the GIL buys: `double_list_detached` does its work with the GIL
released, and the Python thread finishes during that work.

The order of the lines is set by synchronisation, never by sleeping: each thread waits
for an event that the other sets at the right moment. (The course's Python thread slept
0.1 s instead, which on a busy machine can let Rust print first.)
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
from collections.abc import Callable

from fib_demo import (
    double_list,
    double_list_detached,
)


def double_list_py(
    numbers: list[int],
    result: list[list[int]],
    idx: int,
    entered: threading.Event,
    go_on: threading.Event,
    done: threading.Event | None = None,
) -> None:
    """The course's Python thread: doubles `numbers` into `result[idx]`.

    It says it has entered, waits for `go_on` (which Rust sets), and says when it is
    done. Waiting for an event, like the course's sleep, lets go of the GIL.
    """
    try:
        say("Py: Enter double_list_py...")
        entered.set()
        go_on.wait()
        result[idx] = [x * 2 for x in numbers]
        say("Py: Exit...")
    finally:
        # Even if this thread fails, nobody may wait for it forever.
        entered.set()
        if done is not None:
            done.set()


def act_1(seconds: float) -> list[list[int]]:
    """The course's run: Rust holds the GIL from start to end."""
    result: list[list[int]] = [[], []]
    nums = [1, 2, 3]
    entered = threading.Event()
    rust_holds_gil = threading.Event()

    t1 = threading.Thread(
        target=double_list_py, args=(nums, result, 0, entered, rust_holds_gil)
    )
    # Rust sets `rust_holds_gil` once it holds the GIL: the Python thread wakes up,
    # but cannot run Python code until Rust lets go of the GIL.
    t2 = rust_thread(
        lambda: double_list(nums, result, 1, seconds, rust_holds_gil.set),
        rust_holds_gil,
    )
    side_by_side(t1, entered, t2)
    return result


def act_2(seconds: float) -> list[list[int]]:
    """The same threads, with Rust's work done with the GIL released."""
    result: list[list[int]] = [[], []]
    nums = [1, 2, 3]
    entered = threading.Event()
    rust_released_gil = threading.Event()
    python_done = threading.Event()

    t1 = threading.Thread(
        target=double_list_py,
        args=(nums, result, 0, entered, rust_released_gil, python_done),
    )
    # Rust sets `rust_released_gil` just before it lets go of the GIL, and waits for
    # `python_done` before it takes the GIL back.
    t2 = rust_thread(
        lambda: double_list_detached(
            nums, result, 1, seconds, rust_released_gil.set, python_done
        ),
        rust_released_gil,
    )
    side_by_side(t1, entered, t2)
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--seconds",
        type=float,
        default=1.0,
        help="how long Rust holds the GIL (act 1) or works without it (act 2), "
        "in seconds (default: %(default)s)",
    )
    args = parser.parse_args(argv)
    if not args.seconds >= 0:
        parser.error("--seconds must be 0 or more")

    # Without a GIL (free-threaded Python) act 1 has nothing to wait for; act 2's
    # order is set by its events either way.
    for title, run_act, explanation in [
        (ACT_1, act_1, EXPLAIN_1 if gil_enabled() else FREE_THREADED),
        (ACT_2, act_2, EXPLAIN_2),
    ]:
        say(title)
        result = run_act(args.seconds)
        say(f"Py: {result[0]}")
        say(f"Rust: {result[1]}")
        say("")
        say(explanation)
        say("")


ACT_1 = "Act 1, the course's run: Rust holds the GIL from start to end (double_list)."
ACT_2 = "Act 2: Rust does its work with the GIL released (double_list_detached)."
EXPLAIN_1 = (
    "While Rust holds the GIL, the Python thread waits: "
    "'Py: Exit...' only comes after Rust has returned."
)
EXPLAIN_2 = (
    "While Rust works with the GIL released, the Python thread runs: "
    "'Py: Exit...' comes before Rust's work is over."
)
FREE_THREADED = (
    "This interpreter runs without a GIL (free-threaded): even in act 1 the Python "
    "thread does not wait, so where 'Py: Exit...' lands varies from run to run."
)


def rust_thread(
    double: Callable[[], None], python_waits_for: threading.Event
) -> threading.Thread:
    """A thread for Rust's side: it calls `double()`, then sets the event the Python
    thread waits for, in case Rust failed before it could."""

    def run() -> None:
        try:
            double()
        finally:
            python_waits_for.set()

    return threading.Thread(target=run)


def side_by_side(
    python_thread: threading.Thread,
    entered: threading.Event,
    rust_thread: threading.Thread,
) -> None:
    """Starts the Python thread, then, once it has entered, the Rust one; waits for both.

    (The course started both at once: then Rust may print first.)
    """
    python_thread.start()
    entered.wait()
    rust_thread.start()
    python_thread.join()
    rust_thread.join()


def gil_enabled() -> bool:
    """False on a free-threaded interpreter running without the GIL."""
    # sys._is_gil_enabled() exists from Python 3.13 on; older versions always have a GIL.
    is_gil_enabled = getattr(sys, "_is_gil_enabled", None)
    return True if is_gil_enabled is None else bool(is_gil_enabled())


def say(line: str) -> None:
    """Prints a line in a single write, so the Rust thread's lines cannot cut into it.

    (print() writes the text and the newline separately, and another thread may
    print in between.) When stdout has been closed (say, piped into `head`), the demo
    goes on without printing, as Rust's side does.
    """
    try:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()
    except BrokenPipeError:
        # Nothing more can be shown: send what is left to nowhere, quietly.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


if __name__ == "__main__":
    main()
