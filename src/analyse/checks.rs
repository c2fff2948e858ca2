//! What interviewers probe beyond structure: "I" versus "we" in the actions,
//! a result with a number, a stated learning, vague words, blame (its rules in `blame.rs`).

use std::ops::Range;

use super::lexicon::{FIRST_PLURAL, FIRST_SINGULAR, count_phrase};
use super::text::{Token, is_number};
use super::types::{Checks, Label};

/// Vague words that make an answer sound unsure. "kind of", "sort of" and
/// "basically" are not here: where they hedge they are fillers, and the user
/// is told about a word once, under fillers.
const HEDGES: &[&str] = &[
    "i think",
    "i guess",
    "i believe",
    "i feel like",
    "maybe",
    "probably",
    "perhaps",
    "somehow",
    "stuff",
    "things",
    "a lot",
    "pretty much",
    "more or less",
    "or something",
    "et cetera",
    "hopefully",
    "somewhat",
    "a bit",
    "various",
];

pub(crate) struct Input<'a> {
    pub tokens: &'a [Token],
    pub sentences: &'a [Range<usize>],
    pub labels: &'a [Label],
    /// Filler tokens, skipped by every check.
    pub skip: &'a [bool],
}

pub(crate) fn run(input: &Input) -> Checks {
    let words_of = |range: &Range<usize>| -> Vec<&str> {
        range
            .clone()
            .filter(|&k| !input.skip.get(k).copied().unwrap_or(false))
            .map(|k| input.tokens[k].norm.as_str())
            .collect()
    };
    let mut i_count = 0;
    let mut we_count = 0;
    let mut quantified_result = false;
    for (range, label) in input.sentences.iter().zip(input.labels) {
        let words = words_of(range);
        match label {
            Label::Action => {
                i_count += words.iter().filter(|w| FIRST_SINGULAR.contains(w)).count();
                we_count += words.iter().filter(|w| FIRST_PLURAL.contains(w)).count();
            }
            Label::Result | Label::Learning => quantified_result |= quantified(&words),
            _ => {}
        }
    }
    // `star::label` gives a sentence that states a lesson the Learning label
    // when no sentence has it, so one fact answers both.
    let has_learning = input.labels.contains(&Label::Learning);

    let hedges = hedges_in(input.tokens, input.skip)
        .into_iter()
        .map(str::to_string)
        .collect();
    let mut blame: Vec<String> = Vec::new();
    for range in input.sentences {
        for phrase in super::blame::phrases(&words_of(range)) {
            if !blame.contains(&phrase) {
                blame.push(phrase);
            }
        }
    }
    Checks {
        i_count,
        we_count,
        quantified_result,
        has_learning,
        hedges,
        blame,
    }
}

/// Words that make a following "I think / guess / believe / feel like" the
/// verb of a clause, not a hedge: "before I guess the size", "what I think
/// matters", "how I believe teams grow". Only when nothing (no comma, no
/// full stop) stands between them: "before, I guess, we..." still hedges.
const CLAUSE_OPENERS: &[&str] = &[
    "before", "after", "when", "whenever", "if", "unless", "until", "once", "what", "how", "why",
    "where", "whether", "than",
];
/// Words after "I think / believe" that make it a plain verb: "I think about
/// latency", "I believe in small steps".
const VERB_COMPLEMENTS: &[&str] = &["about", "of", "in"];

/// The [`HEDGES`] said as hedges, each once, in list order. A phrase that
/// takes in a filler token ("I feel like" where "like" was counted) is left to
/// the fillers.
fn hedges_in(tokens: &[Token], skip: &[bool]) -> Vec<&'static str> {
    let words: Vec<&str> = tokens.iter().map(|t| t.norm.as_str()).collect();
    let is_filler = |k: usize| skip.get(k).copied().unwrap_or(false);
    HEDGES
        .iter()
        .copied()
        .filter(|phrase| {
            let parts: Vec<&str> = phrase.split(' ').collect();
            words.windows(parts.len()).enumerate().any(|(k, window)| {
                window == parts.as_slice()
                    && !(k..k + parts.len()).any(is_filler)
                    && hedges_here(tokens, k, parts.len())
            })
        })
        .collect()
}

/// Whether the first-person phrase of `len` words at `start` is a hedge
/// (every other hedge always is).
fn hedges_here(tokens: &[Token], start: usize, len: usize) -> bool {
    if tokens[start].norm != "i" {
        return true;
    }
    let opened = start.checked_sub(1).is_some_and(|k| {
        let before = &tokens[k];
        !before.comma_after
            && !before.ends_sentence
            && CLAUSE_OPENERS.contains(&before.norm.as_str())
    });
    let complemented = !tokens[start + len - 1].comma_after
        && tokens
            .get(start + len)
            .is_some_and(|after| VERB_COMPLEMENTS.contains(&after.norm.as_str()));
    !opened && !complemented
}

/// A number that measures something: digits, a percentage, "from X to Y",
/// money, "twice", "halved"; not the pronoun "one" ("one of the engineers").
pub(crate) fn quantified(words: &[&str]) -> bool {
    let measure = |w: &str| {
        let digit_led = w
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit() || c == '$');
        // "p99" or "s3" name things; "one" is usually a pronoun.
        let number_word =
            w != "one" && is_number(w) && w.chars().all(|c| c.is_alphabetic() || c == '-');
        digit_led || number_word
    };
    words.iter().any(|w| measure(w))
        || count_phrase(words, "percent") > 0
        || words.contains(&"dollars")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> bool {
        let words: Vec<&str> = s.split(' ').collect();
        quantified(&words)
    }

    #[test]
    fn quantified_results() {
        assert!(q("latency fell from 900 to 200 milliseconds"));
        assert!(q("errors dropped by forty percent"));
        assert!(q("we saved twelve hours a week"));
        assert!(q("tickets halved"));
        assert!(q("it saved $30k"));
        assert!(!q("one of the engineers thanked me"));
        assert!(!q("the team was much happier"));
        assert!(!q("it worked really well"));
        assert!(!q("p99 latency improved"));
    }
}
