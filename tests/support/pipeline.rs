//! Everything the full tier does with one case: generate it, then run the generated
//! project's own commands as its README gives them, then package it and test the
//! packages. Each step is a stage of [`Stages`], timed and named in failures.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::cases::Case;
use crate::checks;
use crate::generate::{generate_case, project_dir};
use crate::paths::{cache_dir, repo_root, scratch_dir};
use crate::stage::{Failure, Stage, Stages};
use crate::tools::{executable_in, find_python, pipenv, tools, venv_bin};

/// The stages that need the case's Python, in order: skipped together when there is none.
pub const BUILD_STAGES: [&str; 18] = [
    "pipenv install",
    "maturin develop",
    "pytest",
    "cargo test",
    "clippy",
    "pre-commit",
    "import",
    "rustfmt",
    "black",
    "git commit",
    "demo scripts",
    "wheel",
    "sdist",
    "twine check",
    "validate-pyproject",
    "wheel install",
    "sdist install",
    "clean tree",
];

/// Runs every stage of `case`. `Ok(Some(note))` means the build stages were skipped,
/// and the note says why.
pub fn run_case(case: &Case, stages: &mut Stages) -> Result<Option<String>, Failure> {
    let scratch = scratch_dir(&case.id);
    let destination = scratch.path().join("generated");
    std::fs::create_dir(&destination).expect("cannot create the destination");

    stages.run("generate", |s| {
        s.command(&mut generate_case(case, &destination, true))
    })?;
    let project = project_dir(&destination);
    stages.run("static checks", |s| {
        s.check(
            "static checks of the generated tree",
            checks::all(&project, case),
        )
    })?;

    let Some(python) = find_python(case.python_version()) else {
        for stage in BUILD_STAGES {
            stages.skip(stage);
        }
        return Ok(Some(format!(
            "{}: build stages skipped: no Python {} interpreter on this machine \
             (looked in $PYENV_ROOT/versions and for python{} on PATH); generated and \
             checked statically only",
            case.id,
            case.python_version(),
            case.python_version()
        )));
    };
    let env = ProjectEnv::new(case, &project);
    // Where the README builds them: `maturin build --release --out dist`.
    let dist = project.join("dist");

    time_to_green(stages, &env)?;
    stages.run("import", |s| import_in_fresh_process(s, &env, case))?;
    stages.run("rustfmt", |s| {
        s.command(&mut env.command("cargo", ["fmt", "--check"]))
    })?;
    stages.run("black", |s| {
        s.command(&mut env.pipenv(["run", "black", "--check", "."]))
    })?;
    stages.run("git commit", |s| {
        // The hooks as a user meets them: installed into git, run by a plain
        // `git commit` from a shell where the virtualenv is not active.
        s.command(&mut env.pipenv(["run", "pre-commit", "install"]))?;
        s.command(&mut env.command(
            "git",
            [
                "-c",
                "user.name=Template Tests",
                "-c",
                "user.email=template-tests@example.invalid",
                "-c",
                "commit.gpgsign=false",
                "commit",
                "--quiet",
                "--message",
                "Generated project",
            ],
        ))
    })?;
    stages.run("demo scripts", |s| demo_scripts(s, &env, case))?;
    let wheel = stages.run("wheel", |s| build_wheel(s, &env, case, &dist))?;
    let sdist = stages.run("sdist", |s| build_sdist(s, &env, &dist))?;
    stages.run("twine check", |s| {
        s.command(
            Command::new(tools().python_tool("twine"))
                .args(["check", "--strict"])
                .args([&wheel, &sdist]),
        )
    })?;
    stages.run("validate-pyproject", |s| {
        s.command(
            Command::new(tools().python_tool("validate-pyproject"))
                .arg(project.join("pyproject.toml")),
        )
    })?;
    stages.run("wheel install", |s| {
        let venv = scratch.path().join("wheel-venv");
        install_and_test(s, &python, &venv, &wheel, &env, case, true)
    })?;
    stages.run("sdist install", |s| {
        let venv = scratch.path().join("sdist-venv");
        install_and_test(s, &python, &venv, &sdist, &env, case, false)
    })?;
    stages.run("clean tree", |s| {
        // Every file the steps above made is ignored, and no tool rewrote a source:
        // git sees nothing since the commit.
        let status =
            s.command(&mut env.command("git", ["status", "--porcelain", "--untracked-files=all"]))?;
        s.check(
            "git status --porcelain --untracked-files=all",
            if status.trim().is_empty() {
                Ok(())
            } else {
                Err(format!(
                    "the work tree is not clean after the checks:\n{status}"
                ))
            },
        )
    })?;
    Ok(None)
}

/// The README's steps from a freshly generated project to every check passing: the
/// stages time-to-green measures.
pub fn time_to_green(stages: &mut Stages, env: &ProjectEnv) -> Result<(), Failure> {
    stages.run("pipenv install", |s| {
        s.command(&mut env.pipenv(["install", "--dev"]))
    })?;
    stages.run("maturin develop", |s| {
        s.command(&mut env.maturin(["maturin", "develop"]))
    })?;
    stages.run("pytest", |s| s.command(&mut env.pipenv(["run", "pytest"])))?;
    stages.run("cargo test", |s| {
        s.command(&mut env.pipenv(["run", "cargo", "test"]))
    })?;
    stages.run("clippy", |s| {
        s.command(&mut env.pipenv([
            "run",
            "cargo",
            "clippy",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]))
    })?;
    stages.run("pre-commit", |s| {
        s.command(&mut env.command("git", ["add", "-A"]))?;
        s.command(&mut env.pipenv(["run", "pre-commit", "run", "--all-files"]))
    })?;
    Ok(())
}

/// How the suite runs commands in a generated project: as its README says, with pipenv
/// and maturin, plus what keeps the run isolated and its caches shared.
pub struct ProjectEnv {
    project: PathBuf,
    pipenv: PathBuf,
    cargo_target: PathBuf,
    maturin_target: PathBuf,
}

impl ProjectEnv {
    /// The environment for a generated case: the pipenv its CI pins, and the suite's
    /// shared build caches.
    pub fn new(case: &Case, project: &Path) -> Self {
        let pipenv = pipenv(&pinned_pipenv(project));
        Self::with_targets(
            project,
            pipenv,
            &cache_dir().join("target"),
            case.python_version(),
        )
    }

    /// Build caches are shared per Python version under `targets`: one target
    /// directory for maturin and one for cargo, as the project's pyproject.toml does,
    /// so they do not rebuild pyo3 for each other.
    pub fn with_targets(
        project: &Path,
        pipenv: PathBuf,
        targets: &Path,
        python_version: &str,
    ) -> Self {
        let per_python = targets.join(format!("py{}", python_version.replace('.', "")));
        Self {
            project: project.to_owned(),
            pipenv,
            cargo_target: per_python.join("cargo"),
            maturin_target: per_python.join("maturin"),
        }
    }

    pub fn project(&self) -> &Path {
        &self.project
    }

    /// `program args` in the project, isolated from the caller's virtualenvs.
    pub fn command<I, S>(&self, program: impl AsRef<OsStr>, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut command = Command::new(program);
        command.current_dir(&self.project).args(args);
        // pipenv on PATH, as for a user: the pre-commit hooks call it.
        let pipenv_bin = self
            .pipenv
            .parent()
            .expect("pipenv has a directory")
            .to_owned();
        let path = std::env::var_os("PATH").unwrap_or_default();
        let path =
            std::env::join_paths(std::iter::once(pipenv_bin).chain(std::env::split_paths(&path)))
                .expect("cannot build PATH");
        command
            .env("PATH", path)
            // The virtualenv in the project's .venv: removed with the project, and
            // found by maturin even outside `pipenv run`.
            .env("PIPENV_VENV_IN_PROJECT", "1")
            .env("PIPENV_IGNORE_VIRTUALENVS", "1")
            .env("PIPENV_NOSPIN", "1")
            .env("PIPENV_VERBOSITY", "-1")
            .env("PRE_COMMIT_HOME", cache_dir().join("pre-commit"))
            .env("CARGO_TARGET_DIR", &self.cargo_target)
            .env("RUST_BACKTRACE", "0");
        for variable in [
            "VIRTUAL_ENV",
            "CONDA_PREFIX",
            "PIPENV_ACTIVE",
            "PYTHONPATH",
            "PYO3_PYTHON",
        ] {
            command.env_remove(variable);
        }
        command
    }

    /// `pipenv args` in the project.
    pub fn pipenv<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.command(&self.pipenv, args)
    }

    /// `pipenv run maturin ...` in the project, with maturin's own target directory.
    pub fn maturin<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut command = self.pipenv(
            std::iter::once(OsStr::new("run").to_owned())
                .chain(args.into_iter().map(|a| a.as_ref().to_owned())),
        );
        command.env("CARGO_TARGET_DIR", &self.maturin_target);
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

/// In a new interpreter: the module imports under its name, works, and its library
/// exports `PyInit_<module>`.
fn import_in_fresh_process(
    s: &mut Stage<'_>,
    env: &ProjectEnv,
    case: &Case,
) -> Result<(), Failure> {
    let script = format!(
        r#"
import ctypes, glob, importlib, os
module = importlib.import_module("{module}")
assert module.run(10) == 55, module.run(10)
libraries = [
    path for path in glob.glob(os.path.join(os.path.dirname(module.__file__), "{module}.*"))
    if path.endswith((".so", ".pyd"))
]
assert len(libraries) == 1, libraries
ctypes.PyDLL(libraries[0])["PyInit_{module}"]
print("PyInit_{module} found in", libraries[0])
"#,
        module = case.module
    );
    s.command(&mut env.pipenv(["run", "python", "-c", &script]))?;
    Ok(())
}

/// The scripts a user runs, with small arguments, and what they must print.
fn demo_scripts(s: &mut Stage<'_>, env: &ProjectEnv, case: &Case) -> Result<(), Failure> {
    let output = s.command(&mut env.pipenv(["run", "python", "main.py", "25", "--repeat", "1"]))?;
    s.check(
        "main.py 25 prints fib(25) for both languages",
        expect(output.matches("result: 75025").count() == 2, &output),
    )?;
    if case.gil_demo() {
        let output = s.command(&mut env.pipenv(["run", "python", "gil_demo.py"]))?;
        let course_order = [
            "Py: Enter double_list_py...",
            "Rust: Enter double_list...",
            "Rust: Acquire GIL...",
            "Rust: Exit...",
            "Py: Exit...",
            "Py: [2, 4, 6]",
            "Rust: [2, 4, 6]",
        ];
        let printed: Vec<&str> = output
            .lines()
            .filter(|l| l.starts_with("Py:") || l.starts_with("Rust:"))
            .collect();
        s.check(
            "gil_demo.py prints in the course's order",
            expect(printed == course_order, &output),
        )?;
        let output = s.command(&mut env.pipenv([
            "run",
            "python",
            "gil_parallel.py",
            "--n",
            "20",
            "--seconds",
            "0.05",
            "--repeat",
            "1",
        ]))?;
        let rows = output
            .lines()
            .filter(|l| l.trim_end().ends_with('x'))
            .count();
        s.check(
            "gil_parallel.py measures three variants",
            expect(rows == 3, &output),
        )?;
    }
    Ok(())
}

/// `maturin build --release`: one wheel, tagged for the case's ABI, carrying the stub.
fn build_wheel(
    s: &mut Stage<'_>,
    env: &ProjectEnv,
    case: &Case,
    dist: &Path,
) -> Result<PathBuf, Failure> {
    s.command(
        env.maturin(["maturin", "build", "--release", "--out"])
            .arg(dist),
    )?;
    let wheel = only_file(s, dist, ".whl")?;
    let name = wheel.file_name().unwrap().to_string_lossy().into_owned();
    let tag = if case.abi3() {
        format!("-cp{}-abi3-", case.py_nodot())
    } else {
        format!("-cp{0}-cp{0}-", case.py_nodot())
    };
    s.check(
        "the wheel's tag",
        if name.contains(&tag) {
            Ok(())
        } else {
            Err(format!("{name} does not carry the tag `{tag}`"))
        },
    )?;
    let listing = s.command(
        Command::new(tools().python_tool("python"))
            .args(["-m", "zipfile", "-l"])
            .arg(&wheel),
    )?;
    for member in [
        format!("{}/py.typed", case.module),
        format!("{}/__init__.pyi", case.module),
    ] {
        s.check(
            "the wheel's contents",
            if listing.contains(&member) {
                Ok(())
            } else {
                Err(format!("{name} lacks {member}:\n{listing}"))
            },
        )?;
    }
    Ok(wheel)
}

/// `maturin sdist`: one source archive.
fn build_sdist(s: &mut Stage<'_>, env: &ProjectEnv, dist: &Path) -> Result<PathBuf, Failure> {
    s.command(env.maturin(["maturin", "sdist", "--out"]).arg(dist))?;
    only_file(s, dist, ".tar.gz")
}

/// Installs `package` (a wheel, or an sdist built from source) into a fresh virtualenv
/// of the case's Python, then runs the project's tests against that install from a
/// directory that holds the tests and scripts but not the sources; with `stubtest`,
/// also checks the .pyi stub against the installed module.
fn install_and_test(
    s: &mut Stage<'_>,
    python: &Path,
    venv: &Path,
    package: &Path,
    env: &ProjectEnv,
    case: &Case,
    stubtest: bool,
) -> Result<(), Failure> {
    s.command(Command::new(python).args(["-m", "venv"]).arg(venv))?;
    let venv_python = executable_in(&venv_bin(venv), "python");
    let requirements = repo_root().join("tests/tools/installed-check-requirements.txt");
    s.command(
        env.command(&venv_python, ["-m", "pip", "install", "--quiet"])
            .arg(package)
            .arg("-r")
            .arg(&requirements)
            // An sdist is built by maturin: give it the shared release cache.
            .env("CARGO_TARGET_DIR", &env.maturin_target),
    )?;
    let copy = venv.with_extension("tests");
    copy_tests_and_scripts(env.project(), &copy);
    s.command(
        env.command(
            &venv_python,
            ["-m", "pytest", "-p", "no:cacheprovider", "tests"],
        )
        .current_dir(&copy),
    )?;
    if stubtest {
        // maturin installs the extension as `<module>/<module>.so` under a package whose
        // __init__ re-exports it; the stub describes the package, so the inner module
        // has none of its own.
        let allowlist = venv.with_extension("stubtest-allowlist");
        std::fs::write(&allowlist, format!("{0}.{0}\n", case.module))
            .expect("cannot write the stubtest allowlist");
        s.command(
            env.command(
                &venv_python,
                ["-m", "mypy.stubtest", &case.module, "--allowlist"],
            )
            .arg(&allowlist)
            .current_dir(&copy),
        )?;
    }
    Ok(())
}

/// The project's tests and top-level scripts, without its sources or config.
fn copy_tests_and_scripts(project: &Path, into: &Path) {
    std::fs::create_dir_all(into.join("tests")).expect("cannot create the test copy");
    for entry in std::fs::read_dir(project)
        .expect("cannot list the project")
        .flatten()
    {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "py") {
            std::fs::copy(&path, into.join(entry.file_name())).expect("cannot copy a script");
        }
    }
    for entry in std::fs::read_dir(project.join("tests"))
        .expect("cannot list tests")
        .flatten()
    {
        if entry.path().is_file() {
            std::fs::copy(entry.path(), into.join("tests").join(entry.file_name()))
                .expect("cannot copy a test");
        }
    }
}

fn only_file(s: &Stage<'_>, dir: &Path, suffix: &str) -> Result<PathBuf, Failure> {
    let found: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| entries.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    let matching: Vec<&PathBuf> = found
        .iter()
        .filter(|p| p.to_string_lossy().ends_with(suffix))
        .collect();
    match matching.as_slice() {
        [one] => Ok((*one).clone()),
        _ => Err(s.failure(
            &format!("ls {}", dir.display()),
            format!("expected one *{suffix}, found {found:?}"),
        )),
    }
}

fn expect(ok: bool, output: &str) -> Result<(), String> {
    if ok {
        Ok(())
    } else {
        Err(format!("unexpected output:\n{output}"))
    }
}
