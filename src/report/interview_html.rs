//! The mock interview's summary as one self-contained page: the loop at a
//! glance, then each question with its take and follow-ups, each with its
//! figures and its audio (inline, as `data:` URIs, like `rehearse report`).

use std::collections::BTreeMap;

use base64::Engine as _;
use maud::{Markup, html};

use super::html::{REPORT_CONTENT_SECURITY_POLICY, Text, page, split};
use super::interview::{FollowUpTake, InterviewSummary, QuestionTakes, follow_up_verdict};
use super::progress::{CHECKS_TOTAL, checks_passed};
use super::text;
use crate::format;
use crate::store::LoadedSession;

const EXTRA_CSS: &str = "
.loop-table { width: 100%; border-collapse: collapse; font-size: 15px; }
.loop-table th, .loop-table td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
.loop-table tr.follow td:first-child { padding-left: 26px; color: var(--muted); }
.take-figures { color: var(--muted); font-size: 14px; margin: 6px 0 10px; font-variant-numeric: tabular-nums; }
.follow-up { border-left: 4px solid var(--line); padding: 4px 0 4px 14px; margin: 16px 0 0; }
.follow-up h3 { font-size: 16px; margin: 0 0 4px; }
.skipped { color: var(--muted); font-style: italic; }
.warn-line { color: var(--bad); font-weight: 600; }
";

/// The whole page. `audio` holds each take's WAV bytes by take id; a take
/// with none gets a note instead of a player.
pub fn render_interview_html(
    summary: &InterviewSummary,
    audio: &BTreeMap<String, Vec<u8>>,
) -> String {
    let work_on = summary.work_on();
    let same = summary.same_stories();
    let body = html! {
        body {
            "\n"
            main {
                "\n"
                header.top {
                    div.eyebrow { span { "Mock interview" } span.chip { (Text(&summary.id)) } }
                    h1 { (summary.headline()) }
                }
                "\n"
                section.card #overview {
                    h2 { "The loop" }
                    div style="overflow-x:auto" { table.loop-table {
                        thead { tr { th { "Question" } th { "Take" } th { "Length" } th { "Fillers/min" } th { "Checks" } } }
                        tbody {
                            @for question in &summary.questions {
                                (overview_rows(question))
                            }
                        }
                    } }
                    p { "Principles covered: " (Text(&summary.principles().join(", "))) }
                    @for (a, b) in &same {
                        p.warn-line {
                            "Same story twice: questions " (a + 1) " and " (b + 1)
                            "; interviewers expect a different story per question."
                        }
                    }
                }
                "\n"
                @if !work_on.is_empty() {
                    section.card #work-on {
                        h2 { "Work on" }
                        ol {
                            @for item in &work_on {
                                li { (Text(&item.advice)) " (" (item.takes) " of " (item.of) ")" }
                            }
                        }
                    }
                    "\n"
                }
                @for (index, question) in summary.questions.iter().enumerate() {
                    (question_section(index, question, audio)) "\n"
                }
                footer {
                    "Made on this computer by rehearse · nothing in this page leaves it"
                }
                "\n"
            }
            "\n"
        }
    };
    page(
        &format!("mock interview {}", summary.id),
        REPORT_CONTENT_SECURITY_POLICY,
        EXTRA_CSS,
        body,
    )
}

/// The anchor of a take's section.
fn anchor(take: &LoadedSession) -> String {
    format!("take-{}", take.id())
}

fn overview_rows(question: &QuestionTakes) -> Markup {
    let prompt = question
        .take
        .session
        .prompt
        .as_ref()
        .map_or("", |p| p.text.as_str());
    html! {
        tr {
            td { a href={ "#" (anchor(&question.take)) } { (Text(prompt)) } }
            td { "#" (question.number) }
            @if let Some(analysis) = &question.take.analysis {
                td { (format::duration(analysis.answer_s)) " " (text::check_mark(analysis.in_window)) }
                td { (format::one_decimal(analysis.fillers.per_minute)) }
                td { (checks_passed(analysis)) "/" (CHECKS_TOTAL) }
            } @else {
                td { "–" } td { "–" } td { "–" }
            }
        }
        "\n"
        @for follow_up in &question.follow_ups {
            tr.follow {
                td { "↳ " (Text(&follow_up.question)) }
                @match (&follow_up.answer, follow_up.verdict()) {
                    (Some((number, take)), Some(verdict)) => {
                        td { a href={ "#" (anchor(take)) } { "#" (number) } }
                        td { (format::duration(verdict.answer_s)) " " (text::check_mark(verdict.length_ok)) }
                        td { (format::one_decimal(verdict.fillers_per_minute)) }
                        td { (verdict.passed()) "/" (crate::analyse::FOLLOW_UP_CHECKS) }
                    }
                    _ => { td colspan="4" .skipped { "skipped" } }
                }
            }
            "\n"
        }
    }
}

fn question_section(
    index: usize,
    question: &QuestionTakes,
    audio: &BTreeMap<String, Vec<u8>>,
) -> Markup {
    let take = &question.take;
    let prompt = take.session.prompt.as_ref();
    html! {
        section.card.question id=(anchor(take)) {
            h2 { "Question " (index + 1) " · take #" (question.number) }
            p { strong { (Text(prompt.map_or("", |p| p.text.as_str()))) } }
            @if let Some(analysis) = &take.analysis {
                p.take-figures { (Text(&super::interview::answer_verdict(take))) }
                (split(analysis))
                @if !analysis.feedback.is_empty() {
                    ul { @for line in &analysis.feedback { li { (Text(line)) } } }
                }
            }
            (player(take, audio))
            @for follow_up in &question.follow_ups {
                (follow_up_section(follow_up, audio))
            }
        }
    }
}

fn follow_up_section(follow_up: &FollowUpTake, audio: &BTreeMap<String, Vec<u8>>) -> Markup {
    html! {
        div.follow-up id=[follow_up.answer.as_ref().map(|(_, take)| anchor(take))] {
            h3 { "↳ " (Text(&follow_up.question)) }
            @match (&follow_up.answer, follow_up.verdict()) {
                (Some((number, take)), verdict) => {
                    p.take-figures {
                        "take #" (number) " · "
                        @if let Some(verdict) = &verdict {
                            (Text(&follow_up_verdict(verdict)))
                        } @else {
                            "not analysed"
                        }
                    }
                    @if let Some(verdict) = &verdict {
                        @let advice = verdict.advice();
                        @if !advice.is_empty() {
                            ul { @for line in &advice { li { (Text(line)) } } }
                        }
                    }
                    (player(take, audio))
                }
                (None, _) => { p.skipped { "Skipped." } }
            }
        }
    }
}

fn player(take: &LoadedSession, audio: &BTreeMap<String, Vec<u8>>) -> Markup {
    let Some(bytes) = audio.get(take.id()).filter(|bytes| !bytes.is_empty()) else {
        return html! {
            p.player-note { "The recording is missing from this take, so there is nothing to play." }
        };
    };
    let encoded = base64::engine::general_purpose::STANDARD.encode(bytes);
    html! {
        audio controls preload="metadata" data-take=(take.id())
            src={ "data:audio/wav;base64," (encoded) } {}
    }
}
