//! The one follow-up question an interviewer would ask next, aimed at the
//! weakest part of the answer as the analysis's findings state it.

use crate::analyse::{Analysis, Finding, Label};
use crate::prompts::Weakness;

/// The weakness an interviewer would probe first: numbers and ownership
/// before structure and length.
pub fn weakest_part(analysis: &Analysis) -> Weakness {
    weak_parts(analysis)
        .first()
        .copied()
        .unwrap_or(Weakness::None)
}

/// Every weakness an interviewer could probe, most urgent first, each once:
/// a mock interview's second follow-up goes to the second.
pub fn weak_parts(analysis: &Analysis) -> Vec<Weakness> {
    let mut ranked: Vec<(u8, Weakness)> = analysis.findings.iter().filter_map(probe).collect();
    // Stable: findings of equal rank keep the analysis's order.
    ranked.sort_by_key(|(rank, _)| *rank);
    let mut out: Vec<Weakness> = Vec::new();
    for (_, weakness) in ranked {
        if !out.contains(&weakness) {
            out.push(weakness);
        }
    }
    out
}

/// What a finding makes an interviewer ask about, and how urgently (lower first).
fn probe(finding: &Finding) -> Option<(u8, Weakness)> {
    Some(match finding {
        Finding::NoSpeech => (0, Weakness::TooShort),
        // Under half the window there is too little to probe anything else.
        Finding::TooShort {
            answer_s, min_s, ..
        } if *answer_s < min_s / 2.0 => (0, Weakness::TooShort),
        Finding::NoResult | Finding::ResultThin { .. } | Finding::ResultNotQuantified => {
            (1, Weakness::NoNumbers)
        }
        Finding::MostlyWe { .. } => (2, Weakness::MostlyWe),
        Finding::NoActions { .. } | Finding::ActionThin { .. } => (3, Weakness::ShortAction),
        Finding::SectionLong { .. } => (4, Weakness::LongSituation),
        Finding::SectionMissing { label: Label::Task } => (4, Weakness::NoTask),
        Finding::NoLearning => (5, Weakness::NoLearning),
        Finding::TooLong { .. } => (6, Weakness::TooLong),
        Finding::TooShort { .. } => (7, Weakness::TooShort),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyse::testutil::answer;
    use crate::analyse::{AnalysisConfig, analyse};

    fn weakest_with(findings: Vec<Finding>) -> Weakness {
        let mut analysis = analyse(&answer(&["I fixed the build."]), &AnalysisConfig::default());
        analysis.findings = findings;
        weakest_part(&analysis)
    }

    #[test]
    fn numbers_and_ownership_come_before_structure_and_length() {
        let too_long = Finding::TooLong {
            answer_s: 150.0,
            max_s: 120.0,
        };
        assert_eq!(weakest_with(vec![]), Weakness::None);
        assert_eq!(
            weakest_with(vec![
                Finding::NoLearning,
                too_long.clone(),
                Finding::ResultNotQuantified
            ]),
            Weakness::NoNumbers
        );
        assert_eq!(
            weakest_with(vec![too_long.clone(), Finding::NoLearning]),
            Weakness::NoLearning
        );
        assert_eq!(
            weakest_with(vec![Finding::PaceFast {
                wpm: 190.0,
                min_wpm: 100.0,
                max_wpm: 165.0
            }]),
            Weakness::None
        );
    }

    /// An answer that never says what the speaker owned is asked for it,
    /// after numbers and ownership; a missing situation is not probed.
    #[test]
    fn a_missing_task_is_asked_about() {
        let no_task = Finding::SectionMissing { label: Label::Task };
        assert_eq!(weakest_with(vec![no_task.clone()]), Weakness::NoTask);
        assert_eq!(
            weakest_with(vec![no_task.clone(), Finding::NoLearning]),
            Weakness::NoTask
        );
        assert_eq!(
            weakest_with(vec![
                Finding::NoLearning,
                no_task,
                Finding::ResultNotQuantified
            ]),
            Weakness::NoNumbers
        );
        assert_eq!(
            weakest_with(vec![Finding::SectionMissing {
                label: Label::Situation
            }]),
            Weakness::None
        );
    }

    #[test]
    fn an_answer_under_half_the_window_is_probed_for_more_first() {
        let short = |answer_s| Finding::TooShort {
            answer_s,
            min_s: 60.0,
            max_s: 120.0,
        };
        assert_eq!(
            weakest_with(vec![short(20.0), Finding::ResultNotQuantified]),
            Weakness::TooShort
        );
        assert_eq!(
            weakest_with(vec![short(50.0), Finding::ResultNotQuantified]),
            Weakness::NoNumbers
        );
    }
}
