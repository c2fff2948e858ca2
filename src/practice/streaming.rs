//! Transcribing while the user is still speaking.
//!
//! Audio from the microphone is resampled to 16 kHz as it arrives and handed
//! to a [`TakeTranscriber`] on a worker thread, which cuts and decodes
//! windows exactly as it would for a file. When the take stops only the last
//! window is left, so the report follows the stop within a moment instead
//! of after a full decode of the recording.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread::JoinHandle;

use crate::audio::{AudioError, StreamResampler};
use crate::transcribe::{TakeTranscriber, TakeTranscript, TranscribeError, Transcriber};

enum Message {
    Audio(Vec<f32>),
    Finish { duration_ms: u64 },
}

/// Dropping it without `finish` cancels the work and waits for the worker:
/// whisper.cpp must not be running when the process exits, or its memory is
/// freed under it (a crash on Ctrl-C).
pub struct StreamingTranscriber {
    sender: Option<Sender<Message>>,
    cancel: Arc<AtomicBool>,
    worker: Option<JoinHandle<Result<TakeTranscript, TranscribeError>>>,
}

impl StreamingTranscriber {
    /// `input_rate` is the rate of the mono audio that will be pushed. The
    /// transcriber is shared so that a loop of takes loads the model once.
    pub fn start(transcriber: Arc<Transcriber>, input_rate: u32) -> Result<Self, AudioError> {
        let resampler = StreamResampler::new(input_rate, 16_000)?;
        let cancel = transcriber.cancel_flag();
        let (sender, receiver) = mpsc::channel();
        let worker = std::thread::Builder::new()
            .name("transcribe".into())
            .spawn(move || work(&transcriber, resampler, &receiver))
            .map_err(|err| AudioError::Resample {
                from_hz: input_rate,
                detail: format!("cannot start the transcription thread: {err}"),
            })?;
        Ok(Self {
            sender: Some(sender),
            cancel,
            worker: Some(worker),
        })
    }

    /// Hands over audio; never blocks.
    pub fn push(&self, mono: Vec<f32>) {
        if let Some(sender) = &self.sender {
            // If the worker is gone its error comes out of `finish`.
            let _ = sender.send(Message::Audio(mono));
        }
    }

    /// Decodes what is left and returns the transcript of the whole take.
    pub fn finish(mut self, duration_ms: u64) -> Result<TakeTranscript, TranscribeError> {
        if let Some(sender) = self.sender.take() {
            let _ = sender.send(Message::Finish { duration_ms });
        }
        self.join()
    }

    /// The flag that stops the worker after the window it is on; for a
    /// signal handler, which must not wait.
    pub fn cancel_flag(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.cancel)
    }

    fn join(&mut self) -> Result<TakeTranscript, TranscribeError> {
        match self.worker.take() {
            Some(worker) => worker.join().unwrap_or_else(|_| {
                Err(TranscribeError::Decode(
                    "the transcription thread crashed".into(),
                ))
            }),
            None => Err(TranscribeError::Cancelled),
        }
    }
}

impl Drop for StreamingTranscriber {
    fn drop(&mut self) {
        if self.worker.is_some() {
            self.cancel.store(true, Ordering::SeqCst);
            self.sender.take();
            let _ = self.join();
        }
    }
}

fn work(
    transcriber: &Transcriber,
    mut resampler: StreamResampler,
    receiver: &Receiver<Message>,
) -> Result<TakeTranscript, TranscribeError> {
    let mut take = TakeTranscriber::new(transcriber);
    let duration_ms = loop {
        // A vanished sender (the caller quit without `finish`) ends the take.
        let Ok(first) = receiver.recv() else {
            return Err(TranscribeError::Cancelled);
        };
        // Take everything that has arrived before decoding, so decoding never
        // falls behind by more than one window.
        let mut audio = Vec::new();
        let mut finish = None;
        let mut next = Some(first);
        while let Some(message) = next {
            match message {
                Message::Audio(mono) => audio.extend(resampler.push(&mono)?),
                Message::Finish { duration_ms } => {
                    finish = Some(duration_ms);
                    break;
                }
            }
            next = receiver.try_recv().ok();
        }
        take.push(&audio)?;
        if let Some(duration_ms) = finish {
            break duration_ms;
        }
    };
    take.push(&resampler.finish()?)?;
    take.finish(duration_ms)
}
