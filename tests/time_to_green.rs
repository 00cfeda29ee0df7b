//! Time-to-green and the dev loop: how long a generated project takes to pass every
//! check, cold and warm, and how long its everyday round takes, each next to a
//! hand-made baseline measured in the same run.
//!
//!     cargo bench --bench time_to_green            # Python 3.11
//!     cargo bench --bench time_to_green -- 3.12    # another Python version
//!
//! 1. baseline: the course's steps by hand, without the template: `pipenv --python X`,
//!    `pipenv install --dev maturin pytest black pre-commit`, `maturin new -b pyo3`,
//!    `maturin develop`, with empty build caches;
//! 2. template, cold: `cargo generate`, then the stages of harness::pipeline marked
//!    `time_to_green`: `pipenv install --dev` and `pipenv run check` (maturin develop
//!    --uv, pytest, stubtest, cargo test, pre-commit with clippy), with empty build
//!    caches;
//! 3. template, warm: the same for a second project, reusing run 2's build caches (one
//!    target directory per Python version, as the test suite shares them);
//! 4. the dev loop, the round a user repeats all day: append a line to src/lib.rs, then
//!    the README's build command and `pipenv run pytest` (every test), in the warm
//!    project, in one generated without the GIL demo, and in the baseline's `maturin new`
//!    project with one test; rounds alternate between the three, and each one's median
//!    counts.
//!
//! Download caches (crates.io, PyPI) are warm throughout: what differs between the
//! runs is the build caches.

use std::path::Path;
use std::time::{Duration, Instant};

use harness::cases::Case;
use harness::generate::Template;
use harness::paths::scratch_dir;
use harness::pipeline::{CaseRun, StageDef};
use harness::project_env::ProjectEnv;
use harness::stage::{Failure, Stages};
use harness::table::{Column, render};
use harness::tools::{pipenv, tools};

/// Rounds of the dev loop for each side.
const ROUNDS: usize = 5;

fn main() {
    // cargo bench passes `--bench`; the first other argument picks the Python version.
    let python = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .unwrap_or_else(|| "3.11".to_owned());
    let mut case = harness::cases::case("default").unwrap_or_else(|e| panic!("{e}"));
    case.values
        .insert("python_version".to_owned(), python.clone());
    tools();

    println!("time-to-green with Python {python}, {} cores\n", cores());
    let baseline_dir = scratch_dir("ttg-baseline");
    let cold_targets = scratch_dir("ttg-targets");
    let baseline = measure("baseline (by hand)", |stages| {
        baseline(stages, &case, baseline_dir.path())
    });
    let mut cold_steps = Vec::new();
    let cold = measure("template, cold", |stages| {
        cold_steps = template(stages, &case, cold_targets.path())?.check_steps;
        Ok(())
    });
    let mut warm_project = None;
    let warm = measure("template, warm", |stages| {
        warm_project = Some(template(stages, &case, cold_targets.path())?);
        Ok(())
    });

    println!(
        "{}",
        render(&[baseline.clone(), cold.clone(), warm.clone()])
    );
    let warm_steps = &warm_project
        .as_ref()
        .expect("the warm run made a project")
        .check_steps;
    println!("the steps of `pipenv run check` (s), as check.py timed them:");
    println!("{}", steps_line("template, cold", &cold_steps));
    println!("{}\n", steps_line("template, warm", warm_steps));
    // The headline compares like with like: a user's new project has empty build
    // caches, as the baseline does. The warm run reuses the cold one's caches, which
    // only this suite has (its cases share them).
    println!(
        "time-to-green of a new project / baseline, both with empty build caches: \
         {:.1} s / {:.1} s = {:.2}x",
        total(&cold).as_secs_f64(),
        total(&baseline).as_secs_f64(),
        total(&cold).as_secs_f64() / total(&baseline).as_secs_f64()
    );
    println!(
        "(the suite's own case, warm build caches / baseline: {:.1} s / {:.1} s = {:.2}x)\n",
        total(&warm).as_secs_f64(),
        total(&baseline).as_secs_f64(),
        total(&warm).as_secs_f64() / total(&baseline).as_secs_f64()
    );

    let mut without_demo = case.clone();
    without_demo
        .values
        .insert("gil_demo".to_owned(), "false".to_owned());
    // Build caches of its own: the two projects build a crate of the same name, and
    // alternating rounds in one target directory would rebuild it every time.
    let no_demo_targets = scratch_dir("ttg-targets-no-demo");
    let mut no_demo_project = None;
    measure("template, no GIL demo", |stages| {
        no_demo_project = Some(template(stages, &without_demo, no_demo_targets.path())?);
        Ok(())
    });

    let ours = warm_project.expect("the warm run made a project");
    let ours_no_demo = no_demo_project.expect("the run made a project");
    let bare = ProjectEnv::with_pipenv(
        &baseline_dir.path().join("base"),
        pipenv(&pinned_pipenv_for(&case)),
        &baseline_dir.path().join("targets"),
        &python,
    );
    if let Err(failure) = dev_loop(&ours.env, &ours_no_demo.env, &bare) {
        eprintln!("dev loop: {failure}");
        harness::generate::remove_template_copy();
        std::process::exit(1);
    }
    harness::generate::remove_template_copy();
}

/// Runs `body` as one column of the table; a failure is printed and ends the bench.
fn measure(title: &str, body: impl FnOnce(&mut Stages) -> Result<(), Failure>) -> Column {
    let logs = scratch_dir("ttg-logs");
    let mut stages = Stages::new(title, logs.path());
    if let Err(failure) = body(&mut stages) {
        eprintln!("{title}: {failure}");
        harness::generate::remove_template_copy();
        std::process::exit(1);
    }
    Column {
        title: title.to_owned(),
        cells: stages.cells().to_vec(),
    }
}

fn total(column: &Column) -> Duration {
    column
        .cells
        .iter()
        .filter_map(|(_, cell)| cell.duration())
        .sum()
}

/// The course's steps without the template, in `dir` with fresh build caches, and a
/// test of the `maturin new` project's one function, for the dev loop. (pipenv is the
/// version a generated project for `case` pins.)
fn baseline(stages: &mut Stages, case: &Case, dir: &Path) -> Result<(), Failure> {
    let python = case.python_version();
    let targets = dir.join("targets");
    let env = ProjectEnv::with_pipenv(dir, pipenv(&pinned_pipenv_for(case)), &targets, python);
    stages.run("pipenv venv", |s| {
        s.command(&mut env.pipenv(&["--python", python]))
    })?;
    stages.run("pipenv install", |s| {
        let tools = [
            "install",
            "--dev",
            "maturin",
            "pytest",
            "black",
            "pre-commit",
        ];
        s.command(&mut env.pipenv(&tools))
    })?;
    stages.run("maturin new", |s| {
        s.command(&mut env.maturin(&["new", "--bindings", "pyo3", "base"]))
    })?;
    let base = dir.join("base");
    std::fs::create_dir_all(base.join("tests")).expect("cannot create base/tests");
    std::fs::write(
        base.join("tests/test_base.py"),
        "import base\n\n\ndef test_sum_as_string() -> None:\n    assert base.sum_as_string(1, 2) == \"3\"\n",
    )
    .expect("cannot write the baseline's test");
    stages.run("maturin develop", |s| {
        s.command(env.maturin(&["develop"]).current_dir(&base))
    })?;
    Ok(())
}

/// The pipenv a generated project for `case` pins, as the template derives it.
fn pinned_pipenv_for(case: &Case) -> String {
    let (_scratch, project) = harness::fast::generated(Template::repo(), case)
        .unwrap_or_else(|e| panic!("cannot generate {}: {e}", case.id));
    harness::project_env::pinned_pipenv(&project)
}

/// Generates `case` and runs the time-to-green stages, with build caches under
/// `targets`; returns the project's environment (with the scratch directory it lives in).
fn template(stages: &mut Stages, case: &Case, targets: &Path) -> Result<Made, Failure> {
    let mut run = CaseRun::new(case, Template::repo(), targets);
    run.run(stages, |def: &StageDef| def.time_to_green)?;
    let check_steps = std::mem::take(&mut run.check_steps);
    let (scratch, env) = run.into_project_env();
    Ok(Made {
        _scratch: scratch,
        env,
        check_steps,
    })
}

/// A project the bench generated and brought to green.
struct Made {
    /// The scratch directory the project lives in (removed when this is dropped).
    _scratch: tempfile::TempDir,
    env: ProjectEnv,
    /// What `pipenv run check` reported of its steps, with their seconds.
    check_steps: Vec<(String, f64)>,
}

/// One line of `pipenv run check`'s steps, as check.py timed them.
fn steps_line(title: &str, steps: &[(String, f64)]) -> String {
    let steps: Vec<String> = steps
        .iter()
        .map(|(name, seconds)| format!("{name} {seconds:.1}"))
        .collect();
    format!("  {title:<16} {}", steps.join(", "))
}

/// The dev loop of the three projects, alternating rounds, then the medians and the
/// ratios to the bare project's.
fn dev_loop(ours: &ProjectEnv, no_demo: &ProjectEnv, bare: &ProjectEnv) -> Result<(), Failure> {
    let logs = scratch_dir("ttg-loop");
    let mut stages = Stages::new("dev loop", logs.path());
    let sides: [(&str, &ProjectEnv, &[&str], &str); 3] = [
        (
            "generated project",
            ours,
            &["develop", "--uv"],
            "every test",
        ),
        (
            "without the GIL demo",
            no_demo,
            &["develop", "--uv"],
            "every test",
        ),
        ("bare maturin new", bare, &["develop"], "one test"),
    ];
    let mut rounds: Vec<Vec<(f64, f64)>> = vec![Vec::new(); sides.len()];
    for round in 0..ROUNDS {
        for (side, (_, env, build, _)) in sides.iter().enumerate() {
            rounds[side].push(one_round(&mut stages, env, round, build)?);
        }
    }
    println!("dev loop (edit src/lib.rs, build, pytest), median of {ROUNDS} alternating rounds:");
    let bare_total = {
        let (develop, pytest) = median(&rounds[2]);
        develop + pytest
    };
    for ((label, _, build, tests), side_rounds) in sides.iter().zip(&rounds) {
        let (develop, pytest) = median(side_rounds);
        println!(
            "  {label:<22} {:.2} s = {develop:.2} s maturin {} + {pytest:.2} s pytest ({tests}); ratio to bare: {:.2}",
            develop + pytest,
            build.join(" "),
            (develop + pytest) / bare_total
        );
    }
    Ok(())
}

/// One round in `env`'s project: append a line to src/lib.rs, `maturin <build>`,
/// `pytest`. Returns the seconds of the build and of pytest.
fn one_round(
    stages: &mut Stages,
    env: &ProjectEnv,
    round: usize,
    build: &[&str],
) -> Result<(f64, f64), Failure> {
    let lib = env.project().join("src/lib.rs");
    let mut text = std::fs::read_to_string(&lib).expect("cannot read src/lib.rs");
    text.push_str(&format!("// edit {round}\n"));
    std::fs::write(&lib, text).expect("cannot write src/lib.rs");
    let start = Instant::now();
    stages.run("maturin develop", |s| s.command(&mut env.maturin(build)))?;
    let develop = start.elapsed().as_secs_f64();
    let start = Instant::now();
    stages.run("pytest", |s| s.command(&mut env.pipenv(&["run", "pytest"])))?;
    Ok((develop, start.elapsed().as_secs_f64()))
}

/// The round whose total is the median of `rounds`.
fn median(rounds: &[(f64, f64)]) -> (f64, f64) {
    let mut sorted = rounds.to_vec();
    sorted.sort_by(|a, b| (a.0 + a.1).total_cmp(&(b.0 + b.1)));
    sorted[sorted.len() / 2]
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}
