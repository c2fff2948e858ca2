//! What happens to a take once its audio is safely on disk: transcribe, save,
//! analyse, save. Shared by `practice`, `analyse --save` and
//! `analyse --session`. A failure marks the session failed and says how to
//! retry; the audio is never touched.

use anyhow::{Context, Result};

use crate::analyse::{AnalysisConfig, analyse};
use crate::store::{LoadedSession, Status, Store};
use crate::transcript::Transcript;

/// Saves the transcript, analyses it (with the audio for acoustic checks),
/// saves the analysis, and returns the session as stored.
pub fn analyse_take(
    store: &Store,
    id: &str,
    transcript: Transcript,
    audio_16k: &[f32],
) -> Result<LoadedSession> {
    store.save_transcript(id, &transcript)?;
    store.set_status(id, Status::Transcribed)?;
    let analysis = analyse(&transcript, Some(audio_16k), &AnalysisConfig::default());
    store.save_analysis(id, &analysis)?;
    store.set_status(id, Status::Analysed)?;
    Ok(store.load(id)?)
}

/// Records a failed stage in the session and adds the retry advice.
pub fn mark_failed<T>(store: &Store, id: &str, stage: &str, result: Result<T>) -> Result<T> {
    result.or_else(|error| {
        let _ = store.set_status(
            id,
            Status::Failed {
                stage: stage.to_string(),
                error: crate::exit::one_line(&error),
            },
        );
        Err(error).with_context(|| {
            format!("the take is kept as session {id}; once fixed, run `rehearse analyse --session {id}`")
        })
    })
}
