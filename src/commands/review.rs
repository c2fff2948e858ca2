//! Looking back at takes: `sessions`, `show`, `report`, `compare`,
//! `progress`, `stories`.

use std::fs;
use std::path::PathBuf;

use anyhow::{Context, Result};

use super::pipeline::{config_for, follow_up};
use super::{answers, emit, load_prompt_bank, stdout_width, use_color};
use crate::analyse::{ANALYSIS_SCHEMA_VERSION, analyse};
use crate::audio::{read_wav, to_mono_16k, wav_bytes_16k_mono};
use crate::cli::SessionFilterArgs;
use crate::exit::BadInput;
use crate::paths::Paths;
use crate::prompts::PromptBank;
use crate::report;
use crate::store::{ListOutcome, LoadedSession, Store, StoreError};
use crate::transcribe::update_transcript_times;
use crate::transcript::TRANSCRIPT_SCHEMA_VERSION;

/// Lists sessions, telling (on stderr) about any folder that was skipped.
fn list(paths: &Paths) -> Result<ListOutcome> {
    let store = Store::open(&paths.data_dir)?;
    let mut outcome = store.list();
    for (path, problem) in &outcome.problems {
        eprintln!("skipped `{}`: {problem}", path.display());
    }
    let bank = prompt_bank(paths)?;
    outcome.sessions = outcome
        .sessions
        .into_iter()
        .map(|loaded| up_to_date(loaded, &bank))
        .collect();
    Ok(outcome)
}

/// One session by id, brought up to date.
fn load(store: &Store, id: &str, paths: &Paths) -> Result<LoadedSession> {
    Ok(up_to_date(store.load(id)?, &prompt_bank(paths)?))
}

/// The prompts, for target lengths and follow-ups; a view of old takes still
/// works when the user's own prompt files do not load (`practice` says why).
fn prompt_bank(paths: &Paths) -> Result<PromptBank> {
    load_prompt_bank(paths).or_else(|_| Ok(PromptBank::builtin()?))
}

/// Brings a session loaded from disk up to date with the current stages, in
/// memory (nothing is written back): an analysis older than the current
/// schema is re-run from the stored transcript and audio, so a view never
/// shows stale data or joins words by time.
fn up_to_date(mut loaded: LoadedSession, bank: &PromptBank) -> LoadedSession {
    let prompt_id = loaded.session.prompt.as_ref().map(|p| p.id.clone());
    let stale_analysis = loaded
        .analysis
        .as_ref()
        .is_some_and(|analysis| analysis.schema_version < ANALYSIS_SCHEMA_VERSION);
    let stale_times = loaded
        .transcript
        .as_ref()
        .is_some_and(|transcript| transcript.schema_version < TRANSCRIPT_SCHEMA_VERSION);
    if !(stale_analysis || stale_times) {
        return with_follow_up(loaded, bank, prompt_id.as_deref());
    }
    let audio_path = loaded.audio_path();
    if let Some(transcript) = &mut loaded.transcript {
        if stale_times {
            // Older transcripts kept Whisper's own word times, or hesitations
            // where Whisper stamped them; without the audio they are settled
            // on the words alone.
            let audio = read_wav(&audio_path).and_then(|audio| to_mono_16k(&audio));
            update_transcript_times(transcript, audio.as_deref().unwrap_or_default());
        }
        let config = config_for(bank, prompt_id.as_deref(), loaded.session.is_follow_up());
        loaded.analysis = Some(analyse(transcript, &config));
    }
    with_follow_up(loaded, bank, prompt_id.as_deref())
}

/// Takes analysed before follow-ups were saved get theirs, in memory.
fn with_follow_up(
    mut loaded: LoadedSession,
    bank: &PromptBank,
    prompt_id: Option<&str>,
) -> LoadedSession {
    if loaded.session.follow_up.is_none()
        && let Some(analysis) = &loaded.analysis
    {
        loaded.session.follow_up = Some(follow_up(bank, prompt_id, analysis));
    }
    loaded
}

fn principle_slug(principle: Option<&str>) -> Result<Option<&'static str>> {
    Ok(match principle {
        Some(given) => Some(crate::prompts::principle(given)?.slug),
        None => None,
    })
}

pub fn sessions(args: SessionFilterArgs, paths: &Paths) -> Result<()> {
    let outcome = list(paths)?;
    let principle = principle_slug(args.principle.as_deref())?;
    let prompt = args.prompt.as_deref();
    let limit = (args.limit > 0).then_some(args.limit);
    if args.json {
        emit(report::render_sessions_json(
            &outcome.sessions,
            principle,
            prompt,
            limit,
        ))
    } else {
        emit(report::render_sessions(
            &outcome.sessions,
            principle,
            prompt,
            limit,
            use_color(),
        ))
    }
}

pub fn show(id: &str, paths: &Paths) -> Result<()> {
    let loaded = load(&Store::open(&paths.data_dir)?, id, paths)?;
    emit(report::render_show(&loaded, use_color(), stdout_width()))
}

pub fn html(id: &str, output: Option<PathBuf>, paths: &Paths) -> Result<()> {
    let store = Store::open(&paths.data_dir)?;
    // `last` is the newest answer: a false start recorded after it is not.
    let loaded = if id.trim() == "last" {
        let all = store.list().sessions;
        let newest = if all.is_empty() {
            // Says there are no takes yet, and how to record one.
            store.load(id)?
        } else {
            answers(all).pop().ok_or_else(|| {
                BadInput(format!(
                    "no take holds an answer yet (each has under {} s of speech); record one with `rehearse practice`, or name a take: `rehearse report N`",
                    crate::analyse::MIN_ANSWER_SPEECH_S
                ))
            })?
        };
        up_to_date(newest, &prompt_bank(paths)?)
    } else {
        load(&store, id, paths)?
    };
    let incomplete = |what| StoreError::Incomplete {
        id: loaded.id().to_string(),
        what,
    };
    let transcript = loaded
        .transcript
        .as_ref()
        .ok_or_else(|| incomplete("transcript"))?;
    let analysis = loaded
        .analysis
        .as_ref()
        .ok_or_else(|| incomplete("analysis"))?;
    // The page embeds the take as 16 kHz mono: small enough to carry inline.
    let audio = match read_wav(&loaded.audio_path()) {
        Ok(audio) => wav_bytes_16k_mono(&to_mono_16k(&audio)?),
        Err(err) => {
            eprintln!("the page will have no player: {err}");
            Vec::new()
        }
    };
    let page = report::render_html(&loaded.session, transcript, analysis, &audio);
    let output = output.unwrap_or_else(|| loaded.dir.join("report.html"));
    fs::write(&output, page).with_context(|| {
        format!(
            "writing `{}`; check the folder exists and is writable",
            output.display()
        )
    })?;
    emit(format_args!("{}\n", output.display()))
}

pub fn compare(a: &str, b: &str, paths: &Paths) -> Result<()> {
    let store = Store::open(&paths.data_dir)?;
    let bank = prompt_bank(paths)?;
    let (a, b) = (
        up_to_date(store.load(a)?, &bank),
        up_to_date(store.load(b)?, &bank),
    );
    emit(report::render_compare(&a, &b, use_color(), stdout_width()))
}

pub fn progress(principle: Option<&str>, html: Option<PathBuf>, paths: &Paths) -> Result<()> {
    let mut outcome = list(paths)?;
    outcome.sessions = answers(outcome.sessions);
    let principle = principle_slug(principle)?;
    emit(report::render_progress(
        &outcome.sessions,
        principle,
        use_color(),
    ))?;
    if let Some(html) = html {
        fs::write(
            &html,
            report::render_progress_html(&outcome.sessions, principle),
        )
        .map_err(|err| {
            BadInput(format!(
                "cannot write `{}`: {err}; check the folder",
                html.display()
            ))
        })?;
        eprintln!("wrote {}", html.display());
    }
    Ok(())
}

pub fn stories(paths: &Paths) -> Result<()> {
    let sessions = answers(list(paths)?.sessions);
    emit(report::render_stories(&sessions, use_color()))
}
