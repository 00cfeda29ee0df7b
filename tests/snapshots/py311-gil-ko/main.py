"""파이썬 대 러스트: 같은 단순 재귀 피보나치를 두 언어로 실행해 시간을 비교합니다.

    pipenv run python main.py                              # fib(35)
    pipenv run python main.py 32 --plot charts/speed.png   # n마다 잰 시간의 그래프도

먼저 모듈을 빌드하세요: `pipenv run maturin develop --uv`(디버그 빌드: 빨리 컴파일됨)나
`pipenv run maturin develop --uv --release`(최적화 빌드: 비교할 만한 숫자).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

import charts
from tools.console import utf8_output

from gil import (
    DEBUG_BUILD,
    MAX_N,
    run,
)


def pyrun(n: int) -> int:
    """단순 재귀로 fib(n)을 계산합니다: src/lib.rs의 `run`과 같은 알고리즘입니다."""
    if n < 2:
        return n

    return pyrun(n - 1) + pyrun(n - 2)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    python = charts.interpreter()
    build = "디버그" if DEBUG_BUILD else "릴리즈"

    py_seconds, py_result = best_time(pyrun, args.n, args.repeat)
    print(f"python ({python}): {py_seconds:.4f}초, result: {py_result}")
    rs_seconds, rs_result = best_time(run, args.n, args.repeat)
    print(f"rust ({build} 빌드): {rs_seconds:.4f}초, result: {rs_result}")
    if py_result != rs_result:
        raise SystemExit(f"python {py_result} != rust {rs_result}")

    ratio = py_seconds / max(rs_seconds, 1e-9)
    best_of = args.repeat
    if ratio >= 1:
        print(f"러스트가 {ratio:.1f}배 빠릅니다 (각각 {best_of}번 중 최고 기록)")
    else:
        print(f"파이썬이 {1 / ratio:.1f}배 빠릅니다 (각각 {best_of}번 중 최고 기록)")
    if DEBUG_BUILD:
        print(
            "참고: 최적화하지 않은 디버그 빌드입니다. "
            "`pipenv run maturin develop --uv --release` 후 다시 실행해 보세요."
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
    """func(n)을 `repeat`번 잰 시간 중 가장 빠른 것과 그 결과.

    가장 빠른 실행이 컴퓨터의 다른 일에 가장 덜 방해받은 실행입니다. 강의의
    `time.time()`은 벽시계이고, `time.perf_counter()`가 시간을 재는 데 맞는 시계입니다.
    """
    best = float("inf")
    result = 0
    for _ in range(repeat):
        start = time.perf_counter()
        result = func(n)
        best = min(best, time.perf_counter() - start)
    return best, result


def parse_args(argv: list[str] | None) -> argparse.Namespace:
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
    if args.plot and not charts.have_matplotlib():
        parser.error(charts.NO_MATPLOTLIB)
    return args


if __name__ == "__main__":
    utf8_output()
    main()
