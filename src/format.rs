//! How numbers look to the user: one formatter per kind of number, used by
//! every view so that rounding and units never differ between them.

/// `m:ss`, rounding down: a running clock or the start of something.
pub fn clock(seconds: f64) -> String {
    let total = if seconds.is_finite() && seconds > 0.0 {
        seconds.floor() as u64
    } else {
        0
    };
    format!("{}:{:02}", total / 60, total % 60)
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
}
