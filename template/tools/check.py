"""{% if lang_ko %}CI가 하는 검사를 CI와 같은 순서로 모두 실행합니다: `pipenv run check`.{% else %}Every check that CI runs, in CI's order: `pipenv run check`.{% endif %}

{% if lang_ko -%}
1. 러스트 모듈을 빌드해 가상환경에 설치 (maturin develop --uv)
2. 파이썬 테스트 (pytest; --parallel-threads N이면 각 테스트를 N개 스레드에서 동시에)
3. 스텁 {{module_name}}.pyi를 방금 빌드한 모듈과 대조 (mypy의 stubtest)
4. 러스트 테스트 (cargo test, `pipenv run cargo test`와 같이 tools/cargo_env.py를 거쳐서)
5. pre-commit의 모든 훅 (black, ruff, mypy, zizmor, rustfmt, clippy)

처음 실패한 단계에서 멈추고, 그 단계의 종료 코드로 끝납니다. git이 아는 파일이 없으면
(`git add -A` 전) 아무것도 하지 않고 종료 코드 2로 끝납니다. PyPy에서는 mypy가 돌지 않으므로
stubtest와 mypy 훅을 건너뛰고, 건너뛴 이유를 찍습니다.
{%- else -%}
1. build the Rust module into the virtualenv (maturin develop --uv)
2. the Python tests (pytest; with --parallel-threads N, each test in N threads at once)
3. the stub {{module_name}}.pyi against the module just built (mypy's stubtest)
4. the Rust tests (cargo test, through tools/cargo_env.py as `pipenv run cargo test` is)
5. every pre-commit hook (black, ruff, mypy, zizmor, rustfmt, clippy)

It stops at the first step that fails, with that step's exit status. Where git knows no
file yet (before `git add -A`), it does nothing and exits with status 2. On PyPy, where
mypy does not run, it skips stubtest and the mypy hook, and says why.
{%- endif %}
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
{%- if lang_ko %}

from tools.console import utf8_output
{%- endif %}

PROJECT = Path(__file__).resolve().parent.parent
MODULE = "{{module_name}}"
{% if lang_ko -%}
# PyPy에서 돌지 않는 단계가 건너뛰는 이유.
NO_MYPY_ON_PYPY = "PyPy에서는 해당 없음: mypy가 돌지 않습니다 (CPython이 검사합니다)"
{%- else -%}
# Why the steps that need mypy do not run on PyPy.
NO_MYPY_ON_PYPY = "not applicable on PyPy: mypy does not run there (CPython checks)"
{%- endif %}


def steps(
    parallel_threads: int, allowlist: Path, pypy: bool
) -> list[tuple[str, list[str] | None]]:
    {% if lang_ko -%}
    """단계의 이름과 명령. PyPy에서 돌지 않는 단계의 명령은 None입니다."""
    {%- else -%}
    """Each step's name and command; None for a step that cannot run on PyPy."""
    {%- endif %}
    python = sys.executable
    pytest = [python, "-m", "pytest"]
    if parallel_threads > 1:
        pytest.append(f"--parallel-threads={parallel_threads}")
    {% if lang_ko -%}
    # 차이마다 스텁과 모듈의 시그니처를 함께 보여 줍니다.
    {%- else -%}
    # Each difference named, with the stub's and the module's signatures.
    {%- endif %}
    stubtest = [python, "-m", "mypy.stubtest", MODULE, "--allowlist", str(allowlist)]
    pre_commit = [python, "-m", "pre_commit", "run", "--all-files"]
    return [
        ("maturin develop", [python, "-m", "maturin", "develop", "--uv"]),
        ("pytest", pytest),
        ("stubtest", None if pypy else stubtest),
        {% if lang_ko -%}
        # maturin의 환경에서 돌리는 cargo(tools/cargo_env.py): 방금 한 빌드를 다시 씁니다.
        {%- else -%}
        # cargo in maturin's environment (tools/cargo_env.py): it reuses the build just made.
        {%- endif %}
        ("cargo test", [python, "-m", "tools.cargo_env", "test"]),
        *([("pre-commit: mypy", None)] if pypy else []),
        ("pre-commit", [*pre_commit, "--show-diff-on-failure"]),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="pipenv run check",
        description="{% if lang_ko %}CI가 하는 검사를 CI와 같은 순서로 모두 실행합니다.{% else %}Runs every check that CI runs, in CI's order.{% endif %}",
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
    pypy = platform.python_implementation() == "PyPy"
    env = dict(os.environ)
    if pypy:
        {% if lang_ko -%}
        # pre-commit은 SKIP에 적힌 훅을 돌리지 않고 Skipped로 보여 줍니다.
        {%- else -%}
        # pre-commit runs no hook named in SKIP, and shows it as Skipped.
        {%- endif %}
        env["SKIP"] = ",".join(filter(None, [env.get("SKIP"), "mypy"]))
    with tempfile.TemporaryDirectory() as scratch:
        {% if lang_ko -%}
        # maturin은 모듈을 패키지로 설치하고, 그 __init__.py가 컴파일된
        # {{module_name}}.{{module_name}}을 다시 내보냅니다: 스텁은 패키지를 설명하므로, 안쪽
        # 모듈에는 스텁이 따로 없다고 stubtest에 알려 줍니다.
        {%- else -%}
        # maturin installs the module as a package whose __init__.py re-exports the
        # compiled {{module_name}}.{{module_name}}: the stub describes the package, and stubtest
        # is told that the inner module has no stub of its own.
        {%- endif %}
        allowlist = Path(scratch, "stubtest-allowlist.txt")
        allowlist.write_text(f"{MODULE}\\.{MODULE}\n", encoding="utf-8")
        return run(steps(args.parallel_threads, allowlist, pypy), env)


def nothing_for_pre_commit() -> str | None:
    {% if lang_ko -%}
    """pre-commit이 여기서 아무 파일도 검사하지 않을 이유, 없으면 None.

    `pre-commit run --all-files`는 git이 아는 파일을 검사합니다. 아직 아무것도 add하지 않은
    저장소에서는 모든 훅을 건너뛰고, 마지막 단계가 아무것도 검사하지 않고 통과합니다.
    """
    {%- else -%}
    """Why pre-commit would check no file here, or None.

    `pre-commit run --all-files` checks the files git knows: in a repository where none
    is added yet every hook would be skipped, and the last step would pass unchecked.
    """
    {%- endif %}
    try:
        listed = subprocess.run(
            ["git", "ls-files"],
            cwd=PROJECT,
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError:
        return "{% if lang_ko %}PATH에 git이 없습니다. pre-commit은 git이 필요합니다{% else %}git is not on PATH, and pre-commit needs it{% endif %}"
    if listed.returncode != 0:
        return "{% if lang_ko %}git 저장소가 아닙니다: 먼저 `git init`과 `git add -A`를 실행하세요{% else %}this is not a git repository: run `git init` and `git add -A` first{% endif %}"
    if not listed.stdout.strip():
        return "{% if lang_ko %}git이 아는 파일이 없어 pre-commit이 아무 파일도 검사하지 않습니다: 먼저 `git add -A`를 실행하세요{% else %}git knows no file here yet, so pre-commit would check none: run `git add -A` first{% endif %}"
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
                f"{% if lang_ko %}--- {name} 실패 (종료 코드 {status}, {seconds:.1f}초): 위의 출력을 보세요{% else %}--- {name} failed (exit status {status}, {seconds:.1f} s): see its output above{% endif %}",
                flush=True,
            )
            return status
        print(f"{% if lang_ko %}--- {name} 통과 ({seconds:.1f}초){% else %}--- {name} passed ({seconds:.1f} s){% endif %}", flush=True)
    total = time.perf_counter() - started
    print(f"{% if lang_ko %}모든 검사 통과 ({total:.1f}초){% else %}every check passed ({total:.1f} s){% endif %}")
    return 0


if __name__ == "__main__":
{%- if lang_ko %}
    utf8_output()
{%- endif %}
    sys.exit(main())
