//! The scenarios (`tests/cases/*.toml`) and the template's parameters (`cargo-generate.toml`).
//!
//! A case file is a cargo-generate values file (`[values]`, passed with
//! `--template-values-file`) plus a `[case]` table that cargo-generate ignores: the
//! project name to generate and the names the project must end up with. Adding a case
//! is adding a file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::paths::repo_root;

/// One parameter of the template, as declared in cargo-generate.toml.
#[derive(Debug, Clone, Deserialize)]
pub struct Placeholder {
    /// Empty for a free string (the repository URL).
    #[serde(default)]
    pub choices: Vec<String>,
    pub default: String,
}

/// Values a case file may give that are not parameters: ones the hooks derive once and
/// record in .template-answers.toml (a case pins the year, so that its tree, and the
/// snapshots of it, do not change on New Year's Day).
pub const RECORDED_VALUES: [&str; 1] = ["copyright_year"];

#[derive(Deserialize)]
struct TemplateConfig {
    placeholders: BTreeMap<String, Placeholder>,
}

/// The repository's template's parameters, read from its cargo-generate.toml.
pub fn placeholders() -> BTreeMap<String, Placeholder> {
    placeholders_of(&repo_root()).unwrap_or_else(|e| panic!("{e}"))
}

/// The parameters of the template at `root`, read from its cargo-generate.toml.
pub fn placeholders_of(root: &Path) -> Result<BTreeMap<String, Placeholder>, String> {
    let path = root.join("cargo-generate.toml");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    toml::from_str::<TemplateConfig>(&text)
        .map(|config| config.placeholders)
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// The `python_version` choices: every CPython version the template offers.
pub fn python_versions() -> Vec<String> {
    placeholders()["python_version"].choices.clone()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    case: CaseMeta,
    #[serde(default)]
    values: BTreeMap<String, String>,
    expect: Expect,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseMeta {
    name: String,
    module: String,
    dist: String,
    #[serde(default)]
    plot: bool,
    #[serde(default)]
    interpreter: Option<String>,
    #[serde(default)]
    ci_legs: Vec<String>,
    #[serde(default)]
    ci_every_step: bool,
}

/// What a case's values must change, in every file it lands in: stated by hand in the
/// case file, never computed by the code that renders the template.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// The Pipfile's `[requires] python_version`, a TOML string.
    pub pipfile_python: String,
    /// pyproject.toml's `requires-python`.
    pub requires_python: String,
    /// The `Programming Language :: Python :: 3.X` classifiers, in order.
    pub classifier_versions: Vec<String>,
    /// The `Programming Language :: Python :: Implementation :: X` classifiers, in order:
    /// PyPy only where CI tests it.
    pub implementations: Vec<String>,
    /// pyproject.toml's `[tool.black] target-version`.
    pub black_target: String,
    /// The black version the Pipfile pins (`==X`).
    pub black_pin: String,
    /// The pipenv version that CI installs and the README tells users to install.
    pub pipenv_pin: String,
    /// CI's `python` matrix, then its free-threaded leg.
    pub ci_pythons: Vec<String>,
    pub ci_free_threaded: String,
    /// CI's PyPy leg, where the project supports PyPy.
    #[serde(default)]
    pub ci_pypy: Option<String>,
    /// The interpreters the release workflow installs with setup-python, in order.
    pub release_setup_pythons: Vec<String>,
    /// The `--interpreter` arguments of the release's maturin steps, in order.
    pub release_interpreters: Vec<String>,
    /// The interpreters the release installs the wheels into and tests them with.
    pub release_tested_pythons: Vec<String>,
    /// pyo3's features in Cargo.toml (`abi3-py3X`, or none).
    pub pyo3_features: Vec<String>,
    /// The tag in the name of the wheel `maturin build` makes here (`cp312-cp312`).
    pub wheel_tag: String,
    /// The SPDX expression in pyproject.toml and Cargo.toml.
    pub license: String,
    /// The license files the project holds (and pyproject.toml's `license-files`).
    pub license_files: Vec<String>,
}

/// A scenario: one project generated with given values.
#[derive(Debug, Clone)]
pub struct Case {
    /// The file's stem, e.g. `py39-gil-ko`.
    pub id: String,
    /// The values file, passed to cargo-generate as is.
    pub file: PathBuf,
    /// `--name` for cargo-generate.
    pub name: String,
    /// The Python module (and Rust library) the name must turn into.
    pub module: String,
    /// The PyPI distribution (and Cargo package) the name must turn into.
    pub dist: String,
    /// Every parameter's value: the file's, else the template's default.
    pub values: BTreeMap<String, String>,
    /// Whether the full tier installs the plot category and draws the charts.
    pub plot: bool,
    /// The interpreter of the project's virtualenv where it is not the CPython of
    /// `python_version`: "pypy3.11" (its README's `pipenv install --dev --python
    /// pypy3.11`).
    pub interpreter: Option<String>,
    /// The legs of the project's CI (`matrix.python`) that the full tier runs with act.
    pub ci_legs: Vec<String>,
    /// Whether every `run:` step of the CI job must run in one of those legs.
    pub ci_every_step: bool,
    /// What the values must change.
    pub expect: Expect,
}

impl Case {
    pub fn python_version(&self) -> &str {
        &self.values["python_version"]
    }

    /// The interpreter the case builds and tests with: "3.12" (CPython 3.12), or
    /// "pypy3.11".
    pub fn interpreter(&self) -> &str {
        self.interpreter
            .as_deref()
            .unwrap_or_else(|| self.python_version())
    }

    /// Whether that interpreter is PyPy.
    pub fn pypy(&self) -> bool {
        self.interpreter().starts_with("pypy")
    }

    pub fn gil_demo(&self) -> bool {
        self.values["gil_demo"] == "true"
    }

    pub fn abi3(&self) -> bool {
        self.values["abi3"] == "true"
    }

    pub fn lang(&self) -> &str {
        &self.values["lang"]
    }

    /// A one-line summary of the values, for reports.
    pub fn summary(&self) -> String {
        let values = self.values.iter().map(|(k, v)| format!("{k}={v}"));
        let interpreter = self.interpreter.iter().map(|i| format!("interpreter={i}"));
        values.chain(interpreter).collect::<Vec<_>>().join(" ")
    }
}

/// The case of tests/cases/`id`.toml.
pub fn case(id: &str) -> Result<Case, String> {
    all_cases()
        .into_iter()
        .find(|c| c.id == id)
        .ok_or_else(|| format!("tests/cases/{id}.toml is missing"))
}

/// Every case of `tests/cases`, by file name. A value that is not one of its
/// parameter's choices (or names no parameter) is a mistake in the case file.
pub fn all_cases() -> Vec<Case> {
    let placeholders = placeholders();
    let dir = repo_root().join("tests").join("cases");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.expect("cannot list tests/cases").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no case in {}", dir.display());
    files
        .into_iter()
        .map(|file| {
            let text = std::fs::read_to_string(&file).expect("cannot read a case file");
            let parsed: CaseFile =
                toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            let mut values = BTreeMap::new();
            for (key, placeholder) in &placeholders {
                let value = parsed.values.get(key).unwrap_or(&placeholder.default);
                assert!(
                    placeholder.choices.is_empty() || placeholder.choices.contains(value),
                    "{}: {key} = {value:?} is not one of {:?}",
                    file.display(),
                    placeholder.choices
                );
                values.insert(key.clone(), value.clone());
            }
            for (key, value) in &parsed.values {
                if RECORDED_VALUES.contains(&key.as_str()) {
                    values.insert(key.clone(), value.clone());
                    continue;
                }
                assert!(
                    placeholders.contains_key(key),
                    "{}: {key} is not a parameter of the template",
                    file.display()
                );
            }
            // matplotlib cannot be installed on PyPy (see the plot stage).
            assert!(
                !(parsed.case.plot
                    && parsed
                        .case
                        .interpreter
                        .as_deref()
                        .is_some_and(|i| i.starts_with("pypy"))),
                "{}: plot = true, but a PyPy case cannot install matplotlib",
                file.display()
            );
            Case {
                id: file.file_stem().unwrap().to_string_lossy().into_owned(),
                name: parsed.case.name,
                module: parsed.case.module,
                dist: parsed.case.dist,
                plot: parsed.case.plot,
                interpreter: parsed.case.interpreter,
                ci_legs: parsed.case.ci_legs,
                ci_every_step: parsed.case.ci_every_step,
                expect: parsed.expect,
                values,
                file,
            }
        })
        .collect()
}
