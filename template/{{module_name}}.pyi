"""Fibonacci numbers computed in Rust{% if gil_demo == "true" %}, with and without the GIL{% endif %}.

Type stub of the extension module built from src/lib.rs: keep the two in step.
"""

from typing import Final

__all__ = [
    "run",
{%- if gil_demo == "true" %}
    "run_detached",
    "double_list",
{%- endif %}
    "MAX_N",
    "DEBUG_BUILD",
]

MAX_N: Final[int]
"""The largest n whose Fibonacci number fits in 64 bits (93)."""

DEBUG_BUILD: Final[bool]
"""True for an unoptimised build (`maturin develop`), False for a release build."""

def run(n: int) -> int:
    """fib(n) by the naive recursion, computed in Rust.{% if gil_demo == "true" %} Holds the GIL while it runs.{% endif %}

    Raises ValueError if n < 0 and OverflowError if n > MAX_N.
    """
{%- if gil_demo == "true" %}

def run_detached(n: int) -> int:
    """fib(n) like `run`, but with the GIL released while Rust computes."""

def double_list(
    numbers: list[int], result: list[list[int]], idx: int, hold_seconds: float = 1.0
) -> None:
    """The course's GIL demo: doubles `numbers` into `result[idx]`.

    Holds the GIL for `hold_seconds` before it returns.
    """
{%- endif %}
