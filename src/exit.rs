//! The one place that decides the process's exit code, from the error that
//! ended the command. Documented in the README and in `--help`.

use crate::audio::AudioError;
use crate::model::ModelError;
use crate::transcribe::TranscribeError;

pub const FAILURE: u8 = 1;
pub const USAGE: u8 = 2;
pub const BAD_INPUT: u8 = 3;
pub const MODEL: u8 = 4;
pub const MICROPHONE: u8 = 5;
pub const TRANSCRIPTION: u8 = 6;
pub const STORAGE: u8 = 7;
pub const DOWNLOAD: u8 = 8;
pub const INTERRUPTED: u8 = 130;

/// Raised when the user pressed Ctrl-C and the command stopped early.
#[derive(Debug, thiserror::Error)]
#[error("interrupted; anything recorded so far was kept")]
pub struct Interrupted;

pub fn code_for(error: &anyhow::Error) -> u8 {
    for cause in error.chain() {
        if cause.is::<Interrupted>() {
            return INTERRUPTED;
        }
        if cause.is::<AudioError>() {
            return BAD_INPUT;
        }
        if let Some(err) = cause.downcast_ref::<ModelError>() {
            return model_code(err);
        }
        if let Some(err) = cause.downcast_ref::<TranscribeError>() {
            return match err {
                TranscribeError::Audio(_) => BAD_INPUT,
                TranscribeError::Model(err) => model_code(err),
                TranscribeError::ModelLoad { .. } => MODEL,
                TranscribeError::Decode(_) => TRANSCRIPTION,
            };
        }
    }
    FAILURE
}

fn model_code(error: &ModelError) -> u8 {
    match error {
        ModelError::Download { .. } | ModelError::Pip { .. } => DOWNLOAD,
        ModelError::Write { .. } => STORAGE,
        _ => MODEL,
    }
}
