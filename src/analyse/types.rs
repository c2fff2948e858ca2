//! The analysis of one answer: what `rehearse analyse --json` prints and what a
//! session stores. Times in seconds (floats), as documented in the README.
//!
//! Words are referred to by their index in the transcript: the position in
//! `Transcript::words()`, counting every word Whisper wrote (markers and bare
//! punctuation included). Views join the analysis to the transcript by these
//! indices only, never by time.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Bumped whenever a field changes meaning or disappears.
/// 2: word indices (sentence ranges, filler and pause positions), `answer_s`
/// (was `speaking_s`) judges the window, sentences no longer split at window edges.
/// 3: `findings`, from which `feedback` and the views' verdicts derive.
/// 4: no acoustic "possible" fillers (voiced sound in word gaps): on the
/// corpus 86 % of them were no filler, so they are no longer listed.
/// 5: the same fields; blame is read with its subject and negation, the pace
/// points run from the first word to the last, "and so" is no filler. A take
/// stored before is re-analysed when a view opens it, so no view shows the
/// old verdicts.
/// 6: the same fields; a filler is not listed again as a hedge, and the
/// "like" and "I mean" rules read more uses.
pub const ANALYSIS_SCHEMA_VERSION: u32 = 6;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    pub schema_version: u32,
    /// Length of the recording, silence before the first and after the last word included.
    pub duration_s: f64,
    /// Length of the answer: first word to last word. Judged against the window.
    #[serde(alias = "speaking_s")]
    pub answer_s: f64,
    /// Spoken words, fillers included.
    pub words: usize,
    pub words_per_minute: f64,
    /// Whether `answer_s` lies inside the configured window (60–120 s by default).
    pub in_window: bool,
    pub window: TimeWindow,
    /// Words per minute over a rolling window, one point per step.
    pub pace: Vec<PacePoint>,
    pub pauses: Vec<Pause>,
    pub fillers: Fillers,
    pub star: Star,
    pub sentences: Vec<Sentence>,
    pub checks: Checks,
    /// What the measurements amount to, most important first: the advice,
    /// the views' verdicts and the follow-up derive from these.
    #[serde(default)]
    pub findings: Vec<super::Finding>,
    /// The findings' advice, one line each, in the same order.
    pub feedback: Vec<String>,
    pub transcript: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TimeWindow {
    pub min_s: f64,
    pub max_s: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PacePoint {
    /// Centre of the rolling window.
    pub at_s: f64,
    pub words_per_minute: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Pause {
    pub start_s: f64,
    pub end_s: f64,
    /// Transcript index of the word the pause follows.
    #[serde(default)]
    pub after_word: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fillers {
    /// Certain fillers only.
    pub total: usize,
    pub per_minute: f64,
    /// `total` over all spoken words, 0..=1.
    pub share_of_words: f64,
    /// Certain fillers by normalised word ("um", "you know").
    pub by_word: BTreeMap<String, usize>,
    /// Hesitation sounds Whisper doubted, glued to the word before ("told him
    /// mm"): listed in `items` with `certain: false`, not counted in `total`.
    pub possible: usize,
    /// Certain and possible fillers in time order.
    pub items: Vec<FillerItem>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FillerItem {
    pub word: String,
    pub start_s: f64,
    pub certain: bool,
    /// Transcript index of the filler's first word; `None` only in analyses
    /// stored before schema 4, which also listed voiced sound in word gaps.
    #[serde(default)]
    pub word_index: Option<usize>,
    /// How many transcript words the filler spans ("you know": 2); `None`
    /// as `word_index`.
    #[serde(default)]
    pub word_count: Option<usize>,
}

impl FillerItem {
    /// The transcript word indices this filler covers (empty without `word_index`).
    pub fn word_range(&self) -> std::ops::Range<usize> {
        match (self.word_index, self.word_count) {
            (Some(first), Some(count)) => first..first + count,
            _ => 0..0,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Label {
    Situation,
    Task,
    Action,
    Result,
    Learning,
}

impl Label {
    pub const ALL: [Label; 5] = [
        Label::Situation,
        Label::Task,
        Label::Action,
        Label::Result,
        Label::Learning,
    ];

    /// `S`, the section's initial, as the views and the sentence model's
    /// feature names abbreviate it.
    pub fn letter(self) -> &'static str {
        &self.title()[..1]
    }

    /// `Situation`, for the start of a sentence or a heading.
    pub fn title(self) -> &'static str {
        match self {
            Label::Situation => "Situation",
            Label::Task => "Task",
            Label::Action => "Action",
            Label::Result => "Result",
            Label::Learning => "Learning",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Label::Situation => "situation",
            Label::Task => "task",
            Label::Action => "action",
            Label::Result => "result",
            Label::Learning => "learning",
        }
    }
}

/// Fractions of speaking time per section, 0..=1.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Shares {
    pub situation: f64,
    pub task: f64,
    pub action: f64,
    pub result: f64,
    pub learning: f64,
}

impl Shares {
    pub fn get(&self, label: Label) -> f64 {
        match label {
            Label::Situation => self.situation,
            Label::Task => self.task,
            Label::Action => self.action,
            Label::Result => self.result,
            Label::Learning => self.learning,
        }
    }

    pub fn set(&mut self, label: Label, value: f64) {
        match label {
            Label::Situation => self.situation = value,
            Label::Task => self.task = value,
            Label::Action => self.action = value,
            Label::Result => self.result = value,
            Label::Learning => self.learning = value,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Star {
    pub shares: Shares,
    /// The target split used for feedback (learning folded into result by default).
    pub target: Shares,
    /// Contiguous runs of sentences with one label, in time order.
    pub sections: Vec<Section>,
    /// Sections with no time at all, in STAR order.
    pub missing: Vec<Label>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    pub label: Label,
    pub start_s: f64,
    pub end_s: f64,
    pub seconds: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sentence {
    pub text: String,
    pub start_s: f64,
    pub end_s: f64,
    pub label: Label,
    /// Transcript index of the sentence's first word.
    #[serde(default)]
    pub first_word: usize,
    /// Transcript index one past its last word. The sentences' ranges cover
    /// every transcript word exactly once, in order.
    #[serde(default)]
    pub end_word: usize,
}

impl Sentence {
    pub fn words(&self) -> std::ops::Range<usize> {
        self.first_word..self.end_word
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Checks {
    /// First-person singular ("I", "I'm", "me", "my") in action sentences.
    pub i_count: usize,
    /// First-person plural ("we", "we're", "us", "our") in action sentences.
    pub we_count: usize,
    pub quantified_result: bool,
    pub has_learning: bool,
    /// Vague or hedging words found ("kind of helped", "I think", "stuff").
    pub hedges: Vec<String>,
    /// Phrases that put the blame on others.
    pub blame: Vec<String>,
}
