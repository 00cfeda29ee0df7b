//! Running `cargo generate` on the template, the way a user does.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, OnceLock};

use crate::cases::Case;
use crate::paths::{cache_dir, repo_root};
use crate::tools::tools;

/// The temporary directory of [`Template::repo`]'s copy. (A static is never dropped, so
/// the directory is kept here, where [`finish`] can take it.)
static REPO_COPY: Mutex<Option<tempfile::TempDir>> = Mutex::new(None);

/// Ends a test binary: removes the template's copy, then exits as the test run says.
/// Every test binary ends with it, so that a run leaves nothing in the temp folder.
pub fn finish(conclusion: libtest_mimic::Conclusion) -> ! {
    remove_template_copy();
    conclusion.exit()
}

/// Removes [`Template::repo`]'s copy, if one was made.
pub fn remove_template_copy() {
    drop(REPO_COPY.lock().unwrap_or_else(|p| p.into_inner()).take());
}

/// What a copy of the template holds: what cargo-generate reads, and the files the
/// fast tier checks beside it (the changelog's version, the README's parameter table,
/// the template's own workflow).
pub const TEMPLATE_FILES: [&str; 6] = [
    "cargo-generate.toml",
    "hooks",
    "template",
    "CHANGELOG.md",
    "README.md",
    ".github",
];

/// A copy of the template to generate from: the repository's own files, or a scratch
/// copy changed on purpose (a mutant) or kept in git (the update tests).
#[derive(Debug, Clone)]
pub struct Template {
    pub root: PathBuf,
}

impl Template {
    /// The repository's template, copied once per process into a temporary directory
    /// that [`finish`] removes. (`--path <repository>` would make cargo-generate copy
    /// everything, this suite's own target/ included, on every run.)
    pub fn repo() -> &'static Template {
        static TEMPLATE: OnceLock<Template> = OnceLock::new();
        TEMPLATE.get_or_init(|| {
            let dir = tempfile::Builder::new()
                .prefix("template-source-")
                .tempdir()
                .expect("cannot create a temporary directory");
            let template = Template::copy_into(dir.path());
            *REPO_COPY.lock().unwrap_or_else(|p| p.into_inner()) = Some(dir);
            template
        })
    }

    /// A copy of the repository's template in `dir`.
    pub fn copy_into(dir: &Path) -> Template {
        let root = repo_root();
        for name in TEMPLATE_FILES {
            copy_path(&root.join(name), &dir.join(name));
        }
        Template {
            root: dir.to_owned(),
        }
    }

    /// `cargo generate --path <template> template --silent --destination <dest>`,
    /// isolated from the user's settings: no cargo-generate app config (whose
    /// `[values]` would change the output) and no `CARGO_GENERATE_*` variables.
    /// Callers add `--name`, `-d` and the like.
    pub fn cargo_generate(&self, destination: &Path) -> Command {
        let mut path = std::ffi::OsString::from("--path=");
        path.push(&self.root);
        cargo_generate_from(&[path, "template".into()], destination)
    }

    /// The command that generates `case` from the git repository at `url` (a template
    /// like this one, committed), as `cargo generate --git <url> template` does.
    pub fn generate_case_from_git(url: &str, case: &Case, destination: &Path) -> Command {
        let mut command = cargo_generate_from(
            &[format!("--git={url}").into(), "template".into()],
            destination,
        );
        command
            .arg(format!("--name={}", case.name))
            .arg("--template-values-file")
            .arg(&case.file);
        command
    }

    /// The command that generates `case` into `destination`: without git (`vcs` false)
    /// for a tree to compare, with it for a project to work in. Every value of the case
    /// is also given with `-d`, so that a value changed in `case.values` (as the bench
    /// does) is the one generated.
    pub fn generate_case(&self, case: &Case, destination: &Path, vcs: bool) -> Command {
        let mut command = self.cargo_generate(destination);
        command
            .arg(format!("--name={}", case.name))
            .arg("--template-values-file")
            .arg(&case.file);
        for (key, value) in &case.values {
            command.arg("-d").arg(format!("{key}={value}"));
        }
        if !vcs {
            command.args(["--vcs", "none"]);
        }
        command
    }
}

/// The author every generation here is made by: cargo-generate's `authors` comes from
/// these (CARGO_NAME, CARGO_EMAIL) before git's config, which differs between machines.
pub const AUTHOR_NAME: &str = "Ada Lovelace";
pub const AUTHOR_EMAIL: &str = "ada@example.org";

/// `cargo generate <source> --silent --destination <dest>`, isolated from the user's
/// settings (see [`Template::cargo_generate`]), made by [`AUTHOR_NAME`].
fn cargo_generate_from(source: &[std::ffi::OsString], destination: &Path) -> Command {
    let mut command = Command::new(&tools().cargo_generate);
    command
        .arg("generate")
        .args(source)
        .arg("--silent")
        .arg("--destination")
        .arg(destination)
        .arg("--config")
        .arg(empty_app_config())
        // cargo-generate prints a stack trace with every error when this is set.
        .env("RUST_BACKTRACE", "0")
        .env("CARGO_NAME", AUTHOR_NAME)
        .env("CARGO_EMAIL", AUTHOR_EMAIL);
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("CARGO_GENERATE_") {
            command.env_remove(key);
        }
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

/// Copies the file or directory `from` to `to`.
pub fn copy_path(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap_or_else(|e| panic!("cannot copy {}: {e}", from.display()));
        let relative = entry.path().strip_prefix(from).unwrap();
        let target = if relative.as_os_str().is_empty() {
            to.to_owned()
        } else {
            to.join(relative)
        };
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("cannot copy the template");
        } else {
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).expect("cannot copy the template");
            }
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
