//! The HTML report: built from a hand-made take, checked for escaping and
//! self-containment here, then opened in headless Chromium
//! (`tests/browser/check_report.mjs`, needs `npm ci --prefix tests/browser`
//! and Debian's `chromium`) to check what a person would see and click.

use crate::common;
use crate::review_support::browser::browser_check;
use crate::review_support::{save, three_takes, write_tone};
use rehearse::report::{render_html, render_progress_html};
use rehearse::store::Store;

/// A store with the first hand-made take, its WAV as long as the take.
fn saved_take() -> (tempfile::TempDir, rehearse::store::LoadedSession, Vec<u8>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(dir.path().join("data")).expect("store");
    let id = save(&store, &three_takes()[0]);
    let loaded = store.load(&id).expect("load");
    let duration_s = loaded.analysis.as_ref().expect("analysis").duration_s;
    write_tone(&loaded.audio_path(), duration_s);
    let wav = std::fs::read(loaded.audio_path()).expect("wav");
    (dir, loaded, wav)
}

#[test]
fn page_is_self_contained() {
    let (_dir, loaded, wav) = saved_take();
    let page = render_html(
        &loaded.session,
        loaded.transcript.as_ref().unwrap(),
        loaded.analysis.as_ref().unwrap(),
        &wav,
    );
    assert!(page.starts_with("<!doctype html>"));
    assert!(page.contains("<audio id=\"take\" controls"));
    assert!(
        page.contains("src=\"data:audio/wav;base64,UklGR"),
        "WAV embedded as a data URI"
    );
    for external in [
        "http://", "https://", "src=\"//", "<link", "@import", "url(",
    ] {
        assert!(
            !page.contains(external),
            "page refers to something outside: {external}"
        );
    }
    println!(
        "report size: {} KiB for a {} KiB WAV",
        page.len() / 1024,
        wav.len() / 1024
    );
}

/// A doubtful word is marked (dotted) and the page says what the mark means,
/// as the terminal does with "(?)"; a page with none has no such note.
#[test]
fn a_doubtful_word_is_marked_and_explained() {
    let (_dir, loaded, wav) = saved_take();
    let analysis = loaded.analysis.as_ref().unwrap();
    assert_eq!(
        analysis.fillers.possible, 1,
        "the fixture has one doubtful word"
    );
    let page = render_html(
        &loaded.session,
        loaded.transcript.as_ref().unwrap(),
        analysis,
        &wav,
    );
    assert_eq!(page.matches("class=\"w maybe\"").count(), 1);
    let note = "A word underlined with dots may be a filler";
    assert!(page.contains(note), "no explanation of the dotted word");
    assert!(
        page.contains("possible filler, not counted</span>"),
        "no legend entry"
    );

    let mut certain = analysis.clone();
    certain.fillers.items.retain(|item| item.certain);
    certain.fillers.possible = 0;
    let page = render_html(
        &loaded.session,
        loaded.transcript.as_ref().unwrap(),
        &certain,
        &wav,
    );
    assert!(!page.contains("w maybe") && !page.contains(note));
    assert!(!page.contains("possible filler, not counted</span>"));
}

#[test]
fn all_text_is_escaped() {
    let (_dir, mut loaded, _wav) = saved_take();
    let prompt = loaded.session.prompt.as_mut().unwrap();
    prompt.text = "<img src=x onerror=alert(1)> & \"quotes\"".to_string();
    prompt.principles = vec!["<b>Ownership</b>".to_string()];
    let mut transcript = loaded.transcript.clone().unwrap();
    transcript.segments[0].words[1].text = "<script>alert('x')</script>".to_string();
    let mut analysis = loaded.analysis.clone().unwrap();
    analysis.feedback = vec!["Say \"I\" <more> often".to_string()];
    let page = render_html(&loaded.session, &transcript, &analysis, &[]);
    assert!(!page.contains("<img src=x"));
    assert!(!page.contains("<script>alert"));
    assert!(!page.contains("<b>Ownership"));
    assert!(page.contains("&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot;"));
    assert!(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
    assert!(page.contains("Say &quot;I&quot; &lt;more&gt; often"));
    // No audio: no player, a note instead, and the page still works.
    assert!(!page.contains("<audio"));
    assert!(page.contains("recording is missing"));
}

#[test]
fn report_opens_in_headless_chromium() {
    let _heavy = common::heavy();
    let (dir, loaded, wav) = saved_take();
    let transcript = loaded.transcript.as_ref().unwrap();
    let analysis = loaded.analysis.as_ref().unwrap();
    let page = render_html(&loaded.session, transcript, analysis, &wav);
    let html_path = dir.path().join("report.html");
    std::fs::write(&html_path, &page).expect("write report");
    let expect = serde_json::json!({
        "sections": analysis.star.sections.len(),
        "markers": analysis.pauses.len() + analysis.fillers.items.len(),
        "words": transcript.words().count(),
    });
    let findings = browser_check(&html_path, dir.path(), expect, "report");
    // The seeks the script made, for the record.
    for seek in findings["seeks"].as_array().expect("seeks") {
        let start = seek["start"].as_f64().unwrap();
        let now = seek["currentTime"].as_f64().unwrap();
        assert!((start - now).abs() <= 0.05, "{seek}");
    }
}

#[test]
fn progress_page_opens_in_headless_chromium() {
    let _heavy = common::heavy();
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(dir.path().join("data")).expect("store");
    for take in three_takes() {
        save(&store, &take);
    }
    let outcome = store.list();
    let page = render_progress_html(&outcome.sessions, None);
    for external in ["http://", "https://", "<link", "url("] {
        assert!(!page.contains(external), "{external}");
    }
    let html_path = dir.path().join("progress.html");
    std::fs::write(&html_path, &page).expect("write page");
    let expect = serde_json::json!({"kind": "progress", "charts": 4, "rows": 3});
    browser_check(&html_path, dir.path(), expect, "progress");
}
