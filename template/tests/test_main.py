"""main.py, the Python vs Rust comparison, run as a user runs it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

MAIN = Path(__file__).resolve().parent.parent / "main.py"


def run_main(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(MAIN), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_main_prints_both_results_and_the_speedup() -> None:
    done = run_main("20", "--repeat", "1")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("python: ") and lines[0].endswith("result: 6765")
    assert lines[1].startswith("rust (") and lines[1].endswith("result: 6765")
    # The speedup: a ratio such as "12.7" in the third line, whatever the language.
    assert re.search(r"\d+\.\d", lines[2]), lines[2]


def test_main_refuses_an_n_out_of_range() -> None:
    done = run_main("94")
    assert done.returncode == 2
    assert "93" in done.stderr
