"""빌드한 휠을 설치해서 테스트합니다: `python -m tools.test_wheel dist`.

dist/의 휠 가운데 이 인터프리터가 받는 것을 새 가상환경에 설치하고, 소스가 없는 복사본
디렉터리(테스트, 스크립트, pyproject.toml, tools/)에서 프로젝트의 테스트를 그 설치본으로
실행합니다. 릴리즈 워크플로가 PyPI에 올리기 전에 휠마다 이렇게 합니다(cibuildwheel의 방식).
이 인터프리터가 받는 휠이 없으면 실패합니다.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

from tools.console import utf8_output

PROJECT = Path(__file__).resolve().parent.parent
DISTRIBUTION = "gil"
# What the tests import besides the package: pytest, and the markers of
# pytest-run-parallel (thread_unsafe), which the strict configuration requires.
TEST_REQUIREMENTS = ["pytest", "pytest-run-parallel"]


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.test_wheel", description=__doc__.splitlines()[0]
    )
    parser.add_argument("wheels", type=Path, help="휠이 있는 디렉터리")
    wheels = parser.parse_args().wheels.resolve()
    with tempfile.TemporaryDirectory() as scratch:
        python = make_venv(Path(scratch, "venv"))
        pip = [str(python), "-m", "pip", "install", "--disable-pip-version-check"]
        offline = ["--no-index", "--find-links", str(wheels), "--only-binary", ":all:"]
        # pip prints the wheel it takes ("Processing .../<wheel>").
        if subprocess.call([*pip, *offline, DISTRIBUTION]) != 0:
            python_version = sys.version.split()[0]
            print(f"{wheels}에 이 파이썬({python_version})이 받는 휠이 없습니다")
            return 1
        if subprocess.call([*pip, "--quiet", *TEST_REQUIREMENTS]) != 0:
            return 1
        copy = Path(scratch, "project")
        copy_tests_and_scripts(copy)
        return subprocess.call(
            [str(python), "-m", "pytest", "-p", "no:cacheprovider"], cwd=copy
        )


def make_venv(where: Path) -> Path:
    """`where`에 pip이 있는 가상환경을 만들고 그 파이썬의 경로를 돌려줍니다."""
    venv.create(where, with_pip=True)
    return where / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")


def copy_tests_and_scripts(into: Path) -> None:
    """테스트와 스크립트와 설정을 소스(src/, 스텁) 없이 `into`에 복사합니다."""
    shutil.copytree(PROJECT / "tests", into / "tests")
    shutil.copytree(PROJECT / "tools", into / "tools")
    for path in [*PROJECT.glob("*.py"), PROJECT / "pyproject.toml"]:
        shutil.copy2(path, into / path.name)


if __name__ == "__main__":
    utf8_output()
    sys.exit(main())
