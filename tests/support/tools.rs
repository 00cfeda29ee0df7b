//! The tools the suite runs, installed on first use when missing.
//!
//! - cargo-generate, pinned to [`CARGO_GENERATE_VERSION`]: the one on PATH when it is that
//!   version, else `cargo install --locked` into the cache (about 4 minutes on 2 cores);
//!   or the executable that `TEMPLATE_TEST_CARGO_GENERATE` names, whatever its version.
//! - The Python tools of `tests/tools/requirements.txt` (check-jsonschema, zizmor, twine,
//!   validate-pyproject), pinned with `constraints.txt`, in a virtualenv of their own
//!   under the cache, keyed by the two files' contents.
//! - pipenv, in the version a generated project pins (see [`pipenv`]), in a virtualenv
//!   per version.
//!
//! pre-commit, maturin, pytest and black come from each generated project's Pipfile, as
//! they do for a user. An interrupted install is never mistaken for a finished one:
//! cargo-generate is installed elsewhere and renamed into place, and each virtualenv is
//! marked complete only once pip has succeeded.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use crate::command;
use crate::debian_python::{self, DebianPython};
use crate::paths::{cache_dir, repo_root};

/// The newest cargo-generate that builds with rustc 1.95; it also has the fix that
/// makes `--silent` pick the first of `sub_templates` (cargo-generate#1718).
pub const CARGO_GENERATE_VERSION: &str = "0.23.14";

/// The tools, installed once per process.
pub struct Tools {
    /// The `cargo-generate` executable.
    pub cargo_generate: PathBuf,
    /// The `bin` (or `Scripts`) directory of the Python tools' virtualenv.
    pub python_tools_bin: PathBuf,
}

impl Tools {
    /// A Python tool from the tools' virtualenv, such as `zizmor`.
    pub fn python_tool(&self, name: &str) -> PathBuf {
        executable_in(&self.python_tools_bin, name)
    }
}

/// The tools, installing what is missing on the first call.
pub fn tools() -> &'static Tools {
    static TOOLS: OnceLock<Tools> = OnceLock::new();
    TOOLS.get_or_init(|| Tools {
        cargo_generate: cargo_generate(),
        python_tools_bin: python_tools(),
    })
}

/// The cargo-generate the suite runs: `TEMPLATE_TEST_CARGO_GENERATE` (a path to any
/// version, such as the newest, which users with a current Rust have), else the pinned
/// [`CARGO_GENERATE_VERSION`]. Its version is printed once, so a run's output says
/// which one it tested.
fn cargo_generate() -> PathBuf {
    let executable = match std::env::var_os("TEMPLATE_TEST_CARGO_GENERATE") {
        Some(chosen) => {
            let chosen = PathBuf::from(chosen);
            if !chosen.is_file() {
                panic!(
                    "TEMPLATE_TEST_CARGO_GENERATE={} is not a file: give the path of a \
                     cargo-generate executable",
                    chosen.display()
                );
            }
            chosen
        }
        None => pinned_cargo_generate(),
    };
    let version = version_output(&executable, &["--version"]).unwrap_or_else(|| {
        panic!(
            "{} --version failed: not a working cargo-generate",
            executable.display()
        )
    });
    eprintln!("using {version} ({})", executable.display());
    executable
}

fn pinned_cargo_generate() -> PathBuf {
    if let Some(on_path) = find_on_path("cargo-generate")
        && version_output(&on_path, &["--version"])
            .is_some_and(|v| v.split_whitespace().last() == Some(CARGO_GENERATE_VERSION))
    {
        return on_path;
    }
    let root = cache_dir().join(format!("cargo-generate-{CARGO_GENERATE_VERSION}"));
    let installed = executable_in(&root.join("bin"), "cargo-generate");
    if !installed.exists() {
        eprintln!(
            "installing cargo-generate {CARGO_GENERATE_VERSION} into {} (about 4 minutes)...",
            root.display()
        );
        let partial = cache_dir().join(format!("cargo-generate-{CARGO_GENERATE_VERSION}.partial"));
        let _ = std::fs::remove_dir_all(&partial);
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        run_install(
            Command::new(cargo)
                .args(["install", "cargo-generate", "--locked", "--version"])
                .arg(CARGO_GENERATE_VERSION)
                .arg("--root")
                .arg(&partial),
            "cargo install cargo-generate",
        );
        std::fs::rename(&partial, &root).expect("cannot move cargo-generate into place");
    }
    installed
}

fn python_tools() -> PathBuf {
    let dir = repo_root().join("tests").join("tools");
    let requirements = dir.join("requirements.txt");
    let constraints = dir.join("constraints.txt");
    let key = fingerprint(&[&requirements, &constraints]);
    let venv = cache_dir().join(format!("python-tools-{key:016x}"));
    install_venv(&venv, "the Python tools", |pip| {
        pip.arg("-r").arg(&requirements).arg("-c").arg(&constraints);
    });
    venv_bin(&venv)
}

/// The `pipenv` executable of pipenv `version`, installed into its own virtualenv under
/// the cache on first use.
pub fn pipenv(version: &str) -> PathBuf {
    // One install at a time: two cases may ask for the same version at once.
    static INSTALLING: Mutex<()> = Mutex::new(());
    let _guard = INSTALLING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let venv = cache_dir().join(format!("pipenv-{version}"));
    install_venv(&venv, &format!("pipenv {version}"), |pip| {
        pip.arg(format!("pipenv=={version}"));
    });
    executable_in(&venv_bin(&venv), "pipenv")
}

/// Makes the virtualenv `venv` and `pip install`s into it what `packages` adds to the
/// command, unless a complete install is already there.
fn install_venv(venv: &Path, what: &str, packages: impl FnOnce(&mut Command)) {
    // Written last: a virtualenv without it is an interrupted install. (A virtualenv
    // cannot be renamed into place: its scripts hold absolute paths.)
    let complete = venv.join("install-complete");
    if complete.exists() {
        return;
    }
    eprintln!("installing {what} into {}...", venv.display());
    let _ = std::fs::remove_dir_all(venv);
    run_install(
        Command::new(tools_interpreter())
            .arg("-m")
            .arg("venv")
            .arg(venv),
        "python -m venv",
    );
    let mut pip = Command::new(executable_in(&venv_bin(venv), "python"));
    pip.args(["-m", "pip", "install", "--quiet"]);
    packages(&mut pip);
    run_install(&mut pip, &format!("installing {what}"));
    std::fs::write(&complete, "").expect("cannot mark an install complete");
}

/// An interpreter for the tools' virtualenv and the suite's scripts: check-jsonschema and
/// zizmor need 3.11+. Found once per test binary (each look runs Python).
pub fn tools_interpreter() -> PathBuf {
    static FOUND: OnceLock<PathBuf> = OnceLock::new();
    FOUND
        .get_or_init(|| {
            let candidates = ["3.13", "3.12", "3.11"];
            if let Some(python3) = find_on_path("python3")
                && let Some(version) = python_version_of(&python3)
                && candidates.contains(&version.as_str())
            {
                return python3;
            }
            candidates
                .iter()
                .find_map(|v| find_installed_python(v))
                .unwrap_or_else(|| {
                    panic!(
                        "the test suite's tools need Python 3.11, 3.12 or 3.13, and none was found"
                    )
                })
        })
        .clone()
}

/// The interpreter for Python `version` ("3.12") that a generated project runs with
/// here, if any: an installed one (see [`find_installed_python`]), else one that
/// [`debian_python`](crate::debian_python) has provisioned into the cache.
pub fn find_python(version: &str) -> Option<PathBuf> {
    find_installed_python(version).or_else(|| debian_python::find(version).map(|d| d.python))
}

/// The provisioned Debian interpreter that projects on Python `version` use: `Some`
/// only when no installed interpreter of that version exists.
pub fn debian_python_for(version: &str) -> Option<DebianPython> {
    match find_installed_python(version) {
        Some(_) => None,
        None => debian_python::find(version),
    }
}

/// The installed interpreter for Python `version` that pipenv would find, if any: one
/// of pyenv's (`$PYENV_ROOT/versions/3.12.*`), `python3.12` on PATH, or the Windows
/// launcher's `py -3.12`.
pub fn find_installed_python(version: &str) -> Option<PathBuf> {
    if version.starts_with("pypy") {
        return find_installed_pypy(version);
    }
    let mut candidates = pyenv_installs(
        |name| {
            name.strip_prefix(version)
                .is_some_and(|rest| rest.starts_with('.'))
        },
        "python3",
    );
    candidates.extend(find_on_path(&format!("python{version}")));
    // Windows has no python3.X executables; its `py` launcher knows the installs.
    if let Some(launcher) = find_on_path("py")
        && let Some(path) = version_output(
            &launcher,
            &[
                &format!("-{version}"),
                "-c",
                "import sys; print(sys.executable)",
            ],
        )
    {
        candidates.push(PathBuf::from(path));
    }
    candidates
        .into_iter()
        .find(|p| python_version_of(p).as_deref() == Some(version))
}

/// The installed PyPy `version` ("pypy3.11"): pyenv's (`$PYENV_ROOT/versions/pypy3.11-*`)
/// or `pypy3.11` on PATH.
fn find_installed_pypy(version: &str) -> Option<PathBuf> {
    let mut candidates = pyenv_installs(|name| name.starts_with(&format!("{version}-")), "pypy3");
    candidates.extend(find_on_path(version));
    let script = "import platform, sys; \
                  print(platform.python_implementation().lower() + '%d.%d' % sys.version_info[:2])";
    candidates
        .into_iter()
        .find(|p| version_output(p, &["-c", script]).as_deref() == Some(version))
}

/// The `executable` of each of pyenv's installs (`$PYENV_ROOT/versions/*`) whose folder
/// name `matches`, the newest first.
fn pyenv_installs(matches: impl Fn(&str) -> bool, executable: &str) -> Vec<PathBuf> {
    let Some(root) = std::env::var_os("PYENV_ROOT")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".pyenv")))
    else {
        return Vec::new();
    };
    let Ok(entries) = std::fs::read_dir(root.join("versions")) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(&matches))
        .collect();
    found.sort();
    found
        .into_iter()
        .rev()
        .map(|v| executable_in(&venv_bin(&v), executable))
        .collect()
}

/// "3.12" for a Python 3.12 interpreter, None if it does not run.
fn python_version_of(python: &Path) -> Option<String> {
    version_output(
        python,
        &["-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
    )
}

/// The last line a successful `program args` printed, if any: a version or a path.
fn version_output(program: &Path, args: &[&str]) -> Option<String> {
    let output = command::run(
        Command::new(program).args(args),
        Duration::from_secs(60),
        None,
    )
    .ok()?;
    output.lines().last().map(|line| line.trim().to_owned())
}

/// The first `name` on PATH.
pub fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| executable_in(&dir, name))
        .find(|candidate| candidate.is_file())
}

/// The scripts directory of a virtualenv.
pub fn venv_bin(venv: &Path) -> PathBuf {
    if cfg!(windows) {
        venv.join("Scripts")
    } else {
        venv.join("bin")
    }
}

/// `dir/name`, with `.exe` on Windows.
pub fn executable_in(dir: &Path, name: &str) -> PathBuf {
    if cfg!(windows) {
        dir.join(format!("{name}.exe"))
    } else {
        dir.join(name)
    }
}

/// Runs an install step; a failure (or 20 minutes without an end) stops the suite.
fn run_install(install: &mut Command, what: &str) {
    if let Err(error) = command::run(install, Duration::from_secs(1200), None) {
        panic!("{what} failed:\n{error}");
    }
}

/// A stable 64-bit FNV-1a hash of the files' contents: the cache key of an install.
fn fingerprint(files: &[&Path]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for file in files {
        let bytes =
            std::fs::read(file).unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
        for byte in bytes {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}
