//! Parsing and checking one prompt TOML file, with errors that name the line.

use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::{
    DEFAULT_TARGET_SECONDS, MAX_TARGET_SECONDS, MIN_TARGET_SECONDS, Prompt, PromptError, principle,
};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PromptFile {
    #[serde(default)]
    prompt: Vec<RawPrompt>,
}

/// A prompt as written, with spans so checks can name the line.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPrompt {
    id: Spanned<String>,
    principles: Spanned<Vec<String>>,
    text: Spanned<String>,
    follow_ups: Option<Spanned<Vec<String>>>,
    // Signed so a negative value gets our message instead of a serde type error.
    target_seconds: Option<Spanned<i64>>,
    #[serde(default)]
    tags: Vec<String>,
}

/// Parses and checks one prompt file's text; `path` is only named in errors (public for fuzzing).
pub fn parse_file(path: &Path, source: &str) -> Result<Vec<Prompt>, PromptError> {
    let file: PromptFile = toml::from_str(source).map_err(|error| {
        let (line, column) = error
            .span()
            .map_or((1, 1), |span| line_column(source, span.start));
        PromptError::Parse {
            path: path.to_path_buf(),
            line,
            column,
            message: error.message().trim().to_string(),
        }
    })?;
    if file.prompt.is_empty() {
        return Err(PromptError::Empty {
            path: path.to_path_buf(),
        });
    }
    file.prompt
        .into_iter()
        .map(|raw| check(path, source, raw))
        .collect()
}

fn check(path: &Path, source: &str, raw: RawPrompt) -> Result<Prompt, PromptError> {
    let invalid =
        |span: std::ops::Range<usize>, problem: String, fix: String| PromptError::Invalid {
            path: path.to_path_buf(),
            line: line_column(source, span.start).0,
            problem,
            fix,
        };
    let id = raw.id.get_ref().trim().to_string();
    if !is_kebab_case(&id) {
        return Err(invalid(
            raw.id.span(),
            format!("prompt id `{id}` is not kebab-case"),
            "use lowercase letters, digits and single dashes, like `ownership-unowned-problem`"
                .to_string(),
        ));
    }
    if raw.principles.get_ref().is_empty() {
        return Err(invalid(
            raw.principles.span(),
            format!("prompt `{id}` lists no principles"),
            "add at least one slug, like `principles = [\"ownership\"]`".to_string(),
        ));
    }
    let mut principles = Vec::new();
    for given in raw.principles.get_ref() {
        let slug = principle(given)
            .map_err(|error| {
                invalid(
                    raw.principles.span(),
                    format!("prompt `{id}` names unknown principle `{given}`"),
                    format!("use one of: {}", slug_list(&error)),
                )
            })?
            .slug
            .to_string();
        if !principles.contains(&slug) {
            principles.push(slug);
        }
    }
    let text = raw.text.get_ref().trim().to_string();
    if text.is_empty() {
        return Err(invalid(
            raw.text.span(),
            format!("prompt `{id}` has an empty `text`"),
            "write the question the interviewer asks".to_string(),
        ));
    }
    let (follow_ups, follow_ups_span) = match raw.follow_ups {
        Some(spanned) => {
            let span = spanned.span();
            let trimmed = spanned
                .into_inner()
                .iter()
                .map(|f| f.trim().to_string())
                .collect();
            (trimmed, span)
        }
        None => (Vec::new(), 0..0),
    };
    if follow_ups.iter().any(String::is_empty) {
        return Err(invalid(
            follow_ups_span,
            format!("prompt `{id}` has an empty follow-up"),
            "remove the empty string from `follow_ups`".to_string(),
        ));
    }
    let target_seconds = match raw.target_seconds {
        None => DEFAULT_TARGET_SECONDS,
        Some(spanned) => {
            let value = *spanned.get_ref();
            let in_range =
                (i64::from(MIN_TARGET_SECONDS)..=i64::from(MAX_TARGET_SECONDS)).contains(&value);
            if !in_range {
                return Err(invalid(
                    spanned.span(),
                    format!("prompt `{id}` has `target_seconds = {value}`"),
                    format!(
                        "use a whole number of seconds from {MIN_TARGET_SECONDS} to {MAX_TARGET_SECONDS} (90 suits most answers)"
                    ),
                ));
            }
            value as u32
        }
    };
    let tags = raw
        .tags
        .iter()
        .map(|t| t.trim().to_lowercase())
        .filter(|t| !t.is_empty())
        .collect();
    Ok(Prompt {
        id,
        principles,
        text,
        follow_ups,
        target_seconds,
        tags,
    })
}

fn slug_list(error: &PromptError) -> String {
    match error {
        PromptError::UnknownPrinciple { valid, .. } => valid.clone(),
        other => other.to_string(),
    }
}

pub(super) fn is_kebab_case(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && !id.ends_with('-')
        && !id.contains("--")
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(source: &str, offset: usize) -> (usize, usize) {
    let before = source.get(..offset.min(source.len())).unwrap_or(source);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prompts::PromptBank;
    use crate::prompts::test_support::TempDir;

    #[test]
    fn broken_user_file_names_file_line_and_fix() {
        let dir = TempDir::new("broken");
        let path = dir.write(
            "broken.toml",
            "[[prompt]]\nid = \"a-prompt\"\nprinciples = [\"ownership\"]\ntext = \"Unclosed\n",
        );
        let message = PromptBank::load(Some(&dir.0)).unwrap_err().to_string();
        println!("{message}");
        assert!(message.contains(&path.display().to_string()), "{message}");
        assert!(message.contains("line 4"), "{message}");
        assert!(
            message.ends_with("format is described in prompts/README.md"),
            "{message}"
        );

        // A misspelt field is caught too, at its line.
        std::fs::remove_file(&path).unwrap();
        dir.write(
            "typo.toml",
            "[[prompt]]\nid = \"a-prompt\"\nprinciples = [\"ownership\"]\ntext = \"Q?\"\nfollowups = [\"x?\"]\n",
        );
        let message = PromptBank::load(Some(&dir.0)).unwrap_err().to_string();
        println!("{message}");
        assert!(message.contains("typo.toml` line 5"), "{message}");
        assert!(message.contains("followups"), "{message}");
    }

    #[test]
    fn invalid_user_prompts_are_explained() {
        let cases = [
            (
                "principles = [\"ownership\", \"frugalty\"]\ntarget_seconds = 90",
                "line 3: prompt `x-prompt` names unknown principle `frugalty`; use one of: customer-obsession",
            ),
            (
                "principles = [\"ownership\"]\ntarget_seconds = 5000",
                "line 4: prompt `x-prompt` has `target_seconds = 5000`; use a whole number of seconds from 15 to 600",
            ),
            (
                "principles = []",
                "line 3: prompt `x-prompt` lists no principles; add at least one slug",
            ),
        ];
        for (i, (middle, expected)) in cases.iter().enumerate() {
            let dir = TempDir::new(&format!("invalid-{i}"));
            dir.write(
                "p.toml",
                &format!("[[prompt]]\nid = \"x-prompt\"\n{middle}\ntext = \"Q?\"\n"),
            );
            let message = PromptBank::load(Some(&dir.0)).unwrap_err().to_string();
            println!("{message}");
            assert!(
                message.contains(expected),
                "{message}\nexpected: {expected}"
            );
        }
        let dir = TempDir::new("bad-id");
        dir.write(
            "p.toml",
            "[[prompt]]\nid = \"Bad Id\"\nprinciples = [\"ownership\"]\ntext = \"Q?\"\n",
        );
        let message = PromptBank::load(Some(&dir.0)).unwrap_err().to_string();
        assert!(
            message.contains("line 2: prompt id `Bad Id` is not kebab-case; use lowercase"),
            "{message}"
        );

        let dir = TempDir::new("empty");
        dir.write("empty.toml", "# nothing yet\n");
        let message = PromptBank::load(Some(&dir.0)).unwrap_err().to_string();
        assert!(
            message.contains("holds no prompts; add a `[[prompt]]` table"),
            "{message}"
        );
    }

    /// The fuzzer's seeds and every input it once failed on parse or fail with an error.
    #[test]
    fn fuzz_inputs_parse_or_fail_cleanly() {
        let mut parsed = 0;
        for (path, bytes) in crate::fuzz_inputs::fuzz_inputs("prompt_toml") {
            if let Ok(source) = std::str::from_utf8(&bytes) {
                parsed += usize::from(parse_file(&path, source).is_ok());
            }
        }
        assert!(parsed > 0, "no seed parses as a prompt file");
    }

    #[test]
    fn line_column_counts_from_one() {
        assert_eq!(line_column("ab\ncd", 0), (1, 1));
        assert_eq!(line_column("ab\ncd", 4), (2, 2));
        assert_eq!(line_column("ab", 99), (1, 3));
    }
}
