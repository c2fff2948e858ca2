//! The one module that talks to whisper.cpp (through whisper-rs). Everything
//! it hands out is plain data with times in milliseconds: whisper's 10 ms
//! ticks are converted here and nowhere else.

use std::path::Path;
use std::sync::{Mutex, Once};

use whisper_rs::{
    DtwMode, DtwModelPreset, DtwParameters, FullParams, SamplingStrategy, WhisperContext,
    WhisperContextParameters, WhisperSegment, WhisperState, WhisperTokenId,
};

use super::chunk::ChunkPolicy;
use super::threads::Threads;
use super::{Decoding, TranscribeError};
use crate::hesitation::is_hesitation;
use crate::transcript::{Segment, Word};

/// A loaded model and the one `WhisperState` every `decode` reuses. A fresh
/// state per window cost about 0.4 MB of resident memory per second of audio
/// (the allocator does not give the freed buffers back) and its set-up time;
/// a reused one gives the same words because each decode clears the text
/// context whisper.cpp would otherwise carry over (`no_context`) and whisper.cpp
/// re-seeds its samplers on every call.
pub struct WhisperModel {
    context: WhisperContext,
    /// Empty after a decode that touched far more of its buffers than a
    /// window needs, or that failed; the next decode makes a fresh one.
    state: Mutex<Option<WhisperState>>,
    threads: Threads,
    /// Every text token that spells a hesitation ("um", " Uh", " hmm"…).
    hesitation_tokens: Vec<WhisperTokenId>,
}

const TICK_MS: i64 = 10;
/// Whisper's timestamp tokens: one per 20 ms, up to 30 s.
const TIMESTAMP_MS: u64 = 20;
const LAST_TIMESTAMP: u64 = 1500;
/// Room for the prompt's tokens (whisper.cpp keeps at most half its 448).
const PROMPT_TOKENS_MAX: usize = 224;

/// More text tokens than a 24 s window of fast speech holds (about 100): a
/// decode this long has touched most of the decoder's scratch memory.
const LARGE_DECODE_TOKENS: usize = 120;

impl WhisperModel {
    /// `path` must already have passed `crate::model::validate`: whisper.cpp
    /// aborts the whole process on a malformed file instead of returning.
    pub fn load(path: &Path, hparams: &ct2ggml::Hparams) -> Result<Self, TranscribeError> {
        static LOGGING: Once = Once::new();
        // Route whisper.cpp's chatter through `log` (shown with REHEARSE_LOG=debug)
        // instead of letting it print on stderr.
        LOGGING.call_once(whisper_rs::install_logging_hooks);
        let path_str = path.to_str().ok_or_else(|| TranscribeError::ModelLoad {
            path: path.to_path_buf(),
            detail: "the path is not valid UTF-8".into(),
        })?;
        let mut context_params = WhisperContextParameters::default();
        context_params.dtw_parameters(DtwParameters {
            mode: alignment_heads(hparams),
            // whisper.cpp's default scratch (128 MB, reserved, touched only
            // as far as a window needs): a smaller one aborts the process on
            // a long window of many tokens, which is what a looping decode
            // retried with the full encoder is.
            ..DtwParameters::default()
        });
        let context = WhisperContext::new_with_params(path_str, context_params).map_err(|err| {
            TranscribeError::ModelLoad {
                path: path.to_path_buf(),
                detail: err.to_string(),
            }
        })?;
        let threads = Threads::from_env();
        let state = context
            .create_state()
            .map_err(|err| TranscribeError::ModelLoad {
                path: path.to_path_buf(),
                detail: err.to_string(),
            })?;
        let hesitation_tokens = (0..context.token_eot())
            .filter(|&token| {
                context
                    .token_to_str_lossy(token)
                    .is_ok_and(|text| is_hesitation(&text))
            })
            .collect();
        Ok(Self {
            context,
            state: Mutex::new(Some(state)),
            threads,
            hesitation_tokens,
        })
    }

    /// Transcribes `samples` (16 kHz mono) whose first sample lies at
    /// `offset_ms` in the whole recording (before its start when the window
    /// begins with padding); returned times include the offset and are
    /// never before the recording's start.
    pub fn decode(
        &self,
        samples: &[f32],
        offset_ms: i64,
        request: &DecodeRequest<'_>,
    ) -> Result<Decoded, TranscribeError> {
        // A decode that panicked or failed took the state with it: the slot
        // is empty and the next decode starts from a fresh state.
        let mut slot = self
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut state = match slot.take() {
            Some(state) => state,
            None => self
                .context
                .create_state()
                .map_err(|err| TranscribeError::Decode(err.to_string()))?,
        };
        let strategy = match request.decoding {
            Decoding::Greedy => SamplingStrategy::Greedy { best_of: 1 },
            Decoding::Beam(beam_size) => SamplingStrategy::BeamSearch {
                beam_size: i32::from(beam_size),
                patience: -1.0,
            },
        };
        let threads = self.threads.for_next_decode();
        let mut params = FullParams::new(strategy);
        params.set_n_threads(threads as i32);
        params.set_language(Some("en"));
        params.set_print_special(false);
        params.set_print_progress(false);
        params.set_print_realtime(false);
        params.set_print_timestamps(false);
        params.set_token_timestamps(true);
        params.set_suppress_blank(true);
        params.set_temperature(request.temperature);
        // Context comes only from `request.prompt`, never from the state's last decode.
        params.set_no_context(true);
        if let Some(frames) = request.encoder.frames(samples.len()) {
            params.set_audio_ctx(frames);
        }
        if let Some(prompt) = request.prompt {
            params.set_initial_prompt(prompt);
        }
        if let Some(tokens) = request.max_text_tokens {
            // A clip of one sound: a few tokens say what it is, and a
            // reading that runs on is not worth decoding again hotter.
            params.set_max_tokens(i32::from(tokens));
            params.set_single_segment(true);
            params.set_temperature_inc(0.0);
        }
        state
            .full(params, samples)
            .map_err(|err| TranscribeError::Decode(err.to_string()))?;
        let end_of_text = self.context.token_eot();
        let audio_end_ms = offset_ms + (samples.len() as i64 * 1000 / 16_000);
        let mut starts = token_starts(&state, end_of_text).into_iter();
        let mut logprob_sum = 0.0f64;
        let mut tokens = 0usize;
        let mut segments: Vec<Segment> = state
            .as_iter()
            .map(|segment| {
                let (segment, sum, count) =
                    read_segment(&segment, end_of_text, &mut starts, offset_ms, audio_end_ms);
                logprob_sum += sum;
                tokens += count;
                segment
            })
            .filter(|segment| !segment.words.is_empty())
            .collect();
        end_words_where_the_next_begins(&mut segments);
        // The odds only point at sounds worth a second look: a failure to
        // get them costs that look, never the window's words.
        let hesitation_odds = self
            .hesitation_odds(&mut state, request.prompt, request.probe_ms, threads)
            .unwrap_or_else(|err| {
                log::debug!("no hesitation odds for this window: {err}");
                Vec::new()
            });
        // A full-length encode or a long (usually looping) decode touches far
        // more of the state's buffers than an ordinary window: that state is
        // dropped here, handing those pages back, and the next decode makes a
        // fresh one (made only after this one is gone, so the two never hold
        // their pages at once).
        if request.encoder != EncoderContext::Full && tokens <= LARGE_DECODE_TOKENS {
            *slot = Some(state);
        }
        Ok(Decoded {
            segments,
            hesitation_odds,
            mean_logprob: if tokens == 0 {
                0.0
            } else {
                (logprob_sum / tokens as f64) as f32
            },
        })
    }

    /// For each time (ms from the window's start), how likely Whisper finds
    /// it that a segment starting there opens with a hesitation: the decoder
    /// is given the decode's own prompt and a timestamp token for the time,
    /// against the encoding the decode just made, and the next token's
    /// probability is summed over the hesitation tokens. One decoder step a
    /// time, no new encoding: cheap enough to ask at every short sound.
    fn hesitation_odds(
        &self,
        state: &mut WhisperState,
        prompt: Option<&str>,
        times_ms: &[u64],
        threads: usize,
    ) -> Result<Vec<f32>, whisper_rs::WhisperError> {
        if times_ms.is_empty() {
            return Ok(Vec::new());
        }
        let mut prefix = Vec::new();
        if let Some(prompt) = prompt {
            prefix.push(self.context.token_prev());
            prefix.extend(self.context.tokenize(prompt, PROMPT_TOKENS_MAX)?);
        }
        prefix.push(self.context.token_sot());
        state.decode(&prefix, 0, threads)?;
        let text_tokens = self.context.token_eot() as usize;
        let mut odds = Vec::with_capacity(times_ms.len());
        for &at_ms in times_ms {
            let tick = (at_ms / TIMESTAMP_MS).min(LAST_TIMESTAMP) as i32;
            state.decode(&[self.context.token_beg() + tick], prefix.len(), threads)?;
            let logits = &state.get_logits()?[..text_tokens];
            let top = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
            let total: f32 = logits.iter().map(|l| (l - top).exp()).sum();
            let hesitation: f32 = self
                .hesitation_tokens
                .iter()
                .map(|&token| (logits[token as usize] - top).exp())
                .sum();
            odds.push(hesitation / total);
        }
        Ok(odds)
    }
}

/// The cross-attention heads that follow the audio (OpenAI's alignment heads
/// for each released model; the top half of the text layers otherwise).
/// Word times come from a dynamic-time-warping path through them.
fn alignment_heads(hparams: &ct2ggml::Hparams) -> DtwMode<'static> {
    let english_only = hparams.n_vocab == 51864;
    let model_preset = match (hparams.n_text_layer, english_only) {
        (4, true) => DtwModelPreset::TinyEn,
        (4, false) => DtwModelPreset::Tiny,
        (6, true) => DtwModelPreset::BaseEn,
        (6, false) => DtwModelPreset::Base,
        (12, true) => DtwModelPreset::SmallEn,
        (12, false) => DtwModelPreset::Small,
        (24, true) => DtwModelPreset::MediumEn,
        (24, false) => DtwModelPreset::Medium,
        (layers, _) => {
            return DtwMode::TopMost {
                n_top: (layers / 2).max(1),
            };
        }
    };
    DtwMode::ModelPreset { model_preset }
}

/// How to decode one window.
#[derive(Debug, Clone, Copy)]
pub struct DecodeRequest<'a> {
    pub prompt: Option<&'a str>,
    pub decoding: Decoding,
    pub encoder: EncoderContext,
    /// 0 is Whisper's most likely text; higher samples more freely.
    pub temperature: f32,
    /// Stop after this many text tokens, in one segment (a clip of one sound).
    pub max_text_tokens: Option<u8>,
    /// Times (ms from the window's start) to ask the hesitation odds at.
    pub probe_ms: &'a [u64],
}

/// How much of the encoder's 30 s context (1500 frames) a decode uses. The
/// encoder's cost and the state's touched memory grow with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EncoderContext {
    /// The window's length plus 64 frames (1.28 s): several times faster
    /// than the full context, but a short window loops more often.
    Fitted,
    /// Twice the window's length, at least 10 s and at most the longest
    /// window: on the corpus, each of the 8 windows in 50 answers that
    /// looped with a fitted context decoded cleanly here, to the same words
    /// as with the full context, in a fraction of its time and without
    /// touching more memory than the longest window does.
    Wide,
    /// The full 30 s, as Whisper was trained.
    Full,
}

impl EncoderContext {
    const FRAMES_PER_S: f64 = 50.0;
    const FULL_FRAMES: i32 = 1500;
    /// Past the window's end: room for its last word.
    const MARGIN_FRAMES: i32 = 64;
    const WIDE_MIN_S: f64 = 10.0;

    /// `None` for the full context.
    fn frames(self, samples: usize) -> Option<i32> {
        let window_s = samples as f64 / 16_000.0;
        let longest_window_s = ChunkPolicy::WINDOWS.max_ms as f64 / 1000.0;
        let context_s = match self {
            Self::Fitted => window_s,
            Self::Wide => (2.0 * window_s).clamp(Self::WIDE_MIN_S, longest_window_s.max(window_s)),
            Self::Full => return None,
        };
        let frames = (context_s * Self::FRAMES_PER_S).ceil() as i32 + Self::MARGIN_FRAMES;
        (frames < Self::FULL_FRAMES).then_some(frames)
    }
}

/// One window's words and how sure Whisper was of its text tokens.
#[derive(Debug, Clone)]
pub struct Decoded {
    pub segments: Vec<Segment>,
    /// For each of the request's `probe_ms`, the probability of a hesitation there.
    pub hesitation_odds: Vec<f32>,
    /// Mean log-probability of the text tokens (Whisper's `avg_logprob`).
    pub mean_logprob: f32,
}

/// Where each text token of the window starts, in ticks from the window's
/// start. The DTW path enters the decoder row whose input is token k-1 where
/// token k's audio begins (the row that predicts token k), as in OpenAI's
/// `timing.py`; whisper.cpp stores each row's entry on the token one later,
/// so its times run a token late. The first token's row (the no-timestamps
/// token) is entered at 0, so the first token keeps Whisper's own estimate.
/// Without DTW (a token's `t_dtw` is -1) Whisper's `t0` is used.
fn token_starts(state: &whisper_rs::WhisperState, end_of_text: i32) -> Vec<i64> {
    let mut previous_dtw: Option<i64> = None;
    let mut starts = Vec::new();
    for segment in state.as_iter() {
        for index in 0..segment.n_tokens() {
            let Some(token) = segment.get_token(index) else {
                continue;
            };
            if token.token_id() >= end_of_text || token.to_bytes().is_err() {
                continue;
            }
            let data = token.token_data();
            let start = match (previous_dtw, data.t_dtw >= 0) {
                (Some(previous), true) => previous,
                (None, true) => data.t0.min(data.t_dtw),
                (_, false) => data.t0,
            };
            starts.push(start);
            previous_dtw = (data.t_dtw >= 0).then_some(data.t_dtw);
        }
    }
    starts
}

/// DTW gives each word's start only; a word lasts until the next one starts
/// (silences inside that span are cut off when times are settled).
fn end_words_where_the_next_begins(segments: &mut [Segment]) {
    let mut next_start: Option<u64> = None;
    for segment in segments.iter_mut().rev() {
        for word in segment.words.iter_mut().rev() {
            if let Some(next) = next_start {
                word.end_ms = next.max(word.start_ms);
            }
            next_start = Some(word.start_ms);
        }
        segment.span_words();
    }
}

/// A short segment wholly inside brackets, parentheses or asterisks.
fn is_sound_marker(words: &[Word]) -> bool {
    let text = Segment::words_text(words);
    let pairs = [('[', ']'), ('(', ')'), ('*', '*')];
    words.len() <= 3
        && pairs.iter().any(|&(open, close)| {
            text.starts_with(open) && text.trim_end_matches(['.', ',']).ends_with(close)
        })
}

/// Groups a segment's tokens into words (a token starting with a space starts
/// a new word) and joins their bytes before decoding, because a token can
/// hold half of a multi-byte character.
fn read_segment(
    segment: &WhisperSegment<'_>,
    end_of_text: i32,
    starts: &mut impl Iterator<Item = i64>,
    offset_ms: i64,
    audio_end_ms: i64,
) -> (Segment, f64, usize) {
    struct Pending {
        bytes: Vec<u8>,
        start_ms: i64,
        end_ms: i64,
        probabilities: Vec<f32>,
    }
    let earliest_ms = offset_ms.max(0);
    let to_ms = |ticks: i64| {
        (offset_ms + ticks * TICK_MS).clamp(earliest_ms, audio_end_ms.max(earliest_ms))
    };
    let mut words = Vec::new();
    let mut pending: Option<Pending> = None;
    let mut logprob_sum = 0.0f64;
    let mut text_tokens = 0usize;
    let finish = |pending: Pending, words: &mut Vec<Word>| {
        // Speech has no quotation marks; Whisper sometimes writes stray ones.
        let text: String = String::from_utf8_lossy(&pending.bytes)
            .chars()
            .filter(|c| !matches!(c, '"' | '\u{201c}' | '\u{201d}'))
            .collect::<String>()
            .trim()
            .to_string();
        if !text.is_empty() {
            let probability =
                pending.probabilities.iter().sum::<f32>() / pending.probabilities.len() as f32;
            words.push(Word {
                text,
                start_ms: pending.start_ms as u64,
                end_ms: pending.end_ms.max(pending.start_ms) as u64,
                probability,
            });
        }
    };
    for index in 0..segment.n_tokens() {
        let Some(token) = segment.get_token(index) else {
            continue;
        };
        // Special and timestamp tokens all sit at or above end-of-text.
        if token.token_id() >= end_of_text {
            continue;
        }
        let Ok(bytes) = token.to_bytes() else {
            continue;
        };
        let data = token.token_data();
        logprob_sum += f64::from(data.plog);
        text_tokens += 1;
        let start_ticks = starts.next().unwrap_or(data.t0);
        let (start_ms, end_ms) = (to_ms(start_ticks), to_ms(data.t1.max(start_ticks)));
        let starts_word = bytes.first() == Some(&b' ');
        match pending.as_mut() {
            Some(word) if !starts_word => {
                word.bytes.extend_from_slice(bytes);
                word.end_ms = end_ms.max(word.start_ms);
                word.probabilities.push(data.p);
            }
            _ => {
                if let Some(done) = pending.take() {
                    finish(done, &mut words);
                }
                pending = Some(Pending {
                    bytes: bytes.to_vec(),
                    start_ms,
                    end_ms,
                    probabilities: vec![data.p],
                });
            }
        }
    }
    if let Some(done) = pending.take() {
        finish(done, &mut words);
    }
    if is_sound_marker(&words) {
        // `[BLANK_AUDIO]`, `(laughs)`, `*sighs*`: not speech.
        words.clear();
    }
    for word in &mut words {
        // Whisper sometimes wraps real speech in brackets (a mumbled
        // sentence as an aside); the words stay, the brackets go.
        word.text.retain(|c| !matches!(c, '(' | ')' | '[' | ']'));
    }
    words.retain(|word| !word.text.is_empty());
    // The words are the truth; the segment's text is made from them.
    let text = Segment::words_text(&words);
    let segment = Segment {
        start_ms: to_ms(segment.start_timestamp()) as u64,
        end_ms: to_ms(segment.end_timestamp()) as u64,
        text,
        words,
    };
    (segment, logprob_sum, text_tokens)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `.cargo/config.toml` builds whisper.cpp with ggml's tiled matrix
    /// multiply; without it a transcription takes about half as much CPU
    /// time again (README, "Speed").
    #[test]
    fn whisper_cpp_is_built_with_the_tiled_matrix_multiply() {
        let info = whisper_rs::print_system_info();
        assert!(
            info.contains("LLAMAFILE = 1"),
            "whisper.cpp was built without GGML_LLAMAFILE ({info}); run `cargo clean -p whisper-rs-sys` and build again"
        );
    }

    fn frames(context: EncoderContext, window_s: f64) -> Option<i32> {
        context.frames((window_s * 16_000.0) as usize)
    }

    #[test]
    fn a_wide_context_is_twice_the_window_within_ten_seconds_and_the_longest_window() {
        let margin = EncoderContext::MARGIN_FRAMES;
        let longest_s = ChunkPolicy::WINDOWS.max_ms as f64 / 1000.0;
        assert_eq!(frames(EncoderContext::Fitted, 4.0), Some(200 + margin));
        assert_eq!(frames(EncoderContext::Wide, 3.0), Some(500 + margin));
        assert_eq!(frames(EncoderContext::Wide, 7.0), Some(700 + margin));
        assert_eq!(
            frames(EncoderContext::Wide, 14.0),
            Some((longest_s * 50.0) as i32 + margin)
        );
        assert_eq!(frames(EncoderContext::Full, 4.0), None);
        // Never more than the encoder holds.
        assert_eq!(frames(EncoderContext::Fitted, 29.5), None);
    }
}
