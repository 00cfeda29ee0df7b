"""Puts Debian's own build of one Python into a private prefix, for the test suite's full
tier on a Debian or Ubuntu machine that has no such interpreter: a CPython version (pyenv
has no 3.14 or 3.15 here; Debian's `sid` suite has both), or PyPy (`pypy3.11`, Debian's
`pypy3` package, which is PyPy for Python 3.11 in sid).

    python3 tests/tools/debian_python.py 3.15 PREFIX --patchelf PATH [--apt-dir DIR]
    python3 tests/tools/debian_python.py pypy3.11 PREFIX --patchelf PATH [--apt-dir DIR]

Nothing outside PREFIX and the apt directory is written: apt runs with a configuration
of its own (its own source list, index, package cache and an empty dpkg status), the
packages are unpacked with `dpkg -x` (never installed), and the system is not touched.
The interpreter then runs from PREFIX/usr/bin/python3.X (or pypy3.11), and PREFIX/bin
holds only a `python3.X` (or `pypy3.11`) that runs it, for PATH. What has to be fixed for
that:

- sid's binaries need sid's glibc: the Depends closure of the interpreter is unpacked
  into PREFIX too, and the interpreter gets sid's loader and a DT_RPATH to sid's
  libraries (an RPATH, not a RUNPATH, so that the standard library's extension modules,
  loaded later, find sid's libssl and libffi too);
- the build-time paths of `sysconfig` still say /usr: they are moved to PREFIX/usr, or
  PyO3 cannot find `-lpython3.X` and `python -m venv` takes the system's pip;
- Debian's pyconfig.h includes its per-architecture twin by a path relative to
  /usr/include: it is made relative to the file itself, so that C extensions build;
- Debian ships PyPy's standard library without bytecode, which its packages compile when
  installed: it is compiled here once, so that no run pays for it.

Why sid's PyPy (8.0, wheel tag `pp80`) rather than trixie's (7.3.19, `pp73`, the tag of
the PyPy wheels on PyPI today, and a suite that does not move): setup-python gives the
generated CI's PyPy leg the newest PyPy 3.11, 8.0, and a user downloading PyPy today
gets it too; the suite tests what they run. The version is checked after unpacking:
should sid's `pypy3` move to another Python version, provisioning stops and says so.

A finished prefix holds `provisioned.toml` (the versions unpacked, the mirror they came
from), written last: a prefix without it is an interrupted run and is started anew. A
second run on a finished prefix only prints where the interpreter is.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

SUITE = "sid"
MARKER = "provisioned.toml"
# What pyenv-free interpreter use needs: the interpreter, its standard library, venv
# and ensurepip's wheels, and the headers and libpython.so that PyO3 links against.
ROOTS = ["python{v}", "python{v}-venv", "libpython{v}-dev"]
# The same for PyPy (its VM is libpypy3.11-c.so, in pypy3-lib; pip's and setuptools'
# wheels for its venv come from the python3 packages).
PYPY_ROOTS = [
    "pypy3",
    "pypy3-lib",
    "pypy3-dev",
    "pypy3-venv",
    "libstdc++6",
    "python3-pip-whl",
    "python3-setuptools-whl",
]
# The Python version of the PyPy that `pypy3.11` asks for.
PYPY = re.compile(r"pypy(3\.\d+)")
# Packages of the closure that a private interpreter never runs: maintainer-script
# machinery, compilers' headers (the host's gcc brings its own), certificates and
# time zones (the host's are used), and the C library's development files.
SKIPPED = {
    "debconf",
    "cdebconf",
    "libdebian-installer4",
    "libnewt0.52",
    "libslang2",
    "libtextwrap1",
    "readline-common",
    "ca-certificates",
    "openssl",
    "tzdata",
    "netbase",
    "linux-libc-dev",
    "libc6-dev",
    "libc-dev-bin",
    "libexpat1-dev",
    "zlib1g-dev",
    "libpython{v}-testsuite",
}
# Build-time settings that name host tools or host data, which stay where they are.
KEPT_KEYS = re.compile(r"^(INSTALL\w*|DTRACE|TZPATH)$")


def fail(message: str) -> None:
    sys.exit(f"debian_python.py: {message}")


def run(command: list[str], what: str) -> str:
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        fail(
            f"{what} failed (exit {result.returncode}): {' '.join(command)}\n"
            f"{result.stdout[-3000:]}{result.stderr[-3000:]}"
        )
    return result.stdout


def debian_mirror() -> tuple[str, str]:
    """The Debian archive this machine's apt uses, and the keyring it checks it with
    (TEMPLATE_TEST_DEBIAN_MIRROR overrides the address)."""
    keyring = "/usr/share/keyrings/debian-archive-keyring.gpg"
    override = os.environ.get("TEMPLATE_TEST_DEBIAN_MIRROR")
    if override:
        return override.rstrip("/"), keyring
    sources = Path("/etc/apt/sources.list.d")
    texts = [p.read_text() for p in sorted(sources.glob("*.sources"))]
    if Path("/etc/apt/sources.list").exists():
        texts.append(Path("/etc/apt/sources.list").read_text())
    for text in texts:
        # deb822 stanzas ("URIs: ...") and one-line entries ("deb [opts] URI suite").
        for uri in re.findall(r"^URIs:\s*(\S+)", text, re.M) + re.findall(
            r"^deb\s+(?:\[[^\]]*\]\s+)?(\S+)", text, re.M
        ):
            if uri.rstrip("/").endswith("/debian"):
                return uri.rstrip("/"), keyring
    fail(
        "this machine's apt has no Debian archive configured (looked in "
        "/etc/apt/sources.list and /etc/apt/sources.list.d/*.sources for a URI ending "
        "in /debian); set TEMPLATE_TEST_DEBIAN_MIRROR to one"
    )
    raise AssertionError


class Apt:
    """apt-get and apt-cache with a private configuration under `root`."""

    def __init__(self, root: Path, mirror: str, keyring: str) -> None:
        self.root = root
        for sub in ["lists/partial", "cache/archives/partial"]:
            (root / sub).mkdir(parents=True, exist_ok=True)
        source_list = root / "sources.list"
        source_list.write_text(f"deb [signed-by={keyring}] {mirror} {SUITE} main\n")
        self.options = [
            f"-o=Dir::Etc::sourcelist={source_list}",
            "-o=Dir::Etc::sourceparts=-",
            f"-o=Dir::State::Lists={root / 'lists'}",
            f"-o=Dir::Cache={root / 'cache'}",
            # An empty dpkg status: nothing counts as installed, so the closure is whole.
            "-o=Dir::State::status=/dev/null",
            "-o=Debug::NoLocking=1",
            "-o=APT::Sandbox::User=root",
            "-o=Acquire::Languages=none",
            "-o=Acquire::IndexTargets::deb::DEP-11::DefaultEnabled=false",
            "-o=Acquire::IndexTargets::deb::DEP-11-icons::DefaultEnabled=false",
            "-o=Acquire::IndexTargets::deb::DEP-11-icons-small::DefaultEnabled=false",
        ]

    def update(self) -> None:
        run(["apt-get", *self.options, "-qq", "update"], f"apt-get update ({SUITE})")

    def version(self, package: str) -> str | None:
        out = run(["apt-cache", *self.options, "policy", package], "apt-cache policy")
        found = re.search(r"Candidate:\s*(\S+)", out)
        return None if not found or found.group(1) == "(none)" else found.group(1)

    def closure(self, roots: list[str]) -> list[str]:
        out = run(
            [
                "apt-cache",
                *self.options,
                "depends",
                "--recurse",
                "--no-recommends",
                "--no-suggests",
                "--no-conflicts",
                "--no-breaks",
                "--no-replaces",
                "--no-enhances",
                *roots,
            ],
            "apt-cache depends",
        )
        # Unindented lines are packages; <virtual> ones have a real provider listed too.
        return sorted(
            {line for line in out.splitlines() if line and not line.startswith((" ", "<"))}
        )

    def download(self, packages: list[str], into: Path) -> list[Path]:
        into.mkdir(parents=True, exist_ok=True)
        run(["apt-get", *self.options, "-qq", "download", *packages], "apt-get download")
        return sorted(into.glob("*.deb"))


def deb_name_version(deb: Path) -> tuple[str, str]:
    """("libc6", "2.43-7") from libc6_2.43-7_amd64.deb (an epoch's ":" is "%3a")."""
    name, version, _arch = deb.stem.split("_")
    return name, version.replace("%3a", ":")


def relocate_sysconfig(prefix: Path, stdlib: Path) -> list[Path]:
    """Moves the build-time paths of sysconfig from /usr to PREFIX/usr."""
    usr = str(prefix / "usr")
    files = [*stdlib.glob("_sysconfigdata*.py"), *stdlib.glob("_sysconfig_vars_*.json")]
    if not files:
        fail(f"no _sysconfigdata*.py under {stdlib}: not a Python package?")
    # A value, or a space-separated token of one, that starts with /usr.
    token = re.compile(r"""(?<=['" ])/usr(?=[/'" ])""")
    entry = re.compile(r"""^(\s*['"])(\w+)(['"]:\s*)(.*)$""")
    for path in files:
        lines = []
        for line in path.read_text().splitlines(keepends=True):
            match = entry.match(line)
            if match and not KEPT_KEYS.match(match.group(2)):
                head = "".join(match.group(1, 2, 3))
                line = head + token.sub(usr, match.group(4)) + "\n"
            lines.append(line)
        path.write_text("".join(lines))
        # Stale bytecode would still hold the old paths.
        for cached in (stdlib / "__pycache__").glob(path.stem + ".*.pyc"):
            cached.unlink()
    return files


def fix_pyconfig(prefix: Path, version: str) -> None:
    header = prefix / "usr" / "include" / f"python{version}" / "pyconfig.h"
    text = header.read_text()
    fixed = re.sub(
        r"#(\s*)include <([^>]+/python[\d.]+/pyconfig\.h)>", r'#\1include "../\2"', text
    )
    header.write_text(fixed)


def provision(version: str, prefix: Path, patchelf: Path, apt_dir: Path) -> dict:
    """Provisions `version`: "3.15" (CPython) or "pypy3.11" (PyPy)."""
    pypy = PYPY.fullmatch(version)
    if platform.system() != "Linux" or platform.machine() != "x86_64":
        fail(f"Debian's packages are used on x86_64 Linux only, not {platform.platform()}")
    if not shutil.which("apt-get") or not shutil.which("dpkg"):
        fail("apt-get and dpkg are needed (a Debian or Ubuntu machine)")
    mirror, keyring = debian_mirror()
    apt = Apt(apt_dir, mirror, keyring)
    apt.update()
    interpreter = version if pypy else f"python{version}"
    package = "pypy3" if pypy else interpreter
    if apt.version(package) is None:
        fail(f"Debian's {SUITE} has no package {package} (at {mirror})")
    skipped = {name.format(v=version) for name in SKIPPED}
    roots = PYPY_ROOTS if pypy else [r.format(v=version) for r in ROOTS]
    packages = [p for p in apt.closure(roots) if p not in skipped]
    downloads = apt_dir / f"debs-{version}"
    shutil.rmtree(downloads, ignore_errors=True)
    downloads.mkdir(parents=True)
    os.chdir(downloads)  # apt-get download writes into the current directory
    debs = apt.download(packages, downloads)
    shutil.rmtree(prefix, ignore_errors=True)
    prefix.mkdir(parents=True)
    for deb in debs:
        run(["dpkg-deb", "-x", str(deb), str(prefix)], f"dpkg-deb -x {deb.name}")
    shutil.rmtree(downloads)
    # Out of the directory just removed: PyPy will not start in a directory that is gone.
    os.chdir(prefix)
    libdir = prefix / "usr" / "lib" / "x86_64-linux-gnu"
    # Only the shared libpython is linked against; the static one is 30 MB of nothing.
    for static in libdir.glob(f"libpython{version}*.a"):
        static.unlink()
    loader = libdir / "ld-linux-x86-64.so.2"
    python = prefix / "usr" / "bin" / interpreter
    run(
        [
            str(patchelf),
            "--set-interpreter",
            str(loader),
            "--force-rpath",
            "--set-rpath",
            str(libdir),
            str(python),
        ],
        "patchelf",
    )
    stdlib = prefix / "usr" / "lib" / interpreter
    if pypy:
        # Not PyPy 3.11 after all: sid's pypy3 moved on, and a project for 3.11 would not
        # take it. (TEMPLATE_TEST_DEBIAN_MIRROR can point at an archive that has it.)
        found = run([str(python), "-c", "import sys; print('%d.%d' % sys.version_info[:2])"], "pypy")
        if found.strip() != pypy.group(1):
            fail(f"Debian's {SUITE} pypy3 is PyPy for Python {found.strip()}, not {pypy.group(1)}")
    relocate_sysconfig(prefix, stdlib)
    if pypy:
        run([str(python), "-m", "compileall", "-q", str(stdlib)], "compileall")
    else:
        fix_pyconfig(prefix, version)
    # A directory holding only `python3.X`, to put on PATH where pipenv looks for the
    # Pipfile's version (PREFIX/usr/bin has Debian's other scripts too).
    bin_dir = prefix / "bin"
    bin_dir.mkdir()
    wrapper = bin_dir / interpreter
    wrapper.write_text(f'#!/bin/sh\nexec "{python}" "$@"\n')
    wrapper.chmod(0o755)
    run([str(python), "-c", "import ssl, sqlite3, ctypes, venv, ensurepip"], "the new interpreter")
    implementation = "PyPy" if pypy else "Python"
    full_version = "import sys, platform; print(platform.python_implementation(), " + (
        "'%d.%d.%d' % sys.pypy_version_info[:3], '(Python', platform.python_version() + ')')"
        if pypy
        else "platform.python_version())"
    )
    record = {
        "python": str(python),
        "version": run([str(python), "-c", full_version], implementation).strip(),
        "bin": str(bin_dir),
        "loader": str(loader),
        "libdir": str(libdir),
        "source": f"{mirror} {SUITE} main",
        "packages": dict(deb_name_version(deb) for deb in debs),
    }
    (prefix / MARKER).write_text(to_toml(record))
    return record


def to_toml(record: dict) -> str:
    """The record as TOML (a JSON string is a valid TOML basic string)."""
    lines = [f"{key} = {json.dumps(value)}" for key, value in record.items() if isinstance(value, str)]
    lines.append("\n[packages]")
    lines += [f"{json.dumps(name)} = {json.dumps(v)}" for name, v in record["packages"].items()]
    return "\n".join(lines) + "\n"





def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("version", help="a minor version, such as 3.15")
    parser.add_argument("prefix", type=Path)
    parser.add_argument("--patchelf", type=Path, required=True)
    parser.add_argument("--apt-dir", type=Path, help="apt's private state (default: PREFIX.apt)")
    args = parser.parse_args()
    if not re.fullmatch(r"3\.\d+", args.version) and not PYPY.fullmatch(args.version):
        fail(f"version {args.version!r} is not of the form 3.N or pypy3.N")
    prefix = args.prefix.resolve()
    marker = prefix / MARKER
    if marker.exists():
        record = tomllib.loads(marker.read_text())
    else:
        apt_dir = (args.apt_dir or prefix.with_name(prefix.name + ".apt")).resolve()
        record = provision(args.version, prefix, args.patchelf, apt_dir)
    print(f"{record['version']} at {record['python']}, from {record['source']}")


if __name__ == "__main__":
    main()
