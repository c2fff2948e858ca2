//! How numbers (and quoted words) look to the user: one formatter per kind,
//! used by every view so that rounding and units never differ between them.

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
