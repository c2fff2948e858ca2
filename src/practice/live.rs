//! The one status line shown while recording: elapsed time coloured against
//! the 60 / 90 / 120 s marks, an input level meter, a warning when nothing
//! is heard, and how to stop. Drawn with indicatif on stderr, which draws
//! nothing when stderr is not a terminal.

use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Silence this long gets a warning: the microphone may be muted.
const SILENT_WARNING_MS: u64 = 3_000;

pub struct LiveLine {
    bar: ProgressBar,
    color: bool,
}

impl LiveLine {
    pub fn new(color: bool) -> Self {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr_with_hz(10));
        bar.set_style(
            ProgressStyle::with_template("{msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.enable_steady_tick(Duration::from_millis(250));
        Self { bar, color }
    }

    pub fn update(&self, elapsed_ms: u64, rms_dbfs: f32, silent_for_ms: u64) {
        self.bar
            .set_message(render(elapsed_ms, rms_dbfs, silent_for_ms, self.color));
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// The line's text, e.g. `● 1:07  ▮▮▮▮▮▯▯▯▯▯ -21 dB  in the window (1:00-2:00)  Enter stops`.
pub fn render(elapsed_ms: u64, rms_dbfs: f32, silent_for_ms: u64, color: bool) -> String {
    let seconds = elapsed_ms / 1000;
    let (colour, note) = match seconds {
        0..60 => ("33", "building up (aim for 1:00-2:00)"),
        60..90 => ("32", "in the window, good length"),
        90..120 => ("32;1", "in the window, start wrapping up"),
        _ => ("31;1", "over 2:00, finish now"),
    };
    let clock = format!("{}:{:02}", seconds / 60, seconds % 60);
    let clock = paint(&clock, colour, color);
    // -60 dBFS (silence) .. 0 dBFS (clipping) over ten blocks.
    let filled = (((rms_dbfs + 60.0) / 6.0).round().clamp(0.0, 10.0)) as usize;
    let meter = format!("{}{}", "▮".repeat(filled), "▯".repeat(10 - filled));
    let level = if silent_for_ms >= SILENT_WARNING_MS {
        paint(
            &format!(
                "no sound for {} s, check the microphone",
                silent_for_ms / 1000
            ),
            "31",
            color,
        )
    } else {
        format!("{:>4.0} dB", rms_dbfs.max(-99.0))
    };
    format!("● {clock}  {meter} {level}  {note}  · Enter or Ctrl-C stops")
}

fn paint(text: &str, code: &str, color: bool) -> String {
    if color {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_tracks_the_answer_window() {
        assert!(render(5_000, -20.0, 0, false).contains("0:05"));
        assert!(render(5_000, -20.0, 0, false).contains("building up"));
        assert!(render(75_000, -20.0, 0, false).contains("1:15  "));
        assert!(render(75_000, -20.0, 0, false).contains("good length"));
        assert!(render(100_000, -20.0, 0, false).contains("wrapping up"));
        assert!(render(125_000, -20.0, 0, false).contains("finish now"));
    }

    #[test]
    fn the_meter_follows_the_level_and_warns_on_silence() {
        assert!(render(1_000, 0.0, 0, false).contains("▮▮▮▮▮▮▮▮▮▮"));
        assert!(render(1_000, -90.0, 0, false).contains("▯▯▯▯▯▯▯▯▯▯"));
        assert!(render(9_000, -90.0, 4_000, false).contains("no sound for 4 s"));
        assert!(!render(9_000, -90.0, 1_000, false).contains("no sound"));
    }

    #[test]
    fn colour_only_when_asked() {
        assert!(render(70_000, -20.0, 0, true).contains("\x1b[32m1:10\x1b[0m"));
        assert!(!render(70_000, -20.0, 0, false).contains('\x1b'));
    }
}
