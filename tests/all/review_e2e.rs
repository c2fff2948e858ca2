//! Review commands on sessions made by the real pipeline (`analyse --save`
//! on audio fixtures, real model): sessions, show, compare, progress,
//! stories, report; a corrupt session folder is reported and skipped; the
//! same story told for a second principle is flagged.

use std::fs;
use std::path::Path;

use crate::common::{self, Rehearse, corpus_wav, fixture};

#[test]
fn review_commands_work_on_real_takes_and_skip_a_corrupt_one() {
    let _heavy = common::heavy();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let save = |file: &Path, prompt: &str| {
        let run = Rehearse::new(data).with_model().run([
            Path::new("analyse"),
            file,
            Path::new("--save"),
            Path::new("--prompt"),
            Path::new(prompt),
        ]);
        run.assert_ok();
        run
    };
    let first = save(&fixture("long_answer.wav"), "ownership-unowned-problem");
    assert!(
        !first.stdout.contains("this story looks like"),
        "{}",
        first.stdout
    );
    // Session ids have one-second resolution; keep the order unambiguous.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    save(
        &corpus_wav("02-flaky-ci-gate"),
        "insist-on-the-highest-standards-raised-team-bar",
    );
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let retold = save(&fixture("long_answer.wav"), "dive-deep-hardest-bug");
    assert!(
        retold.stdout.contains("this story looks like the one in"),
        "the same story for another principle is flagged:\n{}",
        retold.stdout
    );

    // A session folder with broken JSON, and one with no session.json at all.
    let sessions = data.join("sessions");
    let broken = sessions.join("20200101T000000Z-broken");
    fs::create_dir_all(&broken).unwrap();
    fs::write(broken.join("session.json"), "{ not json").unwrap();
    fs::create_dir_all(sessions.join("20200101T000001Z-empty")).unwrap();

    let listing = Rehearse::new(data).run(["sessions"]);
    listing.assert_ok();
    assert_eq!(listing.stderr.matches("skipped").count(), 2, "{listing:#?}");
    for prompt in [
        "ownership-unowned-problem",
        "insist-on-the-highest-standards-raised-team-bar",
        "dive-deep-hardest-bug",
    ] {
        // Long prompt ids are cut to fit 100 columns.
        let shown: String = prompt.chars().take(21).collect();
        assert!(
            listing.stdout.contains(&shown),
            "{prompt} missing:\n{}",
            listing.stdout
        );
    }
    assert!(
        listing
            .stdout
            .lines()
            .all(|line| line.chars().count() <= 100),
        "{}",
        listing.stdout
    );
    let json = Rehearse::new(data).run(["sessions", "--json"]);
    json.assert_ok();
    let rows: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 3);

    let filtered = Rehearse::new(data).run(["sessions", "--principle", "dive deep"]);
    filtered.assert_ok();
    assert!(filtered.stdout.contains("dive-deep-hardest-bug"));
    assert!(!filtered.stdout.contains("insist-on-the-highest"));

    let show = Rehearse::new(data).run(["show", "last"]);
    show.assert_ok();
    assert!(show.stdout.contains("payments service"), "{}", show.stdout);
    assert!(
        !show.stdout.contains('\x1b'),
        "colour off outside a terminal"
    );
    let painted = Rehearse::new(data).run(["show", "last", "--color", "always"]);
    painted.assert_ok();
    assert!(painted.stdout.contains('\x1b'), "--color always paints");
    // The follow-up chosen when the take was analysed is kept with it and shown.
    let last = fs::read_dir(data.join("sessions"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains("dive-deep-hardest-bug"))
        .max()
        .expect("the retold take");
    let session: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(last.join("session.json")).unwrap()).unwrap();
    let question = session["follow_up"].as_str().expect("a saved follow-up");
    assert!(
        retold
            .stdout
            .contains(&format!("Follow-up: {}", first_words(question))),
        "{}",
        retold.stdout
    );
    assert!(
        show.stdout
            .contains(&format!("Follow-up: {}", first_words(question))),
        "{}",
        show.stdout
    );

    let ids: Vec<String> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["id"].as_str().unwrap().to_string())
        .collect();
    let compare = Rehearse::new(data).run(["compare", &ids[0], &ids[1]]);
    compare.assert_ok();
    assert!(compare.stdout.contains(&ids[0]) && compare.stdout.contains(&ids[1]));
    // The take numbers `sessions` shows name the same takes.
    let by_number = Rehearse::new(data).run(["compare", "1", "2"]);
    by_number.assert_ok();
    assert_eq!(by_number.stdout, compare.stdout);

    let progress = Rehearse::new(data).run(["progress"]);
    progress.assert_ok();
    assert!(progress.stdout.lines().count() >= 4, "{}", progress.stdout);

    let stories = Rehearse::new(data).run(["stories"]);
    stories.assert_ok();
    assert!(
        stories.stdout.to_lowercase().contains("frugality"),
        "uncovered principles are listed:\n{}",
        stories.stdout
    );

    let page = data.join("take.html");
    let report = Rehearse::new(data).run([
        Path::new("report"),
        Path::new("last"),
        Path::new("-o"),
        &page,
    ]);
    report.assert_ok();
    let html = fs::read_to_string(&page).unwrap();
    assert!(html.contains("data:audio/wav;base64,"));
    // Every word is its own seekable element.
    assert!(
        html.contains(">payments<") && html.contains("data-start="),
        "words missing"
    );
    assert!(
        html.contains(&format!(
            "<p id=\"follow-up\">{}",
            rehearse::report::html::escape(&first_words(question))
        )),
        "the follow-up is on the page"
    );

    let missing = Rehearse::new(data).run(["show", "nope"]);
    missing.assert_fails(rehearse::exit::BAD_INPUT.into(), "rehearse sessions");
}

/// The first three words of a question, which no wrapping splits across lines.
fn first_words(question: &str) -> String {
    question
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}
