//! Small text helpers shared by the terminal views: colour, times, tables,
//! wrapping. Widths count chars, which is right for the ASCII and single-width
//! symbols these views print.

use crate::analyse::{Analysis, Label, Shares};
use crate::format::visible_width;

/// ANSI styling that turns into nothing when colour is off.
#[derive(Debug, Clone, Copy)]
pub struct Paint {
    pub color: bool,
}

impl Paint {
    pub fn wrap(self, code: &str, text: &str) -> String {
        if self.color && !text.is_empty() {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
    pub fn bold(self, text: &str) -> String {
        self.wrap("1", text)
    }
    pub fn dim(self, text: &str) -> String {
        self.wrap("2", text)
    }
    pub fn red(self, text: &str) -> String {
        self.wrap("31", text)
    }
    pub fn green(self, text: &str) -> String {
        self.wrap("32", text)
    }
    pub fn yellow(self, text: &str) -> String {
        self.wrap("33", text)
    }
    pub fn label(self, label: Label, text: &str) -> String {
        self.wrap(label_ansi(label), text)
    }
}

/// One colour per section, the same hues as the HTML report.
pub fn label_ansi(label: Label) -> &'static str {
    match label {
        Label::Situation => "34", // blue
        Label::Task => "36",      // cyan
        Label::Action => "32",    // green
        Label::Result => "35",    // magenta
        Label::Learning => "33",  // yellow
    }
}

/// Whether `label`'s share of the target split holds the learning's too: the
/// result's does unless the learning has a target of its own
/// (`learning_separate`), so it reads "R+L" there, and "R 12%  L 8%" is not
/// held against "R 20%".
fn holds_learning(target: &Shares, label: Label) -> bool {
    label == Label::Result && target.learning <= 0.0
}

/// A section's letter in the target split.
pub fn target_letter(target: &Shares, label: Label) -> &'static str {
    if holds_learning(target, label) {
        "R+L"
    } else {
        label.letter()
    }
}

/// A section's title in the target split, as [`target_letter`] reads.
pub fn target_title(target: &Shares, label: Label) -> &'static str {
    if holds_learning(target, label) {
        "Result and learning"
    } else {
        label.title()
    }
}

/// The answer's length, with the recording's beside it where they differ
/// (silence before the first or after the last word): `1:25 (recording 1:30)`.
pub fn answer_length(analysis: &Analysis) -> String {
    let answer = crate::format::duration(analysis.answer_s);
    let recording = crate::format::duration(analysis.duration_s);
    if recording == answer {
        answer
    } else {
        format!("{answer} (recording {recording})")
    }
}

/// `target 1:00–2:00`.
pub fn window(analysis: &Analysis) -> String {
    format!(
        "target {}",
        crate::format::durations(analysis.window.min_s, analysis.window.max_s)
    )
}

/// `2026-11-22 10:35` from an RFC 3339 time; the raw string if it won't parse.
pub fn when(created_utc: &str) -> String {
    created_utc.parse::<jiff::Timestamp>().map_or_else(
        |_| created_utc.to_string(),
        |ts| ts.strftime("%Y-%m-%d %H:%M").to_string(),
    )
}

pub fn check_mark(ok: bool) -> &'static str {
    if ok { "✓" } else { "✗" }
}

/// Text width when stdout is not a terminal (a file, a pipe).
pub const PIPE_WIDTH: usize = 100;

/// A left-aligned table. Cells may carry colour; widths ignore it.
/// Trailing spaces are trimmed so snapshots stay clean.
pub fn table(header: &[&str], rows: &[Vec<String>], paint: Paint) -> String {
    let columns = header.len();
    let mut widths: Vec<usize> = header.iter().map(|h| visible_width(h)).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate().take(columns) {
            widths[i] = widths[i].max(visible_width(cell));
        }
    }
    let mut out = String::new();
    let line = |cells: Vec<String>, out: &mut String| {
        let mut text = String::new();
        for (i, cell) in cells.iter().enumerate() {
            text.push_str(cell);
            if i + 1 < cells.len() {
                let pad = widths[i].saturating_sub(visible_width(cell)) + 2;
                text.push_str(&" ".repeat(pad));
            }
        }
        out.push_str(text.trim_end());
        out.push('\n');
    };
    line(header.iter().map(|h| paint.bold(h)).collect(), &mut out);
    for row in rows {
        line(row.clone(), &mut out);
    }
    out
}

const SPARKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// A unicode sparkline from the lowest value to the highest, spanning at
/// least `min_span` around their middle; missing values are a space.
pub fn sparkline(values: &[Option<f64>], min_span: f64) -> String {
    let present: Vec<f64> = values
        .iter()
        .flatten()
        .copied()
        .filter(|v| v.is_finite())
        .collect();
    let lowest = present.iter().copied().fold(f64::INFINITY, f64::min);
    let highest = present.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let middle = f64::midpoint(lowest, highest);
    let half = ((highest - lowest).max(min_span)) / 2.0;
    let (min, max) = (middle - half, middle + half);
    values
        .iter()
        .map(|value| match value {
            Some(v) if v.is_finite() => {
                if max - min < 1e-9 {
                    SPARKS[3]
                } else {
                    let index = ((v - min) / (max - min) * 7.0).round() as usize;
                    SPARKS[index.min(7)]
                }
            }
            _ => ' ',
        })
        .collect()
}

/// A filler's word in plain text, given whether the filler goes on from the
/// word before into this one and from this one into the word after: a `*`
/// opens and closes each filler once, so "I mean" reads `*I mean*`, not
/// `*I* *mean*`.
pub fn filler_mark(word: &str, joined_before: bool, joined_after: bool) -> String {
    format!(
        "{}{word}{}",
        if joined_before { "" } else { "*" },
        if joined_after { "" } else { "*" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn level(mark: char) -> usize {
        SPARKS.iter().position(|&c| c == mark).unwrap()
    }

    #[test]
    fn a_change_smaller_than_the_span_rises_only_part_way() {
        let spark: Vec<char> = sparkline(&[Some(60.0), Some(63.0)], 15.0).chars().collect();
        assert!(level(spark[0]) < level(spark[1]));
        assert!(level(spark[1]) - level(spark[0]) <= 2, "{spark:?}");
    }

    #[test]
    fn a_large_change_spans_the_height_and_gaps_are_blank() {
        let spark: Vec<char> = sparkline(&[Some(60.0), None, Some(120.0)], 15.0)
            .chars()
            .collect();
        assert_eq!((spark[0], spark[1], spark[2]), (SPARKS[0], ' ', SPARKS[7]));
    }

    #[test]
    fn equal_values_are_flat() {
        let spark: Vec<char> = sparkline(&[Some(3.0), Some(3.0), Some(3.0)], 1.0)
            .chars()
            .collect();
        assert!(spark.iter().all(|&mark| mark == spark[0]), "{spark:?}");
    }
}
