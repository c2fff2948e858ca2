//! Managing takes from the command line (issue 11 §3): `sessions --limit`,
//! take numbers written `#N`, `delete` (refusing to delete unasked without a
//! terminal, resolving every id before deleting any) and `play` (through the
//! system's player, or one clear line saying which to install).

use std::fs;
use std::path::Path;

use crate::common::Rehearse;
use crate::review_support::{self, save, three_takes};
use rehearse::store::Store;

/// A data dir with the three hand-made takes; returns their ids, oldest first.
fn three_saved_takes(data: &Path) -> Vec<String> {
    let store = Store::open(data).unwrap();
    three_takes()
        .iter()
        .map(|take| save(&store, take))
        .collect()
}

fn ids_on_disk(data: &Path) -> Vec<String> {
    crate::common::names_in(&data.join("sessions"))
}

#[test]
fn sessions_lists_the_newest_first_up_to_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let ids = three_saved_takes(dir.path());
    let two = Rehearse::new(dir.path()).run(["sessions", "--limit", "2"]);
    two.assert_ok();
    let rows: Vec<&str> = two.stdout.lines().skip(1).collect();
    assert!(
        rows[0].starts_with("3 ") && rows[1].starts_with("2 "),
        "{two:#?}"
    );
    assert_eq!(
        rows[2], "(the newest 2 of 3 takes; `--limit 0` lists all)",
        "{two:#?}"
    );
    let all = Rehearse::new(dir.path()).run(["sessions", "--limit", "0"]);
    all.assert_ok();
    assert_eq!(all.stdout.lines().count(), 4, "{all:#?}");
    let json = Rehearse::new(dir.path()).run(["sessions", "--json", "--limit", "1"]);
    json.assert_ok();
    let rows: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 1);
    assert_eq!(rows[0]["number"], 3);
    assert_eq!(rows[0]["id"], ids[2].as_str());
    // `#N` names a take wherever an id does.
    let show = Rehearse::new(dir.path()).run(["show", "#1"]);
    show.assert_ok();
    assert!(show.stdout.contains(&ids[0]), "{show:#?}");
}

#[test]
fn delete_asks_resolves_every_id_first_and_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let ids = three_saved_takes(data);

    // Not a terminal and no --yes: nothing is deleted.
    let unasked = Rehearse::new(data).run(["delete", "2"]);
    unasked.assert_fails(rehearse::exit::USAGE.into(), "add --yes");
    assert_eq!(ids_on_disk(data), ids);

    // One id that does not resolve: nothing is deleted.
    let unknown = Rehearse::new(data).run(["delete", "#2", "nope", "--yes"]);
    unknown.assert_fails(rehearse::exit::BAD_INPUT.into(), "rehearse sessions");
    assert_eq!(ids_on_disk(data), ids);

    // Takes 2 and 3 as listed before either goes (once 2 is gone, the old 3
    // would be 2), each named once however often it is given.
    let deleted = Rehearse::new(data).run(["delete", "#2", "3", "last", "--yes"]);
    deleted.assert_ok();
    let lines: Vec<&str> = deleted.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{deleted:#?}");
    assert!(lines[0].starts_with("deleted #2 "), "{deleted:#?}");
    assert!(lines[1].starts_with("deleted #3 "), "{deleted:#?}");
    assert_eq!(ids_on_disk(data), [ids[0].clone()]);
    let listing = Rehearse::new(data).run(["sessions"]);
    listing.assert_ok();
    assert_eq!(listing.stdout.lines().count(), 2, "{listing:#?}");
}

#[test]
fn play_uses_the_systems_player_or_says_which_to_install() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    three_saved_takes(&data);
    let take_audio = Store::open(&data).unwrap().load("1").unwrap().audio_path();

    // A stand-in `paplay` that notes what it was asked to play.
    let bin = dir.path().join("bin");
    fs::create_dir_all(&bin).unwrap();
    let played = dir.path().join("played.txt");
    let player = bin.join("paplay");
    fs::write(&player, "#!/bin/sh\necho \"$@\" > \"$PLAYED\"\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&player, fs::Permissions::from_mode(0o755)).unwrap();
    }
    let run = Rehearse::new(&data)
        .env("PATH", &bin)
        .env("PLAYED", &played)
        .run(["play", "#1"]);
    run.assert_ok();
    assert!(run.stderr.starts_with("playing #1 "), "{run:#?}");
    assert_eq!(
        fs::read_to_string(&played).unwrap().trim(),
        take_audio.display().to_string()
    );

    let none = Rehearse::new(&data)
        .env("PATH", dir.path().join("empty"))
        .run(["play"]);
    assert_eq!(
        none.code,
        Some(rehearse::exit::MICROPHONE.into()),
        "{none:#?}"
    );
    let last_line = none.stderr.lines().last().unwrap_or_default();
    assert!(
        last_line.starts_with("error: no audio player found")
            && last_line.contains("apt-get install"),
        "{none:#?}"
    );
}

/// A false start: three words, about a second of speech, for a principle no
/// other take covers.
fn false_start() -> review_support::Take<'static> {
    review_support::Take {
        prompt: Some((
            "frugality-1",
            "Tell me about a time you did more with less.",
            "Frugality",
        )),
        created_unix_s: 1_795_500_000,
        word_s: 0.4,
        sentences: vec![(
            rehearse::analyse::Label::Situation,
            "So, testing this.",
            0.0,
        )],
    }
}

/// Issue 11 §3: a take with under 5 s of speech is marked, kept out of
/// progress and stories, and never `last` for `report`.
#[test]
fn a_take_with_no_answer_is_marked_and_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let ids = three_saved_takes(data);
    let store = Store::open(data).unwrap();
    let junk = save(&store, &false_start());
    assert!(store.load(&junk).unwrap().is_no_answer());

    let listing = Rehearse::new(data).run(["sessions"]);
    listing.assert_ok();
    let newest = listing.stdout.lines().nth(1).unwrap();
    assert!(
        newest.starts_with("4 ") && newest.contains("no answer"),
        "{listing:#?}"
    );
    assert_eq!(listing.stdout.matches("no answer").count(), 1);
    let json = Rehearse::new(data).run(["sessions", "--json"]);
    let rows: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let flags: Vec<(u64, bool)> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            (
                row["number"].as_u64().unwrap(),
                row["no_answer"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(flags, [(4, true), (3, false), (2, false), (1, false)]);

    let progress = Rehearse::new(data).run(["progress"]);
    progress.assert_ok();
    assert!(
        progress.stdout.contains("Progress (3 takes)"),
        "{progress:#?}"
    );
    let stories = Rehearse::new(data).run(["stories"]);
    stories.assert_ok();
    let with_junk_left_out = rehearse::report::render_stories(&store.list().sessions[..3], false);
    assert_eq!(stories.stdout, with_junk_left_out);
    assert_ne!(
        rehearse::report::render_stories(&store.list().sessions, false),
        with_junk_left_out,
        "the false start would count for Frugality"
    );

    let page = dir.path().join("last.html");
    Rehearse::new(data)
        .run([
            Path::new("report"),
            Path::new("last"),
            Path::new("-o"),
            &page,
        ])
        .assert_ok();
    let html = fs::read_to_string(&page).unwrap();
    let newest_answer = store.load(&ids[2]).unwrap().session.prompt.unwrap().text;
    assert!(
        html.contains(&rehearse::report::html::escape(&newest_answer)),
        "report last is the newest answer, not the false start"
    );
    assert!(!html.contains("more with less"));

    // Only false starts: `report last` says so, and how to go on.
    let alone = tempfile::tempdir().unwrap();
    save(&Store::open(alone.path()).unwrap(), &false_start());
    Rehearse::new(alone.path())
        .run(["report", "last"])
        .assert_fails(rehearse::exit::BAD_INPUT.into(), "rehearse report N");
}

/// `delete` in a real terminal (tmux): it lists what it would delete and
/// asks; `n` keeps the take, `y` deletes it.
#[test]
fn delete_asks_on_a_terminal() {
    use crate::practice_terminal::Tmux;
    use std::time::Duration;

    let _heavy = crate::common::heavy(); // tmux
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let ids = three_saved_takes(data);
    let answer = |key: &str, tag: &str| {
        let tmux = Tmux {
            socket: format!("rehearse-delete-{tag}-{}", std::process::id()),
        };
        tmux.start(
            &[
                "env".to_string(),
                format!("HOME={}", data.join("home").display()),
                format!("REHEARSE_DATA_DIR={}", data.display()),
                "NO_COLOR=1".to_string(),
                env!("CARGO_BIN_EXE_rehearse").to_string(),
                "delete".to_string(),
                "#2".to_string(),
            ],
            100,
            20,
        );
        let asked = tmux.wait_for("for good? [y/N]", Duration::from_secs(20));
        assert!(
            asked.contains("  #2 2026-11-19 12:06 dive-deep-1 (")
                && asked.contains("Delete 1 take for good? [y/N]"),
            "{asked}"
        );
        tmux.run(&["send-keys", "-t", "practice", key, "Enter"]);
        tmux.wait_for("EXITED 0", Duration::from_secs(20))
    };
    let kept = answer("n", "no");
    assert!(kept.contains("nothing deleted"), "{kept}");
    assert_eq!(ids_on_disk(data), ids);
    let gone = answer("y", "yes");
    assert!(
        gone.contains("deleted #2 2026-11-19 12:06 dive-deep-1"),
        "{gone}"
    );
    assert_eq!(ids_on_disk(data), [ids[0].clone(), ids[2].clone()]);
}
