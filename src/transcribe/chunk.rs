//! Cutting a recording into windows under Whisper's 30 s, at pauses.
//!
//! A live take has to be decoded piece by piece while the user speaks, and a
//! file must come out the same as the same audio spoken live. So the cut
//! points are a function of the audio alone, decided frame by frame with
//! nothing but the frames before: the [`Segmenter`] is fed audio in whatever
//! pieces it arrives in (a microphone callback's worth, or a whole file) and
//! finds the same cuts either way.

/// 20 ms analysis frames at 16 kHz.
const FRAME: usize = 320;
const SAMPLE_RATE: usize = 16_000;
/// Level histogram: 1 dB bins from -120 to 0 dBFS.
const BINS: usize = 120;

/// Where windows may be cut, in milliseconds of window length.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChunkPolicy {
    /// Never cut before a window holds this much audio.
    pub min_ms: u64,
    /// Up to here, cut only in a pause at least `pause_ms` long.
    pub soft_max_ms: u64,
    /// A pause this long is a good place to cut.
    pub pause_ms: u64,
    /// Past `soft_max_ms`, a pause this long will do.
    pub short_pause_ms: u64,
    /// Always cut before this: Whisper's window is 30 s.
    pub max_ms: u64,
}

impl ChunkPolicy {
    /// One policy for files and live takes alike. Windows of 8–24 s: long
    /// enough to give Whisper a sentence or two of context, short enough
    /// that the window left to decode when the user stops is small.
    pub const WINDOWS: ChunkPolicy = ChunkPolicy {
        min_ms: 8_000,
        soft_max_ms: 16_000,
        pause_ms: 500,
        short_pause_ms: 240,
        max_ms: 24_000,
    };
}

/// Finds cut points in a stream of 16 kHz mono samples, causally.
#[derive(Debug, Clone)]
pub struct Segmenter {
    policy: ChunkPolicy,
    /// Samples of the frame being filled.
    partial: Vec<f32>,
    /// Frames seen so far.
    frames: usize,
    /// Histogram of frame levels, for the noise floor.
    histogram: [u32; BINS],
    /// Frame where the current window starts.
    window_start: usize,
    /// Start frame of the quiet run in progress, if any.
    quiet_since: Option<usize>,
    /// The longest quiet run of the current window (start, length) that
    /// began after `min_ms`: the cut when no pause is long enough.
    best_run: Option<(usize, usize)>,
    /// The quietest frame of the window after `min_ms` (frame, level): the
    /// cut for unbroken speech.
    quietest: Option<(usize, f32)>,
    /// Cuts found, as sample positions, not yet taken by the caller.
    cuts: Vec<usize>,
    /// Whether speech has begun. Until it does, the silence before it is
    /// cut off as a window of its own, and at the onset the frame grid starts
    /// afresh a lead-in before the first loud sample: so windows are measured
    /// from the speech, to the sample, and fall on the same samples however
    /// long the recording ran before it.
    speaking: bool,
    /// Loud frames in a row before speech began (a click is one or two).
    loud_run: usize,
    /// Sample position of frame 0: the stream's start, then the first window
    /// with speech.
    origin: usize,
    /// The latest samples before speech began, enough to re-read the lead-in
    /// on the new grid, and the stream position of the first of them.
    before_speech: Vec<f32>,
    before_speech_at: usize,
}

impl Segmenter {
    pub fn new(policy: ChunkPolicy) -> Self {
        Self {
            policy,
            partial: Vec::with_capacity(FRAME),
            frames: 0,
            histogram: [0; BINS],
            window_start: 0,
            quiet_since: None,
            best_run: None,
            quietest: None,
            cuts: Vec::new(),
            speaking: false,
            loud_run: 0,
            origin: 0,
            before_speech: Vec::new(),
            before_speech_at: 0,
        }
    }

    /// Feeds samples; returns the cut points (sample positions from the
    /// start of the stream) found in them, in order.
    pub fn push(&mut self, samples: &[f32]) -> Vec<usize> {
        let mut rest = samples;
        while !rest.is_empty() {
            let take = (FRAME - self.partial.len()).min(rest.len());
            self.partial.extend_from_slice(&rest[..take]);
            rest = &rest[take..];
            if self.partial.len() == FRAME {
                let mut frame = [0.0; FRAME];
                frame.copy_from_slice(&self.partial);
                self.partial.clear();
                if self.speaking {
                    self.frame(level_db(&frame));
                } else {
                    self.listen(&frame);
                }
            }
        }
        std::mem::take(&mut self.cuts)
    }

    /// A frame before any speech: waits for the onset, then moves the grid.
    fn listen(&mut self, frame: &[f32]) {
        self.frames += 1;
        self.before_speech.extend_from_slice(frame);
        let excess = self.before_speech.len().saturating_sub(KEPT_BEFORE_SPEECH);
        self.before_speech.drain(..excess);
        self.before_speech_at += excess;
        self.loud_run = if level_db(frame) > SPEECH_DB {
            self.loud_run + 1
        } else {
            0
        };
        if self.loud_run < ONSET_FRAMES {
            return;
        }
        // The first loud sample from a frame before the loud run: where the
        // speech begins, whichever way the frames happened to fall on it.
        let search_from = self.frames.saturating_sub(ONSET_FRAMES + 1) * FRAME;
        // A sample as loud as a frame at `SPEECH_DB` (its RMS as a peak).
        let speech_amplitude = 10f32.powf(SPEECH_DB / 20.0);
        let kept = &self.before_speech[search_from.saturating_sub(self.before_speech_at)..];
        let first_loud = kept
            .iter()
            .position(|s| s.abs() > speech_amplitude)
            .map_or(search_from, |i| search_from.max(self.before_speech_at) + i);
        let start = first_loud
            .saturating_sub(LEAD_IN_MS as usize * SAMPLE_RATE / 1000)
            .max(self.before_speech_at);
        if start > 0 {
            self.cuts.push(start);
        }
        // Frame 0 is now the window's start; its noise floor is its own.
        let lead_in = self.before_speech.split_off(start - self.before_speech_at);
        self.before_speech = Vec::new();
        self.speaking = true;
        self.origin = start;
        self.frames = 0;
        self.histogram = [0; BINS];
        let mut frames = lead_in.chunks_exact(FRAME);
        for frame in frames.by_ref() {
            self.frame(level_db(frame));
        }
        self.partial.extend_from_slice(frames.remainder());
    }

    fn frame(&mut self, level: f32) {
        let k = self.frames;
        self.frames += 1;
        self.histogram[bin(level)] += 1;
        let quiet = level <= self.quiet_threshold_db();
        let min = frames_in(self.policy.min_ms);
        let in_window = k + 1 - self.window_start;

        if quiet {
            let since = *self.quiet_since.get_or_insert(k);
            let run = k + 1 - since;
            // Only the part of a pause after `min_ms` counts.
            let usable_start = since.max(self.window_start + min);
            if usable_start <= k {
                let usable = k + 1 - usable_start;
                if self.best_run.is_none_or(|(_, len)| usable > len) {
                    self.best_run = Some((usable_start, usable));
                }
                let wanted = if in_window <= frames_in(self.policy.soft_max_ms) {
                    frames_in(self.policy.pause_ms)
                } else {
                    frames_in(self.policy.short_pause_ms)
                };
                // Cut in the middle of the pause heard so far.
                let middle = since + run / 2;
                if run >= wanted && middle >= self.window_start + min {
                    self.cut_at(middle);
                    return;
                }
            }
        } else {
            self.quiet_since = None;
        }
        if in_window > min && self.quietest.is_none_or(|(_, db)| level < db) {
            self.quietest = Some((k, level));
        }
        if in_window >= frames_in(self.policy.max_ms) {
            // No pause long enough: the longest short one, or the quietest frame.
            let at = match (self.best_run, self.quietest) {
                (Some((start, len)), _) if len >= 3 => start + len / 2,
                (_, Some((frame, _))) => frame,
                _ => k,
            };
            self.cut_at(at.max(self.window_start + 1));
        }
    }

    fn cut_at(&mut self, frame: usize) {
        self.cuts.push(self.origin + frame * FRAME);
        self.window_start = frame;
        self.best_run = None;
        self.quietest = None;
    }

    /// A frame is quiet when it is within 12 dB of the noise floor so far
    /// (the level of the 10th quietest frame: a fifth of a second of the
    /// quietest sound), or below -50 dBFS outright; but never within 15 dB
    /// of speech (the 90th percentile), which matters while the floor is
    /// still unknown at the start of a take.
    fn quiet_threshold_db(&self) -> f32 {
        let floor = self.level_at_rank(FLOOR_FRAMES.min(self.frames.max(1)));
        let speech = self.level_at_rank((self.frames * 9).div_ceil(10).max(1));
        (floor + 12.0).max(-50.0).min(speech - 15.0)
    }

    /// The level of the `rank`-th quietest frame so far (1-based).
    fn level_at_rank(&self, rank: usize) -> f32 {
        let mut seen = 0;
        for (index, &count) in self.histogram.iter().enumerate() {
            seen += count as usize;
            if seen >= rank {
                return index as f32 - BINS as f32;
            }
        }
        0.0
    }
}

/// Frames louder than this may be speech.
const SPEECH_DB: f32 = -45.0;
/// Samples kept before speech: the lead-in plus the onset frames, with room.
const KEPT_BEFORE_SPEECH: usize = SAMPLE_RATE / 2;
/// Speech begins with this many frames in a row louder than `SPEECH_DB`.
const ONSET_FRAMES: usize = 3;
/// Audio kept before the first speech: Whisper hears the onset whole.
pub(crate) const LEAD_IN_MS: u64 = 300;

/// How many of the quietest frames make the noise floor.
const FLOOR_FRAMES: usize = 10;

fn frames_in(ms: u64) -> usize {
    (ms as usize * SAMPLE_RATE / 1000) / FRAME
}

fn bin(level_db: f32) -> usize {
    ((level_db + BINS as f32).floor().max(0.0) as usize).min(BINS - 1)
}

/// Splits a whole recording into (start, end) sample ranges: the windows a
/// live take of the same audio would be cut into.
pub fn plan(samples: &[f32], policy: ChunkPolicy) -> Vec<(usize, usize)> {
    let mut segmenter = Segmenter::new(policy);
    let mut ranges = Vec::new();
    let mut start = 0;
    for cut in segmenter.push(samples) {
        ranges.push((start, cut));
        start = cut;
    }
    if start < samples.len() {
        ranges.push((start, samples.len()));
    }
    ranges
}

fn level_db(frame: &[f32]) -> f32 {
    let mean_square = frame.iter().map(|s| s * s).sum::<f32>() / frame.len().max(1) as f32;
    10.0 * (mean_square + 1e-12).log10()
}

/// RMS level of each 20 ms frame in dBFS.
pub fn frame_levels_db(samples: &[f32]) -> Vec<f32> {
    samples.chunks(FRAME).map(level_db).collect()
}

/// Seconds of voiced sound in a window, from its [`voiced_frames`].
pub fn voiced_seconds(voiced: &[bool]) -> f32 {
    let frames = voiced.iter().filter(|&&v| v).count();
    frames as f32 * FRAME_MS as f32 / 1000.0
}

/// Length of a frame of [`voiced_frames`].
pub const FRAME_MS: u64 = (FRAME * 1000 / SAMPLE_RATE) as u64;

/// For each 20 ms frame, whether it is voiced: well above the window's own
/// quiet frames (10th percentile) and above -45 dBFS.
pub fn voiced_frames(samples: &[f32]) -> Vec<bool> {
    let levels = frame_levels_db(samples);
    let mut sorted = levels.clone();
    sorted.sort_by(f32::total_cmp);
    let Some(&floor) = sorted.get(sorted.len() / 10) else {
        return Vec::new();
    };
    let threshold = (floor + 15.0).max(SPEECH_DB);
    levels.iter().map(|&level| level > threshold).collect()
}

/// Whether a window holds any speech at all: at least 100 ms of frames
/// louder than -45 dBFS. Whisper invents text ("Thank you.") for silence, and
/// the stretch between the last words and the stop is often silent.
pub fn has_speech(samples: &[f32]) -> bool {
    frame_levels_db(samples)
        .iter()
        .filter(|&&level| level > SPEECH_DB)
        .count()
        >= 5
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms_to_samples(ms: u64) -> usize {
        (ms as usize) * SAMPLE_RATE / 1000
    }

    /// Alternating "speech" (noise bursts) and silences, lengths in ms.
    fn speech_with_pauses(parts_ms: &[(u64, bool)]) -> Vec<f32> {
        let mut seed = 1u32;
        let mut samples = Vec::new();
        for &(ms, voiced) in parts_ms {
            for _ in 0..ms_to_samples(ms) {
                seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                let noise = (seed >> 8) as f32 / (1u32 << 24) as f32 - 0.5;
                samples.push(if voiced { noise * 0.5 } else { noise * 0.001 });
            }
        }
        samples
    }

    const POLICY: ChunkPolicy = ChunkPolicy::WINDOWS;

    #[test]
    fn silence_and_clicks_are_not_speech() {
        assert!(!has_speech(&speech_with_pauses(&[(5_000, false)])));
        let mut click = speech_with_pauses(&[(2_000, false)]);
        click[16_000] = 0.9;
        assert!(!has_speech(&click));
        assert!(has_speech(&speech_with_pauses(&[
            (1_000, false),
            (300, true)
        ])));
    }

    #[test]
    fn short_audio_is_one_chunk() {
        let audio = speech_with_pauses(&[(5_000, true)]);
        assert_eq!(plan(&audio, POLICY), vec![(0, audio.len())]);
    }

    fn answer_like() -> (Vec<f32>, Vec<(u64, bool)>) {
        let parts: Vec<(u64, bool)> = (0..14)
            .flat_map(|i| [(3_000 + (i % 3) * 900, true), (250 + (i % 4) * 200, false)])
            .collect();
        (speech_with_pauses(&parts), parts)
    }

    #[test]
    fn long_audio_is_cut_inside_pauses_and_under_the_window() {
        let (audio, parts) = answer_like();
        let ranges = plan(&audio, POLICY);
        assert!(ranges.len() >= 3, "{ranges:?}");
        let mut silent_spans = Vec::new();
        let mut at = 0;
        for &(ms, voiced) in &parts {
            let len = ms_to_samples(ms);
            if !voiced {
                silent_spans.push((at, at + len));
            }
            at += len;
        }
        for &(start, end) in &ranges[..ranges.len() - 1] {
            assert!(end - start <= ms_to_samples(POLICY.max_ms));
            assert!(end - start >= ms_to_samples(POLICY.min_ms));
            assert!(
                silent_spans.iter().any(|&(a, b)| end > a && end < b),
                "cut at {} s is not in a pause",
                end as f32 / 16_000.0
            );
        }
        assert_eq!(ranges.last().unwrap().1, audio.len());
    }

    #[test]
    fn unbroken_speech_is_still_cut_before_thirty_seconds() {
        let audio = speech_with_pauses(&[(65_000, true)]);
        let ranges = plan(&audio, POLICY);
        assert!(ranges.len() >= 3);
        assert!(
            ranges
                .iter()
                .all(|(a, b)| b - a <= ms_to_samples(POLICY.max_ms))
        );
        assert_eq!(ranges.last().unwrap().1, audio.len());
    }

    /// The property live takes rely on: the cuts do not depend on how the
    /// audio is handed over.
    #[test]
    fn cuts_do_not_depend_on_how_the_audio_arrives() {
        let (audio, _) = answer_like();
        let whole = plan(&audio, POLICY);
        for piece in [1usize, 7, 160, 320, 441, 4_800, 16_000] {
            let mut segmenter = Segmenter::new(POLICY);
            let mut cuts = Vec::new();
            for chunk in audio.chunks(piece) {
                cuts.extend(segmenter.push(chunk));
            }
            let mut ranges = Vec::new();
            let mut start = 0;
            for cut in cuts {
                ranges.push((start, cut));
                start = cut;
            }
            ranges.push((start, audio.len()));
            assert_eq!(ranges, whole, "pieces of {piece} samples");
        }
    }

    /// A live take starts recording before the user speaks, for a length
    /// that differs from the file of the same answer, and not by whole
    /// frames: the windows are measured from the speech, to the sample, so
    /// they fall on the same samples either way.
    #[test]
    fn windows_follow_the_speech_not_the_silence_before_it() {
        let (speech, _) = answer_like();
        let from_onset = |lead: usize| -> Vec<(usize, usize)> {
            let mut audio = speech_with_pauses(&[(1_000, false)]);
            audio.resize(lead, audio[0]);
            audio.extend_from_slice(&speech);
            plan(&audio, POLICY)
                .into_iter()
                .filter(|&(_, end)| end > lead)
                .map(|(start, end)| (start.saturating_sub(lead), end - lead))
                .collect()
        };
        let reference = from_onset(0);
        assert!(reference.len() >= 3, "{reference:?}");
        // Sample counts: 0.3 s + 1, 1 s + 233, 0.74 s + 77, 2.46 s + 249, 7 s + 5.
        for lead in [4_801, 16_233, 11_917, 39_609, 112_005] {
            let shifted = from_onset(lead);
            // The first window may begin up to the lead-in before the speech.
            assert_eq!(
                shifted[1..],
                reference[1..],
                "{lead} samples of silence first"
            );
            assert_eq!(
                shifted[0].1, reference[0].1,
                "{lead} samples of silence first"
            );
        }
    }
}
