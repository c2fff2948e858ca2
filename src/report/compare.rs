//! `rehearse compare A B`: two takes side by side with deltas, then a
//! word-level diff of what was said.

use std::fmt::Write as _;

use similar::{ChangeTag, TextDiff};

use super::text::{self, Paint};
use crate::analyse::{Analysis, Label};
use crate::store::LoadedSession;

/// Whether a rise is good, bad or neither, to colour the delta.
#[derive(Clone, Copy)]
enum Better {
    Higher,
    Lower,
    Neither,
}

pub fn render_compare(a: &LoadedSession, b: &LoadedSession, color: bool) -> String {
    let paint = Paint { color };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} A = {}  ({})",
        paint.bold("Compare"),
        a.id(),
        text::when(&a.session.created_utc)
    );
    let _ = writeln!(
        out,
        "        B = {}  ({})",
        b.id(),
        text::when(&b.session.created_utc)
    );
    out.push('\n');

    match (&a.analysis, &b.analysis) {
        (Some(aa), Some(ba)) => out.push_str(&metrics_table(aa, ba, paint)),
        _ => {
            let _ = writeln!(
                out,
                "(metrics need both takes analysed; run `rehearse analyse --session ID`)"
            );
        }
    }

    out.push('\n');
    let _ = writeln!(out, "{}", paint.bold("Transcript diff (A → B)"));
    let a_text = answer_text(a);
    let b_text = answer_text(b);
    if a_text.is_empty() && b_text.is_empty() {
        let _ = writeln!(out, "(no transcripts yet)");
        return out;
    }
    let diff = TextDiff::from_words(a_text.as_str(), b_text.as_str());
    let mut tokens: Vec<String> = Vec::new();
    let (mut removed, mut added, mut kept) = (0usize, 0usize, 0usize);
    // A run of changes between two equal words prints as one removed block
    // then one added block: `[-old words-] {+new words+}`.
    let (mut deleted, mut inserted): (Vec<&str>, Vec<&str>) = (Vec::new(), Vec::new());
    // Each word stays its own token so long runs still wrap; the markers go
    // on the first and last word of a run.
    let marked = |words: &[&str], open: &str, close: &str, code: &str, tokens: &mut Vec<String>| {
        let last = words.len().saturating_sub(1);
        for (i, word) in words.iter().enumerate() {
            if color {
                tokens.push(paint.wrap(code, word));
            } else {
                let start = if i == 0 { open } else { "" };
                let end = if i == last { close } else { "" };
                tokens.push(format!("{start}{word}{end}"));
            }
        }
    };
    let flush = |deleted: &mut Vec<&str>, inserted: &mut Vec<&str>, tokens: &mut Vec<String>| {
        marked(deleted, "[-", "-]", "9;31", tokens);
        marked(inserted, "{+", "+}", "32", tokens);
        deleted.clear();
        inserted.clear();
    };
    let changes: Vec<_> = diff.iter_all_changes().collect();
    for change in &changes {
        let word = change.value().trim();
        if word.is_empty() {
            continue;
        }
        match change.tag() {
            ChangeTag::Delete => {
                removed += 1;
                deleted.push(word);
            }
            ChangeTag::Insert => {
                added += 1;
                inserted.push(word);
            }
            ChangeTag::Equal => {
                kept += 1;
                flush(&mut deleted, &mut inserted, &mut tokens);
                tokens.push(word.to_string());
            }
        }
    }
    flush(&mut deleted, &mut inserted, &mut tokens);
    out.push_str(&text::wrap_tokens(&tokens, "  ", 2, 88));
    let _ = writeln!(
        out,
        "\n{kept} words kept, {removed} removed, {added} added; similarity {:.2}",
        super::stories::similarity(&a_text, &b_text)
    );
    out
}

fn answer_text(loaded: &LoadedSession) -> String {
    loaded
        .transcript
        .as_ref()
        .map(|t| t.text.clone())
        .or_else(|| loaded.analysis.as_ref().map(|a| a.transcript.clone()))
        .unwrap_or_default()
        .trim()
        .to_string()
}

fn metrics_table(a: &Analysis, b: &Analysis, paint: Paint) -> String {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut row = |name: &str, av: f64, bv: f64, shown: &dyn Fn(f64) -> String, better: Better| {
        let delta = bv - av;
        let delta_text = if delta.abs() < 1e-9 || shown(delta.abs()) == shown(0.0) {
            "=".to_string()
        } else {
            let sign = if delta > 0.0 { "+" } else { "-" };
            let body = format!("{sign}{}", shown(delta.abs()));
            match (better, delta > 0.0) {
                (Better::Higher, true) | (Better::Lower, false) => paint.green(&body),
                (Better::Higher, false) | (Better::Lower, true) => paint.red(&body),
                (Better::Neither, _) => body,
            }
        };
        rows.push(vec![name.to_string(), shown(av), shown(bv), delta_text]);
    };
    let secs = |v: f64| text::min_sec(v);
    let one = |v: f64| format!("{v:.1}");
    let whole = |v: f64| format!("{v:.0}");
    let pct = |v: f64| text::percent(v);
    row("length", a.duration_s, b.duration_s, &secs, Better::Neither);
    row(
        "words/min",
        a.words_per_minute,
        b.words_per_minute,
        &whole,
        Better::Neither,
    );
    row(
        "fillers",
        a.fillers.total as f64,
        b.fillers.total as f64,
        &whole,
        Better::Lower,
    );
    row(
        "fillers/min",
        a.fillers.per_minute,
        b.fillers.per_minute,
        &one,
        Better::Lower,
    );
    row(
        "long pauses",
        a.pauses.len() as f64,
        b.pauses.len() as f64,
        &whole,
        Better::Lower,
    );
    for label in Label::ALL {
        let name = format!("{} share", label.name());
        let better = match label {
            Label::Action => Better::Higher,
            _ => Better::Neither,
        };
        row(
            &name,
            a.star.shares.get(label),
            b.star.shares.get(label),
            &pct,
            better,
        );
    }
    row(
        "I in actions",
        a.checks.i_count as f64,
        b.checks.i_count as f64,
        &whole,
        Better::Higher,
    );
    row(
        "we in actions",
        a.checks.we_count as f64,
        b.checks.we_count as f64,
        &whole,
        Better::Lower,
    );
    row(
        "hedges",
        a.checks.hedges.len() as f64,
        b.checks.hedges.len() as f64,
        &whole,
        Better::Lower,
    );
    row(
        "blame",
        a.checks.blame.len() as f64,
        b.checks.blame.len() as f64,
        &whole,
        Better::Lower,
    );
    let mut flag_row = |name: &str, av: bool, bv: bool| {
        let yes_no = |v: bool| if v { "yes" } else { "no" }.to_string();
        let change = match (av, bv) {
            (false, true) => paint.green("gained"),
            (true, false) => paint.red("lost"),
            _ => "=".to_string(),
        };
        rows.push(vec![name.to_string(), yes_no(av), yes_no(bv), change]);
    };
    flag_row("in window", a.in_window, b.in_window);
    flag_row(
        "numbers in result",
        a.checks.quantified_result,
        b.checks.quantified_result,
    );
    flag_row("learning", a.checks.has_learning, b.checks.has_learning);
    text::table(&["METRIC", "A", "B", "CHANGE"], &rows, paint)
}
