//! Sentences with times: split at Whisper's sentence punctuation, then cut
//! run-ons (Whisper sometimes writes 60 words without a full stop) at the
//! likeliest spoken boundary: a long silence, a comma, a joining word.

use std::ops::Range;

use super::text::{Token, gap_before_ms};

/// Longest sentence kept whole, in words and in milliseconds.
const MAX_WORDS: usize = 32;
const MAX_MS: u64 = 14_000;
/// Neither half of a cut run-on may be shorter than this.
const MIN_WORDS: usize = 5;

const JOINERS: &[&str] = &[
    "and", "but", "so", "then", "because", "which", "after", "once", "when", "while", "since",
    "although", "though", "until", "before",
];

/// Token ranges of the sentences, in order; together they cover every token.
pub(crate) fn split(tokens: &[Token]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, token) in tokens.iter().enumerate() {
        if token.ends_sentence || i + 1 == tokens.len() {
            cut_run_on(tokens, start..i + 1, &mut out);
            start = i + 1;
        }
    }
    out
}

fn too_long(tokens: &[Token], range: &Range<usize>) -> bool {
    let len = range.len();
    let ms = tokens[range.end - 1]
        .end_ms
        .saturating_sub(tokens[range.start].start_ms);
    len > MAX_WORDS || (ms > MAX_MS && len >= 2 * MIN_WORDS)
}

fn cut_run_on(tokens: &[Token], range: Range<usize>, out: &mut Vec<Range<usize>>) {
    if range.is_empty() {
        return;
    }
    if !too_long(tokens, &range) || range.len() < 2 * MIN_WORDS {
        out.push(range);
        return;
    }
    let mid = (range.start + range.end) as f64 / 2.0;
    let len = range.len() as f64;
    let best = (range.start + MIN_WORDS..=range.end - MIN_WORDS)
        .map(|k| (k, boundary_score(tokens, k) - (k as f64 - mid).abs() / len))
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map_or(range.start + range.len() / 2, |(k, _)| k);
    cut_run_on(tokens, range.start..best, out);
    cut_run_on(tokens, best..range.end, out);
}

/// How much a cut just before token `k` looks like a sentence boundary.
fn boundary_score(tokens: &[Token], k: usize) -> f64 {
    let gap_s = gap_before_ms(tokens, k) as f64 / 1000.0;
    let mut score = gap_s.min(2.0) * 1.5;
    if tokens[k - 1].comma_after {
        score += 1.0;
    }
    let word = tokens[k].norm.as_str();
    if JOINERS.contains(&word) {
        score += 0.8;
        let next = tokens.get(k + 1).map_or("", |t| t.norm.as_str());
        if matches!(next, "i" | "we" | "then" | "they" | "it" | "the" | "that") {
            score += 0.4;
        }
    }
    score
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyse::testutil::transcript;
    use crate::analyse::text::tokens;

    fn texts(spec: &str) -> Vec<String> {
        let toks = tokens(&transcript(spec));
        split(&toks)
            .into_iter()
            .map(|r| {
                toks[r]
                    .iter()
                    .map(|t| t.norm.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    #[test]
    fn splits_at_full_stops_and_questions() {
        assert_eq!(
            texts("We had a bug. Why? I fixed it! Done"),
            ["we had a bug", "why", "i fixed it", "done"]
        );
    }

    #[test]
    fn decimals_do_not_split() {
        assert_eq!(
            texts("Latency fell to 3.5 seconds."),
            ["latency fell to 3.5 seconds"]
        );
    }

    #[test]
    fn run_on_is_cut_at_joiner_after_a_pause() {
        let spec = "i looked at the dashboards for the checkout service and the error rate was climbing every hour \
                    +900 and then i rolled the release back and paged the owners of the payment gateway to check their side";
        let parts = texts(spec);
        assert_eq!(parts.len(), 2, "{parts:?}");
        assert!(parts[1].starts_with("and then i rolled"), "{parts:?}");
    }

    #[test]
    fn run_on_without_any_cue_is_still_cut() {
        let spec = vec!["word"; 80].join(" ");
        let parts = texts(&spec);
        assert!(parts.len() >= 3, "{parts:?}");
        assert!(parts.iter().all(|p| p.split(' ').count() <= MAX_WORDS));
    }

    #[test]
    fn empty_and_single() {
        assert!(texts("").is_empty());
        assert_eq!(texts("Hello"), ["hello"]);
    }
}
