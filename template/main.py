"""Python vs Rust: the same naive Fibonacci in both languages, timed side by side.

    pipenv run python main.py          # fib(35)
    pipenv run python main.py 32 --repeat 5

Build the module first with `pipenv run maturin develop` (debug: fast to compile) or
`pipenv run maturin develop --release` (optimised: the numbers worth comparing).
"""

from __future__ import annotations

import argparse
import time
from typing import Callable

from {{module_name}} import (
    DEBUG_BUILD,
    MAX_N,
    run,
)

{% if lang == "ko" -%}
TEXT = {
    "description": "같은 피보나치 재귀 함수를 파이썬과 러스트로 실행해 시간을 비교합니다.",
    "n": "계산할 피보나치 수의 n (기본값: %(default)s)",
    "repeat": "각각 몇 번 실행해서 가장 빠른 시간을 쓸지 (기본값: %(default)s)",
    "range": "n은 0 이상 {max_n} 이하여야 합니다",
    "repeat_min": "--repeat는 1 이상이어야 합니다",
    "python": "python: {seconds:.4f}초 ({repeat}번 중 최고), result: {result}",
    "rust": "rust ({build} 빌드): {seconds:.4f}초 ({repeat}번 중 최고), result: {result}",
    "debug": "디버그",
    "release": "릴리즈",
    "speedup": "러스트가 {ratio:.1f}배 빠릅니다",
    "hint": (
        "참고: 최적화하지 않은 디버그 빌드입니다. "
        "`pipenv run maturin develop --release` 후 다시 실행해 보세요."
    ),
}
{%- else -%}
TEXT = {
    "description": "Times the same naive Fibonacci recursion in Python and in Rust.",
    "n": "which Fibonacci number to compute (default: %(default)s)",
    "repeat": "runs of each, of which the fastest counts (default: %(default)s)",
    "range": "n must be between 0 and {max_n}",
    "repeat_min": "--repeat must be at least 1",
    "python": "python: {seconds:.4f} s (best of {repeat}), result: {result}",
    "rust": "rust ({build} build): {seconds:.4f} s (best of {repeat}), result: {result}",
    "debug": "debug",
    "release": "release",
    "speedup": "Rust is {ratio:.1f}x faster",
    "hint": (
        "note: this is an unoptimised debug build; "
        "run `pipenv run maturin develop --release` and try again."
    ),
}
{%- endif %}


def pyrun(n: int) -> int:
    """fib(n) by the naive recursion: the same algorithm as `run` in src/lib.rs."""
    if n < 2:
        return n

    return pyrun(n - 1) + pyrun(n - 2)


def best_time(func: Callable[[int], int], n: int, repeat: int) -> tuple[float, int]:
    """The fastest of `repeat` timed calls of func(n), and its result.

    The fastest run is the one least disturbed by the rest of the machine.
    """
    best = float("inf")
    result = 0
    for _ in range(repeat):
        start = time.perf_counter()
        result = func(n)
        best = min(best, time.perf_counter() - start)
    return best, result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=TEXT["description"])
    parser.add_argument("n", nargs="?", type=int, default=35, help=TEXT["n"])
    parser.add_argument("--repeat", type=int, default=3, help=TEXT["repeat"])
    args = parser.parse_args(argv)
    if not 0 <= args.n <= MAX_N:
        parser.error(TEXT["range"].format(max_n=MAX_N))
    if args.repeat < 1:
        parser.error(TEXT["repeat_min"])

    py_seconds, py_result = best_time(pyrun, args.n, args.repeat)
    repeat = args.repeat
    print(TEXT["python"].format(seconds=py_seconds, repeat=repeat, result=py_result))

    build = TEXT["debug"] if DEBUG_BUILD else TEXT["release"]
    rs_seconds, rs_result = best_time(run, args.n, repeat)
    rust = TEXT["rust"].format(
        build=build, seconds=rs_seconds, repeat=repeat, result=rs_result
    )
    print(rust)

    if py_result != rs_result:
        raise SystemExit(f"results differ: python {py_result}, rust {rs_result}")
    print(TEXT["speedup"].format(ratio=py_seconds / max(rs_seconds, 1e-9)))
    if DEBUG_BUILD:
        print(TEXT["hint"])


if __name__ == "__main__":
    main()
