"""Python vs Rust: the same naive Fibonacci in both languages, timed side by side.

    pipenv run python main.py                       # fib(35)
    pipenv run python main.py 32 --repeat 5
    pipenv run python main.py 32 --plot speed.png   # and a chart of every n up to 32

Build the module first with `pipenv run maturin develop --uv` (debug: fast to compile)
or `pipenv run maturin develop --uv --release` (optimised: the numbers worth comparing).
The chart needs matplotlib: `pipenv install --categories plot matplotlib` installs it.
"""

from __future__ import annotations

import argparse
import platform
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fib_demo import (
    DEBUG_BUILD,
    MAX_N,
    run,
)

# The charts' labels in English: the chart of an English project, and the fallback
# where no installed font can draw the chosen language.
CHART_EN = {
    "title": "fib(n), the same naive recursion: Python {python} vs Rust ({build} build)",
    "time": "time (s, log scale)",
    "ratio": "times faster in Rust",
    "python": "Python {python}",
    "rust": "Rust ({build} build)",
}

TEXT = {
    "description": "Times the same naive Fibonacci recursion in Python and in Rust.",
    "n": "which Fibonacci number to compute (default: %(default)s)",
    "repeat": "runs of each, of which the fastest counts (default: %(default)s)",
    "plot": "also time every n from {first} to N and save a chart of it as a PNG file",
    "range": "n must be between 0 and {max_n}",
    "plot_range": "--plot needs n to be {first} or more",
    "repeat_min": "--repeat must be at least 1",
    "python": "python: {seconds:.4f} s (best of {repeat}), result: {result}",
    "rust": "rust ({build} build): {seconds:.4f} s (best of {repeat}), result: {result}",
    "debug": "debug",
    "release": "release",
    "speedup": "Rust is {ratio:.1f}x faster",
    "hint": (
        "note: this is an unoptimised debug build; "
        "run `pipenv run maturin develop --uv --release` and try again."
    ),
    "no_matplotlib": (
        "--plot needs matplotlib, which is not installed: "
        "install it with `pipenv install --categories plot matplotlib`"
    ),
    "plotted": "chart saved to {path}",
}
CHART = CHART_EN

# The charts' size in pixels: figures of 10 x 4.5 inches at 100 dots per inch.
CHART_INCHES = (10.0, 4.5)
CHART_DPI = 100
# The smallest n a speed chart starts from.
PLOT_FROM = 5
# Fonts that draw Korean, one of which most systems have (Linux, Windows, macOS).
KOREAN_FONTS = ["Noto Sans CJK KR", "NanumGothic", "Malgun Gothic", "AppleGothic"]


def pyrun(n: int) -> int:
    """fib(n) by the naive recursion: the same algorithm as `run` in src/lib.rs."""
    if n < 2:
        return n

    return pyrun(n - 1) + pyrun(n - 2)


def best_time(func: Callable[[int], int], n: int, repeat: int) -> tuple[float, int]:
    """The fastest of `repeat` timed calls of func(n), and its result.

    The fastest run is the one least disturbed by the rest of the machine.
    """
    best = float("inf")
    result = 0
    for _ in range(repeat):
        start = time.perf_counter()
        result = func(n)
        best = min(best, time.perf_counter() - start)
    return best, result


def load_pyplot(parser: argparse.ArgumentParser) -> Any:
    """matplotlib's pyplot, drawing to files only; without matplotlib, a clear error."""
    try:
        import matplotlib
    except ImportError:
        parser.error(TEXT["no_matplotlib"])
    matplotlib.use("Agg")
    from matplotlib import pyplot

    return pyplot


def chart_text(
    pyplot: Any, chart: dict[str, str], in_english: dict[str, str]
) -> dict[str, str]:
    """A chart's labels: `chart` if an installed font can draw its language, else
    `in_english` (`chart` may be `in_english` itself)."""
    if chart is in_english:
        return chart
    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    for name in KOREAN_FONTS:
        if name in installed:
            pyplot.rcParams["font.family"] = [name, "DejaVu Sans"]
            return chart
    print(TEXT["no_korean_font"])
    return in_english


def new_chart(pyplot: Any, title: str, columns: int) -> tuple[Any, list[Any]]:
    """A figure of CHART_INCHES at CHART_DPI with `columns` axes side by side."""
    figure, axes = pyplot.subplots(
        1,
        columns,
        figsize=CHART_INCHES,
        dpi=CHART_DPI,
        layout="constrained",
        squeeze=False,
    )
    figure.suptitle(title)
    return figure, list(axes[0])


def plot_speed(
    pyplot: Any, rows: list[tuple[int, float, float]], build: str, path: Path
) -> None:
    """Time against n (log scale) for both languages, and their ratio, saved to `path`."""
    text = chart_text(pyplot, CHART, CHART_EN)
    python = platform.python_version()
    title = text["title"].format(python=python, build=build)
    figure, (left, right) = new_chart(pyplot, title, columns=2)
    ns = [n for n, _, _ in rows]
    python_label = text["python"].format(python=python)
    left.semilogy(ns, [py for _, py, _ in rows], "o-", label=python_label)
    left.semilogy(
        ns, [rs for _, _, rs in rows], "s-", label=text["rust"].format(build=build)
    )
    left.set_xlabel("n")
    left.set_ylabel(text["time"])
    left.legend()
    right.plot(ns, [py / max(rs, 1e-9) for _, py, rs in rows], "o-", color="tab:green")
    right.set_xlabel("n")
    right.set_ylabel(text["ratio"])
    for axes in (left, right):
        axes.grid(True, alpha=0.3)
    save_chart(pyplot, figure, path)


def save_chart(pyplot: Any, figure: Any, path: Path) -> None:
    """Writes `figure` to the PNG file `path`, making its directory if need be."""
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path)
    pyplot.close(figure)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=TEXT["description"])
    parser.add_argument("n", nargs="?", type=int, default=35, help=TEXT["n"])
    parser.add_argument("--repeat", type=int, default=3, help=TEXT["repeat"])
    parser.add_argument(
        "--plot", metavar="PNG", type=Path, help=TEXT["plot"].format(first=PLOT_FROM)
    )
    args = parser.parse_args(argv)
    if not 0 <= args.n <= MAX_N:
        parser.error(TEXT["range"].format(max_n=MAX_N))
    if args.repeat < 1:
        parser.error(TEXT["repeat_min"])
    if args.plot and args.n < PLOT_FROM:
        parser.error(TEXT["plot_range"].format(first=PLOT_FROM))
    # Before any timing: a missing matplotlib is reported at once.
    pyplot = load_pyplot(parser) if args.plot else None

    py_seconds, py_result = best_time(pyrun, args.n, args.repeat)
    repeat = args.repeat
    print(TEXT["python"].format(seconds=py_seconds, repeat=repeat, result=py_result))

    build = TEXT["debug"] if DEBUG_BUILD else TEXT["release"]
    rs_seconds, rs_result = best_time(run, args.n, repeat)
    rust = TEXT["rust"].format(
        build=build, seconds=rs_seconds, repeat=repeat, result=rs_result
    )
    print(rust)

    if py_result != rs_result:
        raise SystemExit(f"results differ: python {py_result}, rust {rs_result}")
    print(TEXT["speedup"].format(ratio=py_seconds / max(rs_seconds, 1e-9)))
    if DEBUG_BUILD:
        print(TEXT["hint"])

    if pyplot is not None:
        rows = [
            (n, best_time(pyrun, n, repeat)[0], best_time(run, n, repeat)[0])
            for n in range(PLOT_FROM, args.n + 1)
        ]
        plot_speed(pyplot, rows, build, args.plot)
        print(TEXT["plotted"].format(path=args.plot))


if __name__ == "__main__":
    main()
