"""{% if lang_ko %}CI가 하는 검사를 CI와 같은 순서로 모두 실행합니다: `pipenv run check`.{% else %}Every check that CI runs, in CI's order: `pipenv run check`.{% endif %}

{% if lang_ko -%}
1. 러스트 모듈을 빌드해 가상환경에 설치 (maturin develop --uv)
2. 파이썬 테스트 (pytest; --parallel-threads N이면 각 테스트를 N개 스레드에서 동시에)
3. 스텁 {{module_name}}.pyi를 방금 빌드한 모듈과 대조 (mypy의 stubtest)
4. 러스트 테스트 (cargo test, `pipenv run cargo test`와 같이 cargo_env.py를 거쳐서)
5. pre-commit의 모든 훅 (black, ruff, mypy, zizmor, rustfmt, clippy)

처음 실패한 단계에서 멈추고, 그 단계의 종료 코드로 끝납니다. git이 아는 파일이 없으면
(`git add -A` 전) 아무것도 하지 않고 종료 코드 2로 끝납니다.
{%- else -%}
1. build the Rust module into the virtualenv (maturin develop --uv)
2. the Python tests (pytest; with --parallel-threads N, each test in N threads at once)
3. the stub {{module_name}}.pyi against the module just built (mypy's stubtest)
4. the Rust tests (cargo test, through cargo_env.py as `pipenv run cargo test` is)
5. every pre-commit hook (black, ruff, mypy, zizmor, rustfmt, clippy)

It stops at the first step that fails, with that step's exit status. Where git knows no
file yet (before `git add -A`), it does nothing and exits with status 2.
{%- endif %}
"""

from __future__ import annotations

import argparse
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MODULE = "{{module_name}}"
DESCRIPTION = "{% if lang_ko %}CI가 하는 검사를 CI와 같은 순서로 모두 실행합니다.{% else %}Runs every check that CI runs, in CI's order.{% endif %}"


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
        help="{% if lang_ko %}pytest-run-parallel로 각 테스트를 N개 스레드에서 실행{% else %}run each test in N threads at once (pytest-run-parallel){% endif %}",
    )
    args = parser.parse_args()
    problem = nothing_for_pre_commit()
    if problem is not None:
        print(f"check.py: {problem}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as scratch:
        # maturin installs the module as a package whose __init__.py re-exports the
        # compiled {{module_name}}.{{module_name}}: the stub describes the package, and stubtest
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
        return "{% if lang_ko %}PATH에 git이 없습니다. pre-commit은 git이 필요합니다{% else %}git is not on PATH, and pre-commit needs it{% endif %}"
    if listed.returncode != 0:
        return "{% if lang_ko %}git 저장소가 아닙니다: 먼저 `git init`과 `git add -A`를 실행하세요{% else %}this is not a git repository: run `git init` and `git add -A` first{% endif %}"
    if not listed.stdout.strip():
        return "{% if lang_ko %}git이 아는 파일이 없어 pre-commit이 아무 파일도 검사하지 않습니다: 먼저 `git add -A`를 실행하세요{% else %}git knows no file here yet, so pre-commit would check none: run `git add -A` first{% endif %}"
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
                f"{% if lang_ko %}--- {name} 실패 (종료 코드 {status}, {seconds:.1f}초): 위의 출력을 보세요{% else %}--- {name} failed (exit status {status}, {seconds:.1f} s): see its output above{% endif %}",
                flush=True,
            )
            return status
        print(f"{% if lang_ko %}--- {name} 통과 ({seconds:.1f}초){% else %}--- {name} passed ({seconds:.1f} s){% endif %}", flush=True)
    total = time.perf_counter() - started
    print(f"{% if lang_ko %}모든 검사 통과 ({total:.1f}초){% else %}every check passed ({total:.1f} s){% endif %}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
