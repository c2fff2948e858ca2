//! Command wiring: each command reads its inputs, runs the stages in order,
//! and prints results on stdout (progress and errors go to stderr).

mod model;
mod transcribe;

use anyhow::Result;

use crate::cli::{Cli, Command, ModelArgs};
use crate::paths::Paths;
use crate::transcribe::{Decoding, TranscribeOptions};

pub fn run(cli: Cli) -> Result<()> {
    let paths = Paths::resolve(cli.data_dir.as_deref())?;
    match cli.command {
        Command::Model(command) => model::run(command, &paths),
        Command::Transcribe(args) => transcribe::run(args, &paths),
    }
}

/// Resolves the model and turns the shared flags into transcription options.
fn transcribe_options(args: &ModelArgs, paths: &Paths) -> Result<TranscribeOptions> {
    let model = crate::model::resolve(args.model.as_deref(), paths)?;
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
