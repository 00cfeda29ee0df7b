//! Telling Korean text from English prose, for the check that a `lang = ko` project
//! speaks Korean everywhere a user reads: every paragraph, table row and heading of
//! its README, and every message of its scripts. Technical names (`run`, PyO3, GIL)
//! inside Korean sentences are fine; a piece with no Hangul and three or more English
//! words is English prose.

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

/// The messages of a script: the string values of its `TEXT`, `CHART` and `COLUMNS`
/// tables (the user-facing text the scripts keep there), each value's implicitly
/// concatenated literals joined.
pub fn python_messages(source: &str) -> Vec<String> {
    let mut messages: Vec<String> = Vec::new();
    // Inside which table: a dict (`"key": value` entries) or a tuple of messages.
    let mut table: Option<bool> = None;
    for line in source.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("TEXT = {") || trimmed.starts_with("CHART = {") {
            table = Some(true);
            continue;
        }
        if let Some(rest) = trimmed.strip_prefix("COLUMNS = (") {
            messages.extend(literals(rest));
            table = (!rest.ends_with(')')).then_some(false);
            continue;
        }
        let Some(is_dict) = table else { continue };
        if line.starts_with('}') || line.starts_with(')') {
            table = None;
            continue;
        }
        let mut found = literals(trimmed);
        if !is_dict {
            messages.extend(found);
            continue;
        }
        // `"key": value`: the key is not a message; the value starts a new one.
        let is_key = trimmed.starts_with('"')
            && trimmed
                .get(found.first().map_or(0, |k| k.len() + 2)..)
                .is_some_and(|rest| rest.starts_with(':'));
        if is_key {
            found.remove(0);
            messages.push(found.concat());
        } else if let Some(last) = messages.last_mut() {
            last.push_str(&found.concat());
        }
    }
    messages.retain(|m| !m.is_empty());
    messages
}

/// The contents of the double-quoted string literals on `line`.
fn literals(line: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c != '"' {
            continue;
        }
        let mut literal = String::new();
        while let Some(c) = chars.next() {
            match c {
                '\\' => literal.extend(chars.next()),
                '"' => break,
                c => literal.push(c),
            }
        }
        found.push(literal);
    }
    found
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
    fn python_messages_are_the_values_of_the_text_tables() {
        let source = r#"
import sys

TEXT = {
    "description": "한국어 설명",
    "hint": (
        "first half, "
        "second \"half\""
    ),
    "columns": "x",
}
COLUMNS = ("방식", "calls")
def main() -> None:
    print("not a message")
"#;
        assert_eq!(
            python_messages(source),
            [
                "한국어 설명",
                "first half, second \"half\"",
                "x",
                "방식",
                "calls"
            ]
        );
    }
}
