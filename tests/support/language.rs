//! Telling Korean text from English prose, for the check that a `lang = ko` project
//! speaks Korean everywhere a learner reads: every paragraph, table row and heading of
//! its README, and the comments, docstrings and messages of its code. Technical names
//! (`run`, PyO3, GIL) inside Korean sentences are fine; a piece with no Hangul and three
//! or more English words is English prose.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// Whether `text` holds a Hangul syllable.
pub fn has_hangul(text: &str) -> bool {
    text.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c))
}

/// Whether `piece` is English prose: no Hangul, and three or more English words once
/// code, links and format fields are set aside.
pub fn is_english_prose(piece: &str) -> bool {
    if has_hangul(piece) {
        return false;
    }
    let mut text = String::new();
    let mut skipping: Option<char> = None;
    for c in piece.chars() {
        match (skipping, c) {
            (None, '`') => skipping = Some('`'),
            (None, '{') => skipping = Some('}'),
            (None, '(') if text.ends_with(']') => skipping = Some(')'),
            (Some(end), c) if c == end => skipping = None,
            (Some(_), _) => {}
            (None, c) => text.push(c),
        }
    }
    text.split_whitespace()
        .filter(|word| !word.contains("://") && !word.contains('%'))
        .filter(|word| {
            let letters: String = word.chars().filter(|c| c.is_ascii_alphabetic()).collect();
            letters.len() >= 2 && letters.len() * 2 >= word.chars().count()
        })
        .count()
        >= 3
}

/// The pieces of a Markdown text a reader reads as prose: each paragraph, list item,
/// table row and heading, without the fenced code blocks.
pub fn markdown_prose(markdown: &str) -> Vec<String> {
    let mut pieces: Vec<String> = Vec::new();
    let mut in_fence = false;
    let mut open = false;
    for line in markdown.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            in_fence = !in_fence;
            open = false;
            continue;
        }
        if in_fence || trimmed.is_empty() {
            open = false;
            continue;
        }
        let starts_piece = trimmed.starts_with(['#', '|', '-', '*', '>'])
            || trimmed
                .split_once(". ")
                .is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
        if open && !starts_piece {
            let last = pieces.last_mut().expect("an open piece");
            last.push(' ');
            last.push_str(trimmed);
        } else {
            pieces.push(trimmed.to_owned());
        }
        // A table row or heading is a piece of its own; a paragraph goes on.
        open = !trimmed.starts_with(['#', '|']);
    }
    pieces
}

/// A comment, docstring or string of a Python file, as tests/tools/prose.py finds it
/// with Python's own parser.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Piece {
    /// "comment", "module docstring", "docstring" or "string".
    pub kind: String,
    pub line: usize,
    pub text: String,
    /// The top-level variable whose value holds the string, if any.
    pub assigned_to: Option<String>,
}

/// The pieces of the Python files `paths` (relative to `root`), by path, in one run
/// of tests/tools/prose.py.
pub fn python_pieces(
    root: &Path,
    paths: &[&String],
) -> Result<BTreeMap<String, Vec<Piece>>, String> {
    let mut command = Command::new(crate::tools::tools_interpreter());
    command
        .arg(crate::paths::repo_root().join("tests/tools/prose.py"))
        .args(paths)
        .current_dir(root);
    let output = crate::command::run(&mut command, Duration::from_secs(60), None)
        .map_err(|e| format!("tests/tools/prose.py failed:\n{e}"))?;
    #[derive(serde::Deserialize)]
    struct Output {
        #[serde(default)]
        file: Vec<File>,
    }
    #[derive(serde::Deserialize)]
    struct File {
        path: String,
        #[serde(default)]
        piece: Vec<Piece>,
    }
    let parsed: Output =
        toml::from_str(&output).map_err(|e| format!("tests/tools/prose.py printed {e}"))?;
    Ok(parsed.file.into_iter().map(|f| (f.path, f.piece)).collect())
}

/// The comments of a Rust file (`//`, `///`, `//!`), consecutive lines joined into one
/// piece, as a reader reads a paragraph.
pub fn rust_comments(source: &str) -> Vec<String> {
    let mut pieces: Vec<String> = Vec::new();
    let mut open = false;
    for line in source.lines() {
        let comment = line
            .trim_start()
            .strip_prefix("//")
            .map(|rest| rest.trim_start_matches(['/', '!']).trim());
        match comment {
            Some("") => open = false,
            Some(text) if open => {
                let last = pieces.last_mut().expect("an open piece");
                last.push(' ');
                last.push_str(text);
            }
            Some(text) => {
                pieces.push(text.to_owned());
                open = true;
            }
            None => open = false,
        }
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn korean_sentences_with_technical_names_are_not_english() {
        assert!(!is_english_prose(
            "`pipenv run maturin develop --uv`는 Rust 모듈을 빌드해서 설치합니다."
        ));
    }

    #[test]
    fn an_english_sentence_is_english_even_among_code() {
        assert!(is_english_prose(
            "Run `pipenv run pytest` to check the module against the reference."
        ));
    }

    #[test]
    fn names_links_and_format_fields_are_not_prose() {
        assert!(!is_english_prose("## PyO3 0.30"));
        assert!(!is_english_prose(
            "[PyO3](https://pyo3.rs/v0.30.1/migration.html) `x`"
        ));
        assert!(!is_english_prose("{python}: {seconds:.4f} ({repeat})"));
        assert!(!is_english_prose("| `src/lib.rs` | `Cargo.toml` |"));
    }

    #[test]
    fn markdown_splits_paragraphs_rows_items_and_headings_but_not_code() {
        let markdown = "# Title\n\nOne paragraph\nover two lines.\n\n- an item\n- another\n\n\
                        | a | b |\n| --- | --- |\n\n```bash\nnot prose at all here\n```\n1. first step\n";
        assert_eq!(
            markdown_prose(markdown),
            [
                "# Title",
                "One paragraph over two lines.",
                "- an item",
                "- another",
                "| a | b |",
                "| --- | --- |",
                "1. first step",
            ]
        );
    }

    #[test]
    fn an_english_paragraph_in_a_korean_readme_is_found() {
        let readme = "# 제목\n\n한국어 문단입니다.\n\nThis whole paragraph was left in English.\n";
        let english: Vec<String> = markdown_prose(readme)
            .into_iter()
            .filter(|p| is_english_prose(p))
            .collect();
        assert_eq!(english, ["This whole paragraph was left in English."]);
    }

    #[test]
    fn each_file_of_a_run_keeps_its_f_strings_whole() {
        // Many files in one run of prose.py: what one file's f-strings hold must never
        // be taken for another's (their syntax trees come and go within the run).
        let dir = tempfile::tempdir().unwrap();
        let names: Vec<String> = (0..100).map(|n| format!("f{n}.py")).collect();
        for (n, name) in names.iter().enumerate() {
            let source = format!("x = 1\nprint(f\"file {{x}} number {n} words here\")\n");
            std::fs::write(dir.path().join(name), source).unwrap();
        }
        let found = python_pieces(dir.path(), &names.iter().collect::<Vec<_>>()).unwrap();
        for (n, name) in names.iter().enumerate() {
            let texts: Vec<&str> = found[name].iter().map(|p| p.text.as_str()).collect();
            assert_eq!(
                texts,
                [format!("file {{}} number {n} words here")],
                "{name}"
            );
        }
    }

    #[test]
    fn rust_comments_are_read_as_paragraphs() {
        let source = "//! Crate docs,\n//! two lines.\n\nuse x;\n\n    /// A doc.\n    // A note\n    // over two.\n    //\n    // After a blank.\nfn f() {} // trailing is code\n";
        assert_eq!(
            rust_comments(source),
            [
                "Crate docs, two lines.",
                "A doc. A note over two.",
                "After a blank.",
            ]
        );
    }
}
