//! `rehearse progress`: how the numbers moved over time, as a table and
//! one sparkline per metric.

use std::fmt::Write as _;

use super::text::{self, Paint};
use crate::analyse::{Analysis, Check};
use crate::store::LoadedSession;

/// Content checks passed, out of [`CHECKS_TOTAL`]: numbers in the result, a
/// learning, more "I" than "we" in actions, no hedges, no blame.
pub fn checks_passed(analysis: &Analysis) -> usize {
    Check::ALL
        .iter()
        .filter(|&&check| analysis.passes(check))
        .count()
}

pub const CHECKS_TOTAL: usize = Check::ALL.len();

/// What `progress` follows over the takes, in the terminal and on its page.
#[derive(Debug, Clone, Copy)]
pub(super) enum Metric {
    Length,
    FillersPerMinute,
    ActionShare,
    Checks,
}

impl Metric {
    pub(super) fn value(self, analysis: &Analysis) -> f64 {
        match self {
            Self::Length => analysis.answer_s,
            Self::FillersPerMinute => analysis.fillers.per_minute,
            Self::ActionShare => analysis.star.shares.action,
            Self::Checks => checks_passed(analysis) as f64,
        }
    }

    /// The range its chart always spans (wider when a value falls outside),
    /// the latest take's aims inside it.
    pub(super) fn axis(self, latest: &Analysis) -> (f64, f64) {
        match self {
            Self::Length => (0.0, latest.window.max_s + 15.0),
            Self::FillersPerMinute => (0.0, 6.0),
            Self::ActionShare => (0.0, 1.0),
            Self::Checks => (0.0, CHECKS_TOTAL as f64),
        }
    }

    /// The smallest change its sparkline draws at full height: its eight
    /// levels show a second or a point as a leap otherwise.
    fn sparkline_span(self) -> f64 {
        match self {
            Self::Length => 15.0,
            Self::FillersPerMinute | Self::Checks => 1.0,
            Self::ActionShare => 0.1,
        }
    }
}

/// `values` with each one that reads the same as an earlier one (74.68 s
/// and 74.72 s are both "1:15") replaced by that one, so they draw the same.
fn as_read(values: &[f64], shown: fn(f64) -> String) -> Vec<f64> {
    let mut first_of_text: Vec<(String, f64)> = Vec::new();
    values
        .iter()
        .map(|&value| {
            let text = shown(value);
            if let Some(&(_, first)) = first_of_text.iter().find(|(seen, _)| *seen == text) {
                first
            } else {
                first_of_text.push((text, value));
                value
            }
        })
        .collect()
}

/// A sparkline row: the metric, its name, how to show a value, a hint.
type Series = (Metric, &'static str, fn(f64) -> String, String);

/// `sessions` oldest first; only analysed takes (matching `principle`, by
/// slug, when given) are shown.
pub fn render_progress(sessions: &[LoadedSession], principle: Option<&str>, color: bool) -> String {
    let paint = Paint { color };
    let chosen: Vec<&LoadedSession> = super::filter_sessions(sessions, principle, None)
        .into_iter()
        .filter(|loaded| loaded.analysis.is_some())
        .collect();
    let mut out = String::new();
    let title = match principle {
        Some(p) => format!(
            "Progress for {} ({})",
            super::stories::principle_slug(p),
            crate::format::count(chosen.len(), "take", "takes")
        ),
        None => format!(
            "Progress ({})",
            crate::format::count(chosen.len(), "take", "takes")
        ),
    };
    let _ = writeln!(out, "{}", paint.bold(&title));
    if chosen.is_empty() {
        let _ = writeln!(
            out,
            "no analysed takes yet; record one with `rehearse practice`"
        );
        return out;
    }
    let rows: Vec<Vec<String>> = chosen
        .iter()
        .filter_map(|loaded| {
            let analysis = loaded.analysis.as_ref()?;
            let length = format!(
                "{} {}",
                crate::format::duration(analysis.answer_s),
                if analysis.in_window {
                    paint.green("✓")
                } else {
                    paint.red("✗")
                }
            );
            Some(vec![
                text::when(&loaded.session.created_utc),
                loaded.session.prompt_id().to_string(),
                length,
                crate::format::one_decimal(analysis.fillers.per_minute),
                crate::format::percent(analysis.star.shares.action),
                format!("{}/{CHECKS_TOTAL}", checks_passed(analysis)),
            ])
        })
        .collect();
    out.push_str(&text::table(
        &[
            "WHEN (UTC)",
            "PROMPT",
            "LENGTH",
            "FILLERS/MIN",
            "ACTION",
            "CHECKS",
        ],
        &rows,
        paint,
    ));
    out.push('\n');
    let analyses: Vec<&Analysis> = chosen.iter().filter_map(|l| l.analysis.as_ref()).collect();
    // The aims are the latest take's: its prompt sets the window.
    let Some(latest) = analyses.last() else {
        return out;
    };
    let series: [Series; 4] = [
        (
            Metric::Length,
            "length",
            crate::format::duration,
            format!(
                "aim {}",
                crate::format::durations(latest.window.min_s, latest.window.max_s)
            ),
        ),
        (
            Metric::FillersPerMinute,
            "fillers/min",
            |v| crate::format::one_decimal(v),
            "lower is better".to_string(),
        ),
        (
            Metric::ActionShare,
            "action share",
            crate::format::percent,
            format!("aim ~{}", crate::format::percent(latest.star.target.action)),
        ),
        (
            Metric::Checks,
            "checks",
            |v| format!("{}/{CHECKS_TOTAL}", crate::format::whole(v)),
            "higher is better".to_string(),
        ),
    ];
    for (metric, name, shown, hint) in series {
        let values: Vec<f64> = analyses.iter().map(|a| metric.value(a)).collect();
        let spark = text::sparkline(
            &as_read(&values, shown)
                .into_iter()
                .map(Some)
                .collect::<Vec<_>>(),
            metric.sparkline_span(),
        );
        let first = values.first().copied().unwrap_or_default();
        let last = values.last().copied().unwrap_or_default();
        let _ = writeln!(
            out,
            "  {name:<13} {spark}  {} → {}  {}",
            shown(first),
            shown(last),
            paint.dim(&format!("({hint})"))
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_that_read_the_same_draw_the_same() {
        let read = as_read(&[74.68, 74.72, 80.0], crate::format::duration);
        assert_eq!(read, vec![74.68, 74.68, 80.0]);
        let spark: Vec<char> =
            text::sparkline(&read.into_iter().map(Some).collect::<Vec<_>>(), 15.0)
                .chars()
                .collect();
        assert_eq!(spark[0], spark[1]);
        assert_ne!(spark[1], spark[2]);
    }
}
