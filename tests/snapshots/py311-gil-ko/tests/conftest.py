"""A time limit for every test, so that a test that never ends fails instead of
freezing the run (and CI).

The limit is `test_timeout` in pyproject.toml's [tool.pytest.ini_options] (seconds;
0 turns it off); `pipenv run pytest -o test_timeout=300` overrides it once.

It is enforced by faulthandler's watchdog, a thread written in C that needs no GIL: it
also stops a Rust function that holds the GIL and never returns (say, `run(60)`, which
would take years), where a timer written in Python could never run. When a test runs
too long, it prints every thread's stack (the test's name and line among them) and
ends pytest with exit status 1.
"""

from __future__ import annotations

import faulthandler
import os
from collections.abc import Iterator

import pytest

TERMINAL = pytest.StashKey[int]()


def pytest_configure(config: pytest.Config) -> None:
    # A copy of stderr made now, while pytest is not capturing it: the watchdog writes
    # there, and its report reaches the terminal even from inside a captured test.
    config.stash[TERMINAL] = os.dup(2)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        "test_timeout",
        "seconds a single test may take before pytest is stopped (0: no limit)",
        default="60",
    )


@pytest.fixture(autouse=True)
def time_limit(request: pytest.FixtureRequest) -> Iterator[None]:
    seconds = float(request.config.getini("test_timeout"))
    if seconds > 0:
        terminal = request.config.stash[TERMINAL]
        faulthandler.dump_traceback_later(seconds, exit=True, file=terminal)
    yield
    faulthandler.cancel_dump_traceback_later()
