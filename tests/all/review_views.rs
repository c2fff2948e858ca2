//! The review views (sessions, show, compare, progress, stories) on takes
//! made by hand in a temp data dir, colour off; the store's robustness
//! (corrupt folders, atomic writes, private folders); and the story-bank
//! threshold measured on `tests/fixtures/stories/`.

use std::fs;
use std::path::{Path, PathBuf};

use crate::review_support::{save, three_takes};
use rehearse::report::{self, stories::SAME_STORY_THRESHOLD};
use rehearse::store::{self, Store, StoreError};

fn store_with_three_takes() -> (tempfile::TempDir, Store, Vec<String>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(dir.path().join("data")).expect("open store");
    let ids = three_takes()
        .iter()
        .map(|take| save(&store, take))
        .collect();
    (dir, store, ids)
}

fn list_ok(store: &Store) -> Vec<store::LoadedSession> {
    let outcome = store.list();
    assert!(
        outcome.problems.is_empty(),
        "unexpected problems: {:?}",
        outcome.problems
    );
    outcome.sessions
}

#[test]
fn sessions_table_and_json() {
    let (_dir, store, ids) = store_with_three_takes();
    let sessions = list_ok(&store);
    assert_eq!(
        sessions
            .iter()
            .map(|s| s.id().to_string())
            .collect::<Vec<_>>(),
        ids
    );
    let table = report::render_sessions(&sessions, None, None, None, false);
    insta::assert_snapshot!("sessions", table);
    for line in table.lines() {
        assert!(
            line.chars().count() <= 100,
            "wider than 100 columns: {line}"
        );
    }
    insta::assert_snapshot!(
        "sessions_json",
        report::render_sessions_json(&sessions, None, None, None)
    );
    // Filtered, the takes keep their numbers.
    let dive = report::render_sessions(&sessions, Some("dive-deep"), None, None, false);
    assert!(
        dive.lines().nth(1).is_some_and(|row| row.starts_with("2 ")),
        "{dive}"
    );
    let filtered = report::filter_sessions(&sessions, Some("dive-deep"), None);
    assert_eq!(filtered.len(), 1);
    assert_eq!(filtered[0].id(), ids[1]);
    let by_prompt = report::filter_sessions(&sessions, None, Some("hire-develop-1"));
    assert_eq!(by_prompt.len(), 1);
}

#[test]
fn show_compare_progress_stories_plain() {
    let (_dir, store, ids) = store_with_three_takes();
    let sessions = list_ok(&store);
    let first = store.load(&ids[0]).expect("load first");
    let show = report::render_show(&first, false, report::PIPE_WIDTH);
    assert!(show.contains("*um*"), "fillers marked:\n{show}");
    assert!(show.contains("(2.4 s pause)"), "pause marked:\n{show}");
    assert!(!show.contains('\x1b'), "no colour codes when colour is off");
    insta::assert_snapshot!("show", show);
    let second = store.load(&ids[1]).expect("load second");
    insta::assert_snapshot!(
        "compare",
        report::render_compare(&first, &second, false, report::PIPE_WIDTH)
    );
    insta::assert_snapshot!("progress", report::render_progress(&sessions, None, false));
    insta::assert_snapshot!(
        "progress_principle",
        report::render_progress(&sessions, Some("Dive Deep"), false)
    );
    insta::assert_snapshot!("stories", report::render_stories(&sessions, false));
}

/// What a terminal shows of a line: its characters without ANSI codes.
fn visible(line: &str) -> String {
    let mut out = String::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            chars.by_ref().find(|&c| c == 'm');
        } else {
            out.push(c);
        }
    }
    out
}

fn words(view: &str) -> Vec<String> {
    visible(view)
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

/// `show` and `compare` wrap to the width they are given, between words: at
/// 80 columns or more no line is wider, and at any width the words are those
/// of the view unwrapped, none broken.
#[test]
fn views_wrap_to_the_width_between_words() {
    let (_dir, store, ids) = store_with_three_takes();
    let takes: Vec<_> = ids.iter().map(|id| store.load(id).expect("load")).collect();
    for color in [false, true] {
        for pair in takes.windows(2) {
            let views = |width| {
                [
                    report::render_show(&pair[0], color, width),
                    report::render_compare(&pair[0], &pair[1], color, width),
                ]
            };
            let unwrapped = views(10_000);
            for width in [40, 60, 80, 100, 132] {
                for (view, whole) in views(width).iter().zip(&unwrapped) {
                    assert_eq!(words(view), words(whole), "{width} columns:\n{view}");
                    for line in view.lines().filter(|_| width >= 80) {
                        let columns = visible(line).chars().count();
                        assert!(
                            columns <= width,
                            "{columns} > {width} columns: {}",
                            visible(line)
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn colour_on_uses_ansi_and_keeps_text() {
    let (_dir, store, _ids) = store_with_three_takes();
    let last = store.load("last").expect("load last");
    let coloured = report::render_show(&last, true, report::PIPE_WIDTH);
    assert!(coloured.contains("\x1b["));
    assert!(coloured.contains("mentoring is mostly making the implicit explicit."));
}

#[test]
fn load_by_last_prefix_and_errors() {
    let (_dir, store, ids) = store_with_three_takes();
    assert_eq!(store.load("last").expect("last").id(), ids[2]);
    let prefix = &ids[1][..12];
    assert_eq!(store.load(prefix).expect("prefix").id(), ids[1]);
    let err = store.load("2026").expect_err("ambiguous");
    assert!(matches!(err, StoreError::Ambiguous { .. }), "{err}");
    assert!(
        err.to_string()
            .ends_with("type more of the id, or the take number from `rehearse sessions`"),
        "{err}"
    );
    // Take numbers, as `rehearse sessions` shows them: 1 is the oldest.
    for (number, id) in ids.iter().enumerate() {
        assert_eq!(
            store.load(&(number + 1).to_string()).expect("number").id(),
            id
        );
    }
    assert!(matches!(
        store.load("4").expect_err("only three takes"),
        StoreError::NotFound { .. }
    ));
    let err = store.load("nope").expect_err("missing");
    assert!(err.to_string().contains("run `rehearse sessions`"), "{err}");
    let err = store.load("../../etc").expect_err("no traversal");
    assert!(matches!(err, StoreError::NotFound { .. }), "{err}");
}

#[test]
fn recent_prompts_newest_first() {
    let (_dir, store, _ids) = store_with_three_takes();
    let recent = store.recent_prompts();
    let ids: Vec<&str> = recent.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids, ["hire-develop-1", "dive-deep-1", "ownership-1"]);
    assert_eq!(recent[0].1, 1_795_200_000);
}

#[test]
fn corrupt_sessions_are_reported_and_skipped() {
    let (_dir, store, ids) = store_with_three_takes();
    let sessions_dir = store.sessions_dir().to_path_buf();
    let good = sessions_dir.join(&ids[0]);

    // Bad JSON in session.json.
    let bad_json = sessions_dir.join("20261101T090000Z-bad-json");
    fs::create_dir(&bad_json).unwrap();
    fs::write(bad_json.join("session.json"), "{ this is not json").unwrap();
    // A folder without session.json (only the take).
    let missing = sessions_dir.join("20261101T090100Z-no-session");
    fs::create_dir(&missing).unwrap();
    fs::copy(good.join("answer.wav"), missing.join("answer.wav")).unwrap();
    // A truncated analysis.json (as after a crash without atomic writes).
    let truncated = sessions_dir.join("20261101T090200Z-truncated");
    copy_dir(&good, &truncated);
    let session_json = fs::read_to_string(truncated.join("session.json")).unwrap();
    fs::write(
        truncated.join("session.json"),
        session_json.replace(&ids[0], "20261101T090200Z-truncated"),
    )
    .unwrap();
    let analysis = fs::read(truncated.join("analysis.json")).unwrap();
    fs::write(
        truncated.join("analysis.json"),
        &analysis[..analysis.len() / 2],
    )
    .unwrap();
    // Marked analysed but the analysis is gone.
    let partial = sessions_dir.join("20261101T090300Z-partial");
    copy_dir(&good, &partial);
    fs::remove_file(partial.join("analysis.json")).unwrap();
    // Stray files and temp files are ignored.
    fs::write(sessions_dir.join("notes.txt"), "hello").unwrap();
    fs::create_dir(sessions_dir.join(".hidden")).unwrap();

    let outcome = store.list();
    let listed: Vec<&str> = outcome
        .sessions
        .iter()
        .map(rehearse::store::LoadedSession::id)
        .collect();
    assert_eq!(listed, ids.iter().map(String::as_str).collect::<Vec<_>>());
    let problems: Vec<(String, String)> = outcome
        .problems
        .iter()
        .map(|(path, why)| {
            (
                path.file_name().unwrap().to_string_lossy().into_owned(),
                why.clone(),
            )
        })
        .collect();
    for (name, why) in &problems {
        println!("problem: {name}: {why}");
    }
    assert_eq!(problems.len(), 4, "{problems:?}");
    assert!(problems[0].0.ends_with("bad-json") && problems[0].1.contains("is damaged"));
    assert!(problems[1].0.ends_with("no-session") && problems[1].1.contains("cannot read"));
    assert!(problems[2].0.ends_with("truncated") && problems[2].1.contains("analysis.json"));
    assert!(problems[3].0.ends_with("partial") && problems[3].1.contains("has no analysis"));
    for (_, why) in &problems {
        assert!(why.contains("; "), "message ends with a fix: {why}");
    }
    // Views still render the good sessions.
    let table = report::render_sessions(&outcome.sessions, None, None, None, false);
    assert_eq!(table.lines().count(), outcome.sessions.len() + 1, "{table}");
    // Loading the damaged one by name says why.
    let err = store
        .load("20261101T090200Z-truncated")
        .expect_err("damaged");
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err}");
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

#[test]
fn json_writes_are_atomic_and_leave_no_temp_files() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("value.json");
    store::atomic::write_json_atomic(&path, &vec![1, 2, 3]).unwrap();
    // A second, shorter write must replace, not overwrite in place.
    store::atomic::write_json_atomic(&path, &vec![7]).unwrap();
    let back: Vec<i32> = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(back, vec![7]);
    let names: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["value.json"]);
    // Writing into a folder that does not exist fails cleanly.
    assert!(store::atomic::write_json_atomic(&dir.path().join("nope/x.json"), &1).is_err());
}

#[cfg(unix)]
#[test]
fn folders_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, store, ids) = store_with_three_takes();
    let mode = |path: PathBuf| fs::metadata(path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(dir.path().join("data")), 0o700);
    assert_eq!(mode(store.sessions_dir().to_path_buf()), 0o700);
    for id in &ids {
        assert_eq!(mode(store.sessions_dir().join(id)), 0o700, "{id}");
    }
}

#[test]
fn same_prompt_in_one_second_gets_distinct_folders() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let a = store
        .create_session_at(None, store::Source::Microphone, 1_795_000_000)
        .unwrap();
    let b = store
        .create_session_at(None, store::Source::Microphone, 1_795_000_000)
        .unwrap();
    assert_eq!(
        a.id,
        "20261118T080000Z-adhoc".replace("080000", &a.id[9..15])
    );
    assert_ne!(a.id, b.id);
    assert!(b.id.ends_with("-2"));
    let session: store::Session =
        serde_json::from_str(&fs::read_to_string(a.path.join("session.json")).unwrap()).unwrap();
    assert_eq!(session.schema_version, store::SESSION_SCHEMA_VERSION);
    assert_eq!(session.status, store::Status::Recorded);
    assert!(session.created_utc.ends_with('Z'));
}

#[test]
fn story_warning_for_a_retold_story_only() {
    let (_dir, store, ids) = store_with_three_takes();
    let sessions = list_ok(&store);
    let warnings = report::same_story_warnings(&sessions[1], &sessions);
    println!("warnings for the retold cache story: {warnings:?}");
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].other_id, ids[0]);
    assert!(warnings[0].message().contains("ownership"));
    assert!(report::same_story_warnings(&sessions[2], &sessions).is_empty());
}

/// Reads `<story>.<variant>.txt` fixtures; files with the same story name
/// are the same story told differently.
fn story_fixtures() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/stories");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .expect("story fixtures")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let story = name.split('.').next().unwrap().to_string();
            (story, fs::read_to_string(path).unwrap())
        })
        .collect()
}

fn summary(scores: &[f64]) -> String {
    let mut sorted = scores.to_vec();
    sorted.sort_by(f64::total_cmp);
    let at = |q: f64| sorted[((sorted.len() - 1) as f64 * q).round() as usize];
    format!(
        "n={} min={:.3} p10={:.3} median={:.3} p90={:.3} max={:.3}",
        sorted.len(),
        at(0.0),
        at(0.1),
        at(0.5),
        at(0.9),
        at(1.0)
    )
}

#[test]
fn story_threshold_separates_same_and_different_stories() {
    let docs = story_fixtures();
    let (mut same, mut different, mut same_topic) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..docs.len() {
        for j in (i + 1)..docs.len() {
            let score = report::similarity(&docs[i].1, &docs[j].1);
            if docs[i].0 == docs[j].0 {
                same.push(score);
            } else {
                different.push(score);
                // `latency-cache` vs `latency-db`: same topic, different story.
                if docs[i].0.split('-').next() == docs[j].0.split('-').next() {
                    same_topic.push(score);
                }
            }
        }
    }
    assert!(same.len() >= 8 && different.len() >= 20 && same_topic.len() >= 20);
    println!("same story:               {}", summary(&same));
    println!("different story:          {}", summary(&different));
    println!("different, same topic:    {}", summary(&same_topic));
    let min_same = same.iter().copied().fold(f64::INFINITY, f64::min);
    let max_different = different.iter().copied().fold(0.0, f64::max);
    println!(
        "gap: {max_different:.3} .. {min_same:.3}, midpoint {:.3}",
        f64::midpoint(max_different, min_same)
    );

    let t = SAME_STORY_THRESHOLD;
    let true_pos = same.iter().filter(|s| **s >= t).count();
    let false_pos = different.iter().filter(|s| **s >= t).count();
    let precision = true_pos as f64 / (true_pos + false_pos).max(1) as f64;
    let recall = true_pos as f64 / same.len() as f64;
    println!("threshold {t:.2}: precision {precision:.3}, recall {recall:.3}");
    for candidate in [0.10, 0.15, 0.20, 0.25, 0.30] {
        let tp = same.iter().filter(|s| **s >= candidate).count();
        let fp = different.iter().filter(|s| **s >= candidate).count();
        println!(
            "  at {candidate:.2}: {tp}/{} same caught, {fp}/{} different flagged",
            same.len(),
            different.len()
        );
    }
    assert_eq!(precision, 1.0, "a different story crossed the threshold");
    assert_eq!(recall, 1.0, "a retold story fell below the threshold");
    // Keep a margin on both sides, so small changes to the scoring that
    // erode the separation fail here rather than in front of a user.
    assert!(
        min_same - t >= 0.05,
        "same-story margin lost: min {min_same:.3}"
    );
    assert!(
        t - max_different >= 0.05,
        "different-story margin lost: max {max_different:.3}"
    );
}

#[test]
fn unfinished_and_failed_takes_render_without_metrics() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let recorded = store
        .create_session_at(
            None,
            store::Source::File {
                original_name: "phone.m4a".to_string(),
            },
            1_795_000_000,
        )
        .unwrap();
    let failed = store
        .create_session_at(None, store::Source::Microphone, 1_795_000_100)
        .unwrap();
    store
        .set_status(
            &failed.id,
            store::Status::Failed {
                stage: "transcribe".to_string(),
                error: "model missing".to_string(),
            },
        )
        .unwrap();
    let sessions = list_ok(&store);
    assert_eq!(sessions.len(), 2);
    assert_eq!(sessions[0].id(), recorded.id);
    let table = report::render_sessions(&sessions, None, None, None, false);
    assert!(
        table.contains("recorded") && table.contains("failed"),
        "{table}"
    );
    let show = report::render_show(&sessions[0], false, report::PIPE_WIDTH);
    assert!(show.contains("no transcript yet"), "{show}");
    assert!(
        report::render_show(&sessions[1], false, report::PIPE_WIDTH)
            .contains("failed at transcribe: model missing")
    );
    assert!(report::render_progress(&sessions, None, false).contains("no analysed takes yet"));
    assert!(
        report::render_stories(&sessions, false).contains("16 of 16 principles have no story yet")
    );
    let compare = report::render_compare(&sessions[0], &sessions[1], false, report::PIPE_WIDTH);
    assert!(
        compare.contains("metrics need both takes analysed"),
        "{compare}"
    );
    assert!(report::same_story_warnings(&sessions[0], &sessions).is_empty());
    let json: serde_json::Value =
        serde_json::from_str(&report::render_sessions_json(&sessions, None, None, None)).unwrap();
    assert_eq!(json[0]["duration_s"], serde_json::Value::Null);
}

#[test]
fn a_vanished_sessions_folder_is_a_problem_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    fs::remove_dir(store.sessions_dir()).unwrap();
    let outcome = store.list();
    assert!(outcome.sessions.is_empty());
    assert_eq!(outcome.problems.len(), 1);
    assert!(
        outcome.problems[0].1.contains("pass `--data-dir`"),
        "{:?}",
        outcome.problems
    );
    let err = store.load("last").expect_err("no folder");
    assert!(matches!(err, StoreError::ReadDir { .. }), "{err}");
    let empty = Store::open(dir.path()).unwrap();
    let err = empty.load("last").expect_err("empty");
    assert!(
        err.to_string()
            .ends_with("record one with `rehearse practice`"),
        "{err}"
    );
}

/// The class of the HTML metric card labelled `label`: `good`, `warn` or `bad`.
fn card_tone(page: &str, label: &str) -> String {
    let marker = format!("<div class=\"label\">{label}</div>");
    let at = page
        .find(&marker)
        .unwrap_or_else(|| panic!("no {label} card"));
    let open = page[..at].rfind("<div class=\"metric").expect("card start");
    page[open..at]
        .trim_start_matches("<div class=\"metric")
        .trim_end_matches("\">")
        .trim()
        .to_string()
}

/// The value of the HTML metric card labelled `label`.
fn card_value(page: &str, label: &str) -> String {
    let marker = format!("<div class=\"label\">{label}</div><div class=\"value\">");
    let at = page
        .find(&marker)
        .unwrap_or_else(|| panic!("no {label} card"))
        + marker.len();
    page[at..at + page[at..].find('<').expect("value end")].to_string()
}

/// The HTML content-check list's items, as (ticked, text).
fn check_list(page: &str) -> Vec<(bool, String)> {
    let at = page.find("<ul class=\"checks\">").expect("check list");
    let list = &page[at..at + page[at..].find("</ul>").expect("list end")];
    list.split("<li class=\"")
        .skip(1)
        .map(|item| {
            let text = &item[item.find('>').expect("tag end") + 1..item.find("</li>").expect("li")];
            (item.starts_with("ok\""), text.to_string())
        })
        .collect()
}

/// The views state what the findings say and nothing else: on takes whose
/// length, pace and fillers are varied across and past every band, and with
/// a situation or task left out, each card's colour and count, each terminal
/// verdict, the sections listed as missing and each advice line agree with
/// the analysis's findings, so no two views can disagree on a band or a verdict.
#[test]
fn every_view_derives_its_verdicts_from_the_findings() {
    use rehearse::analyse::{AnalysisConfig, Aspect, Check, Finding, Label};

    let (_dir, store, ids) = store_with_three_takes();
    let mut checked = 0;
    let mut with_missing = 0;
    for id in &ids {
        let loaded = store.load(id).expect("load");
        for (answer_s, left_out) in [
            (30.0, None),
            (90.0, None),
            (150.0, None),
            (90.0, Some(Label::Task)),
            (90.0, Some(Label::Situation)),
        ] {
            for wpm in [80.0, 140.0, 200.0] {
                for filler_share in [0.0, 0.02, 0.1] {
                    let mut take = loaded.clone();
                    let analysis = take.analysis.as_mut().expect("analysed");
                    if let Some(label) = left_out {
                        let shares = &mut analysis.star.shares;
                        shares.action += shares.get(label);
                        shares.set(label, 0.0);
                    }
                    analysis.answer_s = answer_s;
                    analysis.in_window = (60.0..=120.0).contains(&answer_s);
                    analysis.words_per_minute = wpm;
                    analysis.fillers.share_of_words = filler_share;
                    // Half the variants give the learning its own target.
                    let config = AnalysisConfig {
                        learning_separate: filler_share > 0.0,
                        ..AnalysisConfig::default()
                    };
                    analysis.star.target = config.effective_target();
                    analysis.conclude(&config);
                    let analysis = take.analysis.clone().unwrap();
                    let page = report::render_html(
                        &take.session,
                        take.transcript.as_ref().unwrap(),
                        &analysis,
                        &[],
                    );
                    let show = report::render_show(&take, false, 10_000);
                    let flagged = |aspect| analysis.flags(aspect);
                    let cases = [
                        ("Length", Aspect::Length, "bad"),
                        ("Pace", Aspect::Pace, "warn"),
                        ("Fillers", Aspect::Fillers, "bad"),
                        ("Action", Aspect::Action, "warn"),
                        ("Long pauses", Aspect::Pauses, "warn"),
                    ];
                    for (label, aspect, tone) in cases {
                        let expected = if flagged(aspect) { tone } else { "good" };
                        assert_eq!(
                            card_tone(&page, label),
                            expected,
                            "{label} card: {:?}",
                            analysis.findings
                        );
                    }
                    let fast = analysis
                        .findings
                        .iter()
                        .any(|f| matches!(f, Finding::PaceFast { .. }));
                    let slow = analysis
                        .findings
                        .iter()
                        .any(|f| matches!(f, Finding::PaceSlow { .. }));
                    assert_eq!(show.contains("✗ fast"), fast, "{show}");
                    assert_eq!(show.contains("✗ slow"), slow, "{show}");
                    assert_eq!(show.contains("✗ high"), flagged(Aspect::Fillers), "{show}");
                    assert_eq!(
                        show.contains("✓ in window"),
                        !flagged(Aspect::Length),
                        "{show}"
                    );
                    assert_eq!(
                        analysis.feedback,
                        analysis
                            .findings
                            .iter()
                            .map(Finding::advice)
                            .collect::<Vec<_>>()
                    );
                    for advice in &analysis.feedback {
                        // Ranges are written one way everywhere: "60–120".
                        assert!(
                            !advice.as_bytes().windows(3).any(|w| w[0].is_ascii_digit()
                                && w[1] == b'-'
                                && w[2].is_ascii_digit()),
                            "{advice}"
                        );
                        assert!(show.contains(advice.as_str()), "{advice} not in:\n{show}");
                        assert!(
                            page.contains(&report::html::escape(advice)),
                            "{advice} not in the page"
                        );
                    }
                    // The bands are the configuration's, wherever they are named.
                    if fast || slow {
                        assert!(analysis.feedback.iter().any(|a| a.contains("100–165")));
                    }
                    // The Checks card counts the ticks of the list beside it.
                    let checks = check_list(&page);
                    let ticked = checks.iter().filter(|(ok, _)| *ok).count();
                    assert_eq!(checks.len(), Check::ALL.len(), "{checks:?}");
                    assert_eq!(
                        card_value(&page, "Checks"),
                        format!("{ticked}/{}", Check::ALL.len()),
                        "{checks:?}"
                    );
                    // A section with no time is listed as missing, the same
                    // in both views, and only then.
                    let shares = analysis.star.shares;
                    let expected: Vec<Label> = [Label::Situation, Label::Task, Label::Action]
                        .into_iter()
                        .filter(|&l| shares.get(l) <= 0.0)
                        .chain((shares.result + shares.learning <= 0.0).then_some(Label::Result))
                        .collect();
                    assert_eq!(
                        analysis.missing_sections(),
                        expected,
                        "{:?}",
                        analysis.findings
                    );
                    let names: Vec<&str> = expected.iter().map(|l| l.name()).collect();
                    let titles: Vec<&str> = expected.iter().map(|l| l.title()).collect();
                    let terminal_line = format!("missing     {}", names.join(", "));
                    let page_line = format!("Missing: {}</p>", titles.join(", "));
                    assert_eq!(
                        show.contains(&terminal_line),
                        !expected.is_empty(),
                        "{show}"
                    );
                    assert_eq!(page.contains(&page_line), !expected.is_empty());
                    assert_eq!(
                        show.contains("missing     ") || page.contains("Missing: "),
                        !expected.is_empty(),
                        "{show}"
                    );
                    // The target split reads the same in both views; the
                    // result's target is "R+L" where it holds the learning's.
                    let target = analysis.star.target;
                    let target_bar = page
                        .split_once("aria-label=\"Target split\"")
                        .and_then(|(_, rest)| rest.split_once("</div>"))
                        .map(|(bar, _)| bar)
                        .expect("the target split in the page");
                    for label in Label::ALL.into_iter().filter(|&l| target.get(l) > 0.0) {
                        let letter = match label {
                            Label::Result if target.learning <= 0.0 => "R+L",
                            Label::Result => "R",
                            Label::Learning => "L",
                            other => &other.name()[..1].to_uppercase(),
                        };
                        let shown =
                            format!("{letter} {}", rehearse::format::percent(target.get(label)));
                        let target_line = show
                            .lines()
                            .find(|l| l.trim_start().starts_with("target "))
                            .unwrap_or_default();
                        assert!(target_line.contains(&shown), "{shown} not in {target_line}");
                        // A narrow segment names itself only in its tooltip.
                        let title = match letter {
                            "R+L" => "Result and learning".to_string(),
                            _ => label.title().to_string(),
                        };
                        let tooltip = format!(
                            "title=\"{title} {}\"",
                            rehearse::format::percent(target.get(label))
                        );
                        assert!(
                            target_bar.contains(&tooltip),
                            "{tooltip} not in {target_bar}"
                        );
                        if target.get(label) >= 0.07 {
                            assert!(
                                target_bar.contains(&format!("{tooltip}>{shown}</span>")),
                                "{shown} not in {target_bar}"
                            );
                        }
                    }
                    with_missing += usize::from(!expected.is_empty());
                    checked += 1;
                }
            }
        }
    }
    println!(
        "{checked} variants ({with_missing} with a section missing): every card, verdict, \
         missing section and advice line follows the findings"
    );
    assert_eq!(checked, 135);
    assert!(with_missing >= 54, "{with_missing}");
}
