"""Past the GIL: the same CPU-bound work split over K threads, three ways.

    pipenv run python gil_parallel.py                     # K = number of cores
    pipenv run python gil_parallel.py --threads 4 --n 32
    pipenv run python gil_parallel.py --plot charts/threads.png   # 1 to K threads

1. Rust holding the GIL (`run`): the threads take turns, so no speedup.
2. Rust with the GIL released (`run_detached`, `py.detach`): the threads run at the
   same time on different cores, up to K times faster.
3. Pure Python (`pyrun`): the threads take turns on the GIL, so no speedup.

Speedup = time for all the work in one thread / time for the same work split over K
threads. Each figure is the best of --repeat runs. On a free-threaded interpreter
(python3.14t and later) there is no GIL to take turns on: all three speed up, pure
Python included.
"""

from __future__ import annotations

import argparse
import os
import threading
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

import charts
from gil_demo import gil_enabled

from fib_demo import (
    DEBUG_BUILD,
    run,
    run_detached,
)


def pyrun(n: int) -> int:
    """fib(n) in pure Python: main.py's `pyrun`, repeated so that each script stands alone."""
    if n < 2:
        return n

    return pyrun(n - 1) + pyrun(n - 2)


def wall_time(func: Callable[[int], int], n: int, calls: int, threads: int) -> float:
    """Seconds for `calls` calls of func(n) split as evenly as can be over `threads`."""
    shares = [calls // threads + (i < calls % threads) for i in range(threads)]
    start_line = threading.Barrier(threads + 1)

    def worker(share: int) -> None:
        start_line.wait()
        for _ in range(share):
            func(n)

    workers = [threading.Thread(target=worker, args=(share,)) for share in shares]
    for thread in workers:
        thread.start()
    start = time.perf_counter()
    start_line.wait()
    for thread in workers:
        thread.join()
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    gil_on = gil_enabled()
    variants = {
        "run": ("Rust, holding the GIL (run)", run),
        "run_detached": ("Rust, GIL released (run_detached)", run_detached),
        "pyrun": ("pure Python (pyrun)", pyrun),
    }
    gil = "GIL enabled" if gil_on else "free-threaded (GIL disabled)"
    build = "debug" if DEBUG_BUILD else "release"
    print(
        f"work: calls of fib({args.n}) split over {args.threads} threads, "
        f"best of {args.repeat}"
    )
    print(f"{charts.interpreter()}, {gil}, Rust {build} build")
    print()
    print(row("variant", "calls", "1 thread", f"{args.threads} threads", "speedup"))
    # With --plot, every thread count from 1 to K; else 1 and K.
    counts = range(1, args.threads + 1) if args.plot else sorted({1, args.threads})
    speedups: dict[str, list[float]] = {}
    for name, (label, func) in variants.items():
        calls = calls_for(func, args.n, args.threads, args.seconds)
        times = [best_wall_time(func, args.n, calls, k, args.repeat) for k in counts]
        speedups[name] = [times[0] / t for t in times]
        one, many = times[0], times[-1]
        speedup = f"{one / many:.2f}x"
        print(row(label, str(calls), f"{one:.3f} s", f"{many:.3f} s", speedup))
    print()
    if gil_on:
        print(
            "Only Rust with the GIL released scales with the threads; "
            "Rust holding the GIL and pure Python take turns."
        )
    else:
        print(
            "This interpreter has no GIL, so all three variants run in parallel: "
            "even pure Python gets faster with more threads."
        )

    if args.plot:
        charts.threads_chart(speedups, DEBUG_BUILD, gil_on, args.plot)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line, with bad values refused before any timing."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add = parser.add_argument
    add("--threads", type=int, default=cpu_count(), help="threads K (default: cores)")
    add("--n", type=int, default=30, help="each call computes fib(n)")
    add("--seconds", type=float, default=0.5, help="work, as seconds in one thread")
    add("--repeat", type=int, default=3, help="runs of each, the fastest counts")
    add("--plot", metavar="PNG", type=Path, help="save a chart of 1 to K threads")
    args = parser.parse_args(argv)
    for name in ("threads", "n", "seconds", "repeat"):
        if getattr(args, name) <= 0:
            parser.error(f"--{name} must be positive")
    if args.plot and not charts.have_matplotlib():
        parser.error(charts.NO_MATPLOTLIB)
    return args


def best_wall_time(
    func: Callable[[int], int], n: int, calls: int, threads: int, repeat: int
) -> float:
    """The fastest of `repeat` measurements of wall_time()."""
    return min(wall_time(func, n, calls, threads) for _ in range(repeat))


def calls_for(func: Callable[[int], int], n: int, threads: int, seconds: float) -> int:
    """A number of calls, divisible by `threads`, that keeps one thread busy ~`seconds`."""
    start = time.perf_counter()
    func(n)
    one_call = max(time.perf_counter() - start, 1e-7)
    per_thread = max(1, round(seconds / one_call / threads))
    return per_thread * threads


def cpu_count() -> int:
    """The cores this process may use."""
    # os.process_cpu_count() (3.13+) respects CPU affinity; os.cpu_count() does not.
    count = getattr(os, "process_cpu_count", os.cpu_count)()
    return count or 1


def row(label: str, *cells: str) -> str:
    """A table row: the label left-aligned, the cells right-aligned, in columns."""
    return pad(label, 36) + "".join(pad(cell, 13, right=True) for cell in cells)


def pad(text: str, width: int, right: bool = False) -> str:
    """`text` padded to `width` terminal columns (wide characters, as in Korean, take 2)."""
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    fill = " " * max(0, width - used)
    return fill + text if right else text + fill


if __name__ == "__main__":
    main()
