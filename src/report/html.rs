//! `rehearse report`: one self-contained HTML page for a take. Styles,
//! script and audio are inline (the WAV as a base64 `data:` URI), so the file
//! opens offline and makes no requests. Every piece of text is escaped.

use std::fmt::Write as _;

use base64::Engine as _;

use super::text;
use super::timeline::{self, Token};
use crate::analyse::{Analysis, AnalysisConfig, Aspect, Check, Label};
use crate::store::{Session, Source};
use crate::transcript::Transcript;

const CSS: &str = include_str!("report.css");

/// The `<head>` of every page rehearse writes: self-contained (a content
/// security policy that loads nothing from outside), the one stylesheet plus
/// `extra_css`, and "Rehearse · `title`" as the title.
pub(super) fn page_head(title: &str, content_security_policy: &str, extra_css: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{content_security_policy}\">\n\
         <meta name=\"color-scheme\" content=\"light dark\">\n\
         <title>Rehearse · {}</title>\n<style>\n{CSS}{extra_css}</style>\n</head>\n",
        escape(title)
    )
}
const JS: &str = include_str!("report.js");

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(ch),
        }
    }
    out
}

fn class(label: Label) -> String {
    format!("lab-{}", label.name())
}

/// Seconds for a `data-start` attribute: plain decimal, never NaN.
fn secs(value: f64) -> String {
    if value.is_finite() && value > 0.0 {
        format!("{value:.2}")
    } else {
        "0".to_string()
    }
}

/// Position on the timeline, in percent of the take.
fn pct(at_s: f64, total_s: f64) -> f64 {
    if total_s > 0.0 && at_s.is_finite() {
        (at_s / total_s * 100.0).clamp(0.0, 100.0)
    } else {
        0.0
    }
}

/// The whole page. `audio_wav` may be empty (take missing): the page then
/// says so instead of showing a player.
pub fn render_html(
    session: &Session,
    transcript: &Transcript,
    analysis: &Analysis,
    audio_wav: &[u8],
) -> String {
    let total_s = analysis
        .duration_s
        .max(transcript.duration_ms as f64 / 1000.0)
        .max(0.1);
    let mut page = String::with_capacity(audio_wav.len() * 4 / 3 + 64 * 1024);
    let prompt_text = session
        .prompt
        .as_ref()
        .map_or("Ad hoc answer (no prompt)", |prompt| prompt.text.as_str());
    page.push_str(&page_head(
        &session.id,
        "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; media-src data:; img-src data:",
        "",
    ));
    let _ = write!(page, "<body data-duration=\"{}\">\n<main>\n", secs(total_s));

    // Header: when, where from, principles, the prompt.
    let source = match &session.source {
        Source::Microphone => "microphone".to_string(),
        Source::File { original_name } => format!("from {original_name}"),
    };
    let _ = write!(
        page,
        "<header class=\"top\"><div class=\"eyebrow\"><span>Rehearse take</span><span>{} UTC</span><span>{}</span>",
        escape(&text::when(&session.created_utc)),
        escape(&source)
    );
    if let Some(prompt) = &session.prompt {
        for principle in &prompt.principles {
            let _ = write!(page, "<span class=\"chip\">{}</span>", escape(principle));
        }
    }
    let _ = writeln!(page, "</div><h1>{}</h1></header>", escape(prompt_text));

    page.push_str(&metric_cards(analysis));
    page.push_str(&player(audio_wav));
    page.push_str(&timeline_section(analysis, total_s));
    page.push_str(&pace_chart(analysis, total_s));
    page.push_str(&transcript_section(transcript, analysis));
    page.push_str(&feedback_section(analysis));
    if let Some(question) = &session.follow_up {
        let _ = writeln!(
            page,
            "<section class=\"card follow-up\"><h2>The interviewer asks next</h2><p id=\"follow-up\">{}</p></section>",
            escape(question)
        );
    }
    let _ = write!(
        page,
        "<footer>Made on this computer by rehearse · {} · nothing in this page leaves it</footer>\n</main>\n<script>\n{JS}</script>\n</body>\n</html>\n",
        escape(&session.id)
    );
    page
}

fn metric_cards(analysis: &Analysis) -> String {
    let mut out = String::from("<section class=\"metrics\" aria-label=\"Metrics\">\n");
    let mut card = |label: &str, value: String, note: String, tone: &str| {
        let _ = writeln!(
            out,
            "<div class=\"metric {tone}\"><div class=\"label\">{}</div><div class=\"value\">{}</div><div class=\"note\">{}</div></div>",
            escape(label),
            escape(&value),
            escape(&note)
        );
    };
    let window = text::window(analysis);
    let recording = if crate::format::duration(analysis.duration_s)
        == crate::format::duration(analysis.answer_s)
    {
        String::new()
    } else {
        format!(
            " · recording {}",
            crate::format::duration(analysis.duration_s)
        )
    };
    let length_note = if analysis.in_window {
        format!("{window} ✓{recording}")
    } else if analysis.answer_s < analysis.window.min_s {
        format!("too short · {window}{recording}")
    } else {
        format!("too long · {window}{recording}")
    };
    card(
        "Length",
        crate::format::duration(analysis.answer_s),
        length_note,
        if analysis.flags(Aspect::Length) {
            "bad"
        } else {
            "good"
        },
    );
    card(
        "Pace",
        format!("{:.0}", analysis.words_per_minute),
        format!("words/min · {} words", analysis.words),
        if analysis.flags(Aspect::Pace) {
            "warn"
        } else {
            "good"
        },
    );
    let by_word: Vec<String> = analysis
        .fillers
        .by_word
        .iter()
        .map(|(word, count)| format!("{word} ×{count}"))
        .collect();
    card(
        "Fillers",
        format!("{:.1}/min", analysis.fillers.per_minute),
        if by_word.is_empty() {
            "none".to_string()
        } else {
            by_word.join(", ")
        },
        if analysis.flags(Aspect::Fillers) {
            "bad"
        } else {
            "good"
        },
    );
    let longest = analysis
        .pauses
        .iter()
        .map(|p| p.end_s - p.start_s)
        .fold(0.0_f64, f64::max);
    card(
        "Long pauses",
        analysis.pauses.len().to_string(),
        if analysis.pauses.is_empty() {
            "none".to_string()
        } else {
            format!("longest {longest:.1} s")
        },
        if analysis.flags(Aspect::Pauses) {
            "warn"
        } else {
            "good"
        },
    );
    let action = analysis.star.shares.action;
    card(
        "Action",
        crate::format::percent(action),
        format!(
            "of speaking time · target {}",
            crate::format::percent(analysis.star.target.action)
        ),
        if analysis.flags(Aspect::Action) {
            "warn"
        } else {
            "good"
        },
    );
    let passed = super::progress::checks_passed(analysis);
    card(
        "Checks",
        format!("{passed}/{}", super::progress::CHECKS_TOTAL),
        "content checks passed".to_string(),
        if passed == super::progress::CHECKS_TOTAL {
            "good"
        } else if passed >= 3 {
            "warn"
        } else {
            "bad"
        },
    );
    out.push_str("</section>\n");
    out
}

fn player(audio_wav: &[u8]) -> String {
    if audio_wav.is_empty() {
        return "<section class=\"card\"><h2>Listen</h2><p class=\"player-note\">The recording is missing from this session, so there is nothing to play.</p></section>\n".to_string();
    }
    let encoded = base64::engine::general_purpose::STANDARD.encode(audio_wav);
    format!(
        "<section class=\"card\"><h2>Listen</h2><audio id=\"take\" controls preload=\"auto\" src=\"data:audio/wav;base64,{encoded}\"></audio>\
         <p class=\"player-note\">Click any word, section or marker to jump there.</p></section>\n"
    )
}

fn timeline_section(analysis: &Analysis, total_s: f64) -> String {
    let mut out = String::from(
        "<section class=\"card timeline\" id=\"timeline\"><h2>Where the time went</h2>\n<div class=\"timeline-wrap\">\n<div class=\"track\">",
    );
    for section in &analysis.star.sections {
        let left = pct(section.start_s, total_s);
        let width = (pct(section.end_s, total_s) - left).max(0.4);
        let _ = write!(
            out,
            "<button class=\"seg {}\" style=\"left:{left:.3}%;width:{width:.3}%\" data-start=\"{}\" title=\"{} {}–{}\">{}</button>",
            class(section.label),
            secs(section.start_s),
            section.label.title(),
            crate::format::clock(section.start_s),
            crate::format::clock(section.end_s),
            // Narrow sections get their letter only.
            if width >= 9.0 {
                section.label.title()
            } else {
                text::label_letter(section.label)
            }
        );
    }
    out.push_str("</div>\n<div class=\"markers\">");
    for pause in &analysis.pauses {
        let left = pct(pause.start_s, total_s);
        let width = (pct(pause.end_s, total_s) - left).max(0.8);
        let _ = write!(
            out,
            "<button class=\"mark pause\" style=\"left:{left:.3}%;width:{width:.3}%\" data-start=\"{}\" title=\"{:.1} s pause at {}\" aria-label=\"{:.1} second pause at {}\"></button>",
            secs(pause.start_s),
            pause.end_s - pause.start_s,
            crate::format::clock(pause.start_s),
            pause.end_s - pause.start_s,
            crate::format::clock(pause.start_s)
        );
    }
    for item in &analysis.fillers.items {
        let word = item.word.trim_end_matches('?');
        let kind = if item.certain {
            "filler"
        } else {
            "filler possible"
        };
        let what = if item.certain {
            format!("“{word}”")
        } else {
            format!("possible “{word}”")
        };
        let _ = write!(
            out,
            "<button class=\"mark {kind}\" style=\"left:{:.3}%\" data-start=\"{}\" title=\"{} at {}\" aria-label=\"{} at {}\"></button>",
            pct(item.start_s, total_s),
            secs(item.start_s),
            escape(&what),
            crate::format::clock(item.start_s),
            escape(&what),
            crate::format::clock(item.start_s)
        );
    }
    out.push_str(
        "</div>\n<div class=\"playhead\" id=\"playhead\"></div>\n</div>\n<div class=\"axis\">",
    );
    let step = if total_s > 150.0 {
        30.0
    } else if total_s > 40.0 {
        15.0
    } else {
        5.0
    };
    let mut at = 0.0;
    while at < total_s - step * 0.4 {
        let _ = write!(
            out,
            "<span style=\"left:{:.3}%\">{}</span>",
            pct(at, total_s),
            crate::format::clock(at)
        );
        at += step;
    }
    let _ = write!(
        out,
        "<span class=\"end\">{}</span>",
        crate::format::duration(total_s)
    );
    out.push_str("</div>\n<div class=\"legend\">");
    for label in Label::ALL {
        let _ = write!(
            out,
            "<span class=\"{}\"><i></i>{}</span>",
            class(label),
            label.title()
        );
    }
    out.push_str(
        "<span><i class=\"f\"></i>filler</span><span><i class=\"p\"></i>long pause</span></div>\n",
    );

    // Your split next to the target split (shares of speaking time).
    out.push_str("<div class=\"split\">");
    for (name, shares) in [
        ("You", analysis.star.shares),
        ("Target", analysis.star.target),
    ] {
        let _ = write!(
            out,
            "<div>{name}</div><div class=\"bar\" aria-label=\"{name} split\">"
        );
        for label in Label::ALL {
            let share = shares.get(label);
            if share > 0.0 {
                let _ = write!(
                    out,
                    "<span class=\"{}{}\" style=\"width:{:.2}%\" title=\"{} {}\">{}</span>",
                    class(label),
                    if share < 0.15 { " narrow" } else { "" },
                    share * 100.0,
                    label.title(),
                    crate::format::percent(share),
                    if share >= 0.07 {
                        format!(
                            "{} {}",
                            text::label_letter(label),
                            crate::format::percent(share)
                        )
                    } else {
                        String::new()
                    }
                );
            }
        }
        out.push_str("</div>");
    }
    out.push_str("</div>\n</section>\n");
    out
}

fn pace_chart(analysis: &Analysis, total_s: f64) -> String {
    let points: Vec<(f64, f64)> = analysis
        .pace
        .iter()
        .filter(|p| p.at_s.is_finite() && p.words_per_minute.is_finite())
        .map(|p| (p.at_s, p.words_per_minute))
        .collect();
    let mut out = String::from("<section class=\"card\"><h2>Pace over time</h2>\n");
    if points.len() < 2 {
        out.push_str("<p class=\"player-note\">Too short to chart the pace.</p></section>\n");
        return out;
    }
    // Chart area inside a 640×200 view box, with room for labels.
    let (w, h, left, right, top, bottom) = (640.0, 200.0, 44.0, 12.0, 10.0, 26.0);
    let max_wpm = points.iter().map(|p| p.1).fold(180.0_f64, f64::max);
    let min_wpm = points.iter().map(|p| p.1).fold(90.0_f64, f64::min);
    let (lo, hi) = (
        (min_wpm / 20.0).floor() * 20.0,
        (max_wpm / 20.0).ceil() * 20.0,
    );
    let x = |s: f64| left + (s / total_s).clamp(0.0, 1.0) * (w - left - right);
    let y = |wpm: f64| top + (1.0 - (wpm - lo) / (hi - lo)) * (h - top - bottom);
    let _ = write!(
        out,
        "<svg class=\"pace\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"Words per minute over time\">"
    );
    // The pace the feedback accepts, from the same thresholds.
    let config = AnalysisConfig::default();
    let (band_min, band_max) = (config.pace_min_wpm, config.pace_max_wpm);
    let _ = write!(
        out,
        "<rect class=\"band\" x=\"{left}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\"/>",
        y(band_max.min(hi)),
        w - left - right,
        y(band_min.max(lo)) - y(band_max.min(hi))
    );
    let mut wpm = lo;
    while wpm <= hi + 0.1 {
        let _ = write!(
            out,
            "<line class=\"grid\" x1=\"{left}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{wpm:.0}</text>",
            w - right,
            y(wpm),
            y(wpm),
            left - 6.0,
            y(wpm) + 4.0
        );
        wpm += 20.0;
    }
    let avg_y = y(analysis.words_per_minute.clamp(lo, hi));
    let _ = write!(
        out,
        "<line class=\"avg\" x1=\"{left}\" x2=\"{:.1}\" y1=\"{avg_y:.1}\" y2=\"{avg_y:.1}\"/>",
        w - right
    );
    let path: Vec<String> = points
        .iter()
        .map(|(s, v)| format!("{:.1},{:.1}", x(*s), y(*v)))
        .collect();
    let _ = write!(
        out,
        "<polyline class=\"line\" points=\"{}\"/>",
        path.join(" ")
    );
    for (s, v) in &points {
        let _ = write!(
            out,
            "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\" data-start=\"{}\"><title>{} · {v:.0} words/min</title></circle>",
            x(*s),
            y(*v),
            secs(*s),
            crate::format::clock(*s)
        );
    }
    let step = if total_s > 150.0 {
        30.0
    } else if total_s > 40.0 {
        15.0
    } else {
        5.0
    };
    let mut at = 0.0;
    while at <= total_s {
        let _ = write!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            x(at),
            h - 6.0,
            crate::format::clock(at)
        );
        at += step;
    }
    out.push_str("</svg>\n");
    let _ = writeln!(
        out,
        "<p class=\"player-note\">Average {:.0} words/min (dashed). The green band, {band_min:.0}–{band_max:.0}, is the pace the feedback accepts.</p></section>",
        analysis.words_per_minute
    );
    out
}

fn transcript_section(transcript: &Transcript, analysis: &Analysis) -> String {
    let mut out =
        String::from("<section class=\"card transcript\" id=\"transcript\"><h2>Transcript</h2>\n");
    let lines = timeline::lines(Some(transcript), Some(analysis));
    let mut current: Option<Label> = None;
    for line in &lines {
        // A header only where the label changes, which is always between sentences.
        if line.label.is_some() && line.label != current {
            current = line.label;
            if let Some(label) = current {
                let span = line
                    .opens
                    .as_ref()
                    .map(|s| {
                        format!(
                            "{}–{}",
                            crate::format::clock(s.start_s),
                            crate::format::clock(s.end_s)
                        )
                    })
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "<h3 class=\"{}\">{}<small>{span}</small></h3>",
                    class(label),
                    label.title()
                );
            }
        }
        let label_class = line.label.map(class).unwrap_or_default();
        let _ = write!(
            out,
            "<p class=\"sent {label_class}\"><button class=\"ts\" data-start=\"{}\">{}</button>",
            secs(line.start_s),
            crate::format::clock(line.start_s)
        );
        for token in &line.tokens {
            match token {
                Token::Word {
                    index,
                    text,
                    start_s,
                    filler,
                    possible,
                } => {
                    let (kind, title) = if *filler {
                        ("w filler", " title=\"filler\"")
                    } else if *possible {
                        ("w maybe", " title=\"possible filler, not counted\"")
                    } else {
                        ("w", "")
                    };
                    let _ = write!(
                        out,
                        "<span class=\"{kind}\" data-start=\"{}\" data-word=\"{index}\"{title}>{}</span> ",
                        secs(*start_s),
                        escape(text)
                    );
                }
                Token::PossibleFiller { text, start_s } => {
                    let _ = write!(
                        out,
                        "<button class=\"gap possible\" data-start=\"{}\" title=\"possible filler\">{}?</button> ",
                        secs(*start_s),
                        escape(text.trim_end_matches('?'))
                    );
                }
                Token::Pause { start_s, seconds } => {
                    let _ = write!(
                        out,
                        "<button class=\"gap\" data-start=\"{}\">{seconds:.1} s pause</button> ",
                        secs(*start_s)
                    );
                }
            }
        }
        out.push_str("</p>\n");
    }
    out.push_str("</section>\n");
    out
}

fn feedback_section(analysis: &Analysis) -> String {
    let mut out = String::from("<section class=\"card feedback\"><h2>What to work on</h2>\n");
    if analysis.feedback.is_empty() {
        out.push_str("<p>Nothing stood out. Try the same prompt with a different story.</p>\n");
    } else {
        out.push_str("<ol>");
        for advice in &analysis.feedback {
            let _ = write!(out, "<li>{}</li>", escape(advice));
        }
        out.push_str("</ol>\n");
    }
    let checks = &analysis.checks;
    let mut items = vec![
        (
            analysis.passes(Check::NumbersInResult),
            "Numbers in the result".to_string(),
        ),
        (
            analysis.passes(Check::Learning),
            "A learning at the end".to_string(),
        ),
        (
            analysis.passes(Check::FirstPerson),
            format!(
                "“I” ×{} vs “we” ×{} in actions",
                checks.i_count, checks.we_count
            ),
        ),
        (
            analysis.passes(Check::NoHedges),
            if checks.hedges.is_empty() {
                "No hedging".to_string()
            } else {
                format!("Hedges: {}", checks.hedges.join(", "))
            },
        ),
        (
            analysis.passes(Check::NoBlame),
            if checks.blame.is_empty() {
                "No blaming others".to_string()
            } else {
                format!("Blame: {}", checks.blame.join(", "))
            },
        ),
    ];
    if !analysis.star.missing.is_empty() {
        let missing: Vec<&str> = analysis.star.missing.iter().map(|l| l.title()).collect();
        items.push((false, format!("Missing: {}", missing.join(", "))));
    }
    out.push_str("<ul class=\"checks\">");
    for (ok, text) in items {
        let (class, mark) = if ok { ("ok", "✓") } else { ("no", "✗") };
        let _ = write!(
            out,
            "<li class=\"{class}\" data-mark=\"{mark}\">{}</li>",
            escape(&text)
        );
    }
    out.push_str("</ul>\n</section>\n");
    out
}
