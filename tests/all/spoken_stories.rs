//! Same-story detection measured on speech, not on typed text.
//!
//! `tests/corpus/retold/` holds corpus answers told again in other words, by
//! another voice, for another principle. `analysis_corpus::corpus_with_real_model`
//! transcribes them and the corpus answers with the real model and hands every
//! transcript here. Each pair the app would compare (told for different
//! principles) is scored with `report::similarity`; a retelling and its
//! original should meet `SAME_STORY_THRESHOLD`, every other pair should not.
//! The threshold was set on typed fixtures (`review_views`), so all of this
//! is held out from it.

use std::path::{Path, PathBuf};

use rehearse::report::{similarity, stories::SAME_STORY_THRESHOLD};
use serde::Deserialize;

/// The pass marks, over all pairs the app compares.
const MIN_PRECISION: f64 = 0.9;
const MIN_RECALL: f64 = 0.9;

/// One spoken answer as the test heard it.
pub struct Told {
    pub stem: String,
    pub principle: String,
    /// The corpus answer this one retells, if it is a retelling.
    pub retells: Option<String>,
    pub text: String,
}

#[derive(Deserialize)]
struct Meta {
    principle: String,
    #[serde(default)]
    retells: Option<String>,
}

pub fn retold_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/retold")
}

/// Stems of the retold answers (their committed labels), sorted.
pub fn retold_stems() -> Vec<String> {
    crate::common::stems_in(&retold_dir(), ".labels.json")
}

/// What an answer's committed labels say about its story: principle, retells.
pub fn told(labels_json: &Path, stem: &str, text: String) -> Told {
    let json = std::fs::read_to_string(labels_json)
        .unwrap_or_else(|e| panic!("{}: {e}", labels_json.display()));
    let meta: Meta =
        serde_json::from_str(&json).unwrap_or_else(|e| panic!("{}: {e}", labels_json.display()));
    Told {
        stem: stem.to_string(),
        principle: meta.principle,
        retells: meta.retells,
        text,
    }
}

/// Prints the figures and returns what missed a pass mark.
pub fn measure(answers: &[Told]) -> Vec<String> {
    let retold = answers.iter().filter(|a| a.retells.is_some()).count();
    assert!(retold >= 10, "only {retold} retold answers were heard");
    let mut same = Vec::new();
    let mut different = Vec::new();
    for (k, a) in answers.iter().enumerate() {
        for b in &answers[k + 1..] {
            // The app compares only takes told for different principles.
            if a.principle == b.principle {
                continue;
            }
            let score = similarity(&a.text, &b.text);
            let pair = (score, a.stem.as_str(), b.stem.as_str());
            let retelling = a.retells.as_deref() == Some(b.stem.as_str())
                || b.retells.as_deref() == Some(a.stem.as_str());
            if retelling {
                same.push(pair);
            } else {
                different.push(pair);
            }
        }
    }
    assert_eq!(
        same.len(),
        retold,
        "every retelling pairs with its original"
    );
    same.sort_by(|x, y| x.0.total_cmp(&y.0));
    different.sort_by(|x, y| y.0.total_cmp(&x.0));

    let t = SAME_STORY_THRESHOLD;
    let caught = same.iter().filter(|p| p.0 >= t).count();
    let flagged = different.iter().filter(|p| p.0 >= t).count();
    let precision = caught as f64 / (caught + flagged).max(1) as f64;
    let recall = caught as f64 / same.len() as f64;
    println!(
        "\nsame story on Whisper transcripts: {} retellings, {} pairs of different stories",
        same.len(),
        different.len()
    );
    println!(
        "threshold {t:.2}: precision {precision:.3} ({caught} of {} flagged pairs), recall {recall:.3} ({caught} of {})",
        caught + flagged,
        same.len()
    );
    println!("retellings, least similar first:");
    for (score, a, b) in &same {
        println!("  {score:.3}  {a} ~ {b}");
    }
    println!("different stories, most similar first:");
    for (score, a, b) in different.iter().take(5) {
        println!("  {score:.3}  {a} ~ {b}");
    }
    for candidate in [0.10, 0.15, 0.20, 0.25, 0.30] {
        println!(
            "  at {candidate:.2}: {}/{} retellings caught, {}/{} different flagged",
            same.iter().filter(|p| p.0 >= candidate).count(),
            same.len(),
            different.iter().filter(|p| p.0 >= candidate).count(),
            different.len()
        );
    }

    let mut failures = Vec::new();
    if precision < MIN_PRECISION {
        failures.push(format!(
            "same-story precision {precision:.3} < {MIN_PRECISION}"
        ));
    }
    if recall < MIN_RECALL {
        failures.push(format!("same-story recall {recall:.3} < {MIN_RECALL}"));
    }
    failures
}
