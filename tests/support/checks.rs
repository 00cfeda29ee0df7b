//! Static checks of a generated tree, made the way a strict user would look at it.
//! Each returns `Err` with a message that names the file and what is wrong in it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use walkdir::WalkDir;

use crate::cases::Case;
use crate::paths::repo_root;

/// Every check on a freshly generated tree (without `.git`).
pub fn all(root: &Path, case: &Case) -> Result<(), String> {
    expected_files(root, case)?;
    no_liquid_left(root)?;
    toml_parses(root)?;
    yaml_parses(root)?;
    names_consistent(root, case)?;
    written_in_chosen_language(root, case)?;
    no_gil_demo_when_off(root, case)?;
    workflow_expressions_survive(root)?;
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
        "Cargo.toml",
        "Pipfile",
        "README.md",
        "build.rs",
        "main.py",
        "pyproject.toml",
        "src/lib.rs",
        "tests/test_fibonacci.py",
        "tests/test_main.py",
    ]
    .into_iter()
    .map(String::from)
    .chain([format!("{module}.pyi")])
    .collect()
}

/// The files only the GIL demo has.
pub const GIL_DEMO_FILES: [&str; 3] = ["gil_demo.py", "gil_parallel.py", "tests/test_gil.py"];

/// Words that only the GIL demo's code and docs use: none may appear when it is off.
const GIL_DEMO_WORDS: [&str; 5] = ["GIL", "gil_", "detach", "double_list", "threading"];

/// The tree holds exactly the files the case's options call for.
pub fn expected_files(root: &Path, case: &Case) -> Result<(), String> {
    let mut expected: BTreeSet<String> = base_files(&case.module).into_iter().collect();
    if case.gil_demo() {
        expected.extend(GIL_DEMO_FILES.iter().map(|f| f.to_string()));
    }
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
    for (path, text) in text_files(root) {
        if path.ends_with(".yml") || path.ends_with(".yaml") {
            let docs = yaml_rust2::YamlLoader::load_from_str(&text)
                .map_err(|e| format!("{path} is not valid YAML: {e}"))?;
            if docs.len() != 1 {
                return Err(format!("{path} holds {} YAML documents, not 1", docs.len()));
            }
        }
    }
    Ok(())
}

/// The module and distribution names are the case's, in every place that names them.
pub fn names_consistent(root: &Path, case: &Case) -> Result<(), String> {
    let cargo = read_toml(root, "Cargo.toml")?;
    expect_eq("Cargo.toml", &cargo, ["package", "name"], &case.dist)?;
    expect_eq("Cargo.toml", &cargo, ["lib", "name"], &case.module)?;
    let pyproject = read_toml(root, "pyproject.toml")?;
    expect_eq(
        "pyproject.toml",
        &pyproject,
        ["project", "name"],
        &case.dist,
    )?;

    let lib = read(root, "src/lib.rs")?;
    let declaration = format!("#[pymodule]\nmod {} {{", case.module);
    if !lib.contains(&declaration) {
        return Err(format!("src/lib.rs does not declare `{declaration}`"));
    }

    // Every module a Python file imports is either the standard library's, pytest,
    // main.py, or the project's own: a misspelt project module shows up as a stranger.
    const KNOWN: &[&str] = &[
        "__future__",
        "argparse",
        "main",
        "math",
        "os",
        "pathlib",
        "platform",
        "pytest",
        "re",
        "subprocess",
        "sys",
        "threading",
        "time",
        "typing",
        "unicodedata",
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

/// The README and the demo scripts' output speak the case's `lang`: Korean (Hangul)
/// for `ko`, none of it for `en`.
pub fn written_in_chosen_language(root: &Path, case: &Case) -> Result<(), String> {
    let hangul = |text: &str| text.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c));
    let mut files = vec!["README.md", "main.py"];
    if case.gil_demo() {
        files.extend(["gil_demo.py", "gil_parallel.py"]);
    }
    for path in files {
        let korean = hangul(&read(root, path)?);
        match (case.lang(), korean) {
            ("ko", true) | ("en", false) => {}
            (lang, _) => return Err(format!("{path} is not written for lang = {lang}")),
        }
    }
    Ok(())
}

/// With the GIL demo off, nothing of it is left: no file, and no word of it in any file.
pub fn no_gil_demo_when_off(root: &Path, case: &Case) -> Result<(), String> {
    if case.gil_demo() {
        return Ok(());
    }
    for (path, text) in text_files(root) {
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

/// Each `${{ ... }}` of the template's workflows reaches the generated ones (liquid
/// would turn an unprotected one into `$` and nothing).
pub fn workflow_expressions_survive(root: &Path) -> Result<(), String> {
    let source_dir = repo_root().join("template/.github/workflows");
    for entry in std::fs::read_dir(&source_dir).map_err(|e| e.to_string())? {
        let source = entry.map_err(|e| e.to_string())?.path();
        let name = source.file_name().unwrap().to_string_lossy().into_owned();
        let generated = format!(".github/workflows/{name}");
        let before = std::fs::read_to_string(&source).map_err(|e| e.to_string())?;
        let after = read(root, &generated)?;
        let (expected, found) = (before.matches("${{").count(), after.matches("${{").count());
        if expected != found {
            return Err(format!(
                "{generated} has {found} `${{{{ }}}}` expressions, but the template's has {expected}: wrap them in {{% raw %}}"
            ));
        }
        if let Some(line) = after
            .lines()
            .find(|l| l.contains("${{ }}") || l.contains("${{}}"))
        {
            return Err(format!(
                "{generated} has an emptied expression: {}",
                line.trim()
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

fn read(root: &Path, path: &str) -> Result<String, String> {
    std::fs::read_to_string(root.join(path)).map_err(|e| format!("cannot read {path}: {e}"))
}

fn read_toml(root: &Path, path: &str) -> Result<toml::Table, String> {
    toml::from_str(&read(root, path)?).map_err(|e| format!("{path}: {e}"))
}

/// `table[section][key]` of the TOML file `file` is the string `expected`.
fn expect_eq(
    file: &str,
    table: &toml::Table,
    [section, key]: [&str; 2],
    expected: &str,
) -> Result<(), String> {
    let actual = table
        .get(section)
        .and_then(|s| s.get(key))
        .and_then(|v| v.as_str());
    match actual {
        Some(value) if value == expected => Ok(()),
        _ => Err(format!(
            "{file}: [{section}] {key} is {actual:?}, expected \"{expected}\""
        )),
    }
}
