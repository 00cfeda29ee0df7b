//! Running `cargo generate` on the template, the way a user does.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crate::cases::Case;
use crate::paths::{cache_dir, repo_root};
use crate::tools::tools;

/// `cargo generate --path <repo> template --silent --destination <dest>`, isolated from
/// the user's settings: no cargo-generate app config (whose `[values]` would change the
/// output) and no `CARGO_GENERATE_*` variables. Callers add `--name`, `-d` and the like.
pub fn cargo_generate(destination: &Path) -> Command {
    let mut command = Command::new(&tools().cargo_generate);
    command
        .arg("generate")
        .arg("--path")
        .arg(template_source())
        .arg("template")
        .arg("--silent")
        .arg("--destination")
        .arg(destination)
        .arg("--config")
        .arg(empty_app_config())
        // cargo-generate prints a stack trace with every error when this is set.
        .env("RUST_BACKTRACE", "0");
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("CARGO_GENERATE_") {
            command.env_remove(key);
        }
    }
    command
}

/// The command that generates `case` into `destination`, as its `vcs` says:
/// `false` for a tree to compare, `true` for a project to work in (git init'ed).
pub fn generate_case(case: &Case, destination: &Path, vcs: bool) -> Command {
    let mut command = cargo_generate(destination);
    command
        .arg(format!("--name={}", case.name))
        .arg("--template-values-file")
        .arg(&case.file);
    if !vcs {
        command.args(["--vcs", "none"]);
    }
    command
}

/// The project cargo-generate made in the otherwise empty `destination`. (Its name is
/// cargo-generate's rewrite of `--name`: kebab-case unless the name is snake_case.)
pub fn project_dir(destination: &Path) -> PathBuf {
    let entries: Vec<PathBuf> = std::fs::read_dir(destination)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", destination.display()))
        .map(|entry| entry.expect("cannot list the destination").path())
        .collect();
    match entries.as_slice() {
        [project] if project.is_dir() => project.clone(),
        _ => panic!(
            "expected one project directory in {}, found {entries:?}",
            destination.display()
        ),
    }
}

/// The template as cargo-generate should see it: the repository's cargo-generate.toml,
/// hooks/ and template/, copied once per process. (`--path <repository>` would make
/// cargo-generate copy everything, this suite's own target/ included, on every run.)
fn template_source() -> &'static Path {
    static SOURCE: OnceLock<tempfile::TempDir> = OnceLock::new();
    SOURCE
        .get_or_init(|| {
            let copy = tempfile::Builder::new()
                .prefix("template-source-")
                .tempdir()
                .expect("cannot create a temporary directory");
            let root = repo_root();
            std::fs::copy(
                root.join("cargo-generate.toml"),
                copy.path().join("cargo-generate.toml"),
            )
            .expect("cannot copy cargo-generate.toml");
            for dir in ["hooks", "template"] {
                copy_dir(&root.join(dir), &copy.path().join(dir));
            }
            copy
        })
        .path()
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("cannot walk the template");
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("cannot copy the template");
        } else {
            std::fs::copy(entry.path(), &target).expect("cannot copy the template");
        }
    }
}

/// An empty cargo-generate app config, so the user's own one is not read.
fn empty_app_config() -> PathBuf {
    let path = cache_dir().join("empty-cargo-generate-config.toml");
    if !path.exists() {
        std::fs::write(
            &path,
            "# Deliberately empty: see tests/support/generate.rs\n",
        )
        .expect("cannot write the empty cargo-generate config");
    }
    path
}
