"""Past the GIL: the same CPU-bound work split over K threads, three ways.

    pipenv run python gil_parallel.py                     # K = number of cores
    pipenv run python gil_parallel.py --threads 4 --n 32
    pipenv run python gil_parallel.py --plot threads.png  # speedup for 1 to K threads

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
import platform
import threading
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gil_demo import gil_enabled
from main import (  # the pure-Python twin of `run`, and main.py's chart helpers
    chart_text,
    load_pyplot,
    new_chart,
    pyrun,
    save_chart,
)

from fib_demo import (
    DEBUG_BUILD,
    run,
    run_detached,
)

# The chart's labels in English: the chart of an English project, and the fallback
# where no installed font can draw the chosen language.
CHART_EN = {
    "title": "The same work on 1 to {threads} threads: Python {python} ({gil}), "
    "Rust {build} build",
    "threads": "threads",
    "speedup": "speedup over 1 thread",
    "ideal": "ideal",
}

TEXT = {
    "description": "Runs the same CPU-bound work split over K threads, three ways.",
    "threads": "number of threads K (default: the number of cores, here %(default)s)",
    "n": "each call computes fib(n) (default: %(default)s)",
    "seconds": "amount of work, as seconds in one thread (default: %(default)s)",
    "repeat": "runs of each measurement, of which the fastest counts (default: %(default)s)",
    "plot": "also measure 1 to K threads and save a chart of the speedups as a PNG file",
    "positive": "{name} must be positive",
    "header": "work: calls of fib({n}) split over {threads} threads, best of {repeat}",
    "python": "Python {version}, {gil}, Rust {build} build",
    "gil_on": "GIL enabled",
    "gil_off": "free-threaded (GIL disabled)",
    "debug": "debug",
    "release": "release",
    "rust_held": "Rust, holding the GIL (run)",
    "rust_detached": "Rust, GIL released (run_detached)",
    "pure_python": "pure Python (pyrun)",
    "free_threaded_note": (
        "This interpreter has no GIL, so all three variants run in parallel: "
        "even pure Python gets faster with more threads."
    ),
    "gil_note": (
        "Only Rust with the GIL released scales with the threads; "
        "Rust holding the GIL and pure Python take turns."
    ),
    "plotted": "chart saved to {path}",
}
COLUMNS = ("variant", "calls", "1 thread", "{threads} threads", "speedup")
CHART = CHART_EN


def cpu_count() -> int:
    """The cores this process may use."""
    # os.process_cpu_count() (3.13+) respects CPU affinity; os.cpu_count() does not.
    count = getattr(os, "process_cpu_count", os.cpu_count)()
    return count or 1


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


def row(label: str, *cells: str) -> str:
    """A table row: the label left-aligned, the cells right-aligned, in columns."""
    return pad(label, 36) + "".join(pad(cell, 13, right=True) for cell in cells)


def pad(text: str, width: int, right: bool = False) -> str:
    """`text` padded to `width` terminal columns (wide characters, as in Korean, take 2)."""
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    fill = " " * max(0, width - used)
    return fill + text if right else text + fill


def plot_speedups(
    pyplot: Any,
    speedups: dict[str, list[float]],
    labels: dict[str, str],
    title: dict[str, str],
    path: Path,
) -> None:
    """Speedup against the number of threads, one line per variant, saved to `path`."""
    text = chart_text(pyplot, CHART, CHART_EN)
    threads = list(range(1, len(next(iter(speedups.values()))) + 1))
    figure, (axes,) = new_chart(pyplot, text["title"].format(**title), columns=1)
    # Distinct markers and lines: the two variants that take turns overlap.
    styles = {"run": "s-", "run_detached": "o-", "pyrun": "^:"}
    for name, values in speedups.items():
        axes.plot(threads, values, styles[name], label=labels[name], markersize=8)
    axes.plot(threads, threads, "k--", label=text["ideal"], alpha=0.5)
    axes.set_ylim(bottom=0)
    axes.set_xticks(threads)
    axes.set_xlabel(text["threads"])
    axes.set_ylabel(text["speedup"])
    axes.grid(True, alpha=0.3)
    axes.legend(loc="upper left")
    save_chart(pyplot, figure, path)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=TEXT["description"])
    add = parser.add_argument
    add("--threads", type=int, default=cpu_count(), help=TEXT["threads"])
    add("--n", type=int, default=30, help=TEXT["n"])
    add("--seconds", type=float, default=0.5, help=TEXT["seconds"])
    add("--repeat", type=int, default=3, help=TEXT["repeat"])
    add("--plot", metavar="PNG", type=Path, help=TEXT["plot"])
    args = parser.parse_args(argv)
    for name in ("threads", "n", "seconds", "repeat"):
        if getattr(args, name) <= 0:
            parser.error(TEXT["positive"].format(name="--" + name))
    # Before any timing: a missing matplotlib is reported at once.
    pyplot = load_pyplot(parser) if args.plot else None

    variants = {
        "run": (TEXT["rust_held"], run),
        "run_detached": (TEXT["rust_detached"], run_detached),
        "pyrun": (TEXT["pure_python"], pyrun),
    }
    gil = TEXT["gil_on"] if gil_enabled() else TEXT["gil_off"]
    build = TEXT["debug"] if DEBUG_BUILD else TEXT["release"]
    print(TEXT["header"].format(n=args.n, threads=args.threads, repeat=args.repeat))
    version = platform.python_version()
    print(TEXT["python"].format(version=version, gil=gil, build=build))
    print()
    columns = [c.format(threads=args.threads) for c in COLUMNS]
    print(row(*columns))
    # With --plot, every thread count from 1 to K; else 1 and K.
    counts = range(1, args.threads + 1) if pyplot else sorted({1, args.threads})
    speedups: dict[str, list[float]] = {}
    for name, (label, func) in variants.items():
        calls = calls_for(func, args.n, args.threads, args.seconds)
        times = [best_wall_time(func, args.n, calls, k, args.repeat) for k in counts]
        speedups[name] = [times[0] / t for t in times]
        one, many = times[0], times[-1]
        speedup = f"{one / many:.2f}x"
        print(row(label, str(calls), f"{one:.3f} s", f"{many:.3f} s", speedup))
    print()
    print(TEXT["gil_note"] if gil_enabled() else TEXT["free_threaded_note"])

    if pyplot is not None:
        labels = {name: label for name, (label, _) in variants.items()}
        title = {"threads": str(args.threads), "python": version, "gil": gil}
        title["build"] = build
        plot_speedups(pyplot, speedups, labels, title, args.plot)
        print(TEXT["plotted"].format(path=args.plot))


if __name__ == "__main__":
    main()
