"""{% if lang_ko %}`pipenv run cargo ...`: maturin이 모듈을 빌드하는 환경 그대로 cargo를 실행합니다.

maturin은 PYO3_BUILD_EXTENSION_MODULE, PYO3_PYTHON, PYO3_ENVIRONMENT_SIGNATURE를 설정하고
target/maturin-build에서 pyo3를 빌드합니다. 한 target 디렉터리에서 이 값들이 두 빌드 사이에
다르면 pyo3의 빌드 스크립트가 다시 돌고 pyo3가 처음부터 다시 컴파일됩니다. Pipfile의
`cargo` 스크립트는 cargo를 이 파일(tools/cargo_env.py)을 거쳐 같은 값과 같은 target 디렉터리로 실행합니다.
그래서 `pipenv run cargo test`와 pre-commit의 clippy는 pyo3를 따로 빌드하지 않고 maturin이
빌드해 둔 것을 씁니다.

확장 모듈용으로 빌드된 pyo3는 libpython을 링크하지 않습니다. 파이썬을 호출하는 러스트
테스트 바이너리에는 libpython이 필요하므로, LINK_LIBPYTHON이 인터프리터의 libpython을 가리키며
build.rs에게 테스트 바이너리에 링크하라고 알립니다 (maturin은 이 값을 설정하지 않으므로 확장
모듈은 그대로입니다).

abi3 모듈이면 maturin은 인터프리터 대신 자기가 쓴 파일(PYO3_CONFIG_FILE)로 pyo3를 설정하고,
cargo에도 같은 파일을 줍니다.

`pipenv run` 없이 실행한 cargo(편집기의 rust-analyzer 등)는 target/debug에 따로 빌드하므로
maturin의 빌드를 건드리지 않습니다.
{%- else %}`pipenv run cargo ...`: cargo in the environment that maturin builds the module in.

maturin builds pyo3 with PYO3_BUILD_EXTENSION_MODULE, PYO3_PYTHON and
PYO3_ENVIRONMENT_SIGNATURE set, in target/maturin-build. When one of them differs between
two builds in one target directory, pyo3's build script runs again and pyo3 is compiled
again from nothing. The Pipfile's `cargo` script runs cargo through this file, with the
same values and the same target directory, so `pipenv run cargo test` and pre-commit's
clippy reuse maturin's build of pyo3 instead of making their own.

Built as for an extension module, pyo3 does not link libpython, and the Rust test binary
(which calls into Python) needs it: LINK_LIBPYTHON names the interpreter's libpython, and
tells build.rs to link it there. maturin never sets it, so the extension module is
unchanged.

For an abi3 module maturin configures pyo3 with a file it writes (PYO3_CONFIG_FILE)
rather than with the interpreter, and cargo is given the same file.

Plain cargo, without `pipenv run` (as an editor's rust-analyzer runs it), builds in
target/debug, apart, and leaves maturin's build alone.
{%- endif %}
"""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import sysconfig
from collections.abc import Mapping
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
# pyproject.toml's [tool.maturin] config puts maturin's builds here; CARGO_TARGET_DIR,
# where it is set, overrides both maturin's and this.
MATURIN_TARGET_DIR = PROJECT / "target" / "maturin-build"


def maturin_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """`environ` with the variables that maturin's build of the module has."""
    virtual_env = environ.get("VIRTUAL_ENV")
    if not virtual_env:
        raise SystemExit(
            "{% if lang_ko %}cargo_env.py: 활성화된 가상환경이 없습니다 (VIRTUAL_ENV가 비어 있음). `pipenv run cargo ...`로 실행하세요{% else %}cargo_env.py: no virtualenv is active (VIRTUAL_ENV is empty): run it as `pipenv run cargo ...`{% endif %}"
        )
    # The interpreter `maturin develop` finds in the virtualenv, spelled as maturin spells it.
    if os.name == "nt":
        python = os.path.join(virtual_env, "Scripts", "python.exe")
    else:
        python = os.path.join(virtual_env, "bin", "python")
    # maturin's signature: implementation, version and pointer width (no "t" for a
    # free-threaded build, whose ABI pyo3 reads from the interpreter itself).
    version = sys.version_info
    signature = (
        f"{sys.implementation.name}-{version.major}.{version.minor}"
        f"-{struct.calcsize('P') * 8}bit"
    )
    env = dict(environ)
    env.update(
        PYO3_BUILD_EXTENSION_MODULE="1",
        PYO3_PYTHON=python,
        PYO3_ENVIRONMENT_SIGNATURE=signature,
        PYTHON_SYS_EXECUTABLE=python,
    )
    # maturin keeps its own files in cargo's target directory as Cargo.toml alone sets
    # it (target/, or CARGO_TARGET_DIR), not in the one its config builds in.
    cargo_target_dir = Path(environ.get("CARGO_TARGET_DIR") or PROJECT / "target")
    maturin_files = cargo_target_dir / "maturin"
    env.setdefault("CARGO_TARGET_DIR", str(MATURIN_TARGET_DIR))
    config = stable_abi_config(maturin_files)
    if config is not None:
        env["PYO3_CONFIG_FILE"] = str(config)
    library = libpython()
    if library is not None:
        env["LINK_LIBPYTHON"] = library
    return env


def stable_abi_config(maturin_files: Path) -> Path | None:
    """The PyO3 configuration file maturin last wrote for a stable-ABI (abi3) build with
    this interpreter's version, if it wrote one.

    For a stable-ABI module maturin configures pyo3 with this file
    (target/maturin/pyo3-config-<target>-<X.Y>-abi3.txt) rather than with the
    interpreter: cargo must be given the same file.
    """
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    written = maturin_files.glob(f"pyo3-config-*-{version}-abi3*.txt")
    newest = max(written, key=lambda path: path.stat().st_mtime, default=None)
    return None if newest is None else newest.resolve()


def libpython() -> str | None:
    """The interpreter's libpython, for build.rs to link into the Rust test binary (None
    where the interpreter has no library directory, as on Windows, which needs none)."""
    libdir = sysconfig.get_config_var("LIBDIR")
    ldversion = sysconfig.get_config_var("LDVERSION")
    if not libdir or not ldversion:
        return None
    library = sysconfig.get_config_var("LDLIBRARY") or ""
    if not library.startswith("libpython"):
        # A macOS framework build: its lib/ holds libpython too.
        library = f"libpython{ldversion}.dylib"
    return os.path.join(libdir, library)


def main() -> int:
    command = ["cargo", *sys.argv[1:]]
    env = maturin_environment(os.environ)
    if os.name == "posix":
        # cargo takes this process's place: its exit status and signals are cargo's own.
        os.execvpe(command[0], command, env)
    return subprocess.call(command, env=env)


if __name__ == "__main__":
    sys.exit(main())
