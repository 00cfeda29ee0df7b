//! The full tier: every case of tests/cases built and checked with the real tools.
//!
//!     cargo test --test projects -- --include-ignored        # every case
//!     cargo test --test projects -- --include-ignored py39   # the cases matching "py39"
//!
//! Each case is a test, ignored by default so that a plain `cargo test` stays fast.
//! Cases run two at a time (`--test-threads`); each stage's end is printed as it
//! happens, and a table of every stage's time in every case at the end. A case whose
//! Python has no installed interpreter runs with Debian's build, provisioned into the
//! cache (harness::debian_python); one whose Python can be had neither way is
//! generated and checked statically, then reported as ignored, with the reason, in the
//! runner's summary; with
//! `TEMPLATE_TEST_REQUIRE_ALL_PYTHONS=1` (the template's own CI, where every version
//! is installed) it fails instead.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use harness::cases::{Case, all_cases};
use harness::paths::scratch_dir;
use harness::pipeline::{CaseRun, Outcome};
use harness::stage::Stages;
use harness::table::{Column, render};
use libtest_mimic::{Arguments, Completion, Failed, Trial};

fn main() {
    let args = Arguments::from_args();
    let columns = Arc::new(Mutex::new(BTreeMap::new()));
    let trials = interleaved(all_cases())
        .into_iter()
        .map(|case| {
            let columns = Arc::clone(&columns);
            let name = format!("{} [{}]", case.id, case.summary());
            Trial::ignorable_test(name, move || check_case(&case, &columns)).with_ignored_flag(true)
        })
        .collect();

    let conclusion = libtest_mimic::run(&args, trials);

    let columns = columns.lock().unwrap();
    if !columns.is_empty() {
        let columns: Vec<Column> = columns.values().cloned().collect();
        println!(
            "\nTime per stage and case, in seconds:\n\n{}",
            render(&columns)
        );
    }
    harness::generate::finish(conclusion);
}

fn check_case(
    case: &Case,
    columns: &Mutex<BTreeMap<String, Column>>,
) -> Result<Completion, Failed> {
    let logs = scratch_dir(&format!("{}-logs", case.id));
    let mut stages = Stages::new(&case.id, logs.path());
    let outcome = CaseRun::suite(case).run(&mut stages, |_| true);
    columns.lock().unwrap().insert(
        case.id.clone(),
        Column {
            title: case.id.clone(),
            cells: stages.cells().to_vec(),
        },
    );
    match outcome {
        Ok(Outcome::Built) => Ok(Completion::Completed),
        Ok(Outcome::NoPython(reason)) => {
            if std::env::var_os("TEMPLATE_TEST_REQUIRE_ALL_PYTHONS").is_some_and(|v| v == "1") {
                Err(format!(
                    "case {}: TEMPLATE_TEST_REQUIRE_ALL_PYTHONS=1, and {reason}",
                    case.id
                )
                .into())
            } else {
                Ok(Completion::ignored_with(reason))
            }
        }
        Err(failure) => Err(format!("case {} [{}]: {failure}", case.id, case.summary()).into()),
    }
}

/// The cases reordered so that neighbours use different Python versions: two cases
/// running at once then build in different target directories instead of waiting on
/// each other's lock.
fn interleaved(cases: Vec<Case>) -> Vec<Case> {
    let mut by_version: BTreeMap<String, Vec<Case>> = BTreeMap::new();
    for case in cases {
        by_version
            .entry(case.interpreter().to_owned())
            .or_default()
            .push(case);
    }
    let mut queues: Vec<Vec<Case>> = by_version
        .into_values()
        .map(|mut v| {
            v.reverse();
            v
        })
        .collect();
    let mut ordered = Vec::new();
    while queues.iter().any(|q| !q.is_empty()) {
        for queue in &mut queues {
            if let Some(case) = queue.pop() {
                ordered.push(case);
            }
        }
    }
    ordered
}
