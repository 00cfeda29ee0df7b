//! GitHub Actions configuration, checked offline: every generated project's and the
//! template repository's own `.github`, against GitHub's schemas (check-jsonschema) and
//! for security problems (zizmor, which must find nothing).

use std::path::{Path, PathBuf};
use std::process::Command;

use harness::cases::all_cases;
use harness::generate::{generate_case, project_dir};
use harness::paths::{repo_root, scratch_dir};
use harness::tools::tools;
use libtest_mimic::{Arguments, Failed, Trial};

fn main() {
    let mut trials = vec![Trial::test("the template repository's workflows", || {
        lint_workflows(&repo_root())
    })];
    for case in all_cases() {
        trials.push(Trial::test(
            format!("{}: generated workflows", case.id),
            move || {
                let scratch = scratch_dir(&case.id);
                run(&mut generate_case(&case, scratch.path(), false))?;
                lint_workflows(&project_dir(scratch.path()))
            },
        ));
    }
    libtest_mimic::run(&Arguments::from_args(), trials).exit();
}

/// check-jsonschema and zizmor on the workflows and Dependabot config of `root/.github`.
fn lint_workflows(root: &Path) -> Result<(), Failed> {
    let dir = root.join(".github/workflows");
    let mut workflows: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yml" || e == "yaml"))
        .collect();
    workflows.sort();
    if workflows.is_empty() {
        return Err(format!("no workflow in {}", dir.display()).into());
    }
    run(Command::new(tools().python_tool("check-jsonschema"))
        .args(["--builtin-schema", "vendor.github-workflows"])
        .args(&workflows))?;
    let dependabot = root.join(".github/dependabot.yml");
    if dependabot.exists() {
        run(Command::new(tools().python_tool("check-jsonschema"))
            .args(["--builtin-schema", "vendor.dependabot"])
            .arg(&dependabot))?;
    }
    run(Command::new(tools().python_tool("zizmor"))
        .args(["--offline", "--no-progress"])
        .arg(root.join(".github")))
}

fn run(command: &mut Command) -> Result<(), Failed> {
    let output = command
        .output()
        .map_err(|e| format!("cannot start {command:?}: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{command:?} exited with {}:\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
        .into())
    }
}
