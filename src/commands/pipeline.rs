//! What happens to a take once its audio is safely on disk: transcribe, save,
//! analyse, save. Shared by `practice`, `analyse --save` and
//! `analyse --session`. A failure marks the session failed and says how to
//! retry; the audio is never touched.

use anyhow::{Context, Result};

use crate::analyse::{Analysis, AnalysisConfig, analyse};
use crate::audio::wav_bytes_16k_mono;
use crate::practice::follow_up::weakest_part;
use crate::prompts::PromptBank;
use crate::store::{LoadedSession, Status, Store};
use crate::transcript::Transcript;

/// Stores the take compactly (the 16 kHz mono audio it was transcribed
/// from), saves the transcript, analyses it against its prompt's target
/// length, saves the analysis and the
/// follow-up question, and returns the session as stored.
pub fn analyse_take(
    store: &Store,
    bank: &PromptBank,
    id: &str,
    transcript: Transcript,
    audio_16k: &[f32],
    keep_raw: bool,
) -> Result<LoadedSession> {
    compact_take(store, id, audio_16k, keep_raw);
    store.save_transcript(id, &transcript)?;
    store.set_status(id, Status::Transcribed)?;
    let session = store.read_session(id)?;
    let prompt_id = session.prompt.map(|prompt| prompt.id);
    let config = config_for(
        bank,
        prompt_id.as_deref(),
        session.links.follow_up_of.is_some(),
    );
    let analysis = analyse(&transcript, &config);
    store.save_analysis(id, &analysis)?;
    let question = follow_up(bank, prompt_id.as_deref(), &analysis);
    store.update_session(id, |session| {
        session.status = Status::Analysed;
        session.follow_up = Some(question);
    })?;
    Ok(store.load(id)?)
}

/// Replaces the raw capture with the 16 kHz mono 16-bit audio the analysis
/// uses. A failure here costs nothing (the raw take stays the take, and the
/// next `analyse --session` tries again), so it is a warning, not an error.
fn compact_take(store: &Store, id: &str, audio_16k: &[f32], keep_raw: bool) {
    if let Err(err) = store.store_compact_audio(id, &wav_bytes_16k_mono(audio_16k), keep_raw) {
        eprintln!("warning: the take is kept as recorded, not compacted: {err}");
    }
}

/// The analysis settings for an answer to this prompt: its own target length,
/// or the follow-up window for an answer to one of its follow-up questions.
pub fn config_for(bank: &PromptBank, prompt_id: Option<&str>, follow_up: bool) -> AnalysisConfig {
    if follow_up {
        return AnalysisConfig::for_follow_up();
    }
    match prompt_id.and_then(|id| bank.get(id)) {
        Some(prompt) => AnalysisConfig::for_target_s(f64::from(prompt.target_seconds)),
        None => AnalysisConfig::default(),
    }
}

/// The interviewer's next question: aimed at the weakest finding, in the
/// prompt's own words where it has a follow-up for it.
pub fn follow_up(bank: &PromptBank, prompt_id: Option<&str>, analysis: &Analysis) -> String {
    bank.follow_up_for_id(prompt_id, weakest_part(analysis))
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
