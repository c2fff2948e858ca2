//! Turns Whisper words into normalised tokens that remember the punctuation
//! and the silence around them: the rules downstream read structure from these.

use crate::transcript::{Transcript, ends_sentence, trailing_punctuation};

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    /// Index of the word in `Transcript::words()`: how the analysis refers
    /// to it in its output.
    pub word: usize,
    /// The word as Whisper wrote it, trimmed.
    pub raw: String,
    /// Lowercase, surrounding punctuation removed, curly apostrophes straightened.
    pub norm: String,
    pub start_ms: u64,
    pub end_ms: u64,
    /// Followed by `,` `;` `:` a dash or `...`: a spoken break.
    pub comma_after: bool,
    /// Followed by `.` `!` or `?`.
    pub ends_sentence: bool,
    /// Followed by `?`.
    pub question: bool,
    /// Whisper's confidence in the word, 0..=1.
    pub probability: f32,
    /// Whisper wrote it with a capital letter (or it is "I" or a number):
    /// after a full stop, no hint that the sentence goes on.
    pub capitalised: bool,
    /// The last word of a transcript segment: a decoding window may end here,
    /// and Whisper ends every window with a full stop.
    pub segment_end: bool,
}

/// Words of the transcript in time order, with non-speech markers
/// (`[BLANK_AUDIO]`, `(laughs)`) dropped and bare punctuation folded into the
/// previous word.
pub(crate) fn tokens(transcript: &Transcript) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::new();
    let mut in_marker = false;
    let segment_ends: Vec<bool> = transcript
        .segments
        .iter()
        .flat_map(|segment| {
            let n = segment.words.len();
            (0..n).map(move |k| k + 1 == n)
        })
        .collect();
    for (index, word) in transcript.words().enumerate() {
        let raw = word.text.trim();
        if raw.is_empty() {
            continue;
        }
        // Markers may be split over several words: skip from the opening bracket
        // to the closing one.
        if raw.starts_with('[') || raw.starts_with('(') || raw.starts_with('*') {
            in_marker = !(raw.ends_with(']')
                || raw.ends_with(')')
                || (raw.len() > 1 && raw.ends_with('*')));
            continue;
        }
        if in_marker {
            if raw.ends_with(']') || raw.ends_with(')') || raw.ends_with('*') {
                in_marker = false;
            }
            continue;
        }
        let cleaned: String = raw
            .chars()
            .map(|c| match c {
                '\u{2019}' | '\u{2018}' | '`' => '\'',
                '\u{2014}' | '\u{2013}' => '-',
                c => c,
            })
            .collect();
        let norm = normalise(&cleaned);
        let trailing = trailing_punctuation(&cleaned);
        let ellipsis = trailing.contains("..") || trailing.contains('\u{2026}');
        let ends_sentence = ends_sentence(&cleaned);
        let question = trailing.contains('?');
        let comma_after = ellipsis || trailing.chars().any(|c| matches!(c, ',' | ';' | ':' | '-'));
        if norm.is_empty() {
            // Bare punctuation: it belongs to the word before it.
            if let Some(last) = out.last_mut() {
                last.comma_after |= comma_after;
                last.ends_sentence |= ends_sentence;
                last.question |= question;
                last.segment_end |= segment_ends[index];
            }
            continue;
        }
        let start_ms = word.start_ms;
        let end_ms = word.end_ms.max(start_ms);
        let capitalised = cleaned
            .chars()
            .find(|c| c.is_alphanumeric())
            .is_some_and(|c| c.is_uppercase() || c.is_numeric());
        out.push(Token {
            word: index,
            raw: raw.to_string(),
            norm,
            start_ms,
            end_ms,
            comma_after,
            ends_sentence,
            question,
            probability: word.probability,
            capitalised,
            segment_end: segment_ends[index],
        });
    }
    out
}

/// Lowercase; strip leading and trailing punctuation but keep inner
/// apostrophes, hyphens and dots ("don't", "follow-up", "3.5") and `%` / `$`.
pub(crate) fn normalise(raw: &str) -> String {
    let lower = raw.to_lowercase();
    let keep = |c: char| c.is_alphanumeric() || c == '%' || c == '$';
    let start = lower.find(keep);
    let end = lower.rfind(keep);
    match (start, end) {
        (Some(s), Some(e)) => {
            let e = e + lower[e..].chars().next().map_or(1, char::len_utf8);
            lower[s..e].to_string()
        }
        _ => String::new(),
    }
}

/// Silence between token `i - 1` and token `i`, 0 for the first token.
pub(crate) fn gap_before_ms(tokens: &[Token], i: usize) -> u64 {
    if i == 0 || i >= tokens.len() {
        return 0;
    }
    tokens[i].start_ms.saturating_sub(tokens[i - 1].end_ms)
}

/// Silence after token `i`, 0 for the last token.
pub(crate) fn gap_after_ms(tokens: &[Token], i: usize) -> u64 {
    gap_before_ms(tokens, i + 1)
}

const NUMBER_WORDS: &[&str] = &[
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
    "hundred",
    "thousand",
    "million",
    "billion",
    "half",
    "third",
    "quarter",
    "dozen",
    "dozens",
    "hundreds",
    "thousands",
    "millions",
    "twice",
    "double",
    "doubled",
    "triple",
    "tripled",
    "halved",
    "quadrupled",
];

/// "40", "3.5", "40%", "$2k", "10x", "p99" or a number word ("forty", "twenty-five").
pub(crate) fn is_number(norm: &str) -> bool {
    let digits = norm.chars().filter(char::is_ascii_digit).count();
    if digits > 0 {
        return true;
    }
    norm.split('-').all(|part| NUMBER_WORDS.contains(&part))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyse::testutil::transcript;

    #[test]
    fn normalise_keeps_inner_marks() {
        assert_eq!(normalise("Well,"), "well");
        assert_eq!(normalise("\"don't\""), "don't");
        assert_eq!(normalise("40%."), "40%");
        assert_eq!(normalise("3.5."), "3.5");
        assert_eq!(normalise("..."), "");
    }

    #[test]
    fn tokens_read_punctuation_and_drop_markers() {
        let t = transcript("Well, [BLANK_AUDIO] it went... fine. Right?");
        let toks = tokens(&t);
        let words: Vec<&str> = toks.iter().map(|t| t.norm.as_str()).collect();
        assert_eq!(words, ["well", "it", "went", "fine", "right"]);
        assert!(toks[0].comma_after);
        assert!(toks[2].comma_after && !toks[2].ends_sentence);
        assert!(toks[3].ends_sentence);
        assert!(toks[4].question);
    }

    #[test]
    fn numbers_in_digits_and_words() {
        for n in [
            "40",
            "3.5",
            "40%",
            "$2k",
            "10x",
            "forty",
            "twenty-five",
            "half",
        ] {
            assert!(is_number(n), "{n}");
        }
        for n in ["for", "once", "tone", "someone"] {
            assert!(!is_number(n), "{n}");
        }
    }
}
