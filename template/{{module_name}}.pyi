{% if lang_ko -%}
"""피보나치 수를 러스트로 계산합니다.

src/lib.rs{% if with_gil_demo %}와 src/gil_demo.rs{% endif %}에서 빌드하는 확장 모듈의 타입 스텁입니다: 둘을 함께 고치세요.
"""
{%- else -%}
"""Fibonacci numbers computed in Rust.

Type stub of the extension module built from src/lib.rs{% if with_gil_demo %} and src/gil_demo.rs{% endif %}: keep them in step.
"""
{%- endif %}

{% if with_gil_demo -%}
import threading
from collections.abc import Callable
from typing import Final

{% else -%}
from typing import Final

{% endif -%}
__all__ = [
    "DEBUG_BUILD",
    "MAX_N",
    "__version__",
{%- if with_gil_demo %}
    "double_list",
    "double_list_detached",
{%- endif %}
    "run",
{%- if with_gil_demo %}
    "run_detached",
{%- endif %}
]

__version__: Final[str]
"""{% if lang_ko %}pip와 importlib.metadata가 아는 패키지의 버전.{% else %}The package's version, as pip and importlib.metadata know it.{% endif %}"""

MAX_N: Final[int]
"""{% if lang_ko %}피보나치 수가 64비트에 들어가는 가장 큰 n (93).{% else %}The largest n whose Fibonacci number fits in 64 bits (93).{% endif %}"""

DEBUG_BUILD: Final[bool]
"""{% if lang_ko %}최적화하지 않은 빌드(`maturin develop`)이면 True, 릴리즈 빌드이면 False.{% else %}True for an unoptimised build (`maturin develop`), False for a release build.{% endif %}"""

def run(n: int) -> int:
    {% if lang_ko -%}
    """단순 재귀로 fib(n)을 러스트에서 계산합니다. 실행하는 동안 GIL을 쥐고 있습니다.

    n < 0이면 ValueError, n > MAX_N이면 OverflowError.
    """
    {%- else -%}
    """fib(n) by the naive recursion, computed in Rust. Holds the GIL while it runs.

    Raises ValueError if n < 0 and OverflowError if n > MAX_N.
    """
    {%- endif %}
{%- if with_gil_demo %}

def run_detached(n: int) -> int:
    """{% if lang_ko %}`run`처럼 fib(n)을 계산하되, 러스트가 계산하는 동안 GIL을 놓습니다.{% else %}fib(n) like `run`, but with the GIL released while Rust computes.{% endif %}"""

def double_list(
    numbers: list[int],
    result: list[list[int]],
    idx: int,
    hold_seconds: float = 1.0,
    on_hold: Callable[[], object] | None = None,
) -> None:
    {% if lang_ko -%}
    """GIL 데모의 1막: `numbers`를 두 배로 만들어 `result[idx]`에 넣고, 내내 GIL을 쥡니다.

    GIL을 잡으면 `on_hold`를 부르고, `hold_seconds` 동안 GIL을 쥐고 있습니다.
    """
    {%- else -%}
    """Act 1 of the GIL demo: doubles `numbers` into `result[idx]`, holding the GIL.

    Calls `on_hold` once it holds the GIL, then holds it for `hold_seconds`.
    """
    {%- endif %}

def double_list_detached(
    numbers: list[int],
    result: list[list[int]],
    idx: int,
    work_seconds: float = 1.0,
    on_release: Callable[[], object] | None = None,
    wait_for: threading.Event | None = None,
) -> None:
    {% if lang_ko -%}
    """GIL 데모의 2막: 같은 일을 하되, `work_seconds` 동안의 일을 GIL을 놓고 합니다.

    GIL을 놓기 직전에 `on_release`를 부르고, 일이 끝난 뒤 GIL을 다시 잡기 전에
    `wait_for`를 기다립니다.
    """
    {%- else -%}
    """Act 2 of the GIL demo: the same, with `work_seconds` of work without the GIL.

    Calls `on_release` just before it releases the GIL, and waits for `wait_for` at
    the end of the work, before it takes the GIL back.
    """
    {%- endif %}
{%- endif %}
