//! Knobs of the analysis stage. Every threshold is a rule of thumb from the
//! guidance (see the README), so all of them can be overridden from config.

use serde::{Deserialize, Serialize};

use super::types::Shares;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AnalysisConfig {
    /// Shortest recommended answer.
    pub window_min_s: f64,
    /// Longest recommended answer.
    pub window_max_s: f64,
    /// A silence between two words at least this long is reported as a pause.
    pub long_pause_s: f64,
    /// Width of the rolling pace window.
    pub pace_window_s: f64,
    /// Distance between two rolling pace points.
    pub pace_step_s: f64,
    /// Comfortable pace band for feedback.
    pub pace_min_wpm: f64,
    pub pace_max_wpm: f64,
    /// Target split of speaking time. `learning` is 0 by default because the
    /// learning is counted with the result unless `learning_separate` is set.
    pub target: Shares,
    /// Judge the learning against its own target instead of folding it into the result.
    pub learning_separate: bool,
    /// Learning target taken out of the result target when `learning_separate` is set
    /// and `target.learning` is 0.
    pub learning_share_when_separate: f64,
    /// Filler share of words above which feedback asks to cut fillers.
    pub filler_share_warn: f64,
}

impl Default for AnalysisConfig {
    fn default() -> Self {
        Self {
            window_min_s: 60.0,
            window_max_s: 120.0,
            long_pause_s: 2.0,
            pace_window_s: 20.0,
            pace_step_s: 5.0,
            pace_min_wpm: 100.0,
            pace_max_wpm: 165.0,
            target: Shares {
                situation: 0.10,
                task: 0.10,
                action: 0.60,
                result: 0.20,
                learning: 0.0,
            },
            learning_separate: false,
            learning_share_when_separate: 0.05,
            filler_share_warn: 0.04,
        }
    }
}

/// How long an answer to a follow-up question should be: long enough to give
/// one concrete detail, short enough to leave the interviewer room for the
/// next question.
pub const FOLLOW_UP_WINDOW_S: (f64, f64) = (15.0, 60.0);

impl AnalysisConfig {
    /// The settings for an answer with a target length (a prompt's own): a
    /// window from two thirds to four thirds of it, so the usual 90 s target
    /// gives the guidance's 60–120 s.
    pub fn for_target_s(target_s: f64) -> Self {
        Self {
            window_min_s: target_s * 2.0 / 3.0,
            window_max_s: target_s * 4.0 / 3.0,
            ..Self::default()
        }
    }

    /// The settings for an answer to a follow-up question: short by design,
    /// so judged against [`FOLLOW_UP_WINDOW_S`] rather than a prompt's target.
    pub fn for_follow_up() -> Self {
        Self {
            window_min_s: FOLLOW_UP_WINDOW_S.0,
            window_max_s: FOLLOW_UP_WINDOW_S.1,
            ..Self::default()
        }
    }

    /// The target split actually used: learning folded into result, or split out.
    pub fn effective_target(&self) -> Shares {
        let mut target = self.target;
        if self.learning_separate {
            if target.learning <= 0.0 {
                let learning = self.learning_share_when_separate.clamp(0.0, target.result);
                target.learning = learning;
                target.result -= learning;
            }
        } else {
            target.result += target.learning;
            target.learning = 0.0;
        }
        target
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_prompts_target_length_sets_the_window() {
        let usual = AnalysisConfig::for_target_s(90.0);
        let default = AnalysisConfig::default();
        assert_eq!(
            (usual.window_min_s, usual.window_max_s),
            (default.window_min_s, default.window_max_s)
        );
        let short = AnalysisConfig::for_target_s(60.0);
        assert_eq!((short.window_min_s, short.window_max_s), (40.0, 80.0));
        assert_eq!(short.pace_max_wpm, default.pace_max_wpm);
    }
}
