//! Static checks of a generated tree, made the way a strict user would look at it.
//! Each returns `Err` with a message that names the file and what is wrong in it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use walkdir::WalkDir;
use yaml_rust2::Yaml;

use crate::cases::{Case, Expect};
use crate::generate::{AUTHOR_EMAIL, AUTHOR_NAME};
use crate::language;

/// Every check on a tree freshly generated (without `.git`) from the template at
/// `template`.
pub fn all(root: &Path, case: &Case, template: &Path) -> Result<(), String> {
    expected_files(root, case)?;
    no_liquid_left(root)?;
    toml_parses(root)?;
    yaml_parses(root)?;
    names_consistent(root, case)?;
    names_in_prose(root, case)?;
    expected_values(root, case)?;
    license_and_people(root, case)?;
    repo_review_ignores_only_what_does_not_fit(root)?;
    answers_recorded(root, case, template)?;
    written_in_chosen_language(root, case)?;
    no_gil_demo_when_off(root, case)?;
    workflow_expressions_survive(root)?;
    one_build_of_pyo3(root)?;
    lesson_in_front(root, case)?;
    Ok(())
}

/// What may sit at a project's root besides its dotfiles: the manifests, the README,
/// `build.rs`, the sources, the tests, the lesson's scripts and their one helper
/// module, and the one folder of tooling (the stub and the license files are added per
/// case).
const ROOT_ENTRIES: [&str; 11] = [
    "Cargo.toml",
    "Pipfile",
    "README.md",
    "build.rs",
    "charts.py",
    "main.py",
    "pyproject.toml",
    "src",
    "tests",
    "tools",
    // The lesson's scripts of the GIL demo (left out without it).
    "gil_demo.py",
];

/// The longest main.py may be, and how far after its imports the course's `pyrun`
/// must start: the course's own file is 22 lines.
const MAIN_PY_MAX_LINES: usize = 120;
const PYRUN_WITHIN_LINES_OF_THE_IMPORTS: usize = 40;

/// A learner meets the lesson first: the root holds only [`ROOT_ENTRIES`] (and no
/// tooling script), main.py reads like the course (`pyrun` right after the imports,
/// short), no script imports from main.py, and src/lib.rs holds the fib lesson while
/// the GIL demo's Rust is a file of its own.
pub fn lesson_in_front(root: &Path, case: &Case) -> Result<(), String> {
    let mut allowed: BTreeSet<String> = ROOT_ENTRIES.iter().map(|e| e.to_string()).collect();
    allowed.insert("gil_parallel.py".to_owned());
    allowed.insert(format!("{}.pyi", case.module));
    allowed.extend(case.expect.license_files.iter().cloned());
    if !case.gil_demo() {
        allowed.remove("gil_demo.py");
        allowed.remove("gil_parallel.py");
    }
    let mut present = BTreeSet::new();
    for entry in std::fs::read_dir(root).map_err(|e| e.to_string())? {
        let name = entry.map_err(|e| e.to_string())?.file_name();
        let name = name.to_string_lossy().into_owned();
        if !name.starts_with('.') {
            present.insert(name);
        }
    }
    let strangers: Vec<&String> = present.difference(&allowed).collect();
    if !strangers.is_empty() {
        return Err(format!(
            "the project's root holds {strangers:?}, which is neither the lesson nor what \
             the tools need there (tooling goes in tools/)"
        ));
    }
    let main = read(root, "main.py")?;
    let lines: Vec<&str> = main.lines().collect();
    if lines.len() > MAIN_PY_MAX_LINES {
        return Err(format!(
            "main.py has {} lines; the course's lesson must read in at most {MAIN_PY_MAX_LINES}",
            lines.len()
        ));
    }
    let pyrun = lines
        .iter()
        .position(|l| l.starts_with("def pyrun("))
        .ok_or("main.py has no `def pyrun(` at its top level")?;
    let imports_end = last_import_line(&lines[..pyrun]);
    if pyrun - imports_end > PYRUN_WITHIN_LINES_OF_THE_IMPORTS {
        return Err(format!(
            "main.py's `def pyrun` is on line {}, {} lines after its imports: the course's \
             code must come within {PYRUN_WITHIN_LINES_OF_THE_IMPORTS}",
            pyrun + 1,
            pyrun - imports_end
        ));
    }
    for (path, bytes) in files(root) {
        if !path.ends_with(".py") || path.starts_with("tests/") {
            continue;
        }
        let text = String::from_utf8_lossy(&bytes);
        if let Some(line) = text
            .lines()
            .find(|l| l.trim_start().starts_with("from main import") || l.trim() == "import main")
        {
            return Err(format!(
                "{path} imports from main.py ({line}): main.py is the lesson, not a library"
            ));
        }
    }
    let lib = read(root, "src/lib.rs")?;
    let gil_demo = if case.gil_demo() {
        Some(read(root, "src/gil_demo.rs")?)
    } else {
        None
    };
    for function in [
        "fn run_detached(",
        "fn double_list(",
        "fn double_list_detached(",
    ] {
        if lib.contains(function) {
            return Err(format!(
                "src/lib.rs defines `{function}`: the GIL demo's Rust belongs in src/gil_demo.rs"
            ));
        }
        if gil_demo
            .as_ref()
            .is_some_and(|text| !text.contains(function))
        {
            return Err(format!("src/gil_demo.rs does not define `{function}`"));
        }
    }
    Ok(())
}

/// The index of the line that ends the import block of `lines` (a file's top up to its
/// first function): the last `import`/`from` statement, or the `)` that closes it.
fn last_import_line(lines: &[&str]) -> usize {
    let mut end = 0;
    let mut open = false;
    for (i, line) in lines.iter().enumerate() {
        if line.starts_with("import ") || line.starts_with("from ") {
            end = i;
            open = line.ends_with('(');
        } else if open {
            end = i;
            open = !line.starts_with(')');
        }
    }
    end
}

/// The variables maturin sets when it runs cargo to build a pyo3 module (maturin's
/// build_context: `PYO3_BUILD_EXTENSION_MODULE`, then `PYO3_PYTHON`,
/// `PYO3_ENVIRONMENT_SIGNATURE` and `PYTHON_SYS_EXECUTABLE` for the interpreter).
const MATURIN_SETS: [&str; 4] = [
    "PYO3_BUILD_EXTENSION_MODULE",
    "PYO3_PYTHON",
    "PYO3_ENVIRONMENT_SIGNATURE",
    "PYTHON_SYS_EXECUTABLE",
];

/// `pipenv run cargo` (the Pipfile's script, cargo_env.py) builds in maturin's target
/// directory with maturin's variables, and everything that runs cargo for a check goes
/// through it. (The full tier proves that pyo3 is then built once.)
pub fn one_build_of_pyo3(root: &Path) -> Result<(), String> {
    let pyproject = read_toml(root, "pyproject.toml")?;
    let configs = strings(&pyproject, &["tool", "maturin", "config"]);
    let maturin_dir = configs
        .iter()
        .find_map(|c| c.strip_prefix("build.target-dir="))
        .map(|dir| dir.trim_matches('"').to_owned())
        .ok_or_else(|| {
            format!("pyproject.toml: no build.target-dir in [tool.maturin] config {configs:?}")
        })?;
    let cargo_env = read(root, "tools/cargo_env.py")?;
    let line = cargo_env
        .lines()
        .find(|l| l.starts_with("MATURIN_TARGET_DIR = "))
        .ok_or("tools/cargo_env.py: no MATURIN_TARGET_DIR")?;
    let parts: Vec<&str> = between(line, " / \"", "\"");
    let wrapper_dir = parts.join("/");
    let anchored = line.starts_with("MATURIN_TARGET_DIR = PROJECT / ")
        && cargo_env.contains("\nPROJECT = Path(__file__).resolve().parent.parent\n");
    if !anchored || wrapper_dir != maturin_dir {
        return Err(format!(
            "tools/cargo_env.py builds in {wrapper_dir:?} ({line}), and maturin in {maturin_dir:?} \
             (pyproject.toml's [tool.maturin] config): they must share one directory"
        ));
    }
    for variable in MATURIN_SETS {
        if !cargo_env.contains(&format!("        {variable}=")) {
            return Err(format!(
                "tools/cargo_env.py does not set {variable}, as maturin's build has it"
            ));
        }
    }
    if !cargo_env.contains("env[\"LINK_LIBPYTHON\"] = ") {
        return Err("tools/cargo_env.py does not set LINK_LIBPYTHON for build.rs".to_owned());
    }
    let build_rs = read(root, "build.rs")?;
    if !build_rs.contains("env::var_os(\"LINK_LIBPYTHON\")")
        || !build_rs.contains("cargo:rerun-if-env-changed=LINK_LIBPYTHON")
    {
        return Err("build.rs does not read LINK_LIBPYTHON (and rerun when it changes)".to_owned());
    }
    let pipfile = read_toml(root, "Pipfile")?;
    expect_str(
        "Pipfile",
        &pipfile,
        &["scripts", "cargo"],
        "python -m tools.cargo_env",
    )?;
    let config = read_yaml(root, ".pre-commit-config.yaml")?;
    let clippy = config["repos"]
        .as_vec()
        .into_iter()
        .flatten()
        .filter_map(|repo| repo["hooks"].as_vec())
        .flatten()
        .find(|hook| hook["id"].as_str() == Some("clippy"))
        .and_then(|hook| hook["entry"].as_str())
        .ok_or(".pre-commit-config.yaml: no clippy hook with an entry")?;
    if !clippy.starts_with("pipenv run cargo clippy ") {
        return Err(format!(
            ".pre-commit-config.yaml: the clippy hook does not run through `pipenv run cargo`: {clippy}"
        ));
    }
    let check = read(root, "tools/check.py")?;
    if !check.contains("[python, \"-m\", \"tools.cargo_env\", \"test\"]") {
        return Err(
            "tools/check.py's cargo test does not run through tools/cargo_env.py".to_owned(),
        );
    }
    Ok(())
}

/// The files every project has, relative to its root, for a module named `module`.
fn base_files(module: &str) -> Vec<String> {
    [
        ".github/dependabot.yml",
        ".github/workflows/ci.yml",
        ".github/workflows/release.yml",
        ".gitignore",
        ".pre-commit-config.yaml",
        ".template-answers.toml",
        "Cargo.toml",
        "Pipfile",
        "README.md",
        "build.rs",
        "charts.py",
        "main.py",
        "pyproject.toml",
        "src/lib.rs",
        "tests/conftest.py",
        "tests/test_fibonacci.py",
        "tests/test_main.py",
        "tools/__init__.py",
        "tools/cargo_env.py",
        "tools/check.py",
        "tools/mypy_hook.py",
        "tools/test_wheel.py",
        "tools/update_template.py",
    ]
    .into_iter()
    .map(String::from)
    .chain([format!("{module}.pyi")])
    .collect()
}

/// The files only the GIL demo has.
pub const GIL_DEMO_FILES: [&str; 4] = [
    "gil_demo.py",
    "gil_parallel.py",
    "src/gil_demo.rs",
    "tests/test_gil.py",
];

/// The files only a Korean project has.
pub const KOREAN_FILES: [&str; 1] = ["tools/console.py"];

/// Words that only the GIL demo's code and docs use: none may appear when it is off.
/// (The GIL itself may: every module states its stance on free-threaded Python.)
const GIL_DEMO_WORDS: [&str; 6] = [
    "gil_demo",
    "gil_parallel",
    "run_detached",
    "double_list",
    "py.detach",
    "import threading",
];

/// The tree holds exactly the files the case's options call for.
pub fn expected_files(root: &Path, case: &Case) -> Result<(), String> {
    let mut expected: BTreeSet<String> = base_files(&case.module).into_iter().collect();
    if case.gil_demo() {
        expected.extend(GIL_DEMO_FILES.iter().map(|f| f.to_string()));
    }
    if case.lang() == "ko" {
        expected.extend(KOREAN_FILES.iter().map(|f| f.to_string()));
    }
    expected.extend(case.expect.license_files.iter().cloned());
    let actual: BTreeSet<String> = files(root).into_keys().collect();
    let missing: Vec<_> = expected.difference(&actual).collect();
    let unexpected: Vec<_> = actual.difference(&expected).collect();
    if missing.is_empty() && unexpected.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "the generated files differ from those expected for {}: missing {missing:?}, unexpected {unexpected:?}",
            case.summary()
        ))
    }
}

/// How each license's text begins, and the copyright line it holds (`{year}` and
/// `{holder}` filled in): SPDX's own texts.
const LICENSE_TEXTS: [(&str, &str, &str); 3] = [
    ("MIT", "MIT License\n", "Copyright (c) {year} {holder}\n"),
    (
        "Apache-2.0",
        "Copyright (c) {year} {holder}\n\n                              Apache License\n                        Version 2.0, January 2004\n",
        "Copyright (c) {year} {holder}\n",
    ),
    (
        "BSD-3-Clause",
        "BSD 3-Clause License\n",
        "Copyright (c) {year}, {holder}\n",
    ),
];

/// The license and the people, as the case expects them: pyproject.toml's PEP 639
/// `license` and `license-files` (and no license classifier), Cargo.toml's `license`,
/// each license file's text with the recorded year and the author as holder, the
/// author in both manifests, the repository URL where one was given and nothing where
/// not, keywords, and a development-status classifier.
pub fn license_and_people(root: &Path, case: &Case) -> Result<(), String> {
    license_and_people_by(root, case, AUTHOR_NAME, Some(AUTHOR_EMAIL))
}

/// [`license_and_people`] for a project made by `name` (with `email`, if any).
pub fn license_and_people_by(
    root: &Path,
    case: &Case,
    name: &str,
    email: Option<&str>,
) -> Result<(), String> {
    let e = &case.expect;
    let pyproject = read_toml(root, "pyproject.toml")?;
    let cargo = read_toml(root, "Cargo.toml")?;
    expect_str(
        "pyproject.toml",
        &pyproject,
        &["project", "license"],
        &e.license,
    )?;
    same(
        "pyproject.toml: license-files",
        &strings(&pyproject, &["project", "license-files"]),
        &e.license_files,
    )?;
    expect_str("Cargo.toml", &cargo, &["package", "license"], &e.license)?;
    let classifiers = strings(&pyproject, &["project", "classifiers"]);
    if let Some(c) = classifiers.iter().find(|c| c.starts_with("License ::")) {
        return Err(format!(
            "pyproject.toml: the license classifier \"{c}\" contradicts PEP 639's `license`"
        ));
    }
    let status: Vec<_> = classifiers
        .iter()
        .filter(|c| c.starts_with("Development Status :: "))
        .collect();
    if status.len() != 1 {
        return Err(format!(
            "pyproject.toml: expected one Development Status classifier, found {status:?}"
        ));
    }
    // Which texts: the SPDX expression's licenses, each in its own file, sorted as the
    // files are (Apache-2.0 in LICENSE-APACHE, MIT in LICENSE-MIT).
    let mut wanted: Vec<&str> = e.license.split(" OR ").collect();
    wanted.sort();
    let year = case
        .values
        .get("copyright_year")
        .cloned()
        .unwrap_or_else(current_year);
    for (file, spdx) in e.license_files.iter().zip(wanted) {
        let text = read(root, file)
            .map_err(|e| format!("{file}, a license file pyproject.toml names, is missing: {e}"))?;
        let (_, start, line) = LICENSE_TEXTS
            .iter()
            .find(|(id, _, _)| *id == spdx)
            .ok_or_else(|| format!("no license text known for {spdx}"))?;
        let fill = |t: &str| t.replace("{year}", &year).replace("{holder}", name);
        if !text.starts_with(&fill(start)) {
            return Err(format!(
                "{file} does not begin as the {spdx} license does:\n{}",
                &text[..text.len().min(200)]
            ));
        }
        if !text.contains(&fill(line)) {
            return Err(format!("{file} lacks the copyright line {:?}", fill(line)));
        }
    }
    // The author, in both manifests.
    let authors = lookup(&pyproject, &["project", "authors"])
        .and_then(|a| a.as_array())
        .cloned()
        .unwrap_or_default();
    let mut expected_author = toml::Table::new();
    expected_author.insert("name".into(), name.into());
    if let Some(email) = email {
        expected_author.insert("email".into(), email.into());
    }
    if authors != [toml::Value::Table(expected_author.clone())] {
        return Err(format!(
            "pyproject.toml: authors are {authors:?}, expected [{expected_author:?}]"
        ));
    }
    let cargo_author = match email {
        Some(email) => format!("{name} <{email}>"),
        None => name.to_owned(),
    };
    same(
        "Cargo.toml: package.authors",
        &strings(&cargo, &["package", "authors"]),
        &[cargo_author],
    )?;
    // The repository, where one was given.
    let repository = case
        .values
        .get("repository")
        .map(String::as_str)
        .unwrap_or("");
    let urls = lookup(&pyproject, &["project", "urls"]);
    let cargo_repository = lookup(&cargo, &["package", "repository"]);
    if repository.is_empty() {
        if urls.is_some() || cargo_repository.is_some() {
            return Err(format!(
                "no repository was given, yet pyproject.toml has [project.urls] {urls:?} and Cargo.toml repository {cargo_repository:?}"
            ));
        }
    } else {
        expect_str(
            "pyproject.toml",
            &pyproject,
            &["project", "urls", "Repository"],
            repository,
        )?;
        expect_str("Cargo.toml", &cargo, &["package", "repository"], repository)?;
    }
    // Keywords, the same in both (crates.io takes at most five).
    let keywords = strings(&pyproject, &["project", "keywords"]);
    if keywords.is_empty() || keywords.len() > 5 {
        return Err(format!(
            "pyproject.toml: keywords are {keywords:?}, expected one to five"
        ));
    }
    same(
        "Cargo.toml: package.keywords",
        &strings(&cargo, &["package", "keywords"]),
        &keywords,
    )?;
    Ok(())
}

/// The year now, in UTC (cargo-generate's hooks see the same clock).
pub fn current_year() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("the clock is before 1970")
        .as_secs();
    // Howard Hinnant's civil_from_days.
    let z = (seconds / 86_400) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    year.to_string()
}

/// The checks of Scientific Python's guidelines that the project must pass, never
/// ignore: the ones its design is built to meet (license, strict pytest, grouped
/// Dependabot updates, mypy's extra error codes, ruff with bugbear).
const REPO_REVIEW_REQUIRED: [&str; 13] = [
    "PY003", "PP302", "PP304", "PP305", "PP306", "PP309", "GH212", "MY103", "MY104", "MY105",
    "MY106", "RF001", "RF101",
];

/// pyproject.toml's `[tool.repo-review] ignore` names none of the required checks, and
/// gives each check it ignores a reason, in a comment on its line.
pub fn repo_review_ignores_only_what_does_not_fit(root: &Path) -> Result<(), String> {
    let pyproject = read_toml(root, "pyproject.toml")?;
    let ignored = strings(&pyproject, &["tool", "repo-review", "ignore"]);
    if let Some(check) = ignored
        .iter()
        .find(|c| REPO_REVIEW_REQUIRED.contains(&c.as_str()))
    {
        return Err(format!(
            "pyproject.toml: [tool.repo-review] ignores {check}, which the project must pass"
        ));
    }
    let text = read(root, "pyproject.toml")?;
    for check in &ignored {
        let quoted = format!("\"{check}\",");
        let line = text.lines().find(|l| l.trim_start().starts_with(&quoted)).ok_or_else(|| {
            format!("pyproject.toml: [tool.repo-review] ignore has {check}, but not on a line of its own")
        })?;
        let reason = line.split_once('#').map(|(_, r)| r.trim()).unwrap_or("");
        if reason.len() < 10 {
            return Err(format!(
                "pyproject.toml: [tool.repo-review] ignores {check} without a reason: {line:?}"
            ));
        }
    }
    Ok(())
}

/// No liquid markup survives: no `{%`, and no `{{` except in GitHub's own `${{ }}`.
pub fn no_liquid_left(root: &Path) -> Result<(), String> {
    let mut found = Vec::new();
    for (path, text) in text_files(root) {
        for (number, line) in text.lines().enumerate() {
            let leftover = line.contains("{%")
                || line
                    .match_indices("{{")
                    .any(|(at, _)| !line[..at].ends_with('$'));
            if leftover {
                found.push(format!("{path}:{}: {}", number + 1, line.trim()));
            }
        }
    }
    if found.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "liquid markup left in the output:\n{}",
            found.join("\n")
        ))
    }
}

/// Every TOML file (the Pipfile included) parses.
pub fn toml_parses(root: &Path) -> Result<(), String> {
    for (path, text) in text_files(root) {
        if path.ends_with(".toml") || path == "Pipfile" {
            toml::from_str::<toml::Table>(&text)
                .map_err(|e| format!("{path} is not valid TOML: {e}"))?;
        }
    }
    Ok(())
}

/// Every YAML file parses, as one document.
pub fn yaml_parses(root: &Path) -> Result<(), String> {
    for (path, _) in text_files(root) {
        if path.ends_with(".yml") || path.ends_with(".yaml") {
            read_yaml(root, &path)?;
        }
    }
    Ok(())
}

/// The module and distribution names are the case's, in every place that names them.
pub fn names_consistent(root: &Path, case: &Case) -> Result<(), String> {
    let cargo = read_toml(root, "Cargo.toml")?;
    expect_str("Cargo.toml", &cargo, &["package", "name"], &case.dist)?;
    expect_str("Cargo.toml", &cargo, &["lib", "name"], &case.module)?;
    let pyproject = read_toml(root, "pyproject.toml")?;
    expect_str(
        "pyproject.toml",
        &pyproject,
        &["project", "name"],
        &case.dist,
    )?;

    let lib = read(root, "src/lib.rs")?;
    let declaration = format!("#[pymodule(gil_used = false)]\nmod {} {{", case.module);
    if !lib.contains(&declaration) {
        return Err(format!("src/lib.rs does not declare `{declaration}`"));
    }

    // Every module a Python file imports is either the standard library's, pytest,
    // matplotlib, one of the project's scripts, or the project's own: a misspelt
    // project module shows up as a stranger.
    const KNOWN: &[&str] = &[
        "__future__",
        "argparse",
        "charts",
        "collections",
        "faulthandler",
        "functools",
        "gil_demo",
        "gil_parallel",
        "importlib",
        "io",
        "main",
        "math",
        "matplotlib",
        "os",
        "pathlib",
        "platform",
        "pytest",
        "re",
        "shlex",
        "shutil",
        "struct",
        "subprocess",
        "sys",
        "sysconfig",
        "tempfile",
        "threading",
        "time",
        "tools",
        "typing",
        "unicodedata",
        "venv",
    ];
    for (path, text) in text_files(root) {
        if !path.ends_with(".py") {
            continue;
        }
        for line in text.lines() {
            let words: Vec<&str> = line.split_whitespace().collect();
            if let ["from" | "import", name, ..] = words.as_slice() {
                let top = name
                    .split('.')
                    .next()
                    .unwrap_or_default()
                    .trim_end_matches(',');
                if top != case.module && !KNOWN.contains(&top) {
                    return Err(format!(
                        "{path} imports `{top}`, which is neither the project's module `{}` nor a known one: {line}",
                        case.module
                    ));
                }
            }
        }
    }
    Ok(())
}

/// Where the README, the stub and the release workflow name the project in prose and
/// code blocks (`import X`, `X.run(...)`, `mod X`, `X.pyi`, the PyPI project), the
/// name is the case's; and each of those places is there.
pub fn names_in_prose(root: &Path, case: &Case) -> Result<(), String> {
    let (module, dist) = (case.module.as_str(), case.dist.as_str());
    let title = read(root, "README.md")?
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned();
    if title != format!("# {dist}") {
        return Err(format!("README.md's title is `{title}`, not `# {dist}`"));
    }
    let places: [(&str, &str, &str, &str); 6] = [
        ("README.md", "import ", ";", module),
        ("README.md", "print(", ".run(10))", module),
        ("README.md", "mod ", "`", module),
        ("README.md", "`", ".pyi`", module),
        ("README.md", "project `", "`", dist),
        (
            ".github/workflows/release.yml",
            "https://pypi.org/p/",
            "\n",
            dist,
        ),
    ];
    for (file, before, after, expected) in places {
        let text = read(root, file)?;
        let found = between(&text, before, after);
        let named: Vec<&str> = found
            .into_iter()
            .filter(|name| {
                name.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_-".contains(c))
            })
            .collect();
        if named.is_empty() {
            return Err(format!(
                "{file} never names the project as `{before}{expected}{after}`"
            ));
        }
        if let Some(wrong) = named.iter().find(|name| **name != expected) {
            return Err(format!(
                "{file} names the project `{wrong}` in `{before}{wrong}{after}`, not `{expected}`"
            ));
        }
    }
    Ok(())
}

/// The version after each `prefix` in `text`: its digits and dots, a sentence's full stop
/// left out (empty where no version follows).
pub(crate) fn versions_after<'a>(text: &'a str, prefix: &str) -> Vec<&'a str> {
    text.split(prefix)
        .skip(1)
        .map(|rest| {
            let end = rest
                .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                .unwrap_or(rest.len());
            rest[..end].trim_end_matches('.')
        })
        .collect()
}

/// Every `X` of `before X after` in `text`, X non-empty and holding no whitespace.
pub(crate) fn between<'a>(text: &'a str, before: &str, after: &str) -> Vec<&'a str> {
    text.match_indices(before)
        .filter_map(|(at, _)| {
            let rest = &text[at + before.len()..];
            let end = rest.find(after)?;
            let name = &rest[..end];
            (!name.is_empty() && !name.contains(char::is_whitespace)).then_some(name)
        })
        .collect()
}

/// Each value the case's parameters change, in every file it lands in, is what the
/// case file's `[expect]` table says.
pub fn expected_values(root: &Path, case: &Case) -> Result<(), String> {
    let e = &case.expect;
    let pipfile = read_toml(root, "Pipfile")?;
    expect_str(
        "Pipfile",
        &pipfile,
        &["requires", "python_version"],
        &e.pipfile_python,
    )?;
    let black_pin = format!("=={}", e.black_pin);
    expect_str("Pipfile", &pipfile, &["dev-packages", "black"], &black_pin)?;

    let pyproject = read_toml(root, "pyproject.toml")?;
    let requires = &["project", "requires-python"];
    expect_str("pyproject.toml", &pyproject, requires, &e.requires_python)?;
    let classifiers: Vec<String> = strings(&pyproject, &["project", "classifiers"])
        .iter()
        .filter_map(|c| c.strip_prefix("Programming Language :: Python :: "))
        .filter(|v| v.starts_with("3."))
        .map(String::from)
        .collect();
    same(
        "pyproject.toml: the Python version classifiers",
        &classifiers,
        &e.classifier_versions,
    )?;
    let implementations: Vec<String> = strings(&pyproject, &["project", "classifiers"])
        .iter()
        .filter_map(|c| c.strip_prefix("Programming Language :: Python :: Implementation :: "))
        .map(String::from)
        .collect();
    same(
        "pyproject.toml: the implementation classifiers",
        &implementations,
        &e.implementations,
    )?;
    let target = strings(&pyproject, &["tool", "black", "target-version"]);
    same(
        "pyproject.toml: [tool.black] target-version",
        &target,
        std::slice::from_ref(&e.black_target),
    )?;

    let cargo = read_toml(root, "Cargo.toml")?;
    let features = match lookup(&cargo, &["dependencies", "pyo3"]) {
        Some(toml::Value::String(_)) => Vec::new(),
        Some(_) => strings(&cargo, &["dependencies", "pyo3", "features"]),
        None => return Err("Cargo.toml does not depend on pyo3".into()),
    };
    same("Cargo.toml: pyo3's features", &features, &e.pyo3_features)?;

    for file in ["README.md", ".github/workflows/ci.yml"] {
        let text = read(root, file)?;
        let versions = versions_after(&text, "pipenv==");
        if versions.is_empty() {
            return Err(format!("{file} does not pin pipenv (pipenv==...)"));
        }
        if let Some(wrong) = versions.iter().find(|v| **v != e.pipenv_pin) {
            return Err(format!(
                "{file} pins pipenv=={wrong}, expected pipenv=={}",
                e.pipenv_pin
            ));
        }
    }

    let ci = read_yaml(root, ".github/workflows/ci.yml")?;
    let matrix = &ci["jobs"]["test"]["strategy"]["matrix"];
    same(
        "ci.yml: the python matrix",
        &yaml_strings(&matrix["python"]),
        &e.ci_pythons,
    )?;
    let free_threaded = matrix["include"][0]["python"].as_str().unwrap_or_default();
    same(
        "ci.yml: the free-threaded leg",
        &[free_threaded.to_owned()],
        std::slice::from_ref(&e.ci_free_threaded),
    )?;
    let pypy: Vec<String> = matrix["include"]
        .as_vec()
        .into_iter()
        .flatten()
        .filter_map(|leg| leg["python"].as_str())
        .filter(|python| python.starts_with("pypy"))
        .map(String::from)
        .collect();
    same(
        "ci.yml: the PyPy legs",
        &pypy,
        &e.ci_pypy.iter().cloned().collect::<Vec<_>>(),
    )?;

    let release = read_yaml(root, ".github/workflows/release.yml")?;
    let steps = release["jobs"]["wheels"]["steps"]
        .as_vec()
        .ok_or("release.yml has no jobs.wheels.steps")?;
    let uses =
        |step: &Yaml, action: &str| step["uses"].as_str().is_some_and(|u| u.starts_with(action));
    let setup = setup_python_versions(steps);
    same(
        "release.yml: the interpreters setup-python installs",
        &setup,
        &e.release_setup_pythons,
    )?;
    let interpreters: Vec<String> = steps
        .iter()
        .filter(|s| uses(s, "PyO3/maturin-action@"))
        .flat_map(|s| {
            let args: Vec<String> = s["with"]["args"]
                .as_str()
                .unwrap_or_default()
                .split_whitespace()
                .map(String::from)
                .collect();
            // Every value after `--interpreter`, up to the next option.
            let mut picked = Vec::new();
            let mut naming = false;
            for arg in &args {
                if arg.starts_with('-') {
                    naming = arg == "--interpreter" || arg == "-i";
                    if arg == "--find-interpreter" {
                        picked.push(arg.clone());
                    }
                } else if naming {
                    picked.push(arg.clone());
                }
            }
            picked
        })
        .collect();
    same(
        "release.yml: the wheels' interpreters",
        &interpreters,
        &e.release_interpreters,
    )?;
    every_wheel_is_tested(&release, e)
}

/// release.yml publishes no wheel that nothing ran: a job installs and tests the wheels
/// of every platform the wheels job builds for, on that platform, with every interpreter
/// the case expects (each built wheel is one of theirs), and publishing waits for it.
fn every_wheel_is_tested(release: &Yaml, e: &Expect) -> Result<(), String> {
    let platforms = |job: &str| -> Vec<(String, String)> {
        release["jobs"][job]["strategy"]["matrix"]["include"]
            .as_vec()
            .into_iter()
            .flatten()
            .map(|entry| {
                let field = |key: &str| entry[key].as_str().unwrap_or_default().to_owned();
                (field("os"), field("target"))
            })
            .collect()
    };
    let built = platforms("wheels");
    let tested = platforms("test-wheels");
    if built.is_empty() || built != tested {
        return Err(format!(
            "release.yml builds wheels on {built:?} but tests them on {tested:?}"
        ));
    }
    let test = &release["jobs"]["test-wheels"];
    same(
        "release.yml: the interpreters that install and test the wheels",
        &yaml_strings(&test["strategy"]["matrix"]["python"]),
        &e.release_tested_pythons,
    )?;
    let runs_the_tests = test["steps"]
        .as_vec()
        .into_iter()
        .flatten()
        .filter_map(|step| step["run"].as_str())
        .any(|run| run.trim() == "python -m tools.test_wheel dist");
    if !runs_the_tests {
        return Err("release.yml's test-wheels job does not run tools/test_wheel.py".into());
    }
    let needs = yaml_strings(&release["jobs"]["publish"]["needs"]);
    if !needs.iter().any(|job| job == "test-wheels") {
        return Err(format!(
            "release.yml publishes without waiting for the wheels' tests: needs {needs:?}"
        ));
    }
    Ok(())
}

/// `.template-answers.toml` records the case's name and values, the template's
/// version (CHANGELOG.md's newest release), and no source or revision (a project
/// generated by hand: cargo-generate tells the hooks neither).
pub fn answers_recorded(root: &Path, case: &Case, template: &Path) -> Result<(), String> {
    const FILE: &str = ".template-answers.toml";
    let answers = read_toml(root, FILE)?;
    let project_name = root.file_name().unwrap().to_string_lossy();
    expect_str(FILE, &answers, &["template", "project-name"], &project_name)?;
    expect_str(
        FILE,
        &answers,
        &["template", "version"],
        &changelog_version(template)?,
    )?;
    for (key, value) in &case.values {
        expect_str(FILE, &answers, &["values", key], value)?;
    }
    for key in ["template_source", "template_revision"] {
        expect_str(FILE, &answers, &["values", key], "")?;
    }
    expect_str(FILE, &answers, &["values", "author_name"], AUTHOR_NAME)?;
    expect_str(FILE, &answers, &["values", "author_email"], AUTHOR_EMAIL)?;
    Ok(())
}

/// The newest release of the template's CHANGELOG.md (`## [1.2.3] - date`).
pub fn changelog_version(template: &Path) -> Result<String, String> {
    let changelog = std::fs::read_to_string(template.join("CHANGELOG.md"))
        .map_err(|e| format!("cannot read CHANGELOG.md: {e}"))?;
    changelog
        .lines()
        .filter_map(|line| line.strip_prefix("## ["))
        .filter_map(|rest| rest.split(']').next())
        .find(|version| *version != "Unreleased")
        .map(String::from)
        .ok_or_else(|| "CHANGELOG.md has no release (## [1.2.3] - date)".into())
}

/// Everything a learner reads speaks the case's `lang`. For `en`, no Korean in any file.
/// For `ko` ([`language::Piece`]s, each of which must not be English prose; technical
/// names inside Korean sentences are fine):
/// - README.md: every paragraph, table row and heading;
/// - the lesson (the Python files at the root, the Rust sources, the stub): every
///   comment, docstring and string, but the charts' English fallback (`ENGLISH` in
///   charts.py, drawn where no Korean font is installed) and the fonts' names;
/// - the tools (tools/*.py): their messages and what each says it is (its module
///   docstring); their inner comments and docstrings are for maintainers.
pub fn written_in_chosen_language(root: &Path, case: &Case) -> Result<(), String> {
    let files = files(root);
    if case.lang() == "en" {
        for (path, bytes) in &files {
            let text = String::from_utf8_lossy(bytes);
            if let Some(line) = text.lines().find(|l| language::has_hangul(l)) {
                return Err(format!("{path} is not written for lang = en: {line}"));
            }
        }
        return Ok(());
    }
    let mut pieces: Vec<(String, String)> = Vec::new();
    let readme = read(root, "README.md")?;
    pieces.extend(
        language::markdown_prose(&readme)
            .into_iter()
            .map(|p| ("README.md".to_owned(), p)),
    );
    for path in files
        .keys()
        .filter(|p| p.starts_with("src/") && p.ends_with(".rs"))
    {
        let text = read(root, path)?;
        pieces.extend(
            language::rust_comments(&text)
                .into_iter()
                .map(|p| (path.clone(), p)),
        );
    }
    let python: Vec<&String> = files
        .keys()
        .filter(|p| p.ends_with(".py") || p.ends_with(".pyi"))
        .filter(|p| !p.starts_with("tests/"))
        .collect();
    for (path, found) in language::python_pieces(root, &python)? {
        let tool = path.starts_with("tools/");
        for piece in found {
            let read_by_learners = if tool {
                matches!(piece.kind.as_str(), "module docstring" | "string")
            } else {
                !matches!(
                    piece.assigned_to.as_deref(),
                    Some("ENGLISH" | "KOREAN_FONTS")
                )
            };
            if read_by_learners {
                pieces.push((format!("{path}:{}", piece.line), piece.text));
            }
        }
    }
    // A particle after a version takes the form its Korean reading asks for (the
    // version is the case's, so a sentence right for one can be wrong for another).
    for (place, piece) in &pieces {
        if let Some(wrong) = language::wrong_particles(piece).first() {
            return Err(format!("{place}: a particle of the wrong form: {wrong}"));
        }
    }
    // What stays as it is in every language: the course's output lines, which learners
    // compare with its slides, and the commands a learner types.
    let verbatim = |piece: &str| {
        ["Py: ", "Rust: ", "pipenv run "]
            .iter()
            .any(|start| piece.starts_with(start))
    };
    match pieces
        .iter()
        .find(|(_, piece)| !verbatim(piece) && language::is_english_prose(piece))
    {
        Some((place, english)) => Err(format!(
            "{place} is not written for lang = {}: this is English: {english}",
            case.lang()
        )),
        None => Ok(()),
    }
}

/// With the GIL demo off, nothing of it is left: no file, and no word of it in any file.
pub fn no_gil_demo_when_off(root: &Path, case: &Case) -> Result<(), String> {
    if case.gil_demo() {
        return Ok(());
    }
    for (path, text) in text_files(root) {
        // The answers file records the answer that turned the demo off.
        if path == ".template-answers.toml" {
            continue;
        }
        for word in GIL_DEMO_WORDS {
            if let Some(line) = text.lines().find(|line| line.contains(word)) {
                return Err(format!(
                    "the GIL demo is off, yet {path} mentions `{word}`: {}",
                    line.trim()
                ));
            }
        }
    }
    Ok(())
}

/// No `${{ ... }}` of the generated workflows was emptied by liquid (which renders an
/// unprotected GitHub expression as `$` and nothing; see also
/// `fast::workflow_expressions_protected`, which looks at the template itself).
pub fn workflow_expressions_survive(root: &Path) -> Result<(), String> {
    for (path, text) in text_files(root) {
        if !path.starts_with(".github/workflows/") {
            continue;
        }
        if let Some(line) = text
            .lines()
            .find(|l| l.contains("${{ }}") || l.contains("${{}}"))
        {
            return Err(format!("{path} has an emptied expression: {}", line.trim()));
        }
        let opened = text.matches("${{").count();
        let closed = text.matches("}}").count();
        if opened != closed {
            return Err(format!(
                "{path} has {opened} `${{{{` but {closed} `}}}}`: an expression was cut by liquid"
            ));
        }
    }
    Ok(())
}

/// Every file of the tree (but `.git`), by path relative to `root` with `/` separators.
pub fn files(root: &Path) -> BTreeMap<String, Vec<u8>> {
    WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.file_name() != ".git")
        .map(|entry| entry.expect("cannot walk the generated tree"))
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| {
            let relative = entry.path().strip_prefix(root).unwrap();
            let key = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            (
                key,
                std::fs::read(entry.path()).expect("cannot read a generated file"),
            )
        })
        .collect()
}

fn text_files(root: &Path) -> Vec<(String, String)> {
    files(root)
        .into_iter()
        .filter_map(|(path, bytes)| String::from_utf8(bytes).ok().map(|text| (path, text)))
        .collect()
}

pub fn read(root: &Path, path: &str) -> Result<String, String> {
    std::fs::read_to_string(root.join(path)).map_err(|e| format!("cannot read {path}: {e}"))
}

pub fn read_toml(root: &Path, path: &str) -> Result<toml::Table, String> {
    toml::from_str(&read(root, path)?).map_err(|e| format!("{path}: {e}"))
}

pub fn read_yaml(root: &Path, path: &str) -> Result<Yaml, String> {
    let mut docs = yaml_rust2::YamlLoader::load_from_str(&read(root, path)?)
        .map_err(|e| format!("{path} is not valid YAML: {e}"))?;
    if docs.len() != 1 {
        return Err(format!("{path} holds {} YAML documents, not 1", docs.len()));
    }
    Ok(docs.remove(0))
}

/// The Python versions the setup-python steps among `steps` install, in order.
pub fn setup_python_versions(steps: &[Yaml]) -> Vec<String> {
    steps
        .iter()
        .filter(|step| {
            step["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/setup-python@"))
        })
        .flat_map(|step| {
            let versions = step["with"]["python-version"].as_str().unwrap_or_default();
            versions
                .split_whitespace()
                .map(String::from)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The value at `path` (table keys) in `table`.
fn lookup<'a>(table: &'a toml::Table, path: &[&str]) -> Option<&'a toml::Value> {
    let (first, rest) = path.split_first()?;
    rest.iter()
        .try_fold(table.get(*first)?, |value, key| value.get(*key))
}

/// The strings of the TOML array at `path`, or none.
fn strings(table: &toml::Table, path: &[&str]) -> Vec<String> {
    let items = lookup(table, path).and_then(|v| v.as_array());
    owned(items.into_iter().flatten().map(|i| i.as_str()))
}

/// The strings of the YAML sequence `value`, or none.
fn yaml_strings(value: &Yaml) -> Vec<String> {
    owned(value.as_vec().into_iter().flatten().map(|i| i.as_str()))
}

/// The items that are strings, owned.
fn owned<'a>(items: impl Iterator<Item = Option<&'a str>>) -> Vec<String> {
    items.flatten().map(String::from).collect()
}

/// The value at `path` of the TOML file `file` is the string `expected` (a string:
/// `python_version = 3.12` would be a float).
fn expect_str(
    file: &str,
    table: &toml::Table,
    path: &[&str],
    expected: &str,
) -> Result<(), String> {
    match lookup(table, path) {
        Some(toml::Value::String(value)) if value == expected => Ok(()),
        actual => Err(format!(
            "{file}: {} is {}, expected the string \"{expected}\"",
            path.join("."),
            actual.map_or("missing".to_owned(), |v| v.to_string())
        )),
    }
}

fn same(what: &str, actual: &[String], expected: &[String]) -> Result<(), String> {
    if actual == expected {
        Ok(())
    } else {
        Err(format!("{what} are {actual:?}, expected {expected:?}"))
    }
}
