//! How numbers, quoted words and wrapped text look to the user: one
//! formatter per kind, used by every view so that rounding, units and line
//! breaks never differ between them.

/// `m:ss`, rounding down: a running clock or the start of something.
pub fn clock(seconds: f64) -> String {
    let total = if seconds.is_finite() && seconds > 0.0 {
        seconds.floor() as u64
    } else {
        0
    };
    format!("{}:{:02}", total / 60, total % 60)
}

/// A length as every view shows it: whole seconds, never negative. Verdicts
/// on a length (in the window or not) judge this, so that "0:15 ✗" never
/// appears against a 15 s minimum.
pub fn whole_seconds(seconds: f64) -> f64 {
    if seconds.is_finite() && seconds > 0.0 {
        seconds.round()
    } else {
        0.0
    }
}

/// `m:ss`, rounding to the nearest second: how long something lasted.
pub fn duration(seconds: f64) -> String {
    let total = whole_seconds(seconds) as u64;
    format!("{}:{:02}", total / 60, total % 60)
}

/// A rate or a measure rounded to a whole number, half away from zero like
/// every other rounding here (`{:.0}` alone rounds half to even): `142`
/// words/min.
pub fn whole(value: f64) -> String {
    format!("{:.0}", value.round())
}

/// A rate or a length to a tenth: `2.5` fillers/min, a `1.8` s pause.
pub fn one_decimal(value: f64) -> String {
    format!("{value:.1}")
}

/// A share of 0..=1 as a whole percentage, `40%`.
pub fn percent(share: f64) -> String {
    format!("{}%", whole_percent(share))
}

/// A share of 0..=1 in whole percent, half away from zero: the one rounding
/// every view uses for shares.
pub fn whole_percent(share: f64) -> u32 {
    if share.is_finite() {
        (share * 100.0).round().clamp(0.0, 100.0) as u32
    } else {
        0
    }
}

/// Words as the user said them, in quotes: `"kind of", "I think"`.
pub fn quoted(items: &[String]) -> String {
    items
        .iter()
        .map(|item| format!("\"{}\"", as_written(item)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A word or phrase the analysis keeps in lower case, written as in a
/// sentence: the pronoun capitalised ("i mean" is "I mean", "i'd" "I'd").
pub fn as_written(phrase: &str) -> String {
    phrase
        .split(' ')
        .map(|word| match word.strip_prefix('i') {
            Some(rest) if rest.is_empty() || rest.starts_with('\'') => format!("I{rest}"),
            _ => word.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A range of two numbers as every view writes it, with an en dash:
/// `60–120`, `1:00–2:00`.
pub fn range(low: &str, high: &str) -> String {
    format!("{low}–{high}")
}

/// A length window, `1:00–2:00` ([`duration`] at both ends).
pub fn durations(min_s: f64, max_s: f64) -> String {
    range(&duration(min_s), &duration(max_s))
}

/// A stretch of the recording, `0:12–0:31` ([`clock`] at both ends).
pub fn clocks(start_s: f64, end_s: f64) -> String {
    range(&clock(start_s), &clock(end_s))
}

/// A count with its noun, singular for one: `1 take`, `3 stories`.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Counted words as every view lists them: `I mean ×1, like ×2`.
pub fn tally<'a>(counts: impl IntoIterator<Item = (&'a String, &'a usize)>) -> String {
    counts
        .into_iter()
        .map(|(word, count)| format!("{} ×{count}", as_written(word)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `[mm:ss]` before a transcript line; rounds down like [`clock`].
pub fn stamp(seconds: f64) -> String {
    let clock = clock(seconds);
    let (minutes, secs) = clock.split_once(':').unwrap_or(("0", "00"));
    format!("[{minutes:0>2}:{secs}]")
}

/// Columns `text` takes on a terminal: colour codes take none, wide characters two.
pub fn visible_width(text: &str) -> usize {
    textwrap::core::display_width(text)
}

/// Wraps plain text to `width` columns, never inside a word: the first line starts after
/// `first_prefix`, later lines are indented by `indent` spaces.
pub fn wrap_words(text: &str, first_prefix: &str, indent: usize, width: usize) -> String {
    let tokens: Vec<&str> = text.split_whitespace().collect();
    wrap_tokens(&tokens, first_prefix, indent, width)
}

/// [`wrap_words`] for pre-styled tokens. Each token is kept whole even where it holds a space
/// (a highlighted "you know"), so the tokens are handed to textwrap's line breaker as words
/// rather than re-split.
pub fn wrap_tokens<S: AsRef<str>>(
    tokens: &[S],
    first_prefix: &str,
    indent: usize,
    width: usize,
) -> String {
    use textwrap::core::Word;
    let words: Vec<Word> = tokens
        .iter()
        .map(|token| Word {
            word: token.as_ref(),
            whitespace: " ",
            penalty: "",
            width: visible_width(token.as_ref()),
        })
        .collect();
    let line_widths = [
        width.saturating_sub(visible_width(first_prefix)) as f64,
        width.saturating_sub(indent) as f64,
    ];
    let lines = textwrap::wrap_algorithms::wrap_first_fit(&words, &line_widths);
    let mut out = String::from(first_prefix);
    for (index, line) in lines.iter().enumerate() {
        if index > 0 {
            out.push('\n');
            out.push_str(&" ".repeat(indent));
        }
        let texts: Vec<&str> = line.iter().map(|word| word.word).collect();
        out.push_str(&texts.join(" "));
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_written_with_the_pronoun_capitalised() {
        assert_eq!(as_written("i mean"), "I mean");
        assert_eq!(as_written("i'd like"), "I'd like");
        assert_eq!(as_written("like"), "like");
        assert_eq!(as_written("it is in"), "it is in");
        assert_eq!(
            quoted(&["i think".into(), "stuff".into()]),
            "\"I think\", \"stuff\""
        );
        let counts: std::collections::BTreeMap<String, usize> =
            [("i mean".to_string(), 1), ("um".to_string(), 2)].into();
        assert_eq!(tally(&counts), "I mean ×1, um ×2");
        assert_eq!(count(1, "story", "stories"), "1 story");
        assert_eq!(range("60", "120"), "60–120");
        assert_eq!(count(0, "take", "takes"), "0 takes");
    }

    #[test]
    fn clock_rounds_down_and_never_goes_negative() {
        assert_eq!(clock(0.0), "0:00");
        assert_eq!(clock(59.99), "0:59");
        assert_eq!(clock(61.0), "1:01");
        assert_eq!(clock(-3.0), "0:00");
        assert_eq!(clock(f64::NAN), "0:00");
    }

    #[test]
    fn durations_round_and_stamps_agree_with_the_clock() {
        assert_eq!(duration(59.5), "1:00");
        assert_eq!(duration(84.4), "1:24");
        assert_eq!(duration(-1.0), "0:00");
        assert_eq!(stamp(61.9), "[01:01]");
        assert_eq!(stamp(754.0), "[12:34]");
    }

    /// Every whole number rounds half away from zero, so a rate and a length
    /// ending in .5 read the same in every view.
    #[test]
    fn whole_numbers_round_half_away_from_zero_like_lengths_and_shares() {
        for value in [0.5, 2.5, 120.5, 164.5, 165.5] {
            assert_eq!(whole(value), format!("{}", value.round()), "{value}");
            assert_eq!(whole(whole_seconds(value)), whole(value), "{value}");
        }
        assert_eq!(whole(142.4), "142");
    }

    #[test]
    fn wrapping_fits_the_width_and_never_splits_a_word_or_a_styled_token() {
        let text =
            "we measured every deployment and cut the rollback time from forty minutes to six";
        for width in 10..60 {
            let wrapped = wrap_words(text, "Prompt: ", 8, width);
            let words: Vec<&str> = wrapped.split_whitespace().skip(1).collect();
            assert_eq!(words.join(" "), text, "width {width}");
            for line in wrapped.lines() {
                let longest_word = line
                    .split_whitespace()
                    .map(visible_width)
                    .max()
                    .unwrap_or(0);
                assert!(
                    visible_width(line) <= width.max(8 + longest_word),
                    "{line:?} at {width}"
                );
            }
        }
        let styled = ["\x1b[33myou know\x1b[0m".to_string(), "it".to_string()];
        assert_eq!(visible_width(&styled[0]), 8);
        assert_eq!(
            wrap_tokens(&styled, "", 2, 9),
            "\x1b[33myou know\x1b[0m\n  it\n"
        );
        assert_eq!(
            wrap_tokens(&styled, "", 2, 11),
            "\x1b[33myou know\x1b[0m it\n"
        );
    }
}
