//! `rehearse report`: one self-contained HTML page for a take. Styles,
//! script and audio are inline (the WAV as a base64 `data:` URI), so the file
//! opens offline and makes no requests.
//!
//! The pages are maud templates, which escape every value they splice in;
//! text that a person, a transcript or a file supplied goes in as [`Text`].
//! The `"\n"`s between elements keep the page source readable line by line.

use base64::Engine as _;
use maud::{Markup, PreEscaped, Render, html};

use super::text;
use super::timeline::{self, Line, Token};
use crate::analyse::{Analysis, AnalysisConfig, Aspect, Check, Label};
use crate::format;
use crate::store::{Session, Source};
use crate::transcript::Transcript;

const CSS: &str = include_str!("report.css");
const JS: &str = include_str!("report.js");

/// The report loads nothing from outside: its own inline style and script,
/// and the take as a `data:` URI.
pub(super) const REPORT_CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; media-src data:; img-src data:";

/// Every page rehearse writes, around its `body`: self-contained (a content
/// security policy that loads nothing from outside), the one stylesheet plus
/// `extra_css`, and "Rehearse · `title`" as the title.
pub(super) fn page(
    title: &str,
    content_security_policy: &str,
    extra_css: &str,
    body: Markup,
) -> String {
    html! {
        // maud's DOCTYPE is upper case; the pages have always used lower case.
        (PreEscaped("<!doctype html>")) "\n"
        html lang="en" {
            "\n"
            head {
                "\n"
                meta charset="utf-8"; "\n"
                meta name="viewport" content="width=device-width, initial-scale=1"; "\n"
                meta http-equiv="Content-Security-Policy" content=(content_security_policy); "\n"
                meta name="color-scheme" content="light dark"; "\n"
                title { "Rehearse · " (Text(title)) } "\n"
                style { "\n" (PreEscaped(CSS)) (PreEscaped(extra_css)) } "\n"
            }
            "\n"
            (body) "\n"
        }
        "\n"
    }
    .into_string()
}

/// Text that a person, a transcript or a file supplied, spliced in with
/// [`escape`]: maud escapes `& < > "`, and these pages escape `'` as well.
pub(super) struct Text<'a>(pub &'a str);

impl Render for Text<'_> {
    fn render_to(&self, buffer: &mut String) {
        escape_into(self.0, buffer);
    }
}

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(text, &mut out);
    out
}

fn escape_into(text: &str, out: &mut String) {
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

/// An SVG coordinate: a tenth of a view-box unit is finer than a pixel.
pub(super) fn coord(value: f64) -> String {
    format!("{value:.1}")
}

/// `x,y` pairs for an SVG `points` attribute.
pub(super) fn svg_points(points: impl IntoIterator<Item = (f64, f64)>) -> String {
    points
        .into_iter()
        .map(|(x, y)| format!("{},{}", coord(x), coord(y)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Position on the timeline, in percent of the take.
fn pct(at_s: f64, total_s: f64) -> f64 {
    if total_s > 0.0 && at_s.is_finite() {
        (at_s / total_s * 100.0).clamp(0.0, 100.0)
    } else {
        0.0
    }
}

/// The inline style that places a point on the timeline (in percent).
fn at_style(left: f64) -> String {
    format!("left:{left:.3}%")
}

/// The inline style that places a stretch on the timeline (in percent).
fn stretch_style(left: f64, width: f64) -> String {
    format!("left:{left:.3}%;width:{width:.3}%")
}

/// The inline style that sizes a bar's part (in percent of the bar).
fn width_style(width: f64) -> String {
    format!("width:{width:.2}%")
}

/// Seconds between ticks on a time axis: wider for longer takes, so that
/// the labels do not crowd.
fn axis_step(total_s: f64) -> f64 {
    if total_s > 150.0 {
        30.0
    } else if total_s > 40.0 {
        15.0
    } else {
        5.0
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
    let body = html! {
        body data-duration=(secs(total_s)) {
            "\n"
            main {
                "\n"
                (header(session)) "\n"
                (metric_cards(analysis)) "\n"
                (player(audio_wav)) "\n"
                (timeline_section(analysis, total_s)) "\n"
                (pace_chart(analysis, total_s)) "\n"
                (transcript_section(transcript, analysis)) "\n"
                (feedback_section(analysis)) "\n"
                @if let Some(question) = &session.follow_up {
                    (follow_up(question)) "\n"
                }
                footer {
                    "Made on this computer by rehearse · " (Text(&session.id))
                    " · nothing in this page leaves it"
                }
                "\n"
            }
            "\n"
            script { "\n" (PreEscaped(JS)) }
            "\n"
        }
    };
    page(&session.id, REPORT_CONTENT_SECURITY_POLICY, "", body)
}

/// When, where from, principles, the prompt.
fn header(session: &Session) -> Markup {
    let source = match &session.source {
        Source::Microphone => "microphone".to_string(),
        Source::File { original_name } => format!("from {original_name}"),
    };
    let principles = session
        .prompt
        .as_ref()
        .map_or(&[][..], |prompt| prompt.principles.as_slice());
    let prompt_text = session
        .prompt
        .as_ref()
        .map_or("Ad hoc answer (no prompt)", |prompt| prompt.text.as_str());
    html! {
        header.top {
            div.eyebrow {
                span { "Rehearse take" }
                span { (Text(&text::when(&session.created_utc))) " UTC" }
                span { (Text(&source)) }
                @for principle in principles {
                    span.chip { (Text(principle)) }
                }
            }
            h1 { (Text(prompt_text)) }
        }
    }
}

/// One metric card: what is measured, the figure, a note, and a tone
/// (`good`, `warn` or `bad`) that colours it.
struct Card {
    label: &'static str,
    value: String,
    note: String,
    tone: &'static str,
}

impl Render for Card {
    fn render(&self) -> Markup {
        html! {
            div class={ "metric " (self.tone) } {
                div.label { (self.label) }
                div.value { (Text(&self.value)) }
                div.note { (Text(&self.note)) }
            }
        }
    }
}

/// The tone of a card whose aspect the analysis flags as `flagged_tone`.
fn tone(analysis: &Analysis, aspect: Aspect, flagged_tone: &'static str) -> &'static str {
    if analysis.flags(aspect) {
        flagged_tone
    } else {
        "good"
    }
}

fn metric_cards(analysis: &Analysis) -> Markup {
    let cards = [
        length_card(analysis),
        pace_card(analysis),
        fillers_card(analysis),
        pauses_card(analysis),
        action_card(analysis),
        checks_card(analysis),
    ];
    html! {
        section.metrics aria-label="Metrics" {
            "\n"
            @for card in &cards {
                (card) "\n"
            }
        }
    }
}

fn length_card(analysis: &Analysis) -> Card {
    let window = text::window(analysis);
    let recording = if format::duration(analysis.duration_s) == format::duration(analysis.answer_s)
    {
        String::new()
    } else {
        format!(" · recording {}", format::duration(analysis.duration_s))
    };
    let note = if analysis.in_window {
        format!("{window} ✓{recording}")
    } else if analysis.answer_s < analysis.window.min_s {
        format!("too short · {window}{recording}")
    } else {
        format!("too long · {window}{recording}")
    };
    Card {
        label: "Length",
        value: format::duration(analysis.answer_s),
        note,
        tone: tone(analysis, Aspect::Length, "bad"),
    }
}

fn pace_card(analysis: &Analysis) -> Card {
    Card {
        label: "Pace",
        value: format::whole(analysis.words_per_minute),
        note: format!("words/min · {} words", analysis.words),
        tone: tone(analysis, Aspect::Pace, "warn"),
    }
}

fn fillers_card(analysis: &Analysis) -> Card {
    Card {
        label: "Fillers",
        value: format!("{}/min", format::one_decimal(analysis.fillers.per_minute)),
        note: if analysis.fillers.by_word.is_empty() {
            "none".to_string()
        } else {
            format::tally(&analysis.fillers.by_word)
        },
        tone: tone(analysis, Aspect::Fillers, "bad"),
    }
}

fn pauses_card(analysis: &Analysis) -> Card {
    let longest = analysis
        .pauses
        .iter()
        .map(|p| p.end_s - p.start_s)
        .fold(0.0_f64, f64::max);
    Card {
        label: "Long pauses",
        value: analysis.pauses.len().to_string(),
        note: if analysis.pauses.is_empty() {
            "none".to_string()
        } else {
            format!("longest {} s", format::one_decimal(longest))
        },
        tone: tone(analysis, Aspect::Pauses, "warn"),
    }
}

fn action_card(analysis: &Analysis) -> Card {
    Card {
        label: "Action",
        value: format::percent(analysis.star.shares.action),
        note: format!(
            "of speaking time · target {}",
            format::percent(analysis.star.target.action)
        ),
        tone: tone(analysis, Aspect::Action, "warn"),
    }
}

fn checks_card(analysis: &Analysis) -> Card {
    let passed = super::progress::checks_passed(analysis);
    Card {
        label: "Checks",
        value: format!("{passed}/{}", super::progress::CHECKS_TOTAL),
        note: "content checks passed".to_string(),
        tone: if passed == super::progress::CHECKS_TOTAL {
            "good"
        } else if passed >= 3 {
            "warn"
        } else {
            "bad"
        },
    }
}

fn player(audio_wav: &[u8]) -> Markup {
    if audio_wav.is_empty() {
        return html! {
            section.card {
                h2 { "Listen" }
                p.player-note {
                    "The recording is missing from this session, so there is nothing to play."
                }
            }
        };
    }
    let encoded = base64::engine::general_purpose::STANDARD.encode(audio_wav);
    html! {
        section.card {
            h2 { "Listen" }
            audio #take controls preload="auto" src={ "data:audio/wav;base64," (encoded) } {}
            p.player-note { "Click any word, section or marker to jump there." }
        }
    }
}

fn timeline_section(analysis: &Analysis, total_s: f64) -> Markup {
    html! {
        section.card.timeline #timeline {
            h2 { "Where the time went" } "\n"
            div.timeline-wrap {
                "\n"
                (track(analysis, total_s)) "\n"
                (markers(analysis, total_s)) "\n"
                div.playhead #playhead {} "\n"
            }
            "\n"
            (axis(total_s)) "\n"
            (legend(analysis.fillers.possible > 0)) "\n"
            (split(analysis)) "\n"
            (missing_sections(analysis))
        }
    }
}

/// The sections the answer left out, under the split that shows them absent.
fn missing_sections(analysis: &Analysis) -> Markup {
    let missing = analysis.missing_sections();
    html! {
        @if !missing.is_empty() {
            p.missing data-mark=(text::check_mark(false)) {
                "Missing: "
                (missing.iter().map(|l| l.title()).collect::<Vec<_>>().join(", "))
            }
            "\n"
        }
    }
}

/// The STAR sections as buttons along the take.
fn track(analysis: &Analysis, total_s: f64) -> Markup {
    html! {
        div.track {
            @for section in &analysis.star.sections {
                @let left = pct(section.start_s, total_s);
                @let width = (pct(section.end_s, total_s) - left).max(0.4);
                button class={ "seg " (class(section.label)) }
                    style=(stretch_style(left, width))
                    data-start=(secs(section.start_s))
                    title={
                        (section.label.title()) " "
                        (format::clocks(section.start_s, section.end_s))
                    }
                {
                    // Narrow sections get their letter only.
                    @if width >= 9.0 {
                        (section.label.title())
                    } @else {
                        (section.label.letter())
                    }
                }
            }
        }
    }
}

/// Long pauses and fillers as markers along the take.
fn markers(analysis: &Analysis, total_s: f64) -> Markup {
    html! {
        div.markers {
            @for pause in &analysis.pauses {
                @let left = pct(pause.start_s, total_s);
                @let width = (pct(pause.end_s, total_s) - left).max(0.8);
                @let seconds = format::one_decimal(pause.end_s - pause.start_s);
                @let at = format::clock(pause.start_s);
                button.mark.pause
                    style=(stretch_style(left, width))
                    data-start=(secs(pause.start_s))
                    title={ (seconds) " s pause at " (at) }
                    aria-label={ (seconds) " second pause at " (at) }
                    {}
            }
            @for item in &analysis.fillers.items {
                @let word = item.word.trim_end_matches('?');
                @let what = if item.certain {
                    format!("“{word}”")
                } else {
                    format!("possible “{word}”")
                };
                @let at = format::clock(item.start_s);
                button.mark.filler.possible[!item.certain]
                    style=(at_style(pct(item.start_s, total_s)))
                    data-start=(secs(item.start_s))
                    title={ (Text(&what)) " at " (at) }
                    aria-label={ (Text(&what)) " at " (at) }
                    {}
            }
        }
    }
}

/// Clock times under the timeline, and the take's length at its end.
fn axis(total_s: f64) -> Markup {
    let step = axis_step(total_s);
    let ticks = std::iter::successors(Some(0.0), |at| Some(at + step))
        .take_while(|at| *at < total_s - step * 0.4);
    html! {
        div.axis {
            @for at in ticks {
                span style=(at_style(pct(at, total_s))) { (format::clock(at)) }
            }
            span.end { (format::duration(total_s)) }
        }
    }
}

/// The key to the timeline: sections, fillers, possible fillers (only when
/// the take has one), long pauses.
fn legend(with_possible: bool) -> Markup {
    html! {
        div.legend {
            @for label in Label::ALL {
                span class=(class(label)) { i {} (label.title()) }
            }
            span { i.f {} "filler" }
            @if with_possible {
                span { i.f.possible {} "possible filler, not counted" }
            }
            span { i.p {} "long pause" }
        }
    }
}

/// Your split next to the target split (shares of speaking time).
pub(super) fn split(analysis: &Analysis) -> Markup {
    html! {
        div.split {
            @for (name, shares, is_target) in [
                ("You", analysis.star.shares, false),
                ("Target", analysis.star.target, true),
            ] {
                div { (name) }
                div.bar aria-label={ (name) " split" } {
                    @for label in Label::ALL {
                        @let share = shares.get(label);
                        @let (letter, title) = if is_target {
                            (text::target_letter(&shares, label), text::target_title(&shares, label))
                        } else {
                            (label.letter(), label.title())
                        };
                        @if share > 0.0 {
                            span.(class(label)).narrow[share < 0.15]
                                style=(width_style(share * 100.0))
                                title={ (title) " " (format::percent(share)) }
                            {
                                @if share >= 0.07 {
                                    (letter) " " (format::percent(share))
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn pace_chart(analysis: &Analysis, total_s: f64) -> Markup {
    let points: Vec<(f64, f64)> = analysis
        .pace
        .iter()
        .filter(|p| p.at_s.is_finite() && p.words_per_minute.is_finite())
        .map(|p| (p.at_s, p.words_per_minute))
        .collect();
    if points.len() < 2 {
        return html! {
            section.card {
                h2 { "Pace over time" } "\n"
                p.player-note { "Too short to chart the pace." }
            }
        };
    }
    // The pace the feedback accepts, from the same thresholds.
    let config = AnalysisConfig::default();
    let (band_min, band_max) = (config.pace_min_wpm, config.pace_max_wpm);
    html! {
        section.card {
            h2 { "Pace over time" } "\n"
            (pace_svg(analysis, &points, total_s, (band_min, band_max))) "\n"
            p.player-note {
                "Average " (format::whole(analysis.words_per_minute))
                " words/min (dashed). The green band, "
                (format::range(&format::whole(band_min), &format::whole(band_max)))
                ", is the pace the feedback accepts."
            }
        }
    }
}

/// Words per minute over the take, with the accepted `band` shaded and the
/// average dashed. SVG elements are closed explicitly: in HTML, SVG has no
/// void elements, and maud writes no `/>`.
fn pace_svg(analysis: &Analysis, points: &[(f64, f64)], total_s: f64, band: (f64, f64)) -> Markup {
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
    let grid =
        std::iter::successors(Some(lo), |wpm| Some(wpm + 20.0)).take_while(|wpm| *wpm <= hi + 0.1);
    let ticks = std::iter::successors(Some(0.0), |at| Some(at + axis_step(total_s)))
        .take_while(|at| *at <= total_s);
    let avg_y = coord(y(analysis.words_per_minute.clamp(lo, hi)));
    html! {
        svg.pace viewBox={ "0 0 " (w) " " (h) } role="img" aria-label="Words per minute over time" {
            rect.band x=(left) y=(coord(y(band.1.min(hi))))
                width=(coord(w - left - right))
                height=(coord(y(band.0.max(lo)) - y(band.1.min(hi)))) {}
            @for wpm in grid {
                line.grid x1=(left) x2=(coord(w - right)) y1=(coord(y(wpm))) y2=(coord(y(wpm))) {}
                text x=(coord(left - 6.0)) y=(coord(y(wpm) + 4.0)) text-anchor="end" {
                    (format::whole(wpm))
                }
            }
            line.avg x1=(left) x2=(coord(w - right)) y1=(avg_y) y2=(avg_y) {}
            polyline.line points=(svg_points(points.iter().map(|(s, v)| (x(*s), y(*v))))) {}
            @for (s, v) in points {
                circle cx=(coord(x(*s))) cy=(coord(y(*v))) r="3" data-start=(secs(*s)) {
                    title { (format::clock(*s)) " · " (format::whole(*v)) " words/min" }
                }
            }
            @for at in ticks {
                text x=(coord(x(at))) y=(coord(h - 6.0)) text-anchor="middle" {
                    (format::clock(at))
                }
            }
        }
    }
}

fn transcript_section(transcript: &Transcript, analysis: &Analysis) -> Markup {
    let lines = timeline::lines(Some(transcript), Some(analysis));
    let headings = headings(&lines);
    html! {
        section.card.transcript #transcript {
            h2 { "Transcript" } "\n"
            @for (line, heading) in lines.iter().zip(headings) {
                @if let Some(label) = heading {
                    (section_heading(label, line)) "\n"
                }
                (sentence(line)) "\n"
            }
            @if timeline::any_doubtful(&lines) {
                p.note { "A word underlined with dots " (timeline::DOUBTFUL_MEANING) } "\n"
            }
        }
    }
}

/// The label each line is headed by: only where the label changes, which is
/// always between sentences.
fn headings(lines: &[Line]) -> Vec<Option<Label>> {
    let mut current: Option<Label> = None;
    lines
        .iter()
        .map(|line| {
            if line.label.is_some() && line.label != current {
                current = line.label;
                current
            } else {
                None
            }
        })
        .collect()
}

/// A STAR section's title and, from the section it opens, its time span.
fn section_heading(label: Label, line: &Line) -> Markup {
    let span = line
        .opens
        .as_ref()
        .map(|s| format::clocks(s.start_s, s.end_s))
        .unwrap_or_default();
    html! {
        h3 class=(class(label)) { (label.title()) small { (span) } }
    }
}

/// One sentence: its start time, then its words and pauses, each followed
/// by a space.
fn sentence(line: &Line) -> Markup {
    let label_class = line.label.map(class).unwrap_or_default();
    html! {
        p class={ "sent " (label_class) } {
            button.ts data-start=(secs(line.start_s)) { (format::clock(line.start_s)) }
            @for token in &line.tokens {
                (token_markup(token)) " "
            }
        }
    }
}

fn token_markup(token: &Token) -> Markup {
    match token {
        Token::Word {
            index,
            text,
            start_s,
            filler,
            filler_goes_on,
            possible,
        } => {
            let (kind, title) = if *filler && *filler_goes_on {
                // Joined to the next word's mark: one mark for "I mean".
                ("w filler goes-on", Some("filler"))
            } else if *filler {
                ("w filler", Some("filler"))
            } else if *possible {
                ("w maybe", Some("possible filler, not counted"))
            } else {
                ("w", None)
            };
            html! {
                span class=(kind) data-start=(secs(*start_s)) data-word=(index) title=[title] {
                    (Text(text))
                }
            }
        }
        Token::Pause { start_s, seconds } => html! {
            button.gap data-start=(secs(*start_s)) { (format::one_decimal(*seconds)) " s pause" }
        },
    }
}

fn feedback_section(analysis: &Analysis) -> Markup {
    html! {
        section.card.feedback {
            h2 { "What to work on" } "\n"
            @if analysis.feedback.is_empty() {
                p { "Nothing stood out. Try the same prompt with a different story." }
            } @else {
                ol {
                    @for advice in &analysis.feedback {
                        li { (Text(advice)) }
                    }
                }
            }
            "\n"
            ul.checks {
                @for (ok, what) in check_items(analysis) {
                    li class=(if ok { "ok" } else { "no" }) data-mark=(text::check_mark(ok)) {
                        (Text(&what))
                    }
                }
            }
            "\n"
        }
    }
}

/// The content checks as (passed, what it says): the ones the Checks card counts.
fn check_items(analysis: &Analysis) -> Vec<(bool, String)> {
    let checks = &analysis.checks;
    vec![
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
                format!("Hedges: {}", format::quoted(&checks.hedges))
            },
        ),
        (
            analysis.passes(Check::NoBlame),
            if checks.blame.is_empty() {
                "No blaming others".to_string()
            } else {
                format!("Blame: {}", format::quoted(&checks.blame))
            },
        ),
    ]
}

fn follow_up(question: &str) -> Markup {
    html! {
        section.card.follow-up {
            h2 { "The interviewer asks next" }
            p #follow-up { (Text(question)) }
        }
    }
}
