//! The one status line shown while recording: elapsed time coloured against
//! the 60 / 90 / 120 s marks, an input level meter, the pause in progress,
//! and how to stop. Drawn with indicatif on stderr, which draws nothing when
//! stderr is not a terminal. It fits 80 columns.

use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// No sound this long before any speech: the microphone may be muted.
const NO_INPUT_WARNING_MS: u64 = 4_000;
/// A pause this long is shown, so the user knows it is being timed.
const PAUSE_SHOWN_MS: u64 = 2_000;
/// How long before a silence stop fires its countdown appears.
const COUNTDOWN_MS: u64 = 5_000;

/// What the line shows, from the capture's latest level reading.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LiveStatus {
    pub elapsed_ms: u64,
    pub rms_dbfs: f32,
    pub silent_for_ms: u64,
    pub speech_heard: bool,
}

pub struct LiveLine {
    bar: ProgressBar,
    color: bool,
    silence_stop_ms: Option<u64>,
    window_s: (f64, f64),
}

impl LiveLine {
    /// `silence_stop_ms`: the silence that ends the take, if one does.
    /// `window_s` is the answer's target window (min, max), as its analysis
    /// will judge it.
    pub fn new(color: bool, silence_stop_ms: Option<u64>, window_s: (f64, f64)) -> Self {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr_with_hz(10));
        bar.set_style(
            ProgressStyle::with_template("{msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.enable_steady_tick(Duration::from_millis(250));
        Self {
            bar,
            color,
            silence_stop_ms,
            window_s,
        }
    }

    pub fn update(&self, status: &LiveStatus) {
        self.bar.set_message(render(
            status,
            self.silence_stop_ms,
            self.window_s,
            self.color,
        ));
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// The line's text, e.g. `● 1:07 ▮▮▮▮▮▯▯▯▯▯ -21 dB  in the window · Enter stops`.
pub fn render(
    status: &LiveStatus,
    silence_stop_ms: Option<u64>,
    (min_s, max_s): (f64, f64),
    color: bool,
) -> String {
    let seconds = status.elapsed_ms / 1000;
    let elapsed_s = seconds as f64;
    let max = crate::format::clock(max_s);
    // Past the middle of the window it is time to head for the result.
    let (colour, note) = if elapsed_s < min_s {
        (
            "33",
            format!("aim for {}", crate::format::clocks(min_s, max_s)),
        )
    } else if elapsed_s < f64::midpoint(min_s, max_s) {
        ("32", "in the window".to_string())
    } else if elapsed_s < max_s {
        ("32;1", "wrap up soon".to_string())
    } else {
        ("31;1", format!("over {max}, finish"))
    };
    let clock = paint(&crate::format::clock(seconds as f64), colour, color);
    // -60 dBFS (silence) .. 0 dBFS (clipping) over ten blocks.
    let filled = (((status.rms_dbfs + 60.0) / 6.0).round().clamp(0.0, 10.0)) as usize;
    let meter = format!("{}{}", "▮".repeat(filled), "▯".repeat(10 - filled));
    let silent_s = status.silent_for_ms / 1000;
    let middle = match silence_stop_ms {
        Some(stop_ms)
            if status.speech_heard
                && status.silent_for_ms + COUNTDOWN_MS >= stop_ms
                && status.silent_for_ms < stop_ms =>
        {
            let left_s = (stop_ms - status.silent_for_ms).div_ceil(1000);
            paint(
                &format!("silent: stops in {left_s} s, speak to go on"),
                "33",
                color,
            )
        }
        _ if !status.speech_heard && status.silent_for_ms >= NO_INPUT_WARNING_MS => paint(
            &format!("no sound for {silent_s} s: check the microphone"),
            "31",
            color,
        ),
        _ if status.speech_heard && status.silent_for_ms >= PAUSE_SHOWN_MS => {
            format!("pause {silent_s} s  {note}")
        }
        _ => format!("{:>3.0} dB  {note}", status.rms_dbfs.max(-99.0)),
    };
    format!("● {clock} {meter} {middle} · Enter stops")
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

    /// The window of a 90 s prompt.
    const USUAL: (f64, f64) = (60.0, 120.0);

    fn status(
        elapsed_ms: u64,
        rms_dbfs: f32,
        silent_for_ms: u64,
        speech_heard: bool,
    ) -> LiveStatus {
        LiveStatus {
            elapsed_ms,
            rms_dbfs,
            silent_for_ms,
            speech_heard,
        }
    }

    fn line(s: LiveStatus) -> String {
        render(&s, None, USUAL, false)
    }

    #[test]
    fn the_line_tracks_the_answer_window() {
        assert!(line(status(5_000, -20.0, 0, true)).contains("0:05"));
        assert!(line(status(5_000, -20.0, 0, true)).contains("aim for 1:00–2:00"));
        assert!(line(status(75_000, -20.0, 0, true)).contains("1:15 "));
        assert!(line(status(75_000, -20.0, 0, true)).contains("in the window"));
        assert!(line(status(100_000, -20.0, 0, true)).contains("wrap up"));
        assert!(line(status(125_000, -20.0, 0, true)).contains("finish"));
    }

    #[test]
    fn a_pause_after_speech_is_a_pause_not_a_microphone_problem() {
        let pause = line(status(40_000, -80.0, 8_000, true));
        assert!(pause.contains("pause 8 s"), "{pause}");
        assert!(!pause.contains("microphone"), "{pause}");
        let dead = line(status(6_000, -90.0, 6_000, false));
        assert!(dead.contains("check the microphone"), "{dead}");
        assert!(!line(status(2_000, -90.0, 2_000, false)).contains("microphone"));
    }

    #[test]
    fn a_silence_stop_counts_down_before_it_fires() {
        let at = |silent_ms| {
            render(
                &status(50_000, -80.0, silent_ms, true),
                Some(12_000),
                USUAL,
                false,
            )
        };
        assert!(!at(6_000).contains("stops in"), "{}", at(6_000));
        assert!(at(8_000).contains("stops in 4 s"), "{}", at(8_000));
        assert!(at(11_500).contains("stops in 1 s"), "{}", at(11_500));
    }

    #[test]
    fn the_meter_follows_the_level() {
        assert!(line(status(1_000, 0.0, 0, true)).contains("▮▮▮▮▮▮▮▮▮▮"));
        assert!(line(status(1_000, -90.0, 0, true)).contains("▯▯▯▯▯▯▯▯▯▯"));
    }

    #[test]
    fn it_fits_eighty_columns() {
        for elapsed_ms in [0, 59_000, 61_000, 95_000, 600_000] {
            for (silent, heard) in [(0, true), (3_000, true), (9_000, false), (9_000, true)] {
                for stop in [None, Some(10_000)] {
                    let text = render(
                        &status(elapsed_ms, -33.0, silent, heard),
                        stop,
                        USUAL,
                        false,
                    );
                    assert!(
                        text.chars().count() <= 80,
                        "{} {text}",
                        text.chars().count()
                    );
                }
            }
        }
    }

    #[test]
    fn colour_only_when_asked() {
        let s = status(70_000, -20.0, 0, true);
        assert!(render(&s, None, USUAL, true).contains("\x1b[32m1:10\x1b[0m"));
        assert!(!render(&s, None, USUAL, false).contains('\x1b'));
    }
}
