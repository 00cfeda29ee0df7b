//! What the name rules of hooks/ know, read from their data, for the checks that the
//! rules keep up with the template and its virtualenv.

use std::collections::BTreeSet;
use std::path::Path;

use crate::paths::repo_root;

/// The modules of hooks/dev_tool_modules.rhai (`"name": "package",` lines).
pub fn dev_tool_modules() -> BTreeSet<String> {
    quoted_keys(
        &read(&repo_root(), "hooks/dev_tool_modules.rhai"),
        "fn dev_tool_modules()",
    )
}

/// The module names of `project_files()` in hooks/rules.rhai of the template at
/// `root`: the files a generated project ships that a module of the same name would
/// collide with.
pub fn project_files_of(root: &Path) -> BTreeSet<String> {
    quoted_keys(&read(root, "hooks/rules.rhai"), "fn project_files()")
}

fn read(root: &Path, path: &str) -> String {
    std::fs::read_to_string(root.join(path)).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

/// The `"key": value` keys of the object map returned by the rhai function that starts
/// with `signature`.
fn quoted_keys(source: &str, signature: &str) -> BTreeSet<String> {
    let start = source
        .find(signature)
        .unwrap_or_else(|| panic!("no `{signature}` in the rules"));
    let body = &source[start..];
    let body = &body[..body.find("\n}").expect("the function ends")];
    body.lines()
        .filter_map(|line| {
            let key = line.trim().strip_prefix('"')?;
            let (key, rest) = key.split_once('"')?;
            rest.starts_with(':').then(|| key.to_owned())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_of_an_object_map_are_read() {
        let source = "fn other() { #{ \"no\": 1 } }\nfn wanted() {\n    #{\n        \"a\": \"x\",\n        \"b_c\": \"y\",\n    }\n}\n";
        let keys = quoted_keys(source, "fn wanted()");
        assert_eq!(keys, BTreeSet::from(["a".to_owned(), "b_c".to_owned()]));
    }

    #[test]
    fn the_recorded_modules_include_the_dev_tools_themselves() {
        let modules = dev_tool_modules();
        for tool in [
            "black",
            "pytest",
            "maturin",
            "mypy",
            "pre_commit",
            "uv",
            "pip",
        ] {
            assert!(modules.contains(tool), "{tool} is missing");
        }
    }
}
