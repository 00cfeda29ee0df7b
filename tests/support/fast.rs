//! The fast tier (`cargo test`), as functions of a copy of the template: the tests in
//! tests/*.rs run them on the repository's template, and the mutation tier runs the
//! very same ones on copies broken on purpose.
//!
//! Template-level checks look at the template's own files; per-case checks generate a
//! case and look at the result. None builds anything.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use serde::Deserialize;

use crate::cases::{Case, placeholders_of};
use crate::checks;
use crate::command;
use crate::generate::{Template, project_dir};
use crate::paths::{files_under, repo_root, scratch_dir};
use crate::tools::tools;

/// A check of the template as a whole.
pub type TemplateCheck = fn(&Template) -> Result<(), String>;

/// The time limit of one command of the fast tier.
const LIMIT: Duration = Duration::from_secs(120);

/// The documented defaults: what the README's parameter table says, and what
/// cargo-generate.toml must give a user who answers nothing.
pub const DOCUMENTED_DEFAULTS: [(&str, &str); 5] = [
    ("abi3", "false"),
    ("gil_demo", "true"),
    ("lang", "en"),
    ("license", "MIT OR Apache-2.0"),
    ("python_version", "3.12"),
];

/// Runs `command`, for the fast tier.
pub fn run(command: &mut Command) -> Result<String, String> {
    command::run(command, LIMIT, None).map_err(|e| e.to_string())
}

/// `case` generated from `template` without git into a fresh scratch directory.
pub fn generated(template: &Template, case: &Case) -> Result<(tempfile::TempDir, PathBuf), String> {
    let scratch = scratch_dir(&case.id);
    run(&mut template.generate_case(case, scratch.path(), false))
        .map_err(|e| format!("cargo generate failed for {}:\n{e}", case.id))?;
    let project = project_dir(scratch.path());
    Ok((scratch, project))
}

/// Every static check of `case` generated from `template`, sp-repo-review's included.
pub fn static_checks(template: &Template, case: &Case) -> Result<(), String> {
    let (_scratch, project) = generated(template, case)?;
    statically_sound(template, case, &project)?;
    repo_review(&[&project])
}

/// The static checks of `project`, generated from `template` for `case`.
fn statically_sound(template: &Template, case: &Case, project: &Path) -> Result<(), String> {
    checks::all(project, case, &template.root)?;
    course_map(project, case)
}

/// The recorded answers regenerate the project byte for byte: `cargo generate` with
/// the name and the values file that .template-answers.toml holds, at the same
/// revision, gives the same tree (so generating is deterministic, too).
pub fn answers_reproduce(template: &Template, case: &Case) -> Result<(), String> {
    let (_first, project) = generated(template, case)?;
    reproduced_from_answers(template, case, &project)
}

/// Regenerating from `project`'s recorded answers gives `project` again.
fn reproduced_from_answers(template: &Template, case: &Case, project: &Path) -> Result<(), String> {
    let answers = checks::read_toml(project, ".template-answers.toml")?;
    let name = answers["template"]["project-name"]
        .as_str()
        .ok_or(".template-answers.toml has no [template] project-name")?;
    let again = scratch_dir(&format!("{}-again", case.id));
    run(template
        .cargo_generate(again.path())
        .arg(format!("--name={name}"))
        .arg("--template-values-file")
        .arg(project.join(".template-answers.toml"))
        .args(["--vcs", "none"]))?;
    same_tree(project, &project_dir(again.path()))
        .map_err(|e| format!("regenerating from .template-answers.toml: {e}"))
}

/// The two trees hold the same files with the same bytes.
pub fn same_tree(a: &Path, b: &Path) -> Result<(), String> {
    let (first, second) = (checks::files(a), checks::files(b));
    let names = |t: &BTreeMap<String, Vec<u8>>| t.keys().cloned().collect::<Vec<_>>();
    if names(&first) != names(&second) {
        return Err(format!(
            "the trees differ in their files: {:?} vs {:?}",
            names(&first),
            names(&second)
        ));
    }
    match first.iter().find(|(path, bytes)| second[*path] != **bytes) {
        Some((path, _)) => Err(format!("the trees differ in {path}")),
        None => Ok(()),
    }
}

/// sp-repo-review (Scientific Python's development guidelines, offline) finds no failed
/// check in any of `projects`; what does not fit the design is in each project's
/// `[tool.repo-review] ignore`, with its reason
/// ([`checks::repo_review_ignores_only_what_does_not_fit`]).
pub fn repo_review(projects: &[&Path]) -> Result<(), String> {
    run(Command::new(tools().python_tool("sp-repo-review"))
        .args(["--show", "err"])
        .args(projects)
        .env("COLUMNS", "100"))
    .map(|_| ())
    .map_err(|e| format!("sp-repo-review found failed checks:\n{e}"))
}

/// What a user who answers nothing gets, made by someone whose name needs escaping in
/// TOML and who has no email address: this year's copyright (recorded), the author as
/// given, no repository URL anywhere, and sp-repo-review still clean.
pub fn defaults_as_a_user_gets_them(template: &Template) -> Result<(), String> {
    let scratch = scratch_dir("defaults");
    let author = r#"Ada "Countess" Lovelace \ II"#;
    run(template
        .cargo_generate(scratch.path())
        .args(["--name=fib-demo", "--vcs", "none"])
        .env("CARGO_NAME", author)
        .env("CARGO_EMAIL", ""))?;
    let project = project_dir(scratch.path());
    let mut case = crate::cases::case("default")?;
    for recorded_or_given in ["repository", "copyright_year"] {
        case.values.remove(recorded_or_given);
    }
    let named = |e: String| format!("defaults, made by {author:?} with no email: {e}");
    checks::expected_files(&project, &case).map_err(named)?;
    checks::toml_parses(&project).map_err(named)?;
    checks::repo_review_ignores_only_what_does_not_fit(&project).map_err(named)?;
    checks::license_and_people_by(&project, &case, author, None).map_err(named)?;
    let answers = checks::read_toml(&project, ".template-answers.toml")?;
    let values = &answers["values"];
    let year = checks::current_year();
    for (key, expected) in [
        ("copyright_year", year.as_str()),
        ("author_name", author),
        ("author_email", ""),
        ("repository", ""),
    ] {
        if values.get(key).and_then(|v| v.as_str()) != Some(expected) {
            return Err(named(format!(
                ".template-answers.toml: {key} is {:?}, expected {expected:?}",
                values.get(key)
            )));
        }
    }
    repo_review(&[&project]).map_err(named)
}

/// The default case as generated into `destination` (an empty directory), with `extra`
/// arguments.
fn default_generated_into(
    template: &Template,
    destination: &Path,
    extra: &[&str],
) -> Result<PathBuf, String> {
    let case = crate::cases::case("default")?;
    run(template
        .generate_case(&case, destination, false)
        .args(extra))?;
    Ok(project_dir(destination))
}

/// A rustfmt.toml above the destination changes nothing in the project: the same
/// answers give the same project wherever it is generated (cargo-generate 0.24 and
/// later would format the Rust files with it, hence `fmt = false`).
pub fn rustfmt_config_above_changes_nothing(template: &Template) -> Result<(), String> {
    let plain = scratch_dir("rustfmt-plain");
    let expected = default_generated_into(template, plain.path(), &[])?;
    let parent = scratch_dir("rustfmt-above");
    std::fs::write(parent.path().join("rustfmt.toml"), "hard_tabs = true\n")
        .map_err(|e| e.to_string())?;
    let destination = parent.path().join("projects");
    std::fs::create_dir(&destination).map_err(|e| e.to_string())?;
    let project = default_generated_into(template, &destination, &[])?;
    same_tree(&expected, &project)
        .map_err(|e| format!("generated below a rustfmt.toml with hard_tabs = true: {e}"))
}

/// `-d crate_name=...` either changes nothing (cargo-generate 0.23 ignores it) or is
/// refused, naming the value and the way that works (0.24 and later would honour it,
/// and .template-answers.toml could not reproduce the project).
pub fn crate_name_override_is_ignored_or_refused(template: &Template) -> Result<(), String> {
    let plain = scratch_dir("crate-name-plain");
    let expected = default_generated_into(template, plain.path(), &[])?;
    let overridden = scratch_dir("crate-name-define");
    match default_generated_into(
        template,
        overridden.path(),
        &["-d", "crate_name=other_name"],
    ) {
        Ok(project) => same_tree(&expected, &project).map_err(|e| {
            format!("-d crate_name=other_name was honoured, and the answers do not record it: {e}")
        }),
        Err(message) => {
            let wanted = [
                "-d crate_name=other_name is not supported",
                "--name other_name",
            ];
            match wanted.iter().find(|w| !message.contains(*w)) {
                None => Ok(()),
                Some(missing) => Err(format!(
                    "-d crate_name=other_name was refused without saying `{missing}`:\n{message}"
                )),
            }
        }
    }
}

/// The English and the Korean README of a project walk a learner through the same
/// steps: the same sections (their levels, in the same order) and the same commands (every
/// `bash` block, comments stripped). `case` is generated in the other language too.
pub fn readmes_agree(template: &Template, case: &Case) -> Result<(), String> {
    let (_scratch, project) = generated(template, case)?;
    readmes_agree_with(template, case, &project)
}

/// [`readmes_agree`] for `case` already generated in `project`.
fn readmes_agree_with(template: &Template, case: &Case, project: &Path) -> Result<(), String> {
    let mut other = case.clone();
    let lang = if case.lang() == "ko" { "en" } else { "ko" };
    other.id = format!("{}-{lang}", case.id);
    other.values.insert("lang".into(), lang.into());
    let (_scratch, translated) = generated(template, &other)?;
    let outline = |root: &Path| -> Result<(Vec<usize>, Vec<String>), String> {
        let readme = checks::read(root, "README.md")?;
        let mut levels = Vec::new();
        let mut commands = Vec::new();
        let mut block: Option<(bool, Vec<String>)> = None;
        for line in readme.lines() {
            let fence = line.trim_start().strip_prefix("```");
            match (&mut block, fence) {
                (None, Some(info)) => block = Some((info.trim() == "bash", Vec::new())),
                (Some((bash, lines)), Some(_)) => {
                    if *bash {
                        commands.push(lines.join("\n"));
                    }
                    block = None;
                }
                (Some((_, lines)), None) => {
                    let command = line.split(" #").next().unwrap_or("").trim_end();
                    if !command.trim().is_empty() && !command.trim_start().starts_with('#') {
                        lines.push(command.to_owned());
                    }
                }
                (None, None) => {
                    let hashes = line.chars().take_while(|c| *c == '#').count();
                    if hashes > 0 && line[hashes..].starts_with(' ') {
                        levels.push(hashes);
                    }
                }
            }
        }
        Ok((levels, commands))
    };
    let (levels, commands) = outline(project)?;
    let (other_levels, other_commands) = outline(&translated)?;
    if levels != other_levels {
        return Err(format!(
            "{}: README.md's sections (levels {levels:?}) differ from the {lang} README's \
             ({other_levels:?})",
            case.id
        ));
    }
    match commands.iter().zip(&other_commands).find(|(a, b)| a != b) {
        Some((a, b)) => Err(format!(
            "{}: a command block of README.md differs from the {lang} README's:\n{a}\n---\n{b}",
            case.id
        )),
        None if commands.len() != other_commands.len() => Err(format!(
            "{}: README.md has {} command blocks, the {lang} README {}",
            case.id,
            commands.len(),
            other_commands.len()
        )),
        None => Ok(()),
    }
}

/// check-jsonschema and zizmor on the workflows and Dependabot config of `root/.github`.
pub fn lint_workflows(root: &Path) -> Result<(), String> {
    let dir = root.join(".github/workflows");
    let mut workflows: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yml" || e == "yaml"))
        .collect();
    workflows.sort();
    if workflows.is_empty() {
        return Err(format!("no workflow in {}", dir.display()));
    }
    let check_jsonschema = tools().python_tool("check-jsonschema");
    run(Command::new(&check_jsonschema)
        .args(["--builtin-schema", "vendor.github-workflows"])
        .args(&workflows))?;
    let dependabot = root.join(".github/dependabot.yml");
    if dependabot.exists() {
        run(Command::new(&check_jsonschema)
            .args(["--builtin-schema", "vendor.dependabot"])
            .arg(&dependabot))?;
    }
    run(Command::new(tools().python_tool("zizmor"))
        .args(["--offline", "--no-progress"])
        .arg(root.join(".github")))?;
    Ok(())
}

/// Every variable the template's liquid reads is one cargo-generate or the hooks set:
/// an unknown one renders as nothing, silently (`{{modul_name}}`, or a `{{x}}` meant
/// for Python's own formatting).
pub fn liquid_variables_known(template: &Template) -> Result<(), String> {
    let mut known: BTreeSet<String> = placeholders_of(&template.root)?.into_keys().collect();
    known.extend(["project-name", "crate_name"].map(String::from));
    for entry in files_under(&template.root.join("hooks")) {
        let text = std::fs::read_to_string(&entry).unwrap_or_default();
        for (at, _) in text.match_indices("variable::set(\"") {
            let rest = &text[at + "variable::set(\"".len()..];
            known.extend(rest.split('"').next().map(String::from));
        }
    }
    // And the ones hooks/derive.rhai sets in a loop: `uses_<pin>` for each action of
    // hooks/pins.rhai (`setup-python` gives `uses_setup_python`).
    for (name, fields) in crate::pins::pins(&template.root)? {
        if fields.contains_key("action") {
            known.insert(format!("uses_{}", name.replace('-', "_")));
        }
    }
    for path in files_under(&template.root.join("template")) {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let text = without_raw_blocks(&text);
        let relative = path
            .strip_prefix(&template.root)
            .unwrap()
            .display()
            .to_string();
        let mut loop_variables = BTreeSet::new();
        for tag in tags(&text, "{%", "%}") {
            let words: Vec<&str> = tag.split_whitespace().collect();
            if let ["for", variable, "in", ..] = words.as_slice() {
                loop_variables.insert(variable.to_string());
            }
        }
        let mut used: Vec<String> = Vec::new();
        // (GitHub's own `${{ }}` outside {% raw %} is `workflow_expressions_protected`'s.)
        for (at, _) in text.match_indices("{{") {
            if !text[..at].ends_with('$')
                && let Some(end) = text[at..].find("}}")
            {
                used.push(text[at + 2..at + end].trim_matches('-').trim().to_owned());
            }
        }
        for tag in tags(&text, "{%", "%}") {
            let words: Vec<&str> = tag
                .split(|c: char| c.is_whitespace() || "()".contains(c))
                .filter(|w| !w.is_empty())
                .collect();
            if let ["for", _, "in", collection, ..] = words.as_slice() {
                used.push(collection.to_string());
            } else if let [keyword, rest @ ..] = words.as_slice()
                && ["if", "elsif", "unless"].contains(keyword)
            {
                used.extend(
                    rest.iter()
                        .filter(|w| w.chars().next().is_some_and(|c| c.is_ascii_alphabetic()))
                        .filter(|w| !["and", "or", "in", "contains", "true", "false"].contains(w))
                        .map(|w| w.to_string()),
                );
            }
        }
        for name in used {
            let base = name
                .split(['.', '|', ' '])
                .next()
                .unwrap_or_default()
                .to_owned();
            let literal = base.starts_with('"') || base.starts_with('\'');
            let ok = literal
                || known.contains(&base)
                || loop_variables.contains(&base)
                || base == "forloop";
            if !ok {
                return Err(format!(
                    "{relative} uses the liquid variable `{base}`, which neither \
                     cargo-generate.toml nor a hook defines (it would render as nothing)"
                ));
            }
        }
    }
    Ok(())
}

/// Every `${{ ... }}` of the template's workflows is inside `{% raw %}...{% endraw %}`:
/// liquid would render one outside as `$` and nothing, silently.
pub fn workflow_expressions_protected(template: &Template) -> Result<(), String> {
    for path in files_under(&template.root.join("template/.github")) {
        let text = std::fs::read_to_string(&path).map_err(|e| e.to_string())?;
        let relative = path
            .strip_prefix(&template.root)
            .unwrap()
            .display()
            .to_string();
        for line in without_raw_blocks(&text).lines() {
            if line.contains("${{") {
                return Err(format!(
                    "{relative}: a GitHub expression outside {{% raw %}}, which liquid would \
                     empty: {}",
                    line.trim()
                ));
            }
        }
    }
    Ok(())
}

/// `text` without its `{% raw %}...{% endraw %}` blocks.
fn without_raw_blocks(text: &str) -> String {
    let mut kept = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("{% raw %}") {
        kept.push_str(&rest[..start]);
        rest = rest[start..]
            .find("{% endraw %}")
            .map_or("", |end| &rest[start + end + "{% endraw %}".len()..]);
    }
    kept.push_str(rest);
    kept
}

/// The insides of every `open ... close` in `text`, whitespace-control dashes dropped.
fn tags<'a>(text: &'a str, open: &str, close: &str) -> Vec<&'a str> {
    text.match_indices(open)
        .filter_map(|(at, _)| {
            let rest = &text[at + open.len()..];
            let end = rest.find(close)?;
            Some(rest[..end].trim_matches('-'))
        })
        .collect()
}

/// Every file under `dir`.
/// The releases that a generated `update_template.py` finds in this repository's own
/// history, without tags, are the releases of CHANGELOG.md, each at the commit where
/// hooks/derive.rhai took its version. (0.1.0 came before the version was recorded,
/// and projects of it have no update script: it is the one release not looked for.)
pub fn releases_found_in_history(template: &Template) -> Result<(), String> {
    let case = crate::cases::case("default")?;
    let (_scratch, project) = generated(template, &case)?;
    let script = "import pathlib, sys, tools.update_template as u\n\
                  found = u.releases(pathlib.Path(sys.argv[1]), 'HEAD')\n\
                  print(' '.join(sorted(found, key=u.version_key)))";
    let output = command::run(
        Command::new(crate::tools::tools_interpreter())
            .args(["-c", script])
            .arg(repo_root())
            .current_dir(&project),
        Duration::from_secs(60),
        None,
    )
    .map_err(|e| {
        format!("tools/update_template.py's releases() failed on this repository:\n{e}")
    })?;
    let found: Vec<&str> = output.split_whitespace().collect();
    let changelog = std::fs::read_to_string(template.root.join("CHANGELOG.md"))
        .map_err(|e| format!("cannot read CHANGELOG.md: {e}"))?;
    let mut listed: Vec<&str> = changelog
        .lines()
        .filter_map(|line| line.strip_prefix("## [")?.split(']').next())
        .filter(|version| !["Unreleased", "0.1.0"].contains(version))
        .collect();
    listed.reverse();
    if found == listed {
        Ok(())
    } else {
        Err(format!(
            "tools/update_template.py finds the releases {found:?} in this repository's history, \
             and CHANGELOG.md lists {listed:?}: a release is one commit that sets \
             template_version in hooks/derive.rhai and adds its CHANGELOG.md entry"
        ))
    }
}

/// hooks/derive.rhai derives the classifiers and CI's newest Python from the newest
/// version PyO3 supports; it must be the last `python_version` choice.
pub fn newest_python_is_known(template: &Template) -> Result<(), String> {
    let placeholders = placeholders_of(&template.root)?;
    let newest = placeholders["python_version"]
        .choices
        .last()
        .cloned()
        .ok_or("no python_version choices")?;
    let minor = newest
        .strip_prefix("3.")
        .ok_or("python_version: not Python 3")?;
    let hook = std::fs::read_to_string(template.root.join("hooks/derive.rhai"))
        .map_err(|e| e.to_string())?;
    let declared = format!("let newest_minor = {minor};");
    if hook.contains(&declared) {
        Ok(())
    } else {
        Err(format!(
            "hooks/derive.rhai must declare `{declared}` (the last python_version choice is {newest})"
        ))
    }
}

/// The name rules know every module name the template ships where a module of the
/// project's name would collide with it (hooks/rules.rhai, `project_files`): the Python
/// files that are not inside a package (the scripts at the root, the tests), the
/// top-level directories, and the Rust modules of `src/` beside the crate's root.
pub fn shipped_files_are_refused(template: &Template) -> Result<(), String> {
    let refused = crate::rules::project_files_of(&template.root);
    let root = template.root.join("template");
    let mut shipped = BTreeSet::new();
    for path in files_under(&root) {
        let relative = path.strip_prefix(&root).unwrap();
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let in_package = path
            .parent()
            .is_some_and(|dir| dir.join("__init__.py").exists());
        if path.extension().is_some_and(|e| e == "py") && !in_package {
            shipped.insert(stem.clone());
        }
        if relative.parent() == Some(Path::new("src"))
            && path.extension().is_some_and(|e| e == "rs")
            && stem != "lib"
        {
            shipped.insert(stem);
        }
        if let Some(std::path::Component::Normal(top)) = relative.components().next()
            && relative.components().count() > 1
            && !top.to_string_lossy().starts_with('.')
        {
            shipped.insert(top.to_string_lossy().into_owned());
        }
    }
    let missing: Vec<&String> = shipped.difference(&refused).collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "hooks/rules.rhai's project_files() lacks {missing:?}, which the template ships"
        ))
    }
}

/// The README's parameter table documents each parameter's choices and, in bold, its
/// default; both agree with cargo-generate.toml, and the defaults are
/// [`DOCUMENTED_DEFAULTS`].
pub fn readme_documents_the_parameters(template: &Template) -> Result<(), String> {
    let readme = std::fs::read_to_string(template.root.join("README.md"))
        .map_err(|e| format!("cannot read README.md: {e}"))?;
    let placeholders = placeholders_of(&template.root)?;
    for (key, documented_default) in DOCUMENTED_DEFAULTS {
        let placeholder = placeholders
            .get(key)
            .ok_or_else(|| format!("cargo-generate.toml has no parameter {key}"))?;
        if placeholder.default != documented_default {
            return Err(format!(
                "cargo-generate.toml: {key} defaults to {:?}, but its documented default is {documented_default:?}",
                placeholder.default
            ));
        }
        let row = readme
            .lines()
            .find(|line| line.starts_with(&format!("| `{key}` |")))
            .ok_or_else(|| format!("README.md's parameter table has no row for `{key}`"))?;
        let values_cell = row.split('|').nth(2).unwrap_or_default();
        let values: Vec<&str> = values_cell.split(',').map(str::trim).collect();
        let bold: Vec<&str> = values
            .iter()
            .filter_map(|v| v.strip_prefix("**")?.strip_suffix("**"))
            .collect();
        if bold != [documented_default] {
            return Err(format!(
                "README.md shows {bold:?} in bold as {key}'s default, not \"{documented_default}\""
            ));
        }
        let listed: BTreeSet<&str> = values.iter().map(|v| v.trim_matches('*')).collect();
        let choices: BTreeSet<&str> = placeholder.choices.iter().map(String::as_str).collect();
        if listed != choices {
            return Err(format!(
                "README.md lists {listed:?} for {key}, but its choices are {choices:?}"
            ));
        }
    }
    Ok(())
}

/// The template's own CI installs exactly the Python versions `python_version` offers.
pub fn template_ci_covers_every_python(template: &Template) -> Result<(), String> {
    let mut wanted = placeholders_of(&template.root)?["python_version"]
        .choices
        .clone();
    // And the interpreters the cases name besides (PyPy).
    for case in crate::cases::all_cases() {
        if let Some(interpreter) = case.interpreter
            && !wanted.contains(&interpreter)
        {
            wanted.push(interpreter);
        }
    }
    // The suite runs in the template's CI and after the weekly bump of the pins.
    for (file, job) in [("template-ci.yml", "test"), ("pins.yml", "bump")] {
        let workflow = checks::read_yaml(&template.root.join(".github/workflows"), file)?;
        let steps = workflow["jobs"][job]["steps"]
            .as_vec()
            .ok_or(format!("{file} has no jobs.{job}.steps"))?;
        let installed = checks::setup_python_versions(steps);
        if installed != wanted {
            return Err(format!(
                "{file} installs Python {installed:?}, but python_version offers and the \
                 cases build {wanted:?}"
            ));
        }
    }
    Ok(())
}

/// One API or command of the course's slides (tests/course_map.toml).
#[derive(Deserialize)]
struct CourseName {
    name: String,
    /// Only the GIL demo uses it.
    #[serde(default)]
    gil: bool,
    /// A PyO3 API: its row links PyO3's migration guide or its guide.
    #[serde(default)]
    pyo3: bool,
}

#[derive(Deserialize)]
struct CourseMap {
    course: Vec<CourseName>,
}

/// The README's map from the course's slides to today's code has a row for every
/// name of tests/course_map.toml that the project uses (GIL demo names only with the
/// demo), with today's name and why it changed (a link to PyO3's guide for its APIs).
pub fn course_map(project: &Path, case: &Case) -> Result<(), String> {
    let path = repo_root().join("tests/course_map.toml");
    let text =
        std::fs::read_to_string(&path).map_err(|e| format!("cannot read course_map.toml: {e}"))?;
    let map: CourseMap = toml::from_str(&text).map_err(|e| format!("course_map.toml: {e}"))?;
    let readme = checks::read(project, "README.md")?;
    let rows: Vec<Vec<String>> = readme
        .lines()
        .filter(|line| line.starts_with("| `"))
        .map(|line| {
            line.trim_matches('|')
                .split(" | ")
                .map(|cell| cell.trim().to_owned())
                .collect()
        })
        .collect();
    for name in map.course.iter().filter(|n| case.gil_demo() || !n.gil) {
        let wanted = format!("`{}`", name.name);
        let row = rows
            .iter()
            .find(|cells| cells.first().is_some_and(|c| *c == wanted))
            .ok_or_else(|| {
                format!("README.md's course map has no row for the course's {wanted}")
            })?;
        let complete = row.len() == 3 && row.iter().all(|cell| !cell.is_empty());
        if !complete {
            return Err(format!(
                "README.md's course map row for {wanted} needs today's name and why it changed: {row:?}"
            ));
        }
        if name.pyo3 && !row[2].contains("https://pyo3.rs/") {
            return Err(format!(
                "README.md's course map row for {wanted} does not link PyO3's guide"
            ));
        }
    }
    Ok(())
}

/// A refused project name (tests/bad_input.toml).
#[derive(Deserialize, Clone)]
pub struct BadName {
    pub value: String,
    pub rule: String,
}

/// A refused parameter value.
#[derive(Deserialize, Clone)]
pub struct BadDefine {
    pub key: String,
    pub value: String,
    pub rule: String,
}

#[derive(Deserialize)]
pub struct BadInput {
    pub name: Vec<BadName>,
    pub define: Vec<BadDefine>,
}

/// The refused inputs of tests/bad_input.toml.
pub fn bad_input() -> BadInput {
    let path = repo_root().join("tests/bad_input.toml");
    let text = std::fs::read_to_string(&path).expect("cannot read tests/bad_input.toml");
    toml::from_str(&text).expect("tests/bad_input.toml is malformed")
}

/// A bad name fails before anything is written: the message quotes it and states the
/// rule, and the destination stays empty.
pub fn refused_name(template: &Template, case: &BadName) -> Result<(), String> {
    let destination = scratch_dir("bad-name");
    let mut command = template.cargo_generate(destination.path());
    command
        .arg(format!("--name={}", case.value))
        .args(["--vcs", "none"]);
    let error = match run(&mut command) {
        Ok(_) => return Err(format!("the name {:?} was accepted", case.value)),
        Err(error) => error,
    };
    let quoted = format!("Invalid project name \"{}\"", case.value);
    if !error.contains(&quoted) || !error.contains(&case.rule) {
        return Err(format!(
            "refusing the name {:?}: the message lacks `{quoted}` or the rule `{}`:\n{error}",
            case.value, case.rule
        ));
    }
    let left = entries(destination.path());
    if left.is_empty() {
        Ok(())
    } else {
        Err(format!("refusing {:?} left {left:?} behind", case.value))
    }
}

/// A bad parameter value is refused by cargo-generate after it has made the project
/// directory, which it leaves empty (documented in README.md).
pub fn refused_define(template: &Template, case: &BadDefine) -> Result<(), String> {
    let destination = scratch_dir("bad-define");
    let mut command = template.cargo_generate(destination.path());
    command
        .args(["--name=valid-name", "--vcs", "none", "-d"])
        .arg(format!("{}={}", case.key, case.value));
    let error = match run(&mut command) {
        Ok(_) => return Err(format!("{}={:?} was accepted", case.key, case.value)),
        Err(error) => error,
    };
    if !error.contains(&format!("\"{}\"", case.value)) || !error.contains(&case.rule) {
        return Err(format!(
            "refusing {}={:?}: the message lacks the value or `{}`:\n{error}",
            case.key, case.value, case.rule
        ));
    }
    // A value cargo-generate refuses leaves the empty directory it made first (as the
    // message says); one the init hook refuses (the repository URL) leaves nothing.
    let left = entries(destination.path());
    let project = destination.path().join("valid-name");
    if left.is_empty() || (left == [project.clone()] && entries(&project).is_empty()) {
        Ok(())
    } else {
        Err(format!(
            "expected nothing, or only the empty directory {}, to be left, found {left:?}",
            project.display()
        ))
    }
}

fn entries(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<_> = std::fs::read_dir(dir)
        .map(|entries| entries.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    found.sort();
    found
}

/// Every fast check of `template`, first failure first: the template-level checks, each
/// case's static checks and regeneration from its answers, the refused inputs, the
/// update scenarios, and each case's workflows. (The golden snapshots are not among
/// them: any change, meant or not, trips them by design.) This is what the mutation
/// tier runs on each fast mutant.
pub fn everything(template: &Template, cases: &[Case]) -> Result<(), String> {
    workflow_expressions_protected(template)?;
    liquid_variables_known(template)?;
    newest_python_is_known(template)?;
    releases_found_in_history(template)?;
    rustfmt_config_above_changes_nothing(template)?;
    crate_name_override_is_ignored_or_refused(template)?;
    shipped_files_are_refused(template)?;
    readme_documents_the_parameters(template)?;
    template_ci_covers_every_python(template)?;
    // Each case generated once, for its static checks, its regeneration and its
    // workflows (linted last: the slowest).
    defaults_as_a_user_gets_them(template)?;
    let mut projects = Vec::new();
    for case in cases {
        let (scratch, project) = generated(template, case)?;
        let named = |e: String| format!("{}: {e}", case.id);
        statically_sound(template, case, &project).map_err(named)?;
        reproduced_from_answers(template, case, &project).map_err(named)?;
        projects.push((case, scratch, project));
    }
    // Then each case in its other language too: after every case's own checks, so that a
    // broken case is named by them first.
    for (case, _scratch, project) in &projects {
        readmes_agree_with(template, case, project)?;
    }
    // One sp-repo-review run for every case (each run starts Python).
    let trees: Vec<&Path> = projects.iter().map(|(_, _, p)| p.as_path()).collect();
    repo_review(&trees)?;
    let bad = bad_input();
    for name in &bad.name {
        refused_name(template, name)?;
    }
    for define in &bad.define {
        refused_define(template, define)?;
    }
    crate::update::update_merges(template)?;
    crate::update::update_from_a_git_url(template)?;
    crate::update::update_across_two_releases(template)?;
    crate::update::update_to_a_branch_or_a_commit(template)?;
    crate::update::update_conflicts(template)?;
    crate::update::update_refuses_a_dirty_tree(template)?;
    for (case, _scratch, project) in &projects {
        lint_workflows(project).map_err(|e| format!("{}: {e}", case.id))?;
    }
    Ok(())
}
