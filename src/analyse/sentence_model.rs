//! A small learned model of which STAR section a sentence tells: multinomial
//! logistic regression over the sentence's words and word pairs, the rule
//! scores of the sentence and of its neighbours, and its place in the answer.
//!
//! The rules (`cues`) know the phrases; the model learns what they miss from
//! the labelled corpus: which words go with which section in the way people
//! tell a story, and how a sentence reads next to the ones around it. Its
//! log-probabilities are added to the rule scores before the label sequence
//! is chosen (`star`), so a confident rule still wins over a weak word.
//!
//! The weights are in `sentence_model.tsv`, trained on the corpus's tune
//! answers only (and the retellings of their stories) by
//! `cargo test --release --test all train_sentence_model -- --ignored`; its
//! header names every answer it learned from, and a test
//! (`tests/all/sentence_model_training.rs`) fails if one of them is held out.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::types::Label;

/// The weights, one line a feature: name, then one weight per section.
const WEIGHTS_TSV: &str = include_str!("sentence_model.tsv");

/// The feature that is always 1 (the intercept; not regularised).
pub const BIAS: &str = "bias";

/// A sentence as the model sees it: named features and their values.
pub type Features = Vec<(String, f64)>;

/// The features of every sentence of an answer, from its words (fillers
/// left out) and its rule scores (cues and the position prior).
pub(crate) fn features(words: &[Vec<&str>], rule_scores: &[[f64; 5]]) -> Vec<Features> {
    let n = words.len();
    (0..n)
        .map(|k| {
            let mut f: Features = Vec::new();
            f.push((BIAS.to_string(), 1.0));
            for w in unique(words[k].iter().map(|w| format!("w:{w}"))) {
                f.push((w, 1.0));
            }
            for b in unique(words[k].windows(2).map(|p| format!("b:{} {}", p[0], p[1]))) {
                f.push((b, 1.0));
            }
            let scores = |prefix: &str, s: &[f64; 5], f: &mut Features| {
                for (label, value) in Label::ALL.iter().zip(s) {
                    f.push((format!("{prefix}:{}", label.letter()), *value));
                }
            };
            scores("rule", &rule_scores[k], &mut f);
            if k > 0 {
                scores("prev", &rule_scores[k - 1], &mut f);
            }
            if k + 1 < n {
                scores("next", &rule_scores[k + 1], &mut f);
            }
            f.push(("pos".to_string(), k as f64 / (n.max(2) - 1) as f64));
            if k == 0 {
                f.push(("first".to_string(), 1.0));
            }
            if k + 1 == n {
                f.push(("last".to_string(), 1.0));
            }
            f
        })
        .collect()
}

/// Each name once, in first-seen order (features are present or not).
fn unique(names: impl Iterator<Item = String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    names.filter(|n| seen.insert(n.clone())).collect()
}

/// A trained model: per feature, one weight per section.
#[derive(Debug, Clone, Default)]
pub struct Weights(HashMap<String, [f64; 5]>);

impl Weights {
    /// The model checked in as `sentence_model.tsv`, the one every analysis uses.
    pub fn checked_in() -> &'static Weights {
        static MODEL: OnceLock<Weights> = OnceLock::new();
        MODEL.get_or_init(|| parse(WEIGHTS_TSV).unwrap_or_default())
    }

    /// A model from (feature, weights) pairs, as the trainer fits them.
    pub fn from_pairs(pairs: impl IntoIterator<Item = (String, [f64; 5])>) -> Weights {
        Weights(pairs.into_iter().collect())
    }

    /// Log-probabilities of the five sections for one sentence's features.
    /// Features the model never saw count for nothing.
    pub fn log_probs(&self, features: &Features) -> [f64; 5] {
        let mut z = [0.0; 5];
        for (name, value) in features {
            if let Some(w) = self.0.get(name.as_str()) {
                for l in 0..5 {
                    z[l] += w[l] * value;
                }
            }
        }
        let max = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let log_sum = max + z.iter().map(|v| (v - max).exp()).sum::<f64>().ln();
        z.map(|v| v - log_sum)
    }
}

/// The weights table, or the first line that does not parse.
fn parse(tsv: &str) -> Result<Weights, String> {
    let mut model = HashMap::new();
    for line in tsv.lines().filter(|l| !l.starts_with('#') && !l.is_empty()) {
        let mut cells = line.split('\t');
        let name = cells.next().unwrap_or_default();
        let weights: Vec<f64> = cells.filter_map(|c| c.parse().ok()).collect();
        let weights: [f64; 5] = weights.try_into().map_err(|_| line.to_string())?;
        model.insert(name.to_string(), weights);
    }
    Ok(Weights(model))
}

/// The weights file for `weights` (feature → per-section weights), with a
/// header naming what it was trained on.
pub fn to_tsv(weights: &[(String, [f64; 5])], header: &[String]) -> String {
    let mut lines: Vec<String> = header.iter().map(|line| format!("# {line}")).collect();
    let letters: Vec<&str> = Label::ALL.iter().map(|l| l.letter()).collect();
    lines.push(format!("# feature\t{}", letters.join("\t")));
    for (name, w) in weights {
        let cells: Vec<String> = w.iter().map(|v| format!("{v:.4}")).collect();
        lines.push(format!("{name}\t{}", cells.join("\t")));
    }
    lines.join("\n") + "\n"
}

/// The answers the checked-in weights were trained on (from the header).
pub fn trained_on() -> Vec<String> {
    WEIGHTS_TSV
        .lines()
        .filter_map(|l| l.strip_prefix("# trained on: "))
        .flat_map(|l| l.split(' ').map(str::to_string))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_checked_in_weights_parse_and_name_their_training_answers() {
        let model = parse(WEIGHTS_TSV).expect("every line of sentence_model.tsv parses");
        assert!(model.0.contains_key(BIAS), "the intercept is missing");
        assert!(
            model.0.contains_key("rule:A"),
            "the rule scores are missing"
        );
        assert!(model.0.len() > 100, "only {} features", model.0.len());
        assert!(!trained_on().is_empty(), "the header names no answers");
    }

    #[test]
    fn a_line_with_too_few_weights_is_refused() {
        assert!(parse("w:i\t1\t2\t3\n").is_err());
        assert!(parse("# comment\nw:i\t1\t2\t3\t4\t5\n").is_ok());
    }

    #[test]
    fn probabilities_sum_to_one_and_unknown_features_are_neutral() {
        let unknown = vec![("w:zzzz-never-seen".to_string(), 1.0)];
        let p = Weights::checked_in().log_probs(&unknown);
        let total: f64 = p.iter().map(|v| v.exp()).sum();
        assert!((total - 1.0).abs() < 1e-9, "{p:?}");
        assert!(p.iter().all(|v| (v - p[0]).abs() < 1e-12), "{p:?}");
    }

    #[test]
    fn features_name_words_pairs_neighbours_and_place() {
        let words = vec![vec!["i", "led", "it"], vec!["it", "worked"]];
        let f = features(&words, &[[1.0; 5], [2.0; 5]]);
        let names = |k: usize| -> Vec<&str> { f[k].iter().map(|(n, _)| n.as_str()).collect() };
        assert!(names(0).contains(&"b:i led") && names(0).contains(&"first"));
        assert!(names(0).contains(&"next:S") && !names(0).contains(&"prev:S"));
        assert!(names(1).contains(&"prev:L") && names(1).contains(&"last"));
        assert!(f[1].contains(&("pos".to_string(), 1.0)));
    }
}
