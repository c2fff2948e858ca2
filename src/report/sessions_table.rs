//! `rehearse sessions`: one line per take, and the same rows as JSON.

use serde::Serialize;

use super::text::{self, Paint};
use crate::analyse::{Checks, Label, Shares};
use crate::store::LoadedSession;

/// One row of `rehearse sessions --json`. Metrics are `null` for takes that
/// were not analysed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SessionRow {
    /// The take's number: its place among all takes, oldest first (1 is the
    /// first). `show`, `report` and `compare` take it for an id.
    pub number: usize,
    pub id: String,
    pub created_utc: String,
    pub prompt_id: String,
    pub principle: Option<String>,
    pub status: String,
    /// Analysed and found to hold no answer (under 5 s of speech): left out
    /// of `progress`, `stories` and `report last`.
    pub no_answer: bool,
    /// The id of the take whose follow-up question this take answers.
    pub follow_up_of: Option<String>,
    /// The id of the mock interview (`rehearse interview`) the take was part of.
    pub interview: Option<String>,
    /// Length of the recording.
    pub duration_s: Option<f64>,
    /// Length of the answer, first word to last: what `in_window` judges.
    pub answer_s: Option<f64>,
    pub in_window: Option<bool>,
    pub fillers_per_minute: Option<f64>,
    pub star_shares: Option<Shares>,
    pub checks: Option<Checks>,
    /// Content checks passed, out of [`CHECKS_TOTAL`](super::progress::CHECKS_TOTAL).
    pub checks_passed: Option<usize>,
}

/// The rows of the takes matching an optional principle and prompt, newest
/// first, at most `limit` of them (`None`: all), numbered by their place in
/// `sessions` (all takes, oldest first), so a take keeps its number however
/// the list is filtered.
pub fn session_rows(
    sessions: &[LoadedSession],
    principle: Option<&str>,
    prompt_id: Option<&str>,
    limit: Option<usize>,
) -> Vec<SessionRow> {
    super::numbered_sessions(sessions, principle, prompt_id)
        .into_iter()
        .rev()
        .take(limit.unwrap_or(usize::MAX))
        .map(|(index, loaded)| {
            let analysis = loaded.analysis.as_ref();
            SessionRow {
                number: index + 1,
                id: loaded.session.id.clone(),
                created_utc: loaded.session.created_utc.clone(),
                prompt_id: loaded.session.prompt_id().to_string(),
                principle: loaded.session.principle().map(str::to_string),
                status: loaded.session.status.name().to_string(),
                no_answer: loaded.is_no_answer(),
                follow_up_of: loaded.session.links.follow_up_of.clone(),
                interview: loaded.session.links.interview.clone(),
                duration_s: analysis.map(|a| a.duration_s),
                answer_s: analysis.map(|a| a.answer_s),
                in_window: analysis.map(|a| a.in_window),
                fillers_per_minute: analysis.map(|a| a.fillers.per_minute),
                star_shares: analysis.map(|a| a.star.shares),
                checks: analysis.map(|a| a.checks.clone()),
                checks_passed: analysis.map(super::progress::checks_passed),
            }
        })
        .collect()
}

/// Pretty JSON array of [`SessionRow`]s, newline-terminated.
pub fn render_sessions_json(
    sessions: &[LoadedSession],
    principle: Option<&str>,
    prompt_id: Option<&str>,
    limit: Option<usize>,
) -> String {
    let rows = session_rows(sessions, principle, prompt_id, limit);
    // Serialising plain structs of strings and numbers cannot fail.
    let mut json = serde_json::to_string_pretty(&rows).unwrap_or_else(|_| "[]".to_string());
    json.push('\n');
    json
}

/// The longest prompt id shown; longer ones end in `…`.
const PROMPT_COLUMNS: usize = 22;

/// The terminal table, newest first, in 100 columns: the take's number
/// (which `show`, `report` and `compare` take), when, the prompt, and the
/// figures. `--json` has the ids and every check.
/// With a `limit` that leaves takes out, a last line says how many.
pub fn render_sessions(
    sessions: &[LoadedSession],
    principle: Option<&str>,
    prompt_id: Option<&str>,
    limit: Option<usize>,
    color: bool,
) -> String {
    let paint = Paint { color };
    let matching = super::numbered_sessions(sessions, principle, prompt_id).len();
    let rows: Vec<Vec<String>> = session_rows(sessions, principle, prompt_id, limit)
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
                .map_or_else(dash, crate::format::one_decimal);
            let star = row.star_shares.map_or_else(dash, |shares| {
                Label::ALL
                    .iter()
                    .map(|&label| {
                        let value = crate::format::whole_percent(shares.get(label));
                        paint.label(label, &format!("{value:>2}"))
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            });
            let checks = row.checks_passed.map_or_else(dash, |passed| {
                let total = super::progress::CHECKS_TOTAL;
                let cell = format!("{passed}/{total}");
                if passed == total {
                    paint.green(&cell)
                } else {
                    cell
                }
            });
            vec![
                row.number.to_string(),
                text::when(&row.created_utc),
                if row.follow_up_of.is_some() {
                    // An answer to a follow-up question sits under its prompt.
                    truncated(&format!("↳ {}", row.prompt_id), PROMPT_COLUMNS)
                } else {
                    truncated(&row.prompt_id, PROMPT_COLUMNS)
                },
                if row.no_answer {
                    "no answer".to_string()
                } else {
                    row.status.clone()
                },
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
    let shown = rows.len();
    let table = text::table(
        &[
            "#",
            "WHEN (UTC)",
            "PROMPT",
            "STATUS",
            "LENGTH",
            "FILLERS/MIN",
            "S  T  A  R  L %",
            "CHECKS",
        ],
        &rows,
        paint,
    );
    if shown < matching {
        format!("{table}(the newest {shown} of {matching} takes; `--limit 0` lists all)\n")
    } else {
        table
    }
}

/// `text` cut to `columns` characters, the last one `…` when cut.
fn truncated(text: &str, columns: usize) -> String {
    if text.chars().count() <= columns {
        text.to_string()
    } else {
        let kept: String = text.chars().take(columns - 1).collect();
        format!("{kept}…")
    }
}
