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

/// `m:ss`, rounding to the nearest second: how long something lasted.
pub fn duration(seconds: f64) -> String {
    let total = if seconds.is_finite() && seconds > 0.0 {
        seconds.round() as u64
    } else {
        0
    };
    format!("{}:{:02}", total / 60, total % 60)
}

/// A rate or a measure rounded to a whole number: `142` words/min.
pub fn whole(value: f64) -> String {
    format!("{value:.0}")
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

/// Words as the user said them, in quotes: `"kind of", "stuff"`.
pub fn quoted(items: &[String]) -> String {
    items
        .iter()
        .map(|item| format!("\"{item}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `[mm:ss]` before a transcript line; rounds down like [`clock`].
pub fn stamp(seconds: f64) -> String {
    let clock = clock(seconds);
    let (minutes, secs) = clock.split_once(':').unwrap_or(("0", "00"));
    format!("[{minutes:0>2}:{secs}]")
}

/// Visible width of `text`, skipping ANSI escape sequences.
pub fn visible_width(text: &str) -> usize {
    let mut width = 0;
    let mut in_escape = false;
    for ch in text.chars() {
        if in_escape {
            if ch == 'm' {
                in_escape = false;
            }
        } else if ch == '\x1b' {
            in_escape = true;
        } else {
            width += 1;
        }
    }
    width
}

/// Greedy word wrap of pre-styled tokens: the first line starts after
/// `first_prefix`, later lines are indented by `indent` spaces.
/// [`wrap_tokens`] for plain text, split at its spaces.
pub fn wrap_words(text: &str, first_prefix: &str, indent: usize, width: usize) -> String {
    let tokens: Vec<String> = text.split_whitespace().map(str::to_string).collect();
    wrap_tokens(&tokens, first_prefix, indent, width)
}

pub fn wrap_tokens(tokens: &[String], first_prefix: &str, indent: usize, width: usize) -> String {
    let mut out = String::from(first_prefix);
    let mut line_width = visible_width(first_prefix);
    let mut line_empty = true;
    for token in tokens {
        let token_width = visible_width(token);
        if !line_empty && line_width + 1 + token_width > width {
            out.push('\n');
            out.push_str(&" ".repeat(indent));
            line_width = indent;
            line_empty = true;
        }
        if !line_empty {
            out.push(' ');
            line_width += 1;
        }
        out.push_str(token);
        line_width += token_width;
        line_empty = false;
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
