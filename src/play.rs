//! Plays a take through the system's audio player: the first of
//! [`PLAYERS`] that can be started. Like `speak`, the one module that runs
//! an outside program for sound output.

use std::io::ErrorKind;
use std::path::Path;
use std::process::{Command, Stdio};

/// Tried in order; each with the arguments that make it play one file and
/// exit.
const PLAYERS: &[(&str, &[&str])] = if cfg!(target_os = "macos") {
    &[("afplay", &[])]
} else {
    &[
        ("paplay", &[]),
        ("pw-play", &[]),
        ("aplay", &["-q"]),
        ("ffplay", &["-nodisp", "-autoexit", "-loglevel", "error"]),
    ]
};

#[derive(Debug, thiserror::Error)]
pub enum PlayError {
    #[error(
        "no audio player found (tried {tried}); install one, e.g. `sudo apt-get install pulseaudio-utils` (paplay) or `alsa-utils` (aplay), or open the take with `rehearse report`"
    )]
    NotInstalled { tried: String },
    #[error(
        "`{player}` could not play `{path}` ({status}); check the sound output, or open the take with `rehearse report`"
    )]
    Failed {
        player: String,
        path: String,
        status: String,
    },
}

/// Plays `wav` and waits until it has finished. Returns the player used.
pub fn play(wav: &Path) -> Result<&'static str, PlayError> {
    for &(player, args) in PLAYERS {
        let status = Command::new(player)
            .args(args)
            .arg(wav)
            .stdin(Stdio::null())
            .status();
        match status {
            Err(err) if err.kind() == ErrorKind::NotFound => {}
            Err(err) => {
                return Err(PlayError::Failed {
                    player: player.to_string(),
                    path: wav.display().to_string(),
                    status: err.to_string(),
                });
            }
            Ok(status) if status.success() => return Ok(player),
            Ok(status) => {
                return Err(PlayError::Failed {
                    player: player.to_string(),
                    path: wav.display().to_string(),
                    status: status.to_string(),
                });
            }
        }
    }
    Err(PlayError::NotInstalled {
        tried: PLAYERS
            .iter()
            .map(|(player, _)| *player)
            .collect::<Vec<_>>()
            .join(", "),
    })
}
