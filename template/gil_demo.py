{% if lang_ko -%}
"""강의의 GIL 데모를 2막으로: 파이썬 스레드와 러스트 함수를 나란히 실행합니다.

    pipenv run python gil_demo.py
    pipenv run python gil_demo.py --seconds 3     # 러스트가 더 오래 일합니다(또는 GIL을 쥡니다)

1막은 강의 그대로입니다: `double_list`(src/gil_demo.rs)가 강의의 코드처럼 처음부터 끝까지 GIL을
쥐고 있어서, 파이썬 스레드는 러스트가 돌아온 다음에야 끝납니다. 2막은 GIL을 놓으면 무엇이
달라지는지 보여 줍니다: `double_list_detached`는 GIL을 놓고 일하고, 그동안 파이썬 스레드가
끝납니다.

줄의 순서는 sleep이 아니라 동기화로 정해집니다: 각 스레드는 다른 스레드가 알맞은 때에
설정하는 이벤트를 기다립니다. (강의의 파이썬 스레드는 대신 0.1초를 잤는데, 바쁜
컴퓨터에서는 그 사이에 러스트가 먼저 찍을 수 있습니다.)
"""
{%- else -%}
"""The course's GIL demo in two acts: a Python thread and a Rust function side by side.

    pipenv run python gil_demo.py
    pipenv run python gil_demo.py --seconds 3     # Rust works (or holds the GIL) longer

Act 1 is the course's run: `double_list` (src/gil_demo.rs) holds the GIL the whole time, as
the course's code did, so the Python thread can only finish after Rust has returned.
Act 2 is what releasing the GIL buys: `double_list_detached` does its work with the GIL
released, and the Python thread finishes during that work.

The order of the lines is set by synchronisation, never by sleeping: each thread waits
for an event that the other sets at the right moment. (The course's Python thread slept
0.1 s instead, which on a busy machine can let Rust print first.)
"""
{%- endif %}

from __future__ import annotations

import argparse
import os
import sys
import threading
from collections.abc import Callable
{%- if lang_ko %}

from tools.console import utf8_output
{%- endif %}

from {{module_name}} import (
    double_list,
    double_list_detached,
)


def double_list_py(
    numbers: list[int],
    result: list[list[int]],
    idx: int,
    entered: threading.Event,
    go_on: threading.Event,
    done: threading.Event | None = None,
) -> None:
    {% if lang_ko -%}
    """강의의 파이썬 스레드: `numbers`를 두 배로 만들어 `result[idx]`에 넣습니다.

    들어왔다고 알리고, (러스트가 설정하는) `go_on`을 기다린 다음, 끝났다고 알립니다.
    이벤트를 기다리는 동안에는 강의의 sleep처럼 GIL을 놓습니다.
    """
    {%- else -%}
    """The course's Python thread: doubles `numbers` into `result[idx]`.

    It says it has entered, waits for `go_on` (which Rust sets), and says when it is
    done. Waiting for an event, like the course's sleep, lets go of the GIL.
    """
    {%- endif %}
    try:
        say("Py: Enter double_list_py...")
        entered.set()
        go_on.wait()
        result[idx] = [x * 2 for x in numbers]
        say("Py: Exit...")
    finally:
        {% if lang_ko -%}
        # 이 스레드가 실패해도 누구도 영원히 기다리지 않게 합니다.
        {%- else -%}
        # Even if this thread fails, nobody may wait for it forever.
        {%- endif %}
        entered.set()
        if done is not None:
            done.set()


def act_1(seconds: float) -> list[list[int]]:
    {% if lang_ko -%}
    """강의의 실행: 러스트가 처음부터 끝까지 GIL을 쥡니다."""
    {%- else -%}
    """The course's run: Rust holds the GIL from start to end."""
    {%- endif %}
    result: list[list[int]] = [[], []]
    nums = [1, 2, 3]
    entered = threading.Event()
    rust_holds_gil = threading.Event()

    t1 = threading.Thread(
        target=double_list_py, args=(nums, result, 0, entered, rust_holds_gil)
    )
    {% if lang_ko -%}
    # 러스트는 GIL을 잡으면 `rust_holds_gil`을 설정합니다: 파이썬 스레드는 깨어나지만,
    # 러스트가 GIL을 놓기 전까지는 파이썬 코드를 실행할 수 없습니다.
    {%- else -%}
    # Rust sets `rust_holds_gil` once it holds the GIL: the Python thread wakes up,
    # but cannot run Python code until Rust lets go of the GIL.
    {%- endif %}
    t2 = rust_thread(
        lambda: double_list(nums, result, 1, seconds, rust_holds_gil.set),
        rust_holds_gil,
    )
    side_by_side(t1, entered, t2)
    return result


def act_2(seconds: float) -> list[list[int]]:
    {% if lang_ko -%}
    """같은 두 스레드이되, 러스트가 GIL을 놓고 일합니다."""
    {%- else -%}
    """The same threads, with Rust's work done with the GIL released."""
    {%- endif %}
    result: list[list[int]] = [[], []]
    nums = [1, 2, 3]
    entered = threading.Event()
    rust_released_gil = threading.Event()
    python_done = threading.Event()

    t1 = threading.Thread(
        target=double_list_py,
        args=(nums, result, 0, entered, rust_released_gil, python_done),
    )
    {% if lang_ko -%}
    # 러스트는 GIL을 놓기 직전에 `rust_released_gil`을 설정하고, GIL을 다시 잡기 전에
    # `python_done`을 기다립니다.
    {%- else -%}
    # Rust sets `rust_released_gil` just before it lets go of the GIL, and waits for
    # `python_done` before it takes the GIL back.
    {%- endif %}
    t2 = rust_thread(
        lambda: double_list_detached(
            nums, result, 1, seconds, rust_released_gil.set, python_done
        ),
        rust_released_gil,
    )
    side_by_side(t1, entered, t2)
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--seconds",
        type=float,
        default=1.0,
        {% if lang_ko -%}
        help="러스트가 GIL을 쥐고(1막) 또는 놓고(2막) 일하는 시간, 초 (기본값: %(default)s)",
        {%- else -%}
        help="how long Rust holds the GIL (act 1) or works without it (act 2), "
        "in seconds (default: %(default)s)",
        {%- endif %}
    )
    args = parser.parse_args(argv)
    if not args.seconds >= 0:
        parser.error("{% if lang_ko %}--seconds는 0 이상이어야 합니다{% else %}--seconds must be 0 or more{% endif %}")

    {% if lang_ko -%}
    # GIL이 없으면(프리스레드 파이썬) 1막에서 기다릴 것이 없습니다. 2막의 순서는 어느
    # 쪽이든 이벤트가 정합니다.
    {%- else -%}
    # Without a GIL (free-threaded Python) act 1 has nothing to wait for; act 2's
    # order is set by its events either way.
    {%- endif %}
    for title, run_act, explanation in [
        (ACT_1, act_1, EXPLAIN_1 if gil_enabled() else FREE_THREADED),
        (ACT_2, act_2, EXPLAIN_2),
    ]:
        say(title)
        result = run_act(args.seconds)
        say(f"Py: {result[0]}")
        say(f"Rust: {result[1]}")
        say("")
        say(explanation)
        say("")


{% if lang_ko -%}
ACT_1 = "1막: 강의 그대로. 러스트가 처음부터 끝까지 GIL을 쥐고 있습니다 (double_list)."
ACT_2 = "2막: 러스트가 GIL을 놓고 일합니다 (double_list_detached)."
EXPLAIN_1 = (
    "러스트가 GIL을 쥐고 있는 동안 파이썬 스레드는 멈춰 있습니다: "
    "'Py: Exit...'는 러스트가 끝난 다음에야 찍힙니다."
)
EXPLAIN_2 = (
    "러스트가 GIL을 놓고 일하는 동안 파이썬 스레드가 실행됩니다: "
    "'Py: Exit...'가 러스트의 일이 끝나기 전에 찍힙니다."
)
FREE_THREADED = (
    "이 인터프리터는 GIL 없이 실행 중입니다 (프리스레드): 1막에서도 파이썬 스레드가 "
    "기다리지 않으므로 'Py: Exit...'의 위치는 그때그때 다릅니다."
)
{%- else -%}
ACT_1 = "Act 1, the course's run: Rust holds the GIL from start to end (double_list)."
ACT_2 = "Act 2: Rust does its work with the GIL released (double_list_detached)."
EXPLAIN_1 = (
    "While Rust holds the GIL, the Python thread waits: "
    "'Py: Exit...' only comes after Rust has returned."
)
EXPLAIN_2 = (
    "While Rust works with the GIL released, the Python thread runs: "
    "'Py: Exit...' comes before Rust's work is over."
)
FREE_THREADED = (
    "This interpreter runs without a GIL (free-threaded): even in act 1 the Python "
    "thread does not wait, so where 'Py: Exit...' lands varies from run to run."
)
{%- endif %}


def rust_thread(
    double: Callable[[], None], python_waits_for: threading.Event
) -> threading.Thread:
    {% if lang_ko -%}
    """러스트 쪽을 실행하는 스레드: `double()`을 부른 다음, 러스트가 설정하기 전에
    실패했을 때를 대비해 파이썬 스레드가 기다리는 이벤트를 설정합니다."""
    {%- else -%}
    """A thread for Rust's side: it calls `double()`, then sets the event the Python
    thread waits for, in case Rust failed before it could."""
    {%- endif %}

    def run() -> None:
        try:
            double()
        finally:
            python_waits_for.set()

    return threading.Thread(target=run)


def side_by_side(
    python_thread: threading.Thread,
    entered: threading.Event,
    rust_thread: threading.Thread,
) -> None:
    {% if lang_ko -%}
    """파이썬 스레드를 시작하고, 그 스레드가 들어온 다음 러스트 스레드를 시작하고, 둘을
    기다립니다. (강의는 둘을 한꺼번에 시작했는데, 그러면 러스트가 먼저 찍을 수 있습니다.)
    """
    {%- else -%}
    """Starts the Python thread, then, once it has entered, the Rust one; waits for both.

    (The course started both at once: then Rust may print first.)
    """
    {%- endif %}
    python_thread.start()
    entered.wait()
    rust_thread.start()
    python_thread.join()
    rust_thread.join()


def gil_enabled() -> bool:
    {% if lang_ko -%}
    """GIL 없이 실행 중인 프리스레드 인터프리터에서 False."""
    # sys._is_gil_enabled()는 파이썬 3.13부터 있습니다. 그 이전에는 늘 GIL이 있습니다.
    {%- else -%}
    """False on a free-threaded interpreter running without the GIL."""
    # sys._is_gil_enabled() exists from Python 3.13 on; older versions always have a GIL.
    {%- endif %}
    is_gil_enabled = getattr(sys, "_is_gil_enabled", None)
    return True if is_gil_enabled is None else bool(is_gil_enabled())


def say(line: str) -> None:
    {% if lang_ko -%}
    """한 줄을 한 번에 씁니다. 러스트 스레드의 줄이 그 사이에 끼어들 수 없습니다.

    (print()는 글자와 줄바꿈을 따로 쓰므로 그 사이에 다른 스레드가 찍을 수 있습니다.)
    stdout이 닫히면(예를 들어 `head`로 파이프했을 때) 러스트 쪽처럼 찍지 않고 계속합니다.
    """
    {%- else -%}
    """Prints a line in a single write, so the Rust thread's lines cannot cut into it.

    (print() writes the text and the newline separately, and another thread may
    print in between.) When stdout has been closed (say, piped into `head`), the demo
    goes on without printing, as Rust's side does.
    """
    {%- endif %}
    try:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()
    except BrokenPipeError:
        {% if lang_ko -%}
        # 더 보여 줄 수 없습니다: 남은 출력은 조용히 버립니다.
        {%- else -%}
        # Nothing more can be shown: send what is left to nowhere, quietly.
        {%- endif %}
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


if __name__ == "__main__":
{%- if lang_ko %}
    utf8_output()
{%- endif %}
    main()
