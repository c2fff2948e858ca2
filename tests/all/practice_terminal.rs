//! `rehearse practice` in a real terminal (tmux): the prompt shows, Enter
//! starts the take, the live line's timer advances, Enter stops it, and the
//! report follows.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::common::{self, fixture, model_path};
use crate::fake_mic::{PulseServer, TempDir};

/// A private tmux server with one session, `practice`, whose screen tests read.
pub(crate) struct Tmux {
    pub(crate) socket: String,
}

impl Tmux {
    pub(crate) fn run(&self, args: &[&str]) -> String {
        let output = Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .expect("run tmux (apt-get install tmux)");
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// Starts `command` in session `practice` on a `columns` × `rows`
    /// terminal. The pane stays open after the program exits, its last line
    /// `EXITED <code>`, so its last screen can be read.
    pub(crate) fn start(&self, command: &[String], columns: u16, rows: u16) {
        let shell_line = format!("{}; echo EXITED $?; sleep 60", shell_words(command));
        self.run(&[
            "new-session",
            "-d",
            "-s",
            "practice",
            "-x",
            &columns.to_string(),
            "-y",
            &rows.to_string(),
            &shell_line,
        ]);
    }

    pub(crate) fn screen(&self) -> String {
        self.run(&["capture-pane", "-p", "-t", "practice"])
    }

    pub(crate) fn wait_for(&self, needle: &str, limit: Duration) -> String {
        let deadline = Instant::now() + limit;
        loop {
            let screen = self.screen();
            if screen.contains(needle) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "no `{needle}` within {limit:?}; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        self.run(&["kill-server"]);
    }
}

/// The elapsed time on the live line, e.g. `● 0:07` -> 7.
fn timer_seconds(screen: &str) -> Option<u64> {
    let line = screen.lines().rev().find(|line| line.contains("● "))?;
    let clock = line.split("● ").nth(1)?.split_whitespace().next()?;
    let (minutes, seconds) = clock.split_once(':')?;
    Some(minutes.parse::<u64>().ok()? * 60 + seconds.parse::<u64>().ok()?)
}

#[test]
fn the_terminal_shows_the_prompt_a_running_timer_and_enter_stops_the_take() {
    let _heavy = common::heavy();
    let dir = TempDir::new("practice-tmux");
    let server = PulseServer::start(dir.path());
    let env: Vec<String> = server
        .env()
        .into_iter()
        .chain([
            (
                "HOME".to_string(),
                dir.path().join("home").display().to_string(),
            ),
            (
                "REHEARSE_DATA_DIR".to_string(),
                dir.path().join("data").display().to_string(),
            ),
            (
                "REHEARSE_MODEL".to_string(),
                model_path().display().to_string(),
            ),
            ("NO_COLOR".to_string(), "1".to_string()),
        ])
        .map(|(key, value)| format!("{key}={value}"))
        .collect();
    let tmux = Tmux {
        socket: format!("rehearse-test-{}", std::process::id()),
    };
    let mut command = vec!["env".to_string()];
    command.extend(env);
    command.extend([
        env!("CARGO_BIN_EXE_rehearse").to_string(),
        "practice".to_string(),
        "--prompt".to_string(),
        "screen-tight-deadline".to_string(),
    ]);
    // The narrowest common terminal: the live line must fit it.
    tmux.start(&command, 80, 120);

    let screen = tmux.wait_for("Press Enter to start", Duration::from_secs(30));
    assert!(
        screen.contains("deadline"),
        "the prompt is shown:\n{screen}"
    );
    tmux.run(&["send-keys", "-t", "practice", "Enter"]);
    let mut player = Command::new("paplay")
        .arg("--device=fakesink")
        .arg(fixture("jfk.wav"))
        .envs(server.env())
        .spawn()
        .expect("run paplay");

    let first = timer_seconds(&tmux.wait_for("● ", Duration::from_secs(10))).unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    let later = loop {
        std::thread::sleep(Duration::from_millis(500));
        let now = timer_seconds(&tmux.screen()).unwrap_or(first);
        if now >= first + 3 || Instant::now() > deadline {
            break now;
        }
    };
    assert!(
        later >= first + 3,
        "the timer went from {first} s to {later} s"
    );
    let screen = tmux.screen();
    let live = screen
        .lines()
        .find(|line| line.contains("● "))
        .unwrap_or_default();
    assert!(
        live.trim_end().ends_with("Enter stops"),
        "the live line is cut or wrapped at 80 columns:\n{screen}"
    );
    std::thread::sleep(Duration::from_secs(8));
    tmux.run(&["send-keys", "-t", "practice", "Enter"]);

    let _ = player.wait();
    let screen = tmux.wait_for("EXITED", Duration::from_mins(2));
    assert!(screen.contains("EXITED 0"), "{screen}");
    assert!(screen.contains("stopped by you"), "{screen}");
    assert!(screen.contains("Follow-up:"), "{screen}");
    let store = rehearse::store::Store::open(dir.path().join("data")).unwrap();
    let words = store
        .load("last")
        .unwrap()
        .transcript
        .unwrap()
        .text
        .to_lowercase();
    assert!(words.contains("ask not what your country"), "{words}");
    println!("timer advanced from {first} s to {later} s; final screen:\n{screen}");
}

/// Quotes arguments for the shell tmux runs the command in.
fn shell_words(words: &[String]) -> String {
    words
        .iter()
        .map(|word| format!("'{}'", word.replace('\'', r"'\''")))
        .collect::<Vec<_>>()
        .join(" ")
}
