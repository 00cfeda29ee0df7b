"""Past the GIL: the same CPU-bound work split over K threads, three ways.

    pipenv run python gil_parallel.py                 # K = number of cores
    pipenv run python gil_parallel.py --threads 4 --n 32

1. Rust holding the GIL (`run`): the threads take turns, so no speedup.
2. Rust with the GIL released (`run_detached`, `py.detach`): the threads run at the
   same time on different cores, up to K times faster.
3. Pure Python (`pyrun`): the threads take turns on the GIL, so no speedup.

Speedup = time for all the work in one thread / time for the same work split over K
threads. Each figure is the best of --repeat runs. On a free-threaded interpreter
(python3.14t and later) there is no GIL to take turns on, and all three can speed up.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import threading
import time
import unicodedata
from typing import Callable

from main import pyrun  # the pure-Python twin of `run`, as main.py times it
from {{module_name}} import (
    DEBUG_BUILD,
    run,
    run_detached,
)

{% if lang == "ko" -%}
TEXT = {
    "description": "같은 CPU 작업을 스레드 K개로 나눠 세 가지 방식으로 실행합니다.",
    "threads": "스레드 수 K (기본값: 코어 수, 여기서는 %(default)s)",
    "n": "한 번의 호출이 계산할 fib(n)의 n (기본값: %(default)s)",
    "seconds": "스레드 하나로 돌릴 때 걸릴 작업량, 초 단위 (기본값: %(default)s)",
    "repeat": "각 측정을 몇 번 반복해 가장 빠른 값을 쓸지 (기본값: %(default)s)",
    "positive": "{name}은(는) 양수여야 합니다",
    "header": "작업: fib({n}) 호출 여러 번을 스레드 {threads}개로 나눔, {repeat}번 중 최고 기록",
    "python": "파이썬 {version}, {gil}, 러스트 {build} 빌드",
    "gil_on": "GIL 켜짐",
    "gil_off": "프리스레드 (GIL 꺼짐)",
    "debug": "디버그",
    "release": "릴리즈",
    "columns": ("방식", "호출 수", "스레드 1개", "스레드 {threads}개", "속도 향상"),
    "rust_held": "러스트, GIL 유지 (run)",
    "rust_detached": "러스트, GIL 해제 (run_detached)",
    "pure_python": "순수 파이썬 (pyrun)",
    "free_threaded_note": (
        "이 인터프리터에는 GIL이 없어서 세 방식 모두 병렬로 실행될 수 있습니다."
    ),
    "gil_note": (
        "GIL을 해제한 러스트만 코어 수만큼 빨라지고, "
        "GIL을 쥔 러스트와 순수 파이썬은 차례로 실행됩니다."
    ),
}
{%- else -%}
TEXT = {
    "description": "Runs the same CPU-bound work split over K threads, three ways.",
    "threads": "number of threads K (default: the number of cores, here %(default)s)",
    "n": "each call computes fib(n) (default: %(default)s)",
    "seconds": "amount of work, as seconds in one thread (default: %(default)s)",
    "repeat": "runs of each measurement, of which the fastest counts (default: %(default)s)",
    "positive": "{name} must be positive",
    "header": "work: calls of fib({n}) split over {threads} threads, best of {repeat}",
    "python": "Python {version}, {gil}, Rust {build} build",
    "gil_on": "GIL enabled",
    "gil_off": "free-threaded (GIL disabled)",
    "debug": "debug",
    "release": "release",
    "columns": ("variant", "calls", "1 thread", "{threads} threads", "speedup"),
    "rust_held": "Rust, holding the GIL (run)",
    "rust_detached": "Rust, GIL released (run_detached)",
    "pure_python": "pure Python (pyrun)",
    "free_threaded_note": (
        "This interpreter has no GIL, so all three variants can run in parallel."
    ),
    "gil_note": (
        "Only Rust with the GIL released scales with the threads; "
        "Rust holding the GIL and pure Python take turns."
    ),
}
{%- endif %}


def gil_enabled() -> bool:
    """False on a free-threaded interpreter running without the GIL."""
    # sys._is_gil_enabled() exists from Python 3.13 on; older versions always have a GIL.
    is_gil_enabled = getattr(sys, "_is_gil_enabled", None)
    return True if is_gil_enabled is None else bool(is_gil_enabled())


def cpu_count() -> int:
    """The cores this process may use."""
    # os.process_cpu_count() (3.13+) respects CPU affinity; os.cpu_count() does not.
    count = getattr(os, "process_cpu_count", os.cpu_count)()
    return count or 1


def wall_time(func: Callable[[int], int], n: int, calls: int, threads: int) -> float:
    """Seconds for `calls` calls of func(n) split evenly over `threads` threads."""
    per_thread = calls // threads
    start_line = threading.Barrier(threads + 1)

    def worker() -> None:
        start_line.wait()
        for _ in range(per_thread):
            func(n)

    workers = [threading.Thread(target=worker) for _ in range(threads)]
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


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=TEXT["description"])
    add = parser.add_argument
    add("--threads", type=int, default=cpu_count(), help=TEXT["threads"])
    add("--n", type=int, default=30, help=TEXT["n"])
    add("--seconds", type=float, default=0.5, help=TEXT["seconds"])
    add("--repeat", type=int, default=3, help=TEXT["repeat"])
    args = parser.parse_args(argv)
    for name in ("threads", "n", "seconds", "repeat"):
        if getattr(args, name) <= 0:
            parser.error(TEXT["positive"].format(name="--" + name))

    variants = [
        (TEXT["rust_held"], run),
        (TEXT["rust_detached"], run_detached),
        (TEXT["pure_python"], pyrun),
    ]
    gil = TEXT["gil_on"] if gil_enabled() else TEXT["gil_off"]
    build = TEXT["debug"] if DEBUG_BUILD else TEXT["release"]
    print(TEXT["header"].format(n=args.n, threads=args.threads, repeat=args.repeat))
    version = platform.python_version()
    print(TEXT["python"].format(version=version, gil=gil, build=build))
    print()
    columns = [c.format(threads=args.threads) for c in TEXT["columns"]]
    print(row(*columns))
    for label, func in variants:
        calls = calls_for(func, args.n, args.threads, args.seconds)
        one = best_wall_time(func, args.n, calls, 1, args.repeat)
        many = best_wall_time(func, args.n, calls, args.threads, args.repeat)
        speedup = f"{one / many:.2f}x"
        print(row(label, str(calls), f"{one:.3f} s", f"{many:.3f} s", speedup))
    print()
    print(TEXT["gil_note"] if gil_enabled() else TEXT["free_threaded_note"])


if __name__ == "__main__":
    main()
