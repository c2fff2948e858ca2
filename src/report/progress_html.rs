//! The progress page: one small line chart per metric over the takes, and
//! the table behind them. Self-contained like the take report.

use maud::{Markup, html};

use super::html::{Text, coord, page, svg_points};
use super::progress::{CHECKS_TOTAL, Metric, checks_passed};
use super::text;
use crate::analyse::Analysis;
use crate::format;
use crate::store::LoadedSession;

/// The progress page loads nothing and runs no script: its inline style only.
const PROGRESS_CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'";

/// The charts' grid, on top of the report's stylesheet.
const PROGRESS_CSS: &str = ".charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 16px; }\n\
                            .charts section.card { margin: 0; }\n";

struct Chart<'a> {
    title: &'a str,
    values: Vec<f64>,
    shown: fn(f64) -> String,
    /// The range to aim for, shaded.
    band: (f64, f64),
    /// The axis always includes this range ([`Metric::axis`]).
    floor: (f64, f64),
    hint: &'a str,
}

impl Chart<'_> {
    fn values(metric: Metric, analyses: &[&Analysis]) -> Vec<f64> {
        analyses.iter().map(|a| metric.value(a)).collect()
    }
}

/// `sessions` oldest first; only analysed takes matching `principle` count.
pub fn render_progress_html(sessions: &[LoadedSession], principle: Option<&str>) -> String {
    let chosen: Vec<(&LoadedSession, &Analysis)> =
        super::filter_sessions(sessions, principle, None)
            .into_iter()
            .filter_map(|loaded| Some((loaded, loaded.analysis.as_ref()?)))
            .collect();
    let title = match principle {
        Some(p) => format!("Progress · {}", super::stories::principle_slug(p)),
        None => "Progress · all principles".to_string(),
    };
    let body = html! {
        body {
            "\n"
            main {
                "\n"
                header.top {
                    div.eyebrow { span { "Rehearse" } span { (format::count(chosen.len(), "take", "takes")) } }
                    h1 { (Text(&title)) }
                }
                "\n"
                @if chosen.is_empty() {
                    section.card {
                        p {
                            "No analysed takes yet. Record one with "
                            code { "rehearse practice" } "."
                        }
                    }
                    "\n"
                } @else {
                    (charts(&chosen)) "\n"
                    (takes_table(&chosen)) "\n"
                    footer { "Made on this computer by rehearse" } "\n"
                }
            }
            "\n"
        }
    };
    page(&title, PROGRESS_CONTENT_SECURITY_POLICY, PROGRESS_CSS, body)
}

/// One chart per metric, oldest take first.
fn charts(chosen: &[(&LoadedSession, &Analysis)]) -> Markup {
    let analyses: Vec<&Analysis> = chosen.iter().map(|(_, analysis)| *analysis).collect();
    // The aims are the latest take's, as in the terminal view.
    let latest = analyses[analyses.len() - 1];
    let window = latest.window;
    // The feedback judges fillers as a share of the words; at the latest
    // take's pace that share is this many a minute.
    let filler_share = crate::analyse::AnalysisConfig::default().filler_share_warn;
    let fillers_accepted_per_minute = filler_share * latest.words_per_minute;
    let fillers_hint = format!(
        "lower is better; the feedback asks to cut them over {}/min ({} of your words)",
        format::one_decimal(fillers_accepted_per_minute),
        format::percent(filler_share)
    );
    let action_hint = format!(
        "aim for about {}",
        format::percent(latest.star.target.action)
    );
    let charts = [
        Chart {
            title: "Length",
            values: Chart::values(Metric::Length, &analyses),
            shown: format::duration,
            band: (window.min_s, window.max_s),
            floor: Metric::Length.axis(latest),
            hint: "inside the shaded window",
        },
        Chart {
            title: "Fillers per minute",
            values: Chart::values(Metric::FillersPerMinute, &analyses),
            shown: format::one_decimal,
            band: (0.0, fillers_accepted_per_minute),
            floor: Metric::FillersPerMinute.axis(latest),
            hint: &fillers_hint,
        },
        Chart {
            title: "Action share",
            values: Chart::values(Metric::ActionShare, &analyses),
            shown: format::percent,
            // What the feedback accepts: anything over its floor.
            band: (
                crate::analyse::action_share_accepted(latest.star.target.action),
                1.0,
            ),
            floor: Metric::ActionShare.axis(latest),
            hint: &action_hint,
        },
        Chart {
            title: "Checks passed",
            values: Chart::values(Metric::Checks, &analyses),
            shown: |v| format!("{}/{CHECKS_TOTAL}", format::whole(v)),
            band: (4.5, CHECKS_TOTAL as f64),
            floor: Metric::Checks.axis(latest),
            hint: "numbers, learning, I, no hedges, no blame",
        },
    ];
    html! {
        div.charts {
            "\n"
            @for chart in &charts {
                (line_chart(chart)) "\n"
            }
        }
    }
}

/// The takes behind the charts, one row each.
fn takes_table(chosen: &[(&LoadedSession, &Analysis)]) -> Markup {
    html! {
        section.card {
            h2 { "Takes" }
            div style="overflow-x:auto" {
                table.progress-table {
                    thead {
                        tr {
                            th { "When (UTC)" } th { "Prompt" } th { "Length" }
                            th { "Fillers/min" } th { "Action" } th { "Checks" }
                        }
                    }
                    tbody {
                        "\n"
                        @for (loaded, analysis) in chosen {
                            tr {
                                td { (Text(&text::when(&loaded.session.created_utc))) }
                                td { (Text(loaded.session.prompt_id())) }
                                td {
                                    (format::duration(analysis.answer_s)) " "
                                    (text::check_mark(analysis.in_window))
                                }
                                td { (format::one_decimal(analysis.fillers.per_minute)) }
                                td { (format::percent(analysis.star.shares.action)) }
                                td { (checks_passed(analysis)) "/" (CHECKS_TOTAL) }
                            }
                            "\n"
                        }
                    }
                }
            }
        }
    }
}

// Chart geometry reads best in the letters SVG uses (w, h, x, y).
#[allow(clippy::many_single_char_names)]
fn line_chart(chart: &Chart) -> Markup {
    let (w, h, left, right, top, bottom) = (320.0, 150.0, 40.0, 10.0, 10.0, 20.0);
    let finite: Vec<f64> = chart
        .values
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .collect();
    let lo = finite.iter().copied().fold(chart.floor.0, f64::min);
    let hi = finite.iter().copied().fold(chart.floor.1, f64::max);
    let hi = if hi - lo < 1e-9 { lo + 1.0 } else { hi };
    let n = chart.values.len();
    let x = |i: usize| {
        if n <= 1 {
            left + (w - left - right) / 2.0
        } else {
            left + i as f64 / (n - 1) as f64 * (w - left - right)
        }
    };
    let y = |v: f64| top + (1.0 - (v.clamp(lo, hi) - lo) / (hi - lo)) * (h - top - bottom);
    let last = chart.values.last().copied().unwrap_or_default();
    // Labels only at the ends: a middle value like "1:08" reads as noise.
    let grid = [(lo, true), (f64::midpoint(lo, hi), false), (hi, true)];
    let points = chart.values.iter().enumerate().map(|(i, v)| (x(i), y(*v)));
    // SVG elements are closed explicitly: in HTML, SVG has no void elements.
    html! {
        section.card {
            h2 { (chart.title) }
            div.metric style="border:0;box-shadow:none;padding:0" {
                div.value { ((chart.shown)(last)) }
                div.note { "latest · " (chart.hint) }
            }
            svg.pace viewBox={ "0 0 " (w) " " (h) } role="img"
                aria-label={ (chart.title) " over takes" }
            {
                rect.band x=(left) y=(coord(y(chart.band.1)))
                    width=(coord(w - left - right))
                    height=(coord((y(chart.band.0) - y(chart.band.1)).max(1.0))) {}
                @for (v, labelled) in grid {
                    line.grid x1=(left) x2=(coord(w - right)) y1=(coord(y(v))) y2=(coord(y(v))) {}
                    @if labelled {
                        text x=(coord(left - 5.0)) y=(coord(y(v) + 4.0)) text-anchor="end" {
                            ((chart.shown)(v))
                        }
                    }
                }
                polyline.line points=(svg_points(points)) {}
                @for (i, v) in chart.values.iter().enumerate() {
                    circle cx=(coord(x(i))) cy=(coord(y(*v))) r="3.5" {
                        title { "take " (i + 1) " · " ((chart.shown)(*v)) }
                    }
                }
                text x=(left) y=(coord(h - 4.0)) { "first" }
                text x=(coord(w - right)) y=(coord(h - 4.0)) text-anchor="end" { "latest" }
            }
        }
    }
}
