//! `rehearse practice` and `rehearse devices`: the live take.
//!
//! Order matters here: everything that can fail without costing the user an
//! answer (prompt, model, microphone) is checked before they speak, and the
//! take is on disk before anything that can fail touches it.

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use super::pipeline::{analyse_take, config_for, mark_failed};
use super::{
    load_prompt_bank, print_report, prompt_ref, transcribe_options, use_color, use_color_stderr,
};
use crate::analyse::AnalysisConfig;
use crate::capture::{self, CaptureEvent, CaptureOptions, FormatChoice, StopReason};
use crate::cli::{PracticeArgs, RecordingArgs};
use crate::exit::Interrupted;
use crate::paths::Paths;
use crate::practice::keyboard::Keyboard;
use crate::practice::live::{LiveLine, LiveStatus};
use crate::practice::streaming::StreamingTranscriber;
use crate::prompts::{Filter, Prompt, PromptBank};
use crate::settings;
use crate::speak::Voice;
use crate::store::{LoadedSession, PromptRef, Source, Status, Store, TakeLinks};
use crate::transcribe::{TranscribeError, TranscribeOptions, Transcriber};

/// Ctrl-C presses so far: the first stops the take (and keeps it), a second
/// one stops transcribing too. The handler never ends the process itself:
/// whisper.cpp may be running on the worker thread, and exiting under it
/// crashes. The main thread notices and returns.
static INTERRUPTS: AtomicUsize = AtomicUsize::new(0);
/// The transcription worker's stop flag, once there is a worker.
static CANCEL: OnceLock<Arc<AtomicBool>> = OnceLock::new();
/// When the second Ctrl-C came (ms since the Unix epoch), for the way out
/// below.
static SECOND_PRESS_MS: AtomicU64 = AtomicU64::new(0);
/// If the process is still running this long after a second Ctrl-C,
/// something is stuck outside whisper.cpp: a third press ends it.
const STUCK_MS: u64 = 5_000;

pub fn run(args: PracticeArgs, paths: &Paths) -> Result<()> {
    // A bad settings file ends the command here, before the model or the microphone.
    let resolved = settings::Settings::load(paths, &args.flags())?;
    let bank = load_prompt_bank(paths)?;
    let store = Store::open(&paths.data_dir)?;
    let prompt = choose_prompt(&bank, &args, &store)?.clone();
    let takes = LiveTakes::open(
        &store,
        &bank,
        Settings::of(&args.recording, &resolved),
        &transcribe_options(&args.model, &resolved, paths)?,
    )?;
    loop {
        takes.show_question(&prompt.text, &prompt_line(&prompt), args.recording.speak)?;
        // Not skippable, so it always says to record.
        takes.wait_to_start(false)?;
        let loaded = takes.record(prompt_ref(&prompt), TakeLinks::default())?;
        print_report(&loaded, use_color())?;
        super::warn_same_story(&store, &loaded)?;
        if takes.after_take(&loaded)? != AfterTake::Again {
            return Ok(());
        }
    }
}

/// What the user chose right after a take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum AfterTake {
    Keep,
    /// Deleted for good.
    Discard,
    /// Kept, and the same question is to be answered again.
    Again,
}

/// The line under a prompt: its principles, id and the length window the
/// answer will be judged against (derived from the prompt's target exactly as
/// the analysis derives it, so the prompt and the verdict name one window).
pub(super) fn prompt_line(prompt: &Prompt) -> String {
    let config = AnalysisConfig::for_target_s(f64::from(prompt.target_seconds));
    format!(
        "({}; {}; aim for {})",
        prompt.principles.join(", "),
        prompt.id,
        crate::format::durations(config.window_min_s, config.window_max_s)
    )
}

/// How takes are recorded, whatever the command: the settings in effect
/// (from a flag, the environment, the settings file or the default) and the
/// device chosen.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Settings {
    pub device: Option<String>,
    pub max_seconds: f64,
    /// `None`: no silence stop.
    pub silence_seconds: Option<f64>,
    /// `None`: wait for Enter.
    pub countdown: Option<u32>,
    pub keep_raw: bool,
    /// `None`: the most natural voice installed.
    pub voice: Option<Voice>,
}

impl Settings {
    pub fn of(recording: &RecordingArgs, resolved: &settings::Settings) -> Self {
        Self {
            device: recording.device.clone(),
            max_seconds: resolved.max_seconds.value,
            silence_seconds: Some(resolved.silence_seconds.value).filter(|&s| s > 0.0),
            countdown: resolved.countdown.value,
            keep_raw: resolved.keep_raw.value,
            voice: resolved.voice(),
        }
    }

    fn capture_options(&self) -> CaptureOptions {
        CaptureOptions {
            device: self.device.clone(),
            format: FormatChoice::SPEECH,
            max_seconds: Some(self.max_seconds),
            stop_after_silence_s: self.silence_seconds,
            ..CaptureOptions::default()
        }
    }
}

/// What the user chose when asked to start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Start {
    Record,
    /// `s` then Enter: skip this question (offered for follow-ups).
    Skip,
}

/// Everything a live take needs, set up once before the user speaks: the
/// prompt bank, the store, the model (a missing one is found out now, not
/// after the answer) and the keyboard. `practice` records one take with it,
/// `interview` a loop of them.
pub(super) struct LiveTakes<'a> {
    store: &'a Store,
    bank: &'a PromptBank,
    settings: Settings,
    transcriber: Arc<Transcriber>,
    keyboard: Keyboard,
}

impl<'a> LiveTakes<'a> {
    pub fn open(
        store: &'a Store,
        bank: &'a PromptBank,
        settings: Settings,
        transcribe: &TranscribeOptions,
    ) -> Result<Self> {
        install_ctrl_c()?;
        recover_unfinished_takes(store);
        let transcriber = Arc::new(Transcriber::load(transcribe)?);
        Ok(Self {
            store,
            bank,
            settings,
            transcriber,
            keyboard: Keyboard::start(),
        })
    }

    /// Shows a question (and reads it aloud with `speak`, in the voice the
    /// settings choose) before the recording starts, so the voice is never
    /// in the take.
    pub fn show_question(&self, text: &str, detail: &str, speak: bool) -> Result<()> {
        let width = super::stdout_width();
        let detail = match detail {
            "" => String::new(),
            detail => crate::format::wrap_words(detail, "", 1, width),
        };
        super::emit(format!(
            "{}{detail}",
            crate::format::wrap_words(text, "", 0, width),
        ))?;
        if speak {
            match crate::speak::speak(text, self.settings.voice.as_ref()) {
                Ok(voice) => eprintln!("read aloud by {voice}"),
                Err(err) => eprintln!("cannot read the question aloud: {err}"),
            }
        }
        Ok(())
    }

    /// Waits for Enter (or the countdown). With `skippable`, `s` then Enter
    /// skips instead.
    pub fn wait_to_start(&self, skippable: bool) -> Result<Start> {
        // Keys typed while the last take was analysed answer nothing yet.
        self.keyboard.drain();
        let start = wait_to_start(self.settings.countdown, &self.keyboard, skippable)?;
        // An Enter typed before recording began must not end the take at once.
        self.keyboard.drain();
        Ok(start)
    }

    /// Right after a take, on a terminal, one key (no Enter): `d` discards
    /// the take, `r` keeps it and records the same question again, any other
    /// key keeps it. Without a terminal, or after Ctrl-C, the take is kept.
    pub fn after_take(&self, loaded: &LoadedSession) -> Result<AfterTake> {
        if !self.keyboard.is_terminal() || Self::interrupted() {
            return Ok(AfterTake::Keep);
        }
        eprint!("d discards this take, r records the question again, any other key keeps it: ");
        let key = self.keyboard.one_key(Self::interrupted);
        eprintln!();
        Ok(match key {
            Some('d' | 'D') => {
                self.store.delete(loaded.id())?;
                eprintln!("discarded: the take is deleted");
                AfterTake::Discard
            }
            Some('r' | 'R') => {
                eprintln!(
                    "kept; once you have answered again, `rehearse compare {} last` shows what changed",
                    loaded.id()
                );
                AfterTake::Again
            }
            _ => {
                eprintln!(
                    "kept as session {}; `rehearse report last` writes its page",
                    loaded.id()
                );
                AfterTake::Keep
            }
        })
    }

    /// True once the user pressed Ctrl-C: a loop ends after the take it was on.
    pub fn interrupted() -> bool {
        INTERRUPTS.load(Ordering::SeqCst) > 0
    }

    /// Records a take of `prompt` until Enter, Ctrl-C or a limit, then
    /// transcribes and analyses it. The take is on disk before anything that
    /// can fail touches it.
    pub fn record(&self, prompt: PromptRef, links: TakeLinks) -> Result<LoadedSession> {
        self.record_take(prompt, links, false)?
            .context("a take that cannot be skipped was skipped")
    }

    /// [`Self::record`] for a question that can be skipped: `s` then Enter
    /// before any speech is heard (a countdown can leave too little time to
    /// type it before the recording starts) skips it, and nothing is kept.
    /// Once the user has spoken, `s` then Enter only stops the take, which
    /// is kept like any other.
    pub fn record_skippable(
        &self,
        prompt: PromptRef,
        links: TakeLinks,
    ) -> Result<Option<LoadedSession>> {
        self.record_take(prompt, links, true)
    }

    fn record_take(
        &self,
        prompt: PromptRef,
        links: TakeLinks,
        skippable: bool,
    ) -> Result<Option<LoadedSession>> {
        let store = self.store;
        // The window the live line counts towards is the one the analysis judges.
        let config = config_for(self.bank, Some(&prompt.id), links.follow_up_of.is_some());
        let dir = store.create_linked_session(Some(prompt), Source::Microphone, links)?;
        let options = self.settings.capture_options();
        let capture = match capture::start(&options, &dir.audio_path()) {
            Ok(capture) => capture,
            Err(err) => {
                // Nothing was recorded: leave no empty session behind.
                let _ = std::fs::remove_dir_all(&dir.path);
                return Err(err.into());
            }
        };
        let kept = format!(
            "the take is kept as session {id}; analyse it with `rehearse analyse --session {id}`",
            id = dir.id
        );
        let stream =
            StreamingTranscriber::start(Arc::clone(&self.transcriber), capture.sample_rate())?;
        let _ = CANCEL.set(stream.cancel_flag());
        let live = LiveLine::new(
            use_color_stderr(),
            options.stop_after_silence_s.map(|s| (s * 1000.0) as u64),
            (config.window_min_s, config.window_max_s),
        );
        let ended = record(capture.events(), &stream, &live, &self.keyboard);
        let stopped_at = Instant::now();
        live.finish();
        let recording = capture.stop()?;
        if skippable && !ended.speech_heard && ended.line.as_deref().is_some_and(is_skip) {
            // Nothing said yet, and the user asked to skip: nothing to keep.
            drop(stream);
            let _ = std::fs::remove_dir_all(&dir.path);
            return Ok(None);
        }
        let reason = ended.by_user.unwrap_or(recording.stop_reason.clone());
        eprintln!(
            "recorded {:.1} s ({}); saved in {}",
            recording.duration_ms as f64 / 1000.0,
            describe(&reason),
            dir.path.display()
        );
        if recording.xruns > 0 || recording.dropped_frames > 0 {
            eprintln!(
                "warning: {} audio overruns and {} dropped frames: the machine was too busy to keep up; close other programs and try again",
                recording.xruns, recording.dropped_frames
            );
        }
        if recording.frames == 0 {
            // Nothing to keep: leave no empty session to become `last`.
            let _ = std::fs::remove_dir_all(&dir.path);
            if reason == StopReason::User {
                anyhow::bail!(Interrupted(
                    "stopped before any audio was recorded; nothing was kept".into()
                ));
            }
            anyhow::bail!(
                "the microphone delivered no audio; check it with `rehearse devices`, or analyse a recording with `rehearse analyse FILE.wav`"
            );
        }

        let finished = match stream.finish(recording.duration_ms) {
            Err(TranscribeError::Cancelled) => anyhow::bail!(Interrupted(kept)),
            result => mark_failed(store, &dir.id, "transcribe", result.map_err(Into::into))?,
        };
        let loaded = analyse_take(
            store,
            self.bank,
            &dir.id,
            finished.transcript,
            &finished.samples_16k,
            self.settings.keep_raw,
        )?;
        eprintln!(
            "report ready {:.2} s after the stop ({} windows transcribed while you spoke, {} after)",
            stopped_at.elapsed().as_secs_f64(),
            finished.windows_before_finish,
            finished.windows_at_finish
        );
        Ok(Some(loaded))
    }
}

/// A take still marked `recorded` was cut off (a crash, `kill -9`, a power
/// cut): its WAV header undercounts the audio. Repair it now, and say how to
/// finish it.
fn recover_unfinished_takes(store: &Store) {
    for loaded in store.list().sessions {
        if loaded.session.status != Status::Recorded {
            continue;
        }
        match capture::repair_wav(&loaded.audio_path()) {
            Ok(outcome) => eprintln!(
                "an earlier take was not finished{}; analyse it with `rehearse analyse --session {}`",
                if outcome.fixed {
                    " (its WAV header is now repaired)"
                } else {
                    ""
                },
                loaded.id()
            ),
            Err(err) => eprintln!(
                "an earlier take ({}) cannot be repaired: {err}",
                loaded.id()
            ),
        }
    }
}

/// `rehearse devices`: the names `--device` accepts, `*` on the default.
///
/// ALSA and JACK print their complaints about plugins they cannot open
/// straight to the process's stderr (fd 2), and ALSA's error handler can be
/// silenced only through FFI, which this crate denies (`unsafe_code`; the one
/// exception is `allocator.rs`'s setting of two allocator parameters). So
/// the sound system is probed in a child process of ourselves
/// (`devices --probe`) whose stderr is thrown away; it prints one
/// tab-separated line per device: id, default (1/0), format, description.
pub fn devices(args: &crate::cli::DevicesArgs) -> Result<()> {
    use std::process::{Command, Stdio};

    use super::emit;
    use crate::capture::{CaptureError, InputDevice};

    /// The probe should take a second; a hung sound plugin must not hang us.
    const PROBE_TIMEOUT: Duration = Duration::from_secs(20);

    if args.probe {
        for device in capture::list_input_devices()? {
            emit(format_args!(
                "{}\t{}\t{}\t{}\n",
                device.id,
                u8::from(device.is_default),
                device.default_config.unwrap_or_default(),
                device.name.replace(['\t', '\n'], " ")
            ))?;
        }
        return Ok(());
    }

    let failed = |reason: String| CaptureError::ListDevices { reason };
    let exe = std::env::current_exe().map_err(|err| failed(err.to_string()))?;
    let mut child = Command::new(exe)
        .args(["devices", "--probe"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|err| failed(format!("cannot start the device probe: {err}")))?;
    let mut stdout = child.stdout.take().context("the probe's stdout")?;
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut text).map(|_| text)
    });
    let deadline = Instant::now() + PROBE_TIMEOUT;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(failed(format!(
                    "the sound system did not answer within {} s; check that no audio program is stuck, then try again",
                    PROBE_TIMEOUT.as_secs()
                ))
                .into());
            }
            Err(err) => return Err(failed(err.to_string()).into()),
        }
    };
    let text = reader
        .join()
        .map_err(|_| failed("the probe's output could not be read".into()))?
        .map_err(|err| failed(err.to_string()))?;
    if !status.success() {
        return Err(failed(format!(
            "the device probe failed ({status}); run `rehearse devices --probe` to see the sound system's messages"
        ))
        .into());
    }
    let devices: Vec<InputDevice> = text
        .lines()
        .filter_map(|line| {
            let mut fields = line.splitn(4, '\t');
            let (id, default, config, name) = (
                fields.next()?,
                fields.next()?,
                fields.next()?,
                fields.next()?,
            );
            Some(InputDevice {
                name: name.to_string(),
                id: id.to_string(),
                is_default: default == "1",
                default_config: (!config.is_empty()).then(|| config.to_string()),
            })
        })
        .collect();
    if devices.is_empty() {
        return Err(CaptureError::NoMicrophone {
            reason: "the sound system lists no input devices".into(),
        }
        .into());
    }
    let (shown, hidden): (Vec<&InputDevice>, Vec<&InputDevice>) = devices
        .iter()
        .partition(|device| args.all || device.is_default || device.default_config.is_some());
    let width = shown
        .iter()
        .map(|d| d.id.chars().count())
        .max()
        .unwrap_or(0);
    for device in &shown {
        let detail = match &device.default_config {
            Some(config) if device.name != device.id => format!("{}, {config}", device.name),
            Some(config) => config.clone(),
            None => format!("{}, cannot be opened", device.name),
        };
        emit(format_args!(
            "{} {:<width$}  {detail}\n",
            if device.is_default { "*" } else { " " },
            device.id,
        ))?;
    }
    if !hidden.is_empty() {
        emit(format_args!(
            "({} more cannot be opened; `rehearse devices --all` lists them)\n",
            hidden.len()
        ))?;
    }
    Ok(())
}

fn choose_prompt<'a>(
    bank: &'a PromptBank,
    args: &PracticeArgs,
    store: &Store,
) -> Result<&'a Prompt> {
    if let Some(id) = &args.prompt {
        return Ok(bank.find(id)?);
    }
    let filter = match &args.principle {
        Some(given) => Filter::for_principle(given)?,
        None => Filter::all(),
    };
    let seed = jiff::Timestamp::now().as_nanosecond() as u64;
    bank.pick(&filter, &store.recent_prompts(), seed)
        .context("no prompt matches; list them with `rehearse prompts`")
}

/// The line that skips a follow-up: `s` (or `skip`) then Enter.
fn is_skip(line: &str) -> bool {
    matches!(line.trim().to_lowercase().as_str(), "s" | "skip")
}

fn wait_to_start(countdown: Option<u32>, keyboard: &Keyboard, skippable: bool) -> Result<Start> {
    let chosen = |line: &str| {
        if skippable && is_skip(line) {
            Start::Skip
        } else {
            Start::Record
        }
    };
    let mut start = Start::Record;
    match countdown {
        Some(seconds) => {
            if skippable {
                eprintln!("(s then Enter skips this one, until you start speaking)");
            }
            for left in (1..=seconds).rev() {
                eprint!("\rstarting in {left}… ");
                match keyboard.line(Duration::from_secs(1)) {
                    // Enter during the countdown: start now (or skip).
                    Ok(Some(line)) => {
                        start = chosen(&line);
                        break;
                    }
                    Ok(None) => {}
                    // Not a terminal: no reader thread, so keep the pace by hand.
                    Err(_) => std::thread::sleep(Duration::from_secs(1)),
                }
                interrupted_before_start()?;
            }
            if start == Start::Record {
                eprintln!("\rrecording: answer now.");
            }
        }
        None if keyboard.is_terminal() => {
            if skippable {
                eprintln!(
                    "Press Enter to start recording (s then Enter skips), and Enter again when you are done."
                );
            } else {
                eprintln!("Press Enter to start recording, and Enter again when you are done.");
            }
            loop {
                match keyboard.line(Duration::from_millis(100)) {
                    Ok(Some(line)) => {
                        start = chosen(&line);
                        break;
                    }
                    Ok(None) => interrupted_before_start()?,
                    Err(_) => anyhow::bail!(Interrupted::nothing_recorded()),
                }
            }
        }
        None => {
            interrupted_before_start()?;
            eprintln!("recording: answer now (not a terminal, so no Enter to wait for).");
        }
    }
    // A Ctrl-C while the prompt was read out or the model loaded.
    interrupted_before_start()?;
    Ok(start)
}

fn interrupted_before_start() -> Result<()> {
    if INTERRUPTS.load(Ordering::SeqCst) > 0 {
        anyhow::bail!(Interrupted::nothing_recorded());
    }
    Ok(())
}

/// How the live loop ended.
struct Ended {
    /// The user's reason (Enter, Ctrl-C), or `None` for the capture's own.
    by_user: Option<StopReason>,
    /// The line typed to stop, if one was.
    line: Option<String>,
    /// Whether the capture had heard speech by then.
    speech_heard: bool,
}

/// Runs the live loop until the user stops (Enter, Ctrl-C) or the capture
/// stops by itself.
fn record(
    events: &Receiver<CaptureEvent>,
    stream: &StreamingTranscriber,
    live: &LiveLine,
    keyboard: &Keyboard,
) -> Ended {
    let mut heard = false;
    let ended = |by_user, line, speech_heard| Ended {
        by_user,
        line,
        speech_heard,
    };
    loop {
        if INTERRUPTS.load(Ordering::SeqCst) > 0 {
            return ended(Some(StopReason::User), None, heard);
        }
        if let Some(line) = keyboard.entered_line() {
            return ended(Some(StopReason::User), Some(line), heard);
        }
        match events.recv_timeout(Duration::from_millis(50)) {
            Ok(CaptureEvent::Level {
                elapsed_ms,
                rms_dbfs,
                silent_for_ms,
                speech_heard,
            }) => {
                heard |= speech_heard;
                live.update(&LiveStatus {
                    elapsed_ms,
                    rms_dbfs,
                    silent_for_ms,
                    speech_heard,
                });
            }
            Ok(CaptureEvent::Audio { mono, .. }) => stream.push(mono),
            Ok(CaptureEvent::Stopped(_)) | Err(RecvTimeoutError::Disconnected) => {
                return ended(None, None, heard);
            }
            Err(RecvTimeoutError::Timeout) => {}
        }
    }
}

fn install_ctrl_c() -> Result<()> {
    ctrlc::set_handler(|| {
        let presses = INTERRUPTS.fetch_add(1, Ordering::SeqCst) + 1;
        if presses < 2 {
            return;
        }
        if let Some(cancel) = CANCEL.get() {
            cancel.store(true, Ordering::SeqCst);
        }
        let now_ms = jiff::Timestamp::now().as_millisecond().max(0) as u64;
        let second = SECOND_PRESS_MS.load(Ordering::SeqCst);
        if second == 0 {
            SECOND_PRESS_MS.store(now_ms, Ordering::SeqCst);
        } else if now_ms.saturating_sub(second) > STUCK_MS {
            eprintln!("\nerror: interrupted while stuck; any take recorded so far is kept");
            std::process::exit(i32::from(crate::exit::INTERRUPTED));
        }
    })
    .context("cannot install the Ctrl-C handler")
}

fn describe(reason: &StopReason) -> String {
    match reason {
        StopReason::User => "stopped by you".into(),
        StopReason::MaxDuration => "reached max_seconds".into(),
        StopReason::Silence => "stopped after a stretch of silence".into(),
        // These messages end with their fix; the audio so far is kept either way.
        StopReason::DeviceError(err) => {
            format!("the audio so far is kept; the microphone failed: {err}")
        }
        StopReason::WriteError(err) => format!("the audio so far is kept; writing failed: {err}"),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use clap::Parser;

    use super::*;
    use crate::cli::{Cli, Command};
    use crate::settings::{ConfigFile, Flags};

    #[test]
    fn the_prompt_line_names_the_window_the_verdict_uses() {
        for (target_s, window) in [(90, "1:00–2:00"), (60, "0:40–1:20"), (120, "1:20–2:40")] {
            let prompt = Prompt {
                id: "conflict-with-manager".into(),
                principles: vec!["have-backbone".into()],
                text: "Tell me about a time you disagreed with your manager.".into(),
                follow_ups: Vec::new(),
                target_seconds: target_s,
                tags: Vec::new(),
            };
            let config = AnalysisConfig::for_target_s(f64::from(target_s));
            let verdict_window = format!(
                "{}–{}",
                crate::format::duration(config.window_min_s),
                crate::format::duration(config.window_max_s)
            );
            assert_eq!(verdict_window, window);
            assert_eq!(
                prompt_line(&prompt),
                format!("(have-backbone; conflict-with-manager; aim for {window})")
            );
        }
    }

    fn practice(args: &[&str]) -> PracticeArgs {
        let args = [&["rehearse", "practice"], args].concat();
        match Cli::try_parse_from(args).unwrap().command {
            Command::Practice(args) => args,
            other => panic!("{other:?}"),
        }
    }

    fn resolved(args: &PracticeArgs, file: &str) -> settings::Settings {
        let file = ConfigFile::parse(Path::new("config.toml"), file).unwrap();
        settings::Settings::resolve(&args.flags(), &|_| None, &file).unwrap()
    }

    #[test]
    fn a_take_is_recorded_as_the_settings_say() {
        let args = practice(&["--device", "hw:1"]);
        let file = "max_seconds = 90\nsilence_seconds = 4\ncountdown = 5\nkeep_raw = true\nvoice = \"say -v Alex\"\n";
        let take = Settings::of(&args.recording, &resolved(&args, file));
        assert_eq!(
            take,
            Settings {
                device: Some("hw:1".into()),
                max_seconds: 90.0,
                silence_seconds: Some(4.0),
                countdown: Some(5),
                keep_raw: true,
                voice: Some(Voice {
                    command: "say -v Alex".into(),
                    set_by: "`voice` in `config.toml`".into(),
                }),
            }
        );
        let options = take.capture_options();
        assert_eq!(options.device.as_deref(), Some("hw:1"));
        assert_eq!(options.max_seconds, Some(90.0));
        assert_eq!(options.stop_after_silence_s, Some(4.0));
    }

    #[test]
    fn a_flag_beats_the_file_for_a_take() {
        let args = practice(&["--max-seconds", "30", "--silence-seconds", "0"]);
        let take = Settings::of(
            &args.recording,
            &resolved(&args, "max_seconds = 90\nsilence_seconds = 4\n"),
        );
        assert_eq!(take.max_seconds, 30.0);
        assert_eq!(
            take.silence_seconds, None,
            "0 turns the file's silence stop off"
        );
    }

    #[test]
    fn nothing_set_records_as_before() {
        let args = practice(&[]);
        assert_eq!(args.flags(), Flags::default());
        let take = Settings::of(&args.recording, &resolved(&args, ""));
        assert_eq!(
            take,
            Settings {
                device: None,
                max_seconds: 180.0,
                silence_seconds: None,
                countdown: None,
                keep_raw: false,
                voice: None,
            }
        );
        let options = take.capture_options();
        assert_eq!(options.max_seconds, Some(180.0));
        assert_eq!(options.stop_after_silence_s, None);
    }
}
