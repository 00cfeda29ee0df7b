//! Generated trees, checked without building anything: for every case of tests/cases,
//! the static checks of `harness::checks`, and byte-identical output from the same
//! inputs; plus checks that the cases cover the template's parameters.

use std::path::PathBuf;

use harness::cases::{Case, all_cases, placeholders, python_versions};
use harness::checks;
use harness::generate::{generate_case, project_dir};
use harness::paths::{repo_root, scratch_dir};
use harness::tools::find_python;
use libtest_mimic::{Arguments, Failed, Trial};

fn main() {
    let mut trials = vec![
        Trial::test(
            "hooks know the newest python_version choice",
            newest_python_is_known,
        ),
        Trial::test(
            "cases cover every parameter choice",
            cases_cover_every_choice,
        ),
    ];
    for case in all_cases() {
        let for_checks = case.clone();
        trials.push(Trial::test(
            format!("{}: static checks", case.id),
            move || {
                let (_scratch, project) = generate(&for_checks)?;
                Ok(checks::all(&project, &for_checks)?)
            },
        ));
        trials.push(Trial::test(
            format!("{}: same inputs, same tree", case.id),
            move || {
                let (_first, a) = generate(&case)?;
                let (_second, b) = generate(&case)?;
                same_tree(&a, &b)
            },
        ));
    }
    libtest_mimic::run(&Arguments::from_args(), trials).exit();
}

/// Generates `case` (without git) into a fresh scratch directory.
fn generate(case: &Case) -> Result<(tempfile::TempDir, PathBuf), Failed> {
    let scratch = scratch_dir(&case.id);
    let output = generate_case(case, scratch.path(), false)
        .output()
        .map_err(|e| format!("cannot run cargo-generate: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "cargo generate failed for {}:\n{}{}",
            case.id,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
        .into());
    }
    let project = project_dir(scratch.path());
    Ok((scratch, project))
}

fn same_tree(a: &std::path::Path, b: &std::path::Path) -> Result<(), Failed> {
    let (first, second) = (checks::files(a), checks::files(b));
    let names =
        |t: &std::collections::BTreeMap<String, Vec<u8>>| t.keys().cloned().collect::<Vec<_>>();
    if names(&first) != names(&second) {
        return Err(format!(
            "two generations differ in their files: {:?} vs {:?}",
            names(&first),
            names(&second)
        )
        .into());
    }
    match first.iter().find(|(path, bytes)| second[*path] != **bytes) {
        Some((path, _)) => Err(format!("two generations differ in {path}").into()),
        None => Ok(()),
    }
}

/// hooks/derive.rhai derives the classifiers and CI's newest Python from the newest
/// version PyO3 supports; it must be the last `python_version` choice.
fn newest_python_is_known() -> Result<(), Failed> {
    let newest = python_versions()
        .last()
        .cloned()
        .expect("no python_version choices");
    let minor = newest.strip_prefix("3.").expect("a Python 3 version");
    let hook = std::fs::read_to_string(repo_root().join("hooks/derive.rhai"))?;
    let declared = format!("let newest_minor = {minor};");
    if hook.contains(&declared) {
        Ok(())
    } else {
        Err(
            format!("hooks/derive.rhai must declare `{declared}` (the last choice is {newest})")
                .into(),
        )
    }
}

/// Every choice of every parameter appears in some case; every Python version with an
/// interpreter here is built by some case; the GIL demo is built on and off at least
/// twice each.
fn cases_cover_every_choice() -> Result<(), Failed> {
    let cases = all_cases();
    for (key, placeholder) in placeholders() {
        for choice in &placeholder.choices {
            if !cases.iter().any(|c| &c.values[&key] == choice) {
                return Err(format!("no case in tests/cases has {key} = {choice:?}").into());
            }
        }
    }
    let built: Vec<&Case> = cases
        .iter()
        .filter(|c| find_python(c.python_version()).is_some())
        .collect();
    for version in python_versions() {
        if find_python(&version).is_some() && !built.iter().any(|c| c.python_version() == version) {
            return Err(format!("Python {version} is installed but no case builds it").into());
        }
    }
    for gil in [true, false] {
        let count = built.iter().filter(|c| c.gil_demo() == gil).count();
        if count < 2 {
            return Err(format!("only {count} built case(s) have gil_demo = {gil}; want 2").into());
        }
    }
    Ok(())
}
