//! The progress page: one small line chart per metric over the takes, and
//! the table behind them. Self-contained like the take report.

use std::fmt::Write as _;

use super::html::{escape, page_head};
use super::progress::{CHECKS_TOTAL, checks_passed};
use super::text;
use crate::store::LoadedSession;

struct Chart<'a> {
    title: &'a str,
    values: Vec<f64>,
    shown: fn(f64) -> String,
    /// The range to aim for, shaded.
    band: (f64, f64),
    /// The axis always includes this range.
    floor: (f64, f64),
    hint: &'a str,
}

/// `sessions` oldest first; only analysed takes matching `principle` count.
pub fn render_progress_html(sessions: &[LoadedSession], principle: Option<&str>) -> String {
    let chosen: Vec<&LoadedSession> = super::filter_sessions(sessions, principle, None)
        .into_iter()
        .filter(|loaded| loaded.analysis.is_some())
        .collect();
    let analyses: Vec<_> = chosen.iter().filter_map(|l| l.analysis.as_ref()).collect();
    let title = match principle {
        Some(p) => format!("Progress · {}", super::stories::principle_slug(p)),
        None => "Progress · all principles".to_string(),
    };
    let mut page = String::new();
    page.push_str(&page_head(
        &title,
        "default-src 'none'; style-src 'unsafe-inline'",
        ".charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 16px; }\n\
         .charts section.card { margin: 0; }\n",
    ));
    let _ = write!(
        page,
        "<body>\n<main>\n\
         <header class=\"top\"><div class=\"eyebrow\"><span>Rehearse</span><span>{} takes</span></div><h1>{}</h1></header>\n",
        chosen.len(),
        escape(&title)
    );
    if analyses.is_empty() {
        page.push_str("<section class=\"card\"><p>No analysed takes yet. Record one with <code>rehearse practice</code>.</p></section>\n</main>\n</body>\n</html>\n");
        return page;
    }
    let window = analyses[0].window;
    let charts = [
        Chart {
            title: "Length",
            values: analyses.iter().map(|a| a.answer_s).collect(),
            shown: crate::format::duration,
            band: (window.min_s, window.max_s),
            floor: (0.0, window.max_s + 15.0),
            hint: "inside the shaded window",
        },
        Chart {
            title: "Fillers per minute",
            values: analyses.iter().map(|a| a.fillers.per_minute).collect(),
            shown: |v| format!("{v:.1}"),
            band: (0.0, 2.0),
            floor: (0.0, 6.0),
            hint: "lower is better",
        },
        Chart {
            title: "Action share",
            values: analyses
                .iter()
                .map(|a| a.star.shares.action * 100.0)
                .collect(),
            shown: |v| format!("{v:.0}%"),
            band: (50.0, 70.0),
            floor: (0.0, 100.0),
            hint: "aim for about 60%",
        },
        Chart {
            title: "Checks passed",
            values: analyses.iter().map(|a| checks_passed(a) as f64).collect(),
            shown: |v| format!("{v:.0}/5"),
            band: (4.5, CHECKS_TOTAL as f64),
            floor: (0.0, CHECKS_TOTAL as f64),
            hint: "numbers, learning, I, no hedges, no blame",
        },
    ];
    page.push_str("<div class=\"charts\">\n");
    for chart in &charts {
        page.push_str(&line_chart(chart));
    }
    page.push_str("</div>\n<section class=\"card\"><h2>Takes</h2><div style=\"overflow-x:auto\"><table class=\"progress-table\"><thead><tr><th>When (UTC)</th><th>Prompt</th><th>Length</th><th>Fillers/min</th><th>Action</th><th>Checks</th></tr></thead><tbody>\n");
    for (loaded, analysis) in chosen.iter().zip(&analyses) {
        let _ = writeln!(
            page,
            "<tr><td>{}</td><td>{}</td><td>{}{}</td><td>{:.1}</td><td>{}</td><td>{}/{CHECKS_TOTAL}</td></tr>",
            escape(&text::when(&loaded.session.created_utc)),
            escape(loaded.session.prompt_id()),
            crate::format::duration(analysis.answer_s),
            if analysis.in_window { " ✓" } else { " ✗" },
            analysis.fillers.per_minute,
            crate::format::percent(analysis.star.shares.action),
            checks_passed(analysis)
        );
    }
    page.push_str("</tbody></table></div></section>\n<footer>Made on this computer by rehearse</footer>\n</main>\n</body>\n</html>\n");
    page
}

// Chart geometry reads best in the letters SVG uses (w, h, x, y).
#[allow(clippy::many_single_char_names)]
fn line_chart(chart: &Chart) -> String {
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
    let mut out = String::new();
    let last = chart.values.last().copied().unwrap_or_default();
    let _ = write!(
        out,
        "<section class=\"card\"><h2>{}</h2><div class=\"metric\" style=\"border:0;box-shadow:none;padding:0\"><div class=\"value\">{}</div><div class=\"note\">latest · {}</div></div>\
         <svg class=\"pace\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{} over takes\">",
        escape(chart.title),
        escape(&(chart.shown)(last)),
        escape(chart.hint),
        escape(chart.title)
    );
    let _ = write!(
        out,
        "<rect class=\"band\" x=\"{left}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\"/>",
        y(chart.band.1),
        w - left - right,
        (y(chart.band.0) - y(chart.band.1)).max(1.0)
    );
    // Labels only at the ends: a middle value like "1:08" reads as noise.
    for (v, label) in [(lo, true), (f64::midpoint(lo, hi), false), (hi, true)] {
        let _ = write!(
            out,
            "<line class=\"grid\" x1=\"{left}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\"/>",
            w - right,
            y(v),
            y(v)
        );
        if label {
            let _ = write!(
                out,
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
                left - 5.0,
                y(v) + 4.0,
                escape(&(chart.shown)(v))
            );
        }
    }
    let points: Vec<String> = chart
        .values
        .iter()
        .enumerate()
        .map(|(i, v)| format!("{:.1},{:.1}", x(i), y(*v)))
        .collect();
    let _ = write!(
        out,
        "<polyline class=\"line\" points=\"{}\"/>",
        points.join(" ")
    );
    for (i, v) in chart.values.iter().enumerate() {
        let _ = write!(
            out,
            "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3.5\"><title>take {} · {}</title></circle>",
            x(i),
            y(*v),
            i + 1,
            escape(&(chart.shown)(*v))
        );
    }
    let _ = writeln!(
        out,
        "<text x=\"{left}\" y=\"{:.1}\">first</text><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">latest</text></svg></section>",
        h - 4.0,
        w - right,
        h - 4.0
    );
    out
}
