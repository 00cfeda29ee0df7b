"""Installs a wheel that was built and tests it: `python -m tools.test_wheel dist`.

Of the wheels in dist/, the one this interpreter takes is installed into a fresh
virtualenv, and the project's tests run against that install from a copy of the project
without its sources (the tests, the scripts, pyproject.toml and tools/). The release
workflow does this with every wheel before it publishes any (cibuildwheel's way). It
fails when no wheel there is one this interpreter takes.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
DISTRIBUTION = "fib-demo"
# What the tests import besides the package: pytest, and the markers of
# pytest-run-parallel (thread_unsafe), which the strict configuration requires.
TEST_REQUIREMENTS = ["pytest", "pytest-run-parallel"]


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.test_wheel", description=__doc__.splitlines()[0]
    )
    parser.add_argument("wheels", type=Path, help="the directory of the wheels")
    wheels = parser.parse_args().wheels.resolve()
    with tempfile.TemporaryDirectory() as scratch:
        python = make_venv(Path(scratch, "venv"))
        pip = [str(python), "-m", "pip", "install", "--disable-pip-version-check"]
        offline = ["--no-index", "--find-links", str(wheels), "--only-binary", ":all:"]
        # pip prints the wheel it takes ("Processing .../<wheel>").
        if subprocess.call([*pip, *offline, DISTRIBUTION]) != 0:
            python_version = sys.version.split()[0]
            print(f"no wheel in {wheels} is one this Python ({python_version}) takes")
            return 1
        if subprocess.call([*pip, "--quiet", *TEST_REQUIREMENTS]) != 0:
            return 1
        copy = Path(scratch, "project")
        copy_tests_and_scripts(copy)
        return subprocess.call(
            [str(python), "-m", "pytest", "-p", "no:cacheprovider"], cwd=copy
        )


def make_venv(where: Path) -> Path:
    """A virtualenv with pip at `where`; the path of its Python."""
    venv.create(where, with_pip=True)
    return where / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")


def copy_tests_and_scripts(into: Path) -> None:
    """The tests, the scripts and the settings, without the sources (src/, the stub)."""
    shutil.copytree(PROJECT / "tests", into / "tests")
    shutil.copytree(PROJECT / "tools", into / "tools")
    for path in [*PROJECT.glob("*.py"), PROJECT / "pyproject.toml"]:
        shutil.copy2(path, into / path.name)


if __name__ == "__main__":
    sys.exit(main())
