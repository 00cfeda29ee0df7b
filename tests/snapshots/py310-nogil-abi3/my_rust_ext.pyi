"""Fibonacci numbers computed in Rust.

Type stub of the extension module built from src/lib.rs: keep them in step.
"""

from typing import Final

__all__ = [
    "DEBUG_BUILD",
    "MAX_N",
    "__version__",
    "run",
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
