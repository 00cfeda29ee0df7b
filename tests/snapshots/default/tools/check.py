"""Every check that CI runs, in CI's order: `pipenv run check`.

1. build the Rust module into the virtualenv (maturin develop --uv)
2. the Python tests (pytest; with --parallel-threads N, each test in N threads at once)
3. the stub fib_demo.pyi against the module just built (mypy's stubtest)
4. the Rust tests (cargo test, through tools/cargo_env.py as `pipenv run cargo test` is)
5. every pre-commit hook (black, ruff, mypy, zizmor, rustfmt, clippy)

It stops at the first step that fails, with that step's exit status. Where git knows no
file yet (before `git add -A`), it does nothing and exits with status 2. On PyPy, where
mypy does not run, it skips stubtest and the mypy hook, and says why.
"""

from __future__ import annotations

import argparse
import os
import platform
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
MODULE = "fib_demo"
# Why the steps that need mypy do not run on PyPy.
NO_MYPY_ON_PYPY = "not applicable on PyPy: mypy does not run there (CPython checks)"


def steps(
    parallel_threads: int, allowlist: Path, pypy: bool
) -> list[tuple[str, list[str] | None]]:
    """Each step's name and command; None for a step that cannot run on PyPy."""
    python = sys.executable
    pytest = [python, "-m", "pytest"]
    if parallel_threads > 1:
        pytest.append(f"--parallel-threads={parallel_threads}")
    # Each difference named, with the stub's and the module's signatures.
    stubtest = [python, "-m", "mypy.stubtest", MODULE, "--allowlist", str(allowlist)]
    pre_commit = [python, "-m", "pre_commit", "run", "--all-files"]
    return [
        ("maturin develop", [python, "-m", "maturin", "develop", "--uv"]),
        ("pytest", pytest),
        ("stubtest", None if pypy else stubtest),
        # cargo in maturin's environment (tools/cargo_env.py): it reuses the build just made.
        ("cargo test", [python, "-m", "tools.cargo_env", "test"]),
        *([("pre-commit: mypy", None)] if pypy else []),
        ("pre-commit", [*pre_commit, "--show-diff-on-failure"]),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="pipenv run check",
        description="Runs every check that CI runs, in CI's order.",
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
    pypy = platform.python_implementation() == "PyPy"
    env = dict(os.environ)
    if pypy:
        # pre-commit runs no hook named in SKIP, and shows it as Skipped.
        env["SKIP"] = ",".join(filter(None, [env.get("SKIP"), "mypy"]))
    with tempfile.TemporaryDirectory() as scratch:
        # maturin installs the module as a package whose __init__.py re-exports the
        # compiled fib_demo.fib_demo: the stub describes the package, and stubtest
        # is told that the inner module has no stub of its own.
        allowlist = Path(scratch, "stubtest-allowlist.txt")
        allowlist.write_text(f"{MODULE}\\.{MODULE}\n", encoding="utf-8")
        return run(steps(args.parallel_threads, allowlist, pypy), env)


def nothing_for_pre_commit() -> str | None:
    """Why pre-commit would check no file here, or None.

    `pre-commit run --all-files` checks the files git knows: in a repository where none
    is added yet every hook would be skipped, and the last step would pass unchecked.
    """
    try:
        listed = subprocess.run(
            ["git", "ls-files"],
            cwd=PROJECT,
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError:
        return "git is not on PATH, and pre-commit needs it"
    if listed.returncode != 0:
        return "this is not a git repository: run `git init` and `git add -A` first"
    if not listed.stdout.strip():
        return "git knows no file here yet, so pre-commit would check none: run `git add -A` first"
    return None


def run(commands: list[tuple[str, list[str] | None]], env: dict[str, str]) -> int:
    started = time.perf_counter()
    for name, command in commands:
        if command is None:
            print(f"--- {name}: {NO_MYPY_ON_PYPY}", flush=True)
            continue
        print(f"--- {name}: {shlex.join(command)}", flush=True)
        step_started = time.perf_counter()
        status = subprocess.call(command, cwd=PROJECT, env=env)
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
