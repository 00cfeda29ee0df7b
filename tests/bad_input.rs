//! Refused inputs (tests/bad_input.toml): each one is a test that runs the real
//! `cargo generate` and checks the exit status, the message and what is left behind.

use std::path::Path;

use assert_cmd::Command;
use harness::generate::cargo_generate;
use harness::paths::{repo_root, scratch_dir};
use libtest_mimic::{Arguments, Failed, Trial};
use predicates::prelude::*;
use serde::Deserialize;

#[derive(Deserialize)]
struct BadInput {
    name: Vec<BadName>,
    define: Vec<BadDefine>,
}

#[derive(Deserialize, Clone)]
struct BadName {
    value: String,
    rule: String,
}

#[derive(Deserialize, Clone)]
struct BadDefine {
    key: String,
    value: String,
    rule: String,
}

fn main() {
    let path = repo_root().join("tests/bad_input.toml");
    let text = std::fs::read_to_string(&path).expect("cannot read tests/bad_input.toml");
    let bad: BadInput = toml::from_str(&text).expect("tests/bad_input.toml is malformed");

    let names = bad.name.into_iter().map(|case| {
        Trial::test(format!("name {:?} is refused", case.value), move || {
            refused_name(&case)
        })
    });
    let defines = bad.define.into_iter().map(|case| {
        Trial::test(
            format!("{}={:?} is refused", case.key, case.value),
            move || refused_define(&case),
        )
    });
    libtest_mimic::run(&Arguments::from_args(), names.chain(defines).collect()).exit();
}

/// A bad name fails before anything is written: the destination stays empty.
fn refused_name(case: &BadName) -> Result<(), Failed> {
    let destination = scratch_dir("bad-name");
    let mut command = cargo_generate(destination.path());
    command
        .arg(format!("--name={}", case.value))
        .args(["--vcs", "none"]);
    Command::from_std(command)
        .assert()
        .failure()
        .stderr(predicate::str::contains(format!(
            "Invalid project name \"{}\"",
            case.value
        )))
        .stderr(predicate::str::contains(&case.rule));
    let left = entries(destination.path());
    if left.is_empty() {
        Ok(())
    } else {
        Err(format!("refusing {:?} left {left:?} behind", case.value).into())
    }
}

/// A bad parameter value is refused by cargo-generate after it has made the project
/// directory, which it leaves empty (documented in README.md).
fn refused_define(case: &BadDefine) -> Result<(), Failed> {
    let destination = scratch_dir("bad-define");
    let mut command = cargo_generate(destination.path());
    command
        .args(["--name=valid-name", "--vcs", "none", "-d"])
        .arg(format!("{}={}", case.key, case.value));
    Command::from_std(command)
        .assert()
        .failure()
        .stderr(predicate::str::contains(format!("\"{}\"", case.value)))
        .stderr(predicate::str::contains(&case.rule));
    let left = entries(destination.path());
    let project = destination.path().join("valid-name");
    if left == [project.clone()] && entries(&project).is_empty() {
        Ok(())
    } else {
        Err(format!(
            "expected only the empty directory {} to be left, found {left:?}",
            project.display()
        )
        .into())
    }
}

fn entries(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut found: Vec<_> = std::fs::read_dir(dir)
        .map(|entries| entries.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    found.sort();
    found
}
