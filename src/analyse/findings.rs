//! What the analysis found, stated once, as data: the answer is too short,
//! the action is thin, the result has no number, fillers are high... The
//! advice lines, the report's card colours and the follow-up question all
//! derive from this list, so no two of them can disagree; the thresholds are
//! the [`AnalysisConfig`]'s and the rules are here, nowhere else.

use serde::{Deserialize, Serialize};

use super::config::AnalysisConfig;
use super::types::{Analysis, Label};

/// Most important first: length, structure, the content interviewers probe,
/// then delivery.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Finding {
    NoSpeech,
    TooShort {
        answer_s: f64,
        min_s: f64,
        max_s: f64,
    },
    TooLong {
        answer_s: f64,
        max_s: f64,
    },
    NoActions {
        target: f64,
    },
    ActionThin {
        share: f64,
        target: f64,
    },
    /// Result (with the learning, unless that is judged on its own) missing.
    NoResult,
    ResultThin {
        share: f64,
        target: f64,
    },
    /// Situation or task well over its share.
    SectionLong {
        label: Label,
        share: f64,
        target: f64,
        seconds: f64,
    },
    LearningLong {
        share: f64,
        seconds: f64,
    },
    NoContext,
    /// Situation or task has no time while the other has some (neither:
    /// [`Finding::NoContext`]).
    SectionMissing {
        label: Label,
    },
    StartsWithAction,
    ResultNotQuantified,
    /// The actions do not say "I" more than "we" (or say neither).
    MostlyWe {
        we: usize,
        i: usize,
    },
    NoLearning,
    Blame {
        phrases: Vec<String>,
    },
    Hedges {
        words: Vec<String>,
    },
    FillersHigh {
        share: f64,
        total: usize,
        most_often: Option<String>,
        most_often_count: usize,
    },
    PaceFast {
        wpm: f64,
        min_wpm: f64,
        max_wpm: f64,
    },
    PaceSlow {
        wpm: f64,
        min_wpm: f64,
        max_wpm: f64,
    },
    LongPauses {
        at_s: Vec<f64>,
    },
}

/// One long pause is a moment to think, which an interviewer expects; a
/// second one, or one this long, is the story not yet known by heart, and
/// gets advice. Every long pause is still shown where it fell.
const PAUSES_FOR_ADVICE: usize = 2;
const FROZEN_PAUSE_S: f64 = 4.0;

/// How far a section may run past its target share before it is a finding.
const SECTION_SLACK: f64 = 0.10;
/// Action may fall this far under its target share.
const ACTION_SLACK: f64 = 0.15;
/// The lowest action share the feedback accepts for this target share.
pub fn action_share_accepted(target_action: f64) -> f64 {
    target_action - ACTION_SLACK
}

/// Pace is judged only on answers at least this long.
const PACE_MIN_ANSWER_S: f64 = 10.0;

/// The findings of an analysis whose measurements are filled in.
fn find(a: &Analysis, config: &AnalysisConfig) -> Vec<Finding> {
    if a.words == 0 {
        return vec![Finding::NoSpeech];
    }
    let mut out = Vec::new();
    // Judged as shown: whole seconds.
    let shown_s = crate::format::whole_seconds(a.answer_s);
    if shown_s < a.window.min_s {
        out.push(Finding::TooShort {
            answer_s: a.answer_s,
            min_s: a.window.min_s,
            max_s: a.window.max_s,
        });
    } else if shown_s > a.window.max_s {
        out.push(Finding::TooLong {
            answer_s: a.answer_s,
            max_s: a.window.max_s,
        });
    }
    structure(a, &mut out);
    content(a, &mut out);
    delivery(a, config, &mut out);
    out
}

fn structure(a: &Analysis, out: &mut Vec<Finding>) {
    let star = &a.star;
    let (shares, target) = (star.shares, star.target);
    // With learning folded into result, both are judged together.
    let folded = target.learning <= 0.0;
    let result_share = if folded {
        shares.result + shares.learning
    } else {
        shares.result
    };
    if shares.action <= 0.0 {
        out.push(Finding::NoActions {
            target: target.action,
        });
    } else if shares.action < action_share_accepted(target.action) {
        out.push(Finding::ActionThin {
            share: shares.action,
            target: target.action,
        });
    }
    if result_share <= 0.0 {
        out.push(Finding::NoResult);
    } else if result_share < target.result - SECTION_SLACK {
        out.push(Finding::ResultThin {
            share: result_share,
            target: target.result,
        });
    }
    for label in [Label::Situation, Label::Task] {
        let (share, goal) = (shares.get(label), target.get(label));
        if share > goal + SECTION_SLACK {
            out.push(Finding::SectionLong {
                label,
                share,
                target: goal,
                seconds: share * a.answer_s,
            });
        }
    }
    if !folded && shares.learning > target.learning + SECTION_SLACK {
        out.push(Finding::LearningLong {
            share: shares.learning,
            seconds: shares.learning * a.answer_s,
        });
    }
    if star.sections.is_empty() {
        return;
    }
    if shares.situation + shares.task <= 0.0 {
        out.push(Finding::NoContext);
        return;
    }
    for label in [Label::Situation, Label::Task] {
        if shares.get(label) <= 0.0 && target.get(label) > 0.0 {
            out.push(Finding::SectionMissing { label });
        }
    }
    // With no situation at all, its advice already says to open with one.
    let situation_missing = out.contains(&Finding::SectionMissing {
        label: Label::Situation,
    });
    if star.sections.first().map(|s| s.label) == Some(Label::Action) && !situation_missing {
        out.push(Finding::StartsWithAction);
    }
}

fn content(a: &Analysis, out: &mut Vec<Finding>) {
    let c = &a.checks;
    if a.star.shares.result + a.star.shares.learning > 0.0 && !c.quantified_result {
        out.push(Finding::ResultNotQuantified);
    }
    if !(c.i_count >= c.we_count && c.i_count > 0) {
        out.push(Finding::MostlyWe {
            we: c.we_count,
            i: c.i_count,
        });
    }
    if !c.has_learning {
        out.push(Finding::NoLearning);
    }
    if !c.blame.is_empty() {
        out.push(Finding::Blame {
            phrases: c.blame.clone(),
        });
    }
    if !c.hedges.is_empty() {
        out.push(Finding::Hedges {
            words: c.hedges.clone(),
        });
    }
}

fn delivery(a: &Analysis, config: &AnalysisConfig, out: &mut Vec<Finding>) {
    let f = &a.fillers;
    if f.total > 0 && f.share_of_words > config.filler_share_warn {
        let most = f.by_word.iter().max_by_key(|(_, n)| **n);
        out.push(Finding::FillersHigh {
            share: f.share_of_words,
            total: f.total,
            most_often: most.map(|(w, _)| w.clone()),
            most_often_count: most.map_or(0, |(_, n)| *n),
        });
    }
    if a.answer_s >= PACE_MIN_ANSWER_S {
        let (wpm, min_wpm, max_wpm) =
            (a.words_per_minute, config.pace_min_wpm, config.pace_max_wpm);
        if wpm > max_wpm {
            out.push(Finding::PaceFast {
                wpm,
                min_wpm,
                max_wpm,
            });
        } else if wpm < min_wpm {
            out.push(Finding::PaceSlow {
                wpm,
                min_wpm,
                max_wpm,
            });
        }
    }
    let freeze = a
        .pauses
        .iter()
        .any(|p| p.end_s - p.start_s >= FROZEN_PAUSE_S);
    if a.pauses.len() >= PAUSES_FOR_ADVICE || freeze {
        out.push(Finding::LongPauses {
            at_s: a.pauses.iter().map(|p| p.start_s).collect(),
        });
    }
}

/// The part of the answer a finding is about: what a view colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aspect {
    Length,
    Action,
    Structure,
    Content,
    Fillers,
    Pace,
    Pauses,
}

/// The content checks a view ticks or crosses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    NumbersInResult,
    Learning,
    FirstPerson,
    NoHedges,
    NoBlame,
}

impl Check {
    pub const ALL: [Check; 5] = [
        Check::NumbersInResult,
        Check::Learning,
        Check::FirstPerson,
        Check::NoHedges,
        Check::NoBlame,
    ];
}

/// A take with less speech than this (first word to last) is no answer: a
/// false start or a test of the microphone. It is kept and listed, but left
/// out of progress, stories and `report last`.
pub const MIN_ANSWER_SPEECH_S: f64 = 5.0;

impl Analysis {
    /// Whether the take holds an answer at all: any words, over
    /// [`MIN_ANSWER_SPEECH_S`] of them.
    pub fn is_an_answer(&self) -> bool {
        self.words > 0 && self.answer_s >= MIN_ANSWER_SPEECH_S
    }

    /// States the findings of the measurements (and their advice), replacing
    /// any from before.
    pub fn conclude(&mut self, config: &AnalysisConfig) {
        self.findings = find(self, config);
        self.feedback = self.findings.iter().map(Finding::advice).collect();
    }

    /// Whether any finding is about `aspect`: the one test every view's
    /// verdict and colour uses.
    pub fn flags(&self, aspect: Aspect) -> bool {
        self.findings.iter().any(|f| f.aspect() == aspect)
    }

    /// The STAR sections the findings say the answer left out, in STAR
    /// order: what every view lists as missing. The learning has its own
    /// check ([`Check::Learning`]), so it is not listed here.
    pub fn missing_sections(&self) -> Vec<Label> {
        let missing = |label: Label| {
            self.findings.iter().any(|f| match f {
                Finding::NoContext => matches!(label, Label::Situation | Label::Task),
                Finding::SectionMissing { label: left_out } => *left_out == label,
                Finding::NoActions { .. } => label == Label::Action,
                Finding::NoResult => label == Label::Result,
                _ => false,
            })
        };
        Label::ALL.into_iter().filter(|&l| missing(l)).collect()
    }

    /// Whether a content check passed: no finding says otherwise, and there
    /// was speech to check (a silent take passes nothing).
    pub fn passes(&self, check: Check) -> bool {
        !self.findings.iter().any(|f| match f {
            Finding::NoSpeech => true,
            f => Self::fails(f, check),
        })
    }

    fn fails(f: &Finding, check: Check) -> bool {
        match check {
            Check::NumbersInResult => {
                matches!(f, Finding::ResultNotQuantified | Finding::NoResult)
            }
            Check::Learning => matches!(f, Finding::NoLearning),
            Check::FirstPerson => matches!(f, Finding::MostlyWe { .. }),
            Check::NoHedges => matches!(f, Finding::Hedges { .. }),
            Check::NoBlame => matches!(f, Finding::Blame { .. }),
        }
    }
}

impl Finding {
    /// Where this kind of finding stands in the enum's order, most important
    /// first: how findings from different answers are ranked against each other.
    pub fn importance(&self) -> usize {
        match self {
            Finding::NoSpeech => 0,
            Finding::TooShort { .. } => 1,
            Finding::TooLong { .. } => 2,
            Finding::NoActions { .. } => 3,
            Finding::ActionThin { .. } => 4,
            Finding::NoResult => 5,
            Finding::ResultThin { .. } => 6,
            Finding::SectionLong { .. } => 7,
            Finding::LearningLong { .. } => 8,
            Finding::NoContext => 9,
            Finding::SectionMissing { .. } => 10,
            Finding::StartsWithAction => 11,
            Finding::ResultNotQuantified => 12,
            Finding::MostlyWe { .. } => 13,
            Finding::NoLearning => 14,
            Finding::Blame { .. } => 15,
            Finding::Hedges { .. } => 16,
            Finding::FillersHigh { .. } => 17,
            Finding::PaceFast { .. } => 18,
            Finding::PaceSlow { .. } => 19,
            Finding::LongPauses { .. } => 20,
        }
    }

    pub fn aspect(&self) -> Aspect {
        match self {
            Finding::NoSpeech | Finding::TooShort { .. } | Finding::TooLong { .. } => {
                Aspect::Length
            }
            Finding::NoActions { .. } | Finding::ActionThin { .. } => Aspect::Action,
            Finding::NoResult
            | Finding::ResultThin { .. }
            | Finding::SectionLong { .. }
            | Finding::LearningLong { .. }
            | Finding::NoContext
            | Finding::SectionMissing { .. }
            | Finding::StartsWithAction => Aspect::Structure,
            Finding::ResultNotQuantified
            | Finding::MostlyWe { .. }
            | Finding::NoLearning
            | Finding::Blame { .. }
            | Finding::Hedges { .. } => Aspect::Content,
            Finding::FillersHigh { .. } => Aspect::Fillers,
            Finding::PaceFast { .. } | Finding::PaceSlow { .. } => Aspect::Pace,
            Finding::LongPauses { .. } => Aspect::Pauses,
        }
    }

    /// What to do about it: the end of both advice lines, so a take's advice
    /// and a loop's advice say the same thing. Empty for findings whose advice
    /// is one piece (see [`Finding::advice`]).
    fn remedy(&self) -> &'static str {
        match self {
            // Not "and a measured result": the result may already have its
            // number, and a missing one is its own finding.
            Finding::TooShort { .. } => "add the steps you took, and why.",
            Finding::TooLong { .. } => "trim the setup and keep the actions.",
            Finding::NoActions { .. } | Finding::ActionThin { .. } => {
                "say what you did, step by step."
            }
            Finding::ResultThin { .. } => "say what changed and how you knew.",
            Finding::SectionLong { .. } => "a sentence or two.",
            Finding::LearningLong { .. } => "one or two sentences are enough.",
            Finding::MostlyWe { .. } => "say what you did yourself.",
            Finding::Blame { .. } => "own your part and say what you changed.",
            Finding::Hedges { .. } => "say exactly what happened.",
            Finding::FillersHigh { .. } => "pause silently instead.",
            Finding::PaceFast { .. } => "let key numbers land.",
            Finding::PaceSlow { .. } => "rehearse the story until it flows.",
            Finding::LongPauses { .. } => "know your next step before you start.",
            Finding::NoSpeech
            | Finding::NoResult
            | Finding::NoContext
            | Finding::SectionMissing { .. }
            | Finding::StartsWithAction
            | Finding::ResultNotQuantified
            | Finding::NoLearning => "",
        }
    }

    /// The advice for a finding that came up in several answers: the same
    /// point without one answer's measurements (the targets stay; they are the
    /// same for every answer).
    pub fn advice_in_general(&self) -> String {
        use crate::format::{percent, range, whole};
        let remedy = self.remedy();
        match self {
            Finding::TooShort { .. } => format!("Answers ran short of the window: {remedy}"),
            Finding::TooLong { .. } => format!("Answers ran past the window: {remedy}"),
            Finding::NoActions { target } | Finding::ActionThin { target, .. } => format!(
                "Action fell short of about {} of the answer: {remedy}",
                percent(*target)
            ),
            Finding::ResultThin { target, .. } => format!(
                "Result fell short of about {} of the answer: {remedy}",
                percent(*target)
            ),
            Finding::SectionLong { .. } => {
                format!("The setup (situation or task) ran long: keep each to {remedy}")
            }
            Finding::LearningLong { .. } => format!("Learning ran long: {remedy}"),
            Finding::MostlyWe { .. } => {
                format!("Your actions said \"we\" more than \"I\": {remedy}")
            }
            Finding::Blame { .. } => format!("Some phrases sounded like blame: {remedy}"),
            Finding::Hedges { .. } => format!("Vague or hedging words came up: {remedy}"),
            Finding::FillersHigh { .. } => format!("Fillers ran high: {remedy}"),
            Finding::PaceFast {
                min_wpm, max_wpm, ..
            } => format!(
                "The pace ran fast: slow to about {} words per minute and {remedy}",
                range(&whole(*min_wpm), &whole(*max_wpm))
            ),
            Finding::PaceSlow {
                min_wpm, max_wpm, ..
            } => format!(
                "The pace ran slow: aim for {} words per minute; {remedy}",
                range(&whole(*min_wpm), &whole(*max_wpm))
            ),
            Finding::LongPauses { .. } => format!("Long pauses came up: {remedy}"),
            // These say nothing about one answer's measurements.
            Finding::NoSpeech
            | Finding::NoResult
            | Finding::NoContext
            | Finding::SectionMissing { .. }
            | Finding::StartsWithAction
            | Finding::ResultNotQuantified
            | Finding::NoLearning => self.advice(),
        }
    }

    /// The advice line, concrete and short.
    pub fn advice(&self) -> String {
        use crate::format::{clock, percent, quoted, range, whole, whole_seconds};
        let remedy = self.remedy();
        match self {
            Finding::NoSpeech => {
                "No speech was found; check the microphone level and record the answer again.".into()
            }
            Finding::TooShort {
                answer_s,
                min_s,
                max_s,
            } => format!(
                "The answer took {} s; aim for {} s: {remedy}",
                whole(whole_seconds(*answer_s)),
                range(&whole(*min_s), &whole(*max_s))
            ),
            Finding::TooLong { answer_s, max_s } => format!(
                "The answer took {} s; aim for at most {} s: {remedy}",
                whole(whole_seconds(*answer_s)),
                whole(*max_s)
            ),
            Finding::NoActions { target } => format!(
                "No actions were found: say what you did yourself, step by step; that should be about {} of the answer.",
                percent(*target)
            ),
            Finding::ActionThin { share, target } => format!(
                "Action is only {} of the answer; interviewers expect about {}: {remedy}",
                percent(*share),
                percent(*target)
            ),
            Finding::NoResult => {
                "The answer has no result: end with what changed, with a number (before -> after)."
                    .into()
            }
            Finding::ResultThin { share, target } => format!(
                "Result is only {} of the answer; aim for about {}: {remedy}",
                percent(*share),
                percent(*target)
            ),
            Finding::SectionLong {
                label,
                share,
                target,
                seconds,
            } => format!(
                "{} is {} of the answer ({} s); keep it to about {}: {remedy}",
                label.title(),
                percent(*share),
                whole(*seconds),
                percent(*target)
            ),
            Finding::LearningLong { share, seconds } => format!(
                "Learning is {} of the answer ({} s); {remedy}",
                percent(*share),
                whole(*seconds)
            ),
            Finding::NoContext => {
                "There is no context: open with one or two sentences on the situation and your goal."
                    .into()
            }
            Finding::SectionMissing {
                label: Label::Situation,
            } => "There is no situation: open with a sentence or two on where you were and what was at stake.".into(),
            Finding::SectionMissing { .. } => {
                "There is no task: say in one sentence what you owned or set out to do, before the actions.".into()
            }
            Finding::StartsWithAction => {
                "The answer starts with actions: give one or two sentences of context first.".into()
            }
            Finding::ResultNotQuantified => {
                "Put a number on the result: before -> after, a percentage, or time or money saved."
                    .into()
            }
            Finding::MostlyWe { we: 0, i: 0 } => {
                format!("Your actions never say \"I\": {remedy}")
            }
            Finding::MostlyWe { we, i } => {
                format!("Your actions say \"we\" {we} times and \"I\" {i} times; {remedy}")
            }
            Finding::NoLearning => {
                "Close with a learning: what you would do differently, or what you do now because of it.".into()
            }
            Finding::Blame { phrases } => {
                format!("{} sounds like blame: {remedy}", quoted(phrases))
            }
            Finding::Hedges { words } => {
                format!("Vague or hedging words: {}; {remedy}", quoted(words))
            }
            Finding::FillersHigh {
                share,
                total,
                most_often,
                most_often_count,
            } => format!(
                "Fillers are {} of your words ({total}{}); {remedy}",
                percent(*share),
                most_often
                    .as_ref()
                    .map(|w| format!(", most often {} ×{most_often_count}", quoted(std::slice::from_ref(w))))
                    .unwrap_or_default()
            ),
            Finding::PaceFast {
                wpm,
                min_wpm,
                max_wpm,
            } => format!(
                "{} words per minute is fast; slow to about {} and {remedy}",
                whole(*wpm),
                range(&whole(*min_wpm), &whole(*max_wpm))
            ),
            Finding::PaceSlow {
                wpm,
                min_wpm,
                max_wpm,
            } => format!(
                "{} words per minute is slow; aim for {}: {remedy}",
                whole(*wpm),
                range(&whole(*min_wpm), &whole(*max_wpm))
            ),
            Finding::LongPauses { at_s } => format!(
                "{} long pause{} (at {}); {remedy}",
                at_s.len(),
                if at_s.len() == 1 { "" } else { "s" },
                at_s.iter()
                    .take(3)
                    .map(|&s| clock(s))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}
