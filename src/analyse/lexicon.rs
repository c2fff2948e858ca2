//! Word lists the content rules share.

/// Past-tense forms of irregular verbs that describe doing something.
pub(crate) const IRREGULAR_ACTIONS: &[&str] = &[
    "built", "wrote", "made", "set", "ran", "took", "sent", "spoke", "brought", "led", "met",
    "began", "chose", "drove", "dug", "gave", "held", "rewrote", "split", "put", "sat", "went",
    "got", "found", "caught", "broke", "cut", "read", "told", "taught", "sought", "bought", "drew",
    "froze", "hid", "kept", "left", "let", "lit", "paid", "rebuilt", "redid", "did", "shut",
    "spun", "stood", "struck", "swapped", "threw", "tore", "undid", "won", "wound", "shipped",
    "pulled", "pushed",
];

/// Base forms of action verbs: "I pick it up", "we add a check" in a story
/// told in the present tense.
pub(crate) const BASE_ACTIONS: &[&str] = &[
    "add", "ask", "build", "call", "change", "check", "create", "decide", "deploy", "dig", "email",
    "find", "fix", "go", "look", "make", "measure", "meet", "move", "open", "pick", "propose",
    "pull", "push", "put", "rewrite", "roll", "run", "send", "set", "ship", "sit", "split",
    "start", "take", "talk", "test", "trace", "walk", "write",
];

/// Past-tense verbs that describe a state or thought, not an action.
pub(crate) const STATE_VERBS: &[&str] = &[
    "was", "were", "had", "felt", "thought", "knew", "wanted", "needed", "realized", "realised",
    "learned", "learnt", "saw", "seemed", "liked", "loved", "hated", "believed", "noticed",
    "expected", "hoped", "wished", "cared", "owned", "supposed", "meant", "worried", "assumed",
    "guessed", "figured", "named", "based",
];

/// Words ending in "ed" that are not past tenses.
const NOT_PAST: &[&str] = &[
    "need", "speed", "feed", "bed", "red", "seed", "hundred", "shed", "bleed", "breed", "indeed",
    "proceed", "succeed", "exceed", "embed", "weed", "greed", "deed", "wed", "fed", "led",
];

/// A past tense that describes doing something: "-ed" forms and irregular
/// action verbs, minus states ("was", "felt", "wanted").
pub(crate) fn is_action_past(word: &str) -> bool {
    if STATE_VERBS.contains(&word) {
        return false;
    }
    if IRREGULAR_ACTIONS.contains(&word) {
        return true;
    }
    word.len() > 4
        && word.ends_with("ed")
        && !NOT_PAST.contains(&word)
        && word.chars().all(|c| c.is_ascii_alphabetic())
}

/// The speaker as the subject of a clause.
pub(crate) const SPEAKER_SUBJECTS: &[&str] = &[
    "i", "we", "i'm", "we're", "i've", "we've", "i'd", "we'd", "i'll", "we'll",
];

/// Forms of "be" that link a subject to what it is: "the plan was
/// basically sound" (no filler), "it was like two months" (a filler), "…to
/// ask where their money was." (a sentence end).
pub(crate) const COPULAS: &[&str] = &["is", "was", "were", "are", "be", "been", "it's", "that's"];

pub(crate) const FIRST_SINGULAR: &[&str] = &[
    "i", "i'm", "i've", "i'd", "i'll", "me", "my", "myself", "mine",
];
pub(crate) const FIRST_PLURAL: &[&str] = &[
    "we",
    "we're",
    "we've",
    "we'd",
    "we'll",
    "us",
    "our",
    "ours",
    "ourselves",
];

/// Number of times `phrase` (space-separated words) occurs in `words`.
pub(crate) fn count_phrase(words: &[&str], phrase: &str) -> usize {
    phrase_ends(words, phrase).count()
}

/// Whether `words[k]` states a lesson: "I learned to measure first", "(what
/// we) learned is that…", but not backstory ("people had learned") or someone
/// else's skill ("they learned to press retry"). A lesson needs no subject:
/// Whisper often mishears it ("what I learned" as "the time learned").
pub(crate) fn states_lesson_at(words: &[&str], k: usize) -> bool {
    let speaker = words[k.saturating_sub(3)..k]
        .iter()
        .any(|x| SPEAKER_SUBJECTS.contains(x));
    matches!(words[k], "learned" | "learnt")
        && (k == 0 || words[k - 1] != "had")
        && (speaker || words.get(k + 1) != Some(&"to"))
}

/// Whether `words[k]` is "differently" said of what the speaker would do or
/// did ("what I'd do differently", "I would have done it differently"), not
/// of how something was ("the tax was rounded differently on the invoice").
pub(crate) fn would_do_differently_at(words: &[&str], k: usize) -> bool {
    words[k] == "differently"
        && words[k.saturating_sub(4)..k].iter().any(|w| {
            matches!(
                *w,
                "do" | "did" | "done" | "doing" | "would" | "i'd" | "we'd"
            )
        })
}

/// Strong signs of a stated learning, besides the speaker saying they
/// learned something (`states_lesson_at`), what they would do differently
/// (`would_do_differently_at`) or what they have done since ([`afterwards`]).
const LEARNING_MARKERS: &[&str] = &[
    "lesson",
    "taught me",
    "in hindsight",
    "looking back",
    "next time",
    "takeaway",
    "going forward",
    // Hindsight is the speaker's: "each one would have brought the old
    // complexity back" and "it would have retried" tell the story (all four
    // bare "would have"s in the corpus do).
    "i would have",
    "i'd have",
    "i should have",
    "we should have",
    "i could have",
];

/// What came after the story. Followed by the speaker ("since then I always
/// measure first") it is a habit taken away, the lesson; followed by anything
/// else ("since then the check has caught four more") it is how the world
/// changed, the result.
pub(crate) const AFTERWARDS: &[&str] = &["since then", "from then on", "ever since"];

/// Each [`AFTERWARDS`] phrase said in `words`, and whether the speaker
/// follows it, as the next word or after a clause put first ("since then,
/// when a process is painful, my first question is…").
pub(crate) fn afterwards<'a>(
    words: &'a [&'a str],
) -> impl Iterator<Item = (&'static str, bool)> + 'a {
    let speaker = |w: &&str| SPEAKER_SUBJECTS.contains(w) || *w == "my";
    AFTERWARDS.iter().flat_map(move |phrase| {
        phrase_ends(words, phrase).map(move |end| {
            let rest = &words[end..];
            let by_speaker = match rest.first() {
                Some(w) if FRONTED_CLAUSE_OPENERS.contains(w) => rest.iter().any(speaker),
                first => first.is_some_and(speaker),
            };
            (*phrase, by_speaker)
        })
    })
}

/// Words that open a clause a speaker may put before the main one.
const FRONTED_CLAUSE_OPENERS: &[&str] = &["when", "whenever", "if", "before", "once"];

/// Whether `words` (one sentence) state a learning: such a sentence becomes
/// the learning when the smoothing labelled none (`star::label`).
pub(crate) fn states_learning(words: &[&str]) -> bool {
    !phrases_in(words, LEARNING_MARKERS).is_empty()
        || afterwards(words).any(|(_, by_speaker)| by_speaker)
        || (0..words.len()).any(|k| states_lesson_at(words, k) || would_do_differently_at(words, k))
}

/// Where each occurrence of `phrase` in `words` ends (the index after it).
pub(crate) fn phrase_ends<'a>(
    words: &'a [&'a str],
    phrase: &'a str,
) -> impl Iterator<Item = usize> + 'a {
    let parts: Vec<&str> = phrase.split(' ').collect();
    let len = parts.len();
    words
        .windows(len)
        .enumerate()
        .filter(move |(_, window)| *window == parts.as_slice())
        .map(move |(k, _)| k + len)
}

/// Phrases from `list` found in `words`, each once, in list order.
pub(crate) fn phrases_in<'a>(words: &[&str], list: &[&'a str]) -> Vec<&'a str> {
    list.iter()
        .copied()
        .filter(|p| count_phrase(words, p) > 0)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn past_tense_actions() {
        for w in [
            "measured", "proposed", "rolled", "built", "wrote", "added", "migrated",
        ] {
            assert!(is_action_past(w), "{w}");
        }
        for w in ["was", "felt", "wanted", "need", "hundred", "speed", "red"] {
            assert!(!is_action_past(w), "{w}");
        }
    }

    #[test]
    fn afterwards_by_the_speaker_is_a_habit() {
        let by_speaker = |text: &str| -> Vec<bool> {
            let words: Vec<&str> = text.split(' ').collect();
            afterwards(&words).map(|(_, speaker)| speaker).collect()
        };
        assert_eq!(by_speaker("since then i always measure first"), [true]);
        assert_eq!(
            by_speaker("since then when a process is painful my first question is why"),
            [true]
        );
        assert_eq!(
            by_speaker("since then the check has caught four more"),
            [false]
        );
        assert_eq!(by_speaker("and from then on"), [false]);
        assert!(states_learning(&["since", "then", "i", "always", "ask"]));
        assert!(!states_learning(&[
            "each", "one", "would", "have", "brought", "it", "back"
        ]));
        assert!(states_learning(&["i", "should", "have", "asked", "sooner"]));
    }

    #[test]
    fn phrases() {
        let words = ["i", "had", "to", "ship", "it", "had", "to"];
        assert_eq!(count_phrase(&words, "had to"), 2);
        assert_eq!(count_phrase(&words, "to ship it"), 1);
        assert_eq!(count_phrase(&[], "had to"), 0);
        assert_eq!(phrases_in(&words, &["had to", "next time"]), ["had to"]);
    }
}
