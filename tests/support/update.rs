//! The update scenario of `update_template.py`, tried for real: a scratch git
//! repository of a template with two tagged releases, a project generated at the first
//! and edited by its user, then updated to the second with real git and the real
//! cargo-generate. tests/update.rs runs it on the repository's template, and the
//! mutation tier on broken copies.
//!
//! The second release changes what a template release typically changes: a dependency
//! pin, a workflow step, a README paragraph, one file deleted and one added.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::cases::all_cases;
use crate::command::run;
use crate::generate::{Template, copy_path, project_dir};
use crate::paths::{cache_dir, scratch_dir};
use crate::pipeline::CaseRun;
use crate::stage::Stages;
use crate::tools::tools;

/// A test's time limit for one command.
const LIMIT: std::time::Duration = std::time::Duration::from_secs(300);

/// The second release's changes: (file, text before, text after). Each text before is
/// in the first release (checked), so a template change that drops it fails loudly.
pub const CHANGES: [(&str, &str, &str); 3] = [
    ("template/Pipfile", "pytest = \">=8\"", "pytest = \">=8.4\""),
    (
        "template/.github/workflows/ci.yml",
        "      - name: pipenv run pytest\n",
        "      - name: cargo fmt --check\n        run: cargo fmt --check\n\n      - name: pipenv run pytest\n",
    ),
    (
        "template/README.md",
        "Pick another n with `pipenv run python main.py 30`.",
        "Pick another n: `pipenv run python main.py 30` takes about a second in Python.",
    ),
];
const DELETED: &str = ".github/dependabot.yml";
const ADDED: (&str, &str) = (
    ".editorconfig",
    "root = true\n\n[*]\ninsert_final_newline = true\n",
);

/// The user's own edits: a new `#[pyfunction]` with its stub and test, a README
/// paragraph, and a file of their own.
const USER_TEST: &str = "\"\"\"The user's own function.\"\"\"\n\nfrom fib_demo import triple\n\n\ndef test_triple() -> None:\n    assert triple(14) == 42\n";
const USER_NOTES: &str = "# Notes\n\nMine, not the template's.\n";
const USER_README: &str = "\n## My own section\n\nThe user wrote this.\n";

/// What went wrong, from any step: an I/O error, a command, or an expectation.
#[derive(Debug)]
pub struct Problem(pub String);

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl<E: std::error::Error> From<E> for Problem {
    fn from(error: E) -> Self {
        Problem(error.to_string())
    }
}

impl From<Problem> for String {
    fn from(problem: Problem) -> String {
        problem.0
    }
}

type Outcome<T = ()> = Result<T, Problem>;

/// The update brings the template's changes, keeps the user's, commits nothing, and
/// records the new revision; run again, it finds nothing to do.
pub fn update_merges(template: &Template) -> Outcome {
    let world = World::new(template, Source::Path)?;
    world.update_and_check(&[])?;
    world.git(&["commit", "--quiet", "-m", "Update from the template"])?;
    let again = world.update(&[])?;
    expect(
        again.0 == Some(0) && again.1.contains("Already at v1.1.0"),
        &again.1,
    )
}

/// An edit of the lines the template changed is left as conflict markers, with a
/// non-zero exit naming the file, and nothing else lost.
pub fn update_conflicts(template: &Template) -> Outcome {
    let world = World::new(template, Source::Url)?;
    world.edit_readme_line_the_template_changes()?;
    let (code, output) = world.update(&[])?;
    expect(code == Some(1), &output)?;
    expect(
        output.contains("README.md") && output.contains("conflicts"),
        &output,
    )?;
    let readme = world.read("README.md")?;
    expect(
        readme.contains("<<<<<<<") && readme.contains(">>>>>>>"),
        &readme,
    )?;
    world.template_changes_arrived()?;
    world.user_edits_intact()
}

/// An update on a dirty work tree is refused, and changes nothing.
pub fn update_refuses_a_dirty_tree(template: &Template) -> Outcome {
    let world = World::new(template, Source::Path)?;
    world.write("NOTES.md", "uncommitted\n")?;
    let before = world.git(&["status", "--porcelain"])?;
    let head = world.git(&["rev-parse", "HEAD"])?;
    let (code, output) = world.update(&[])?;
    expect(code == Some(2) && output.contains("refused"), &output)?;
    expect(
        world.git(&["status", "--porcelain"])? == before,
        "the status changed",
    )?;
    expect(world.git(&["rev-parse", "HEAD"])? == head, "HEAD moved")?;
    expect(
        world.read("NOTES.md")? == "uncommitted\n",
        "NOTES.md changed",
    )?;
    expect(
        world.read("Pipfile")?.contains("pytest = \">=8\""),
        "the Pipfile changed",
    )
}

/// After the update, the project passes its own checks (full tier).
pub fn updated_project_passes_its_checks(template: &Template) -> Outcome {
    let world = World::new(template, Source::Path)?;
    world.update_and_check(&["--to", "v1.1.0"])?;
    world.git(&["commit", "--quiet", "-m", "Update from the template"])?;
    world.checks_pass()
}

/// How the project knows its template.
#[derive(Clone, Copy, PartialEq)]
enum Source {
    /// Generated by hand from a checkout: nothing recorded, `--from <path>` given.
    Path,
    /// Generated with its source (a git URL) and revision recorded.
    Url,
}

/// A template repository with releases v1.0.0 and v1.1.0, and a project generated at
/// the first, committed, then edited and committed by its user.
struct World {
    _scratch: tempfile::TempDir,
    repo: PathBuf,
    project: PathBuf,
    source: Source,
}

impl World {
    fn new(original: &Template, source: Source) -> Outcome<Self> {
        let scratch = scratch_dir("update");
        let repo = scratch.path().join("template");
        copy_path(&original.root, &repo);
        let template = Template { root: repo.clone() };
        git(&repo, &["init", "--quiet"])?;
        set_version(&repo, "1.0.0")?;
        git(&repo, &["add", "-A"])?;
        git(&repo, &["commit", "--quiet", "-m", "Release 1.0.0"])?;
        git(&repo, &["tag", "v1.0.0"])?;
        let first = git(&repo, &["rev-parse", "HEAD"])?;

        let destination = scratch.path().join("projects");
        std::fs::create_dir(&destination)?;
        let case = all_cases()
            .into_iter()
            .find(|c| c.id == "default")
            .expect("tests/cases/default.toml");
        let mut generate = template.generate_case(&case, &destination, true);
        if source == Source::Url {
            generate
                .arg("-d")
                .arg(format!("template_source={}", file_url(&repo)))
                .arg("-d")
                .arg(format!("template_revision={first}"));
        }
        run(&mut generate, LIMIT, None)?;
        let project = project_dir(&destination);
        git(&project, &["add", "-A"])?;
        git(
            &project,
            &["commit", "--quiet", "-m", "Generated at v1.0.0"],
        )?;

        // The second release.
        for (file, before, after) in CHANGES {
            let path = repo.join(file);
            let text = std::fs::read_to_string(&path)?;
            if !text.contains(before) {
                return Err(Problem(format!("{file} no longer holds `{before}`")));
            }
            std::fs::write(&path, text.replacen(before, after, 1))?;
        }
        set_version(&repo, "1.1.0")?;
        std::fs::remove_file(repo.join("template").join(DELETED))?;
        std::fs::write(repo.join("template").join(ADDED.0), ADDED.1)?;
        git(&repo, &["add", "-A"])?;
        git(&repo, &["commit", "--quiet", "-m", "Release 1.1.0"])?;
        git(&repo, &["tag", "v1.1.0"])?;

        let world = World {
            _scratch: scratch,
            repo,
            project,
            source,
        };
        world.make_user_edits()?;
        Ok(world)
    }

    fn make_user_edits(&self) -> Outcome {
        let lib = self.read("src/lib.rs")?;
        let anchor = "    #[cfg(test)]\n    mod tests {";
        let function = "    /// The user's own function: three times n.\n    #[pyfunction]\n    fn triple(n: i64) -> i64 {\n        n * 3\n    }\n\n";
        self.write(
            "src/lib.rs",
            &lib.replacen(anchor, &format!("{function}{anchor}"), 1),
        )?;
        let stub = self.read("fib_demo.pyi")?;
        let stub = stub.replacen("__all__ = [\n", "__all__ = [\n    \"triple\",\n", 1)
            + "\ndef triple(n: int) -> int:\n    \"\"\"Three times n.\"\"\"\n";
        self.write("fib_demo.pyi", &stub)?;
        self.write("tests/test_triple.py", USER_TEST)?;
        self.write("NOTES.md", USER_NOTES)?;
        let readme = self.read("README.md")? + USER_README;
        self.write("README.md", &readme)?;
        self.git(&["add", "-A"])?;
        self.git(&["commit", "--quiet", "-m", "The user's edits"])?;
        Ok(())
    }

    fn edit_readme_line_the_template_changes(&self) -> Outcome {
        let readme = self.read("README.md")?;
        let line = CHANGES[2].1;
        self.write(
            "README.md",
            &readme.replacen(line, "Pick another n, say 30.", 1),
        )?;
        self.git(&["commit", "--quiet", "-am", "The user's wording"])?;
        Ok(())
    }

    /// Runs the project's update_template.py with `args`: its exit code and output.
    fn update(&self, args: &[&str]) -> Outcome<(Option<i32>, String)> {
        let mut command = Command::new(tools().python_tool("python"));
        command
            .arg("update_template.py")
            .args(args)
            .current_dir(&self.project)
            .env("CARGO_GENERATE", &tools().cargo_generate);
        if self.source == Source::Path {
            command.arg("--from").arg(&self.repo);
        }
        let output = command.output()?;
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        Ok((output.status.code(), text))
    }

    /// Updates to the newest release, or as `args` say, and checks the result.
    fn update_and_check(&self, args: &[&str]) -> Outcome {
        let head = self.git(&["rev-parse", "HEAD"])?;
        let (code, output) = self.update(args)?;
        expect(code == Some(0), &output)?;
        expect(
            output.contains("v1.0.0") && output.contains("v1.1.0"),
            &output,
        )?;
        self.template_changes_arrived()?;
        self.user_edits_intact()?;
        expect(
            self.git(&["rev-parse", "HEAD"])? == head,
            "the update committed something",
        )?;
        let answers = self.read(".template-answers.toml")?;
        let second = git(&self.repo, &["rev-parse", "v1.1.0"])?;
        for recorded in [
            "version = \"1.1.0\"".to_owned(),
            format!("template_revision = \"{second}\""),
        ] {
            expect(answers.contains(&recorded), &answers)?;
        }
        Ok(())
    }

    fn template_changes_arrived(&self) -> Outcome {
        for (file, _, after) in &CHANGES[..2] {
            let generated = file.strip_prefix("template/").unwrap();
            let text = self.read(generated)?;
            expect(
                text.contains(after),
                &format!("{generated} lacks `{after}`"),
            )?;
        }
        expect(
            !self.project.join(DELETED).exists(),
            "the deleted file is still there",
        )?;
        expect(self.read(ADDED.0)? == ADDED.1, "the added file is missing")
    }

    fn user_edits_intact(&self) -> Outcome {
        expect(
            self.read("src/lib.rs")?.contains("fn triple(n: i64)"),
            "lib.rs lost triple",
        )?;
        expect(
            self.read("fib_demo.pyi")?.contains("def triple"),
            "the stub lost triple",
        )?;
        expect(
            self.read("tests/test_triple.py")? == USER_TEST,
            "the user's test changed",
        )?;
        expect(self.read("NOTES.md")? == USER_NOTES, "NOTES.md changed")?;
        expect(
            self.read("README.md")?.ends_with(USER_README),
            "the README lost the user's section",
        )
    }

    /// The project's own checks, as the full tier runs them.
    fn checks_pass(&self) -> Outcome {
        let case = all_cases().into_iter().find(|c| c.id == "default").unwrap();
        let logs = scratch_dir("update-logs");
        let mut stages = Stages::new("updated project", logs.path());
        let wanted = [
            "pipenv install",
            "maturin develop",
            "pytest",
            "cargo test",
            "pre-commit",
        ];
        CaseRun::adopt(&case, &self.project, &cache_dir().join("target"))
            .run(&mut stages, |def| wanted.contains(&def.name))
            .map(|_| ())
            .map_err(|failure| Problem(failure.to_string()))
    }

    fn read(&self, path: &str) -> Outcome<String> {
        std::fs::read_to_string(self.project.join(path))
            .map_err(|e| Problem(format!("cannot read {path}: {e}")))
    }

    fn write(&self, path: &str, text: &str) -> Outcome {
        Ok(std::fs::write(self.project.join(path), text)?)
    }

    fn git(&self, args: &[&str]) -> Outcome<String> {
        git(&self.project, args)
    }
}

/// `git args` in `dir`, as a committer with no signing, its output trimmed.
fn git(dir: &Path, args: &[&str]) -> Outcome<String> {
    let output = run(
        Command::new("git")
            .args(crate::command::GIT_COMMITTER)
            .args(args)
            .current_dir(dir),
        LIMIT,
        None,
    )?;
    Ok(output.trim().to_owned())
}

/// The template's version, which hooks/derive.rhai sets.
fn set_version(repo: &Path, version: &str) -> Outcome {
    let path = repo.join("hooks/derive.rhai");
    let text = std::fs::read_to_string(&path)?;
    let start = text
        .find("variable::set(\"template_version\", \"")
        .ok_or_else(|| Problem("derive.rhai sets no template_version".into()))?;
    let value_start = start + "variable::set(\"template_version\", \"".len();
    let value_end = value_start + text[value_start..].find('"').unwrap();
    std::fs::write(
        &path,
        format!("{}{version}{}", &text[..value_start], &text[value_end..]),
    )?;
    Ok(())
}

/// `dir` as a `file://` git URL.
fn file_url(dir: &Path) -> String {
    format!("file://{}", dir.display())
}

fn expect(ok: bool, detail: &str) -> Outcome {
    if ok {
        Ok(())
    } else {
        Err(Problem(format!(
            "update_template.py: unexpected:\n{detail}"
        )))
    }
}
