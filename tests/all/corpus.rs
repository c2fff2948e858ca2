//! Checks that the corpus is what its README promises: every answer's committed labels are
//! consistent (indices point at the words they name, times inside their sentence, the script
//! is the sentences' words) and the corpus is as wide as issue 9 asks (engines, voices, rates,
//! lengths, shapes, look-alikes, a held-out third). The audio is not committed: the second test
//! builds it with `tests/corpus/synth.py --out DIR` (a no-op when up to date) and checks each
//! WAV against its labels.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Deserialize;

#[derive(Deserialize)]
struct Labels {
    duration_s: f64,
    sample_rate_hz: u32,
    engine: String,
    voice: String,
    words_per_minute: f64,
    principle: String,
    split: String,
    shape: Vec<String>,
    script: String,
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
    kind: Option<String>,
    sentence_index: usize,
    word_index: usize,
    start_s: f64,
    end_s: f64,
}

const LEXICAL_FILLERS: [&str; 11] = [
    "like",
    "so",
    "you know",
    "i mean",
    "kind of",
    "sort of",
    "basically",
    "actually",
    "right",
    "well",
    "literally",
];

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

fn answer_stems() -> Vec<String> {
    crate::common::stems_in(&corpus_dir(), ".toml")
}

fn load(stem: &str) -> Labels {
    let path = corpus_dir().join(format!("{stem}.labels.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run python3 tests/corpus/synth.py --labels",
            path.display()
        )
    });
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn bare(word: &str) -> String {
    word.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'')
        .to_lowercase()
}

#[test]
fn labels_are_consistent_and_the_corpus_is_wide_enough() {
    let stems = answer_stems();
    assert!(stems.len() >= 40, "only {} answers", stems.len());
    let mut voices = BTreeSet::new();
    let mut engines = BTreeSet::new();
    let mut held_out_engines = BTreeSet::new();
    let mut held_out_voices = BTreeSet::new();
    let mut principles = BTreeSet::new();
    let mut shapes: BTreeMap<String, usize> = BTreeMap::new();
    let mut lookalike_words = BTreeSet::new();
    let mut held_out = 0;
    let (mut certain, mut ambiguous, mut lookalikes) = (0, 0, 0);
    for stem in &stems {
        let labels = load(stem);
        assert_eq!(labels.sample_rate_hz, 16_000, "{stem}");
        assert!(
            (45.0..=130.0).contains(&labels.duration_s),
            "{stem}: {} s",
            labels.duration_s
        );
        assert!(
            (130.0..=190.0).contains(&labels.words_per_minute),
            "{stem}: {} wpm",
            labels.words_per_minute
        );
        assert!(!labels.voice.is_empty() && !labels.principle.is_empty());
        assert!(
            ["tune", "held-out"].contains(&labels.split.as_str()),
            "{stem}: split {}",
            labels.split
        );
        voices.insert(format!("{}/{}", labels.engine, labels.voice));
        engines.insert(labels.engine.clone());
        principles.insert(labels.principle.clone());
        if labels.split == "held-out" {
            held_out += 1;
            held_out_engines.insert(labels.engine.clone());
            held_out_voices.insert(labels.voice.clone());
        }
        for shape in &labels.shape {
            *shapes.entry(shape.clone()).or_default() += 1;
        }

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
            assert!(
                !sentence.text.contains('~') && !sentence.text.contains('|'),
                "{stem}: markup left in text"
            );
            previous_end_s = sentence.end_s;
        }
        assert!(previous_end_s <= labels.duration_s, "{stem}");
        let joined: Vec<&str> = labels.sentences.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(labels.script, joined.join(" "), "{stem}: script");

        for marked in labels.fillers.iter().chain(&labels.lookalikes) {
            let sentence = &labels.sentences[marked.sentence_index];
            let words: Vec<String> = sentence.text.split_whitespace().map(bare).collect();
            let expected: Vec<&str> = marked.word.split(' ').collect();
            let end = marked.word_index + expected.len();
            assert!(end <= words.len(), "{stem}: index past the sentence");
            assert_eq!(words[marked.word_index..end], expected, "{stem}");
            assert!(
                marked.start_s >= sentence.start_s - 1e-6
                    && marked.end_s <= sentence.end_s + 1e-6
                    && marked.end_s >= marked.start_s,
                "{stem}: `{}` at {}-{} s is outside its sentence ({}-{} s)",
                marked.word,
                marked.start_s,
                marked.end_s,
                sentence.start_s,
                sentence.end_s
            );
        }
        for filler in &labels.fillers {
            match filler.kind.as_deref() {
                Some("certain") => certain += 1,
                Some("ambiguous") => ambiguous += 1,
                other => panic!("{stem}: filler kind {other:?}"),
            }
        }
        lookalikes += labels.lookalikes.len();
        lookalike_words.extend(labels.lookalikes.iter().map(|m| m.word.clone()));
    }
    let shape = |name: &str| shapes.get(name).copied().unwrap_or(0);
    let out_of_order = shape("result-first") + shape("lesson-first") + shape("interleaved");
    eprintln!(
        "{} answers ({held_out} held out), {} engines, {} voices, {} principles: \
         {certain} um/uh, {ambiguous} ambiguous fillers, {lookalikes} look-alikes; shapes {shapes:?}",
        stems.len(),
        engines.len(),
        voices.len(),
        principles.len()
    );
    assert!(engines.len() >= 3 && voices.len() >= 6);
    assert!(out_of_order >= 8 && shape("no-signposts") >= 15);
    assert!(shape("lengthened-fillers") >= 3 && shape("standalone-filler") >= 3);
    assert!(shape("restarts") >= 3 && shape("repetitions") >= 3);
    assert!(certain >= 80 && ambiguous >= 50 && lookalikes >= 50);
    for word in LEXICAL_FILLERS {
        assert!(lookalike_words.contains(word), "no look-alike of `{word}`");
    }
    let share = f64::from(held_out) / stems.len() as f64;
    assert!((0.28..=0.4).contains(&share), "held-out share {share}");
    assert_eq!(
        held_out_engines, engines,
        "the held-out part lacks an engine"
    );
    assert!(held_out_voices.len() >= 5);
}

/// Where the synthesised WAVs go: `REHEARSE_CORPUS_AUDIO` if set, else `target/tmp/corpus`.
fn audio_dir() -> PathBuf {
    std::env::var_os("REHEARSE_CORPUS_AUDIO").map_or_else(
        || Path::new(env!("CARGO_TARGET_TMPDIR")).join("corpus"),
        PathBuf::from,
    )
}

#[test]
fn synthesised_audio_matches_the_labels() {
    let dir = audio_dir();
    let status = Command::new("python3")
        .arg(corpus_dir().join("synth.py"))
        .arg("--out")
        .arg(&dir)
        .status()
        .expect("python3 runs");
    assert!(
        status.success(),
        "tests/corpus/synth.py --out {} failed (missing engine? run scripts/setup --tests)",
        dir.display()
    );
    for stem in answer_stems() {
        let labels = load(&stem);
        let wav = hound::WavReader::open(dir.join(format!("{stem}.wav")))
            .unwrap_or_else(|e| panic!("{stem}.wav: {e}"));
        let spec = wav.spec();
        assert_eq!(
            (spec.channels, spec.sample_rate, spec.bits_per_sample),
            (1, 16_000, 16),
            "{stem}"
        );
        let duration_s = f64::from(wav.duration()) / 16_000.0;
        assert!((duration_s - labels.duration_s).abs() < 1e-4, "{stem}");
    }
}
