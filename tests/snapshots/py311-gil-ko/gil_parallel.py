"""GIL 너머: 같은 CPU 작업을 스레드 K개로 나눠 세 가지 방식으로 실행합니다.

    pipenv run python gil_parallel.py                     # K = 코어 수
    pipenv run python gil_parallel.py --threads 4 --n 32
    pipenv run python gil_parallel.py --plot charts/threads.png   # 스레드 1~K개의 그래프

1. GIL을 쥔 러스트(`run`): 스레드들이 차례로 실행되므로 빨라지지 않습니다.
2. GIL을 놓은 러스트(`run_detached`, `py.detach`): 스레드들이 여러 코어에서 동시에
   실행되어 최대 K배 빨라집니다.
3. 순수 파이썬(`pyrun`): 스레드들이 GIL을 차례로 쥐므로 빨라지지 않습니다.

속도 향상 = 모든 일을 스레드 1개로 한 시간 / 같은 일을 스레드 K개로 나눈 시간. 각 숫자는
--repeat번 잰 것 중 가장 빠른 값입니다. 프리스레드 인터프리터(python3.14t 이후)에는 차례로
쥘 GIL이 없어서, 순수 파이썬까지 세 방식 모두 빨라집니다.
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
from tools.console import utf8_output

from gil import (
    DEBUG_BUILD,
    run,
    run_detached,
)


def pyrun(n: int) -> int:
    """순수 파이썬의 fib(n): main.py의 `pyrun`과 같습니다(스크립트마다 따로 읽히도록)."""
    if n < 2:
        return n

    return pyrun(n - 1) + pyrun(n - 2)


def wall_time(func: Callable[[int], int], n: int, calls: int, threads: int) -> float:
    """func(n)을 `calls`번, 스레드 `threads`개에 되도록 고르게 나눠 부르는 데 걸린 초."""
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
        "run": ("러스트, GIL 유지 (run)", run),
        "run_detached": ("러스트, GIL 해제 (run_detached)", run_detached),
        "pyrun": ("순수 파이썬 (pyrun)", pyrun),
    }
    gil = "GIL 켜짐" if gil_on else "프리스레드 (GIL 꺼짐)"
    build = "디버그" if DEBUG_BUILD else "릴리즈"
    print(
        f"작업: fib({args.n}) 호출 여러 번을 스레드 {args.threads}개로 나눔, "
        f"{args.repeat}번 중 최고 기록"
    )
    print(f"{charts.interpreter()}, {gil}, 러스트 {build} 빌드")
    print()
    print(row("방식", "호출 수", "스레드 1개", f"스레드 {args.threads}개", "속도 향상"))
    # --plot이면 스레드 1개부터 K개까지 모두, 아니면 1개와 K개만.
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
            "GIL을 해제한 러스트만 코어 수만큼 빨라지고, "
            "GIL을 쥔 러스트와 순수 파이썬은 차례로 실행됩니다."
        )
    else:
        print(
            "이 인터프리터에는 GIL이 없어서 세 방식 모두 병렬로 실행됩니다: "
            "순수 파이썬도 스레드 수만큼 빨라집니다."
        )

    if args.plot:
        charts.threads_chart(speedups, DEBUG_BUILD, gil_on, args.plot)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """명령줄 인자. 잘못된 값은 시간을 재기 전에 거절합니다."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add = parser.add_argument
    add("--threads", type=int, default=cpu_count(), help="스레드 수 K (기본: 코어 수)")
    add("--n", type=int, default=30, help="한 번의 호출이 계산할 fib(n)의 n")
    add("--seconds", type=float, default=0.5, help="스레드 1개일 때의 작업량, 초")
    add("--repeat", type=int, default=3, help="측정 횟수, 가장 빠른 값을 씀")
    add("--plot", metavar="PNG", type=Path, help="스레드 1~K개의 그래프를 저장")
    args = parser.parse_args(argv)
    for name in ("threads", "n", "seconds", "repeat"):
        if getattr(args, name) <= 0:
            parser.error(f"--{name}은(는) 양수여야 합니다")
    if args.plot and not charts.have_matplotlib():
        parser.error(charts.NO_MATPLOTLIB)
    return args


def best_wall_time(
    func: Callable[[int], int], n: int, calls: int, threads: int, repeat: int
) -> float:
    """wall_time()을 `repeat`번 잰 것 중 가장 빠른 값."""
    return min(wall_time(func, n, calls, threads) for _ in range(repeat))


def calls_for(func: Callable[[int], int], n: int, threads: int, seconds: float) -> int:
    """스레드 하나를 약 `seconds`초 동안 바쁘게 할 호출 수(`threads`의 배수)."""
    start = time.perf_counter()
    func(n)
    one_call = max(time.perf_counter() - start, 1e-7)
    per_thread = max(1, round(seconds / one_call / threads))
    return per_thread * threads


def cpu_count() -> int:
    """이 프로세스가 쓸 수 있는 코어 수."""
    # os.process_cpu_count()(3.13 이후)는 CPU 어피니티를 따르고, os.cpu_count()는 아닙니다.
    count = getattr(os, "process_cpu_count", os.cpu_count)()
    return count or 1


def row(label: str, *cells: str) -> str:
    """표의 한 줄: 이름은 왼쪽, 나머지 칸은 오른쪽에 맞춥니다."""
    return pad(label, 36) + "".join(pad(cell, 13, right=True) for cell in cells)


def pad(text: str, width: int, right: bool = False) -> str:
    """`text`를 터미널 칸 `width`개에 맞춰 채웁니다(한글 같은 넓은 글자는 두 칸)."""
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    fill = " " * max(0, width - used)
    return fill + text if right else text + fill


if __name__ == "__main__":
    utf8_output()
    main()
