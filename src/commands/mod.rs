//! Command wiring: each command reads its inputs, runs the stages in order,
//! and prints results on stdout (progress and errors go to stderr).

mod analyse;
mod config;
mod interview;
mod model;
mod pipeline;
mod practice;
mod review;
mod takes;
mod transcribe;

use std::io::{IsTerminal, Write};

use anyhow::Result;

use crate::cli::{Cli, ColorChoice, Command, ModelArgs};
use crate::exit::{ClosedPipe, Usage};
use crate::paths::Paths;
use crate::prompts::{Prompt, PromptBank};
use crate::settings::Settings;
use crate::store::{LoadedSession, PromptRef};
use crate::transcribe::{Decoding, TranscribeOptions};

pub fn run(cli: Cli) -> Result<()> {
    cli.validate()?;
    let _ = COLOR.set(cli.color);
    let paths = Paths::resolve(cli.data_dir.as_deref())?;
    match cli.command {
        Command::Model(command) => model::run(command, &paths),
        Command::Practice(args) => practice::run(args, &paths),
        Command::Interview(args) => interview::run(args, &paths),
        Command::Transcribe(args) => transcribe::run(args, &paths),
        Command::Analyse(args) => analyse::run(args, &paths),
        Command::Prompts { principle } => {
            let filter = match principle {
                Some(given) => crate::prompts::Filter::for_principle(&given)?,
                None => crate::prompts::Filter::all(),
            };
            emit(load_prompt_bank(&paths)?.listing(&filter))
        }
        Command::Devices(args) => practice::devices(&args),
        Command::Sessions(args) => review::sessions(args, &paths),
        Command::Show { id } => review::show(&id, &paths),
        Command::Report { id, output } => review::html(&id, output, &paths),
        Command::Compare { a, b } => {
            different_takes(&a, &b, &paths)?;
            review::compare(&a, &b, &paths)
        }
        Command::Progress { principle, html } => {
            review::progress(principle.as_deref(), html, &paths)
        }
        Command::Stories => review::stories(&paths),
        Command::Play { id } => takes::play(&id, &paths),
        Command::Config(args) => config::run(&args, &paths),
        Command::Delete { ids, yes } => takes::delete(&ids, yes, &paths),
    }
}

/// Writes a result to stdout. When the reader has gone (`rehearse sessions
/// | head -1`) the command stops quietly: [`ClosedPipe`] ends it with exit 0
/// and no message. Use this, not `print!`, which panics on a closed pipe.
pub(crate) fn emit(text: impl std::fmt::Display) -> Result<()> {
    let mut out = std::io::stdout().lock();
    write!(out, "{text}")
        .and_then(|()| out.flush())
        .map_err(|err| match err.kind() {
            std::io::ErrorKind::BrokenPipe => ClosedPipe.into(),
            _ => anyhow::Error::new(err).context("cannot write to stdout"),
        })
}

/// `compare` needs two different takes: `compare last last`, or an id and
/// a prefix of the same take, compare a take with itself.
fn different_takes(a: &str, b: &str, paths: &Paths) -> Result<()> {
    let store = crate::store::Store::open(&paths.data_dir)?;
    let (first, second) = (store.load(a)?, store.load(b)?);
    if first.id() == second.id() {
        return Err(Usage(format!(
            "`{a}` and `{b}` are the same take ({}); compare two different takes, e.g. `rehearse compare ID last` with an ID from `rehearse sessions`",
            first.id()
        ))
        .into());
    }
    Ok(())
}

/// Resolves the model the settings choose, and turns the shared flags into
/// transcription options.
fn transcribe_options(
    args: &ModelArgs,
    settings: &Settings,
    paths: &Paths,
) -> Result<TranscribeOptions> {
    let (given, how) = settings.model_choice();
    let model = crate::model::resolve(given, &how, paths)?;
    Ok(TranscribeOptions {
        model_path: model.path,
        keep_disfluencies: !args.no_disfluencies,
        decoding: if args.greedy {
            Decoding::Greedy
        } else {
            TranscribeOptions::default().decoding
        },
    })
}

/// The built-in prompts plus the user's own from the config dir.
fn load_prompt_bank(paths: &Paths) -> Result<PromptBank> {
    Ok(PromptBank::load(Some(&paths.user_prompts_dir()))?)
}

fn prompt_ref(prompt: &Prompt) -> PromptRef {
    PromptRef {
        id: prompt.id.clone(),
        text: prompt.text.clone(),
        principles: prompt.principles.clone(),
    }
}

/// `--color`, set once from the command line before any output.
static COLOR: std::sync::OnceLock<ColorChoice> = std::sync::OnceLock::new();

/// Colour on stdout: as `--color` says; by default only on a terminal, and
/// never with NO_COLOR set.
fn use_color() -> bool {
    color_on(std::io::stdout().is_terminal())
}

/// Colour on stderr (the live line while recording), by the same rule.
fn use_color_stderr() -> bool {
    color_on(std::io::stderr().is_terminal())
}

/// The width to wrap results to: the terminal's, else the report's own
/// [`PIPE_WIDTH`](crate::report::PIPE_WIDTH). Narrower than 40 columns
/// wrapping would make a column of single words.
fn stdout_width() -> usize {
    terminal_size::terminal_size().map_or(crate::report::PIPE_WIDTH, |(width, _)| {
        usize::from(width.0).max(40)
    })
}

fn color_on(terminal: bool) -> bool {
    match COLOR.get().copied().unwrap_or(ColorChoice::Auto) {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    }
}

/// After a take: says when it retells a story already used for a different
/// principle (interviewers expect a distinct story per question), or that it
/// holds no answer and so is left out of progress and stories.
fn warn_same_story(store: &crate::store::Store, loaded: &LoadedSession) -> Result<()> {
    if loaded.is_no_answer() {
        eprintln!(
            "under {} s of speech: kept, but left out of progress, stories and `report last`; `rehearse delete {}` removes it",
            crate::analyse::MIN_ANSWER_SPEECH_S,
            loaded.id()
        );
        return Ok(());
    }
    let all = answers(store.list().sessions);
    for warning in crate::report::same_story_warnings(loaded, &all) {
        emit(format_args!("{}\n", warning.message()))?;
    }
    Ok(())
}

/// The takes that answer a prompt: what progress and stories are about.
/// Takes with no answer in them and answers to follow-up questions (short
/// by design, and about the story already told) are left out.
fn answers(sessions: Vec<LoadedSession>) -> Vec<LoadedSession> {
    sessions
        .into_iter()
        .filter(|loaded| !loaded.is_no_answer() && !loaded.session.is_follow_up())
        .collect()
}

fn print_report(loaded: &LoadedSession, color: bool) -> Result<()> {
    emit(crate::report::render_show(loaded, color, stdout_width()))
}
