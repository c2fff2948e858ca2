//! Transcribing while the user is still speaking.
//!
//! Audio from the microphone is resampled to 16 kHz as it arrives and cut
//! into windows at pauses ([`ChunkPolicy::LIVE`]); each finished window is
//! decoded at once on a worker thread. When the take stops only the last
//! window is left, so the report follows the stop within a moment instead
//! of after a full decode of the recording.

use std::sync::mpsc::{self, Receiver, Sender};
use std::thread::JoinHandle;

use crate::audio::{AudioError, StreamResampler};
use crate::transcribe::{ChunkPolicy, TranscribeError, Transcriber, WindowMode, next_cut};
use crate::transcript::{Segment, Transcript};

enum Message {
    Audio(Vec<f32>),
    Finish { duration_ms: u64 },
}

/// What the worker hands back once the take is over.
pub struct Finished {
    pub transcript: Transcript,
    /// The whole take at 16 kHz mono, for the acoustic checks.
    pub samples_16k: Vec<f32>,
    /// Windows decoded while recording, and after the stop.
    pub windows_live: usize,
    pub windows_after_stop: usize,
}

pub struct StreamingTranscriber {
    sender: Sender<Message>,
    worker: JoinHandle<Result<Finished, TranscribeError>>,
}

impl StreamingTranscriber {
    /// `input_rate` is the rate of the mono audio that will be pushed.
    pub fn start(transcriber: Transcriber, input_rate: u32) -> Result<Self, AudioError> {
        let resampler = StreamResampler::new(input_rate, 16_000)?;
        let (sender, receiver) = mpsc::channel();
        let worker = std::thread::Builder::new()
            .name("transcribe".into())
            .spawn(move || work(transcriber, resampler, receiver))
            .map_err(|err| AudioError::Resample {
                from_hz: input_rate,
                detail: format!("cannot start the transcription thread: {err}"),
            })?;
        Ok(Self { sender, worker })
    }

    /// Hands over audio; never blocks.
    pub fn push(&self, mono: Vec<f32>) {
        // If the worker is gone its error comes out of `finish`.
        let _ = self.sender.send(Message::Audio(mono));
    }

    /// Decodes what is left and returns the transcript of the whole take.
    pub fn finish(self, duration_ms: u64) -> Result<Finished, TranscribeError> {
        let _ = self.sender.send(Message::Finish { duration_ms });
        self.worker.join().unwrap_or_else(|_| {
            Err(TranscribeError::Decode(
                "the transcription thread crashed".into(),
            ))
        })
    }
}

fn work(
    transcriber: Transcriber,
    mut resampler: StreamResampler,
    receiver: Receiver<Message>,
) -> Result<Finished, TranscribeError> {
    let mut samples: Vec<f32> = Vec::new();
    let mut decoded_to = 0usize;
    let mut segments: Vec<Segment> = Vec::new();
    let mut windows_live = 0;
    // `waiting`: the take is over and the user waits for this window.
    let decode =
        |from: usize, to: usize, samples: &[f32], segments: &mut Vec<Segment>, waiting: bool| {
            let so_far = segments
                .iter()
                .map(|s| s.text.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            let offset_ms = from as u64 * 1000 / 16_000;
            let mode = if waiting {
                WindowMode::Waiting
            } else {
                WindowMode::Live
            };
            let window = transcriber.decode_window(&samples[from..to], offset_ms, &so_far, mode)?;
            segments.extend(window);
            Ok::<(), TranscribeError>(())
        };
    let duration_ms = loop {
        // A vanished sender (the caller quit without `finish`) ends the take.
        let Ok(first) = receiver.recv() else {
            break samples.len() as u64 * 1000 / 16_000;
        };
        // Take everything that has arrived before deciding where to cut, so
        // decoding never falls behind by more than one window.
        let mut finish = None;
        let mut next = Some(first);
        while let Some(message) = next {
            match message {
                Message::Audio(mono) => samples.extend(resampler.push(&mono)?),
                Message::Finish { duration_ms } => {
                    finish = Some(duration_ms);
                    break;
                }
            }
            next = receiver.try_recv().ok();
        }
        if let Some(duration_ms) = finish {
            break duration_ms;
        }
        while let Some(cut) = next_cut(&samples[decoded_to..], ChunkPolicy::LIVE, false) {
            decode(decoded_to, decoded_to + cut, &samples, &mut segments, false)?;
            decoded_to += cut;
            windows_live += 1;
        }
    };
    samples.extend(resampler.finish()?);
    let mut windows_after_stop = 0;
    while let Some(cut) = next_cut(&samples[decoded_to..], ChunkPolicy::LIVE, true) {
        // The user is waiting now.
        decode(decoded_to, decoded_to + cut, &samples, &mut segments, true)?;
        decoded_to += cut;
        windows_after_stop += 1;
    }
    Ok(Finished {
        transcript: transcriber.assemble(segments, duration_ms),
        samples_16k: samples,
        windows_live,
        windows_after_stop,
    })
}
