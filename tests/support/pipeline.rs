//! Everything the full tier does with one case, as one declarative list of stages
//! ([`STAGES`]): generate it, check it statically, run the generated project's own
//! commands as its README gives them, then package it and test the packages.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use crate::cases::Case;
use crate::checks;
use crate::debian_python;
use crate::generate::{Template, project_dir};
use crate::paths::{cache_dir, repo_root, scratch_dir};
use crate::project_env::ProjectEnv;
use crate::stage::{Failure, Stage, Stages};
use crate::tools::{executable_in, find_installed_python, tools, venv_bin};

/// One stage of a case.
pub struct StageDef {
    pub name: &'static str,
    /// Runs the case's Python (its virtualenv, its build): skipped where there is none.
    pub needs_python: bool,
    /// One of the steps from generation to every check passing (generate, `pipenv
    /// install --dev`, `pipenv run check`), which `cargo bench --bench time_to_green`
    /// times.
    pub time_to_green: bool,
    pub run: fn(&mut CaseRun<'_>, &mut Stage<'_>) -> Result<(), Failure>,
}

const fn stage(
    name: &'static str,
    needs_python: bool,
    time_to_green: bool,
    run: fn(&mut CaseRun<'_>, &mut Stage<'_>) -> Result<(), Failure>,
) -> StageDef {
    StageDef {
        name,
        needs_python,
        time_to_green,
        run,
    }
}

/// Every stage, in order.
pub const STAGES: &[StageDef] = &[
    stage("generate", false, true, generate),
    stage("static checks", false, false, static_checks),
    stage("pipenv install", true, true, pipenv_install),
    stage("maturin develop", true, false, maturin_develop),
    stage("pytest", true, false, pytest),
    stage("cargo test", true, false, cargo_test),
    stage("clippy", true, false, clippy),
    stage("pre-commit", true, false, pre_commit),
    stage(
        "check refuses an empty index",
        true,
        false,
        check_refuses_an_empty_index,
    ),
    stage("pipenv run check", true, true, pipenv_run_check),
    stage("plain cargo test", true, false, plain_cargo_test),
    stage(
        "pytest in parallel threads",
        true,
        false,
        pytest_in_parallel_threads,
    ),
    stage("import", true, false, import_in_fresh_process),
    stage("rustfmt", true, false, rustfmt),
    stage("black", true, false, black),
    stage("git commit", true, false, git_commit),
    stage("demo scripts", true, false, demo_scripts),
    stage(
        "Korean output without Hangul",
        true,
        false,
        korean_output_without_hangul,
    ),
    stage("free-threaded paths", true, false, free_threaded_paths),
    stage("test timeout", true, false, test_timeout),
    stage("plot", true, false, plot),
    stage("wheel", true, false, wheel),
    stage("sdist", true, false, sdist),
    stage("twine check", true, false, twine_check),
    stage("validate-pyproject", true, false, validate_pyproject),
    stage("wheel install", true, false, wheel_install),
    stage("the release's wheel test", true, false, release_wheel_test),
    stage("sdist install", true, false, sdist_install),
    stage("dev-tool modules", true, false, dev_tool_modules),
    stage("generated CI", true, false, generated_ci),
    stage("clean tree", true, false, clean_tree),
];

/// How a case's run ended.
pub enum Outcome {
    /// Every stage ran and passed.
    Built,
    /// Generated and checked statically; the stages that need the case's Python were
    /// skipped, for the reason given.
    NoPython(String),
}

/// One case being run, and what its stages have made so far.
pub struct CaseRun<'a> {
    pub case: &'a Case,
    template: &'a Template,
    targets: PathBuf,
    scratch: tempfile::TempDir,
    project: Option<PathBuf>,
    python: Option<PathBuf>,
    env: Option<ProjectEnv>,
    wheel: Option<PathBuf>,
    sdist: Option<PathBuf>,
    /// What `pipenv run check` reported of its steps, once that stage has run.
    pub check_steps: Vec<(String, f64)>,
}

impl<'a> CaseRun<'a> {
    /// `case` generated from `template`, its builds cached per Python version under
    /// `targets`.
    pub fn new(case: &'a Case, template: &'a Template, targets: &Path) -> Self {
        Self {
            case,
            template,
            targets: targets.to_owned(),
            scratch: scratch_dir(&case.id),
            project: None,
            python: None,
            env: None,
            wheel: None,
            sdist: None,
            check_steps: Vec::new(),
        }
    }

    /// A project that is already there (made by other means from `case`'s answers),
    /// for the stages after `generate`.
    pub fn adopt(case: &'a Case, project: &Path, targets: &Path) -> Self {
        let mut run = Self::new(case, Template::repo(), targets);
        run.project = Some(project.to_owned());
        run
    }

    /// The suite's run of `case`: the repository's template, the shared build caches.
    pub fn suite(case: &'a Case) -> Self {
        Self::new(case, Template::repo(), &cache_dir().join("target"))
    }

    fn project(&self) -> &Path {
        self.project
            .as_deref()
            .expect("the generate stage comes first")
    }

    /// The generated project's environment (made once it is generated).
    pub fn env(&mut self) -> &ProjectEnv {
        if self.env.is_none() {
            let env = ProjectEnv::new(self.project(), &self.targets, self.case.interpreter());
            self.env = Some(env);
        }
        self.env.as_ref().unwrap()
    }

    /// The generated project's environment, and the scratch directory it lives in
    /// (removed when that is dropped).
    pub fn into_project_env(mut self) -> (tempfile::TempDir, ProjectEnv) {
        self.env();
        (self.scratch, self.env.expect("made above"))
    }

    /// Runs the stages that `wanted` picks, in order, stopping at the first failure.
    ///
    /// Cases sharing build caches (the same Python) run one at a time: maturin stages
    /// its library under a name of the module's, so two builds of one module in one
    /// target directory would trip over each other.
    pub fn run(
        &mut self,
        stages: &mut Stages,
        wanted: impl Fn(&StageDef) -> bool,
    ) -> Result<Outcome, Failure> {
        let lock = build_lock(&self.targets, self.case.interpreter());
        let _building = lock.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut outcome = Outcome::Built;
        for def in STAGES.iter().filter(|def| wanted(def)) {
            if def.needs_python && self.python.is_none() {
                if let Outcome::NoPython(_) = outcome {
                    stages.skip(def.name);
                    continue;
                }
                match python_for(&self.case.id, self.case.interpreter()) {
                    Ok(python) => self.python = Some(python),
                    Err(reason) => {
                        stages.skip(def.name);
                        outcome = Outcome::NoPython(reason);
                        continue;
                    }
                }
            }
            stages.run(def.name, |s| (def.run)(self, s))?;
        }
        Ok(outcome)
    }
}

/// The interpreter `version` ("3.12" or "pypy3.11") for case `id`: an installed one,
/// else Debian's build, provisioned into the cache on first use (and named in the run's
/// output). `Err` says why there is none.
fn python_for(id: &str, version: &str) -> Result<PathBuf, String> {
    if let Some(python) = find_installed_python(version) {
        return Ok(python);
    }
    match debian_python::provision(version) {
        Ok(debian) => {
            eprintln!("{id}: {}", debian.origin());
            Ok(debian.python)
        }
        Err(why) => Err(format!(
            "no {version} interpreter on this machine (looked in $PYENV_ROOT/versions and \
             on PATH), and none could be provisioned: {why}; generated and checked \
             statically only"
        )),
    }
}

/// The lock of the build caches for `python_version` under `targets`.
fn build_lock(targets: &Path, python_version: &str) -> Arc<Mutex<()>> {
    static LOCKS: OnceLock<Mutex<BTreeMap<PathBuf, Arc<Mutex<()>>>>> = OnceLock::new();
    let key = targets.join(python_version);
    let mut locks = LOCKS.get_or_init(Default::default).lock().unwrap();
    Arc::clone(locks.entry(key).or_default())
}

fn generate(run: &mut CaseRun<'_>, s: &mut Stage<'_>) -> Result<(), Failure> {
    let destination = run.scratch.path().join("generated");
    std::fs::create_dir(&destination).expect("cannot create the destination");
    s.command(&mut run.template.generate_case(run.case, &destination, true))?;
    run.project = Some(project_dir(&destination));
    Ok(())
}

fn static_checks(run: &mut CaseRun<'_>, s: &mut Stage<'_>) -> Result<(), Failure> {
    // The git work tree cargo-generate made is checked like the trees of the fast tier.
    let result = checks::all(run.project(), run.case, &run.template.root);
    s.check("static checks of the generated tree", result)
}

/// `pipenv install --dev`, as the README says: with the Pipfile's CPython, or for PyPy
/// with `--python pypy3.11`.
fn pipenv_install(run: &mut CaseRun<'_>, s: &mut Stage<'_>) -> Result<(), Failure> {
    let mut args = vec!["install", "--dev"];
    if run.case.pypy() {
        args.extend(["--python", run.case.interpreter()]);
    }
    s.command(&mut run.env().pipenv(&args))?;
    Ok(())
}

fn maturin_develop(run: &mut CaseRun<'_>, s: &mut Stage<'_>) -> Result<(), Failure> {
    s.command(&mut run.env().maturin(&["develop", "--uv"]))?;
    Ok(())
}

fn pytest(run: &mut CaseRun<'_>, s: &mut Stage<'_>) -> Result<(), Failure> {
    s.command(&mut run.env().pipenv(&["run", "pytest"]))?;
    Ok(())
}

fn cargo_test(run: &mut CaseRun<'_>, s: &mut Stage<'_>) -> Result<(), Failure> {
    let output = s.command(&mut run.env().pipenv(&["run", "cargo", "test"]))?;
    s.check("pyo3 built once", pyo3_reused(&output, "maturin develop"))?;
    // The tests that embed an interpreter cannot run on PyPy: they are compiled out, and
    // an ignored test says why; on CPython, nothing is ignored.
    let ignored = output
        .lines()
        .filter(|l| l.contains(" ... ignored"))
        .count();
    if run.case.pypy() {
        s.not_applicable(
            "the Rust tests that call into Python",
            "PyPy cannot be embedded in a test binary",
        );
        s.check(
            "cargo test says why it ignores tests on PyPy",
            expect(
                ignored > 0 && output.contains("ignored, PyPy cannot be embedded"),
                &output,
            ),
        )
    } else {
        s.check("cargo test ignores no test", expect(ignored == 0, &output))
    }
}

/// `Err` naming the pyo3 crates that cargo compiled again in `output`, where they
/// should have come from the build `before` made: the project's cargo_env.py runs
/// cargo in maturin's environment and target directory so that they do not.
pub fn pyo3_reused(output: &str, before: &str) -> Result<(), String> {
    let rebuilt: Vec<&str> = output
        .lines()
        .map(str::trim)
        .filter(|line| line.starts_with("Compiling pyo3"))
        .collect();
    expect(
        rebuilt.is_empty(),
        &format!(
            "cargo compiled pyo3 again instead of reusing the build of `{before}` (pyo3's \
             build script saw a different environment; see cargo_env.py):\n{}",
            rebuilt.join("\n")
        ),
    )
}

fn clippy(run: &mut CaseRun<'_>, s: &mut Stage<'_>) -> Result<(), Failure> {
    let args = [
        "run",
        "cargo",
        "clippy",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ];
    let output = s.command(&mut run.env().pipenv(&args))?;
    // Checking pyo3 (metadata only) is clippy's own work; its build script's run and
    // the proc macros are maturin's.
    s.check("pyo3 built once", pyo3_reused(&output, "maturin develop"))
}

fn pre_commit(run: &mut CaseRun<'_>, s: &mut Stage<'_>) -> Result<(), Failure> {
    let env = run.env();
    s.command(&mut env.command("git", &["add", "-A"]))?;
    s.command(&mut env.pipenv(&["run", "pre-commit", "run", "--all-files"]))?;
    Ok(())
}

/// Before `git add -A` (an index of no file) `pipenv run check` refuses at once, with
/// exit status 2 and what to do: its last step, pre-commit, would check nothing.
fn check_refuses_an_empty_index(run: &mut CaseRun<'_>, s: &mut Stage<'_>) -> Result<(), Failure> {
    let empty_index = run.scratch.path().join("empty-index");
    let advice = if run.case.lang() == "ko" {
        "먼저 `git add -A`를 실행하세요"
    } else {
        "run `git add -A` first"
    };
    let refused = s.command(
        run.env()
            .pipenv(&["run", "check"])
            .env("GIT_INDEX_FILE", &empty_index),
    );
    match refused {
        Ok(output) => {
            return Err(s.failure(
                "GIT_INDEX_FILE=<empty> pipenv run check",
                format!("it passed with no file for pre-commit to check:\n{output}"),
            ));
        }
        Err(failure) => s.check(
            "check.py refuses an index of no file",
            expect(
                failure.detail.contains("exit status: 2")
                    && failure.detail.contains(advice)
                    && !failure.detail.contains("--- maturin develop"),
                &format!(
                    "not exit status 2 with \"{advice}\" before any step:\n{}",
                    failure.detail
                ),
            ),
        )?,
    }
    Ok(())
}

/// The README's one command for every check (check.py: build, pytest, stubtest against
/// the build, cargo test, pre-commit), which the generated CI runs.
fn pipenv_run_check(run: &mut CaseRun<'_>, s: &mut Stage<'_>) -> Result<(), Failure> {
    // The README's `git add -A && pipenv run check`.
    s.command(&mut run.env().command("git", &["add", "-A"]))?;
    let output = s.command(&mut run.env().pipenv(&["run", "check"]))?;
    run.check_steps = check_steps(&output);
    // cargo test and pre-commit's clippy come after maturin develop: whether or not
    // that built pyo3 from nothing, they must reuse its build.
    let after_build = output
        .find("--- cargo test:")
        .map_or("", |start| &output[start..]);
    s.check(
        "cargo test and clippy reuse maturin's pyo3",
        pyo3_reused(after_build, "maturin develop"),
    )?;
    // On PyPy, what needs mypy is named as not applicable, and pre-commit skips its
    // mypy hook; on CPython, stubtest runs.
    let (stubtest, mypy_hook) = if run.case.pypy() {
        ("--- stubtest: not applicable on PyPy", "Skipped")
    } else {
        ("--- stubtest: ", "Passed")
    };
    let mypy_line = output
        .lines()
        .find(|l| l.starts_with("mypy (the scripts and tests against the stub)"))
        .unwrap_or("");
    s.check(
        "check.py runs what applies to the interpreter, and names what does not",
        expect(
            output.contains(stubtest) && mypy_line.ends_with(mypy_hook),
            &format!("no `{stubtest}`, or the mypy hook not {mypy_hook}:\n{output}"),
        ),
    )?;
    let last = if run.case.lang() == "ko" {
        "모든 검사 통과"
    } else {
        "every check passed"
    };
    s.check(
        "check.py's verdict",
        expect(
            output.contains(last),
            &format!("no \"{last}\" in:\n{output}"),
        ),
    )
}

/// `cargo test` without pipenv, in an activated virtualenv: pyo3 then links libpython
/// itself, and build.rs must still let the test binary find it.
fn plain_cargo_test(run: &mut CaseRun<'_>, s: &mut Stage<'_>) -> Result<(), Failure> {
    s.command(&mut run.env().plain_cargo(&["test"]))?;
    Ok(())
}

/// The steps check.py reports as passed, with their seconds, in its order (its lines
/// `--- NAME passed (S s)`, or in Korean `--- NAME 통과 (S초)`).
pub fn check_steps(output: &str) -> Vec<(String, f64)> {
    output
        .lines()
        .filter_map(|line| {
            let rest = line.strip_prefix("--- ")?;
            let (name, time) = rest
                .rsplit_once(" passed (")
                .or_else(|| rest.rsplit_once(" 통과 ("))?;
            let seconds = time.trim_end_matches(" s)").trim_end_matches("초)");
            Some((name.to_owned(), seconds.parse().ok()?))
        })
        .collect()
}

/// Every test in 4 threads at once (pytest-run-parallel), as the generated CI's
/// free-threaded leg runs them; here on a GIL build, which runs the same code paths.
/// The tests that measure the GIL must be marked thread-unsafe, and run once.
fn pytest_in_parallel_threads(run: &mut CaseRun<'_>, s: &mut Stage<'_>) -> Result<(), Failure> {
    let output =
        s.command(
            &mut run
                .env()
                .pipenv(&["run", "pytest", "--parallel-threads=4", "-v"]),
        )?;
    s.check(
        "tests ran in parallel threads",
        expect(
            output.contains("PARALLEL PASSED"),
            &format!("no test ran in parallel:\n{output}"),
        ),
    )?;
    if !run.case.gil_demo() {
        return Ok(());
    }
    // The tests that time a background thread's pauses run once: other threads' calls
    // would make those pauses longer or shorter than the call's own.
    let in_parallel: Vec<&str> = GIL_TIMING_TESTS
        .iter()
        .copied()
        .filter(|test| {
            output
                .lines()
                .any(|l| l.contains(&format!("::{test} ")) && l.contains("PARALLEL"))
        })
        .collect();
    s.check(
        "the tests that time the GIL ran once, not in parallel threads",
        expect(
            in_parallel.is_empty(),
            &format!("{in_parallel:?} ran in parallel threads:\n{output}"),
        ),
    )
}

/// The tests of tests/test_gil.py that time a background thread while a call runs.
const GIL_TIMING_TESTS: [&str; 4] = [
    "test_run_holds_the_gil",
    "test_run_detached_releases_the_gil",
    "test_double_list_holds_the_gil",
    "test_double_list_detached_releases_the_gil",
];

/// In a new interpreter: the module imports under its name, works, and its library
/// exports `PyInit_<module>` (or, built for abi3t, `PyModExport_<module>`).
fn import_in_fresh_process(run: &mut CaseRun<'_>, s: &mut Stage<'_>) -> Result<(), Failure> {
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
# The entry point Python looks for: PyInit_<module>, or PyModExport_<module> (PEP 793)
# in an abi3t build (PEP 803), which exports only that one.
hook = "PyModExport_{module}" if ".abi3t" in os.path.basename(libraries[0]) else "PyInit_{module}"
# (PyPy's ctypes has no PyDLL: only the symbol is looked up, which CDLL does as well.)
getattr(ctypes, "PyDLL", ctypes.CDLL)(libraries[0])[hook]
print(hook, "found in", libraries[0])
"#,
        module = run.case.module
    );
    s.command(&mut run.env().python(&["-c", &script]))?;
    Ok(())
}

fn rustfmt(run: &mut CaseRun<'_>, s: &mut Stage<'_>) -> Result<(), Failure> {
    s.command(&mut run.env().command("cargo", &["fmt", "--check"]))?;
    Ok(())
}

fn black(run: &mut CaseRun<'_>, s: &mut Stage<'_>) -> Result<(), Failure> {
    s.command(&mut run.env().pipenv(&["run", "black", "--check", "."]))?;
    Ok(())
}

/// The hooks as a user meets them: installed into git, run by a plain `git commit`
/// from a shell where the virtualenv is not active.
fn git_commit(run: &mut CaseRun<'_>, s: &mut Stage<'_>) -> Result<(), Failure> {
    let env = run.env();
    s.command(&mut env.pipenv(&["run", "pre-commit", "install"]))?;
    s.command(&mut git(
        env,
        &["commit", "--quiet", "--message", "Generated project"],
    ))?;
    Ok(())
}

/// `git args` in the project, as the suite's committer.
pub fn git(env: &ProjectEnv, args: &[&str]) -> Command {
    let mut command = env.command("git", &crate::command::GIT_COMMITTER);
    command.args(args);
    command
}

/// What gil_demo.py must print (tests/gil_demo_output.toml): act 1, then act 2.
fn gil_demo_output() -> Vec<String> {
    #[derive(serde::Deserialize)]
    struct Output {
        act1: Vec<String>,
        act2: Vec<String>,
    }
    let path = repo_root().join("tests/gil_demo_output.toml");
    let text = std::fs::read_to_string(&path).expect("cannot read tests/gil_demo_output.toml");
    let output: Output = toml::from_str(&text).expect("tests/gil_demo_output.toml is malformed");
    output.act1.into_iter().chain(output.act2).collect()
}

/// The scripts a user runs, with small arguments, and what they must print, in the
/// chosen language.
fn demo_scripts(run: &mut CaseRun<'_>, s: &mut Stage<'_>) -> Result<(), Failure> {
    let case = run.case;
    let env = run.env();
    let output = s.command(&mut env.python(&["main.py", "25", "--repeat", "1"]))?;
    s.check(
        "main.py 25 prints fib(25) for both languages",
        expect(output.matches("result: 75025").count() == 2, &output),
    )?;
    s.check(
        "main.py speaks the chosen language",
        spoken_in(case, &output),
    )?;
    if case.gil_demo() {
        let output = s.command(&mut env.python(&["gil_demo.py", "--seconds", "0.2"]))?;
        let printed: Vec<&str> = output
            .lines()
            .filter(|l| l.starts_with("Py: ") || l.starts_with("Rust: "))
            .collect();
        s.check(
            "gil_demo.py prints act 1 in the course's order, then act 2",
            expect(printed == gil_demo_output(), &output),
        )?;
        s.check(
            "gil_demo.py speaks the chosen language",
            spoken_in(case, &output),
        )?;
        let args = [
            "gil_parallel.py",
            "--n",
            "20",
            "--seconds",
            "0.05",
            "--repeat",
            "1",
        ];
        let output = s.command(&mut env.python(&args))?;
        let rows = output
            .lines()
            .filter(|l| l.trim_end().ends_with('x'))
            .count();
        s.check(
            "gil_parallel.py measures three variants",
            expect(rows == 3, &output),
        )?;
        s.check(
            "gil_parallel.py speaks the chosen language",
            spoken_in(case, &output),
        )?;
    }
    Ok(())
}

/// A Korean project's scripts and its `pipenv run check`, with their output going to a
/// stream that cannot encode Hangul, as Python before 3.15 writes a pipe or a file on an
/// English Windows (cp1252, simulated with PYTHONIOENCODING): no crash, and the Korean
/// arrives readable (the scripts switch such a stream to UTF-8).
fn korean_output_without_hangul(run: &mut CaseRun<'_>, s: &mut Stage<'_>) -> Result<(), Failure> {
    if run.case.lang() != "ko" {
        return Ok(());
    }
    let gil_demo = run.case.gil_demo();
    let env = run.env();
    let mut runs: Vec<Vec<&str>> = vec![
        vec!["run", "python", "main.py", "20", "--repeat", "1"],
        vec!["run", "python", "main.py", "--help"],
        vec!["run", "check", "--help"],
        vec!["run", "update-template", "--help"],
    ];
    if gil_demo {
        runs.push(vec!["run", "python", "gil_demo.py", "--seconds", "0"]);
        let tiny = [
            "--threads",
            "2",
            "--n",
            "12",
            "--seconds",
            "0.01",
            "--repeat",
            "1",
        ];
        runs.push([&["run", "python", "gil_parallel.py"][..], &tiny].concat());
    }
    runs.push(vec!["run", "check"]);
    for args in runs {
        let output = s.command(env.pipenv(&args).env("PYTHONIOENCODING", "cp1252"))?;
        s.check(
            &format!(
                "`pipenv {}` speaks Korean to a cp1252 stream",
                args.join(" ")
            ),
            expect(crate::language::has_hangul(&output), &output),
        )?;
    }
    Ok(())
}

/// For `lang = ko`, no line of `output` is English prose (the course's own lines
/// excepted, which learners compare with the slides); for `en`, no Korean.
fn spoken_in(case: &Case, output: &str) -> Result<(), String> {
    let course = |line: &str| line.starts_with("Py: ") || line.starts_with("Rust: ");
    let wrong = output.lines().find(|line| match case.lang() {
        "en" => crate::language::has_hangul(line),
        _ => !course(line) && crate::language::is_english_prose(line),
    });
    match wrong {
        Some(line) => Err(format!(
            "lang = {}, yet this line is not: {line}",
            case.lang()
        )),
        None => Ok(()),
    }
}

/// The free-threaded code paths, taken on this machine's GIL builds by making the GIL
/// check (`sys._is_gil_enabled`) report "disabled": the tests that need a GIL skip,
/// naming why, and everything else passes.
fn free_threaded_paths(run: &mut CaseRun<'_>, s: &mut Stage<'_>) -> Result<(), Failure> {
    let script = "import sys; sys._is_gil_enabled = lambda: False; import pytest; \
                  raise SystemExit(pytest.main(['-v', '-p', 'no:cacheprovider']))";
    // Wide enough that pytest -v prints each skip's whole reason.
    let output = s.command(run.env().python(&["-c", script]).env("COLUMNS", "1000"))?;
    let skipped: Vec<&str> = output
        .lines()
        .filter(|l| l.contains(" SKIPPED (free-threaded Python has no GIL"))
        .filter_map(|l| l.split("::").nth(1)?.split_whitespace().next())
        .collect();
    let expected: &[&str] = if run.case.gil_demo() {
        &[
            "test_run_holds_the_gil",
            "test_double_list_holds_the_gil",
            "test_gil_demo_act_1_prints_in_the_courses_order",
        ]
    } else {
        &[]
    };
    s.check(
        "the tests that need a GIL skip, naming why, when there is none",
        expect(skipped == expected, &output),
    )
}

/// A test that never ends fails within the project's per-test limit, naming itself,
/// even when it is Rust code holding the GIL.
fn test_timeout(run: &mut CaseRun<'_>, s: &mut Stage<'_>) -> Result<(), Failure> {
    let test = run.project().join("tests/test_forever.py");
    let module = &run.case.module;
    std::fs::write(
        &test,
        format!(
            "from {module} import run\n\n\ndef test_forever() -> None:\n    \
             run(80)  # the naive recursion: years\n"
        ),
    )
    .expect("cannot write a test");
    let outcome = s.command_with_limit(
        &mut run.env().pipenv(&[
            "run",
            "pytest",
            "-o",
            "test_timeout=2",
            "tests/test_forever.py",
        ]),
        Duration::from_secs(60),
    );
    std::fs::remove_file(&test).expect("cannot remove a test");
    match outcome {
        Ok(output) => Err(s.failure(
            "pytest tests/test_forever.py",
            format!("a test that never ends passed:\n{output}"),
        )),
        Err(failure) => s.check(
            "pytest stops a test that never ends, naming it",
            expect(
                failure.detail.contains("exited with")
                    && failure.detail.contains("Timeout")
                    && failure.detail.contains("test_forever"),
                &failure.detail,
            ),
        ),
    }
}

/// The charts: without the plot category, `--plot` says how to install it (the
/// project's tests check that); with it, installed by the README's command in the cases
/// that say `plot = true`, both scripts write a PNG of 1000 x 450 pixels and the
/// project's chart tests run.
fn plot(run: &mut CaseRun<'_>, s: &mut Stage<'_>) -> Result<(), Failure> {
    if run.case.pypy() {
        // (The project's own tests check the message `--plot` gives without it.)
        s.not_applicable(
            "the charts",
            "matplotlib has no wheels for PyPy 8.0, and its sdist downloads freetype",
        );
    }
    if !run.case.plot {
        return Ok(());
    }
    let gil_demo = run.case.gil_demo();
    let charts = run.project().join("charts");
    let env = run.env();
    // The README's command, which adds the category to the Pipfile (put back below).
    s.command(&mut env.pipenv(&["install", "--categories", "plot", "matplotlib"]))?;
    // Warnings as errors: a glyph that no installed font has (Hangul in a chart drawn
    // without a Korean font) is a warning, and an empty box in the picture.
    s.command(&mut env.python(&[
        "-W",
        "error",
        "main.py",
        "12",
        "--repeat",
        "1",
        "--plot",
        "charts/speed.png",
    ]))?;
    let mut pngs = vec![charts.join("speed.png")];
    if gil_demo {
        let args = [
            "-W",
            "error",
            "gil_parallel.py",
            "--n",
            "15",
            "--seconds",
            "0.02",
            "--repeat",
            "1",
        ];
        s.command(env.python(&args).args(["--plot", "charts/threads.png"]))?;
        pngs.push(charts.join("threads.png"));
    }
    for png in pngs {
        s.check(
            "the chart's size",
            png_size(&png).and_then(|size| {
                expect(
                    size == (1000, 450),
                    &format!("{} is {size:?} pixels", png.display()),
                )
            }),
        )?;
    }
    let output = s.command(&mut env.pipenv(&["run", "pytest", "-k", "plots", "-rs"]))?;
    s.check(
        "the chart tests run, none skipped",
        expect(
            !output.contains("SKIPPED") && output.contains("passed"),
            &output,
        ),
    )?;
    // The Pipfile and its lock as committed: the clean-tree check is about the rest.
    s.command(&mut env.command("git", &["checkout", "--", "Pipfile", "Pipfile.lock"]))?;
    Ok(())
}

/// (width, height) of a PNG file, from its header.
fn png_size(path: &Path) -> Result<(u32, u32), String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if bytes.len() < 24 || &bytes[..8] != b"\x89PNG\r\n\x1a\n" {
        return Err(format!("{} is not a PNG file", path.display()));
    }
    let number = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
    Ok((number(16), number(20)))
}

/// `maturin build --release` (where the README builds it): one wheel, tagged as the
/// case's `[expect]` says, carrying the stub.
fn wheel(run: &mut CaseRun<'_>, s: &mut Stage<'_>) -> Result<(), Failure> {
    let dist = run.project().join("dist");
    let case = run.case;
    s.command(
        run.env()
            .maturin(&["build", "--release", "--out"])
            .arg(&dist),
    )?;
    let wheel = only_file(s, &dist, ".whl")?;
    let name = wheel.file_name().unwrap().to_string_lossy().into_owned();
    let tag = format!("-{}-", case.expect.wheel_tag);
    s.check(
        "the wheel's tag",
        expect(
            name.contains(&tag),
            &format!("{name} does not carry the tag `{tag}`"),
        ),
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
            expect(
                listing.contains(&member),
                &format!("{name} lacks {member}:\n{listing}"),
            ),
        )?;
    }
    if case.expect.wheel_tag.contains("abi3t") {
        // PEP 803's own audit: tags, the symbols the library imports, the layout.
        let report = s.command(
            Command::new(tools().python_tool("abi3t-doctor"))
                .arg("wheel")
                .arg(&wheel),
        )?;
        s.check(
            "abi3t-doctor's verdict",
            expect(
                report.contains("no problems found"),
                &format!("abi3t-doctor on {name}:\n{report}"),
            ),
        )?;
    }
    run.wheel = Some(wheel);
    Ok(())
}

fn sdist(run: &mut CaseRun<'_>, s: &mut Stage<'_>) -> Result<(), Failure> {
    let dist = run.project().join("dist");
    s.command(run.env().maturin(&["sdist", "--out"]).arg(&dist))?;
    run.sdist = Some(only_file(s, &dist, ".tar.gz")?);
    Ok(())
}

fn twine_check(run: &mut CaseRun<'_>, s: &mut Stage<'_>) -> Result<(), Failure> {
    let packages = [run.wheel.as_ref().unwrap(), run.sdist.as_ref().unwrap()];
    s.command(
        Command::new(tools().python_tool("twine"))
            .args(["check", "--strict"])
            .args(packages),
    )?;
    s.command(Command::new(tools().python_tool("check-wheel-contents")).arg(packages[0]))?;
    // pyroma rates the metadata the sdist's build gives: 10 is every check passed
    // (license, authors, URL, keywords, classifiers...).
    s.command(
        Command::new(tools().python_tool("pyroma"))
            .args(["--min", "10", "--file"])
            .arg(packages[1]),
    )?;
    Ok(())
}

fn validate_pyproject(run: &mut CaseRun<'_>, s: &mut Stage<'_>) -> Result<(), Failure> {
    s.command(
        Command::new(tools().python_tool("validate-pyproject"))
            .arg(run.project().join("pyproject.toml")),
    )?;
    Ok(())
}

fn wheel_install(run: &mut CaseRun<'_>, s: &mut Stage<'_>) -> Result<(), Failure> {
    let wheel = run.wheel.clone().unwrap();
    install_and_test(run, s, &wheel, "wheel", true)
}

/// The project's own tools/test_wheel.py, as its release workflow runs it on each
/// platform before publishing: the wheel this interpreter takes, installed into a fresh
/// virtualenv and tested there.
fn release_wheel_test(run: &mut CaseRun<'_>, s: &mut Stage<'_>) -> Result<(), Failure> {
    let wheel = run.wheel.clone().expect("the wheel stage comes first");
    let python = run
        .python
        .clone()
        .expect("a stage that needs Python has one");
    let dist = wheel.parent().expect("the wheel is in dist/").to_owned();
    let output = s.command(
        run.env()
            .command(&python, &["-m", "tools.test_wheel"])
            .arg(&dist),
    )?;
    let name = wheel.file_name().unwrap().to_string_lossy().into_owned();
    s.check(
        "tools/test_wheel.py installed the wheel and the tests passed",
        expect(
            output.contains(&name) && output.contains(" passed"),
            &format!("no `{name}` installed, or no test passed:\n{output}"),
        ),
    )
}

fn sdist_install(run: &mut CaseRun<'_>, s: &mut Stage<'_>) -> Result<(), Failure> {
    let sdist = run.sdist.clone().unwrap();
    install_and_test(run, s, &sdist, "sdist", false)
}

/// Why mypy's checks (mypy, stubtest) do not run on PyPy.
const NO_MYPY_ON_PYPY: &str = "mypy does not run on PyPy (its CPython legs check the types)";

/// Installs `package` (a wheel, or an sdist built from source) into a fresh virtualenv
/// of the case's Python, then runs the project's tests against that install from a
/// directory that holds the tests, scripts and pytest settings but not the sources;
/// with `stubtest`, also checks the .pyi stub against the installed module.
fn install_and_test(
    run: &mut CaseRun<'_>,
    s: &mut Stage<'_>,
    package: &Path,
    kind: &str,
    stubtest: bool,
) -> Result<(), Failure> {
    let venv = run.scratch.path().join(format!("{kind}-venv"));
    let python = run
        .python
        .clone()
        .expect("a stage that needs Python has one");
    let module = run.case.module.clone();
    let pypy = run.case.pypy();
    let project = run.project().to_owned();
    s.command(Command::new(&python).args(["-m", "venv"]).arg(&venv))?;
    let venv_python = executable_in(&venv_bin(&venv), "python");
    let requirements = repo_root().join("tests/tools/installed-check-requirements.txt");
    let env = run.env();
    s.command(
        env.command(&venv_python, &["-m", "pip", "install", "--quiet"])
            .arg(package)
            .arg("-r")
            .arg(&requirements)
            // An sdist is built by maturin: give it the shared release cache.
            .env("CARGO_TARGET_DIR", env.maturin_target()),
    )?;
    let copy = venv.with_extension("tests");
    copy_tests_and_scripts(&project, &copy);
    s.command(
        env.command(&venv_python, &["-m", "pytest", "-p", "no:cacheprovider"])
            .current_dir(&copy),
    )?;
    if stubtest && pypy {
        s.not_applicable("stubtest", NO_MYPY_ON_PYPY);
    } else if stubtest {
        // maturin installs the extension as `<module>/<module>.so` under a package whose
        // __init__ re-exports it; the stub describes the package, so the inner module
        // has none of its own.
        let allowlist = venv.with_extension("stubtest-allowlist");
        std::fs::write(&allowlist, format!("{module}.{module}\n"))
            .expect("cannot write the stubtest allowlist");
        s.command(
            env.command(
                &venv_python,
                &["-m", "mypy.stubtest", &module, "--allowlist"],
            )
            .arg(&allowlist)
            .current_dir(&copy),
        )?;
    }
    Ok(())
}

/// The project's tests, its top-level scripts, its tools and its pytest settings,
/// without its sources.
fn copy_tests_and_scripts(project: &Path, into: &Path) {
    std::fs::create_dir_all(into.join("tests")).expect("cannot create the test copy");
    crate::generate::copy_path(&project.join("tools"), &into.join("tools"));
    for entry in std::fs::read_dir(project)
        .expect("cannot list the project")
        .flatten()
    {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "py") || entry.file_name() == "pyproject.toml" {
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

/// Every top-level module of the project's virtualenv (its own module aside) is one
/// that hooks/dev_tool_modules.rhai lists, so the name rules refuse it.
fn dev_tool_modules(run: &mut CaseRun<'_>, s: &mut Stage<'_>) -> Result<(), Failure> {
    let module = run.case.module.clone();
    // What `import x` can find there: packages, and .py and extension files.
    let script = "import os, sysconfig\n\
                  root = sysconfig.get_paths()['purelib']\n\
                  for entry in os.listdir(root):\n\
                  \x20   if os.path.isdir(os.path.join(root, entry)) or entry.endswith(('.py', '.so', '.pyd')):\n\
                  \x20       print(entry)";
    let listing = s.command(&mut run.env().python(&["-c", script]))?;
    let known = crate::rules::dev_tool_modules();
    let unknown: Vec<String> = listing
        .lines()
        .filter(|entry| !entry.ends_with(".dist-info") && *entry != "__pycache__")
        .map(|entry| entry.split('.').next().unwrap_or_default().to_lowercase())
        .filter(|name| !name.is_empty() && *name != module && !known.contains(name))
        .collect();
    s.check(
        "the project's virtualenv holds only modules the name rules know",
        if unknown.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "site-packages holds {unknown:?}, which hooks/dev_tool_modules.rhai does not \
                 list: regenerate it with `python3 tests/tools/dev_tool_modules.py`"
            ))
        },
    )
}

/// The legs of the project's CI that the case names (`ci_legs`), run with act
/// (harness::ci_run): every output a step reads comes from a step that sets it, each leg
/// passes, and, where the case says so, every `run:` step of the job ran in one of them.
fn generated_ci(run: &mut CaseRun<'_>, s: &mut Stage<'_>) -> Result<(), Failure> {
    if run.case.ci_legs.is_empty() {
        return Ok(());
    }
    if !cfg!(target_os = "linux") {
        s.not_applicable(
            "running the generated CI with act",
            "act runs the workflow's Linux legs on a Linux host only",
        );
        return Ok(());
    }
    let project = run.project().to_owned();
    let workflow = crate::checks::read_yaml(&project, ".github/workflows/ci.yml")
        .map_err(|e| s.failure("ci.yml", e))?;
    let standins = repo_root().join("tests/ci_standins");
    s.check(
        "every output a step of ci.yml reads is one a step before it sets",
        crate::ci_run::outputs_resolve(&workflow, &standins),
    )?;
    let scratch = run.scratch.path().join("act");
    let mut ran = BTreeSet::new();
    for python in run.case.ci_legs.clone() {
        let leg = ci_leg(&run.case.id, &python).map_err(|e| s.failure("the leg's Python", e))?;
        let version = python.trim_end_matches('t');
        let mut env = Vec::new();
        if let Some(debian) = crate::tools::debian_python_for(version) {
            env.push((
                "CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_RUNNER".to_owned(),
                debian.cargo_runner(),
            ));
        }
        let report = crate::ci_run::run_leg(&project, &workflow, &leg, &env, &scratch, s)?;
        ran.extend(report.steps_run);
    }
    if !run.case.ci_every_step {
        return Ok(());
    }
    let never: Vec<String> = crate::ci_run::run_steps(&workflow)
        .map_err(|e| s.failure("ci.yml", e))?
        .into_iter()
        .filter(|step| !ran.contains(step))
        .collect();
    s.check(
        "every run: step of ci.yml ran in a leg",
        expect(
            never.is_empty(),
            &format!(
                "these steps ran in none of {:?}: {never:?}",
                run.case.ci_legs
            ),
        ),
    )
}

/// The interpreter that serves CI's leg `python` here: "3.12" or "pypy3.11" itself; for
/// a free-threaded "3.15t", of which no build exists here, the GIL build of 3.15, said.
fn ci_leg(id: &str, python: &str) -> Result<crate::ci_run::Leg, String> {
    let (version, substitute) = match python.strip_suffix('t') {
        Some(version) => (
            version,
            Some(format!(
                "the GIL build of Python {version} (no free-threaded build exists here)"
            )),
        ),
        None => (python, None),
    };
    Ok(crate::ci_run::Leg {
        python: python.to_owned(),
        interpreter: python_for(id, version)?,
        substitute,
    })
}

/// Every file the steps above made is ignored, and no tool rewrote a source: git sees
/// nothing since the commit.
fn clean_tree(run: &mut CaseRun<'_>, s: &mut Stage<'_>) -> Result<(), Failure> {
    let args = ["status", "--porcelain", "--untracked-files=all"];
    let status = s.command(&mut run.env().command("git", &args))?;
    s.check(
        "git status --porcelain --untracked-files=all",
        expect(
            status.trim().is_empty(),
            &format!("the work tree is not clean after the checks:\n{status}"),
        ),
    )
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

/// `Ok` if `ok`, else an error showing `detail` (the output that was not right).
fn expect(ok: bool, detail: &str) -> Result<(), String> {
    if ok {
        Ok(())
    } else {
        Err(format!("unexpected output:\n{detail}"))
    }
}
