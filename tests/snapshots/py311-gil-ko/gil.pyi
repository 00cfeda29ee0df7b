"""피보나치 수를 러스트로 계산합니다.

src/lib.rs와 src/gil_demo.rs에서 빌드하는 확장 모듈의 타입 스텁입니다: 둘을 함께 고치세요.
"""

import threading
from collections.abc import Callable
from typing import Final

__all__ = [
    "DEBUG_BUILD",
    "MAX_N",
    "__version__",
    "double_list",
    "double_list_detached",
    "run",
    "run_detached",
]

__version__: Final[str]
"""pip와 importlib.metadata가 아는 패키지의 버전."""

MAX_N: Final[int]
"""피보나치 수가 64비트에 들어가는 가장 큰 n (93)."""

DEBUG_BUILD: Final[bool]
"""최적화하지 않은 빌드(`maturin develop`)이면 True, 릴리즈 빌드이면 False."""

def run(n: int) -> int:
    """단순 재귀로 fib(n)을 러스트에서 계산합니다. 실행하는 동안 GIL을 쥐고 있습니다.

    n < 0이면 ValueError, n > MAX_N이면 OverflowError.
    """

def run_detached(n: int) -> int:
    """`run`처럼 fib(n)을 계산하되, 러스트가 계산하는 동안 GIL을 놓습니다."""

def double_list(
    numbers: list[int],
    result: list[list[int]],
    idx: int,
    hold_seconds: float = 1.0,
    on_hold: Callable[[], object] | None = None,
) -> None:
    """GIL 데모의 1막: `numbers`를 두 배로 만들어 `result[idx]`에 넣고, 내내 GIL을 쥡니다.

    GIL을 잡으면 `on_hold`를 부르고, `hold_seconds` 동안 GIL을 쥐고 있습니다.
    """

def double_list_detached(
    numbers: list[int],
    result: list[list[int]],
    idx: int,
    work_seconds: float = 1.0,
    on_release: Callable[[], object] | None = None,
    wait_for: threading.Event | None = None,
) -> None:
    """GIL 데모의 2막: 같은 일을 하되, `work_seconds` 동안의 일을 GIL을 놓고 합니다.

    GIL을 놓기 직전에 `on_release`를 부르고, 일이 끝난 뒤 GIL을 다시 잡기 전에
    `wait_for`를 기다립니다.
    """
