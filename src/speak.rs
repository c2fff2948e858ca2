//! Reads a prompt aloud through the most natural system voice installed:
//! on Linux, Festival with an HTS voice (statistical, far closer to a person
//! than Festival's diphone voices or eSpeak's formants) where one is
//! installed, else `espeak-ng` (or `espeak`); `say` on macOS. The `voice`
//! setting (`--voice`, `REHEARSE_TTS` or `voice` in config.toml) names
//! another command to use instead; it may carry arguments (`espeak-ng -s
//! 140`) and gets the text as its last argument.

use std::io::ErrorKind;
use std::process::{Command, Stdio};

/// Tried in order; the first that can be started is used.
const SYNTHESIZERS: &[&str] = if cfg!(target_os = "macos") {
    &["say", "espeak-ng", "espeak"]
} else {
    &["espeak-ng", "espeak", "say"]
};

/// The speech command the user chose, and where they set it (named in
/// messages, so they know what to change).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Voice {
    pub command: String,
    /// `--voice`, `REHEARSE_TTS`, or `` `voice` in `…/config.toml` ``.
    pub set_by: String,
}

#[derive(Debug, thiserror::Error)]
pub enum SpeakError {
    #[error(
        "no speech synthesizer found (tried {tried}); install one with `sudo apt-get install espeak-ng` (macOS has `say` built in), or set `voice` in config.toml (or REHEARSE_TTS) to a command that speaks its last argument"
    )]
    NotInstalled { tried: String },
    #[error(
        "cannot run `{command}` named by {set_by}: {cause}; install it, or fix the name in {set_by}"
    )]
    VoiceUnavailable {
        command: String,
        set_by: String,
        cause: std::io::Error,
    },
    #[error("cannot start `{command}`: {cause}; check that it is installed and executable")]
    Spawn {
        command: String,
        cause: std::io::Error,
    },
    #[error(
        "`{command}` failed ({status}){detail}; run `{command} hello` in a terminal to see what is wrong"
    )]
    Failed {
        command: String,
        status: String,
        detail: String,
    },
}

/// Speaks `text` with `voice`, or without one in the most natural voice
/// installed, and waits until it is done. Returns the voice used, e.g.
/// `festival (cmu_us_slt_arctic_hts)`.
pub fn speak(text: &str, voice: Option<&Voice>) -> Result<String, SpeakError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(String::new());
    }
    // A leading dash would be read as an option; a leading space is not, and is not spoken.
    let text = if text.starts_with('-') {
        format!(" {text}")
    } else {
        text.to_string()
    };
    if let Some(voice) = voice.filter(|voice| !voice.command.trim().is_empty()) {
        let line = voice.command.trim();
        let mut words = line.split_whitespace();
        let program = words.next().unwrap_or(line);
        let args: Vec<&str> = words.collect();
        return match run(program, &args, &text, line) {
            Err(Attempt::NotFound(cause)) => Err(SpeakError::VoiceUnavailable {
                command: line.to_string(),
                set_by: voice.set_by.clone(),
                cause,
            }),
            Err(Attempt::Error(error)) => Err(error),
            Ok(()) => Ok(line.to_string()),
        };
    }
    if !cfg!(target_os = "macos")
        && let Some(voice) = festival_hts_voice()
    {
        return run_festival(&voice, &text).map(|()| format!("festival ({voice})"));
    }
    for program in SYNTHESIZERS {
        match run(program, &[], &text, program) {
            Ok(()) => return Ok((*program).to_string()),
            Err(Attempt::NotFound(_)) => {}
            Err(Attempt::Error(error)) => return Err(error),
        }
    }
    Err(SpeakError::NotInstalled {
        tried: SYNTHESIZERS.join(", "),
    })
}

/// Festival's first HTS voice (`cmu_us_slt_arctic_hts`, say), if Festival
/// and such a voice are installed.
fn festival_hts_voice() -> Option<String> {
    let output = Command::new("festival")
        .args(["-b", "(print (voice.list))"])
        .stdin(Stdio::null())
        .output()
        .ok()?;
    hts_voice_in(&String::from_utf8_lossy(&output.stdout))
}

/// The first HTS voice in Festival's printed voice list, `(a_hts b_diphone)`.
fn hts_voice_in(voice_list: &str) -> Option<String> {
    voice_list
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')')
        .find(|name| {
            name.ends_with("_hts") && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
        .map(str::to_string)
}

/// The Scheme Festival reads on stdin to say `text` in `voice`: the text is
/// a Scheme string, so `\` and `"` are escaped.
fn festival_script(voice: &str, text: &str) -> String {
    let quoted = text.replace('\\', "\\\\").replace('"', "\\\"");
    format!("(voice_{voice})\n(SayText \"{quoted}\")\n")
}

/// Says `text` with Festival and waits until it has been played. Festival
/// exits 0 even when its audio player could not open the device, so its
/// stderr is read for that.
fn run_festival(voice: &str, text: &str) -> Result<(), SpeakError> {
    use std::io::Write;

    let shown = format!("festival (voice {voice})");
    let spawned = Command::new("festival")
        .arg("--pipe")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = spawned.map_err(|cause| SpeakError::Spawn {
        command: shown.clone(),
        cause,
    })?;
    if let Some(mut stdin) = child.stdin.take() {
        // A Festival that exits early closes its stdin; its status says why.
        let _ = stdin.write_all(festival_script(voice, text).as_bytes());
    }
    let output = child
        .wait_with_output()
        .map_err(|cause| SpeakError::Spawn {
            command: shown.clone(),
            cause,
        })?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    let audio_failed = stderr
        .lines()
        .rfind(|line| line.contains("audio open error"));
    match (output.status.success(), audio_failed) {
        (true, None) => Ok(()),
        (success, line) => Err(SpeakError::Failed {
            command: "festival".to_string(),
            status: if success {
                "no sound output".to_string()
            } else {
                output.status.to_string()
            },
            detail: line
                .or_else(|| stderr.lines().rfind(|l| !l.trim().is_empty()))
                .map_or(String::new(), |l| format!(": {}", l.trim())),
        }),
    }
}

enum Attempt {
    /// The program does not exist: try the next one.
    NotFound(std::io::Error),
    Error(SpeakError),
}

/// Runs `program args... text` and waits; `shown` is how errors name the command.
fn run(program: &str, args: &[&str], text: &str, shown: &str) -> Result<(), Attempt> {
    // Output is captured: espeak-ng prints audio-backend noise on stderr even when it works.
    let output = Command::new(program)
        .args(args)
        .arg(text)
        .stdin(Stdio::null())
        .output()
        .map_err(|cause| match cause.kind() {
            ErrorKind::NotFound => Attempt::NotFound(cause),
            _ => Attempt::Error(SpeakError::Spawn {
                command: shown.to_string(),
                cause,
            }),
        })?;
    if output.status.success() {
        return Ok(());
    }
    let status = match output.status.code() {
        Some(code) => format!("exit code {code}"),
        None => "killed by a signal".to_string(),
    };
    let stderr = String::from_utf8_lossy(&output.stderr);
    let detail = stderr
        .lines()
        .map(str::trim)
        .rfind(|line| !line.is_empty())
        .map_or(String::new(), |line| format!(": {line}"));
    Err(Attempt::Error(SpeakError::Failed {
        command: shown.to_string(),
        status,
        detail,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn voice(command: &str) -> Voice {
        Voice {
            command: command.to_string(),
            set_by: "REHEARSE_TTS".to_string(),
        }
    }

    #[test]
    fn chosen_voice_that_succeeds() {
        speak("Tell me about a time you failed.", Some(&voice("true")))
            .unwrap_or_else(|e| panic!("{e}"));
        // Arguments in the command are passed before the text.
        speak("-starts with a dash", Some(&voice("  sh -c true  ")))
            .unwrap_or_else(|e| panic!("{e}"));
    }

    #[test]
    fn chosen_voice_that_does_not_exist_names_where_it_was_set() {
        let chosen = Voice {
            command: "rehearse-no-such-tts-command --fast".to_string(),
            set_by: "`voice` in `config.toml`".to_string(),
        };
        let error = speak("hello", Some(&chosen)).unwrap_err();
        let message = error.to_string();
        println!("{message}");
        assert!(matches!(error, SpeakError::VoiceUnavailable { .. }));
        assert!(message.starts_with(
            "cannot run `rehearse-no-such-tts-command --fast` named by `voice` in `config.toml`:"
        ));
        assert!(message.ends_with("install it, or fix the name in `voice` in `config.toml`"));
    }

    #[cfg(unix)]
    #[test]
    fn chosen_voice_that_fails_reports_stderr() {
        let dir = std::env::temp_dir().join(format!("rehearse-speak-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let script = dir.join("fake-tts.sh");
        // Run through `sh` so a noexec temp dir does not matter.
        std::fs::write(
            &script,
            "echo noise >&2\necho \"no voice: $1\" >&2\nexit 3\n",
        )
        .unwrap();
        let command = format!("sh {}", script.display());
        let result = speak("hello there", Some(&voice(&command)));
        let _ = std::fs::remove_dir_all(&dir);
        let message = result.unwrap_err().to_string();
        println!("{message}");
        assert_eq!(
            message,
            format!(
                "`{command}` failed (exit code 3): no voice: hello there; run `{command} hello` in a terminal to see what is wrong"
            )
        );

        let error = speak("hello", Some(&voice("false")))
            .unwrap_err()
            .to_string();
        assert_eq!(
            error,
            "`false` failed (exit code 1); run `false hello` in a terminal to see what is wrong"
        );
    }

    /// Needs a real synthesizer; run with `cargo test speak -- --ignored`.
    #[test]
    #[ignore = "needs espeak-ng, espeak or say installed"]
    fn speaks_with_system_synthesizer() {
        speak("Tell me about a time you failed.", None).unwrap_or_else(|e| panic!("{e}"));
    }

    #[test]
    fn festival_is_used_with_an_hts_voice_only() {
        assert_eq!(
            hts_voice_in("(cmu_us_slt_arctic_hts ked_diphone kal_diphone)\n").as_deref(),
            Some("cmu_us_slt_arctic_hts")
        );
        assert_eq!(hts_voice_in("(ked_diphone kal_diphone)"), None);
        assert_eq!(hts_voice_in(""), None);
    }

    #[test]
    fn festival_gets_the_text_as_one_scheme_string() {
        assert_eq!(
            festival_script("cmu_us_slt_arctic_hts", r#"Say "no" \ then (stop)"#),
            "(voice_cmu_us_slt_arctic_hts)\n(SayText \"Say \\\"no\\\" \\\\ then (stop)\")\n"
        );
    }

    #[test]
    fn blank_text_speaks_nothing() {
        // Would fail if it tried to run the missing command.
        speak("   ", Some(&voice("rehearse-no-such-tts-command")))
            .unwrap_or_else(|e| panic!("{e}"));
    }

    #[test]
    fn not_installed_message_says_how_to_install() {
        let message = SpeakError::NotInstalled {
            tried: SYNTHESIZERS.join(", "),
        }
        .to_string();
        assert!(
            message.contains("sudo apt-get install espeak-ng"),
            "{message}"
        );
        assert!(message.contains("espeak-ng, espeak, say") || message.contains("say, espeak-ng"));
    }
}
