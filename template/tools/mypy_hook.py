"""{% if lang_ko %}pre-commit의 mypy 훅: CPython에서는 mypy를 실행하고, mypy가 돌지 않는 PyPy에서는 그렇다고 알립니다.{% else %}pre-commit's mypy hook: mypy on CPython; on PyPy, where mypy does not run, it says so.{% endif %}

{% if lang_ko -%}
mypy는 PyPy에서 돌지 않습니다("Running mypy on PyPy is not supported yet"). 그래서 Pipfile은
PyPy에 mypy를 설치하지 않고, 이 훅은 PyPy에서 검사하지 않았다고 밝히고 통과합니다. 타입
검사는 CPython에서 합니다(CI의 CPython 단계들).
{%- else -%}
mypy refuses to run on PyPy ("Running mypy on PyPy is not supported yet"), so the
Pipfile does not install it there, and on PyPy this hook says that it checked nothing
and passes: the types are checked on CPython (CI's CPython legs).
{%- endif %}
"""

from __future__ import annotations

import platform
import subprocess
import sys
{%- if lang_ko %}

from tools.console import utf8_output
{%- endif %}

if __name__ == "__main__":
{%- if lang_ko %}
    utf8_output()
{%- endif %}
    if platform.python_implementation() == "PyPy":
{%- if lang_ko %}
        print("mypy: PyPy에서는 해당 없음 (mypy가 돌지 않음): 검사하지 않았습니다")
{%- else %}
        print("mypy: not applicable on PyPy (mypy does not run there): nothing checked")
{%- endif %}
        sys.exit(0)
    sys.exit(subprocess.call([sys.executable, "-m", "mypy", *sys.argv[1:]]))
