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

/// A sparkline row: name, values oldest first, how to show one, a hint.
type Series = (&'static str, Vec<f64>, fn(f64) -> String, String);

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
            "length",
            analyses.iter().map(|a| a.answer_s).collect(),
            crate::format::duration,
            format!(
                "aim {}",
                crate::format::durations(latest.window.min_s, latest.window.max_s)
            ),
        ),
        (
            "fillers/min",
            analyses.iter().map(|a| a.fillers.per_minute).collect(),
            |v| crate::format::one_decimal(v),
            "lower is better".to_string(),
        ),
        (
            "action share",
            analyses.iter().map(|a| a.star.shares.action).collect(),
            crate::format::percent,
            format!("aim ~{}", crate::format::percent(latest.star.target.action)),
        ),
        (
            "checks",
            analyses.iter().map(|a| checks_passed(a) as f64).collect(),
            |v| format!("{}/{CHECKS_TOTAL}", crate::format::whole(v)),
            "higher is better".to_string(),
        ),
    ];
    for (name, values, shown, hint) in series {
        let spark = text::sparkline(&values.iter().map(|v| Some(*v)).collect::<Vec<_>>());
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
