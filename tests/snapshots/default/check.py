"""Every check that CI runs, in CI's order: `pipenv run check`.

1. build the Rust module into the virtualenv (maturin develop --uv)
2. the Python tests (pytest; with --parallel-threads N, each test in N threads at once)
3. the stub fib_demo.pyi against the module just built (mypy's stubtest)
4. the Rust tests (cargo test, through cargo_env.py as `pipenv run cargo test` is)
5. every pre-commit hook (black, ruff, mypy, zizmor, rustfmt, clippy)

It stops at the first step that fails, with that step's exit status. Where git knows no
file yet (before `git add -A`), it does nothing and exits with status 2.
"""

from __future__ import annotations

import argparse
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MODULE = "fib_demo"
DESCRIPTION = "Runs every check that CI runs, in CI's order."


def steps(parallel_threads: int, allowlist: Path) -> list[tuple[str, list[str]]]:
    python = sys.executable
    pytest = [python, "-m", "pytest"]
    if parallel_threads > 1:
        pytest.append(f"--parallel-threads={parallel_threads}")
    return [
        ("maturin develop", [python, "-m", "maturin", "develop", "--uv"]),
        ("pytest", pytest),
        # Each difference named, with the stub's and the module's signatures.
        (
            "stubtest",
            [python, "-m", "mypy.stubtest", MODULE, "--allowlist", str(allowlist)],
        ),
        # cargo in maturin's environment (cargo_env.py): it reuses the build just made.
        ("cargo test", [python, "cargo_env.py", "test"]),
        (
            "pre-commit",
            [
                python,
                "-m",
                "pre_commit",
                "run",
                "--all-files",
                "--show-diff-on-failure",
            ],
        ),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="pipenv run check",
        description=DESCRIPTION,
    )
    parser.add_argument(
        "--parallel-threads",
        type=int,
        default=1,
        metavar="N",
        help="run each test in N threads at once (pytest-run-parallel)",
    )
    args = parser.parse_args()
    problem = nothing_for_pre_commit()
    if problem is not None:
        print(f"check.py: {problem}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as scratch:
        # maturin installs the module as a package whose __init__.py re-exports the
        # compiled fib_demo.fib_demo: the stub describes the package, and stubtest
        # is told that the inner module has no stub of its own.
        allowlist = Path(scratch, "stubtest-allowlist.txt")
        allowlist.write_text(f"{MODULE}\\.{MODULE}\n", encoding="utf-8")
        return run(steps(args.parallel_threads, allowlist))


def nothing_for_pre_commit() -> str | None:
    """Why pre-commit would check no file here, or None.

    `pre-commit run --all-files` checks the files git knows: in a repository where none
    is added yet every hook would be skipped, and the last step would pass unchecked.
    """
    try:
        listed = subprocess.run(
            ["git", "ls-files"], capture_output=True, text=True, check=False
        )
    except FileNotFoundError:
        return "git is not on PATH, and pre-commit needs it"
    if listed.returncode != 0:
        return "this is not a git repository: run `git init` and `git add -A` first"
    if not listed.stdout.strip():
        return "git knows no file here yet, so pre-commit would check none: run `git add -A` first"
    return None


def run(commands: list[tuple[str, list[str]]]) -> int:
    started = time.perf_counter()
    for name, command in commands:
        print(f"--- {name}: {shlex.join(command)}", flush=True)
        step_started = time.perf_counter()
        status = subprocess.call(command)
        seconds = time.perf_counter() - step_started
        if status != 0:
            print(
                f"--- {name} failed (exit status {status}, {seconds:.1f} s): see its output above",
                flush=True,
            )
            return status
        print(f"--- {name} passed ({seconds:.1f} s)", flush=True)
    total = time.perf_counter() - started
    print(f"every check passed ({total:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
