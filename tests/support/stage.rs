//! A case's work as named, timed stages; a failure says where it happened, and each
//! stage's end is printed as it happens, so a long run shows that it is alive.

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::command::{self, CommandError};
use crate::table::Cell;

/// The time limit of one command in a stage, unless `TEMPLATE_TEST_COMMAND_LIMIT`
/// (seconds) says otherwise. Cold builds of pyo3 take about a minute here; a hang
/// fails after this long, naming the case, the stage and the command.
pub const COMMAND_LIMIT: Duration = Duration::from_secs(600);

/// What went wrong in a stage: its name, the command (or check) and what it printed.
#[derive(Debug)]
pub struct Failure {
    pub stage: String,
    pub command: String,
    pub detail: String,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "stage `{}` failed\ncommand: {}\n{}",
            self.stage, self.command, self.detail
        )
    }
}

/// The stages of one case, with their timings.
pub struct Stages {
    label: String,
    log_dir: PathBuf,
    limit: Duration,
    cells: Vec<(String, Cell)>,
    commands_run: usize,
}

impl Stages {
    /// Stages labelled `label` (the case) in progress lines; command output is logged
    /// to files in `log_dir`.
    pub fn new(label: &str, log_dir: &Path) -> Self {
        std::fs::create_dir_all(log_dir).expect("cannot create the log directory");
        let limit = std::env::var("TEMPLATE_TEST_COMMAND_LIMIT")
            .ok()
            .and_then(|s| s.parse().ok())
            .map_or(COMMAND_LIMIT, Duration::from_secs);
        Self {
            label: label.to_owned(),
            log_dir: log_dir.to_owned(),
            limit,
            cells: Vec::new(),
            commands_run: 0,
        }
    }

    /// Runs `body` as the stage `name`, records how long it took, and prints that.
    pub fn run<T>(
        &mut self,
        name: &str,
        body: impl FnOnce(&mut Stage<'_>) -> Result<T, Failure>,
    ) -> Result<T, Failure> {
        let start = Instant::now();
        let mut stage = Stage {
            label: &self.label,
            name,
            log_dir: &self.log_dir,
            limit: self.limit,
            commands_run: &mut self.commands_run,
        };
        let result = body(&mut stage);
        let elapsed = start.elapsed();
        let (cell, verdict) = if result.is_ok() {
            (Cell::Time(elapsed), "done")
        } else {
            (Cell::Failed(elapsed), "FAILED")
        };
        eprintln!(
            "    {}: {name} {verdict} in {:.1} s",
            self.label,
            elapsed.as_secs_f64()
        );
        self.cells.push((name.to_owned(), cell));
        result
    }

    /// Records that the stage `name` did not run.
    pub fn skip(&mut self, name: &str) {
        self.cells.push((name.to_owned(), Cell::Skipped));
    }

    /// The stages so far, in order, with their cells.
    pub fn cells(&self) -> &[(String, Cell)] {
        &self.cells
    }
}

/// The stage being run: runs its commands and checks.
pub struct Stage<'a> {
    label: &'a str,
    name: &'a str,
    log_dir: &'a Path,
    limit: Duration,
    commands_run: &'a mut usize,
}

impl Stage<'_> {
    /// Runs `command` (see [`command::run`]) with the stage's time limit, logged to a
    /// file of its own. Returns the output when it exits 0.
    pub fn command(&mut self, command: &mut Command) -> Result<String, Failure> {
        self.command_with_limit(command, self.limit)
    }

    /// [`Stage::command`] with a time limit of its own.
    pub fn command_with_limit(
        &mut self,
        command: &mut Command,
        limit: Duration,
    ) -> Result<String, Failure> {
        let log = self.next_log();
        command::run(command, limit, Some(&log)).map_err(|e| self.failed(e))
    }

    /// [`Stage::command_with_limit`], and the whole output of the command whatever its
    /// end: for a command whose output tells more than its tail (act's log of a CI job).
    pub fn command_with_output(
        &mut self,
        command: &mut Command,
        limit: Duration,
    ) -> (Result<String, Failure>, String) {
        let log = self.next_log();
        match command::run(command, limit, Some(&log)) {
            Ok(output) => (Ok(output.clone()), output),
            Err(e) => {
                // A failure carries only the tail: the whole output is in the log.
                let output =
                    String::from_utf8_lossy(&std::fs::read(&log).unwrap_or_default()).into_owned();
                (Err(self.failed(e)), output)
            }
        }
    }

    /// The log file of the stage's next command, numbered in the order they run.
    fn next_log(&mut self) -> PathBuf {
        *self.commands_run += 1;
        self.log_dir.join(format!(
            "{:02}-{}.log",
            self.commands_run,
            self.name.replace(|c: char| !c.is_ascii_alphanumeric(), "-")
        ))
    }

    /// Says, in the run's output, that `part` of this stage does not apply to the case,
    /// and why: a check that cannot run is named, never counted as passed.
    pub fn not_applicable(&self, part: &str, reason: &str) {
        self.note(&format!("{part} not applicable: {reason}"));
    }

    /// Prints a progress line of this stage (`    case: stage: text`).
    pub fn note(&self, text: &str) {
        eprintln!("    {}: {}: {text}", self.label, self.name);
    }

    /// Turns a failed in-process check into a failure of this stage.
    pub fn check(&self, what: &str, result: Result<(), String>) -> Result<(), Failure> {
        result.map_err(|problem| self.failure(what, problem))
    }

    /// A failure of this stage.
    pub fn failure(&self, command: &str, detail: String) -> Failure {
        Failure {
            stage: self.name.to_owned(),
            command: command.to_owned(),
            detail,
        }
    }

    fn failed(&self, error: CommandError) -> Failure {
        self.failure(&error.shown, error.detail)
    }
}
