//! The one way the suite runs a command: with a time limit, its stdout and stderr
//! interleaved into one log, and a failure that says what ran and how it ended.
//!
//! Every tier uses it (the static checks, the workflow linters, the tool installs and
//! each stage of the full tier), so a hang anywhere becomes a failure that names the
//! command within its limit, and every failure reads the same way.

use std::fmt;
use std::fs::File;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use wait_timeout::ChildExt;

/// `git -c ...` options for the commits and tags the suite makes: a committer of its
/// own, and no signing (whatever the machine's git config says).
pub const GIT_COMMITTER: [&str; 8] = [
    "-c",
    "user.name=Template Tests",
    "-c",
    "user.email=template-tests@example.invalid",
    "-c",
    "commit.gpgsign=false",
    "-c",
    "tag.gpgsign=false",
];

/// How many lines of a failed command's output a failure shows.
pub const TAIL_LINES: usize = 60;

/// A command that did not succeed: what ran, and how it ended.
#[derive(Debug, Clone)]
pub struct CommandError {
    /// The command as a reader would type it (`cd DIR && VAR=value program args`).
    pub shown: String,
    /// How it ended, with the last lines of its output.
    pub detail: String,
}

impl fmt::Display for CommandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "command: {}\n{}", self.shown, self.detail)
    }
}

impl std::error::Error for CommandError {}

/// Runs `command` to completion with stdin closed, its stdout and stderr interleaved
/// into `log` (a file that stays for inspection) or a temporary file. Returns the
/// output when it exits 0. A command still running after `limit` is killed with every
/// process it started, and that is a failure too.
pub fn run(
    command: &mut Command,
    limit: Duration,
    log: Option<&Path>,
) -> Result<String, CommandError> {
    let (status, output) = run_to_exit(command, limit, log)?;
    if status.success() {
        return Ok(output);
    }
    Err(CommandError {
        shown: describe(command),
        detail: format!(
            "exited with {status}; last lines of its output:\n{}",
            tail(&output)
        ),
    })
}

/// [`run`] for a command whose failure is an answer too (a refusal a test expects): its
/// exit status and its output, whatever the status. It is an error only when it cannot
/// start or runs past `limit`.
pub fn run_to_exit(
    command: &mut Command,
    limit: Duration,
    log: Option<&Path>,
) -> Result<(ExitStatus, String), CommandError> {
    let shown = describe(command);
    let scratch;
    let log = match log {
        Some(path) => path.to_owned(),
        None => {
            scratch = tempfile::NamedTempFile::new().expect("cannot create a temporary log");
            scratch.path().to_owned()
        }
    };
    let file = File::create(&log).expect("cannot create a log file");
    command
        .stdin(Stdio::null())
        .stdout(file.try_clone().expect("cannot share the log file"))
        .stderr(file);
    own_process_group(command);
    let started = Instant::now();
    let mut child = command.spawn().map_err(|e| CommandError {
        shown: shown.clone(),
        detail: format!("cannot start it: {e}"),
    })?;
    let status = wait(&mut child, limit);
    let output = String::from_utf8_lossy(&std::fs::read(&log).unwrap_or_default()).into_owned();
    match status {
        Some(status) => Ok((status, output)),
        None => Err(CommandError {
            shown,
            detail: format!(
                "timed out: still running after {:.0} s (limit {} s), killed with the processes it started; last lines of its output:\n{}",
                started.elapsed().as_secs_f64(),
                limit.as_secs(),
                tail(&output)
            ),
        }),
    }
}

/// The child's exit status, or None once it has been killed for running past `limit`.
fn wait(child: &mut Child, limit: Duration) -> Option<ExitStatus> {
    match child
        .wait_timeout(limit)
        .expect("cannot wait for a command")
    {
        Some(status) => Some(status),
        None => {
            kill_tree(child);
            let _ = child.wait();
            None
        }
    }
}

/// Puts the child in a process group of its own, so that a timeout can kill what it
/// started too (pipenv starts Python, which starts maturin, which starts cargo...).
#[cfg(unix)]
fn own_process_group(command: &mut Command) {
    use std::os::unix::process::CommandExt;
    command.process_group(0);
}

#[cfg(not(unix))]
fn own_process_group(_command: &mut Command) {}

#[cfg(unix)]
fn kill_tree(child: &mut Child) {
    // The group's id is the child's pid (process_group(0) above).
    let group = -(child.id() as i32);
    // SAFETY: kill(2) with a negative pid signals a process group; no memory is shared.
    unsafe {
        libc::kill(group, libc::SIGKILL);
    }
}

#[cfg(windows)]
fn kill_tree(child: &mut Child) {
    let _ = Command::new("taskkill")
        .args(["/T", "/F", "/PID", &child.id().to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    let _ = child.kill();
}

/// `cd DIR && VAR=value program args`, as a reader would type it; of the environment,
/// only what changes where a command builds or installs.
pub fn describe(command: &Command) -> String {
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

/// The last [`TAIL_LINES`] lines of `output`.
pub fn tail(output: &str) -> String {
    let lines: Vec<&str> = output.lines().collect();
    lines[lines.len().saturating_sub(TAIL_LINES)..].join("\n")
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    /// `sh -c script`, run with a time limit of 30 s.
    fn run_sh(script: &str) -> Result<String, CommandError> {
        run(
            Command::new("sh").args(["-c", script]),
            Duration::from_secs(30),
            None,
        )
    }

    #[test]
    fn stdout_and_stderr_are_interleaved_in_the_order_written() {
        let output = run_sh("echo one; echo two >&2; echo three").unwrap();
        assert_eq!(output, "one\ntwo\nthree\n");
    }

    #[test]
    fn a_failure_names_the_command_its_status_and_its_output() {
        let error = run_sh("echo the-last-words; exit 3").unwrap_err();
        assert_eq!(error.shown, "sh -c echo the-last-words; exit 3");
        assert!(error.detail.contains("exit status: 3"), "{}", error.detail);
        assert!(error.detail.ends_with("the-last-words"), "{}", error.detail);
    }

    #[test]
    fn a_hang_is_killed_with_its_children_and_reported() {
        let marker = tempfile::tempdir().unwrap();
        let pid_file = marker.path().join("grandchild.pid");
        // The child starts a grandchild that would outlive it, then hangs.
        let script = format!(
            "sleep 600 & echo $! > {}; echo started; wait",
            pid_file.display()
        );
        let started = Instant::now();
        let error = run(
            Command::new("sh").args(["-c", &script]),
            Duration::from_secs(1),
            None,
        )
        .unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(30));
        assert!(error.detail.starts_with("timed out"), "{}", error.detail);
        assert!(error.detail.contains("limit 1 s"), "{}", error.detail);
        assert!(error.detail.ends_with("started"), "{}", error.detail);
        let grandchild: i32 = std::fs::read_to_string(&pid_file)
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        // Killed with the group: gone, or a zombie waiting for init to reap it.
        let deadline = Instant::now() + Duration::from_secs(10);
        while alive(grandchild) {
            assert!(
                Instant::now() < deadline,
                "the grandchild {grandchild} survived"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Whether process `pid` still runs (Linux: its state in /proc is not Z).
    fn alive(pid: i32) -> bool {
        std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
            // "pid (comm) state ...": the state follows the last ')'.
            stat.rsplit(')')
                .next()
                .and_then(|rest| rest.split_whitespace().next())
                != Some("Z")
        })
    }

    #[test]
    fn describe_shows_the_directory_and_the_build_variables() {
        let mut command = Command::new("cargo");
        command
            .args(["test", "--quiet"])
            .current_dir("/tmp")
            .env("CARGO_TARGET_DIR", "/t")
            .env("UNRELATED", "x");
        assert_eq!(
            describe(&command),
            "cd /tmp && CARGO_TARGET_DIR=/t cargo test --quiet"
        );
    }

    #[test]
    fn tail_keeps_the_last_lines() {
        let output: String = (1..=100).map(|i| format!("{i}\n")).collect();
        let kept = tail(&output);
        assert_eq!(kept.lines().count(), TAIL_LINES);
        assert!(kept.starts_with("41\n") && kept.ends_with("100"));
    }
}
