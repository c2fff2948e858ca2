//! Accuracy of the analysis stage on the labelled corpus in `tests/corpus/`.
//!
//! Two runs share one scorer:
//! - `corpus_with_exact_text` builds transcripts straight from the labels (the
//!   script's words, spread over each sentence's true span): it measures the
//!   analysis rules alone, needs no model and runs everywhere.
//! - `corpus_with_real_model` transcribes every WAV with the real model and
//!   measures the whole chain (transcription + analysis), including the word
//!   error rate with and without disfluency-keeping.
//!
//! Both print a per-answer table and a confusion matrix (run with `--nocapture`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rehearse::analyse::{Analysis, AnalysisConfig, Label, analyse, canonical_filler};
use rehearse::eval::word_error_rate;
use rehearse::transcript::{Segment, Transcript, Word};
use serde::Deserialize;

/// Pass marks (the brief's): fail below these.
const MIN_LABEL_ACCURACY: f64 = 0.85;
const MAX_SHARE_MAE_POINTS: f64 = 8.0;
const MIN_FILLER_PRECISION: f64 = 0.9;
const MIN_FILLER_RECALL: f64 = 0.8;
const MAX_DURATION_ERROR_S: f64 = 0.1;
/// A predicted filler matches a labelled one with the same word within this time.
const FILLER_TOLERANCE_S: f64 = 0.5;
/// Keeping disfluencies may not cost more than this much WER on filler-free answers.
const MAX_WER_COST_POINTS: f64 = 1.0;

#[derive(Deserialize)]
struct Labels {
    duration_s: f64,
    sentences: Vec<LabelledSentence>,
    fillers: Vec<Marked>,
    lookalikes: Vec<Marked>,
}

#[derive(Deserialize)]
struct LabelledSentence {
    label: Label,
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

struct Answer {
    stem: String,
    wav: PathBuf,
    labels: Labels,
}

fn corpus() -> Vec<Answer> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut stems: Vec<String> = std::fs::read_dir(&dir)
        .expect("tests/corpus exists")
        .filter_map(|entry| {
            let name = entry.ok()?.file_name().into_string().ok()?;
            name.strip_suffix(".labels.json").map(str::to_string)
        })
        .collect();
    stems.sort();
    stems
        .into_iter()
        .map(|stem| {
            let json = dir.join(format!("{stem}.labels.json"));
            let text = std::fs::read_to_string(&json).expect("labels readable");
            let labels: Labels = serde_json::from_str(&text).expect("labels parse");
            Answer {
                wav: dir.join(format!("{stem}.wav")),
                stem,
                labels,
            }
        })
        .collect()
}

/// The corpus WAVs are 16 kHz mono 16-bit.
fn read_audio(path: &Path) -> Option<Vec<f32>> {
    let mut reader = hound::WavReader::open(path).ok()?;
    let spec = reader.spec();
    if spec.sample_rate != 16_000 || spec.channels != 1 || spec.bits_per_sample != 16 {
        return None;
    }
    reader
        .samples::<i16>()
        .map(|s| s.ok().map(|v| f32::from(v) / 32768.0))
        .collect()
}

/// Word start times inside a labelled sentence, spread over its span by
/// spelling length (espeak speaks at a steady rate; commas add a little).
fn word_times(sentence: &LabelledSentence) -> Vec<(String, f64, f64)> {
    let words: Vec<&str> = sentence.text.split_whitespace().collect();
    let weight = |w: &str| {
        w.chars().filter(|c| c.is_alphanumeric()).count().max(2) as f64
            + 1.5
            + if w.ends_with(',') { 3.0 } else { 0.0 }
    };
    let total: f64 = words.iter().map(|w| weight(w)).sum();
    let span = sentence.end_s - sentence.start_s;
    let mut at = sentence.start_s;
    words
        .iter()
        .map(|w| {
            let len = span * weight(w) / total;
            let comma = if w.ends_with(',') {
                span * 3.0 / total
            } else {
                0.0
            };
            let item = (w.to_string(), at, at + len - comma);
            at += len;
            item
        })
        .collect()
}

/// A transcript with the script's exact words and estimated word times.
fn exact_transcript(labels: &Labels) -> Transcript {
    let ms = |s: f64| (s * 1000.0).round() as u64;
    let segments: Vec<Segment> = labels
        .sentences
        .iter()
        .map(|sentence| Segment {
            start_ms: ms(sentence.start_s),
            end_ms: ms(sentence.end_s),
            text: sentence.text.clone(),
            words: word_times(sentence)
                .into_iter()
                .map(|(text, start, end)| Word {
                    text: format!(" {text}"),
                    start_ms: ms(start),
                    end_ms: ms(end),
                    probability: 1.0,
                })
                .collect(),
        })
        .collect();
    Transcript {
        schema_version: 1,
        model: "labels".into(),
        duration_ms: ms(labels.duration_s),
        text: labels
            .sentences
            .iter()
            .map(|s| s.text.as_str())
            .collect::<Vec<_>>()
            .join(" "),
        segments,
    }
}

#[derive(Default)]
struct Counts {
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Counts {
    fn add(&mut self, other: &Counts) {
        self.tp += other.tp;
        self.fp += other.fp;
        self.fn_ += other.fn_;
    }
    fn precision(&self) -> f64 {
        if self.tp + self.fp == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fp) as f64
        }
    }
    fn recall(&self) -> f64 {
        if self.tp + self.fn_ == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fn_) as f64
        }
    }
}

/// The label of the predicted sections covering most of `[start_s, end_s]`.
fn covering_label(analysis: &Analysis, start_s: f64, end_s: f64) -> Option<Label> {
    let mut overlap: BTreeMap<Label, f64> = BTreeMap::new();
    for section in &analysis.star.sections {
        let o = end_s.min(section.end_s) - start_s.max(section.start_s);
        if o > 0.0 {
            *overlap.entry(section.label).or_default() += o;
        }
    }
    if overlap.is_empty() {
        // A sentence before the first or after the last word: nearest section.
        return analysis
            .star
            .sections
            .iter()
            .min_by(|a, b| {
                let d = |s: &rehearse::analyse::Section| {
                    (s.start_s - end_s).max(start_s - s.end_s).max(0.0)
                };
                d(a).total_cmp(&d(b))
            })
            .map(|s| s.label);
    }
    overlap
        .into_iter()
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(l, _)| l)
}

/// Time shares of the labelled sections, measured the way the analysis does:
/// first word to last, silences between sentences split at their midpoint.
fn true_shares(labels: &Labels) -> [f64; 5] {
    let s = &labels.sentences;
    let mut seconds = [0.0; 5];
    for (k, sentence) in s.iter().enumerate() {
        let start = if k == 0 {
            sentence.start_s
        } else {
            (s[k - 1].end_s + sentence.start_s) / 2.0
        };
        let end = if k + 1 == s.len() {
            sentence.end_s
        } else {
            (sentence.end_s + s[k + 1].start_s) / 2.0
        };
        seconds[index(sentence.label)] += end - start;
    }
    let total: f64 = seconds.iter().sum();
    seconds.map(|x| if total > 0.0 { x / total } else { 0.0 })
}

fn index(label: Label) -> usize {
    Label::ALL.iter().position(|l| *l == label).unwrap_or(0)
}

fn word_at(labels: &Labels, marked: &Marked) -> Option<(String, f64)> {
    let sentence = labels.sentences.get(marked.sentence_index)?;
    let (_, start, _) = word_times(sentence).into_iter().nth(marked.word_index)?;
    Some((marked.word.to_lowercase(), start))
}

/// Canonical form used on both sides of the filler match.
fn canon(word: &str) -> String {
    canonical_filler(word).map_or_else(|| word.to_lowercase(), str::to_string)
}

fn match_fillers(truth: &[(String, f64)], predicted: &[(String, f64)]) -> Counts {
    let mut used = vec![false; truth.len()];
    let mut counts = Counts::default();
    for (word, at) in predicted {
        let hit = truth
            .iter()
            .enumerate()
            .filter(|(k, (w, t))| {
                !used[*k] && canon(w) == canon(word) && (t - at).abs() <= FILLER_TOLERANCE_S
            })
            .min_by(|a, b| (a.1.1 - at).abs().total_cmp(&(b.1.1 - at).abs()))
            .map(|(k, _)| k);
        match hit {
            Some(k) => {
                used[k] = true;
                counts.tp += 1;
            }
            None => counts.fp += 1,
        }
    }
    counts.fn_ = used.iter().filter(|u| !**u).count();
    counts
}

struct Report {
    correct: usize,
    sentences: usize,
    confusion: [[usize; 5]; 5],
    share_errors: Vec<f64>,
    fillers: Counts,
    sounds: Counts,
    ambiguous: Counts,
    lookalike_hits: usize,
    lookalikes: usize,
    worst_duration_error_s: f64,
    rows: Vec<String>,
}

/// Scores `transcribe` (a WAV in, a transcript out) over the whole corpus.
fn evaluate(answers: &[Answer], transcribe: &dyn Fn(&Answer) -> Transcript) -> Report {
    let config = AnalysisConfig::default();
    let mut report = Report {
        correct: 0,
        sentences: 0,
        confusion: [[0; 5]; 5],
        share_errors: Vec::new(),
        fillers: Counts::default(),
        sounds: Counts::default(),
        ambiguous: Counts::default(),
        lookalike_hits: 0,
        lookalikes: 0,
        worst_duration_error_s: 0.0,
        rows: Vec::new(),
    };
    for answer in answers {
        let labels = &answer.labels;
        let transcript = transcribe(answer);
        let audio = read_audio(&answer.wav);
        let analysis = analyse(&transcript, audio.as_deref(), &config);

        let mut correct = 0;
        let mut wrong = Vec::new();
        for sentence in &labels.sentences {
            let predicted = covering_label(&analysis, sentence.start_s, sentence.end_s);
            if let Some(p) = predicted {
                report.confusion[index(sentence.label)][index(p)] += 1;
            }
            if predicted == Some(sentence.label) {
                correct += 1;
            } else {
                wrong.push(format!(
                    "{}->{}",
                    &sentence.label.name()[..1],
                    predicted.map_or("-", |p| &p.name()[..1])
                ));
            }
        }
        report.correct += correct;
        report.sentences += labels.sentences.len();

        let truth = true_shares(labels);
        let mae = Label::ALL
            .iter()
            .enumerate()
            .map(|(k, &l)| (analysis.star.shares.get(l) - truth[k]).abs())
            .sum::<f64>()
            / 5.0
            * 100.0;
        report.share_errors.push(mae);

        let truth_fillers: Vec<(String, f64)> = labels
            .fillers
            .iter()
            .filter_map(|m| word_at(labels, m))
            .collect();
        let predicted: Vec<(String, f64)> = analysis
            .fillers
            .items
            .iter()
            .filter(|i| i.certain)
            .map(|i| (i.word.clone(), i.start_s))
            .collect();
        let counts = match_fillers(&truth_fillers, &predicted);
        let is_sound = |w: &String| canonical_filler(w).is_some();
        let sounds = match_fillers(
            &truth_fillers
                .iter()
                .filter(|f| is_sound(&f.0))
                .cloned()
                .collect::<Vec<_>>(),
            &predicted
                .iter()
                .filter(|f| is_sound(&f.0))
                .cloned()
                .collect::<Vec<_>>(),
        );
        let ambiguous = match_fillers(
            &truth_fillers
                .iter()
                .filter(|f| !is_sound(&f.0))
                .cloned()
                .collect::<Vec<_>>(),
            &predicted
                .iter()
                .filter(|f| !is_sound(&f.0))
                .cloned()
                .collect::<Vec<_>>(),
        );
        let lookalikes: Vec<(String, f64)> = labels
            .lookalikes
            .iter()
            .filter_map(|m| word_at(labels, m))
            .collect();
        let lookalike_hits = lookalikes
            .iter()
            .filter(|(w, t)| {
                predicted
                    .iter()
                    .any(|(p, at)| canon(p) == canon(w) && (at - t).abs() <= FILLER_TOLERANCE_S)
            })
            .count();
        report.lookalike_hits += lookalike_hits;
        report.lookalikes += lookalikes.len();

        let duration_error = (analysis.duration_s - labels.duration_s).abs();
        report.worst_duration_error_s = report.worst_duration_error_s.max(duration_error);

        report.rows.push(format!(
            "{:<32} {:>6.1} {:>6.1} {:>4}/{:<3} {:>6.1} {:>3} {:>3} {:>3} {:>4}/{:<3} {:>3} {}",
            answer.stem,
            labels.duration_s,
            analysis.duration_s,
            correct,
            labels.sentences.len(),
            mae,
            counts.tp,
            counts.fp,
            counts.fn_,
            lookalike_hits,
            lookalikes.len(),
            analysis.fillers.possible,
            wrong.join(" ")
        ));
        report.fillers.add(&counts);
        report.sounds.add(&sounds);
        report.ambiguous.add(&ambiguous);
    }
    report
}

impl Report {
    fn accuracy(&self) -> f64 {
        if self.sentences == 0 {
            0.0
        } else {
            self.correct as f64 / self.sentences as f64
        }
    }

    fn share_mae(&self) -> f64 {
        if self.share_errors.is_empty() {
            0.0
        } else {
            self.share_errors.iter().sum::<f64>() / self.share_errors.len() as f64
        }
    }

    fn print(&self, title: &str) {
        println!("\n== {title} ==");
        println!(
            "{:<32} {:>6} {:>6} {:>8} {:>6} {:>3} {:>3} {:>3} {:>8} {:>3} wrong (truth->predicted)",
            "answer", "true s", "got s", "labels", "mae pp", "tp", "fp", "fn", "lookalk", "pos"
        );
        for row in &self.rows {
            println!("{row}");
        }
        println!("\nconfusion (rows: truth, columns: predicted)");
        println!(
            "{:>10} {:>5} {:>5} {:>5} {:>5} {:>5}",
            "", "S", "T", "A", "R", "L"
        );
        for (k, row) in self.confusion.iter().enumerate() {
            println!(
                "{:>10} {:>5} {:>5} {:>5} {:>5} {:>5}",
                Label::ALL[k].name(),
                row[0],
                row[1],
                row[2],
                row[3],
                row[4]
            );
        }
        println!(
            "\nsentence-label accuracy {:.1} % ({}/{}); share MAE {:.1} pp; worst duration error {:.3} s",
            self.accuracy() * 100.0,
            self.correct,
            self.sentences,
            self.share_mae(),
            self.worst_duration_error_s
        );
        println!(
            "fillers (certain items): precision {:.2} recall {:.2} (tp {} fp {} fn {}); um/uh: P {:.2} R {:.2}; ambiguous words: P {:.2} R {:.2}; look-alikes flagged {}/{}",
            self.fillers.precision(),
            self.fillers.recall(),
            self.fillers.tp,
            self.fillers.fp,
            self.fillers.fn_,
            self.sounds.precision(),
            self.sounds.recall(),
            self.ambiguous.precision(),
            self.ambiguous.recall(),
            self.lookalike_hits,
            self.lookalikes
        );
    }

    fn check(&self, check_duration: bool) {
        assert!(self.sentences > 0, "the corpus is empty");
        let mut failures = Vec::new();
        if self.accuracy() < MIN_LABEL_ACCURACY {
            failures.push(format!(
                "sentence-label accuracy {:.1} % < {:.0} %",
                self.accuracy() * 100.0,
                MIN_LABEL_ACCURACY * 100.0
            ));
        }
        if self.share_mae() > MAX_SHARE_MAE_POINTS {
            failures.push(format!(
                "share MAE {:.1} pp > {MAX_SHARE_MAE_POINTS} pp",
                self.share_mae()
            ));
        }
        if self.fillers.precision() < MIN_FILLER_PRECISION {
            failures.push(format!(
                "filler precision {:.2} < {MIN_FILLER_PRECISION}",
                self.fillers.precision()
            ));
        }
        if self.fillers.recall() < MIN_FILLER_RECALL {
            failures.push(format!(
                "filler recall {:.2} < {MIN_FILLER_RECALL}",
                self.fillers.recall()
            ));
        }
        if check_duration && self.worst_duration_error_s > MAX_DURATION_ERROR_S {
            failures.push(format!(
                "duration off by {:.3} s > {MAX_DURATION_ERROR_S} s",
                self.worst_duration_error_s
            ));
        }
        assert!(failures.is_empty(), "{}", failures.join("; "));
    }
}

#[test]
fn corpus_with_exact_text() {
    let answers = corpus();
    let report = evaluate(&answers, &|answer: &Answer| {
        exact_transcript(&answer.labels)
    });
    report.print("exact text (analysis rules alone)");
    report.check(true);
}

#[test]
fn corpus_with_real_model() {
    use rehearse::transcribe::{TranscribeOptions, transcribe_wav};

    let model_path = rehearse::model::resolve_model(None)
        .unwrap_or_else(|e| panic!("the real-model corpus test needs a model: {e}"));
    let answers = corpus();
    let run = |path: &Path, keep_disfluencies: bool| -> Transcript {
        let options = TranscribeOptions {
            model_path: model_path.clone(),
            keep_disfluencies,
            ..Default::default()
        };
        transcribe_wav(path, &options)
            .unwrap_or_else(|e| panic!("transcribing {}: {e}", path.display()))
    };

    // Each WAV is transcribed once with disfluencies kept (for the analysis),
    // and the filler-free ones once more without (for the WER comparison).
    let kept: BTreeMap<String, Transcript> = answers
        .iter()
        .map(|answer| (answer.stem.clone(), run(&answer.wav, true)))
        .collect();
    let report = evaluate(&answers, &|answer: &Answer| kept[&answer.stem].clone());
    report.print("real model, keep_disfluencies = true");

    let mut plain = Vec::new();
    let mut keep = Vec::new();
    for answer in answers.iter().filter(|a| a.labels.fillers.is_empty()) {
        let reference = answer
            .labels
            .sentences
            .iter()
            .map(|s| s.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let without = word_error_rate(&reference, &run(&answer.wav, false).text).wer;
        let with = word_error_rate(&reference, &kept[&answer.stem].text).wer;
        println!(
            "WER {:<32} plain {:>5.1} %  keep {:>5.1} %",
            answer.stem,
            without * 100.0,
            with * 100.0
        );
        plain.push(without);
        keep.push(with);
    }
    let mean = |v: &[f64]| {
        if v.is_empty() {
            0.0
        } else {
            v.iter().sum::<f64>() / v.len() as f64 * 100.0
        }
    };
    println!(
        "WER on {} filler-free answers: plain {:.1} %, keep_disfluencies {:.1} %",
        plain.len(),
        mean(&plain),
        mean(&keep)
    );

    report.check(true);
    assert!(
        !plain.is_empty(),
        "the corpus has no filler-free answer for the WER check"
    );
    assert!(
        mean(&keep) - mean(&plain) <= MAX_WER_COST_POINTS,
        "keep_disfluencies raises WER from {:.1} % to {:.1} %",
        mean(&plain),
        mean(&keep)
    );
}
