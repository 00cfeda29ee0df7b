"""Writes hooks/dev_tool_modules.rhai: every top-level module a generated project's
virtualenv holds, and the package it comes from.

    python3 tests/tools/dev_tool_modules.py

A project named after one of them would break itself: `maturin develop` installs the
project's module into the same site-packages, over the tool's own module (a project
named "click" breaks black, one named "pluggy" breaks pytest). hooks/rules.rhai refuses
such names. The list is read off real installs, not written from memory:

1. for every Python from 3.9 to 3.13 found here (pyenv, or python3.X on PATH), a fresh
   virtualenv made by `virtualenv`, as pipenv makes them (seed packages included), with
   the template Pipfile's [dev-packages] installed, and for one of them the plot
   category too (what the README's `pipenv install --categories plot matplotlib` adds);
2. for what cannot run here (Windows, macOS, Python 3.14 and 3.15), the packages
   `uv pip install --target --python-platform --python-version` picks, which evaluates
   each platform's dependency markers (colorama on Windows, say).

Run it after changing the Pipfile's packages; the full tier fails, naming this command,
when a built project's virtualenv holds a module the list lacks. It needs PyPI and
takes a minute or two.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PIPFILE = ROOT / "template" / "Pipfile"
OUTPUT = ROOT / "hooks" / "dev_tool_modules.rhai"
LOCAL_VERSIONS = ["3.9", "3.10", "3.11", "3.12", "3.13"]
# What cannot run here: (uv's --python-platform, Python version).
CROSS_TARGETS = [
    ("x86_64-pc-windows-msvc", "3.13"),
    ("aarch64-apple-darwin", "3.13"),
    ("x86_64-apple-darwin", "3.13"),
    ("x86_64-unknown-linux-gnu", "3.14"),
    ("x86_64-unknown-linux-gnu", "3.15"),
]
PLOT_VERSION = "3.12"
# The plot category, which the generated README tells users to add.
PLOT_PACKAGES = ["matplotlib"]
# The owner of what no package's RECORD lists (virtualenv's own _virtualenv.py).
UNCLAIMED = "virtualenv"


def pipfile_packages(section: str) -> list[str]:
    """The package names of a Pipfile section (their versions hold liquid: dropped)."""
    names: list[str] = []
    current = None
    for line in PIPFILE.read_text().splitlines():
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            current = stripped.strip("[]")
        elif current == section and stripped[:1].isalnum():
            names.append(stripped.split("=", 1)[0].strip())
    if not names:
        raise SystemExit(f"{PIPFILE} has no packages in [{section}]")
    return names


def find_python(version: str) -> Path | None:
    """The interpreter pipenv would find for `version`: pyenv's, or python3.X on PATH."""
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    for candidate in sorted(pyenv.glob(f"{version}.*"), reverse=True):
        if (candidate / "bin" / "python3").exists():
            return candidate / "bin" / "python3"
    for directory in os.environ.get("PATH", "").split(os.pathsep):
        if (Path(directory) / f"python{version}").exists():
            return Path(directory) / f"python{version}"
    return None


def run(*command: str | Path) -> None:
    env = dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_ROOT_USER_ACTION="ignore")
    subprocess.run(
        [str(c) for c in command], check=True, stdout=subprocess.DEVNULL, env=env
    )


def top_level_modules(site_packages: Path) -> dict[str, str]:
    """Importable top-level name (lower case) -> the package that installed it."""
    found: dict[str, str] = {}
    for record in sorted(site_packages.glob("*.dist-info/RECORD")):
        dist = record.parent.name.split("-")[0].lower().replace("_", "-")
        for line in record.read_text().splitlines():
            path = line.split(",", 1)[0]
            first = path.split("/", 1)[0]
            is_package = "/" in path
            is_module = first.endswith((".py", ".so", ".pyd"))
            skipped = first.startswith("..") or first.endswith((".dist-info", ".data"))
            if (is_package or is_module) and not skipped and first not in ("__pycache__", "bin"):
                found.setdefault(first.split(".", 1)[0].lower(), dist)
    for entry in sorted(site_packages.iterdir()):
        importable = entry.is_dir() or entry.suffix in (".py", ".so", ".pyd")
        ignored = entry.name.endswith(".dist-info") or entry.name in ("__pycache__", "bin")
        if importable and not ignored:
            found.setdefault(entry.name.split(".", 1)[0].lower(), UNCLAIMED)
    return found


def site_packages_of(venv: Path) -> Path:
    (lib,) = [p for p in (venv / "lib").glob("python3*") if p.is_dir()]
    return lib / "site-packages"


def merge(modules: dict[str, str], found: dict[str, str]) -> None:
    """Adds what `found` knows and `modules` does not yet."""
    for name, dist in found.items():
        modules.setdefault(name, dist)


def main() -> None:
    dev = pipfile_packages("dev-packages")
    plot = PLOT_PACKAGES
    modules: dict[str, str] = {}
    covered: list[str] = []
    missing: list[str] = []
    with tempfile.TemporaryDirectory() as scratch_dir:
        scratch = Path(scratch_dir)
        # The tools that make the environments: virtualenv (as pipenv uses it) and uv.
        helper = scratch / "helper"
        run(sys.executable, "-m", "venv", helper)
        run(helper / "bin" / "python", "-m", "pip", "install", "--quiet", "virtualenv", "uv")
        uv = helper / "bin" / "uv"
        for version in LOCAL_VERSIONS:
            python = find_python(version)
            if python is None:
                missing.append(f"Python {version} (no interpreter here)")
                continue
            packages = dev + (plot if version == PLOT_VERSION else [])
            print(f"Python {version}: {' '.join(packages)}", file=sys.stderr)
            venv = scratch / f"venv-{version}"
            run(helper / "bin" / "python", "-m", "virtualenv", "--quiet", "-p", python, venv)
            run(uv, "pip", "install", "--quiet", "--python", venv / "bin" / "python", *packages)
            merge(modules, top_level_modules(site_packages_of(venv)))
            covered.append(f"Python {version}" + (" with [plot]" if packages != dev else ""))
        for platform, version in CROSS_TARGETS:
            print(f"{platform}, Python {version}: {' '.join(dev)}", file=sys.stderr)
            target = scratch / f"target-{platform}-{version}"
            try:
                run(
                    uv, "pip", "install", "--quiet", "--target", target,
                    "--python-platform", platform, "--python-version", version, *dev,
                )
            except subprocess.CalledProcessError:
                missing.append(f"{platform} Python {version} (uv could not resolve it)")
                continue
            merge(modules, top_level_modules(target))
            covered.append(f"{platform} Python {version}")

    lines = [
        "// Generated by `python3 tests/tools/dev_tool_modules.py`: do not edit by hand.",
        "// Every top-level module a generated project's virtualenv holds, and the package",
        "// it comes from; hooks/rules.rhai refuses project names among them.",
        f"// Read off: {', '.join(covered)}.",
    ]
    if missing:
        lines.append(f"// Not covered: {', '.join(missing)}.")
    lines += ["fn dev_tool_modules() {", "    #{"]
    lines += [f'        "{name}": "{dist}",' for name, dist in sorted(modules.items())]
    lines += ["    }", "}"]
    OUTPUT.write_text("\n".join(lines) + "\n")
    print(f"wrote {len(modules)} modules to {OUTPUT.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
