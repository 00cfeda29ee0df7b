//! The pins of the generated project (hooks/pins.rhai, their one place) against what
//! the template and the docs write: no pin written a second time by hand, and no doc
//! quoting a version the files contradict. (`python3 tests/tools/pins.py check` compares
//! them with the registries; its own tests are tests/tools/test_pins.py.)

use std::collections::BTreeMap;
use std::path::Path;

use crate::checks::{between, versions_after};
use crate::paths::files_under;

/// The pins of hooks/pins.rhai under `root`: name -> its fields (`version`, `commit`,
/// `crate`/`pypi`/`action`, `held`).
pub fn pins(root: &Path) -> Result<BTreeMap<String, BTreeMap<String, String>>, String> {
    let path = root.join("hooks/pins.rhai");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut found = BTreeMap::new();
    for line in text.lines() {
        let Some(rest) = line.trim().strip_prefix('"') else {
            continue;
        };
        let Some((name, fields)) = rest.split_once("\": #{ ") else {
            continue;
        };
        let fields = fields.trim_end_matches(',').trim_end_matches(" }");
        let mut map = BTreeMap::new();
        for field in fields.split("\", ") {
            if let Some((key, value)) = field.split_once(": \"") {
                map.insert(
                    key.trim().to_owned(),
                    value.trim_end_matches('"').to_owned(),
                );
            }
        }
        found.insert(name.to_owned(), map);
    }
    if found.is_empty() {
        return Err(format!("{} holds no pin", path.display()));
    }
    Ok(found)
}

/// No file of template/ or hooks/ but hooks/pins.rhai writes a pin's version (or an
/// action's commit): each is written once, and the rest use the variables
/// hooks/derive.rhai makes of it.
pub fn written_once(root: &Path) -> Result<(), String> {
    let pins = pins(root)?;
    let mut values: Vec<(String, String)> = Vec::new();
    for (name, fields) in &pins {
        for key in ["version", "commit"] {
            if let Some(value) = fields.get(key) {
                values.push((name.clone(), value.clone()));
            }
        }
    }
    for dir in ["template", "hooks"] {
        for path in files_under(&root.join(dir)) {
            if path.file_name().is_some_and(|name| name == "pins.rhai") {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let relative = path.strip_prefix(root).unwrap().display().to_string();
            for (name, value) in &values {
                if let Some(line) = text.lines().find(|l| written(l, value)) {
                    return Err(format!(
                        "{relative} writes {value} (the pin `{name}` of hooks/pins.rhai) by hand: \
                         use the variable hooks/derive.rhai makes of it: {}",
                        line.trim()
                    ));
                }
            }
        }
    }
    Ok(())
}

/// Whether `line` holds `value` as a whole version (not 0.30.1 inside 10.30.12).
fn written(line: &str, value: &str) -> bool {
    line.match_indices(value).any(|(at, _)| {
        let before = line[..at].chars().next_back();
        let rest = &line[at + value.len()..];
        let glued = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
        let goes_on = rest.starts_with(|c: char| c.is_ascii_alphanumeric())
            || (rest.starts_with('.') && rest[1..].starts_with(|c: char| c.is_ascii_digit()));
        !glued(before) && before != Some('.') && !goes_on
    })
}

/// The docs (the READMEs, the templates' comments, cargo-generate.toml) quote no version
/// that the files contradict: maturin's requirement (`` maturin ... `>=A,<B` ``), the
/// pipenv pins (`pipenv==X`), PyO3's series (`pyo3 X.Y`, `[PyO3](https://pyo3.rs) X.Y`),
/// cargo-generate's (`cargo-generate@X`, the suite's; `cargo-generate X and later`,
/// cargo-generate.toml's `cargo_generate_version`).
pub fn docs_agree(root: &Path) -> Result<(), String> {
    let pins = pins(root)?;
    let version = |name: &str| {
        pins.get(name)
            .and_then(|p| p.get("version"))
            .cloned()
            .unwrap_or_default()
    };
    let maturin = version("maturin");
    let pipenv = [version("pipenv"), version("pipenv-py39")];
    let pyo3 = version("pyo3");
    let series: String = pyo3.split('.').take(2).collect::<Vec<_>>().join(".");
    let cargo_generate = crate::tools::CARGO_GENERATE_VERSION;
    let config = std::fs::read_to_string(root.join("cargo-generate.toml"))
        .map_err(|e| format!("cannot read cargo-generate.toml: {e}"))?;
    let floor = between(&config, "cargo_generate_version = \">=", "\"")
        .into_iter()
        .next()
        .unwrap_or_default()
        .to_owned();
    let mut docs = vec![root.join("README.md"), root.join("cargo-generate.toml")];
    for dir in ["template", "hooks"] {
        docs.extend(files_under(&root.join(dir)));
    }
    for path in docs {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let name = path.strip_prefix(root).unwrap().display().to_string();
        let wrong = |claim: &str, files: &str| Err(format!("{name} says {claim}, but {files}"));
        // On a line about maturin, a quoted range is its requirement.
        for line in text.lines().filter(|l| l.contains("maturin")) {
            for range in between(line, "`>=", "`") {
                if range.contains(",<") && format!(">={range}") != maturin {
                    return wrong(
                        &format!("maturin `>={range}`"),
                        &format!("hooks/pins.rhai requires {maturin}"),
                    );
                }
            }
        }
        for claim in versions_after(&text, "pipenv==") {
            if !claim.is_empty() && !pipenv.iter().any(|p| p == claim) {
                return wrong(
                    &format!("pipenv=={claim}"),
                    &format!("hooks/pins.rhai pins {pipenv:?}"),
                );
            }
        }
        for prefix in ["pyo3 ", "[PyO3](https://pyo3.rs) "] {
            for claim in versions_after(&text, prefix) {
                if claim.matches('.').count() >= 1 && !claim.starts_with(&series) {
                    return wrong(
                        &format!("{prefix}{claim}"),
                        &format!("hooks/pins.rhai pins pyo3 {pyo3}"),
                    );
                }
            }
        }
        for claim in between(&text, "cargo-generate@", " ") {
            if claim.starts_with(|c: char| c.is_ascii_digit()) && claim != cargo_generate {
                return wrong(
                    &format!("cargo-generate@{claim}"),
                    &format!("the suite pins {cargo_generate}"),
                );
            }
        }
        for claim in between(&text, "cargo-generate ", " and later") {
            if claim.matches('.').count() == 2 && claim != floor {
                return wrong(
                    &format!("cargo-generate {claim} and later"),
                    &format!("cargo-generate.toml asks for >={floor}"),
                );
            }
        }
    }
    if floor != cargo_generate {
        return Err(format!(
            "cargo-generate.toml asks for cargo-generate >={floor}, but the suite tests {cargo_generate}, \
             the oldest release it supports"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_version_counts_only_whole() {
        assert!(written("pyo3 = \"0.30.1\"", "0.30.1"));
        assert!(written("see 0.30.1.", "0.30.1"));
        assert!(!written("10.30.1", "0.30.1"));
        assert!(!written("0.30.12", "0.30.1"));
        assert!(!written("v0.30.1x", "0.30.1"));
    }
}
