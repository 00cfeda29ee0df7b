"""The charts that main.py draw with `--plot`, and the name of the
Python interpreter measured.

The charts need matplotlib, which is not among the dev packages (so that `pipenv
install --dev` stays fast): `pipenv install --categories plot matplotlib` installs it.
"""

from __future__ import annotations

import importlib.util
import platform
import sys
from pathlib import Path
from typing import Any

# The smallest n of the speed chart.
SPEED_CHART_FROM = 5
# The charts' size: 10 x 4.5 inches at 100 dots per inch, 1000 x 450 pixels.
SIZE_INCHES = (10.0, 4.5)
DPI = 100

# Every word the charts show.
ENGLISH = {
    "speed_title": "fib(n), the same naive recursion: {python} vs Rust ({build} build)",
    "time": "time (s, log scale)",
    "ratio": "times faster in Rust",
    "rust": "Rust ({build} build)",
    "debug": "debug",
    "release": "release",
}


NO_MATPLOTLIB = "--plot needs matplotlib, which is not installed: " + (
    "on PyPy it often cannot be (it has no wheels for PyPy): draw the charts with CPython"
    if platform.python_implementation() == "PyPy"
    else "install it with `pipenv install --categories plot matplotlib`"
)


def interpreter() -> str:
    """The interpreter being measured: "CPython 3.12.1", or "PyPy 7.3.19 (Python 3.11.11)"."""
    name = platform.python_implementation()
    version = platform.python_version()
    pypy = getattr(sys, "pypy_version_info", None)
    if pypy is None:
        return f"{name} {version}"
    return f"{name} {pypy.major}.{pypy.minor}.{pypy.micro} (Python {version})"


def have_matplotlib() -> bool:
    return importlib.util.find_spec("matplotlib") is not None


def speed_chart(rows: list[tuple[int, float, float]], debug: bool, path: Path) -> None:
    """Time against n (log scale) for both languages, and their ratio, saved to `path`.

    `rows` holds (n, Python's time, Rust's time).
    """
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


def load_pyplot() -> Any:
    """matplotlib's pyplot, drawing to files only (Agg)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    return pyplot


def chart_words(pyplot: Any) -> dict[str, str]:
    """The charts' words."""
    return ENGLISH


def new_chart(pyplot: Any, title: str, columns: int) -> tuple[Any, list[Any]]:
    """A figure of SIZE_INCHES at DPI with `columns` axes side by side."""
    figure, axes = pyplot.subplots(
        1, columns, figsize=SIZE_INCHES, dpi=DPI, layout="constrained", squeeze=False
    )
    figure.suptitle(title)
    return figure, list(axes[0])


def save(pyplot: Any, figure: Any, path: Path) -> None:
    """Writes `figure` to the PNG file `path`, making its directory if need be."""
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path)
    pyplot.close(figure)
    print(f"chart saved to {path}")
