"""Python vs Rust: the same naive Fibonacci in both languages, timed side by side.

    pipenv run python main.py                              # fib(35)
    pipenv run python main.py 32 --plot charts/speed.png   # and a chart of every n

Build the module first: `pipenv run maturin develop --uv` (debug: fast to compile) or
`pipenv run maturin develop --uv --release` (optimised: the numbers worth comparing).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

import charts

from my_rust_ext import (
    DEBUG_BUILD,
    MAX_N,
    run,
)


def pyrun(n: int) -> int:
    """fib(n) by the naive recursion: the same algorithm as `run` in src/lib.rs."""
    if n < 2:
        return n

    return pyrun(n - 1) + pyrun(n - 2)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    python = charts.interpreter()
    build = "debug" if DEBUG_BUILD else "release"

    py_seconds, py_result = best_time(pyrun, args.n, args.repeat)
    print(f"python ({python}): {py_seconds:.4f} s, result: {py_result}")
    rs_seconds, rs_result = best_time(run, args.n, args.repeat)
    print(f"rust ({build} build): {rs_seconds:.4f} s, result: {rs_result}")
    if py_result != rs_result:
        raise SystemExit(f"python {py_result} != rust {rs_result}")

    ratio = py_seconds / max(rs_seconds, 1e-9)
    best_of = args.repeat
    if ratio >= 1:
        print(f"Rust is {ratio:.1f}x faster (the best of {best_of} runs of each)")
    else:
        print(f"Python is {1 / ratio:.1f}x faster (the best of {best_of} runs of each)")
    if DEBUG_BUILD:
        print(
            "note: this is an unoptimised debug build; "
            "run `pipenv run maturin develop --uv --release` and try again."
        )

    if args.plot:
        plot_from = charts.SPEED_CHART_FROM
        rows = [
            (n, best_time(pyrun, n, args.repeat)[0], best_time(run, n, args.repeat)[0])
            for n in range(plot_from, args.n)
        ]
        rows.append((args.n, py_seconds, rs_seconds))  # timed above
        charts.speed_chart(rows, DEBUG_BUILD, args.plot)


def best_time(func: Callable[[int], int], n: int, repeat: int) -> tuple[float, int]:
    """The fastest of `repeat` timed calls of func(n), and its result.

    The fastest run is the one least disturbed by the rest of the machine. The
    course's `time.time()` is a wall clock; `time.perf_counter()` is made for timing.
    """
    best = float("inf")
    result = 0
    for _ in range(repeat):
        start = time.perf_counter()
        result = func(n)
        best = min(best, time.perf_counter() - start)
    return best, result


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line, with bad values refused before any timing."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add = parser.add_argument
    add("n", nargs="?", type=int, default=35, help="the n of fib(n) (default: 35)")
    add("--repeat", type=int, default=3, help="runs of each; the fastest counts")
    add("--plot", metavar="PNG", type=Path, help="save a chart of the time of every n")
    args = parser.parse_args(argv)
    if not 0 <= args.n <= MAX_N:
        parser.error(f"n must be between 0 and {MAX_N}")
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if args.plot and args.n < charts.SPEED_CHART_FROM:
        parser.error(f"--plot needs n to be {charts.SPEED_CHART_FROM} or more")
    if args.plot and not charts.have_matplotlib():
        parser.error(charts.NO_MATPLOTLIB)
    return args


if __name__ == "__main__":
    main()
