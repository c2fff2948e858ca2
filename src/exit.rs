//! The one place that decides the process's exit code, from the error that
//! ended the command. Documented in the README and in `--help`.

use crate::audio::AudioError;
use crate::capture::CaptureError;
use crate::model::ModelError;
use crate::prompts::PromptError;
use crate::settings::SettingsError;
use crate::store::StoreError;
use crate::transcribe::TranscribeError;
use std::fmt::Write as _;

pub const FAILURE: u8 = 1;
pub const USAGE: u8 = 2;
pub const BAD_INPUT: u8 = 3;
pub const MODEL: u8 = 4;
pub const MICROPHONE: u8 = 5;
pub const TRANSCRIPTION: u8 = 6;
pub const STORAGE: u8 = 7;
pub const DOWNLOAD: u8 = 8;
pub const INTERRUPTED: u8 = 130;

/// Raised when the user pressed Ctrl-C and the command stopped early; says
/// what became of the take.
#[derive(Debug, thiserror::Error)]
#[error("interrupted; {0}")]
pub struct Interrupted(pub String);

impl Interrupted {
    pub fn nothing_recorded() -> Self {
        Self("nothing was recorded".into())
    }
}

/// A file or argument the user gave that cannot be used (the message says why
/// and what to do).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct BadInput(pub String);

/// Arguments that parse but do not make sense together (`compare last last`,
/// `analyse --transcript F --save`); the message ends with the fix. Exit 2,
/// like the errors clap finds.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Usage(pub String);

/// The reader of stdout went away (`rehearse sessions | head -1`). Not a
/// failure: the command stops quietly, with exit code 0 and no message.
#[derive(Debug, thiserror::Error)]
#[error("stdout was closed by its reader")]
pub struct ClosedPipe;

/// True when the command ended only because stdout was closed.
pub fn is_closed_pipe(error: &anyhow::Error) -> bool {
    error
        .chain()
        .any(<dyn std::error::Error + 'static>::is::<ClosedPipe>)
}

/// A safety net for output still written with `print!`: std panics when the
/// reader of stdout has gone ("failed printing to stdout: Broken pipe").
/// That is a normal way for a command to end, so it ends quietly with exit 0;
/// every other panic is reported as before.
pub fn quiet_when_stdout_closes() {
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info.payload_as_str().unwrap_or_default();
        if message.starts_with("failed printing to stdout") && message.contains("Broken pipe") {
            std::process::exit(0);
        }
        report(info);
    }));
}

/// A command-line error found by clap as one line that ends with the fix.
/// clap's own rendering spreads over several lines (the message, a usage
/// line, "For more information, try '--help'"); this keeps the message and
/// ends with the help command of the subcommand concerned.
pub fn usage_line(error: &clap::Error) -> String {
    let rendered = error.render().to_string();
    let mut parts = Vec::new();
    let mut command = "rehearse".to_string();
    for line in rendered.lines().map(str::trim) {
        if let Some(usage) = line.strip_prefix("Usage:") {
            command = usage
                .split_whitespace()
                .take_while(|word| !word.starts_with(['[', '<', '-']))
                .collect::<Vec<_>>()
                .join(" ");
            continue;
        }
        if line.is_empty() || line.starts_with("For more information") {
            continue;
        }
        if line.starts_with("tip:") {
            parts.push(format!("({line})"));
            continue;
        }
        parts.push(line.strip_prefix("error: ").unwrap_or(line).to_string());
    }
    let mut message = parts.join(" ");
    if let Some(colon) = message.strip_suffix(':') {
        message = colon.to_string();
    }
    // Our own value checks already end with the fix; the rest get a pointer
    // to the help of the command concerned.
    if error.kind() != clap::error::ErrorKind::ValueValidation {
        let _ = write!(message, "; see `{command} --help`");
    }
    message
}

/// The error as one line: each cause in the chain is added unless an outer
/// message already quotes it (most of ours embed their cause, so that the
/// fix can come last).
pub fn one_line(error: &anyhow::Error) -> String {
    let mut line = error.to_string();
    for cause in error.chain().skip(1) {
        let text = cause.to_string();
        if !line.contains(&text) {
            line.push_str(": ");
            line.push_str(&text);
        }
    }
    line.replace('\n', " ")
}

pub fn code_for(error: &anyhow::Error) -> u8 {
    for cause in error.chain() {
        if cause.is::<Interrupted>() {
            return INTERRUPTED;
        }
        if cause.is::<ClosedPipe>() {
            return 0;
        }
        if cause.is::<Usage>() || cause.is::<SettingsError>() {
            return USAGE;
        }
        if cause.is::<AudioError>() || cause.is::<BadInput>() || cause.is::<PromptError>() {
            return BAD_INPUT;
        }
        if cause.is::<crate::play::PlayError>() {
            return MICROPHONE;
        }
        if let Some(err) = cause.downcast_ref::<CaptureError>() {
            return match err {
                CaptureError::WriteWav { .. } => STORAGE,
                CaptureError::NotWav { .. } | CaptureError::RepairWav { .. } => BAD_INPUT,
                _ => MICROPHONE,
            };
        }
        if let Some(err) = cause.downcast_ref::<StoreError>() {
            return match err {
                StoreError::NotFound { .. }
                | StoreError::Ambiguous { .. }
                | StoreError::Empty { .. }
                | StoreError::Incomplete { .. }
                | StoreError::Corrupt { .. } => BAD_INPUT,
                _ => STORAGE,
            };
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
                TranscribeError::Cancelled => INTERRUPTED,
            };
        }
    }
    FAILURE
}

fn model_code(error: &ModelError) -> u8 {
    match error {
        ModelError::Unknown { .. } => USAGE,
        ModelError::Download { .. } | ModelError::Pip { .. } => DOWNLOAD,
        ModelError::Write { .. } => STORAGE,
        _ => MODEL,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn causes_already_quoted_are_not_repeated() {
        let io = std::io::Error::other("disk on fire");
        let quoted = anyhow::Error::new(AudioError::Open {
            path: "a.wav".into(),
            source: io,
        });
        let line = one_line(&quoted);
        assert_eq!(line.matches("disk on fire").count(), 1, "{line}");
        assert!(line.ends_with("check the path and permissions"), "{line}");
        let wrapped = anyhow::anyhow!("inner cause").context("outer step");
        assert_eq!(one_line(&wrapped), "outer step: inner cause");
        assert_eq!(code_for(&quoted), BAD_INPUT);
        assert_eq!(code_for(&wrapped), FAILURE);
    }

    #[test]
    fn usage_errors_are_one_line_ending_with_the_fix() {
        use clap::Parser;
        let line = |args: &[&str]| {
            let error = crate::cli::Cli::try_parse_from(args).unwrap_err();
            usage_line(&error)
        };
        let missing = line(&["rehearse", "analyse"]);
        for named in ["<FILE", "--transcript", "--session"] {
            assert!(missing.contains(named), "{missing}");
        }
        assert!(
            missing.ends_with("see `rehearse analyse --help`"),
            "{missing}"
        );
        let unknown = line(&["rehearse", "model", "fetch", "huge.en"]);
        let names: Vec<String> = crate::model::manifest::entries()
            .into_iter()
            .map(|entry| entry.name)
            .collect();
        assert!(
            unknown.ends_with(&format!("choose one of {}", names.join(", "))),
            "{unknown}"
        );
        for text in [missing, unknown] {
            assert!(!text.contains('\n') && !text.starts_with("error"), "{text}");
        }
    }

    #[test]
    fn a_closed_pipe_is_a_quiet_success() {
        let error = anyhow::Error::new(ClosedPipe).context("printing the report");
        assert!(is_closed_pipe(&error));
        assert_eq!(code_for(&error), 0);
        assert_eq!(code_for(&Usage("x".into()).into()), USAGE);
    }
}
