"""The Rust `run` against a Python reference, and its errors; the module's version."""

from __future__ import annotations

import importlib.metadata
import re

import pytest

from my_rust_ext import (
    MAX_N,
    __version__,
    run,
)

# The PyPI distribution, whose version (Cargo.toml's, given to the wheel by maturin)
# is what pip shows.
DISTRIBUTION = "my-rust-ext"


def test_version_is_the_installed_packages() -> None:
    assert __version__ == importlib.metadata.version(DISTRIBUTION)


def fib_reference(n: int) -> int:
    """fib(n) computed iteratively in Python."""
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


@pytest.mark.parametrize("n", range(26))
def test_run_matches_the_python_reference(n: int) -> None:
    assert run(n) == fib_reference(n)


@pytest.mark.parametrize(("n", "expected"), [(0, 0), (1, 1), (2, 1), (25, 75025)])
def test_run_of_the_first_and_a_larger_n(n: int, expected: int) -> None:
    assert run(n) == expected


def test_max_n_is_the_largest_n_whose_result_fits_in_64_bits() -> None:
    # Checked with the reference: the naive recursion would take years for n = 93
    # (`cargo test` proves that run accepts 93).
    assert MAX_N == 93
    assert fib_reference(MAX_N) == 12200160415121876738
    assert fib_reference(MAX_N) < 2**64 <= fib_reference(MAX_N + 1)


def test_run_refuses_a_negative_n() -> None:
    with pytest.raises(ValueError, match="n must be >= 0, got -1"):
        run(-1)


@pytest.mark.parametrize("n", [94, 1000])
def test_run_refuses_an_n_whose_result_overflows(n: int) -> None:
    # Refused before any work starts: the naive recursion would never finish.
    message = f"fib({n}) does not fit in 64 bits: n must be <= 93"
    with pytest.raises(OverflowError, match=re.escape(message)):
        run(n)


def test_run_refuses_an_n_beyond_64_bits() -> None:
    with pytest.raises(OverflowError):
        run(2**70)


@pytest.mark.parametrize("bad", ["10", 2.5, None, [3]])
def test_run_refuses_non_integers(bad: object) -> None:
    with pytest.raises(TypeError):
        run(bad)  # type: ignore[arg-type]
