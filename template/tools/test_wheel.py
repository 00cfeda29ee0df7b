{% if lang_ko -%}
"""빌드한 휠을 설치해서 테스트합니다: `python -m tools.test_wheel dist`.

dist/의 휠 가운데 이 인터프리터가 받는 것을 새 가상환경에 설치하고, 소스가 없는 복사본
디렉터리(테스트, 스크립트, pyproject.toml, tools/)에서 프로젝트의 테스트를 그 설치본으로
실행합니다. 릴리즈 워크플로가 PyPI에 올리기 전에 휠마다 이렇게 합니다(cibuildwheel의 방식).
이 인터프리터가 받는 휠이 없으면 실패합니다.
"""
{%- else -%}
"""Installs a wheel that was built and tests it: `python -m tools.test_wheel dist`.

Of the wheels in dist/, the one this interpreter takes is installed into a fresh
virtualenv, and the project's tests run against that install from a copy of the project
without its sources (the tests, the scripts, pyproject.toml and tools/). The release
workflow does this with every wheel before it publishes any (cibuildwheel's way). It
fails when no wheel there is one this interpreter takes.
"""
{%- endif %}

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import venv
from pathlib import Path
{%- if lang_ko %}

from tools.console import utf8_output
{%- endif %}

PROJECT = Path(__file__).resolve().parent.parent
DISTRIBUTION = "{{dist_name}}"
# What the tests import besides the package: pytest, and the markers of
# pytest-run-parallel (thread_unsafe), which the strict configuration requires.
TEST_REQUIREMENTS = ["pytest", "pytest-run-parallel"]


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.test_wheel", description=__doc__.splitlines()[0]
    )
    parser.add_argument("wheels", type=Path, help="{% if lang_ko %}휠이 있는 디렉터리{% else %}the directory of the wheels{% endif %}")
    wheels = parser.parse_args().wheels.resolve()
    with tempfile.TemporaryDirectory() as scratch:
        python = make_venv(Path(scratch, "venv"))
        pip = [str(python), "-m", "pip", "install", "--disable-pip-version-check"]
        offline = ["--no-index", "--find-links", str(wheels), "--only-binary", ":all:"]
        # pip prints the wheel it takes ("Processing .../<wheel>").
        if subprocess.call([*pip, *offline, DISTRIBUTION]) != 0:
            python_version = sys.version.split()[0]
{%- if lang_ko %}
            print(f"{wheels}에 이 파이썬({python_version})이 받는 휠이 없습니다")
{%- else %}
            print(f"no wheel in {wheels} is one this Python ({python_version}) takes")
{%- endif %}
            return 1
        if subprocess.call([*pip, "--quiet", *TEST_REQUIREMENTS]) != 0:
            return 1
        copy = Path(scratch, "project")
        copy_tests_and_scripts(copy)
        return subprocess.call(
            [str(python), "-m", "pytest", "-p", "no:cacheprovider"], cwd=copy
        )


def make_venv(where: Path) -> Path:
    {% if lang_ko -%}
    """`where`에 pip이 있는 가상환경을 만들고 그 파이썬의 경로를 돌려줍니다."""
    {%- else -%}
    """A virtualenv with pip at `where`; the path of its Python."""
    {%- endif %}
    venv.create(where, with_pip=True)
    return where / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")


def copy_tests_and_scripts(into: Path) -> None:
    {% if lang_ko -%}
    """테스트와 스크립트와 설정을 소스(src/, 스텁) 없이 `into`에 복사합니다."""
    {%- else -%}
    """The tests, the scripts and the settings, without the sources (src/, the stub)."""
    {%- endif %}
    shutil.copytree(PROJECT / "tests", into / "tests")
    shutil.copytree(PROJECT / "tools", into / "tools")
    for path in [*PROJECT.glob("*.py"), PROJECT / "pyproject.toml"]:
        shutil.copy2(path, into / path.name)


if __name__ == "__main__":
{%- if lang_ko %}
    utf8_output()
{%- endif %}
    sys.exit(main())
