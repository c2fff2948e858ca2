//! What an answer to a follow-up question needs. A follow-up ("What was your
//! specific role?", "How did you measure it?") asks for one thing, so its
//! answer is judged on length, specifics and ownership rather than on STAR
//! structure: within [`FOLLOW_UP_WINDOW_S`](super::FOLLOW_UP_WINDOW_S) (the
//! window a follow-up take is analysed against), with a number or measure in
//! it, and told with "I".

use serde::{Deserialize, Serialize};

use super::checks::quantified;
use super::lexicon::{FIRST_PLURAL, FIRST_SINGULAR};
use super::text::normalise;
use super::types::Analysis;
use crate::format;

/// The verdict on one follow-up answer, derived from its analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FollowUpAnswer {
    /// First word to last.
    pub answer_s: f64,
    /// The window it was judged against.
    pub min_s: f64,
    pub max_s: f64,
    /// Inside the window, as the analysis judged it.
    pub length_ok: bool,
    /// A number, an amount or a measure anywhere in the answer.
    pub specific: bool,
    /// "I", "me", "my" in the whole answer ("I mean" as a filler not counted).
    pub i_count: usize,
    /// "we", "us", "our" in the whole answer.
    pub we_count: usize,
    /// Says "I" at least once and at least as often as "we".
    pub owned: bool,
    pub fillers_per_minute: f64,
}

/// The three things a follow-up answer is judged on.
pub const FOLLOW_UP_CHECKS: usize = 3;

impl FollowUpAnswer {
    pub fn judge(analysis: &Analysis) -> Self {
        let words: Vec<String> = analysis
            .transcript
            .split_whitespace()
            .map(normalise)
            .filter(|word| !word.is_empty())
            .collect();
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        let count = |list: &[&str]| words.iter().filter(|w| list.contains(w)).count();
        let i_mean_fillers = analysis.fillers.by_word.get("i mean").copied().unwrap_or(0);
        let i_count = count(FIRST_SINGULAR).saturating_sub(i_mean_fillers);
        let we_count = count(FIRST_PLURAL);
        Self {
            answer_s: analysis.answer_s,
            min_s: analysis.window.min_s,
            max_s: analysis.window.max_s,
            length_ok: analysis.in_window,
            specific: quantified(&words),
            i_count,
            we_count,
            owned: i_count > 0 && i_count >= we_count,
            fillers_per_minute: analysis.fillers.per_minute,
        }
    }

    /// How many of the [`FOLLOW_UP_CHECKS`] passed.
    pub fn passed(&self) -> usize {
        [self.length_ok, self.specific, self.owned]
            .into_iter()
            .filter(|&ok| ok)
            .count()
    }

    /// One line of advice per check that failed, most important first.
    pub fn advice(&self) -> Vec<String> {
        let mut out = Vec::new();
        let (answer, max) = (
            format::duration(self.answer_s),
            format::duration(self.max_s),
        );
        if !self.length_ok && self.answer_s < self.min_s {
            out.push(format!(
                "Too short to answer the question ({answer}): give one concrete detail, {}.",
                format::durations(self.min_s, self.max_s)
            ));
        } else if !self.length_ok {
            out.push(format!(
                "Long for a follow-up ({answer}): answer the question asked in under {max}."
            ));
        }
        if !self.specific {
            out.push("No number or measure: name one (how many, how much, how long).".into());
        }
        if !self.owned {
            out.push(format!(
                "Say what you did: \"I\" {} times, \"we\" {} times.",
                self.i_count, self.we_count
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyse::testutil::answer;
    use crate::analyse::{AnalysisConfig, analyse};

    fn judged(sentences: &[&str]) -> FollowUpAnswer {
        FollowUpAnswer::judge(&analyse(&answer(sentences), &AnalysisConfig::default()))
    }

    #[test]
    fn a_specific_owned_answer_passes_and_a_vague_team_answer_does_not() {
        let good = judged(&[
            "I wrote the retry logic myself and I paired with the on-call engineer.",
            "I measured the error rate before and after.",
            "It dropped from four percent to under half a percent within two weeks.",
        ]);
        assert!(good.specific && good.owned, "{good:?}");
        assert!(good.i_count >= 4, "{good:?}");

        let vague = judged(&[
            "We worked on it together as a team and we fixed it.",
            "Our customers were happier afterwards.",
        ]);
        assert!(!vague.specific && !vague.owned, "{vague:?}");
        assert_eq!(vague.we_count, 3, "{vague:?}");
        assert!(
            vague
                .advice()
                .iter()
                .any(|line| line.contains("\"we\" 3 times"))
        );
    }

    #[test]
    fn i_mean_as_a_filler_is_not_ownership() {
        let answer = judged(&["I mean, we shipped it, I mean, we did."]);
        let fillers = answer.i_count + answer.we_count;
        assert!(
            answer.we_count == 2 && !answer.owned,
            "{answer:?} ({fillers})"
        );
    }

    /// A length shown as the minimum is inside the window, whatever its
    /// fraction: the verdict never says "0:15 ✗" against a 15 s minimum.
    #[test]
    fn the_verdict_judges_the_length_as_shown() {
        use crate::analyse::testutil::transcript;
        // The answer runs from the first word's start to the last word's end (+250 ms).
        for (last_word_ms, inside) in [
            (14_150, false),
            (14_350, true),
            (60_150, true),
            (60_350, false),
        ] {
            let spoken = transcript(&format!(
                "I@0 measured@400 nine@800 percent.@{last_word_ms}"
            ));
            let analysis = analyse(&spoken, &AnalysisConfig::for_follow_up());
            let verdict = FollowUpAnswer::judge(&analysis);
            assert_eq!(verdict.length_ok, inside, "{} s", analysis.answer_s);
            let shown = format::duration(analysis.answer_s);
            assert_eq!(
                verdict.advice().iter().any(|a| a.contains(&shown)),
                !inside,
                "{shown}"
            );
        }
    }
}
