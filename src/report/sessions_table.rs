//! `rehearse sessions`: one line per take, and the same rows as JSON.

use serde::Serialize;

use super::text::{self, Paint};
use crate::analyse::{Checks, Shares};
use crate::store::LoadedSession;

/// One row of `rehearse sessions --json`. Metrics are `null` for takes that
/// were not analysed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SessionRow {
    pub id: String,
    pub created_utc: String,
    pub prompt_id: String,
    pub principle: Option<String>,
    pub status: String,
    /// Length of the recording.
    pub duration_s: Option<f64>,
    /// Length of the answer, first word to last: what `in_window` judges.
    pub answer_s: Option<f64>,
    pub in_window: Option<bool>,
    pub fillers_per_minute: Option<f64>,
    pub star_shares: Option<Shares>,
    pub checks: Option<Checks>,
}

pub fn session_rows<'a>(sessions: impl IntoIterator<Item = &'a LoadedSession>) -> Vec<SessionRow> {
    sessions
        .into_iter()
        .map(|loaded| {
            let analysis = loaded.analysis.as_ref();
            SessionRow {
                id: loaded.session.id.clone(),
                created_utc: loaded.session.created_utc.clone(),
                prompt_id: loaded.session.prompt_id().to_string(),
                principle: loaded.session.principle().map(str::to_string),
                status: loaded.session.status.name().to_string(),
                duration_s: analysis.map(|a| a.duration_s),
                answer_s: analysis.map(|a| a.answer_s),
                in_window: analysis.map(|a| a.in_window),
                fillers_per_minute: analysis.map(|a| a.fillers.per_minute),
                star_shares: analysis.map(|a| a.star.shares),
                checks: analysis.map(|a| a.checks.clone()),
            }
        })
        .collect()
}

/// Pretty JSON array of [`SessionRow`]s, newline-terminated.
pub fn render_sessions_json<'a>(sessions: impl IntoIterator<Item = &'a LoadedSession>) -> String {
    let rows = session_rows(sessions);
    // Serialising plain structs of strings and numbers cannot fail.
    let mut json = serde_json::to_string_pretty(&rows).unwrap_or_else(|_| "[]".to_string());
    json.push('\n');
    json
}

/// The terminal table, oldest first as given.
pub fn render_sessions<'a>(
    sessions: impl IntoIterator<Item = &'a LoadedSession>,
    color: bool,
) -> String {
    let paint = Paint { color };
    let rows: Vec<Vec<String>> = session_rows(sessions)
        .iter()
        .map(|row| {
            let dash = || paint.dim("-");
            let duration = match (row.answer_s, row.in_window) {
                (Some(seconds), Some(true)) => {
                    format!("{} {}", crate::format::duration(seconds), paint.green("✓"))
                }
                (Some(seconds), _) => {
                    format!("{} {}", crate::format::duration(seconds), paint.red("✗"))
                }
                _ => dash(),
            };
            let fillers = row
                .fillers_per_minute
                .map_or_else(dash, |per_minute| format!("{per_minute:.1}"));
            let star = row.star_shares.map_or_else(dash, |shares| {
                format!(
                    "{} {} {} {} {}",
                    share_cell(paint, "S", shares.situation),
                    share_cell(paint, "T", shares.task),
                    share_cell(paint, "A", shares.action),
                    share_cell(paint, "R", shares.result),
                    share_cell(paint, "L", shares.learning),
                )
            });
            let checks = row
                .checks
                .as_ref()
                .map_or_else(dash, |checks| checks_cell(paint, checks));
            vec![
                row.id.clone(),
                text::when(&row.created_utc),
                row.prompt_id.clone(),
                row.principle.clone().unwrap_or_else(|| "-".to_string()),
                row.status.clone(),
                duration,
                fillers,
                star,
                checks,
            ]
        })
        .collect();
    if rows.is_empty() {
        return "no sessions yet; record one with `rehearse practice`\n".to_string();
    }
    text::table(
        &[
            "ID",
            "WHEN (UTC)",
            "PROMPT",
            "PRINCIPLE",
            "STATUS",
            "LENGTH",
            "FILLERS/MIN",
            "STAR %",
            "CHECKS",
        ],
        &rows,
        paint,
    )
}

fn share_cell(paint: Paint, letter: &str, share: f64) -> String {
    let value = (share * 100.0).round().clamp(0.0, 100.0) as u32;
    let cell = format!("{letter}{value:<2}");
    match letter {
        "S" => paint.label(crate::analyse::Label::Situation, &cell),
        "T" => paint.label(crate::analyse::Label::Task, &cell),
        "A" => paint.label(crate::analyse::Label::Action, &cell),
        "R" => paint.label(crate::analyse::Label::Result, &cell),
        _ => paint.label(crate::analyse::Label::Learning, &cell),
    }
}

/// `I7 we2 num✓ lesson✗ hedge1`: the content checks in one short cell.
pub(crate) fn checks_cell(paint: Paint, checks: &Checks) -> String {
    let flag = |name: &str, ok: bool| {
        let text = format!("{name}{}", text::check_mark(ok));
        if ok {
            paint.green(&text)
        } else {
            paint.red(&text)
        }
    };
    let mut parts = vec![
        format!("I{} we{}", checks.i_count, checks.we_count),
        flag("num", checks.quantified_result),
        flag("lesson", checks.has_learning),
    ];
    if !checks.hedges.is_empty() {
        parts.push(paint.yellow(&format!("hedge{}", checks.hedges.len())));
    }
    if !checks.blame.is_empty() {
        parts.push(paint.red(&format!("blame{}", checks.blame.len())));
    }
    parts.join(" ")
}
