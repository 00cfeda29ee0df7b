"""pre-commit's mypy hook: mypy on CPython; on PyPy, where mypy does not run, it says so.

mypy refuses to run on PyPy ("Running mypy on PyPy is not supported yet"), so the
Pipfile does not install it there, and on PyPy this hook says that it checked nothing
and passes: the types are checked on CPython (CI's CPython legs).
"""

from __future__ import annotations

import platform
import subprocess
import sys

if __name__ == "__main__":
    if platform.python_implementation() == "PyPy":
        print("mypy: not applicable on PyPy (mypy does not run there): nothing checked")
        sys.exit(0)
    sys.exit(subprocess.call([sys.executable, "-m", "mypy", *sys.argv[1:]]))
