//! Blame: fault put on others, or one's own part disowned ("it was the
//! vendor's fault", "it wasn't my job", "they dropped the ball").
//!
//! A story about other people is not blame: "I met the other team", "they
//! didn't have access", "the team blamed the provider, so I read the logs"
//! narrate. So every rule here looks at who is the subject and whether the
//! phrase is negated: "it was my fault" owns a mistake, "it wasn't his fault"
//! defends a colleague, "it wasn't my job, but I fixed it" is ownership.

use super::lexicon::phrase_ends;

/// Words that negate what follows within a few words, besides any "…n't".
const NEGATIONS: &[&str] = &["not", "no", "never", "hardly", "wasnt", "isnt"];

/// "my" and "our": a fault or mistake the speaker owns unless it is denied.
const OWN: &[&str] = &["my", "our"];
/// Owners of a fault that is somebody else's ("their", "the vendor's").
const OTHERS: &[&str] = &["their", "his", "her", "your"];
/// Possessives that name nobody in particular: "no one's fault".
const NOBODY: &[&str] = &[
    "one's",
    "nobody's",
    "anyone's",
    "anybody's",
    "everyone's",
    "nobodys",
];

/// Disowning phrases: blame unless a "but" or "still" turns them into ownership
/// ("it wasn't my job, but I was the one who noticed").
const DISOWNING: &[&str] = &[
    "not my job",
    "wasn't my job",
    "not our job",
    "wasn't our job",
    "not my problem",
    "wasn't my problem",
    "not our problem",
    "wasn't our problem",
    "not my responsibility",
    "wasn't my responsibility",
    "did what we were asked",
    "did what i was asked",
    "did what they asked",
];
/// What turns a disowning phrase into ownership when it follows closely.
const TURNS: &[&str] = &["but", "though", "although", "anyway", "still", "yet"];

/// Fault put on others whoever the subject is.
const ACCUSING: &[&str] = &[
    "because of them",
    "gave us the wrong",
    "gave me the wrong",
    "given us the wrong",
    "given me the wrong",
    "they should have",
    "he should have",
    "she should have",
    "they should've",
    "nobody listened",
    "no one listened",
];

/// Phrases that are blame with someone else as the subject and ownership
/// with "I" or "we": "they dropped the ball" against "I dropped the ball".
const WITH_OTHER_SUBJECT: &[&str] = &[
    "dropped the ball",
    "messed up",
    "screwed up",
    "refused to listen",
    "wouldn't listen",
    "didn't listen",
    "blamed it on",
    "blame it on",
];

/// The speaker blaming: "I blamed the network".
const SPEAKER_BLAMING: &[&str] = &["i blamed", "we blamed"];

/// Blame phrases in one sentence's words, as said.
pub(crate) fn phrases(words: &[&str]) -> Vec<String> {
    let mut found: Vec<String> = (0..words.len())
        .filter_map(|k| fault_at(words, k).map(|start| words[start..=k].join(" ")))
        .collect();
    let start_of = |phrase: &str, end: usize| end - phrase.split(' ').count();
    for phrase in DISOWNING {
        for end in phrase_ends(words, phrase) {
            let turned = words[end..(end + 4).min(words.len())]
                .iter()
                .any(|w| TURNS.contains(w));
            if !turned {
                found.push((*phrase).to_string());
            }
        }
    }
    for phrase in ACCUSING.iter().chain(SPEAKER_BLAMING) {
        if phrase_ends(words, phrase).any(|end| !wronged(words, end)) {
            found.push((*phrase).to_string());
        }
    }
    for phrase in WITH_OTHER_SUBJECT {
        if phrase_ends(words, phrase).any(|end| !speaker_before(words, start_of(phrase, end))) {
            found.push((*phrase).to_string());
        }
    }
    found
}

/// "They should have been told": the others were left out, not at fault.
fn wronged(words: &[&str], end: usize) -> bool {
    words.get(end) == Some(&"been")
        && words
            .get(end + 1)
            .is_some_and(|w| w.ends_with("ed") || matches!(*w, "told" | "given" | "shown"))
}

/// Whether "I" or "we" is among the two words before `k`: the subject.
fn speaker_before(words: &[&str], k: usize) -> bool {
    words[k.saturating_sub(2)..k]
        .iter()
        .any(|w| matches!(*w, "i" | "we"))
}

fn is_negation(word: &str) -> bool {
    NEGATIONS.contains(&word) || word.ends_with("n't")
}

/// Whether a negation is among the few words before `k`.
fn negated_before(words: &[&str], k: usize) -> bool {
    words[k.saturating_sub(4)..k].iter().any(|w| is_negation(w))
}

/// Where a "<whose> fault" or "<whose> mistake" phrase that blames starts,
/// if word `k` is its "fault" or "mistake".
fn fault_at(words: &[&str], k: usize) -> Option<usize> {
    if !matches!(words[k], "fault" | "mistake") || k == 0 {
        return None;
    }
    // "their own fault": the owner is before "own".
    let owner_at = if words[k - 1] == "own" && k >= 2 {
        k - 2
    } else {
        k - 1
    };
    let owner = words[owner_at];
    let negated = negated_before(words, owner_at);
    if OWN.contains(&owner) {
        // "It wasn't really our fault" disowns; "it was my fault" owns.
        return negated.then_some(start_of_denial(words, owner_at));
    }
    let others = OTHERS.contains(&owner)
        || (owner.ends_with("'s") && !NOBODY.contains(&owner) && owner != "it's");
    if !others || negated {
        return None;
    }
    // "the other team's fault": take the words that name the owner.
    let mut start = owner_at;
    while start > 0
        && owner.ends_with("'s")
        && matches!(words[start - 1], "the" | "other" | "a" | "another")
    {
        start -= 1;
    }
    Some(start)
}

/// Where a denial of one's own fault starts: at its negation ("wasn't really
/// our fault").
fn start_of_denial(words: &[&str], owner_at: usize) -> usize {
    (owner_at.saturating_sub(4)..owner_at)
        .find(|&j| is_negation(words[j]))
        .unwrap_or(owner_at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyse::testutil::answer;
    use crate::analyse::text::tokens;

    /// Labelled sentences: blame (`B`) and look-alikes (`-`).
    const CASES: &str = include_str!("../../tests/fixtures/blame.txt");

    fn blame(sentence: &str) -> Vec<String> {
        let toks = tokens(&answer(&[sentence]));
        let words: Vec<&str> = toks.iter().map(|t| t.norm.as_str()).collect();
        phrases(&words)
    }

    #[test]
    fn precision_and_recall_on_the_labelled_sentences() {
        let (mut tp, mut fp, mut missed) = (0, 0, Vec::new());
        let mut false_alarms = Vec::new();
        for line in CASES
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
        {
            let (label, sentence) = line.split_once('\t').expect("label, tab, sentence");
            let found = blame(sentence);
            match (label == "B", found.is_empty()) {
                (true, false) => tp += 1,
                (true, true) => missed.push(sentence),
                (false, false) => {
                    fp += 1;
                    false_alarms.push(format!("{sentence} {found:?}"));
                }
                (false, true) => {}
            }
        }
        let precision = f64::from(tp) / f64::from((tp + fp).max(1));
        let recall = f64::from(tp) / (f64::from(tp) + missed.len() as f64).max(1.0);
        eprintln!(
            "blame: precision {precision:.2}, recall {recall:.2} ({tp} found, {fp} false, {} missed)",
            missed.len()
        );
        eprintln!("missed: {missed:#?}\nfalse alarms: {false_alarms:#?}");
        assert!(fp == 0, "look-alikes called blame: {false_alarms:#?}");
        assert!(recall >= 0.85, "recall {recall:.2}; missed {missed:#?}");
    }

    #[test]
    fn shows_the_phrase_as_said() {
        assert_eq!(
            blame("It was the other team's fault."),
            ["the other team's fault"]
        );
        assert_eq!(
            blame("Honestly it wasn't really our fault."),
            ["wasn't really our fault"]
        );
        assert_eq!(blame("It was their own fault."), ["their own fault"]);
        assert_eq!(
            blame("It was another team's fault."),
            ["another team's fault"]
        );
        assert_eq!(blame("They dropped the ball twice."), ["dropped the ball"]);
    }
}
