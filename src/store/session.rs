//! What `session.json` holds: where a take came from and how far the
//! pipeline got with it. Plain serde data; the folder name is the id.

use serde::{Deserialize, Serialize};

/// Bumped whenever a field changes meaning or disappears.
pub const SESSION_SCHEMA_VERSION: u32 = 1;

/// File names inside a session folder.
///
/// The take as the analysis uses it: 16 kHz mono 16-bit PCM.
pub const AUDIO_FILE: &str = "answer.wav";
/// The take as it was captured or imported, in the device's or the file's own
/// format (often 48 kHz stereo float, 12 times the size). It is the take
/// until the compact copy is safely on disk, then removed unless kept.
pub const RAW_AUDIO_FILE: &str = "raw.wav";
pub const TRANSCRIPT_FILE: &str = "transcript.json";
pub const ANALYSIS_FILE: &str = "analysis.json";
pub const SESSION_FILE: &str = "session.json";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub schema_version: u32,
    /// The folder name, e.g. `20261122T103501Z-ownership-1`.
    pub id: String,
    /// RFC 3339, UTC, whole seconds.
    pub created_utc: String,
    pub prompt: Option<PromptRef>,
    pub source: Source,
    /// Name of the take inside the folder: [`RAW_AUDIO_FILE`] until the
    /// compact copy is written, then [`AUDIO_FILE`]. Takes stored before
    /// compaction existed have their original audio as `answer.wav`.
    pub audio_file: String,
    /// The captured or imported original, when the user chose to keep it
    /// (`--keep-raw`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw_audio_file: Option<String>,
    pub status: Status,
    /// The interviewer's next question, chosen from the analysis's weakest
    /// finding when the take was analysed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_up: Option<String>,
    /// How the take is linked to others in a mock interview (none for a
    /// `practice` take).
    #[serde(flatten)]
    pub links: TakeLinks,
}

/// A take's place in a mock interview (`rehearse interview`). Both are
/// `None` for a `practice` take and for every take stored before loops
/// existed, which load unchanged.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TakeLinks {
    /// The id of the take whose follow-up question this take answers.
    #[serde(default)]
    pub follow_up_of: Option<String>,
    /// The id of the interview loop the take was recorded in.
    #[serde(default)]
    pub interview: Option<String>,
}

/// The prompt a take answered, copied in so the session still reads well
/// after the prompt bank changes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PromptRef {
    pub id: String,
    pub text: String,
    /// Leadership principles the prompt probes, e.g. `ownership`.
    pub principles: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Source {
    Microphone,
    File { original_name: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum Status {
    Recorded,
    Transcribed,
    Analysed,
    Failed { stage: String, error: String },
}

impl Status {
    pub fn name(&self) -> &'static str {
        match self {
            Status::Recorded => "recorded",
            Status::Transcribed => "transcribed",
            Status::Analysed => "analysed",
            Status::Failed { .. } => "failed",
        }
    }
}

impl Session {
    /// Prompt id, or `adhoc` for an answer without one.
    pub fn prompt_id(&self) -> &str {
        self.prompt
            .as_ref()
            .map_or("adhoc", |prompt| prompt.id.as_str())
    }

    /// Answers a follow-up question rather than a prompt: a short answer,
    /// judged on its own terms and left out of progress and stories.
    pub fn is_follow_up(&self) -> bool {
        self.links.follow_up_of.is_some()
    }

    /// The first principle of the prompt, if any.
    pub fn principle(&self) -> Option<&str> {
        self.prompt
            .as_ref()
            .and_then(|prompt| prompt.principles.first())
            .map(String::as_str)
    }

    /// Creation time as unix seconds; 0 if `created_utc` does not parse
    /// (sorting such a session first is better than refusing to list it).
    pub fn created_unix_s(&self) -> i64 {
        self.created_utc
            .parse::<jiff::Timestamp>()
            .map_or(0, jiff::Timestamp::as_second)
    }
}
