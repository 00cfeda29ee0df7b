//! Golden snapshots: the rendered files of a few chosen cases, kept under
//! tests/snapshots/<case>/, so that a change to the template shows up in review as a
//! diff of what users get. The fast tier compares; a run with `UPDATE_SNAPSHOTS=1`
//! rewrites them:
//!
//!     UPDATE_SNAPSHOTS=1 cargo test --test generated_tree snapshot

use std::path::{Path, PathBuf};

use crate::checks::files;
use crate::paths::repo_root;

/// The cases whose trees are kept: the defaults, a Korean GIL-demo project, and an
/// abi3 project without the demo.
pub const SNAPSHOT_CASES: [&str; 3] = ["default", "py311-gil-ko", "py310-nogil-abi3"];

/// Where the snapshot of `case_id` is kept.
pub fn snapshot_dir(case_id: &str) -> PathBuf {
    repo_root().join("tests/snapshots").join(case_id)
}

/// Compares the generated tree `project` with the snapshot of `case_id`, or rewrites
/// the snapshot when `UPDATE_SNAPSHOTS=1`.
pub fn compare_or_update(case_id: &str, project: &Path) -> Result<(), String> {
    let kept = snapshot_dir(case_id);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some_and(|v| v == "1") {
        let _ = std::fs::remove_dir_all(&kept);
        for (path, bytes) in files(project) {
            let target = kept.join(&path);
            std::fs::create_dir_all(target.parent().unwrap()).map_err(|e| e.to_string())?;
            std::fs::write(&target, bytes).map_err(|e| e.to_string())?;
        }
        return Ok(());
    }
    if !kept.is_dir() {
        return Err(format!(
            "there is no snapshot of {case_id} in {}: make it with \
             `UPDATE_SNAPSHOTS=1 cargo test --test generated_tree snapshot`",
            kept.display()
        ));
    }
    let hint = "if the change is meant, rewrite the snapshots with \
                `UPDATE_SNAPSHOTS=1 cargo test --test generated_tree snapshot` and review the diff";
    let (expected, actual) = (files(&kept), files(project));
    let names = |tree: &std::collections::BTreeMap<String, Vec<u8>>| {
        tree.keys()
            .cloned()
            .collect::<std::collections::BTreeSet<_>>()
    };
    let (old, new) = (names(&expected), names(&actual));
    if old != new {
        return Err(format!(
            "the {case_id} project's files changed: gone {:?}, new {:?} ({hint})",
            old.difference(&new).collect::<Vec<_>>(),
            new.difference(&old).collect::<Vec<_>>()
        ));
    }
    for (path, bytes) in &actual {
        if expected[path] != *bytes {
            return Err(format!(
                "tests/snapshots/{case_id}/{path} changed:\n{}\n({hint})",
                first_difference(&expected[path], bytes)
            ));
        }
    }
    Ok(())
}

/// The first differing line of two texts, as `-old` / `+new` with its number.
pub fn first_difference(old: &[u8], new: &[u8]) -> String {
    let (old, new) = (String::from_utf8_lossy(old), String::from_utf8_lossy(new));
    let (mut old_lines, mut new_lines) = (old.lines(), new.lines());
    let mut number = 1;
    loop {
        match (old_lines.next(), new_lines.next()) {
            (Some(a), Some(b)) if a == b => number += 1,
            (None, None) => return "the files differ in their line endings".into(),
            (a, b) => {
                return format!(
                    "line {number}:\n-{}\n+{}",
                    a.unwrap_or("(end of file)"),
                    b.unwrap_or("(end of file)")
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_difference_names_the_line_and_both_versions() {
        assert_eq!(
            first_difference(b"a\nb\nc\n", b"a\nB\nc\n"),
            "line 2:\n-b\n+B"
        );
        assert_eq!(
            first_difference(b"a\n", b"a\nmore\n"),
            "line 2:\n-(end of file)\n+more"
        );
    }
}
