//! Time-to-green: from `cargo generate` to every check of a generated project passing,
//! stage by stage, cold and warm, next to a hand-made baseline measured in the same run.
//!
//!     cargo bench --bench time_to_green            # Python 3.11
//!     cargo bench --bench time_to_green -- 3.12    # another Python version
//!
//! Three runs, one after the other, so that their ratios compare on a noisy machine:
//!
//! 1. baseline: the course's steps by hand, without the template: `pipenv --python X`,
//!    `pipenv install --dev maturin pytest black pre-commit`, `maturin new -b pyo3`,
//!    `maturin develop`, with empty build caches;
//! 2. template, cold: `cargo generate`, then the generated project's checks (`pipenv
//!    install --dev`, `maturin develop`, pytest, `cargo test`, clippy, pre-commit), with
//!    empty build caches;
//! 3. template, warm: the same for a second project, reusing run 2's build caches (one
//!    target directory per Python version, as the test suite shares them).
//!
//! Then the warm project's dev loop: append a line to src/lib.rs, `maturin develop`,
//! `pytest`, best of three. Download caches (crates.io, PyPI) are warm throughout:
//! what differs between the runs is the build caches.

use std::path::Path;
use std::time::{Duration, Instant};

use harness::cases::{Case, all_cases};
use harness::generate::{generate_case, project_dir};
use harness::paths::scratch_dir;
use harness::pipeline::{ProjectEnv, pinned_pipenv, time_to_green};
use harness::stage::{Failure, Stages};
use harness::table::{Column, render};
use harness::tools::{pipenv, tools};

fn main() {
    // cargo bench passes `--bench`; the first other argument picks the Python version.
    let python = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .unwrap_or_else(|| "3.11".to_owned());
    let mut case = all_cases()
        .into_iter()
        .find(|c| c.id == "default")
        .expect("tests/cases/default.toml is missing");
    case.values
        .insert("python_version".to_owned(), python.clone());
    tools();

    println!("time-to-green with Python {python}, {} cores\n", cores());
    let cold_targets = scratch_dir("ttg-targets");
    let baseline = measure("baseline (by hand)", |stages| baseline(stages, &python));
    let cold = measure("template, cold", |stages| {
        template(stages, &case, cold_targets.path()).map(|_| ())
    });
    let mut dev_loop = None;
    let warm = measure("template, warm", |stages| {
        let (_scratch, env) = template(stages, &case, cold_targets.path())?;
        dev_loop = Some(measure_dev_loop(&env)?);
        Ok(())
    });

    println!(
        "{}",
        render(&[baseline.clone(), cold.clone(), warm.clone()])
    );
    let total = |c: &Column| {
        c.cells
            .iter()
            .filter_map(|(_, cell)| cell.duration())
            .sum::<Duration>()
    };
    println!(
        "warm time-to-green / baseline: {:.1} s / {:.1} s = {:.2}x",
        total(&warm).as_secs_f64(),
        total(&baseline).as_secs_f64(),
        total(&warm).as_secs_f64() / total(&baseline).as_secs_f64()
    );
    if let Some((develop, pytest)) = dev_loop {
        println!(
            "dev loop (edit src/lib.rs, maturin develop, pytest), best of 3: {:.1} s = {:.1} s + {:.1} s",
            (develop + pytest).as_secs_f64(),
            develop.as_secs_f64(),
            pytest.as_secs_f64()
        );
    }
}

/// Runs `body` as one column of the table; a failure is printed and ends the bench.
fn measure(title: &str, body: impl FnOnce(&mut Stages) -> Result<(), Failure>) -> Column {
    let logs = scratch_dir("ttg-logs");
    let mut stages = Stages::new(logs.path());
    if let Err(failure) = body(&mut stages) {
        eprintln!("{title}: {failure}");
        std::process::exit(1);
    }
    Column {
        title: title.to_owned(),
        cells: stages.cells().to_vec(),
    }
}

/// The course's steps without the template, in a fresh directory with fresh build caches.
fn baseline(stages: &mut Stages, python: &str) -> Result<(), Failure> {
    let scratch = scratch_dir("ttg-baseline");
    let targets = scratch.path().join("targets");
    let default_pipenv = pipenv(&pinned_pipenv_for(python));
    let env = ProjectEnv::with_targets(scratch.path(), default_pipenv, &targets, python);
    stages.run("pipenv venv", |s| {
        s.command(&mut env.pipenv(["--python", python]))
    })?;
    stages.run("pipenv install", |s| {
        s.command(&mut env.pipenv([
            "install",
            "--dev",
            "maturin",
            "pytest",
            "black",
            "pre-commit",
        ]))
    })?;
    stages.run("maturin new", |s| {
        s.command(&mut env.pipenv(["run", "maturin", "new", "--bindings", "pyo3", "base"]))
    })?;
    stages.run("maturin develop", |s| {
        s.command(
            env.maturin(["maturin", "develop"])
                .current_dir(scratch.path().join("base")),
        )
    })?;
    Ok(())
}

/// The pipenv a generated project for `python` pins, as the template derives it.
fn pinned_pipenv_for(python: &str) -> String {
    let scratch = scratch_dir("ttg-pin");
    let mut case = all_cases().into_iter().find(|c| c.id == "default").unwrap();
    case.values
        .insert("python_version".to_owned(), python.to_owned());
    let status = generate_case(&case, scratch.path(), false)
        .arg("-d")
        .arg(format!("python_version={python}"))
        .output()
        .expect("cannot run cargo-generate");
    assert!(status.status.success(), "cargo generate failed");
    pinned_pipenv(&project_dir(scratch.path()))
}

/// Generates a project and runs its checks, with build caches under `targets`.
fn template(
    stages: &mut Stages,
    case: &Case,
    targets: &Path,
) -> Result<(tempfile::TempDir, ProjectEnv), Failure> {
    let scratch = scratch_dir("ttg-project");
    let destination = scratch.path().join("generated");
    std::fs::create_dir(&destination).expect("cannot create the destination");
    stages.run("generate", |s| {
        s.command(
            generate_case(case, &destination, true)
                .arg("-d")
                .arg(format!("python_version={}", case.python_version())),
        )
    })?;
    let project = project_dir(&destination);
    let pipenv = pipenv(&pinned_pipenv(&project));
    let env = ProjectEnv::with_targets(&project, pipenv, targets, case.python_version());
    time_to_green(stages, &env)?;
    Ok((scratch, env))
}

/// The best of three rounds of: append a line to src/lib.rs, `maturin develop`, pytest.
fn measure_dev_loop(env: &ProjectEnv) -> Result<(Duration, Duration), Failure> {
    let logs = scratch_dir("ttg-loop");
    let mut stages = Stages::new(logs.path());
    let mut best: Option<(Duration, Duration)> = None;
    for round in 0..3 {
        let lib = env.project().join("src/lib.rs");
        let mut text = std::fs::read_to_string(&lib).expect("cannot read src/lib.rs");
        text.push_str(&format!("// edit {round}\n"));
        std::fs::write(&lib, text).expect("cannot write src/lib.rs");
        let start = Instant::now();
        stages.run("maturin develop", |s| {
            s.command(&mut env.maturin(["maturin", "develop"]))
        })?;
        let develop = start.elapsed();
        let start = Instant::now();
        stages.run("pytest", |s| s.command(&mut env.pipenv(["run", "pytest"])))?;
        let pytest = start.elapsed();
        if best.is_none_or(|(d, p)| develop + pytest < d + p) {
            best = Some((develop, pytest));
        }
    }
    Ok(best.expect("three rounds ran"))
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}
