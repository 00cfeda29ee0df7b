"""main.py, the Python vs Rust comparison, and the charts the scripts draw (charts.py).

The scripts run in this process, through their main() (the template's own tests also
run them as commands, as a user does).
"""

from __future__ import annotations

import platform
import re
import struct
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import charts
import gil_parallel
import main

needs_matplotlib = pytest.mark.skipif(
    not charts.have_matplotlib(),
    reason="no plot category: pipenv install --categories plot matplotlib",
)
without_matplotlib = pytest.mark.skipif(
    charts.have_matplotlib(), reason="matplotlib is installed (the plot category)"
)
# The scripts that draw a chart with --plot.
CHARTING_SCRIPTS: list[Callable[[list[str] | None], None]] = [
    main.main,
    gil_parallel.main,
]


def png_size(path: Path) -> tuple[int, int]:
    """(width, height) of a PNG file, read from its header."""
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG file"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def test_main_prints_both_results_and_the_speedup(
    capsys: pytest.CaptureFixture[str],
) -> None:
    main.main(["20", "--repeat", "1"])
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"python ({charts.interpreter()}): ")
    assert lines[0].endswith("result: 6765")
    assert lines[1].startswith("rust (")
    assert lines[1].endswith("result: 6765")
    # The speedup: a ratio such as "12.7" in the third line, whatever the language.
    assert re.search(r"\d+\.\d", lines[2]), lines[2]


def test_main_says_when_python_is_the_faster(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A ratio below 1 (a debug build against PyPy's JIT, say) is read the other way."""

    def slower_run(n: int) -> int:
        time.sleep(0.01)
        return main.pyrun(n)

    monkeypatch.setattr(main, "run", slower_run)
    main.main(["5", "--repeat", "1"])
    speedup = capsys.readouterr().out.splitlines()[2]
    assert speedup.startswith("Python is "), speedup


def test_main_refuses_an_n_out_of_range(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as refused:
        main.main(["94"])
    assert refused.value.code == 2
    assert "93" in capsys.readouterr().err


def test_the_interpreter_is_named_with_its_implementation() -> None:
    name = charts.interpreter()
    assert name.startswith(f"{platform.python_implementation()} "), name
    assert platform.python_version() in name, name


@without_matplotlib
@pytest.mark.parametrize("script", CHARTING_SCRIPTS)
def test_plot_without_matplotlib_says_how_to_install_it(
    script: Callable[[list[str] | None], None],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as refused:
        script(["--plot", str(tmp_path / "chart.png")])
    assert refused.value.code == 2
    assert charts.NO_MATPLOTLIB in capsys.readouterr().err
    assert not (tmp_path / "chart.png").exists()


@needs_matplotlib
def test_main_plots_the_time_against_n(tmp_path: Path) -> None:
    chart = tmp_path / "speed.png"
    main.main(["12", "--repeat", "1", "--plot", str(chart)])
    assert png_size(chart) == (1000, 450)


@needs_matplotlib
def test_gil_parallel_plots_the_speedup_against_threads(tmp_path: Path) -> None:
    chart = tmp_path / "threads.png"
    args = ["--threads", "2", "--n", "12", "--seconds", "0.01", "--repeat", "1"]
    gil_parallel.main([*args, "--plot", str(chart)])
    assert png_size(chart) == (1000, 450)
