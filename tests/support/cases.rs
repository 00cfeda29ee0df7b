//! The scenarios (`tests/cases/*.toml`) and the template's parameters (`cargo-generate.toml`).
//!
//! A case file is a cargo-generate values file (`[values]`, passed with
//! `--template-values-file`) plus a `[case]` table that cargo-generate ignores: the
//! project name to generate and the names the project must end up with. Adding a case
//! is adding a file.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Deserialize;

use crate::paths::repo_root;

/// One parameter of the template, as declared in cargo-generate.toml.
#[derive(Debug, Clone, Deserialize)]
pub struct Placeholder {
    pub choices: Vec<String>,
    pub default: String,
}

#[derive(Deserialize)]
struct TemplateConfig {
    placeholders: BTreeMap<String, Placeholder>,
}

/// The template's parameters, read from cargo-generate.toml.
pub fn placeholders() -> BTreeMap<String, Placeholder> {
    let path = repo_root().join("cargo-generate.toml");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    toml::from_str::<TemplateConfig>(&text)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .placeholders
}

/// The `python_version` choices: every CPython version the template offers.
pub fn python_versions() -> Vec<String> {
    placeholders()["python_version"].choices.clone()
}

#[derive(Deserialize)]
struct CaseFile {
    case: CaseMeta,
    #[serde(default)]
    values: BTreeMap<String, String>,
}

#[derive(Deserialize)]
struct CaseMeta {
    name: String,
    module: String,
    dist: String,
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
}

impl Case {
    pub fn python_version(&self) -> &str {
        &self.values["python_version"]
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

    /// "39" for Python 3.9.
    pub fn py_nodot(&self) -> String {
        self.python_version().replace('.', "")
    }

    /// A one-line summary of the values, for reports.
    pub fn summary(&self) -> String {
        self.values
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(" ")
    }
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
                    placeholder.choices.contains(value),
                    "{}: {key} = {value:?} is not one of {:?}",
                    file.display(),
                    placeholder.choices
                );
                values.insert(key.clone(), value.clone());
            }
            for key in parsed.values.keys() {
                assert!(
                    placeholders.contains_key(key),
                    "{}: {key} is not a parameter of the template",
                    file.display()
                );
            }
            Case {
                id: file.file_stem().unwrap().to_string_lossy().into_owned(),
                name: parsed.case.name,
                module: parsed.case.module,
                dist: parsed.case.dist,
                values,
                file,
            }
        })
        .collect()
}
