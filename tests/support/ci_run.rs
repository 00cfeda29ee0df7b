//! A generated project's CI (`.github/workflows/ci.yml`), run for real: each Linux leg
//! the case names runs with act, in host mode (no Docker here), every `run:` step on
//! this machine, with a local stand-in for each action it uses (tests/ci_standins/):
//! setup-python makes a virtualenv from an interpreter the suite names, the caches print
//! their keys, and act itself copies the work tree for actions/checkout.
//!
//! What static checks of the workflow cannot see shows here: a `run:` step that calls a
//! script with an option it does not have, or a path that moved. And, before anything
//! runs, every `steps.<id>.outputs.<name>` the job reads must come from a step that sets
//! it (act, like GitHub, would read an unknown one as empty text, silently).
//!
//! What it cannot prove: GitHub's runner image, the real caches, free-threaded Python (its
//! leg's steps run on the GIL build of the same version, named so), macOS and Windows,
//! and the release workflow (manylinux containers, PyPI).

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use yaml_rust2::Yaml;

use crate::paths::{cache_dir, repo_root};
use crate::stage::{Failure, Stage};
use crate::tools::{find_on_path, tools};

/// How long one leg may take: a cold build of pyo3, twice in the free-threaded leg (debug
/// and release), and every check.
pub const LEG_LIMIT: Duration = Duration::from_secs(900);

/// The action each stand-in of tests/ci_standins/ replaces, by its folder's name.
pub const STANDINS: [(&str, &str); 3] = [
    ("actions/setup-python", "setup-python"),
    ("actions/cache", "cache"),
    ("Swatinem/rust-cache", "rust-cache"),
];

/// What no green leg's log may say: pipenv's warning that the virtualenv's Python is not
/// the Pipfile's, which ends "pipenv check will surely fail".
const WARNINGS: [&str; 2] = ["will surely fail", "Your Pipfile requires"];

/// The outputs each replaced action documents (in its action.yml), which its stand-in
/// must declare, no more and no fewer.
pub const DOCUMENTED_OUTPUTS: [(&str, &[&str]); 3] = [
    (
        "setup-python",
        &["cache-hit", "python-path", "python-version"],
    ),
    ("cache", &["cache-hit"]),
    ("rust-cache", &["cache-hit"]),
];

/// The stand-ins are valid actions (GitHub's schema, via check-jsonschema) and declare the
/// outputs their actions document.
pub fn standins_sound() -> Result<(), String> {
    let standins = repo_root().join("tests/ci_standins");
    let mut files = Vec::new();
    for (folder, documented) in DOCUMENTED_OUTPUTS {
        let declared = declared_outputs(&standins.join(folder))?;
        let documented: BTreeSet<String> = documented.iter().map(|o| o.to_string()).collect();
        if declared != documented {
            return Err(format!(
                "tests/ci_standins/{folder}: declares the outputs {declared:?}, but its action \
                 documents {documented:?}"
            ));
        }
        files.push(standins.join(folder).join("action.yml"));
    }
    crate::fast::run(
        Command::new(tools().python_tool("check-jsonschema"))
            .args(["--builtin-schema", "vendor.github-actions"])
            .args(&files),
    )
    .map(drop)
}

/// Actions act runs itself: actions/checkout, whose work tree it copies.
const RUN_BY_ACT: [&str; 1] = ["actions/checkout"];

/// One leg of the CI's `test` job: its `matrix.python` and the interpreter that serves
/// it here, and why, where it is not that Python itself.
pub struct Leg {
    pub python: String,
    pub interpreter: PathBuf,
    pub substitute: Option<String>,
}

/// What a leg ran: the `run:` steps, by name, in order.
pub struct LegReport {
    pub steps_run: Vec<String>,
}

/// The job `test` of `workflow`.
fn test_job(workflow: &Yaml) -> Result<&Yaml, String> {
    let job = &workflow["jobs"]["test"];
    if job.is_badvalue() {
        return Err("ci.yml has no job `test`".into());
    }
    Ok(job)
}

/// A step as act and GitHub name it: its `name`, else its `uses`, else its `run`.
fn step_name(step: &Yaml) -> String {
    ["name", "uses", "run"]
        .iter()
        .find_map(|key| step[*key].as_str())
        .unwrap_or("(unnamed)")
        .to_owned()
}

/// Every `steps.<id>.outputs.<name>` the job reads comes from an earlier step with that
/// id that sets it: a `uses:` of an action whose stand-in declares that output (each
/// declares the outputs its action documents), or a `run:` that writes `<name>=` to
/// `$GITHUB_OUTPUT`. `Err` names the step that reads it.
pub fn outputs_resolve(workflow: &Yaml, standins: &Path) -> Result<(), String> {
    let steps = test_job(workflow)?["steps"]
        .as_vec()
        .ok_or("ci.yml's job `test` has no steps")?;
    let mut set: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for step in steps {
        let text = yaml_text(step);
        for (id, output) in references(&text) {
            let known = set
                .get(&id)
                .is_some_and(|outputs| outputs.contains(&output));
            if !known {
                return Err(format!(
                    "ci.yml: step `{}` reads steps.{id}.outputs.{output}, which no step before \
                     it sets{}",
                    step_name(step),
                    if set.contains_key(&id) {
                        format!(" (step `{id}` sets {:?})", set[&id])
                    } else {
                        format!(" (no step before it has the id `{id}`)")
                    }
                ));
            }
        }
        let Some(id) = step["id"].as_str() else {
            continue;
        };
        let outputs = if let Some(uses) = step["uses"].as_str() {
            let action = uses.split('@').next().unwrap_or_default();
            match STANDINS.iter().find(|(name, _)| *name == action) {
                Some((_, folder)) => declared_outputs(&standins.join(folder))?,
                None => BTreeSet::new(),
            }
        } else {
            written_outputs(step["run"].as_str().unwrap_or_default())
        };
        set.insert(id.to_owned(), outputs);
    }
    Ok(())
}

/// Every `(id, output)` of `steps.<id>.outputs.<output>` in `text`.
fn references(text: &str) -> Vec<(String, String)> {
    let word = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
            .collect()
    };
    text.match_indices("steps.")
        .filter_map(|(at, _)| {
            let rest = &text[at + "steps.".len()..];
            let id = word(rest);
            let after = rest[id.len()..].strip_prefix(".outputs.")?;
            Some((id, word(after)))
        })
        .collect()
}

/// The outputs a `run:` script writes: `echo "name=..." >> "$GITHUB_OUTPUT"`.
fn written_outputs(run: &str) -> BTreeSet<String> {
    run.lines()
        .filter(|line| line.contains("GITHUB_OUTPUT"))
        .filter_map(|line| {
            let quoted = line.split('"').nth(1)?;
            Some(quoted.split('=').next()?.to_owned())
        })
        .collect()
}

/// The outputs a stand-in's action.yml declares.
fn declared_outputs(folder: &Path) -> Result<BTreeSet<String>, String> {
    let action = crate::checks::read_yaml(folder, "action.yml")
        .map_err(|e| format!("{}: {e}", folder.display()))?;
    Ok(action["outputs"]
        .as_hash()
        .into_iter()
        .flatten()
        .filter_map(|(key, _)| key.as_str().map(String::from))
        .collect())
}

/// A YAML node written out, for looking through its strings.
fn yaml_text(node: &Yaml) -> String {
    let mut out = String::new();
    let mut emitter = yaml_rust2::YamlEmitter::new(&mut out);
    let _ = emitter.dump(node);
    out
}

/// `--local-repository ACTION@REF=FOLDER` for every action the job uses, each replaced by
/// its stand-in; `Err` names an action that has none.
fn local_repositories(workflow: &Yaml, standins: &Path) -> Result<Vec<String>, String> {
    let mut arguments = Vec::new();
    for step in test_job(workflow)?["steps"].as_vec().into_iter().flatten() {
        let Some(uses) = step["uses"].as_str() else {
            continue;
        };
        let action = uses.split('@').next().unwrap_or_default();
        if RUN_BY_ACT.contains(&action) {
            continue;
        }
        let (_, folder) = STANDINS
            .iter()
            .find(|(name, _)| *name == action)
            .ok_or_else(|| {
                format!("ci.yml uses {uses}, for which tests/ci_standins/ has no stand-in")
            })?;
        arguments.push(format!("{uses}={}", standins.join(folder).display()));
    }
    Ok(arguments)
}

/// The `run:` steps of the job, by name: each must run in some leg.
pub fn run_steps(workflow: &Yaml) -> Result<Vec<String>, String> {
    Ok(test_job(workflow)?["steps"]
        .as_vec()
        .into_iter()
        .flatten()
        .filter(|step| step["run"].as_str().is_some())
        .map(step_name)
        .collect())
}

/// Runs `leg` of the project's ci.yml with act, in `scratch` (act's own files: its copy
/// of the work tree, the job's temporary directory), with `env` for the steps besides
/// the stand-ins' (`CARGO_TARGET_..._RUNNER` for a Debian interpreter, say). A failure
/// names the leg, the step that failed and the end of that step's output.
pub fn run_leg(
    project: &Path,
    workflow: &Yaml,
    leg: &Leg,
    env: &[(String, String)],
    scratch: &Path,
    s: &mut Stage<'_>,
) -> Result<LegReport, Failure> {
    let standins = repo_root().join("tests/ci_standins");
    let repositories = local_repositories(workflow, &standins)
        .map_err(|e| s.failure("the stand-in actions", e))?;
    let act = tools().python_tool("act");
    let home = std::env::var_os("HOME").unwrap_or_default();
    let cargo_bin = Path::new(&home).join(".cargo/bin");
    // What the steps find on PATH: the Rust toolchain, git and a shell; python comes
    // from the setup-python stand-in, pipenv from the step that installs it.
    let mut path: Vec<PathBuf> = vec![cargo_bin];
    path.extend(find_on_path("cargo").and_then(|c| c.parent().map(Path::to_owned)));
    path.extend(["/usr/local/bin", "/usr/bin", "/bin"].map(PathBuf::from));
    let mut command = Command::new(&act);
    command
        .current_dir(project)
        // act passes its whole environment to the steps: they get only this.
        .env_clear()
        .env("HOME", &home)
        .env("PATH", std::env::join_paths(path).expect("a PATH"))
        // act keeps its copy of the work tree under XDG_CACHE_HOME: in the scratch.
        .env("XDG_CACHE_HOME", scratch.join("cache"))
        .args(["--json", "-W", ".github/workflows/ci.yml", "-j", "test"])
        .args(["--matrix", "os:ubuntu-latest", "--matrix"])
        .arg(format!("python:{}", leg.python))
        .args(["-P", "ubuntu-latest=-self-hosted", "--action-offline-mode"])
        .args([
            "--cache-server-addr",
            "127.0.0.1",
            "--artifact-server-addr",
            "127.0.0.1",
        ])
        .arg("--cache-server-path")
        .arg(scratch.join("act-cache-server"));
    for repository in repositories {
        command.arg("--local-repository").arg(repository);
    }
    let mut step_env: Vec<(String, OsString)> = vec![
        (
            "STANDIN_PYTHONS".into(),
            format!("{}={}", leg.python, leg.interpreter.display()).into(),
        ),
        // As on GitHub's runners.
        ("LANG".into(), "C.UTF-8".into()),
        // The downloads of every leg come from the same caches as the suite's.
        ("PIP_CACHE_DIR".into(), cache_dir().join("pip").into()),
        (
            "PRE_COMMIT_HOME".into(),
            cache_dir().join("pre-commit").into(),
        ),
    ];
    step_env.extend(env.iter().map(|(k, v)| (k.clone(), v.into())));
    for (key, value) in step_env {
        let mut pair = OsString::from(format!("{key}="));
        pair.push(value);
        command.arg("--env").arg(pair);
    }
    if let Some(why) = &leg.substitute {
        s.note(&format!("the {} leg's steps run on {why}", leg.python));
    }
    let (result, output) = s.command_with_output(&mut command, LEG_LIMIT);
    let log = parse_log(&output);
    if let Err(failure) = result {
        return Err(describe_failure(&leg.python, &log, failure));
    }
    if log.job_result.as_deref() != Some("success") {
        return Err(s.failure(
            &format!("act: leg {}", leg.python),
            format!(
                "the job did not end in success:\n{}",
                crate::command::tail(&output)
            ),
        ));
    }
    // A green log a learner can trust: no warning that sounds like a failure (pipenv's,
    // when a leg's Python is not the Pipfile's).
    if let Some(line) = output
        .lines()
        .find(|l| WARNINGS.iter().any(|w| l.contains(w)))
    {
        return Err(s.failure(
            &format!("act: leg {}", leg.python),
            format!("the leg passed, but its log warns:\n{line}"),
        ));
    }
    let run: Vec<String> = run_steps(workflow)
        .map_err(|e| s.failure("ci.yml", e))?
        .into_iter()
        .filter(|name| log.succeeded.contains(name))
        .collect();
    s.note(&format!(
        "leg {}: ran {}",
        leg.python,
        run.iter()
            .map(|name| format!("`{}`", name.lines().next().unwrap_or_default()))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    Ok(LegReport { steps_run: run })
}

/// What act's JSON log of one job says.
#[derive(Default)]
struct ActLog {
    /// The main steps that succeeded, by name.
    succeeded: Vec<String>,
    /// The first main step that failed, and the output lines of that step.
    failed: Option<(String, Vec<String>)>,
    job_result: Option<String>,
}

fn parse_log(output: &str) -> ActLog {
    let mut log = ActLog::default();
    let mut lines_of: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in output.lines() {
        let Ok(entry) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let text = |key: &str| entry.get(key).and_then(|v| v.as_str()).map(String::from);
        if let Some(result) = text("jobResult") {
            log.job_result = Some(result);
        }
        let (Some(stage), Some(step)) = (text("stage"), text("step")) else {
            continue;
        };
        if stage != "Main" {
            continue;
        }
        if entry.get("raw_output").and_then(|v| v.as_bool()) == Some(true)
            || text("command").as_deref() == Some("error")
        {
            let message = text("msg").unwrap_or_default();
            lines_of
                .entry(step.clone())
                .or_default()
                .extend(message.lines().map(String::from));
        }
        // A composite action's own steps report too: only the job's steps count here.
        let top_level = entry
            .get("stepID")
            .and_then(|v| v.as_array())
            .is_some_and(|ids| ids.len() == 1);
        if !top_level {
            continue;
        }
        match text("stepResult").as_deref() {
            Some("success") => log.succeeded.push(step),
            Some("failure") if log.failed.is_none() => {
                let lines = lines_of.get(&step).cloned().unwrap_or_default();
                log.failed = Some((step, lines));
            }
            _ => {}
        }
    }
    log
}

/// A failed leg, said as: the leg, the step, the end of its output.
fn describe_failure(python: &str, log: &ActLog, failure: Failure) -> Failure {
    let Some((step, lines)) = &log.failed else {
        return failure;
    };
    let tail = crate::command::tail(&lines.join("\n"));
    Failure {
        stage: failure.stage,
        command: format!("act: leg {python}"),
        detail: format!(
            "leg {python}: step `{}` failed; the end of its output:\n{tail}",
            step.lines().next().unwrap_or_default()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workflow(steps: &str) -> Yaml {
        let text = format!("jobs:\n  test:\n    steps:\n{steps}");
        yaml_rust2::YamlLoader::load_from_str(&text)
            .unwrap()
            .remove(0)
    }

    fn standins() -> PathBuf {
        repo_root().join("tests/ci_standins")
    }

    #[test]
    fn an_output_setup_python_documents_resolves() {
        let ci = workflow(
            "      - uses: actions/setup-python@abc\n        id: python\n      - run: x\n        env:\n          P: ${{ steps.python.outputs.python-path }}\n",
        );
        assert_eq!(outputs_resolve(&ci, &standins()), Ok(()));
    }

    #[test]
    fn an_output_of_a_step_that_does_not_exist_is_named() {
        let ci = workflow(
            "      - uses: actions/setup-python@abc\n        id: python\n      - name: install\n        run: x \"$P\"\n        env:\n          P: ${{ steps.setup.outputs.python-path }}\n",
        );
        let error = outputs_resolve(&ci, &standins()).unwrap_err();
        assert!(
            error.contains("step `install`") && error.contains("steps.setup"),
            "{error}"
        );
    }

    #[test]
    fn an_output_the_action_does_not_document_is_named() {
        let ci = workflow(
            "      - uses: actions/setup-python@abc\n        id: python\n      - name: install\n        run: echo ${{ steps.python.outputs.python-home }}\n",
        );
        let error = outputs_resolve(&ci, &standins()).unwrap_err();
        assert!(error.contains("python-home"), "{error}");
    }

    #[test]
    fn an_output_a_run_step_writes_resolves() {
        let ci = workflow(
            "      - id: v\n        run: echo \"version=1\" >> \"$GITHUB_OUTPUT\"\n      - run: echo ${{ steps.v.outputs.version }}\n",
        );
        assert_eq!(outputs_resolve(&ci, &standins()), Ok(()));
    }

    #[test]
    fn the_log_names_the_failed_step_and_its_output() {
        let output = [
            r#"{"stage":"Main","step":"Install pipenv","stepID":["5"],"stepResult":"success","msg":"ok"}"#,
            r#"{"stage":"Main","step":"pipenv run check","stepID":["9"],"raw_output":true,"msg":"usage: check\nerror: unrecognized arguments: --strict\n"}"#,
            r#"{"stage":"Main","step":"inner","stepID":["9","a"],"stepResult":"failure","msg":"x"}"#,
            r#"{"stage":"Main","step":"pipenv run check","stepID":["9"],"stepResult":"failure","msg":"x"}"#,
            r#"{"jobResult":"failure","msg":"done"}"#,
        ]
        .join("\n");
        let log = parse_log(&output);
        assert_eq!(log.succeeded, ["Install pipenv"]);
        let (step, lines) = log.failed.unwrap();
        assert_eq!(step, "pipenv run check");
        assert_eq!(
            lines.last().unwrap(),
            "error: unrecognized arguments: --strict"
        );
        assert_eq!(log.job_result.as_deref(), Some("failure"));
    }
}
