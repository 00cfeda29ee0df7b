//! The full tier: every case of tests/cases built and checked with the real tools.
//!
//!     cargo test --test projects -- --include-ignored        # every case
//!     cargo test --test projects -- --include-ignored py39   # the cases matching "py39"
//!
//! Each case is a test, ignored by default so that a plain `cargo test` stays fast.
//! Cases run two at a time (`--test-threads`), and a table of every stage's time in
//! every case is printed at the end. A case whose Python version has no interpreter
//! here is generated and checked statically, and the table's note says so.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use harness::cases::{Case, all_cases};
use harness::paths::scratch_dir;
use harness::pipeline::run_case;
use harness::stage::Stages;
use harness::table::{Column, render};
use libtest_mimic::{Arguments, Trial};

#[derive(Default)]
struct Report {
    columns: BTreeMap<String, Column>,
    notes: Vec<String>,
}

fn main() {
    let args = Arguments::from_args();
    let report = Arc::new(Mutex::new(Report::default()));
    let trials = interleaved(all_cases())
        .into_iter()
        .map(|case| {
            let report = Arc::clone(&report);
            let name = format!("{} [{}]", case.id, case.summary());
            Trial::test(name, move || check_case(&case, &report)).with_ignored_flag(true)
        })
        .collect();

    let conclusion = libtest_mimic::run(&args, trials);

    let report = report.lock().unwrap();
    if !report.columns.is_empty() {
        let columns: Vec<Column> = report.columns.values().cloned().collect();
        println!(
            "\nTime per stage and case, in seconds:\n\n{}",
            render(&columns)
        );
        for note in &report.notes {
            println!("note: {note}");
        }
    }
    conclusion.exit();
}

fn check_case(case: &Case, report: &Mutex<Report>) -> Result<(), libtest_mimic::Failed> {
    let logs = scratch_dir(&format!("{}-logs", case.id));
    let mut stages = Stages::new(logs.path());
    let outcome = run_case(case, &mut stages);
    let mut report = report.lock().unwrap();
    report.columns.insert(
        case.id.clone(),
        Column {
            title: case.id.clone(),
            cells: stages.cells().to_vec(),
        },
    );
    match outcome {
        Ok(note) => {
            if let Some(note) = note {
                eprintln!("note: {note}");
                report.notes.push(note);
            }
            Ok(())
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
            .entry(case.python_version().to_owned())
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
