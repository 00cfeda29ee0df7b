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

/// Each version number of a Korean text ("3.11", "3.15t") followed by a particle of the
/// wrong form for how it is read: `3.15으로` where 3.15 ("삼 점 일오") ends in a vowel
/// and takes 로. A particle's form follows the last sound of the word before it.
pub fn wrong_particles(text: &str) -> Vec<String> {
    // The last sound of each final character's Korean reading: a vowel, ㄹ, or another
    // consonant. 0 영, 1 일, 2 이, 3 삼, 4 사, 5 오, 6 육, 7 칠, 8 팔, 9 구, t 티.
    let ending = |c: char| match c {
        '2' | '4' | '5' | '9' | 't' => "vowel",
        '1' | '7' | '8' => "ㄹ",
        _ => "consonant",
    };
    // (after a consonant, after a vowel); after ㄹ, 로 as after a vowel, else the first.
    const PAIRS: [(&str, &str); 5] = [
        ("으로", "로"),
        ("과", "와"),
        ("은", "는"),
        ("이", "가"),
        ("을", "를"),
    ];
    let chars: Vec<char> = text.chars().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let starts = chars[i].is_ascii_digit()
            && (i == 0 || !(chars[i - 1].is_ascii_digit() || chars[i - 1] == '.'));
        if !starts {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len()
            && (chars[i].is_ascii_digit()
                || (chars[i] == '.' && i + 1 < chars.len() && chars[i + 1].is_ascii_digit()))
        {
            i += 1;
        }
        if i < chars.len() && chars[i] == 't' {
            i += 1;
        }
        let number: String = chars[start..i].iter().collect();
        if !number.contains('.') {
            continue;
        }
        let rest: String = chars[i..chars.len().min(i + 3)].iter().collect();
        for (consonant, vowel) in PAIRS {
            for particle in [consonant, vowel] {
                let after = rest.strip_prefix(particle).and_then(|r| r.chars().next());
                if !rest.starts_with(particle) || after.is_some_and(|c| has_hangul(&c.to_string()))
                {
                    continue;
                }
                let want = match (ending(*chars.get(i - 1).unwrap()), consonant) {
                    ("vowel", _) | ("ㄹ", "으로") => vowel,
                    _ => consonant,
                };
                if particle != want {
                    found.push(format!(
                        "{number}{particle} (read as it ends, {number}{want})"
                    ));
                }
            }
        }
    }
    found
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
    fn a_version_takes_the_particle_of_its_last_sound() {
        // From how each is read: 3.15 삼 점 일오, 3.11 일일, 3.13 일삼, 3.10 일영, 3.15t 티.
        let right = "파이썬 3.15로, 3.11로, 3.13으로, 3.10으로 빌드하고 3.12와 3.14t를, 3.9가 \
                     3.11이 3.13은 3.15는 3.15t와 pypy3.11을 씁니다. 3.9 이후, 3.11에서, 3.11부터.";
        assert_eq!(wrong_particles(right), Vec::<String>::new());
        let wrong = "3.15으로 3.11으로 3.13로 3.12과 3.15t과 3.13는 pypy3.11를 3.9이";
        let found: Vec<String> = wrong_particles(wrong)
            .iter()
            .map(|f| f.split(' ').next().unwrap().to_owned())
            .collect();
        assert_eq!(
            found,
            [
                "3.15으로",
                "3.11으로",
                "3.13로",
                "3.12과",
                "3.15t과",
                "3.13는",
                "3.11를",
                "3.9이"
            ]
        );
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
