//! The views on real-model output: four corpus answers with fillers are
//! transcribed and analysed by the real binary (`analyse --save`), then
//! `show` (colour off), `compare` and `report` (in headless Chromium) are held
//! against the stored `analysis.json` and `transcript.json`:
//!
//! - every marked word is a word of a counted filler, and every counted
//!   filler's words are marked (by transcript index), one mark per filler
//!   ("*I mean*", not "*I* *mean*");
//! - a section header (a `──` line, an `<h3>`) comes only before the first
//!   word of a sentence, exactly where the label changes, and each sentence's
//!   words lie between two headers, in one colour;
//! - no sentence is a fragment: none under 3 words unless it is the whole
//!   answer, none of zero length; the word ranges tile the transcript;
//! - every word in the page seeks to its own transcript time.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use crate::common::{self, Rehearse, corpus_wav};
use crate::review_support::browser::browser_check;
use rehearse::analyse::{ANALYSIS_SCHEMA_VERSION, Analysis};
use rehearse::transcript::Transcript;

/// Answers with um/uh/like and other fillers (see their `labels.json`).
const ANSWERS: [&str; 4] = [
    "01-checkout-timeouts",
    "03-tax-api-outage",
    "05-memory-leak",
    "13-escalations-in-the-tracker",
];

struct Take {
    id: String,
    dir: PathBuf,
    transcript: Transcript,
    analysis: Analysis,
}

impl Take {
    /// Non-empty transcript words as (index, text), the way the views list them.
    fn words(&self) -> Vec<(usize, String)> {
        self.transcript
            .words()
            .enumerate()
            .map(|(i, w)| (i, w.text.trim().to_string()))
            .filter(|(_, text)| !text.is_empty())
            .collect()
    }

    fn fillers(&self) -> BTreeSet<usize> {
        self.filler_spans()
            .into_iter()
            .flat_map(|(first, end)| first..end)
            .collect()
    }

    /// Each counted filler as (first word, end word).
    fn filler_spans(&self) -> BTreeSet<(usize, usize)> {
        self.analysis
            .fillers
            .items
            .iter()
            .filter(|item| item.certain)
            .map(|item| (item.word_range().start, item.word_range().end))
            .collect()
    }
}

/// The filler marks a view prints, gathered word by word as spans of
/// transcript indexes: a mark opens on a filler's first word and closes on
/// its last.
#[derive(Default)]
struct Marks {
    open: Option<usize>,
    spans: BTreeSet<(usize, usize)>,
}

impl Marks {
    /// Word `index` opens and/or closes a mark; returns whether it is marked.
    fn word(&mut self, index: usize, opens: bool, closes: bool) -> bool {
        if opens {
            assert!(
                self.open.is_none(),
                "a mark opens inside another at {index}"
            );
            self.open = Some(index);
        }
        let marked = self.open.is_some();
        if closes {
            let first = self.open.take().expect("a mark closes that was opened");
            self.spans.insert((first, index + 1));
        }
        marked
    }
}

fn save_takes(data: &Path) -> Vec<Take> {
    let mut takes = Vec::new();
    for stem in ANSWERS {
        let wav = corpus_wav(stem);
        // Greedy decoding keeps the test quick; the decode is still primed for fillers.
        let run = Rehearse::new(data).with_model().run([
            Path::new("analyse"),
            &wav,
            Path::new("--save"),
            Path::new("--greedy"),
        ]);
        run.assert_ok();
        let id = run
            .stderr
            .lines()
            .find_map(|line| line.strip_prefix("saved as session "))
            .expect("session id on stderr")
            .trim()
            .to_string();
        let dir = data.join("sessions").join(&id);
        let read = |name: &str| fs::read_to_string(dir.join(name)).expect(name);
        if let Some(keep) = std::env::var_os("REHEARSE_KEEP_SCREENSHOTS") {
            for name in ["transcript.json", "analysis.json"] {
                let _ = fs::copy(
                    dir.join(name),
                    Path::new(&keep).join(format!("{stem}.{name}")),
                );
            }
        }
        takes.push(Take {
            transcript: serde_json::from_str(&read("transcript.json")).expect("transcript"),
            analysis: serde_json::from_str(&read("analysis.json")).expect("analysis"),
            id,
            dir,
        });
    }
    takes
}

/// Sentence ranges tile the transcript; no fragment, no zero-length sentence.
fn check_sentences(take: &Take) {
    let a = &take.analysis;
    assert_eq!(a.schema_version, ANALYSIS_SCHEMA_VERSION);
    let mut next = 0;
    for s in &a.sentences {
        assert_eq!(s.first_word, next, "{}: ranges tile the words", take.id);
        assert!(s.end_word > s.first_word, "{}: empty sentence", take.id);
        next = s.end_word;
        assert!(
            s.end_s > s.start_s,
            "{}: zero-length sentence {s:?}",
            take.id
        );
        if a.sentences.len() > 1 {
            assert!(
                s.text.split_whitespace().count() >= 3,
                "{}: fragment {:?}",
                take.id,
                s.text
            );
        }
    }
    assert_eq!(next, take.transcript.words().count(), "{}", take.id);
    let counted: usize = a.fillers.items.iter().filter(|i| i.certain).count();
    assert_eq!(counted, a.fillers.total, "{}", take.id);
    assert!(a.fillers.total > 0, "{}: the answer has fillers", take.id);
    let words: Vec<String> = take.transcript.words().map(|w| w.text.clone()).collect();
    for item in a.fillers.items.iter().filter(|i| i.certain) {
        let first = item.word_index.expect("a counted filler is words");
        let shown = rehearse::analyse::canonical_filler(&words[first]);
        let norm = words[first]
            .trim()
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase();
        assert!(
            shown.is_some_and(|s| s == item.word) || item.word.starts_with(&norm),
            "{}: filler {:?} points at {:?}",
            take.id,
            item.word,
            words[first]
        );
    }
}

/// What `show` prints for the transcript: header lines, and per sentence
/// line the tokens of it and its continuation lines.
enum Shown {
    Header(String),
    Sentence(String, Vec<String>),
}

fn parse_show(stdout: &str) -> Vec<Shown> {
    let body = stdout
        .split_once("\nTranscript\n")
        .expect("a transcript section")
        .1;
    // The transcript ends at the first blank line (the legend or the metrics follow).
    let body = body.split_once("\n\n").map_or(body, |(t, _)| t);
    let mut out = Vec::new();
    for line in body.lines() {
        if let Some(header) = line.strip_prefix("── ") {
            out.push(Shown::Header(header.to_string()));
        } else if line.starts_with('[') {
            // `[00:12] S  words…`
            let (letter, rest) = line[8..].split_at(1);
            out.push(Shown::Sentence(letter.to_string(), tokens(rest)));
        } else if let Some(Shown::Sentence(_, words)) = out.last_mut() {
            words.extend(tokens(line));
        } else {
            panic!("unexpected line {line:?} in:\n{body}");
        }
    }
    out
}

/// Words of a printed line, without pauses and acoustic possible fillers.
fn tokens(line: &str) -> Vec<String> {
    let mut text = line.to_string();
    while let Some(start) = text.find("… (") {
        let end = text[start..].find(") …").expect("pause closes") + start + ") …".len();
        text.replace_range(start..end, " ");
    }
    text.split_whitespace()
        .filter(|t| !t.starts_with("*("))
        .map(str::to_string)
        .collect()
}

/// Whether a printed token (transcript word `word`) opens a `*` mark before
/// it and whether it closes one after it.
fn star_marks(token: &str, word: &str, take: &Take) -> (bool, bool) {
    if token == format!("{word}(?)") {
        return (false, false);
    }
    let (opens, rest) = token
        .strip_prefix('*')
        .map_or((false, token), |r| (true, r));
    let (closes, rest) = rest.strip_suffix('*').map_or((false, rest), |r| (true, r));
    assert_eq!(
        rest, word,
        "{}: printed {token:?} where the word is {word:?}",
        take.id
    );
    (opens, closes)
}

fn check_show(take: &Take, stdout: &str) {
    let shown = parse_show(stdout);
    let words = take.words();
    let sentences = &take.analysis.sentences;
    let mut k = 0; // next sentence
    let mut next_word = 0; // position in `words`
    let mut header_before = false;
    let mut marks = Marks::default();
    for item in &shown {
        match item {
            Shown::Header(text) => {
                let s = sentences.get(k).expect("a header before a sentence");
                assert!(
                    text.starts_with(&s.label.name().to_uppercase()),
                    "{}: header {text:?} before a {:?} sentence",
                    take.id,
                    s.label
                );
                header_before = true;
            }
            Shown::Sentence(letter, tokens) => {
                let s = &sentences[k];
                let opens = k == 0 || sentences[k - 1].label != s.label;
                assert_eq!(
                    header_before, opens,
                    "{}: a header exactly where sentence {k} changes label",
                    take.id
                );
                assert_eq!(
                    letter,
                    &s.label.name()[..1].to_uppercase(),
                    "{}: one label per sentence",
                    take.id
                );
                header_before = false;
                let in_range: Vec<&(usize, String)> = words[next_word..]
                    .iter()
                    .take_while(|(i, _)| *i < s.end_word)
                    .collect();
                assert_eq!(
                    tokens.len(),
                    in_range.len(),
                    "{}: sentence {k} prints its own words: {tokens:?} vs {:?}",
                    take.id,
                    s.text
                );
                for (token, (index, word)) in tokens.iter().zip(&in_range) {
                    assert!(s.words().contains(index));
                    let (opens, closes) = star_marks(token, word, take);
                    marks.word(*index, opens, closes);
                }
                next_word += in_range.len();
                k += 1;
            }
        }
    }
    assert_eq!(k, sentences.len(), "{}: one line per sentence", take.id);
    assert_eq!(next_word, words.len(), "{}: every word printed", take.id);
    assert_eq!(
        marks.spans,
        take.filler_spans(),
        "{}: one mark around each counted filler, none elsewhere",
        take.id
    );
}

/// In `compare A B` each word of A appears (kept or removed) in order, and
/// each of B (kept or added); a mark sits on a filler of its take, or on a
/// kept word that is a filler in the other take.
fn check_compare(a: &Take, b: &Take, stdout: &str) {
    let body = stdout
        .split_once("fillers *marked*\n")
        .expect("a diff section")
        .1;
    let body = body.split("\n\n").next().unwrap_or(body);
    // Words as (text, marked, side): 0 kept, 1 removed (A), 2 added (B).
    let mut side = 0;
    let mut seen = Vec::new();
    let mut marks = Marks::default();
    for token in body.split_whitespace() {
        let mut t = token;
        if let Some(rest) = t.strip_prefix("[-") {
            side = 1;
            t = rest;
        } else if let Some(rest) = t.strip_prefix("{+") {
            side = 2;
            t = rest;
        }
        let mut close = false;
        if let Some(rest) = t.strip_suffix("-]").or_else(|| t.strip_suffix("+}")) {
            t = rest;
            close = true;
        }
        let (opens, rest) = t.strip_prefix('*').map_or((false, t), |r| (true, r));
        let (closes, text) = rest.strip_suffix('*').map_or((false, rest), |r| (true, r));
        let is_marked = marks.word(seen.len(), opens, closes);
        seen.push((text.to_string(), is_marked, side));
        if close {
            side = 0;
        }
    }
    for (take, other_side) in [(a, 2), (b, 1)] {
        let words = take.words();
        let fillers = take.fillers();
        let mine: Vec<&(String, bool, i32)> =
            seen.iter().filter(|(_, _, s)| *s != other_side).collect();
        assert_eq!(
            mine.len(),
            words.len(),
            "{}: every word in the diff",
            take.id
        );
        for ((text, is_marked, s), (index, word)) in mine.iter().zip(&words) {
            if *s != 0 {
                assert_eq!(text, word, "{}", take.id);
            }
            if fillers.contains(index) {
                assert!(is_marked, "{}: filler {word:?} ({index}) unmarked", take.id);
            } else if *is_marked {
                assert_eq!(
                    *s, 0,
                    "{}: {word:?} ({index}) marked but no filler",
                    take.id
                );
            }
        }
    }
}

fn check_report(take: &Take, data: &Path) {
    let page = take.dir.join("view-test.html");
    Rehearse::new(data)
        .run([
            Path::new("report"),
            Path::new(&take.id),
            Path::new("-o"),
            &page,
        ])
        .assert_ok();
    let out_dir = take.dir.join("browser");
    fs::create_dir_all(&out_dir).unwrap();
    let a = &take.analysis;
    let expect = serde_json::json!({
        "sections": a.star.sections.len(),
        "markers": a.pauses.len() + a.fillers.items.len(),
        "words": take.words().len(),
    });
    let findings = browser_check(&page, &out_dir, expect, "report");
    let times: Vec<f64> = take
        .transcript
        .words()
        .map(|w| w.start_ms as f64 / 1000.0)
        .collect();
    let mut marks = Marks::default();
    let mut k = 0;
    let mut header_before = false;
    for el in findings["transcript"].as_array().expect("transcript") {
        if el["kind"] == "header" {
            let s = &a.sentences[k];
            assert_eq!(el["label"], s.label.name(), "{}", take.id);
            header_before = true;
            continue;
        }
        let s = &a.sentences[k];
        assert_eq!(
            header_before,
            k == 0 || a.sentences[k - 1].label != s.label,
            "{}: header exactly where sentence {k} changes label",
            take.id
        );
        header_before = false;
        assert_eq!(el["labels"], serde_json::json!([s.label.name()]));
        assert!(el["colours"].as_u64() <= Some(1), "{}: one colour", take.id);
        let words = el["words"].as_array().unwrap();
        for w in words {
            let index = w["index"].as_u64().unwrap() as usize;
            assert!(
                s.words().contains(&index),
                "{}: word {index} in sentence {k}",
                take.id
            );
            let start = w["start"].as_f64().unwrap();
            assert!(
                (start - times[index]).abs() < 0.006,
                "{}: word {index} seeks to {start}, its time is {}",
                take.id,
                times[index]
            );
            if w["filler"].as_bool().unwrap() {
                let goes_on = w["goesOn"].as_bool().unwrap();
                marks.word(index, marks.open.is_none(), !goes_on);
            }
        }
        k += 1;
    }
    assert_eq!(k, a.sentences.len(), "{}", take.id);
    assert_eq!(
        marks.spans,
        take.filler_spans(),
        "{}: one highlight for each counted filler, none elsewhere",
        take.id
    );
}

#[test]
fn views_mark_fillers_and_sections_by_word_on_real_takes() {
    let _heavy = common::heavy();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let takes = save_takes(data);
    let mut sentences = 0;
    for take in &takes {
        check_sentences(take);
        sentences += take.analysis.sentences.len();
        let show = Rehearse::new(data).run(["show", &take.id]);
        show.assert_ok();
        if take.id == takes[0].id {
            println!("{}", show.stdout);
        }
        check_show(take, &show.stdout);
        check_report(take, data);
        println!(
            "{}: {} sentences, {} counted fillers marked in show and report",
            take.id,
            take.analysis.sentences.len(),
            take.fillers().len()
        );
    }
    for pair in takes.chunks(2) {
        let compare = Rehearse::new(data).run(["compare", &pair[0].id, &pair[1].id]);
        compare.assert_ok();
        check_compare(&pair[0], &pair[1], &compare.stdout);
    }
    println!("{} takes, {sentences} sentences", takes.len());
}
