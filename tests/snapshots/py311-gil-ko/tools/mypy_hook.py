"""pre-commit의 mypy 훅: CPython에서는 mypy를 실행하고, mypy가 돌지 않는 PyPy에서는 그렇다고 알립니다.

mypy는 PyPy에서 돌지 않습니다("Running mypy on PyPy is not supported yet"). 그래서 Pipfile은
PyPy에 mypy를 설치하지 않고, 이 훅은 PyPy에서 검사하지 않았다고 밝히고 통과합니다. 타입
검사는 CPython에서 합니다(CI의 CPython 단계들).
"""

from __future__ import annotations

import platform
import subprocess
import sys

from tools.console import utf8_output

if __name__ == "__main__":
    utf8_output()
    if platform.python_implementation() == "PyPy":
        print("mypy: PyPy에서는 해당 없음 (mypy가 돌지 않음): 검사하지 않았습니다")
        sys.exit(0)
    sys.exit(subprocess.call([sys.executable, "-m", "mypy", *sys.argv[1:]]))
