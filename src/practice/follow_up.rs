//! The one follow-up question an interviewer would ask next, aimed at the
//! weakest part of the answer.

use crate::analyse::Analysis;
use crate::prompts::Weakness;

/// The most important gap first: interviewers probe numbers and ownership
/// before structure and length.
pub fn weakest_part(analysis: &Analysis) -> Weakness {
    let shares = &analysis.star.shares;
    let checks = &analysis.checks;
    if analysis.words < 20 {
        Weakness::TooShort
    } else if !checks.quantified_result {
        Weakness::NoNumbers
    } else if checks.we_count > checks.i_count {
        Weakness::MostlyWe
    } else if shares.action < 0.4 {
        Weakness::ShortAction
    } else if shares.situation > 0.25 {
        Weakness::LongSituation
    } else if !checks.has_learning {
        Weakness::NoLearning
    } else if analysis.answer_s > analysis.window.max_s {
        Weakness::TooLong
    } else if analysis.answer_s < analysis.window.min_s {
        Weakness::TooShort
    } else {
        Weakness::None
    }
}
