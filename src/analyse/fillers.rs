//! Filler words found in the text.
//!
//! Sounds like "um" and "uh" are always fillers. Words like "like", "so",
//! "you know" or "well" are fillers only when they do no grammatical work, which
//! in speech shows as being set off: a comma or a silence on either side, or
//! opening a sentence as a discourse marker. Each word has its own look-alikes
//! ("I'd like to", "so that", "the right index", "lets you know", "a kind of
//! bug", "as well") that are ruled out first.

use std::ops::Range;

pub use crate::hesitation::canonical_filler;

use super::lexicon::COPULAS;
use super::text::{Token, gap_after_ms, gap_before_ms, is_number};

/// A silence this long stands in for a comma Whisper did not write.
const PAUSE_MS: u64 = 400;

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FillerHit {
    /// Canonical spelling: "um", "you know".
    pub word: String,
    /// First token of the filler.
    pub token: usize,
    /// Number of tokens it spans.
    pub len: usize,
}

/// Every filler, certain sounds and ambiguous words used as fillers, in order.
pub(crate) fn find(tokens: &[Token], sentences: &[Range<usize>]) -> Vec<FillerHit> {
    let mut starts = vec![false; tokens.len()];
    for range in sentences {
        if let Some(s) = starts.get_mut(range.start) {
            *s = true;
        }
    }
    let ctx = Context { tokens, starts };
    let mut hits = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let hit = if let Some(word) = canonical_filler(&tokens[i].norm) {
            Some((word.to_string(), 1))
        } else {
            ctx.ambiguous(i)
        };
        match hit {
            Some((word, len)) => {
                hits.push(FillerHit {
                    word,
                    token: i,
                    len,
                });
                i += len;
            }
            None => i += 1,
        }
    }
    hits
}

struct Context<'a> {
    tokens: &'a [Token],
    /// Tokens that open a sentence.
    starts: Vec<bool>,
}

/// Who did something, as a speaker names them.
const PERSONS: &[&str] = &["i", "we", "they", "he", "she"];
const PRONOUNS: &[&str] = &[
    "i", "we", "they", "he", "she", "it", "you", "there", "i'm", "we're", "they're", "it's",
    "that's", "i've", "we've", "i'd", "we'd", "this",
];

/// Verbs of seeming, after which "like" is a preposition ("it looks like a
/// race", "what it felt like").
const SEEMING: &[&str] = &[
    "look", "looks", "looked", "looking", "seem", "seems", "seemed", "feel", "feels", "felt",
    "feeling", "sound", "sounds", "sounded",
];

/// Amounts that "like a" can approximate: "it took like a whole weekend".
const AMOUNTS: &[&str] = &[
    "whole", "couple", "few", "dozen", "hundred", "thousand", "million", "half", "second",
    "minute", "hour", "day", "week", "month", "quarter", "year",
];

/// Words that open a clause or are themselves fillers: what follows a filler "like".
const DISCOURSE: &[&str] = &[
    "so",
    "and",
    "but",
    "just",
    "really",
    "literally",
    "basically",
    "actually",
    "um",
    "uh",
    "then",
    "yeah",
    "well",
    "oh",
    "okay",
    "honestly",
];

const DETERMINERS: &[&str] = &[
    "a",
    "an",
    "the",
    "this",
    "that",
    "these",
    "those",
    "what",
    "which",
    "any",
    "some",
    "every",
    "each",
    "one",
    "same",
    "another",
    "no",
    "other",
    "certain",
    "my",
    "our",
    "your",
    "their",
    "his",
    "her",
    "its",
    "different",
    "many",
    "all",
    "whatever",
    "particular",
    "right",
    "wrong",
    "best",
    "worst",
    "only",
    "first",
    "new",
    "similar",
    "weird",
    "odd",
    "whole",
];

impl Context<'_> {
    fn norm(&self, i: usize) -> &str {
        self.tokens.get(i).map_or("", |t| t.norm.as_str())
    }

    fn prev(&self, i: usize) -> &str {
        if i == 0 { "" } else { self.norm(i - 1) }
    }

    /// A break (punctuation or silence) right before token `i`.
    fn break_before(&self, i: usize) -> bool {
        i == 0
            || self.starts[i]
            || self.tokens[i - 1].comma_after
            || self.tokens[i - 1].ends_sentence
            || gap_before_ms(self.tokens, i) >= PAUSE_MS
    }

    /// A break right after token `i`.
    fn break_after(&self, i: usize) -> bool {
        let t = &self.tokens[i];
        t.comma_after
            || t.ends_sentence
            || i + 1 >= self.tokens.len()
            || gap_after_ms(self.tokens, i) >= PAUSE_MS
    }

    /// Opens its sentence, maybe after other fillers or "and"/"but"
    /// ("And, like, ..." / "Um so ...").
    fn opens_sentence(&self, i: usize) -> bool {
        let mut j = i;
        while j > 0 && !self.starts[j] {
            let prev = self.norm(j - 1);
            let skippable = canonical_filler(prev).is_some()
                || matches!(prev, "and" | "but" | "so" | "well" | "okay" | "yeah" | "oh");
            if !skippable {
                return false;
            }
            j -= 1;
        }
        true
    }

    /// Opens a sentence, or a clause after a comma ("..., and well, two ...").
    fn opens_clause(&self, i: usize) -> bool {
        if self.opens_sentence(i) || self.break_before(i) {
            return true;
        }
        i >= 2
            && matches!(self.prev(i), "and" | "but" | "so" | "because")
            && (self.tokens[i - 2].comma_after || gap_before_ms(self.tokens, i - 1) >= PAUSE_MS)
    }

    fn ambiguous(&self, i: usize) -> Option<(String, usize)> {
        let word = self.norm(i);
        let next = self.norm(i + 1);
        let found = match word {
            "like" => self.like(i).then_some(1),
            "so" => self.so(i).then_some(1),
            "well" => self.well(i).then_some(1),
            "right" => self.right(i).then_some(1),
            "basically" => self.basically(i).then_some(1),
            // "literally" does grammatical work unless set off.
            "literally" => (self.break_before(i) || self.break_after(i)).then_some(1),
            "actually" | "honestly" | "obviously" => (self.tokens[i].comma_after
                || (self.break_before(i) && !self.opens_sentence(i) && self.break_after(i)))
            .then_some(1),
            "you" if next == "know" => self.you_know(i).then_some(2),
            "i" if next == "mean" => self.i_mean(i).then_some(2),
            "kind" | "sort" if next == "of" => self.kind_of(i).then_some(2),
            "kinda" | "sorta" => (!DETERMINERS.contains(&self.prev(i))).then_some(1),
            _ => None,
        }?;
        let canonical = match word {
            "kinda" => "kind of".to_string(),
            "sorta" => "sort of".to_string(),
            _ => (i..i + found)
                .map(|k| self.norm(k))
                .collect::<Vec<_>>()
                .join(" "),
        };
        Some((canonical, found))
    }

    /// "basically": a filler, but for the "essentially" that grades an
    /// adjective after a copula ("the plan was basically sound", "the models
    /// were basically identical": two writers' three look-alikes). Before a
    /// noun phrase, a number, a quantifier or a verb in -ing ("it was
    /// basically the right tool", "was basically every time", "was
    /// basically saying no"), or set off, it only hedges.
    fn basically(&self, i: usize) -> bool {
        const NOT_ADJECTIVES: &[&str] = &[
            "all",
            "every",
            "ever",
            "everything",
            "everyone",
            "nothing",
            "always",
            "never",
            "just",
            "only",
            "me",
            "us",
            "it",
            "them",
        ];
        let next = self.norm(i + 1);
        let grades_predicate = i > 0
            && COPULAS.contains(&self.prev(i))
            && !self.break_before(i)
            && !self.break_after(i)
            && !DETERMINERS.contains(&next)
            && !NOT_ADJECTIVES.contains(&next)
            && !next.ends_with("ing")
            && !is_number(next)
            && canonical_filler(next).is_none();
        !grades_predicate
    }

    /// "like": a filler when set off or opening a clause; not after verbs that
    /// take it ("I'd like to", "looks like", "felt like"), not as "such as"
    /// before a noun ("tools like Grafana").
    fn like(&self, i: usize) -> bool {
        const LICENSORS: &[&str] = &[
            "would",
            "i'd",
            "we'd",
            "you'd",
            "they'd",
            "he'd",
            "she'd",
            "something",
            "anything",
            "nothing",
            "more",
            "less",
            "much",
            "exactly",
            "just",
            "i",
            "we",
            "you",
            "they",
            "don't",
            "didn't",
            "do",
            "did",
            "really",
            "not",
            "things",
            "stuff",
            "is",
            "was",
            "were",
            "be",
            "it's",
            "that's",
            "what's",
            "very",
        ];
        let next = self.norm(i + 1);
        let set_off_before =
            i > 0 && (self.tokens[i - 1].comma_after || gap_before_ms(self.tokens, i) >= PAUSE_MS);
        // "it was like, messy": a comma after it leaves "like" no role, unless
        // it is the verb of "I'd like, ..." or ends a clause after a verb of
        // seeming ("ask them what it felt like, because...").
        if self.tokens[i].comma_after
            && !matches!(
                self.prev(i),
                "would" | "i'd" | "we'd" | "you'd" | "they'd" | "he'd" | "she'd"
            )
            && (set_off_before || !SEEMING.contains(&self.prev(i)))
        {
            return true;
        }
        // "it was like two months of work": after a copula, before a number,
        // "like" only hedges the amount; before anything else it compares
        // ("it was like a war room").
        let copula_then_number = COPULAS.contains(&self.prev(i)) && is_number(next);
        if (LICENSORS.contains(&self.prev(i)) || SEEMING.contains(&self.prev(i)))
            && !set_off_before
            && !copula_then_number
        {
            return false;
        }
        if self.tokens[i].comma_after {
            return true;
        }
        // "like I said" / "like we discussed" compare, they don't fill.
        if matches!(
            self.norm(i + 2),
            "said" | "mentioned" | "discussed" | "did" | "do" | "planned"
        ) {
            return false;
        }
        let next_is_clause = PRONOUNS.contains(&next)
            || DISCOURSE.contains(&next)
            || canonical_filler(next).is_some();
        if self.opens_sentence(i) || set_off_before {
            return next_is_clause || is_number(next) || self.break_after(i);
        }
        // Approximation with no role: "it took like three days", "like a
        // whole weekend"; not a likeness ("treated it like a bug").
        let approximates =
            is_number(next) || (matches!(next, "a" | "an") && AMOUNTS.contains(&self.norm(i + 2)));
        approximates && !matches!(self.prev(i), "numbers" | "values")
    }

    /// "so": a filler as "So, ..." or trailing "... so." / "so yeah"; not "so
    /// that", "so many", "and so on", "I think so", nor as "therefore" mid-sentence.
    fn so(&self, i: usize) -> bool {
        let next = self.norm(i + 1);
        let prev = self.prev(i);
        if matches!(
            next,
            "that"
                | "many"
                | "much"
                | "far"
                | "long"
                | "few"
                | "little"
                | "often"
                | "on"
                | "forth"
                | "called"
                | "bad"
                | "good"
                | "slow"
                | "fast"
                | "big"
                | "hard"
                | "easy"
                | "important"
                | "quickly"
        ) {
            return false;
        }
        // "so" standing for a clause: "I think so.", "we should say so.",
        // and "if so", "even so" anywhere.
        if matches!(prev, "think" | "thought" | "hope" | "hoped" | "guess" | "suppose" | "say" | "says" | "said" | "told" | "believe" | "do" | "did" | "not" | "or" | "and" if self.tokens[i].ends_sentence)
            || matches!(prev, "if" | "even")
        {
            return false;
        }
        // "so we could catch it", "so they'd lead": a purpose clause ("so
        // that"), also where Whisper put a full stop before it.
        let modal = |word: &str| matches!(word, "could" | "can" | "would" | "might" | "will");
        let subject = |word: &str| {
            matches!(
                word,
                "i" | "we" | "they" | "he" | "she" | "you" | "it" | "everyone" | "people"
            )
        };
        if (subject(next) && modal(self.norm(i + 2)))
            || matches!(next, "i'd" | "we'd" | "they'd" | "he'd" | "she'd" | "you'd")
        {
            return false;
        }
        if self.tokens[i].comma_after || self.tokens[i].ends_sentence {
            return true;
        }
        // Opening a sentence "so" links to nothing before it: a discourse filler
        // ("Um, so the situation was..."). Mid-sentence it means "therefore",
        // also where a long run of clauses was split at a comma ("…on call
        // that week, so it was on me to stop it"), and after "and" ("And so
        // my fellow Americans…", "and so I rewrote it").
        self.opens_sentence(i) && !self.follows_a_comma(i) && !matches!(prev, "and" | "but")
    }

    /// The word before `i` (hesitations skipped: "…that week, um, so") ends
    /// on a comma, not a stop.
    fn follows_a_comma(&self, i: usize) -> bool {
        let mut j = i;
        while j > 0 && canonical_filler(self.norm(j - 1)).is_some() {
            j -= 1;
        }
        j > 0 && self.tokens[j - 1].comma_after && !self.tokens[j - 1].ends_sentence
    }

    /// "well": a filler opening a sentence ("Well, ..."); not "as well",
    /// "went well", "well tested".
    fn well(&self, i: usize) -> bool {
        if matches!(
            self.prev(i),
            "as" | "very"
                | "pretty"
                | "so"
                | "went"
                | "worked"
                | "go"
                | "goes"
                | "quite"
                | "really"
                | "done"
        ) {
            return false;
        }
        let next = self.norm(i + 1);
        if next.ends_with("ed")
            || matches!(
                next,
                "known"
                    | "written"
                    | "built"
                    | "as"
                    | "enough"
                    | "beyond"
                    | "over"
                    | "under"
                    | "above"
            )
        {
            return false;
        }
        self.opens_clause(i)
            && (self.break_after(i) || PRONOUNS.contains(&next) || DISCOURSE.contains(&next))
    }

    /// "right": a filler as a tag ("..., right?") or set off ("Right, so");
    /// not "the right index", "right now", "right after".
    fn right(&self, i: usize) -> bool {
        if DETERMINERS.contains(&self.prev(i)) {
            return false;
        }
        let t = &self.tokens[i];
        if t.question {
            return true;
        }
        if matches!(
            self.prev(i),
            "all"
                | "is"
                | "was"
                | "were"
                | "be"
                | "turn"
                | "turned"
                | "left"
                | "on"
                | "to"
                | "it"
                | "that's"
        ) {
            return false;
        }
        (self.break_before(i) && t.comma_after) || (self.opens_sentence(i) && self.break_after(i))
    }

    /// "you know": a filler when set off or closing a sentence; not "let you
    /// know", "do you know", "you know what / how / that".
    fn you_know(&self, i: usize) -> bool {
        let prev = self.prev(i);
        let know = i + 1;
        // Set off by commas on both sides it is a filler whatever precedes it.
        if i > 0 && self.tokens[i - 1].comma_after && self.tokens[know].comma_after {
            return true;
        }
        if matches!(
            prev,
            "let"
                | "lets"
                | "letting"
                | "do"
                | "did"
                | "don't"
                | "didn't"
                | "if"
                | "as"
                | "will"
                | "would"
                | "could"
                | "can"
                | "to"
                | "what"
                | "because"
                | "that"
                | "whether"
        ) {
            return false;
        }
        if self.tokens[know].comma_after
            || self.tokens[know].ends_sentence
            || self.tokens[know].question
        {
            return true;
        }
        let next = self.norm(know + 1);
        // "the errors dropped, but you know 40%": before a number it only
        // hedges the amount, as "like" does ("do you know 40% of..." is
        // ruled out above).
        if is_number(next) {
            return true;
        }
        if matches!(
            next,
            "what"
                | "how"
                | "that"
                | "whether"
                | "why"
                | "where"
                | "when"
                | "who"
                | "which"
                | "about"
                | "it"
                | "him"
                | "her"
                | "them"
                | "the"
                | "a"
                | "an"
                | "if"
        ) {
            return false;
        }
        (self.break_before(i) || self.opens_sentence(i))
            && (PRONOUNS.contains(&next)
                || DISCOURSE.contains(&next)
                || canonical_filler(next).is_some())
    }

    /// "I mean": a filler when set off ("I mean, ..."); not "I mean to",
    /// "what I mean is", "I mean it".
    fn i_mean(&self, i: usize) -> bool {
        if matches!(
            self.prev(i),
            "what" | "which" | "that" | "if" | "than" | "do"
        ) {
            return false;
        }
        let mean = i + 1;
        let next = self.norm(mean + 1);
        if matches!(
            next,
            "to" | "it" | "is" | "that" | "by" | "you" | "when" | "this"
        ) && !self.tokens[mean].comma_after
        {
            return false;
        }
        // Set off mid-sentence it edits what came before: "weak answers,
        // I mean actual quotes".
        let repairs = i > 0 && self.tokens[i - 1].comma_after && !self.starts[i];
        // Between two people, commas or not, it corrects the first: "we I
        // mean I ran it" (no sentence puts "we" straight before "I").
        let swaps_person =
            PERSONS.contains(&self.prev(i)) && PERSONS.contains(&next) && !self.starts[i];
        self.tokens[mean].comma_after
            || repairs
            || swaps_person
            || ((self.opens_sentence(i) || self.break_before(i))
                && (PRONOUNS.contains(&next)
                    || DISCOURSE.contains(&next)
                    || canonical_filler(next).is_some()
                    || self.break_after(mean)))
    }

    /// "kind of" / "sort of": a hedge filler unless a determiner makes it a
    /// noun ("a kind of bug", "what sort of tests").
    fn kind_of(&self, i: usize) -> bool {
        !DETERMINERS.contains(&self.prev(i)) && !matches!(self.prev(i), "of" | "same" | "that")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyse::sentences::clauses;
    use crate::analyse::testutil::transcript;
    use crate::analyse::text::tokens;

    fn fillers(spec: &str) -> Vec<String> {
        let toks = tokens(&transcript(spec));
        let sentences = clauses(&toks);
        find(&toks, &sentences)
            .into_iter()
            .map(|h| h.word)
            .collect()
    }

    #[track_caller]
    fn none(spec: &str) {
        let found = fillers(spec);
        assert!(found.is_empty(), "{spec:?} -> {found:?}");
    }

    #[track_caller]
    fn exactly(spec: &str, expected: &[&str]) {
        assert_eq!(fillers(spec), expected, "{spec:?}");
    }

    #[test]
    fn hesitation_sounds_with_elongations() {
        exactly("Um, we shipped it.", &["um"]);
        exactly(
            "Ummm we uhh shipped erm it hmm.",
            &["um", "uh", "erm", "hmm"],
        );
        exactly("Uh. Er, mm, ah, Uhm.", &["uh", "er", "mm", "ah", "um"]);
        assert_eq!(canonical_filler("Ummmm,"), Some("um"));
        assert_eq!(canonical_filler("um-hmm"), Some("um"));
        assert_eq!(canonical_filler("umbrella"), None);
        assert_eq!(canonical_filler("a"), None);
        assert_eq!(canonical_filler("her"), None);
    }

    #[test]
    fn like_as_filler() {
        exactly("And then, like, the build broke.", &["like"]);
        exactly("Like, nobody owned the pipeline.", &["like"]);
        exactly("It took like three weeks.", &["like"]);
        exactly("I thought it was like two months of work.", &["like"]);
        exactly("The fix is like 40 lines.", &["like"]);
        // Every copula of `lexicon::COPULAS`, "are" and "been" included.
        exactly("There are like twenty of them.", &["like"]);
        exactly("It has been like three weeks.", &["like"]);
        exactly("The take-home took like a whole weekend.", &["like"]);
        exactly("It took like an hour to deploy.", &["like"]);
        exactly("We were, like +600 stuck.", &["like"]);
        exactly("The code was like, messy.", &["like"]);
    }

    #[test]
    fn like_look_alikes() {
        none("I'd like to add a test.");
        none("I would like more time.");
        none("We would like to ship on Friday.");
        none("It looks like a race condition.");
        none("It felt like the right call.");
        none("I asked them what the loop felt like, because they knew.");
        none("We treated it like a bug in the parser.");
        none("It was like a maze of services.");
        none("We used tools like Grafana and Prometheus.");
        none("I like writing tests.");
        none("Like I said, the cache was cold.");
        none("It was like a maze.");
        // A comparison with a number in it is still no filler.
        none("It felt like 2019 all over again.");
        none("It was more like 40.");
    }

    #[test]
    fn so_as_filler() {
        exactly("So, the service kept timing out.", &["so"]);
        exactly("So um we rolled back.", &["so", "um"]);
        exactly("Um, so the team was small.", &["um", "so"]);
        exactly("We shipped. So the pager went quiet.", &["so"]);
        exactly("And it was fixed, so.", &["so"]);
        // A run of clauses split at a comma: "so" goes on from the one before.
        let words = "Last winter the crash rate of our mobile app doubled over the two \
            weeks after a big release of the photo screen with the new camera features \
            for the older phones, so it was on me to stop it before the weekend traffic.";
        let toks = tokens(&transcript(words));
        let so = toks.iter().position(|t| t.norm == "so").expect("so");
        assert!(
            clauses(&toks).iter().any(|c| c.start == so),
            "split before so"
        );
        exactly(words, &[]);
    }

    #[test]
    fn so_look_alikes() {
        none("I added a flag so that we could roll back.");
        none("I set up a rota so they could lead the calls.");
        none("We added a canary. So we could catch it early.");
        none("I wrote the runbook, so they'd know what to do.");
        none("There were so many alerts.");
        none("It broke, so I rolled it back.");
        none("We checked logs, metrics and so on.");
        none("I think so.");
        none("The page was so slow.");
        none("And so my fellow Americans, ask not what your country can do for you.");
        none("And so I rewrote the job.");
    }

    #[test]
    fn you_know_and_i_mean() {
        exactly("It was, you know, a mess.", &["you know"]);
        exactly("We missed the date, you know.", &["you know"]);
        exactly(
            "The lesson was that, you know, tests pay off.",
            &["you know"],
        );
        exactly("I mean, the tests were green.", &["i mean"]);
        exactly(
            "We wrote weak answers, I mean actual quotes, for each level.",
            &["i mean"],
        );
        none("The alert lets you know when the queue backs up.");
        none("Do you know what broke?");
        exactly(
            "Errors dropped but you know 40% is still a lot.",
            &["you know"],
        );
        none("Did you know 40% of the calls were retries?");
        none("You know how migrations go.");
        // Heard on an unseen festival answer, with the commas lost.
        exactly("We I mean I ran it by hand for two releases.", &["i mean"]);
        exactly("They, I mean we, shipped it.", &["i mean"]);
        none("I mean to fix it next sprint.");
        none("Then I mean we should say so.");
        none("If so, we roll back. Even so, it held. My lead said so.");
        none("By Friday, I mean to fix it.");
        none("That is what I mean by ownership.");
    }

    #[test]
    fn right_kind_of_well() {
        exactly("We had to fix it, right?", &["right"]);
        exactly("Right, the queue filled up.", &["right"]);
        none("I picked the right index.");
        none("We rolled back right now.");
        none("I started right after the incident.");
        exactly("It kind of worked.", &["kind of"]);
        exactly("We sort of rewrote it.", &["sort of"]);
        none("It was a kind of bug I had never seen.");
        none("That kind of bug is rare.");
        none("What sort of tests did we need?");
        exactly("Well, the first thing I did was profile it.", &["well"]);
        none("It went well.");
        exactly("It got faster, and well, others copied it.", &["well"]);
        none("It got faster and it ran well, and others copied it.");
        none("I wrote the docs as well.");
        none("Well tested code ships faster.");
    }

    #[test]
    fn basically_actually() {
        exactly("Basically the cache was cold.", &["basically"]);
        exactly("It was basically the right tool.", &["basically"]);
        exactly("It was basically 40 minutes.", &["basically"]);
        exactly("The plan was, basically, sound.", &["basically"]);
        none("The plan was basically sound.");
        none("The two models were basically identical.");
        exactly("The hard part was basically saying no.", &["basically"]);
        exactly("It failed, which was basically every time.", &["basically"]);
        exactly("The fix was, actually, one line.", &["actually"]);
        none("The fix actually worked.");
    }

    #[test]
    fn no_fillers_in_plain_answer() {
        none("I rewrote the retry logic and latency fell from 900 milliseconds to 200.");
        none("");
    }
}
