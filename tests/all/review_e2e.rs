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

    // The rows are newest first; take 1 is the oldest.
    let ids: Vec<String> = rows
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .map(|row| row["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(rows[0]["number"], 3);
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

/// `fixture` converted with sox to 48 kHz stereo 32-bit float: what many
/// microphones deliver, 12 times the size of what the analysis uses.
fn as_48k_stereo_float(fixture_wav: &Path, out: &Path) {
    let status = std::process::Command::new("sox")
        .arg("-D")
        .arg(fixture_wav)
        .args(["-r", "48000", "-c", "2", "-b", "32", "-e", "floating-point"])
        .arg(out)
        .status()
        .expect("run sox (`scripts/setup --tests` installs it)");
    assert!(status.success(), "sox failed: {status}");
}

fn wav_spec_and_seconds(path: &Path) -> (hound::WavSpec, f64) {
    let reader = hound::WavReader::open(path).unwrap();
    let spec = reader.spec();
    (
        spec,
        f64::from(reader.duration()) / f64::from(spec.sample_rate),
    )
}

/// Issue 10 §5: a finished take is kept as what the analysis uses (16 kHz
/// mono 16-bit), the original removed after; `--keep-raw` (or
/// REHEARSE_KEEP_RAW) keeps the original too; re-analysing the compact take
/// gives the same words as the original did.
#[test]
fn finished_takes_are_stored_compact_unless_the_raw_is_kept() {
    let _heavy = common::heavy();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let original = dir.path().join("jfk-48k-stereo-float.wav");
    as_48k_stereo_float(&fixture("jfk.wav"), &original);
    let (_, original_s) = wav_spec_and_seconds(&original);
    let store = rehearse::store::Store::open(&data).unwrap();

    let save = |extra: &[&str], env: Option<(&str, &str)>| {
        let mut rehearse = Rehearse::new(&data).with_model();
        if let Some((key, value)) = env {
            rehearse = rehearse.env(key, value);
        }
        let mut args = vec!["analyse", original.to_str().unwrap(), "--save"];
        args.extend_from_slice(extra);
        rehearse.run(args).assert_ok();
        // Session ids have one-second resolution.
        std::thread::sleep(std::time::Duration::from_millis(1100));
        store.load("last").unwrap()
    };

    let compact = save(&[], None);
    assert_eq!(compact.session.audio_file, "answer.wav");
    assert_eq!(compact.session.raw_audio_file, None);
    assert_eq!(
        common::names_in(&compact.dir),
        [
            "analysis.json",
            "answer.wav",
            "session.json",
            "transcript.json"
        ]
    );
    let (spec, seconds) = wav_spec_and_seconds(&compact.audio_path());
    assert_eq!(
        (spec.sample_rate, spec.channels, spec.bits_per_sample),
        (16_000, 1, 16)
    );
    assert_eq!(spec.sample_format, hound::SampleFormat::Int);
    assert!(
        (seconds - original_s).abs() < 0.01,
        "{seconds} vs {original_s}"
    );
    let ratio = fs::metadata(&original).unwrap().len() as f64
        / fs::metadata(compact.audio_path()).unwrap().len() as f64;
    println!(
        "compact take: {seconds:.2} s, {ratio:.1} times smaller than the 48 kHz stereo float original"
    );
    assert!(ratio > 11.0, "{ratio}");

    // The compact take re-analyses to the very same text, punctuation and
    // all: the analysed samples are snapped to the 16-bit grid it is stored
    // on. (Before they were, the stored copy could tip a comma: "And so my" /
    // "And so, my".)
    let words = |loaded: &rehearse::store::LoadedSession| loaded.transcript.clone().unwrap().text;
    Rehearse::new(&data)
        .with_model()
        .run(["analyse", "--session", compact.id()])
        .assert_ok();
    let again = store.load(compact.id()).unwrap();
    assert_eq!(words(&again), words(&compact));
    assert_eq!(again.session.audio_file, "answer.wav");

    for kept in [
        save(&["--keep-raw"], None),
        save(&[], Some(("REHEARSE_KEEP_RAW", "1"))),
    ] {
        assert_eq!(kept.session.audio_file, "answer.wav");
        assert_eq!(kept.session.raw_audio_file.as_deref(), Some("raw.wav"));
        assert_eq!(
            fs::read(kept.dir.join("raw.wav")).unwrap(),
            fs::read(&original).unwrap(),
            "the kept original is the file as given"
        );
        assert_eq!(
            fs::read(kept.audio_path()).unwrap(),
            fs::read(compact.audio_path()).unwrap(),
            "the compact copy does not depend on keeping the original"
        );
    }
    let not_kept = save(&[], Some(("REHEARSE_KEEP_RAW", "0")));
    assert_eq!(not_kept.session.raw_audio_file, None);
    assert!(!not_kept.dir.join("raw.wav").exists());
}

/// Issue 10 §5: a take stored before takes were compacted (its original
/// 48 kHz stereo float audio as `answer.wav`, and a `session.json` without
/// the new field) still lists, re-analyses, and plays in the HTML report;
/// its audio is left as it was.
#[test]
fn a_take_stored_before_compaction_still_loads_plays_and_reanalyses() {
    use base64::Engine as _;

    let _heavy = common::heavy();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let id = "20261101T100000Z-ownership-unowned-problem";
    let take = data.join("sessions").join(id);
    fs::create_dir_all(&take).unwrap();
    as_48k_stereo_float(&fixture("jfk.wav"), &take.join("answer.wav"));
    let original = fs::read(take.join("answer.wav")).unwrap();
    fs::write(
        take.join("session.json"),
        format!(
            r#"{{
  "schema_version": 1,
  "id": "{id}",
  "created_utc": "2026-11-01T10:00:00Z",
  "prompt": null,
  "source": {{ "kind": "microphone" }},
  "audio_file": "answer.wav",
  "status": {{ "state": "recorded" }}
}}
"#
        ),
    )
    .unwrap();

    let listing = Rehearse::new(&data).run(["sessions", "--json"]);
    listing.assert_ok();
    assert!(listing.stdout.contains(id), "{listing:#?}");
    Rehearse::new(&data)
        .with_model()
        .run(["analyse", "--session", id])
        .assert_ok();
    let loaded = rehearse::store::Store::open(&data)
        .unwrap()
        .load(id)
        .unwrap();
    assert_eq!(loaded.session.status.name(), "analysed");
    assert!(
        loaded.transcript.unwrap().text.contains("country"),
        "re-analysed"
    );
    assert_eq!(fs::read(take.join("answer.wav")).unwrap(), original);
    assert_eq!(
        common::names_in(&take),
        [
            "analysis.json",
            "answer.wav",
            "session.json",
            "transcript.json"
        ]
    );

    let page = dir.path().join("old.html");
    Rehearse::new(&data)
        .run([Path::new("report"), Path::new(id), Path::new("-o"), &page])
        .assert_ok();
    let html = fs::read_to_string(&page).unwrap();
    let encoded = html
        .split("data:audio/wav;base64,")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the report embeds the take's audio");
    let embedded = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .unwrap();
    let audio = rehearse::audio::read_wav_bytes(&embedded).unwrap();
    let (_, original_s) = wav_spec_and_seconds(&take.join("answer.wav"));
    assert_eq!((audio.sample_rate, audio.channels), (16_000, 1));
    assert!(
        (audio.duration_ms() as f64 / 1000.0 - original_s).abs() < 0.01,
        "the whole take plays"
    );
}
