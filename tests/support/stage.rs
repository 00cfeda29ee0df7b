//! A case's work as named, timed stages; a failure says where it happened.

use std::fmt;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::table::Cell;

/// How many lines of a failed command's output a failure shows.
const TAIL_LINES: usize = 60;

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
    log_dir: PathBuf,
    cells: Vec<(String, Cell)>,
    commands_run: usize,
}

impl Stages {
    /// Command output is logged to files in `log_dir`.
    pub fn new(log_dir: &Path) -> Self {
        std::fs::create_dir_all(log_dir).expect("cannot create the log directory");
        Self {
            log_dir: log_dir.to_owned(),
            cells: Vec::new(),
            commands_run: 0,
        }
    }

    /// Runs `body` as the stage `name` and records how long it took.
    pub fn run<T>(
        &mut self,
        name: &str,
        body: impl FnOnce(&mut Stage<'_>) -> Result<T, Failure>,
    ) -> Result<T, Failure> {
        let start = Instant::now();
        let mut stage = Stage {
            name,
            log_dir: &self.log_dir,
            commands_run: &mut self.commands_run,
        };
        let result = body(&mut stage);
        let elapsed = start.elapsed();
        let cell = if result.is_ok() {
            Cell::Time(elapsed)
        } else {
            Cell::Failed(elapsed)
        };
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
    name: &'a str,
    log_dir: &'a Path,
    commands_run: &'a mut usize,
}

impl Stage<'_> {
    /// Runs `command` to completion, its stdout and stderr interleaved into one log.
    /// Returns that output when it exits 0, else a failure with the output's tail.
    pub fn command(&mut self, command: &mut Command) -> Result<String, Failure> {
        *self.commands_run += 1;
        let log = self.log_dir.join(format!(
            "{:02}-{}.log",
            self.commands_run,
            self.name.replace(|c: char| !c.is_ascii_alphanumeric(), "-")
        ));
        let shown = describe(command);
        let file = File::create(&log).expect("cannot create a log file");
        let status = command
            .stdin(Stdio::null())
            .stdout(file.try_clone().expect("cannot share the log file"))
            .stderr(file)
            .status()
            .map_err(|e| self.failure(&shown, format!("cannot start it: {e}")))?;
        let output = String::from_utf8_lossy(&std::fs::read(&log).unwrap_or_default()).into_owned();
        if status.success() {
            Ok(output)
        } else {
            Err(self.failure(
                &shown,
                format!(
                    "exited with {status}; last lines of its output:\n{}",
                    tail(&output)
                ),
            ))
        }
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
}

/// `cd DIR && VAR=value program args`, as a reader would type it.
fn describe(command: &Command) -> String {
    let mut shown = String::new();
    if let Some(dir) = command.get_current_dir() {
        shown.push_str(&format!("cd {} && ", dir.display()));
    }
    for (key, value) in command.get_envs() {
        if let Some(value) = value
            && (key == "CARGO_TARGET_DIR" || key == "VIRTUAL_ENV")
        {
            shown.push_str(&format!(
                "{}={} ",
                key.to_string_lossy(),
                value.to_string_lossy()
            ));
        }
    }
    shown.push_str(&command.get_program().to_string_lossy());
    for arg in command.get_args() {
        shown.push(' ');
        shown.push_str(&arg.to_string_lossy());
    }
    shown
}

/// The last lines of `output`.
fn tail(output: &str) -> String {
    let lines: Vec<&str> = output.lines().collect();
    lines[lines.len().saturating_sub(TAIL_LINES)..].join("\n")
}
