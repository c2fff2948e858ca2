//! The prompt bank's types: prompts, principles, weaknesses, filters and errors.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::principle;

/// One question an interviewer might ask, with the follow-ups they might probe with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prompt {
    /// Kebab-case and stable: sessions refer to it.
    pub id: String,
    /// Principle slugs (see [`principles`](super::principles())); the first is the main one.
    pub principles: Vec<String>,
    pub text: String,
    pub follow_ups: Vec<String>,
    /// How long a good spoken answer takes.
    pub target_seconds: u32,
    /// Hints for picking a follow-up (`quantify`, `ownership`, `learning`, `conflict`, ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
}

/// A Leadership Principle: slug for the command line, display name, one-line summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Principle {
    pub slug: &'static str,
    pub name: &'static str,
    pub summary: &'static str,
}

/// What an answer was missing, as found by analysis; used to choose a follow-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Weakness {
    NoNumbers,
    MostlyWe,
    NoLearning,
    TooLong,
    TooShort,
    LongSituation,
    /// No task: what the speaker owned or set out to do is never said.
    NoTask,
    ShortAction,
    None,
}

/// Which prompts to list or pick from. The default matches everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Only prompts mapped to this principle (a slug from [`principles`](super::principles())).
    pub principle: Option<&'static str>,
    /// Only prompts carrying this tag, e.g. `screen`.
    pub tag: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum PromptError {
    #[error("cannot read prompt folder `{}`: {cause}; check that it is a readable folder", path.display())]
    ReadDir {
        path: PathBuf,
        cause: std::io::Error,
    },
    #[error("cannot read prompt file `{}`: {cause}; check that it is readable UTF-8 text", path.display())]
    ReadFile {
        path: PathBuf,
        cause: std::io::Error,
    },
    #[error(
        "`{}` line {line}, column {column}: {message}; fix the TOML there; the format is described in prompts/README.md",
        path.display()
    )]
    Parse {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("`{}` line {line}: {problem}; {fix}", path.display())]
    Invalid {
        path: PathBuf,
        line: usize,
        problem: String,
        fix: String,
    },
    #[error("`{}` holds no prompts; add a `[[prompt]]` table (see prompts/README.md) or remove the file", path.display())]
    Empty { path: PathBuf },
    #[error(
        "prompt id `{id}` is used twice, in `{}` and `{}`; give one of them a different id",
        first.display(),
        second.display()
    )]
    DuplicateId {
        id: String,
        first: PathBuf,
        second: PathBuf,
    },
    #[error("unknown principle `{given}`; use one of: {valid}")]
    UnknownPrinciple { given: String, valid: String },
    #[error("no prompt with id `{id}`{suggestion}; run `rehearse prompts` to list them")]
    UnknownPrompt { id: String, suggestion: String },
}

impl Filter {
    /// Matches every prompt.
    pub fn all() -> Self {
        Self::default()
    }

    /// Prompts for one principle, given by slug or name; unknown names are an error
    /// that lists the valid slugs.
    pub fn for_principle(query: &str) -> Result<Self, PromptError> {
        Ok(Self {
            principle: Some(principle(query)?.slug),
            tag: None,
        })
    }

    pub fn with_tag(mut self, tag: &str) -> Self {
        self.tag = Some(tag.trim().to_lowercase());
        self
    }

    pub fn matches(&self, prompt: &Prompt) -> bool {
        let principle_ok = self
            .principle
            .is_none_or(|slug| prompt.principles.iter().any(|p| p == slug));
        let tag_ok = self
            .tag
            .as_ref()
            .is_none_or(|tag| prompt.tags.iter().any(|t| t == tag));
        principle_ok && tag_ok
    }
}
