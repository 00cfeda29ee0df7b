{% if lang_ko -%}
"""파이썬 대 러스트: 같은 단순 재귀 피보나치를 두 언어로 실행해 시간을 비교합니다.

    pipenv run python main.py                              # fib(35)
    pipenv run python main.py 32 --plot charts/speed.png   # n마다 잰 시간의 그래프도

먼저 모듈을 빌드하세요: `pipenv run maturin develop --uv`(디버그 빌드: 빨리 컴파일됨)나
`pipenv run maturin develop --uv --release`(최적화 빌드: 비교할 만한 숫자).
"""
{%- else -%}
"""Python vs Rust: the same naive Fibonacci in both languages, timed side by side.

    pipenv run python main.py                              # fib(35)
    pipenv run python main.py 32 --plot charts/speed.png   # and a chart of every n

Build the module first: `pipenv run maturin develop --uv` (debug: fast to compile) or
`pipenv run maturin develop --uv --release` (optimised: the numbers worth comparing).
"""
{%- endif %}

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

import charts
{%- if lang_ko %}
from tools.console import utf8_output
{%- endif %}

from {{module_name}} import (
    DEBUG_BUILD,
    MAX_N,
    run,
)


def pyrun(n: int) -> int:
    {% if lang_ko -%}
    """단순 재귀로 fib(n)을 계산합니다: src/lib.rs의 `run`과 같은 알고리즘입니다."""
    {%- else -%}
    """fib(n) by the naive recursion: the same algorithm as `run` in src/lib.rs."""
    {%- endif %}
    if n < 2:
        return n

    return pyrun(n - 1) + pyrun(n - 2)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    python = charts.interpreter()
    build = "{% if lang_ko %}디버그{% else %}debug{% endif %}" if DEBUG_BUILD else "{% if lang_ko %}릴리즈{% else %}release{% endif %}"

    py_seconds, py_result = best_time(pyrun, args.n, args.repeat)
{%- if lang_ko %}
    print(f"python ({python}): {py_seconds:.4f}초, result: {py_result}")
{%- else %}
    print(f"python ({python}): {py_seconds:.4f} s, result: {py_result}")
{%- endif %}
    rs_seconds, rs_result = best_time(run, args.n, args.repeat)
{%- if lang_ko %}
    print(f"rust ({build} 빌드): {rs_seconds:.4f}초, result: {rs_result}")
{%- else %}
    print(f"rust ({build} build): {rs_seconds:.4f} s, result: {rs_result}")
{%- endif %}
    if py_result != rs_result:
        raise SystemExit(f"python {py_result} != rust {rs_result}")

    ratio = py_seconds / max(rs_seconds, 1e-9)
    best_of = args.repeat
{%- if lang_ko %}
    if ratio >= 1:
        print(f"러스트가 {ratio:.1f}배 빠릅니다 (각각 {best_of}번 중 최고 기록)")
    else:
        print(f"파이썬이 {1 / ratio:.1f}배 빠릅니다 (각각 {best_of}번 중 최고 기록)")
    if DEBUG_BUILD:
        print(
            "참고: 최적화하지 않은 디버그 빌드입니다. "
            "`pipenv run maturin develop --uv --release` 후 다시 실행해 보세요."
        )
{%- else %}
    if ratio >= 1:
        print(f"Rust is {ratio:.1f}x faster (the best of {best_of} runs of each)")
    else:
        print(f"Python is {1 / ratio:.1f}x faster (the best of {best_of} runs of each)")
    if DEBUG_BUILD:
        print(
            "note: this is an unoptimised debug build; "
            "run `pipenv run maturin develop --uv --release` and try again."
        )
{%- endif %}

    if args.plot:
        plot_from = charts.SPEED_CHART_FROM
        rows = [
            (n, best_time(pyrun, n, args.repeat)[0], best_time(run, n, args.repeat)[0])
            for n in range(plot_from, args.n)
        ]
        rows.append((args.n, py_seconds, rs_seconds))  # timed above
        charts.speed_chart(rows, DEBUG_BUILD, args.plot)


def best_time(func: Callable[[int], int], n: int, repeat: int) -> tuple[float, int]:
    {% if lang_ko -%}
    """func(n)을 `repeat`번 잰 시간 중 가장 빠른 것과 그 결과.

    가장 빠른 실행이 컴퓨터의 다른 일에 가장 덜 방해받은 실행입니다. 강의의
    `time.time()`은 벽시계이고, `time.perf_counter()`가 시간을 재는 데 맞는 시계입니다.
    """
    {%- else -%}
    """The fastest of `repeat` timed calls of func(n), and its result.

    The fastest run is the one least disturbed by the rest of the machine. The
    course's `time.time()` is a wall clock; `time.perf_counter()` is made for timing.
    """
    {%- endif %}
    best = float("inf")
    result = 0
    for _ in range(repeat):
        start = time.perf_counter()
        result = func(n)
        best = min(best, time.perf_counter() - start)
    return best, result


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    {% if lang_ko -%}
    """명령줄 인자. 잘못된 값은 시간을 재기 전에 거절합니다."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add = parser.add_argument
    add("n", nargs="?", type=int, default=35, help="fib(n)의 n (기본값: %(default)s)")
    add("--repeat", type=int, default=3, help="각각 몇 번 재서 가장 빠른 것을 쓸지")
    add("--plot", metavar="PNG", type=Path, help="n마다 잰 시간의 그래프를 PNG로 저장")
    args = parser.parse_args(argv)
    if not 0 <= args.n <= MAX_N:
        parser.error(f"n은 0 이상 {MAX_N} 이하여야 합니다")
    if args.repeat < 1:
        parser.error("--repeat는 1 이상이어야 합니다")
    if args.plot and args.n < charts.SPEED_CHART_FROM:
        parser.error(f"--plot에는 n이 {charts.SPEED_CHART_FROM} 이상이어야 합니다")
    {%- else -%}
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
    {%- endif %}
    if args.plot and not charts.have_matplotlib():
        parser.error(charts.NO_MATPLOTLIB)
    return args


if __name__ == "__main__":
{%- if lang_ko %}
    utf8_output()
{%- endif %}
    main()
