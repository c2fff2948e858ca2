//! `rehearse interview` as a user runs it: in a real terminal (tmux), the
//! answers played into a virtual PulseAudio microphone, the real model. Two
//! questions with one follow-up each: the first follow-up answered aloud, the
//! second skipped. Then the takes and their links, the summary in the
//! terminal, and the summary page in headless Chromium.

use std::path::Path;
use std::process::{Child, Command};
use std::time::Duration;

use crate::common::{self, corpus_wav, fixture, model_path};
use crate::fake_mic::{PulseServer, TempDir};
use crate::practice_terminal::Tmux;
use crate::review_support::browser::browser_check;

/// Plays `wav` into the virtual microphone.
fn play(server: &PulseServer, wav: &Path) -> Child {
    Command::new("paplay")
        .arg("--device=fakesink")
        .arg(wav)
        .envs(server.env())
        .spawn()
        .expect("run paplay")
}

/// Presses Enter to start, plays `wav`, and presses Enter once it has played.
fn answer(tmux: &Tmux, server: &PulseServer, wav: &Path) {
    tmux.run(&["send-keys", "-t", "practice", "Enter"]);
    tmux.wait_for("Enter stops", Duration::from_secs(20));
    let status = play(server, wav).wait().expect("paplay ends");
    assert!(status.success(), "paplay failed");
    std::thread::sleep(Duration::from_millis(1500));
    tmux.run(&["send-keys", "-t", "practice", "Enter"]);
}

/// The command line that runs `rehearse interview` with `args` against the
/// virtual microphone, the real model and a data dir of its own.
fn interview_command(server: &PulseServer, home: &Path, data: &Path, args: &[&str]) -> Vec<String> {
    let mut command = vec!["env".to_string()];
    command.extend(
        server
            .env()
            .into_iter()
            .chain([
                ("HOME".into(), home.join("home").display().to_string()),
                ("REHEARSE_DATA_DIR".into(), data.display().to_string()),
                ("REHEARSE_MODEL".into(), model_path().display().to_string()),
                ("NO_COLOR".into(), "1".into()),
            ])
            .map(|(key, value)| format!("{key}={value}")),
    );
    command.push(env!("CARGO_BIN_EXE_rehearse").to_string());
    command.push("interview".to_string());
    command.extend(args.iter().map(ToString::to_string));
    command
}

/// Types `s` then Enter on the last follow-up and waits for the loop to end:
/// it says "skipped" and its summary starts with `headline`.
fn skip_to_the_summary(tmux: &Tmux, headline: &str) -> String {
    tmux.run(&["send-keys", "-t", "practice", "s", "Enter"]);
    let screen = tmux.wait_for_count("EXITED", 1, Duration::from_mins(2));
    println!("{screen}");
    assert!(screen.contains("EXITED 0"), "{screen}");
    assert!(
        screen.contains(&format!("Mock interview: {headline}")),
        "{screen}"
    );
    assert!(screen.contains("skipped"), "{screen}");
    screen
}

#[test]
fn a_two_question_loop_with_a_follow_up_answered_and_one_skipped() {
    let _heavy = common::heavy();
    let first_answer = corpus_wav("24-certificate-expiry");
    let dir = TempDir::new("interview-tmux");
    let data = dir.path().join("data");
    let page = dir.path().join("loop.html");
    let server = PulseServer::start(dir.path());
    let command = interview_command(
        &server,
        dir.path(),
        &data,
        &[
            "--questions",
            "2",
            "--follow-ups",
            "1",
            "--output",
            &page.display().to_string(),
        ],
    );
    let tmux = Tmux {
        socket: format!("rehearse-interview-{}", std::process::id()),
    };
    tmux.start(&command, 100, 50);

    // Question 1, then its follow-up answered aloud. Keys count only once
    // the prompt to press them is shown.
    const START: &str = "Press Enter to start recording,";
    const START_OR_SKIP: &str = "Press Enter to start recording (s then Enter skips)";
    let screen = tmux.wait_for(START, Duration::from_mins(1));
    assert!(screen.contains("Question 1 of 2"), "{screen}");
    answer(&tmux, &server, &first_answer);
    tmux.wait_for_count(START_OR_SKIP, 1, Duration::from_mins(3));
    answer(&tmux, &server, &fixture("jfk.wav"));
    // Question 2, its follow-up skipped.
    tmux.wait_for_count(START, 2, Duration::from_mins(3));
    answer(&tmux, &server, &fixture("jfk.wav"));
    tmux.wait_for_count(START_OR_SKIP, 2, Duration::from_mins(3));
    let screen = skip_to_the_summary(&tmux, "2 questions, 3 takes");
    assert!(screen.contains("Principles covered:"), "{screen}");

    // The takes and their links.
    let run = common::Rehearse::new(&data).run(["sessions", "--json"]);
    run.assert_ok();
    let mut rows: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).unwrap();
    rows.reverse(); // oldest first, as they were recorded
    assert_eq!(rows.len(), 3, "{rows:?}");
    let loop_id = rows[0]["interview"].as_str().expect("an interview id");
    assert!(loop_id.starts_with("interview-"), "{loop_id}");
    assert!(
        rows.iter().all(|row| row["interview"] == loop_id),
        "{rows:?}"
    );
    assert_eq!(rows[0]["follow_up_of"], serde_json::Value::Null);
    assert_eq!(rows[1]["follow_up_of"], rows[0]["id"], "{rows:?}");
    assert_eq!(rows[2]["follow_up_of"], serde_json::Value::Null);
    assert_eq!(
        rows.iter()
            .map(|r| r["number"].as_u64().unwrap())
            .collect::<Vec<_>>(),
        [1, 2, 3]
    );
    // Each take's summary line shows its number and what was said is in it.
    for row in &rows {
        assert!(
            screen.contains(&format!("#{} ", row["number"])),
            "take {} missing from the summary:\n{screen}",
            row["number"]
        );
    }
    let store = rehearse::store::Store::open(&data).unwrap();
    let follow_up = store.load(rows[1]["id"].as_str().unwrap()).unwrap();
    let words = follow_up.transcript.unwrap().text.to_lowercase();
    assert!(words.contains("ask not what your country"), "{words}");
    // A follow-up answer is judged against the follow-up window, not the prompt's.
    let window = &follow_up.analysis.unwrap().window;
    assert_eq!(
        (window.min_s, window.max_s),
        rehearse::analyse::FOLLOW_UP_WINDOW_S
    );

    // The page: every take's section linked and its audio playable, the
    // skipped follow-up shown as skipped, no console errors, nothing fetched.
    let findings = browser_check(
        &page,
        dir.path(),
        serde_json::json!({"kind": "interview", "questions": 2, "players": 3, "skipped": 1}),
        "interview",
    );
    assert_eq!(findings["consoleErrors"].as_array().map(Vec::len), Some(0));
}

/// With a countdown the recording starts by itself, often before the user
/// has typed `s`: a skip typed before any speech still skips the follow-up,
/// and leaves no take behind.
#[test]
fn a_follow_up_skipped_after_its_countdown_keeps_nothing() {
    let _heavy = common::heavy();
    let dir = TempDir::new("interview-countdown-skip");
    let data = dir.path().join("data");
    let server = PulseServer::start(dir.path());
    let command = interview_command(
        &server,
        dir.path(),
        &data,
        &[
            "--questions",
            "1",
            "--follow-ups",
            "1",
            "--countdown",
            "1",
            "--silence-seconds",
            "2",
        ],
    );
    let tmux = Tmux {
        socket: format!("rehearse-interview-skip-{}", std::process::id()),
    };
    tmux.start(&command, 100, 50);
    const RECORDING: &str = "recording: answer now.";
    tmux.wait_for_count(RECORDING, 1, Duration::from_mins(1));
    let status = play(&server, &fixture("jfk.wav"))
        .wait()
        .expect("paplay ends");
    assert!(status.success(), "paplay failed");
    let screen = tmux.wait_for("Follow-up 1 of 1", Duration::from_mins(2));
    assert!(
        screen.contains("(s then Enter skips this one, until you start speaking)"),
        "{screen}"
    );
    // The countdown is over and the follow-up is recording: skip it now.
    tmux.wait_for_count(RECORDING, 2, Duration::from_mins(1));
    let screen = skip_to_the_summary(&tmux, "1 question, 1 take");
    assert!(!screen.contains("Follow-up answer:"), "{screen}");
    let sessions: Vec<_> = std::fs::read_dir(data.join("sessions"))
        .expect("the sessions folder")
        .collect();
    assert_eq!(
        sessions.len(),
        1,
        "the skipped follow-up left a folder behind"
    );
}
