//! How the suite runs commands in a generated project: as its README says, with
//! pipenv and maturin, plus what keeps each run isolated and its build caches shared.

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::debian_python::DebianPython;
use crate::tools::{debian_python_for, pipenv};

/// A command's arguments.
pub type Args<'a> = &'a [&'a str];

/// One generated project, with the pipenv it pins and its build caches.
pub struct ProjectEnv {
    project: PathBuf,
    pipenv: PathBuf,
    /// maturin's and `pipenv run cargo`'s target directory, shared as the project's
    /// cargo_env.py shares target/maturin-build between them.
    target: PathBuf,
    /// Plain cargo's target directory (see [`ProjectEnv::plain_cargo`]).
    plain_target: PathBuf,
    /// The case's interpreter, where it is one the suite provisioned from Debian.
    debian_python: Option<DebianPython>,
}

impl ProjectEnv {
    /// The project at `project`, with the pipenv its CI pins. Build caches are shared
    /// per interpreter (`python_version`: "3.12", or "pypy3.11") under `targets`: one target directory for maturin and for
    /// `pipenv run cargo`, which the project runs in maturin's environment (its
    /// cargo_env.py) so that the two reuse one build of pyo3.
    pub fn new(project: &Path, targets: &Path, python_version: &str) -> Self {
        Self::with_pipenv(
            project,
            pipenv(&pinned_pipenv(project)),
            targets,
            python_version,
        )
    }

    /// The same with a given pipenv executable (the bench's hand-made baseline).
    pub fn with_pipenv(
        project: &Path,
        pipenv: PathBuf,
        targets: &Path,
        python_version: &str,
    ) -> Self {
        let name = python_version.replace('.', "");
        let per_python = targets.join(if name.starts_with("pypy") {
            name
        } else {
            format!("py{name}")
        });
        Self {
            project: project.to_owned(),
            pipenv,
            target: per_python.join("maturin"),
            plain_target: per_python.join("cargo"),
            debian_python: debian_python_for(python_version),
        }
    }

    pub fn project(&self) -> &Path {
        &self.project
    }

    /// The target directory of maturin and `pipenv run cargo` (release builds of
    /// sdists reuse it too).
    pub fn maturin_target(&self) -> &Path {
        &self.target
    }

    /// `program args` in the project, isolated from the caller's virtualenvs.
    pub fn command(&self, program: impl AsRef<OsStr>, args: Args) -> Command {
        let mut command = Command::new(program);
        command.current_dir(&self.project).args(args);
        command
            .env("PATH", self.path(None))
            // The virtualenv in the project's .venv: removed with the project, and
            // found by maturin even outside `pipenv run`.
            .env("PIPENV_VENV_IN_PROJECT", "1")
            .env("PIPENV_IGNORE_VIRTUALENVS", "1")
            .env("PIPENV_NOSPIN", "1")
            .env("PIPENV_VERBOSITY", "-1")
            .env(
                "PRE_COMMIT_HOME",
                crate::paths::cache_dir().join("pre-commit"),
            )
            .env("CARGO_TARGET_DIR", &self.target)
            .env("RUST_BACKTRACE", "0");
        for variable in [
            "VIRTUAL_ENV",
            "CONDA_PREFIX",
            "PIPENV_ACTIVE",
            "PYTHONPATH",
            // What cargo_env.py sets: each command gets the project's own.
            "PYO3_PYTHON",
            "PYO3_BUILD_EXTENSION_MODULE",
            "PYO3_ENVIRONMENT_SIGNATURE",
            "PYTHON_SYS_EXECUTABLE",
            "PYO3_CONFIG_FILE",
            "LINK_LIBPYTHON",
        ] {
            command.env_remove(variable);
        }
        if let Some(debian) = &self.debian_python {
            command.env(
                "CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_RUNNER",
                debian.cargo_runner(),
            );
        }
        command
    }

    /// `cargo args` without pipenv, as from a shell where the project's virtualenv is
    /// activated (`pipenv shell`), or as an editor runs it: plain cargo, in a target
    /// directory of its own, as the project's target/ is apart from maturin's.
    pub fn plain_cargo(&self, args: Args) -> Command {
        let venv = self.project.join(".venv");
        let mut command = self.command("cargo", args);
        command
            .env("VIRTUAL_ENV", &venv)
            .env("PATH", self.path(Some(venv.join("bin"))))
            .env("CARGO_TARGET_DIR", &self.plain_target);
        command
    }

    /// The caller's PATH with `first` (an activated virtualenv's bin) in front, then
    /// pipenv, as for a user (the pre-commit hooks call it), and before that a Debian
    /// interpreter's python3.X, where pipenv looks for it.
    fn path(&self, first: Option<PathBuf>) -> OsString {
        let pipenv_bin = self
            .pipenv
            .parent()
            .expect("pipenv has a directory")
            .to_owned();
        let debian_bin = self.debian_python.as_ref().map(|d| d.bin.clone());
        let path = std::env::var_os("PATH").unwrap_or_default();
        std::env::join_paths(
            first
                .into_iter()
                .chain(debian_bin)
                .chain(std::iter::once(pipenv_bin))
                .chain(std::env::split_paths(&path)),
        )
        .expect("cannot build PATH")
    }

    /// `pipenv args` in the project.
    pub fn pipenv(&self, args: Args) -> Command {
        self.command(&self.pipenv, args)
    }

    /// `pipenv run python args` in the project.
    pub fn python(&self, args: Args) -> Command {
        let mut command = self.pipenv(&["run", "python"]);
        command.args(args);
        command
    }

    /// `pipenv run maturin args` in the project.
    pub fn maturin(&self, args: Args) -> Command {
        let mut command = self.pipenv(&["run", "maturin"]);
        command.args(args);
        command
    }
}

/// The pipenv version the project pins: its CI installs `pipenv==<version>`.
pub fn pinned_pipenv(project: &Path) -> String {
    let workflow = project.join(".github/workflows/ci.yml");
    let text = std::fs::read_to_string(&workflow)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", workflow.display()));
    text.split("pipenv==")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("{} does not pin pipenv", workflow.display()))
        .to_owned()
}
