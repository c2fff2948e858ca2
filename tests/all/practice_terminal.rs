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

    /// The whole pane, including what scrolled off.
    pub(crate) fn history(&self) -> String {
        self.run(&["capture-pane", "-p", "-S", "-", "-t", "practice"])
    }

    /// Waits until `needle` has been shown `times` times, counting what
    /// scrolled off; returns the whole pane.
    pub(crate) fn wait_for_count(&self, needle: &str, times: usize, limit: Duration) -> String {
        let deadline = Instant::now() + limit;
        loop {
            let screen = self.history();
            if screen.matches(needle).count() >= times {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "`{needle}` not shown {times} times within {limit:?}:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
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

/// `env` arguments that point `rehearse` at the virtual microphone, its own
/// data dir and the real model, with no colour.
fn practice_env(dir: &TempDir, server: &PulseServer) -> Vec<String> {
    server
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
        .collect()
}

/// Plays `wav` into the virtual microphone and waits for it to end.
fn play_answer(server: &PulseServer, wav: &std::path::Path) {
    let status = Command::new("paplay")
        .arg("--device=fakesink")
        .arg(wav)
        .envs(server.env())
        .status()
        .expect("run paplay");
    assert!(status.success());
}

#[test]
fn the_terminal_shows_the_prompt_a_running_timer_and_enter_stops_the_take() {
    let _heavy = common::heavy();
    let dir = TempDir::new("practice-tmux");
    let server = PulseServer::start(dir.path());
    let env = practice_env(&dir, &server);
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
    // Right after the take: any key but d and r keeps it, with no Enter.
    tmux.wait_for("any other key keeps it", Duration::from_mins(2));
    tmux.run(&["send-keys", "-t", "practice", "k"]);
    let screen = tmux.wait_for("EXITED", Duration::from_mins(1));
    assert!(screen.contains("EXITED 0"), "{screen}");
    assert!(screen.contains("stopped by you"), "{screen}");
    assert!(screen.contains("Follow-up:"), "{screen}");
    // The key is answered: the user sees the take was kept.
    assert!(screen.contains("kept as session"), "{screen}");
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

/// Right after a take one key, no Enter: `r` keeps it and asks the same
/// question again, `d` deletes the take just made.
#[test]
fn one_key_records_the_question_again_or_discards_the_take() {
    let _heavy = common::heavy();
    let dir = TempDir::new("practice-again");
    let server = PulseServer::start(dir.path());
    let mut command = vec!["env".to_string()];
    command.extend(practice_env(&dir, &server));
    command.extend(
        [
            env!("CARGO_BIN_EXE_rehearse"),
            "practice",
            "--prompt",
            "screen-tight-deadline",
        ]
        .map(str::to_string),
    );
    let tmux = Tmux {
        socket: format!("rehearse-again-{}", std::process::id()),
    };
    tmux.start(&command, 100, 200);
    for (round, key) in ["r", "d"].into_iter().enumerate() {
        tmux.wait_for_count("Press Enter to start", round + 1, Duration::from_mins(1));
        tmux.run(&["send-keys", "-t", "practice", "Enter"]);
        tmux.wait_for("Enter stops", Duration::from_secs(20));
        play_answer(&server, &fixture("jfk.wav"));
        std::thread::sleep(Duration::from_millis(1500));
        tmux.run(&["send-keys", "-t", "practice", "Enter"]);
        tmux.wait_for_count("any other key keeps it", round + 1, Duration::from_mins(2));
        tmux.run(&["send-keys", "-t", "practice", key]);
    }
    let screen = tmux.wait_for("EXITED", Duration::from_mins(1));
    assert!(
        screen.contains("discarded: the take is deleted"),
        "{screen}"
    );
    assert!(screen.contains("EXITED 0"), "{screen}");
    // The first take is kept, the second is gone, and no key reached a line.
    let store = rehearse::store::Store::open(dir.path().join("data")).unwrap();
    let takes = store.list().sessions;
    assert_eq!(
        takes.len(),
        1,
        "{:?}",
        takes.iter().map(|t| t.id().to_string()).collect::<Vec<_>>()
    );
    let words = takes[0].transcript.as_ref().unwrap().text.to_lowercase();
    assert!(words.contains("ask not what your country"), "{words}");
    println!("{screen}");
}

/// Quotes arguments for the shell tmux runs the command in.
fn shell_words(words: &[String]) -> String {
    words
        .iter()
        .map(|word| format!("'{}'", word.replace('\'', r"'\''")))
        .collect::<Vec<_>>()
        .join(" ")
}
