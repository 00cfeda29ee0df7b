{% if lang_ko -%}
"""main.py{% if with_gil_demo %}와 gil_parallel.py{% endif %}가 `--plot`으로 그리는 그래프, 그리고 재는 파이썬 인터프리터의
이름.

그래프에는 matplotlib이 필요합니다. `pipenv install --dev`가 빨리 끝나도록 개발 패키지에는
넣지 않았고, `pipenv install --categories plot matplotlib`이 따로 설치합니다.
그래프의 글자는 한국어이고, 한글 글꼴이 하나도 없는 컴퓨터에서는 영어입니다(글꼴이 없는
한글은 빈 네모로 그려지기 때문입니다).
"""
{%- else -%}
"""The charts that main.py{% if with_gil_demo %} and gil_parallel.py{% endif %} draw with `--plot`, and the name of the
Python interpreter measured.

The charts need matplotlib, which is not among the dev packages (so that `pipenv
install --dev` stays fast): `pipenv install --categories plot matplotlib` installs it.
"""
{%- endif %}

from __future__ import annotations

import importlib.util
import platform
import sys
from pathlib import Path
from typing import Any

{% if lang_ko -%}
# 속도 그래프가 시작하는 가장 작은 n.
{%- else -%}
# The smallest n of the speed chart.
{%- endif %}
SPEED_CHART_FROM = 5
{% if lang_ko -%}
# 그래프의 크기: 100 dpi로 10 x 4.5인치, 곧 1000 x 450 픽셀.
{%- else -%}
# The charts' size: 10 x 4.5 inches at 100 dots per inch, 1000 x 450 pixels.
{%- endif %}
SIZE_INCHES = (10.0, 4.5)
DPI = 100

{% if lang_ko -%}
# 한글 글꼴이 없을 때 쓰는 영어 그래프의 글자.
{%- else -%}
# Every word the charts show.
{%- endif %}
ENGLISH = {
    "speed_title": "fib(n), the same naive recursion: {python} vs Rust ({build} build)",
    "time": "time (s, log scale)",
    "ratio": "times faster in Rust",
    "rust": "Rust ({build} build)",
    "debug": "debug",
    "release": "release",
{%- if with_gil_demo %}
    "threads_title": "The same work on 1 to {threads} threads: {python} ({gil}), "
    "Rust {build} build",
    "gil_on": "GIL enabled",
    "gil_off": "free-threaded, no GIL",
    "threads": "threads",
    "speedup": "speedup over 1 thread",
    "ideal": "ideal",
    "run": "Rust, holding the GIL (run)",
    "run_detached": "Rust, GIL released (run_detached)",
    "pyrun": "pure Python (pyrun)",
{%- endif %}
}
{% if lang_ko -%}
# 한국어 그래프의 글자.
KOREAN = {
    "speed_title": "fib(n), 같은 단순 재귀: {python} 대 러스트 ({build} 빌드)",
    "time": "시간 (초, 로그 눈금)",
    "ratio": "러스트가 빠른 배수",
    "rust": "러스트 ({build} 빌드)",
    "debug": "디버그",
    "release": "릴리즈",
{%- if with_gil_demo %}
    "threads_title": "같은 일을 스레드 1~{threads}개로: {python} ({gil}), 러스트 {build} 빌드",
    "gil_on": "GIL 켜짐",
    "gil_off": "프리스레드, GIL 없음",
    "threads": "스레드 수",
    "speedup": "속도 향상 (스레드 1개 대비)",
    "ideal": "이상적인 경우",
    "run": "러스트, GIL 유지 (run)",
    "run_detached": "러스트, GIL 해제 (run_detached)",
    "pyrun": "순수 파이썬 (pyrun)",
{%- endif %}
}
# 한글을 그리는 글꼴. 리눅스, 윈도우, macOS에 대개 이 중 하나가 있습니다.
KOREAN_FONTS = ["Noto Sans CJK KR", "NanumGothic", "Malgun Gothic", "AppleGothic"]
{%- endif %}

{% if lang_ko -%}
NO_MATPLOTLIB = "--plot에는 matplotlib이 필요한데 설치되어 있지 않습니다. " + (
    "PyPy에는 설치되지 않는 일이 많으니(PyPy용 휠이 없음) 그래프는 CPython으로 그리세요"
    if platform.python_implementation() == "PyPy"
    else "`pipenv install --categories plot matplotlib`으로 설치하세요"
)
{%- else -%}
NO_MATPLOTLIB = "--plot needs matplotlib, which is not installed: " + (
    "on PyPy it often cannot be (it has no wheels for PyPy): draw the charts with CPython"
    if platform.python_implementation() == "PyPy"
    else "install it with `pipenv install --categories plot matplotlib`"
)
{%- endif %}


def interpreter() -> str:
    {% if lang_ko -%}
    """재는 인터프리터: "CPython 3.12.1"이나 "PyPy 7.3.19 (Python 3.11.11)"."""
    {%- else -%}
    """The interpreter being measured: "CPython 3.12.1", or "PyPy 7.3.19 (Python 3.11.11)"."""
    {%- endif %}
    name = platform.python_implementation()
    version = platform.python_version()
    pypy = getattr(sys, "pypy_version_info", None)
    if pypy is None:
        return f"{name} {version}"
    return f"{name} {pypy.major}.{pypy.minor}.{pypy.micro} (Python {version})"


def have_matplotlib() -> bool:
    return importlib.util.find_spec("matplotlib") is not None


def speed_chart(rows: list[tuple[int, float, float]], debug: bool, path: Path) -> None:
    {% if lang_ko -%}
    """n에 따른 두 언어의 시간(로그 눈금)과 그 비율을 `path`에 PNG로 저장합니다.

    `rows`는 (n, 파이썬의 시간, 러스트의 시간)입니다.
    """
    {%- else -%}
    """Time against n (log scale) for both languages, and their ratio, saved to `path`.

    `rows` holds (n, Python's time, Rust's time).
    """
    {%- endif %}
    pyplot = load_pyplot()
    words = chart_words(pyplot)
    build = words["debug"] if debug else words["release"]
    python = interpreter()
    title = words["speed_title"].format(python=python, build=build)
    figure, (left, right) = new_chart(pyplot, title, columns=2)
    ns = [n for n, _, _ in rows]
    left.semilogy(ns, [py for _, py, _ in rows], "o-", label=python)
    rust = words["rust"].format(build=build)
    left.semilogy(ns, [rs for _, _, rs in rows], "s-", label=rust)
    left.set_ylabel(words["time"])
    left.legend()
    right.plot(ns, [py / max(rs, 1e-9) for _, py, rs in rows], "o-", color="tab:green")
    right.set_ylabel(words["ratio"])
    for axes in (left, right):
        axes.set_xlabel("n")
        axes.grid(True, alpha=0.3)
    save(pyplot, figure, path)


{%- if with_gil_demo %}


def threads_chart(
    speedups: dict[str, list[float]], debug: bool, gil_enabled: bool, path: Path
) -> None:
    {% if lang_ko -%}
    """스레드 수에 따른 속도 향상을 방식마다 한 선으로 그려 `path`에 PNG로 저장합니다.

    `speedups`의 키는 방식(run, run_detached, pyrun), 값은 스레드 1, 2, ...개일 때의 속도
    향상입니다.
    """
    {%- else -%}
    """Speedup against the number of threads, one line per variant, saved to `path`.

    `speedups` maps each variant (run, run_detached, pyrun) to its speedups with 1, 2,
    ... threads.
    """
    {%- endif %}
    pyplot = load_pyplot()
    words = chart_words(pyplot)
    threads = list(range(1, len(next(iter(speedups.values()))) + 1))
    title = words["threads_title"].format(
        threads=threads[-1],
        python=interpreter(),
        gil=words["gil_on"] if gil_enabled else words["gil_off"],
        build=words["debug"] if debug else words["release"],
    )
    figure, (axes,) = new_chart(pyplot, title, columns=1)
    {% if lang_ko -%}
    # 선과 표시를 다르게: 차례로 실행되는 두 방식은 겹쳐 그려집니다.
    {%- else -%}
    # Distinct markers and lines: the two variants that take turns overlap.
    {%- endif %}
    styles = {"run": "s-", "run_detached": "o-", "pyrun": "^:"}
    for name, values in speedups.items():
        axes.plot(threads, values, styles[name], label=words[name], markersize=8)
    axes.plot(threads, threads, "k--", label=words["ideal"], alpha=0.5)
    axes.set_ylim(bottom=0)
    axes.set_xticks(threads)
    axes.set_xlabel(words["threads"])
    axes.set_ylabel(words["speedup"])
    axes.grid(True, alpha=0.3)
    axes.legend(loc="upper left")
    save(pyplot, figure, path)
{%- endif %}


def load_pyplot() -> Any:
    {% if lang_ko -%}
    """파일에만 그리는(Agg) matplotlib의 pyplot."""
    {%- else -%}
    """matplotlib's pyplot, drawing to files only (Agg)."""
    {%- endif %}
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    return pyplot
{%- if lang_ko %}


def chart_words(pyplot: Any) -> dict[str, str]:
    """그래프의 글자: 한글 글꼴이 있으면 그 글꼴로 KOREAN, 없으면 ENGLISH."""
    from matplotlib import font_manager

    font = korean_font({font.name for font in font_manager.fontManager.ttflist})
    if font is None:
        print("한글 글꼴을 찾지 못해 그래프의 글자는 영어로 씁니다.")
        return ENGLISH
    pyplot.rcParams["font.family"] = [font, "DejaVu Sans"]
    return KOREAN


def korean_font(installed: set[str]) -> str | None:
    """`installed` 글꼴 가운데 한글을 그리는 첫 글꼴(KOREAN_FONTS의 순서), 없으면 None."""
    return next((name for name in KOREAN_FONTS if name in installed), None)
{%- else %}


def chart_words(pyplot: Any) -> dict[str, str]:
    """The charts' words."""
    return ENGLISH
{%- endif %}


def new_chart(pyplot: Any, title: str, columns: int) -> tuple[Any, list[Any]]:
    {% if lang_ko -%}
    """SIZE_INCHES 크기, DPI 해상도의 그림에 축 `columns`개를 나란히."""
    {%- else -%}
    """A figure of SIZE_INCHES at DPI with `columns` axes side by side."""
    {%- endif %}
    figure, axes = pyplot.subplots(
        1, columns, figsize=SIZE_INCHES, dpi=DPI, layout="constrained", squeeze=False
    )
    figure.suptitle(title)
    return figure, list(axes[0])


def save(pyplot: Any, figure: Any, path: Path) -> None:
    {% if lang_ko -%}
    """`figure`를 PNG 파일 `path`에 씁니다(필요하면 디렉터리도 만듭니다)."""
    {%- else -%}
    """Writes `figure` to the PNG file `path`, making its directory if need be."""
    {%- endif %}
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path)
    pyplot.close(figure)
    {% if lang_ko -%}
    print(f"그래프를 {path}에 저장했습니다")
    {%- else -%}
    print(f"chart saved to {path}")
    {%- endif %}
