"""Fibonacci numbers computed in Rust.

Type stub of the extension module built from src/lib.rs and src/gil_demo.rs: keep them in step.
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
"""The package's version, as pip and importlib.metadata know it."""

MAX_N: Final[int]
"""The largest n whose Fibonacci number fits in 64 bits (93)."""

DEBUG_BUILD: Final[bool]
"""True for an unoptimised build (`maturin develop`), False for a release build."""

def run(n: int) -> int:
    """fib(n) by the naive recursion, computed in Rust. Holds the GIL while it runs.

    Raises ValueError if n < 0 and OverflowError if n > MAX_N.
    """

def run_detached(n: int) -> int:
    """fib(n) like `run`, but with the GIL released while Rust computes."""

def double_list(
    numbers: list[int],
    result: list[list[int]],
    idx: int,
    hold_seconds: float = 1.0,
    on_hold: Callable[[], object] | None = None,
) -> None:
    """Act 1 of the GIL demo: doubles `numbers` into `result[idx]`, holding the GIL.

    Calls `on_hold` once it holds the GIL, then holds it for `hold_seconds`.
    """

def double_list_detached(
    numbers: list[int],
    result: list[list[int]],
    idx: int,
    work_seconds: float = 1.0,
    on_release: Callable[[], object] | None = None,
    wait_for: threading.Event | None = None,
) -> None:
    """Act 2 of the GIL demo: the same, with `work_seconds` of work without the GIL.

    Calls `on_release` just before it releases the GIL, and waits for `wait_for` at
    the end of the work, before it takes the GIL back.
    """
