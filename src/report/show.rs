//! `rehearse show ID|last`: the transcript with timestamps, sections,
//! fillers and pauses, then the metrics and the feedback.

use std::fmt::Write as _;

use super::text::{self, Paint};
use super::timeline::{self, Token};
use crate::analyse::{Analysis, Aspect, Check, Finding, Label};
use crate::format;
use crate::store::{LoadedSession, Source, Status};

/// `[00:12] S  ` is 11 columns.
const INDENT: usize = 11;

/// `width`: the columns to wrap to, never inside a word.
pub fn render_show(loaded: &LoadedSession, color: bool, width: usize) -> String {
    let paint = Paint { color };
    let session = &loaded.session;
    let mut out = String::new();
    let _ = writeln!(out, "{} {}", paint.bold("Session"), paint.bold(&session.id));
    let source = match &session.source {
        Source::Microphone => "microphone".to_string(),
        Source::File { original_name } => format!("file `{original_name}`"),
    };
    let _ = writeln!(
        out,
        "{} UTC · {} · {}",
        text::when(&session.created_utc),
        source,
        session.status.name()
    );
    if let Status::Failed { stage, error } = &session.status {
        let _ = writeln!(out, "{}", paint.red(&format!("failed at {stage}: {error}")));
    }
    match &session.prompt {
        Some(prompt) => {
            out.push_str(&format::wrap_words(&prompt.text, "Prompt: ", 8, width));
            if !prompt.principles.is_empty() {
                let _ = writeln!(out, "Principles: {}", prompt.principles.join(", "));
            }
        }
        None => {
            let _ = writeln!(out, "Prompt: none (ad hoc answer)");
        }
    }

    out.push('\n');
    let _ = writeln!(out, "{}", paint.bold("Transcript"));
    let lines = timeline::lines(loaded.transcript.as_ref(), loaded.analysis.as_ref());
    if lines.is_empty() {
        if loaded.transcript.is_some() {
            let _ = writeln!(out, "  (no speech found in the recording)");
        } else {
            let _ = writeln!(
                out,
                "  (no transcript yet; run `rehearse analyse --session {}`)",
                session.id
            );
        }
    }
    let mut current: Option<Label> = None;
    for line in &lines {
        // A header only where the label changes, which is always between sentences.
        if line.label.is_some() && line.label != current {
            current = line.label;
            if let Some(label) = current {
                let span = line
                    .opens
                    .as_ref()
                    .map(|s| format!(" · {}", crate::format::clocks(s.start_s, s.end_s)))
                    .unwrap_or_default();
                let heading = format!("── {}{} ──", label.name().to_uppercase(), span);
                let _ = writeln!(out, "{}", paint.label(label, &heading));
            }
        }
        let letter = line
            .label
            .map_or(" ".to_string(), |label| paint.label(label, label.letter()));
        let prefix = format!(
            "{} {}  ",
            paint.dim(&crate::format::stamp(line.start_s)),
            letter
        );
        // (filler, goes on into the next word) of the token at `k`, if a word.
        let filler_at = |k: Option<usize>| match k.and_then(|k| line.tokens.get(k)) {
            Some(Token::Word {
                filler,
                filler_goes_on,
                ..
            }) => (*filler, *filler && *filler_goes_on),
            _ => (false, false),
        };
        let tokens: Vec<String> = line
            .tokens
            .iter()
            .enumerate()
            .map(|(k, token)| match token {
                Token::Word {
                    text,
                    filler,
                    possible,
                    ..
                } => {
                    if *filler {
                        // Plain text still needs a visible mark, one pair
                        // around a filler of two words: "*I mean*".
                        if color {
                            paint.wrap("1;33", text)
                        } else {
                            text::filler_mark(
                                text,
                                filler_at(k.checked_sub(1)).1,
                                filler_at(Some(k)).1 && filler_at(Some(k + 1)).0,
                            )
                        }
                    } else if *possible {
                        format!("{text}{}", paint.dim("(?)"))
                    } else {
                        text.clone()
                    }
                }
                Token::Pause { seconds, .. } => paint.dim(&format!(
                    "… ({} s pause) …",
                    crate::format::one_decimal(*seconds)
                )),
            })
            .collect();
        out.push_str(&format::wrap_tokens(&tokens, &prefix, INDENT, width));
    }
    // A mark the reader cannot decode is noise: say what the doubtful ones are.
    if timeline::any_doubtful(&lines) {
        out.push('\n');
        out.push_str(&paint.dim(&format::wrap_words(
            &format!("A word with (?) {}", timeline::DOUBTFUL_MEANING),
            "",
            0,
            width,
        )));
    }

    if let Some(analysis) = &loaded.analysis {
        out.push('\n');
        out.push_str(&metrics(analysis, paint, width));
    }
    if let Some(question) = &session.follow_up {
        out.push('\n');
        out.push_str(&format::wrap_words(question, "Follow-up: ", 11, width));
    }
    out
}

/// The metrics block, also used by `compare` for context.
pub(crate) fn metrics(analysis: &Analysis, paint: Paint, width: usize) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", paint.bold("Metrics"));
    let verdict = if !analysis.flags(Aspect::Length) {
        paint.green("✓ in window")
    } else if analysis.answer_s < analysis.window.min_s {
        paint.red("✗ too short")
    } else {
        paint.red("✗ too long")
    };
    let _ = writeln!(
        out,
        "  Length      {} · {} {verdict}",
        text::answer_length(analysis),
        text::window(analysis)
    );
    let pace_verdict = match analysis
        .findings
        .iter()
        .find(|f| f.aspect() == Aspect::Pace)
    {
        Some(Finding::PaceFast { .. }) => paint.red(" ✗ fast"),
        Some(_) => paint.red(" ✗ slow"),
        None => String::new(),
    };
    let _ = writeln!(
        out,
        "  Pace        {} words/min · {} words{pace_verdict}",
        crate::format::whole(analysis.words_per_minute),
        analysis.words,
    );
    let mut fillers = format!(
        "  Fillers     {} ({}/min, {} of words)",
        analysis.fillers.total,
        crate::format::one_decimal(analysis.fillers.per_minute),
        crate::format::percent(analysis.fillers.share_of_words)
    );
    if !analysis.fillers.by_word.is_empty() {
        let _ = write!(
            fillers,
            ": {}",
            crate::format::tally(&analysis.fillers.by_word)
        );
    }
    if analysis.fillers.possible > 0 {
        let _ = write!(fillers, " · {} possible", analysis.fillers.possible);
    }
    if analysis.flags(Aspect::Fillers) {
        fillers.push_str(&paint.red(" ✗ high"));
    }
    let _ = writeln!(out, "{fillers}");
    let longest = analysis
        .pauses
        .iter()
        .map(|p| p.end_s - p.start_s)
        .fold(0.0_f64, f64::max);
    if analysis.pauses.is_empty() {
        let _ = writeln!(out, "  Pauses      no long pauses");
    } else {
        let _ = writeln!(
            out,
            "  Pauses      {} long (longest {} s)",
            analysis.pauses.len(),
            crate::format::one_decimal(longest)
        );
    }
    let shares: Vec<String> = Label::ALL
        .iter()
        .map(|&label| {
            paint.label(
                label,
                &format!(
                    "{} {}",
                    label.letter(),
                    crate::format::percent(analysis.star.shares.get(label))
                ),
            )
        })
        .collect();
    let target: Vec<String> = Label::ALL
        .iter()
        .filter(|&&label| analysis.star.target.get(label) > 0.0)
        .map(|&label| {
            format!(
                "{} {}",
                text::target_letter(&analysis.star.target, label),
                crate::format::percent(analysis.star.target.get(label))
            )
        })
        .collect();
    let _ = writeln!(out, "  STAR        {}", shares.join("  "));
    let _ = writeln!(out, "  target      {}", target.join("  "));
    let _ = writeln!(out, "  split       {}", star_bar(analysis, paint, 40));
    let missing = analysis.missing_sections();
    if !missing.is_empty() {
        let missing: Vec<&str> = missing.iter().map(|l| l.name()).collect();
        let _ = writeln!(out, "  missing     {}", paint.red(&missing.join(", ")));
    }
    let checks = &analysis.checks;
    let _ = writeln!(
        out,
        "  Checks      I ×{} · we ×{} in actions {} · numbers in result {} · learning {}",
        checks.i_count,
        checks.we_count,
        text::check_mark(analysis.passes(Check::FirstPerson)),
        text::check_mark(analysis.passes(Check::NumbersInResult)),
        text::check_mark(analysis.passes(Check::Learning))
    );
    if !checks.hedges.is_empty() {
        let _ = writeln!(
            out,
            "  Hedges      {}",
            paint.yellow(&crate::format::quoted(&checks.hedges))
        );
    }
    if !checks.blame.is_empty() {
        let _ = writeln!(
            out,
            "  Blame       {}",
            paint.red(&crate::format::quoted(&checks.blame))
        );
    }
    if !analysis.feedback.is_empty() {
        out.push('\n');
        let _ = writeln!(out, "{}", paint.bold("Feedback"));
        for (i, advice) in analysis.feedback.iter().enumerate() {
            out.push_str(&format::wrap_words(
                advice,
                &format!("  {}. ", i + 1),
                5,
                width,
            ));
        }
    }
    out
}

/// The sections as a bar of letters, one cell per `1/width` of speaking time.
fn star_bar(analysis: &Analysis, paint: Paint, width: usize) -> String {
    let mut out = String::new();
    let mut used = 0usize;
    let mut cumulative = 0.0;
    for label in Label::ALL {
        cumulative += analysis.star.shares.get(label);
        let end = ((cumulative * width as f64).round() as usize).min(width);
        let cells = end.saturating_sub(used);
        used += cells;
        out.push_str(&paint.label(label, &label.letter().repeat(cells)));
    }
    out
}
