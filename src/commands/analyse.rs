//! `rehearse analyse`: a WAV file, a saved transcript, or a saved take.

use std::fs;
use std::path::Path;

use anyhow::{Context, Result};

use super::pipeline::{analyse_take, config_for, follow_up, mark_failed};
use super::{emit, load_prompt_bank, print_report, prompt_ref, transcribe_options, use_color};
use crate::analyse::{Analysis, Finding, analyse};
use crate::audio::{Audio, read_wav};
use crate::capture::repair_wav;
use crate::cli::AnalyseArgs;
use crate::exit::BadInput;
use crate::paths::Paths;
use crate::prompts::PromptBank;
use crate::settings::Settings;
use crate::store::{LoadedSession, Session, Source, Status, Store};
use crate::transcribe::{
    Transcriber, WhisperInput, has_speech, transcribe_audio, transcribe_input,
};
use crate::transcript::Transcript;

pub fn run(args: AnalyseArgs, paths: &Paths) -> Result<()> {
    let settings = Settings::load(paths, &args.flags())?;
    let keep_raw = settings.keep_raw.value;
    let bank = load_prompt_bank(paths)?;
    let prompt = match &args.prompt {
        Some(id) => Some(prompt_ref(bank.find(id)?)),
        None => None,
    };
    let prompt_id = prompt.as_ref().map(|p| p.id.clone());
    let config = config_for(&bank, prompt_id.as_deref(), false);
    if let Some(file) = &args.transcript {
        let transcript = read_transcript(file)?;
        let analysis = analyse(&transcript, &config);
        let question = follow_up(&bank, prompt_id.as_deref(), &analysis);
        return print(&args, unsaved(file, prompt, transcript, analysis, question));
    }
    let store = Store::open(&paths.data_dir)?;
    if let Some(id) = &args.session {
        let loaded = store.load(id)?;
        let id = loaded.id().to_string();
        // A take cut off by a crash has a header that undercounts its audio.
        let repaired = repair_wav(&loaded.audio_path())?;
        if repaired.fixed {
            eprintln!(
                "repaired the WAV header of {id} ({} frames)",
                repaired.frames
            );
        }
        let transcriber = Transcriber::load(&transcribe_options(&args.model, &settings, paths)?)?;
        let loaded = retranscribe(
            &store,
            &bank,
            &id,
            &loaded.audio_path(),
            &transcriber,
            keep_raw,
        )?;
        return print(&args, loaded);
    }
    let file = args.file.as_deref().ok_or_else(|| {
        crate::exit::Usage(
            "nothing to analyse; give a WAV file, --transcript FILE or --session ID".into(),
        )
    })?;
    if args.save {
        // Copy the answer into its session before anything can fail.
        let original_name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        usable_audio(file)?;
        // A missing model must not leave a failed take behind.
        let transcriber = Transcriber::load(&transcribe_options(&args.model, &settings, paths)?)?;
        let dir = store.create_session(prompt, Source::File { original_name })?;
        fs::copy(file, dir.audio_path())
            .with_context(|| format!("copying `{}` into session {}", file.display(), dir.id))?;
        eprintln!("saved as session {}", dir.id);
        let loaded = retranscribe(
            &store,
            &bank,
            &dir.id,
            &dir.audio_path(),
            &transcriber,
            keep_raw,
        )?;
        print(&args, loaded.clone())?;
        return super::warn_same_story(&store, &loaded);
    }
    let input = WhisperInput::from_audio(usable_audio(file)?)?;
    // Silence is refused before the model loads; a sound Whisper finds no
    // words in, once it has listened.
    if !has_speech(&input.samples_16k) {
        return Err(no_speech(file, input.duration_ms));
    }
    let transcriber = Transcriber::load(&transcribe_options(&args.model, &settings, paths)?)?;
    say_transcribing(input.duration_ms);
    let duration_ms = input.duration_ms;
    let (transcript, _) = transcribe_input(&transcriber, input)?;
    let analysis = analyse(&transcript, &config);
    if analysis.findings.contains(&Finding::NoSpeech) {
        return Err(no_speech(file, duration_ms));
    }
    let question = follow_up(&bank, prompt_id.as_deref(), &analysis);
    print(&args, unsaved(file, prompt, transcript, analysis, question))
}

/// Progress on stderr: transcription is the slow step.
fn say_transcribing(duration_ms: u64) {
    eprintln!("transcribing {:.0} s of audio", duration_ms as f64 / 1000.0);
}

/// A file with nothing said in it is no answer.
fn no_speech(file: &Path, duration_ms: u64) -> anyhow::Error {
    BadInput(format!(
        "no speech found in `{}` ({:.0} s of audio); check that it is the recording of your answer and that the voice is not too quiet, or record the answer again with `rehearse practice`",
        file.display(),
        duration_ms as f64 / 1000.0
    ))
    .into()
}

/// Less audio than this is no answer: Whisper hears nothing in it, and the
/// report would be empty.
const MIN_ANSWER_MS: u64 = 1_000;

/// A WAV file worth transcribing as an answer: readable, and holding at least
/// [`MIN_ANSWER_MS`] of audio. A file cut off after that is analysed up to the
/// cut, with a warning.
fn usable_audio(file: &Path) -> Result<Audio> {
    let audio = read_wav(file)?;
    let seconds = audio.duration_ms() as f64 / 1000.0;
    let cut = if audio.truncated {
        " (the file is cut off: it ends before its header says)"
    } else {
        ""
    };
    if audio.duration_ms() < MIN_ANSWER_MS {
        return Err(BadInput(format!(
            "`{}` holds only {seconds:.2} s of audio{cut}, too little to analyse; export the file again, or record the answer again with `rehearse practice`",
            file.display()
        ))
        .into());
    }
    if audio.truncated {
        eprintln!(
            "warning: `{}` is cut off (it ends before its header says); analysing the {seconds:.1} s it holds",
            file.display()
        );
    }
    Ok(audio)
}

/// Transcribes and analyses the take stored in session `id`.
fn retranscribe(
    store: &Store,
    bank: &PromptBank,
    id: &str,
    wav: &Path,
    transcriber: &Transcriber,
    keep_raw: bool,
) -> Result<LoadedSession> {
    let result = (|| {
        let audio = read_wav(wav)?;
        say_transcribing(audio.duration_ms());
        Ok(transcribe_audio(transcriber, audio)?)
    })();
    let (transcript, samples) = mark_failed(store, id, "transcribe", result)?;
    analyse_take(store, bank, id, transcript, &samples, keep_raw)
}

fn read_transcript(file: &Path) -> Result<Transcript> {
    let text = fs::read_to_string(file).map_err(|err| {
        BadInput(format!(
            "cannot read `{}`: {err}; check the path",
            file.display()
        ))
    })?;
    serde_json::from_str(&text).map_err(|err| {
        BadInput(format!(
            "`{}` is not a transcript ({err}); make one with `rehearse transcribe FILE.wav --json > {}`",
            file.display(),
            file.display()
        ))
        .into()
    })
}

/// An analysis shown without being kept.
fn unsaved(
    file: &Path,
    prompt: Option<crate::store::PromptRef>,
    transcript: Transcript,
    analysis: Analysis,
    follow_up: String,
) -> LoadedSession {
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    LoadedSession {
        dir: file.parent().unwrap_or(Path::new(".")).to_path_buf(),
        session: Session {
            schema_version: crate::store::SESSION_SCHEMA_VERSION,
            id: name.clone(),
            created_utc: jiff::Timestamp::now()
                .strftime("%Y-%m-%dT%H:%M:%SZ")
                .to_string(),
            prompt,
            source: Source::File {
                original_name: name.clone(),
            },
            audio_file: name,
            raw_audio_file: None,
            status: Status::Analysed,
            follow_up: Some(follow_up),
            links: crate::store::TakeLinks::default(),
        },
        transcript: Some(transcript),
        analysis: Some(analysis),
    }
}

fn print(args: &AnalyseArgs, loaded: LoadedSession) -> Result<()> {
    if args.json {
        let analysis = loaded.analysis.as_ref().context("analysis missing")?;
        emit(format_args!(
            "{}\n",
            serde_json::to_string_pretty(analysis)?
        ))
    } else {
        print_report(&loaded, use_color())
    }
}
