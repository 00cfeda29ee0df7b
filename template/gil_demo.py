"""The course's GIL demo: a Python thread and a Rust function side by side.

    pipenv run python gil_demo.py

`double_list` (src/lib.rs) doubles the numbers with the GIL released, then takes the
GIL back and holds it for a second. The Python thread's 0.1 s sleep ends long before
that second is over, yet it can only print "Py: Exit..." once Rust has returned:
a thread needs the GIL to run Python code.
"""

import sys
import threading
import time

from {{module_name}} import double_list

{% if lang == "ko" -%}
EXPLANATION = (
    "러스트가 GIL을 쥔 1초 동안 파이썬 스레드는 멈춰 있습니다: "
    "0.1초 만에 끝난 sleep 뒤에도 'Py: Exit...'는 러스트가 끝난 다음에야 찍힙니다."
)
{%- else -%}
EXPLANATION = (
    "While Rust holds the GIL for a second, the Python thread waits: its 0.1 s sleep "
    "is long over, yet 'Py: Exit...' only comes after Rust has returned."
)
{%- endif %}


def say(line: str) -> None:
    """Prints a line in a single write, so the Rust thread's lines cannot cut into it.

    (print() writes the text and the newline separately, and another thread may
    print in between.)
    """
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def double_list_py(numbers: list[int], result: list[list[int]], idx: int) -> None:
    say("Py: Enter double_list_py...")
    time.sleep(0.1)
    result[idx] = [x * 2 for x in numbers]
    say("Py: Exit...")


def main() -> None:
    result: list[list[int]] = [[], []]
    nums = [1, 2, 3]

    t1 = threading.Thread(target=double_list_py, args=(nums, result, 0))
    t2 = threading.Thread(target=double_list, args=(nums, result, 1))

    t1.start()
    t2.start()

    t1.join()
    t2.join()

    print(f"Py: {result[0]}")
    print(f"Rust: {result[1]}")
    print()
    print(EXPLANATION)


if __name__ == "__main__":
    main()
