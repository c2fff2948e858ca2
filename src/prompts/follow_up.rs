//! Choosing a follow-up question aimed at an answer's main weakness.

use super::{Prompt, PromptBank, Weakness};

impl PromptBank {
    /// A follow-up question aimed at the answer's main weakness: the prompt's own
    /// follow-up when one fits (matched by keywords, or by the prompt's tags when
    /// there is no weakness), else a generic one.
    pub fn follow_up_for(&self, prompt: &Prompt, weakness: Weakness) -> String {
        matching_follow_up(prompt, weakness)
            .unwrap_or_else(|| generic_follow_up(weakness))
            .to_string()
    }

    /// [`PromptBank::follow_up_for`] for a take whose prompt may be unknown
    /// (an ad hoc answer, or a prompt since removed): then the generic one.
    pub fn follow_up_for_id(&self, prompt_id: Option<&str>, weakness: Weakness) -> String {
        match prompt_id.and_then(|id| self.get(id)) {
            Some(prompt) => self.follow_up_for(prompt, weakness),
            None => generic_follow_up(weakness).to_string(),
        }
    }
}

// Keyword cues, most telling first: the first cue any follow-up contains wins.
const NUMBER_CUES: &[&str] = &[
    "measur",
    "in numbers",
    "numbers",
    "metric",
    "before and after",
    "how many",
    "how much",
    "how often",
    "how big",
    "know it worked",
    "fix worked",
    "impact",
    "data",
    "evidence",
    "cost",
    "how did you know",
    "how could you tell",
    "check",
    "how long",
];
const PERSONAL_CUES: &[&str] = &[
    "as opposed to",
    "exactly did you",
    "personally",
    "yourself",
    "your part",
    "your own part",
    "yours",
    "your call",
    "on your own",
    "you decide",
    "your contribution",
];
const LEARNING_CUES: &[&str] = &[
    "differently",
    "learn",
    "looking back",
    "since then",
    "next time",
    "again",
];
/// The part of a personal follow-up that sets the speaker against the team.
const CONTRAST_CUES: &[&str] = &["as opposed to", "rest of the team", "personally"];
const ACTION_CUES: &[&str] = &[
    "step by step",
    "walk me through",
    "exactly did you",
    "what did you do",
    "what did you build",
    "what did you change",
    "did you do",
    "did you build",
    "did you change",
];
const TASK_CUES: &[&str] = &["your goal", "responsible for", "your job", "success look"];
// "first" alone is too loose ("what made you curious in the first place?").
const SITUATION_CUES: &[&str] = &["do first", "where did you start", "first thing"];
const BRIEF_CUES: &[&str] = &["hardest", "most important", "short version"];
const CONFLICT_CUES: &[&str] = &[
    "disagree",
    "push back",
    "pushed back",
    "objection",
    "object",
    "convince",
    "persuade",
];
const CUSTOMER_CUES: &[&str] = &["user", "customer"];
const TRADEOFF_CUES: &[&str] = &["trade", "cut", "defer", "cost"];
const TECHNICAL_CUES: &[&str] = &["hypothes", "root cause", "data", "verify", "test"];

fn matching_follow_up(prompt: &Prompt, weakness: Weakness) -> Option<&str> {
    let by_cues = |cues: &[&str]| first_with_cue(&prompt.follow_ups, cues);
    match weakness {
        Weakness::NoNumbers => by_cues(NUMBER_CUES),
        Weakness::MostlyWe => by_cues(PERSONAL_CUES),
        Weakness::NoLearning => by_cues(LEARNING_CUES),
        Weakness::TooLong => by_cues(BRIEF_CUES),
        // "What exactly did you do, as opposed to the rest of the team?"
        // asks about "we", which an answer short of actions may never say.
        Weakness::TooShort | Weakness::ShortAction => {
            first_with_cue_where(&prompt.follow_ups, ACTION_CUES, |f| {
                !sets_me_against_the_team(f)
            })
        }
        Weakness::LongSituation => by_cues(SITUATION_CUES).or_else(|| by_cues(ACTION_CUES)),
        Weakness::NoTask => by_cues(TASK_CUES),
        Weakness::None => prompt
            .tags
            .iter()
            .find_map(|tag| tag_cues(tag).and_then(by_cues))
            .or_else(|| prompt.follow_ups.first().map(String::as_str)),
    }
}

fn tag_cues(tag: &str) -> Option<&'static [&'static str]> {
    match tag {
        "quantify" => Some(NUMBER_CUES),
        "ownership" => Some(PERSONAL_CUES),
        "learning" | "failure" => Some(LEARNING_CUES),
        "conflict" => Some(CONFLICT_CUES),
        "customer" => Some(CUSTOMER_CUES),
        "tradeoff" => Some(TRADEOFF_CUES),
        "technical" => Some(TECHNICAL_CUES),
        _ => None,
    }
}

/// A follow-up that contrasts the speaker with the team: only for "we".
fn sets_me_against_the_team(follow_up: &str) -> bool {
    let lowered = follow_up.to_lowercase();
    CONTRAST_CUES.iter().any(|cue| lowered.contains(cue))
}

fn first_with_cue<'a>(follow_ups: &'a [String], cues: &[&str]) -> Option<&'a str> {
    first_with_cue_where(follow_ups, cues, |_| true)
}

/// The first follow-up, by cue order, that has a cue and that `keep` takes.
fn first_with_cue_where<'a>(
    follow_ups: &'a [String],
    cues: &[&str],
    keep: impl Fn(&str) -> bool,
) -> Option<&'a str> {
    let lowered: Vec<String> = follow_ups.iter().map(|f| f.to_lowercase()).collect();
    cues.iter().find_map(|cue| {
        lowered
            .iter()
            .zip(follow_ups)
            .find(|(low, f)| low.contains(cue) && keep(f))
            .map(|(_, f)| f.as_str())
    })
}

/// Fallbacks in the spirit of what interviewers probe: numbers, "I" not "we",
/// what you'd change, and getting to the actions quickly.
pub(super) fn generic_follow_up(weakness: Weakness) -> &'static str {
    match weakness {
        Weakness::NoNumbers => {
            "Give me a before and an after: what changed because of your work, in numbers, and over what period?"
        }
        Weakness::MostlyWe => {
            "You said \"we\" a lot. Which decisions did you make, and what did you build or change yourself?"
        }
        Weakness::NoLearning => {
            "Looking back, what would you do differently, and have you had a chance to apply that since?"
        }
        Weakness::TooLong => {
            "Give me the short version: in two sentences, what did you do and what changed because of it?"
        }
        Weakness::TooShort => "Take me through it step by step: what did you do first, and why?",
        Weakness::LongSituation => {
            "Let's skip the background. What was your goal, and what was the first thing you did?"
        }
        Weakness::NoTask => {
            "Before the steps: what exactly were you responsible for, and what would success have looked like?"
        }
        Weakness::ShortAction => {
            "Walk me through your steps: what exactly did you do, and which options did you weigh?"
        }
        Weakness::None => "What was the hardest part, and how did you handle it?",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prompts::test_support::bank;

    #[test]
    fn follow_ups_fit_the_weakness() {
        let bank = bank();
        let prompt = bank.get("ownership-unowned-problem").unwrap();
        assert_eq!(
            bank.follow_up_for(prompt, Weakness::NoNumbers),
            "How did you measure success?"
        );
        assert_eq!(
            bank.follow_up_for(prompt, Weakness::MostlyWe),
            "What exactly did you do, as opposed to the rest of the team?"
        );
        assert_eq!(
            bank.follow_up_for(prompt, Weakness::NoLearning),
            "What would you do differently?"
        );
        // Thin actions are no "we" problem: the contrast with the team is
        // not asked (an outside tester's all-"I" answer was).
        assert_eq!(
            bank.follow_up_for(prompt, Weakness::ShortAction),
            generic_follow_up(Weakness::ShortAction)
        );
        assert_eq!(
            bank.follow_up_for(prompt, Weakness::TooLong),
            generic_follow_up(Weakness::TooLong)
        );
        // Tag `ownership` comes first, so with no weakness the personal follow-up is asked.
        assert_eq!(
            bank.follow_up_for(prompt, Weakness::None),
            "What exactly did you do, as opposed to the rest of the team?"
        );

        // Coverage: how often the prompt's own follow-up fits, per weakness.
        let weaknesses = [
            Weakness::NoNumbers,
            Weakness::MostlyWe,
            Weakness::NoLearning,
            Weakness::TooLong,
            Weakness::TooShort,
            Weakness::LongSituation,
            Weakness::NoTask,
            Weakness::ShortAction,
            Weakness::None,
        ];
        let total = bank.prompts().len();
        for weakness in weaknesses {
            let own = bank
                .prompts()
                .iter()
                .filter(|p| matching_follow_up(p, weakness).is_some())
                .count();
            println!("{weakness:?}: prompt's own follow-up for {own}/{total}");
            if matches!(
                weakness,
                Weakness::NoNumbers | Weakness::MostlyWe | Weakness::NoLearning
            ) {
                assert!(own * 10 >= total * 7, "{weakness:?} only {own}/{total}");
            }
            for p in bank.prompts() {
                let question = bank.follow_up_for(p, weakness);
                assert!(question.ends_with('?'), "{question}");
            }
        }
    }
}
