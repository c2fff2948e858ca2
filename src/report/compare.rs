//! `rehearse compare A B`: two takes side by side with deltas, then a
//! word-level diff of what was said.

use std::fmt::Write as _;

use similar::ChangeTag;

use super::text::{self, Paint};
use super::timeline;
use crate::analyse::{Analysis, Label};
use crate::format;
use crate::store::LoadedSession;

/// Whether a rise is good, bad or neither, to colour the delta.
#[derive(Clone, Copy)]
enum Better {
    Higher,
    Lower,
    Neither,
}

/// `width`: the columns to wrap the word diff to, never inside a word.
pub fn render_compare(a: &LoadedSession, b: &LoadedSession, color: bool, width: usize) -> String {
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
    let _ = writeln!(
        out,
        "{}",
        paint.bold("Transcript diff (A → B), fillers *marked*")
    );
    let a_words = diff_words(a);
    let b_words = diff_words(b);
    if a_words.is_empty() && b_words.is_empty() {
        let _ = writeln!(out, "(no transcripts yet)");
        return out;
    }
    let a_keys: Vec<&str> = a_words.iter().map(|w| w.key.as_str()).collect();
    let b_keys: Vec<&str> = b_words.iter().map(|w| w.key.as_str()).collect();
    let (mut removed, mut added, mut kept) = (0usize, 0usize, 0usize);
    // A run of changes between two equal words prints as one removed block
    // then one added block: `[-old words-] {+new words+}`.
    let mut shown: Vec<Shown> = Vec::new();
    let (mut deleted, mut inserted): (Vec<&DiffWord>, Vec<&DiffWord>) = (Vec::new(), Vec::new());
    fn flush<'w>(
        deleted: &mut Vec<&'w DiffWord>,
        inserted: &mut Vec<&'w DiffWord>,
        shown: &mut Vec<Shown<'w>>,
    ) {
        shown.extend(Shown::run(deleted, Change::Removed));
        shown.extend(Shown::run(inserted, Change::Added));
        deleted.clear();
        inserted.clear();
    }
    for op in similar::capture_diff_slices(similar::Algorithm::Myers, &a_keys, &b_keys) {
        for change in op.iter_changes(&a_keys, &b_keys) {
            match (change.tag(), change.old_index(), change.new_index()) {
                (ChangeTag::Delete, Some(i), _) => {
                    removed += 1;
                    deleted.push(&a_words[i]);
                }
                (ChangeTag::Insert, _, Some(j)) => {
                    added += 1;
                    inserted.push(&b_words[j]);
                }
                (ChangeTag::Equal, Some(i), Some(j)) => {
                    kept += 1;
                    flush(&mut deleted, &mut inserted, &mut shown);
                    // The same word in both takes: a filler in either is marked.
                    let (a_word, b_word) = (&a_words[i], &b_words[j]);
                    let marking = if a_word.filler { a_word } else { b_word };
                    shown.push(Shown {
                        text: &a_word.text,
                        filler: marking.filler,
                        filler_goes_on: marking.filler_goes_on,
                        change: Change::Kept,
                        first: true,
                        last: true,
                    });
                }
                _ => {}
            }
        }
    }
    flush(&mut deleted, &mut inserted, &mut shown);
    out.push_str(&format::wrap_tokens(
        &render_words(&shown, paint),
        "  ",
        2,
        width,
    ));
    let _ = writeln!(
        out,
        "\n{kept} words kept, {removed} removed, {added} added; similarity {:.2}",
        super::stories::similarity(&answer_text(a), &answer_text(b))
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

/// Whether a word of the diff is in both takes, only in A or only in B.
#[derive(Clone, Copy, PartialEq)]
enum Change {
    Kept,
    Removed,
    Added,
}

/// A word as the diff prints it.
struct Shown<'w> {
    text: &'w str,
    filler: bool,
    filler_goes_on: bool,
    change: Change,
    /// First and last word of its run of removed or added words, where the
    /// run's brackets go.
    first: bool,
    last: bool,
}

impl<'w> Shown<'w> {
    fn run(words: &[&'w DiffWord], change: Change) -> impl Iterator<Item = Shown<'w>> {
        let last = words.len().saturating_sub(1);
        words.iter().enumerate().map(move |(i, word)| Shown {
            text: &word.text,
            filler: word.filler,
            filler_goes_on: word.filler_goes_on,
            change,
            first: i == 0,
            last: i == last,
        })
    }

    /// Each word stays its own token so long runs still wrap. Without colour
    /// a filler is `*marked*`, one pair around a filler of two words.
    fn render(&self, before: Option<&Shown>, after: Option<&Shown>, paint: Paint) -> String {
        let (open, close, codes) = match self.change {
            Change::Kept => ("", "", ["", "1;33"]),
            Change::Removed => ("[-", "-]", ["9;31", "9;1;33"]),
            Change::Added => ("{+", "+}", ["32", "4;1;33"]),
        };
        if paint.color {
            let code = codes[usize::from(self.filler)];
            return if code.is_empty() {
                self.text.to_string()
            } else {
                paint.wrap(code, self.text)
            };
        }
        let word = if self.filler {
            let goes_on = |w: &Shown| w.filler && w.filler_goes_on;
            text::filler_mark(
                self.text,
                before.is_some_and(goes_on),
                goes_on(self) && after.is_some_and(|w| w.filler),
            )
        } else {
            self.text.to_string()
        };
        format!(
            "{}{word}{}",
            if self.first { open } else { "" },
            if self.last { close } else { "" }
        )
    }
}

/// The diff's words as printed tokens, each knowing its neighbours (where a
/// filler's mark opens and closes).
fn render_words(shown: &[Shown], paint: Paint) -> Vec<String> {
    (0..shown.len())
        .map(|k| shown[k].render(k.checked_sub(1).map(|p| &shown[p]), shown.get(k + 1), paint))
        .collect()
}

/// A word of one take as the diff sees it.
struct DiffWord {
    text: String,
    /// Lowercase, punctuation stripped: "Um," and "um" are the same word.
    key: String,
    /// Counted as a filler by the take's analysis (joined by word index).
    filler: bool,
    /// The next word is part of the same filler ("I mean").
    filler_goes_on: bool,
}

fn diff_words(loaded: &LoadedSession) -> Vec<DiffWord> {
    let Some(transcript) = &loaded.transcript else {
        return answer_text(loaded)
            .split_whitespace()
            .map(|text| DiffWord {
                text: text.to_string(),
                key: diff_key(text),
                filler: false,
                filler_goes_on: false,
            })
            .collect();
    };
    let fillers = loaded
        .analysis
        .as_ref()
        .map(|analysis| timeline::filler_words(analysis, transcript.words().count()))
        .unwrap_or_default();
    transcript
        .words()
        .enumerate()
        .filter(|(_, word)| !word.text.trim().is_empty())
        .map(|(index, word)| DiffWord {
            text: word.text.trim().to_string(),
            key: diff_key(&word.text),
            filler: fillers.contains_key(&index),
            filler_goes_on: fillers.get(&index).copied().unwrap_or(false),
        })
        .collect()
}

fn diff_key(text: &str) -> String {
    let key: String = text
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '\'')
        .collect();
    // Bare punctuation still needs a key of its own.
    if key.is_empty() {
        text.trim().to_string()
    } else {
        key
    }
}

/// How a metric is shown: the text, and the number the text stands for, so
/// that a change is the difference of the two numbers the user reads ("10%"
/// to "8%" is -2%, not the -3% of the unrounded shares).
struct Unit {
    show: fn(f64) -> String,
    as_shown: fn(f64) -> f64,
}

const SECONDS: Unit = Unit {
    show: format::duration,
    as_shown: format::whole_seconds,
};
const WHOLE: Unit = Unit {
    show: format::whole,
    as_shown: f64::round,
};
const TENTHS: Unit = Unit {
    show: format::one_decimal,
    as_shown: |v| (v * 10.0).round() / 10.0,
};
const PERCENT: Unit = Unit {
    show: format::percent,
    as_shown: |share| f64::from(format::whole_percent(share)) / 100.0,
};

/// The change from `a` to `b` as the user reads it: "=", or a signed amount
/// in the metric's unit.
fn change(a: f64, b: f64, unit: &Unit) -> Option<(bool, String)> {
    let delta = (unit.as_shown)(b) - (unit.as_shown)(a);
    let body = (unit.show)(delta.abs());
    (body != (unit.show)(0.0)).then_some((delta > 0.0, body))
}

fn metrics_table(a: &Analysis, b: &Analysis, paint: Paint) -> String {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut row = |name: &str, av: f64, bv: f64, unit: &Unit, better: Better| {
        let delta_text = match change(av, bv, unit) {
            None => "=".to_string(),
            Some((rose, amount)) => {
                let body = format!("{}{amount}", if rose { "+" } else { "-" });
                match (better, rose) {
                    (Better::Higher, true) | (Better::Lower, false) => paint.green(&body),
                    (Better::Higher, false) | (Better::Lower, true) => paint.red(&body),
                    (Better::Neither, _) => body,
                }
            }
        };
        rows.push(vec![
            name.to_string(),
            (unit.show)(av),
            (unit.show)(bv),
            delta_text,
        ]);
    };
    row("length", a.answer_s, b.answer_s, &SECONDS, Better::Neither);
    row(
        "recording",
        a.duration_s,
        b.duration_s,
        &SECONDS,
        Better::Neither,
    );
    row(
        "words/min",
        a.words_per_minute,
        b.words_per_minute,
        &WHOLE,
        Better::Neither,
    );
    row(
        "fillers",
        a.fillers.total as f64,
        b.fillers.total as f64,
        &WHOLE,
        Better::Lower,
    );
    row(
        "fillers/min",
        a.fillers.per_minute,
        b.fillers.per_minute,
        &TENTHS,
        Better::Lower,
    );
    row(
        "long pauses",
        a.pauses.len() as f64,
        b.pauses.len() as f64,
        &WHOLE,
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
            &PERCENT,
            better,
        );
    }
    row(
        "I in actions",
        a.checks.i_count as f64,
        b.checks.i_count as f64,
        &WHOLE,
        Better::Higher,
    );
    row(
        "we in actions",
        a.checks.we_count as f64,
        b.checks.we_count as f64,
        &WHOLE,
        Better::Lower,
    );
    row(
        "hedges",
        a.checks.hedges.len() as f64,
        b.checks.hedges.len() as f64,
        &WHOLE,
        Better::Lower,
    );
    row(
        "blame",
        a.checks.blame.len() as f64,
        b.checks.blame.len() as f64,
        &WHOLE,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn read(a: f64, b: f64, unit: &Unit) -> String {
        change(a, b, unit).map_or("=".to_string(), |(rose, amount)| {
            format!("{}{amount}", if rose { "+" } else { "-" })
        })
    }

    #[test]
    fn a_filler_of_two_words_is_marked_once() {
        let word = |text: &str, filler: bool, filler_goes_on: bool| DiffWord {
            text: text.to_string(),
            key: diff_key(text),
            filler,
            filler_goes_on,
        };
        let (we, i, mean, i_again, um) = (
            word("We,", false, false),
            word("I", true, true),
            word("mean", true, false),
            word("I", false, false),
            word("um,", true, false),
        );
        let plain = Paint { color: false };
        let kept: Vec<Shown> = Shown::run(&[&we, &i, &mean, &i_again], Change::Kept).collect();
        assert_eq!(render_words(&kept, plain), ["We,", "*I", "mean*", "I"]);
        // A run of removed words keeps its brackets and the filler its pair.
        let mut diff: Vec<Shown> = Shown::run(&[&we], Change::Kept).collect();
        diff.extend(Shown::run(&[&i, &mean], Change::Removed));
        diff.extend(Shown::run(&[&um], Change::Added));
        assert_eq!(
            render_words(&diff, plain),
            ["We,", "[-*I", "mean*-]", "{+*um,*+}"]
        );
        // A filler whose second word is not printed next still closes.
        let cut: Vec<Shown> = Shown::run(&[&i, &i_again], Change::Kept).collect();
        assert_eq!(render_words(&cut, plain), ["*I*", "I"]);
    }

    /// The change is the difference of the values as shown, whatever the
    /// rounding hid: over many pairs, A and B as printed and the change
    /// printed agree arithmetically.
    #[test]
    fn a_change_is_the_difference_of_what_is_shown() {
        assert_eq!(read(0.104, 0.076, &PERCENT), "-2%");
        assert_eq!(read(0.492, 0.397, &PERCENT), "-9%");
        assert_eq!(read(0.104, 0.096, &PERCENT), "=");
        assert_eq!(read(48.4, 55.6, &SECONDS), "+0:08");
        for k in 0..2000 {
            let a = f64::from(k % 97) / 97.0;
            let b = f64::from((k * 31) % 89) / 89.0;
            let (shown_a, shown_b) = (format::whole_percent(a), format::whole_percent(b));
            let expected = match shown_b.cmp(&shown_a) {
                std::cmp::Ordering::Equal => "=".to_string(),
                std::cmp::Ordering::Greater => format!("+{}%", shown_b - shown_a),
                std::cmp::Ordering::Less => format!("-{}%", shown_a - shown_b),
            };
            assert_eq!(read(a, b, &PERCENT), expected, "{a} -> {b}");
            let (a_s, b_s) = (a * 100.0, b * 100.0);
            let (whole_a, whole_b) = (a_s.round() as i64, b_s.round() as i64);
            let expected = match whole_b - whole_a {
                0 => "=".to_string(),
                d if d > 0 => format!("+{d}"),
                d => format!("-{}", -d),
            };
            assert_eq!(read(a_s, b_s, &WHOLE), expected, "{a_s} -> {b_s}");
        }
    }
}
