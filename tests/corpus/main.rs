//! Checks that the committed corpus is consistent: every answer has its WAV and labels, the
//! labels match the WAV's length and format, and every filler/look-alike index points at the
//! word it names. (Regenerate with `python3 tests/corpus/synth.py`.)

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::Deserialize;

#[derive(Deserialize)]
struct Labels {
    duration_s: f64,
    sample_rate_hz: u32,
    voice: String,
    words_per_minute: u32,
    principle: String,
    sentences: Vec<Sentence>,
    fillers: Vec<Marked>,
    lookalikes: Vec<Marked>,
}

#[derive(Deserialize)]
struct Sentence {
    label: String,
    text: String,
    start_s: f64,
    end_s: f64,
}

#[derive(Deserialize)]
struct Marked {
    word: String,
    sentence_index: usize,
    word_index: usize,
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

fn answer_stems() -> Vec<String> {
    let mut stems: Vec<String> = std::fs::read_dir(corpus_dir())
        .expect("tests/corpus exists")
        .filter_map(|entry| {
            let name = entry.ok()?.file_name().into_string().ok()?;
            name.strip_suffix(".toml").map(str::to_string)
        })
        .collect();
    stems.sort();
    stems
}

fn load(stem: &str) -> Labels {
    let path = corpus_dir().join(format!("{stem}.labels.json"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; run tests/corpus/synth.py", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn bare(word: &str) -> String {
    word.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'')
        .to_lowercase()
}

#[test]
fn every_answer_has_audio_and_consistent_labels() {
    let stems = answer_stems();
    assert!(stems.len() >= 22, "only {} answers", stems.len());
    let mut voices = BTreeSet::new();
    let mut principles = BTreeSet::new();
    let (mut certain, mut ambiguous, mut lookalikes, mut filler_free) = (0, 0, 0, 0);
    for stem in &stems {
        let labels = load(stem);
        let wav = hound::WavReader::open(corpus_dir().join(format!("{stem}.wav")))
            .unwrap_or_else(|e| panic!("{stem}.wav: {e}"));
        let spec = wav.spec();
        assert_eq!(
            (spec.channels, spec.sample_rate, spec.bits_per_sample),
            (1, 16_000, 16),
            "{stem}"
        );
        assert_eq!(labels.sample_rate_hz, 16_000, "{stem}");
        let duration_s = f64::from(wav.duration()) / 16_000.0;
        assert!((duration_s - labels.duration_s).abs() < 1e-4, "{stem}");
        assert!(
            (45.0..=120.0).contains(&duration_s),
            "{stem}: {duration_s} s"
        );
        assert!((120..=190).contains(&labels.words_per_minute), "{stem}");
        assert!(!labels.voice.is_empty() && !labels.principle.is_empty());
        voices.insert(labels.voice.clone());
        principles.insert(labels.principle.clone());

        let mut previous_end_s = 0.0;
        for sentence in &labels.sentences {
            assert!(
                ["situation", "task", "action", "result", "learning"]
                    .contains(&sentence.label.as_str()),
                "{stem}: label {}",
                sentence.label
            );
            assert!(
                sentence.start_s >= previous_end_s && sentence.end_s > sentence.start_s,
                "{stem}: sentences overlap or are empty"
            );
            assert!(!sentence.text.contains('~'), "{stem}: marker left in text");
            previous_end_s = sentence.end_s;
        }
        assert!(previous_end_s <= labels.duration_s, "{stem}");

        for marked in labels.fillers.iter().chain(&labels.lookalikes) {
            let sentence = &labels.sentences[marked.sentence_index];
            let words: Vec<String> = sentence.text.split_whitespace().map(bare).collect();
            let expected: Vec<&str> = marked.word.split(' ').collect();
            let end = marked.word_index + expected.len();
            assert!(end <= words.len(), "{stem}: index past the sentence");
            assert_eq!(words[marked.word_index..end], expected, "{stem}");
        }
        let um_uh = labels
            .fillers
            .iter()
            .filter(|f| f.word == "um" || f.word == "uh")
            .count();
        certain += um_uh;
        ambiguous += labels.fillers.len() - um_uh;
        lookalikes += labels.lookalikes.len();
        filler_free += usize::from(labels.fillers.is_empty());
    }
    eprintln!(
        "{} answers, {} voices, {} principles: {certain} um/uh, {ambiguous} ambiguous fillers, \
         {lookalikes} look-alikes, {filler_free} filler-free",
        stems.len(),
        voices.len(),
        principles.len()
    );
    assert!(voices.len() >= 3);
    assert!(certain >= 40 && ambiguous >= 25 && lookalikes >= 25 && filler_free >= 6);
}
