//! Trains the learned sentence model (`src/analyse/sentence_model.tsv`) and
//! checks that the checked-in one learned from the tune part only.
//!
//! `cargo test --release --test all train_sentence_model -- --ignored` runs
//! the real model on the tune answers and on the retellings of their stories
//! (`REHEARSE_CORPUS_TRANSCRIPTS` caches the transcripts, as for the corpus
//! test), labels each sentence with the labelled sentence it overlaps most,
//! fits a multinomial logistic regression (L2, C = 1, the intercept free) and
//! writes the weights file. No held-out answer, and no retelling of a held-out
//! story, is read.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::analysis_corpus::{
    Answer, LabelledSentence, corpus, covering_label, index, real_transcript, score_analysis,
};
use crate::common::{self, corpus_wav, model_path};
use crate::spoken_stories;
use rehearse::analyse::sentence_model::{self, BIAS, Weights};
use rehearse::analyse::{AnalysisConfig, Label, LabelTuning, analyse_tuned, sentence_features};
use rehearse::transcript::Transcript;
use serde::Deserialize;

/// A feature made of the words (a word or a pair) is kept only when at least
/// this many training sentences have it: one sentence's words are its story's.
const MIN_SENTENCES_PER_WORD_FEATURE: usize = 2;
/// Inverse strength of the L2 penalty (as C in common libraries).
const C: f64 = 1.0;
const ITERATIONS: usize = 4000;
/// Adam's step, decayed geometrically to a hundredth of it by the last
/// iteration so the weights settle.
const LEARNING_RATE: f64 = 0.02;

#[derive(Deserialize)]
struct Retold {
    retells: String,
    sentences: Vec<LabelledSentence>,
}

struct Example {
    features: Vec<(usize, f64)>,
    label: usize,
}

#[test]
fn the_sentence_model_learned_from_tune_answers_only() {
    let answers = corpus();
    let held_out: BTreeSet<&str> = answers
        .iter()
        .filter(|a| a.labels.split != "tune")
        .map(|a| a.stem.as_str())
        .collect();
    let trained = sentence_model::trained_on();
    assert!(
        trained.len() >= 40,
        "the model names {} answers",
        trained.len()
    );
    for stem in &trained {
        assert!(
            !held_out.contains(stem.as_str()),
            "the sentence model learned from held-out answer {stem}"
        );
        let retold = spoken_stories::retold_dir().join(format!("{stem}.labels.json"));
        if retold.exists() {
            let r: Retold = serde_json::from_str(&std::fs::read_to_string(&retold).unwrap())
                .unwrap_or_else(|e| panic!("{}: {e}", retold.display()));
            assert!(
                !held_out.contains(r.retells.as_str()),
                "the sentence model learned from {stem}, a retelling of held-out {}",
                r.retells
            );
        } else {
            assert!(
                answers.iter().any(|a| &a.stem == stem),
                "the model names {stem}, which is not in the corpus"
            );
        }
    }
}

#[test]
#[ignore = "writes src/analyse/sentence_model.tsv; run when the rules or the corpus change"]
fn train_sentence_model() {
    let _heavy = common::heavy();
    let model = model_path();
    let sources = tune_sources();
    let raw: Vec<(Vec<(String, f64)>, usize)> =
        training_sentences(&model, &sources, &LabelTuning::CHOSEN)
            .into_iter()
            .map(|s| (s.features, s.label))
            .collect();
    let (names, examples) = index_features(&raw);
    let weights = fit(
        &examples,
        names.len(),
        names.iter().position(|n| n == BIAS),
        C,
    );
    let correct = examples
        .iter()
        .filter(|e| argmax(&scores(&weights, &e.features)) == e.label)
        .count();
    println!(
        "trained on {} answers, {} sentences, {} features; training accuracy {:.1} %",
        sources.len(),
        examples.len(),
        names.len(),
        100.0 * correct as f64 / examples.len() as f64
    );
    let header = vec![
        "STAR section of a sentence: multinomial logistic regression (see sentence_model.rs)."
            .to_string(),
        format!(
            "{} sentences; C = {C}; word features in at least {MIN_SENTENCES_PER_WORD_FEATURE} sentences.",
            examples.len()
        ),
        format!(
            "trained on: {}",
            sources
                .iter()
                .map(|(s, _)| s.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        ),
    ];
    let table: Vec<(String, [f64; 5])> = names.into_iter().zip(weights).collect();
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/analyse/sentence_model.tsv");
    std::fs::write(&out, sentence_model::to_tsv(&table, &header)).expect("weights written");
    println!("wrote {}", out.display());
}

/// Folds for cross-validation; a story and its retelling share one.
const FOLDS: usize = 5;

/// Chooses C without the held-out part: each tune story in turn is left out
/// with its retelling, the model fitted on the rest labels its sentences
/// alone (no rules, no smoothing), and the accuracy over all left-out
/// sentences is printed for each C tried.
#[test]
#[ignore = "fits the sentence model many times; run when choosing C"]
fn cross_validate_sentence_model() {
    let _heavy = common::heavy();
    let model = model_path();
    let sentences = training_sentences(&model, &tune_sources(), &LabelTuning::CHOSEN);
    let fold_of = folds(sentences.iter().map(|s| s.stem.as_str()));
    for c in [0.1, 0.3, 1.0, 3.0] {
        let mut correct = 0usize;
        for fold in 0..FOLDS {
            let (test, train): (Vec<_>, Vec<_>) = sentences
                .iter()
                .map(|s| (fold_of[&s.stem], (s.features.clone(), s.label)))
                .partition(|(f, _)| *f == fold);
            let train: Vec<_> = train.into_iter().map(|(_, example)| example).collect();
            let (names, examples) = index_features(&train);
            let weights = fit(
                &examples,
                names.len(),
                names.iter().position(|n| n == BIAS),
                c,
            );
            let at: BTreeMap<&str, usize> = names
                .iter()
                .enumerate()
                .map(|(k, n)| (n.as_str(), k))
                .collect();
            correct += test
                .iter()
                .filter(|(_, (features, label))| {
                    let known: Vec<(usize, f64)> = features
                        .iter()
                        .filter_map(|(n, v)| at.get(n.as_str()).map(|&k| (k, *v)))
                        .collect();
                    argmax(&scores(&weights, &known)) == *label
                })
                .count();
        }
        println!(
            "C = {c}: cross-validated accuracy of the model alone {:.1} % ({correct} of {})",
            100.0 * correct as f64 / sentences.len() as f64,
            sentences.len()
        );
    }
}

/// Each stem's fold: stories in sorted order, dealt round the folds; a
/// retelling ("r" before the answer's stem) goes with its story.
fn folds<'a>(stems: impl Iterator<Item = &'a str>) -> BTreeMap<String, usize> {
    let story = |stem: &str| stem.trim_start_matches('r').to_string();
    let stems: BTreeSet<&str> = stems.collect();
    let stories: Vec<String> = stems
        .iter()
        .map(|s| story(s))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    stems
        .iter()
        .map(|s| {
            let k = stories
                .iter()
                .position(|t| *t == story(s))
                .expect("a known story");
            (s.to_string(), k % FOLDS)
        })
        .collect()
}

/// The labelling numbers tried by `cross_validate_label_tuning`: the chosen
/// ones and one change at a time around them.
fn label_tunings() -> Vec<(&'static str, LabelTuning)> {
    let chosen = LabelTuning::CHOSEN;
    let with = |change: fn(&mut LabelTuning)| {
        let mut t = chosen;
        change(&mut t);
        t
    };
    vec![
        ("chosen", chosen),
        ("model weight 0.5", with(|t| t.model_weight = 0.5)),
        ("model weight 1.0", with(|t| t.model_weight = 1.0)),
        ("situation prior 0.6", with(|t| t.prior_peak[0] = 0.6)),
        (
            "priors x0.5",
            with(|t| t.prior_peak = t.prior_peak.map(|p| p * 0.5)),
        ),
        (
            "priors x1.5",
            with(|t| t.prior_peak = t.prior_peak.map(|p| p * 1.5)),
        ),
        ("no start costs", with(|t| t.start_cost = [0.0; 5])),
    ]
}

/// Chooses the labelling numbers (`LabelTuning`) without the held-out part.
/// For each setting tried, each fold of tune stories is left out in turn
/// (with the retellings of its stories); the sentence model is fitted on the
/// rest, with features computed under that setting, and the whole analysis
/// labels the fold's tune answers. Prints per setting the sentence labels,
/// the share error and the learning check over all tune answers, each scored
/// as the corpus test scores them. `REHEARSE_CV_ERRORS=1` also lists each
/// sentence labelled wrong under the chosen numbers.
#[test]
#[ignore = "fits the sentence model five times a setting; run when changing LabelTuning"]
fn cross_validate_label_tuning() {
    let _heavy = common::heavy();
    let model = model_path();
    let sources = tune_sources();
    let transcripts: BTreeMap<&str, Transcript> = sources
        .iter()
        .map(|(stem, _)| {
            (
                stem.as_str(),
                real_transcript(&model, &corpus_wav(stem), true),
            )
        })
        .collect();
    let answers: Vec<Answer> = corpus()
        .into_iter()
        .filter(|a| a.labels.split == "tune")
        .collect();
    let fold_of = folds(sources.iter().map(|(stem, _)| stem.as_str()));
    // `REHEARSE_CV_SETTING=chosen` runs one setting by its name.
    let only = std::env::var("REHEARSE_CV_SETTING").ok();
    for (name, tuning) in label_tunings()
        .into_iter()
        .filter(|(name, _)| only.as_deref().is_none_or(|o| o == *name))
    {
        let sentences: Vec<TrainingSentence> = sources
            .iter()
            .flat_map(|(stem, truth)| {
                labelled_features(stem, &transcripts[stem.as_str()], truth, &tuning)
            })
            .collect();
        let (mut correct, mut labelled, mut share_mae, mut learning_right) = (0, 0, 0.0, 0);
        let mut errors: BTreeMap<String, usize> = BTreeMap::new();
        let mut learning_wrong: Vec<&str> = Vec::new();
        for fold in 0..FOLDS {
            let train: Vec<_> = sentences
                .iter()
                .filter(|s| fold_of[&s.stem] != fold)
                .map(|s| (s.features.clone(), s.label))
                .collect();
            let (names, examples) = index_features(&train);
            let bias = names.iter().position(|n| n == BIAS);
            let fitted = fit(&examples, names.len(), bias, C);
            let weights = Weights::from_pairs(names.into_iter().zip(fitted));
            for answer in answers.iter().filter(|a| fold_of[&a.stem] == fold) {
                let analysis = analyse_tuned(
                    &transcripts[answer.stem.as_str()],
                    &AnalysisConfig::default(),
                    &tuning,
                    &weights,
                );
                let score = score_analysis(answer, &analysis);
                if std::env::var_os("REHEARSE_CV_ERRORS").is_some() && name == "chosen" {
                    for t in &answer.labels.sentences {
                        let got = covering_label(&analysis, t.start_s, t.end_s);
                        if got != Some(t.label) {
                            println!("  {} {:?}->{:?}: {}", answer.stem, t.label, got, t.text);
                        }
                    }
                }
                correct += score.correct;
                labelled += score.sentences;
                share_mae += score.share_mae;
                learning_right += usize::from(score.checks_right.0);
                if !score.checks_right.0 {
                    learning_wrong.push(&answer.stem);
                }
                for e in score.wrong.iter().filter(|e| e.contains("->")) {
                    *errors.entry(e.clone()).or_default() += 1;
                }
            }
        }
        println!(
            "{name}: labels {:.1} % ({correct} of {labelled}), share error {:.2} points, \
             learning check {learning_right} of {} ({tuning:?})",
            100.0 * correct as f64 / labelled as f64,
            share_mae / answers.len() as f64,
            answers.len(),
        );
        let mut errors: Vec<(String, usize)> = errors.into_iter().collect();
        errors.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let errors: Vec<String> = errors.iter().map(|(e, n)| format!("{e} {n}")).collect();
        println!(
            "  errors: {}; learning check wrong: {}",
            errors.join(", "),
            learning_wrong.join(" ")
        );
    }
}

/// The tune answers and the retellings of tune stories, with their labels.
fn tune_sources() -> Vec<(String, Vec<LabelledSentence>)> {
    let answers = corpus();
    let tune: BTreeSet<String> = answers
        .iter()
        .filter(|a| a.labels.split == "tune")
        .map(|a| a.stem.clone())
        .collect();
    let mut sources: Vec<(String, Vec<LabelledSentence>)> = Vec::new();
    for answer in answers.into_iter().filter(|a| a.labels.split == "tune") {
        sources.push((answer.stem, answer.labels.sentences));
    }
    for stem in spoken_stories::retold_stems() {
        let path = spoken_stories::retold_dir().join(format!("{stem}.labels.json"));
        let r: Retold = serde_json::from_str(&std::fs::read_to_string(&path).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        if tune.contains(&r.retells) {
            sources.push((stem, r.sentences));
        }
    }
    sources
}

/// A sentence of a source's real-model transcript, with the label of the
/// labelled sentence it overlaps most.
struct TrainingSentence {
    stem: String,
    features: Vec<(String, f64)>,
    label: usize,
}

fn training_sentences(
    model: &Path,
    sources: &[(String, Vec<LabelledSentence>)],
    tuning: &LabelTuning,
) -> Vec<TrainingSentence> {
    sources
        .iter()
        .flat_map(|(stem, truth)| {
            let transcript = real_transcript(model, &corpus_wav(stem), true);
            labelled_features(stem, &transcript, truth, tuning)
        })
        .collect()
}

/// The sentences of one transcript with their features and the label of
/// the labelled sentence each overlaps most.
fn labelled_features(
    stem: &str,
    transcript: &Transcript,
    truth: &[LabelledSentence],
    tuning: &LabelTuning,
) -> Vec<TrainingSentence> {
    sentence_features(transcript, tuning)
        .into_iter()
        .filter_map(|s| {
            overlapping(truth, s.start_s, s.end_s).map(|label| TrainingSentence {
                stem: stem.to_string(),
                features: s.features,
                label: index(label),
            })
        })
        .collect()
}

/// The label of the labelled sentence that overlaps this span most.
fn overlapping(truth: &[LabelledSentence], start_s: f64, end_s: f64) -> Option<Label> {
    truth
        .iter()
        .map(|t| (t.label, end_s.min(t.end_s) - start_s.max(t.start_s)))
        .filter(|(_, o)| *o > 0.0)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(l, _)| l)
}

/// Feature names (sorted) and the examples over their indices; word features
/// seen in too few sentences are dropped.
fn index_features(raw: &[(Vec<(String, f64)>, usize)]) -> (Vec<String>, Vec<Example>) {
    let mut sentences_with: BTreeMap<&str, usize> = BTreeMap::new();
    for (features, _) in raw {
        for (name, _) in features {
            *sentences_with.entry(name.as_str()).or_default() += 1;
        }
    }
    let is_words = |n: &str| n.starts_with("w:") || n.starts_with("b:");
    let names: Vec<String> = sentences_with
        .iter()
        .filter(|(n, count)| !is_words(n) || **count >= MIN_SENTENCES_PER_WORD_FEATURE)
        .map(|(n, _)| n.to_string())
        .collect();
    let at: BTreeMap<&str, usize> = names
        .iter()
        .enumerate()
        .map(|(k, n)| (n.as_str(), k))
        .collect();
    let examples = raw
        .iter()
        .map(|(features, label)| Example {
            features: features
                .iter()
                .filter_map(|(n, v)| at.get(n.as_str()).map(|&k| (k, *v)))
                .collect(),
            label: *label,
        })
        .collect();
    (names, examples)
}

fn scores(weights: &[[f64; 5]], features: &[(usize, f64)]) -> [f64; 5] {
    let mut z = [0.0; 5];
    for &(k, v) in features {
        for l in 0..5 {
            z[l] += weights[k][l] * v;
        }
    }
    z
}

fn argmax(z: &[f64; 5]) -> usize {
    (0..5).max_by(|&a, &b| z[a].total_cmp(&z[b])).unwrap_or(0)
}

/// Minimises the summed cross-entropy plus ‖w‖² / (2c), the intercept left
/// out of the penalty, with full-batch Adam (deterministic).
fn fit(examples: &[Example], n_features: usize, bias: Option<usize>, c: f64) -> Vec<[f64; 5]> {
    let mut weights = vec![[0.0; 5]; n_features];
    let mut mean = vec![[0.0; 5]; n_features];
    let mut square = vec![[0.0; 5]; n_features];
    let (beta1, beta2, eps) = (0.9_f64, 0.999_f64, 1e-8);
    for step in 1..=ITERATIONS {
        let rate = LEARNING_RATE * 0.01_f64.powf(step as f64 / ITERATIONS as f64);
        let mut grad: Vec<[f64; 5]> = weights
            .iter()
            .enumerate()
            .map(|(k, wk)| {
                if Some(k) == bias {
                    [0.0; 5]
                } else {
                    wk.map(|x| x / c)
                }
            })
            .collect();
        let mut loss = 0.0;
        for e in examples {
            let z = scores(&weights, &e.features);
            let max = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let sum: f64 = z.iter().map(|x| (x - max).exp()).sum();
            let p = z.map(|x| (x - max).exp() / sum);
            loss -= p[e.label].max(1e-300).ln();
            for &(k, value) in &e.features {
                for l in 0..5 {
                    let target = if l == e.label { 1.0 } else { 0.0 };
                    grad[k][l] += (p[l] - target) * value;
                }
            }
        }
        for k in 0..n_features {
            for l in 0..5 {
                let g = grad[k][l];
                mean[k][l] = beta1 * mean[k][l] + (1.0 - beta1) * g;
                square[k][l] = beta2 * square[k][l] + (1.0 - beta2) * g * g;
                let m_hat = mean[k][l] / (1.0 - beta1.powi(step as i32));
                let v_hat = square[k][l] / (1.0 - beta2.powi(step as i32));
                weights[k][l] -= rate * m_hat / (v_hat.sqrt() + eps);
            }
        }
        if step % 1000 == 0 {
            let norm: f64 = grad.iter().flatten().map(|g| g * g).sum::<f64>().sqrt();
            println!("step {step}: loss {loss:.3}, gradient norm {norm:.4}");
        }
    }
    weights
}
