//! The story bank: is this take the same story as one told for another
//! principle? And which principles does the bank cover?
//!
//! Similarity is the cosine of sublinear term-frequency vectors over
//! crudely stemmed content words plus adjacent content-word bigrams.
//! Why this: retellings of one story keep its specific nouns and numbers
//! ("Redis", "pricing", "450 milliseconds") but change order, length and
//! phrasing, so an order-free bag of stems survives paraphrase where word
//! shingles do not; bigrams ("pricing service", "composite index") reward the
//! shared specifics more than shared single words. TF-IDF needs a corpus
//! and a user's bank starts with two or three takes, so instead common
//! interview and engineering words ("team", "customer", "latency") get a
//! fixed low weight. The threshold was measured on
//! `tests/fixtures/stories/` (see `tests/all/review_views.rs`).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;
use std::sync::LazyLock;

use serde::Serialize;

use super::text::Paint;
use crate::store::LoadedSession;

/// Takes at or above this similarity are "the same story". Measured on the
/// fixtures (13 retold pairs, 312 pairs of different stories, 36 of them on
/// the same topic): retellings scored 0.28–0.48, different stories 0–0.12;
/// 0.20 is the middle of that gap, with a margin of about 0.08 either side.
pub const SAME_STORY_THRESHOLD: f64 = 0.20;

/// The 16 Leadership Principles as slugs, in their usual order.
pub const PRINCIPLES: [&str; 16] = [
    "customer-obsession",
    "ownership",
    "invent-and-simplify",
    "are-right-a-lot",
    "learn-and-be-curious",
    "hire-and-develop-the-best",
    "insist-on-the-highest-standards",
    "think-big",
    "bias-for-action",
    "frugality",
    "earn-trust",
    "dive-deep",
    "have-backbone-disagree-and-commit",
    "deliver-results",
    "strive-to-be-earths-best-employer",
    "success-and-scale-bring-broad-responsibility",
];

/// `Have Backbone; Disagree and Commit` -> `have-backbone-disagree-and-commit`.
pub fn principle_slug(name: &str) -> String {
    let mut out = String::new();
    for ch in name.chars() {
        if ch.is_alphanumeric() {
            out.extend(ch.to_lowercase());
        } else if ch == '\'' || ch == '’' {
            // "Earth's" -> "earths"
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

const STOPWORDS: &str = "\
    a about above after again against all also am an and any are around as at be because been \
    before being below between both but by can could did do does doing done down during each \
    even ever every few first for from further get got had has have having he her here him his \
    how i if in into is it its just last like ll m made make me more most much my myself need \
    needed new next no nor not now of off on once one only or other our ours out over own put \
    rather re really s same saw see she should since so some still such t take than that the \
    their them then there these they thing things think this those though three through to too \
    took two under until up us use used using ve very was way we well went were what when \
    where which while who whom why will with within would yes yet you your um uh er ah okay ok \
    basically actually right know mean sort kind lot lots able going want wanted said say tell \
    told time times";

/// Words almost every engineering answer uses: kept, but weighted low so
/// they cannot make two different stories look alike.
const COMMON: &str = "\
    team engineer engin customer user service system work project problem issue result learn \
    lesson situation task action week month year day company manag product latency deploy data \
    test change code percent million thousand hour minute second millisecond request traffic \
    production role job led lead own owner start help decid decision improv fix build built \
    ship releas launch plan goal impact process tool featur quarter";

const COMMON_WEIGHT: f64 = 0.25;

/// Similarity of two answers, 0..=1 (1 = the same words in the same
/// proportions). Symmetric; empty text gives 0.
pub fn similarity(a_text: &str, b_text: &str) -> f64 {
    cosine(&features(a_text), &features(b_text))
}

fn cosine(a: &HashMap<String, f64>, b: &HashMap<String, f64>) -> f64 {
    let dot: f64 = a
        .iter()
        .filter_map(|(term, wa)| b.get(term).map(|wb| wa * wb))
        .sum();
    if dot <= 0.0 {
        return 0.0;
    }
    let norm_a: f64 = a.values().map(|w| w * w).sum::<f64>().sqrt();
    let norm_b: f64 = b.values().map(|w| w * w).sum::<f64>().sqrt();
    if norm_a == 0.0 || norm_b == 0.0 {
        0.0
    } else {
        (dot / (norm_a * norm_b)).clamp(0.0, 1.0)
    }
}

/// Weighted terms: `1 + ln(tf)` times a per-term weight.
fn features(text: &str) -> HashMap<String, f64> {
    let stems = content_stems(text);
    let mut counts: HashMap<String, (usize, f64)> = HashMap::new();
    for stem in &stems {
        let weight = term_weight(stem);
        counts.entry(stem.clone()).or_insert((0, weight)).0 += 1;
    }
    for pair in stems.windows(2) {
        let weight = term_weight(&pair[0]).min(term_weight(&pair[1]));
        counts
            .entry(format!("{} {}", pair[0], pair[1]))
            .or_insert((0, weight))
            .0 += 1;
    }
    counts
        .into_iter()
        .map(|(term, (count, weight))| (term, (1.0 + (count as f64).ln()) * weight))
        .collect()
}

fn term_weight(stem: &str) -> f64 {
    if COMMON_SET.contains(stem) {
        COMMON_WEIGHT
    } else {
        1.0
    }
}

static STOPWORD_SET: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| STOPWORDS.split_whitespace().collect());
static COMMON_SET: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| COMMON.split_whitespace().collect());

/// Lowercased words minus stopwords, each reduced by [`stem`].
fn content_stems(text: &str) -> Vec<String> {
    content_words(text).iter().map(|word| stem(word)).collect()
}

/// Lowercased words minus stopwords; "year's" -> "year".
fn content_words(text: &str) -> Vec<String> {
    text.split(|ch: char| !ch.is_alphanumeric() && ch != '\'')
        .map(|word| {
            word.trim_matches('\'')
                .to_lowercase()
                .split('\'')
                .next()
                .unwrap_or("")
                .to_string()
        })
        .filter(|word| !word.is_empty() && !STOPWORD_SET.contains(word.as_str()))
        .collect()
}

/// A crude suffix stripper: enough to fold "caching"/"cache"/"cached" and
/// "queries"/"query" together without a dictionary.
fn stem(word: &str) -> String {
    if word.chars().any(|ch| ch.is_ascii_digit()) {
        return word.to_string();
    }
    let mut w = word.to_string();
    for (suffix, replacement) in [
        ("ies", "y"),
        ("ied", "y"),
        ("ing", ""),
        ("ed", ""),
        ("es", ""),
        ("s", ""),
        ("ly", ""),
        ("e", ""),
    ] {
        if w.len() > suffix.len() + 2 && w.ends_with(suffix) && !w.ends_with("ss") {
            w.truncate(w.len() - suffix.len());
            w.push_str(replacement);
            break;
        }
    }
    w
}

/// One take that looks like the same story as an earlier take told for a
/// different principle.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoryWarning {
    pub session_id: String,
    pub other_id: String,
    pub other_principles: Vec<String>,
    pub similarity: f64,
}

impl StoryWarning {
    pub fn message(&self) -> String {
        format!(
            "this story looks like the one in `{}` (told for {}, similarity {:.2}); interviewers expect a different story per principle",
            self.other_id,
            self.other_principles.join(", "),
            self.similarity
        )
    }
}

fn answer_text(loaded: &LoadedSession) -> Option<&str> {
    loaded
        .analysis
        .as_ref()
        .map(|analysis| analysis.transcript.as_str())
        .or(loaded.transcript.as_ref().map(|t| t.text.as_str()))
        .filter(|text| !text.trim().is_empty())
}

fn principle_slugs(loaded: &LoadedSession) -> BTreeSet<String> {
    loaded
        .session
        .prompt
        .iter()
        .flat_map(|prompt| prompt.principles.iter().map(|p| principle_slug(p)))
        .collect()
}

/// Two takes tell a story for different principles when neither shares a
/// principle with the other: one prompt that names two principles is one use.
fn for_other_principles(a: &BTreeSet<String>, b: &BTreeSet<String>) -> bool {
    !a.is_empty() && !b.is_empty() && a.is_disjoint(b)
}

/// Whether any two takes of one story were told for different principles.
fn reused_for_another_principle(uses: &[BTreeSet<String>]) -> bool {
    uses.iter()
        .enumerate()
        .any(|(k, a)| uses[k + 1..].iter().any(|b| for_other_principles(a, b)))
}

/// Warnings for `new` against every other take whose principles do not
/// overlap with its own; most similar first.
pub fn same_story_warnings(new: &LoadedSession, all: &[LoadedSession]) -> Vec<StoryWarning> {
    let Some(new_text) = answer_text(new) else {
        return Vec::new();
    };
    let new_principles = principle_slugs(new);
    if new_principles.is_empty() {
        return Vec::new();
    }
    let new_features = features(new_text);
    let mut warnings: Vec<StoryWarning> = all
        .iter()
        .filter(|other| other.id() != new.id())
        .filter_map(|other| {
            let other_principles = principle_slugs(other);
            if !for_other_principles(&new_principles, &other_principles) {
                return None;
            }
            let score = cosine(&new_features, &features(answer_text(other)?));
            (score >= SAME_STORY_THRESHOLD).then(|| StoryWarning {
                session_id: new.id().to_string(),
                other_id: other.id().to_string(),
                other_principles: other_principles.into_iter().collect(),
                similarity: score,
            })
        })
        .collect();
    warnings.sort_by(|a, b| {
        b.similarity
            .total_cmp(&a.similarity)
            .then_with(|| a.other_id.cmp(&b.other_id))
    });
    warnings
}

/// Takes grouped into stories: single-link clusters at the threshold.
/// Each inner vector holds indices into `sessions`, oldest first.
pub fn cluster_stories(sessions: &[&LoadedSession]) -> Vec<Vec<usize>> {
    let feats: Vec<Option<HashMap<String, f64>>> = sessions
        .iter()
        .map(|loaded| answer_text(loaded).map(features))
        .collect();
    let mut parent: Vec<usize> = (0..sessions.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for i in 0..sessions.len() {
        for j in (i + 1)..sessions.len() {
            if let (Some(a), Some(b)) = (&feats[i], &feats[j])
                && cosine(a, b) >= SAME_STORY_THRESHOLD
            {
                let (ri, rj) = (root(&mut parent, i), root(&mut parent, j));
                parent[ri.max(rj)] = ri.min(rj);
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, feat) in feats.iter().enumerate() {
        if feat.is_some() {
            let r = root(&mut parent, i);
            groups.entry(r).or_default().push(i);
        }
    }
    groups.into_values().collect()
}

/// The few most telling words of a story, for a human-readable name.
/// Each stem is shown as its most frequent spoken form ("pric" -> "pricing").
fn story_keywords(texts: &[&str], count: usize) -> Vec<String> {
    let mut totals: HashMap<String, f64> = HashMap::new();
    let mut forms: HashMap<String, BTreeMap<String, usize>> = HashMap::new();
    for text in texts {
        for word in content_words(text) {
            let stem = stem(&word);
            // A story is named by words: "40,000" is two numbers, no name.
            if stem.len() > 2 && stem.chars().any(char::is_alphabetic) {
                *totals.entry(stem.clone()).or_default() += term_weight(&stem);
                *forms.entry(stem).or_default().entry(word).or_default() += 1;
            }
        }
    }
    let mut ranked: Vec<(String, f64)> = totals.into_iter().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    ranked
        .into_iter()
        .take(count)
        .map(|(stem, _)| {
            forms
                .get(&stem)
                .and_then(|f| {
                    f.iter()
                        .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
                })
                .map_or(stem.clone(), |(word, _)| word.clone())
        })
        .collect()
}

/// `rehearse stories`: the stories in the bank, the principles each covers,
/// and the principles with no story yet.
pub fn render_stories(sessions: &[LoadedSession], color: bool) -> String {
    let paint = Paint { color };
    let with_text: Vec<&LoadedSession> = sessions
        .iter()
        .filter(|s| answer_text(s).is_some())
        .collect();
    let clusters = cluster_stories(&with_text);
    let mut out = String::new();
    let mut covered: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let _ = writeln!(
        out,
        "{}",
        paint.bold(&format!(
            "Stories ({} from {})",
            crate::format::count(clusters.len(), "story", "stories"),
            crate::format::count(with_text.len(), "take", "takes")
        ))
    );
    for (n, cluster) in clusters.iter().enumerate() {
        let texts: Vec<&str> = cluster
            .iter()
            .filter_map(|&i| answer_text(with_text[i]))
            .collect();
        let principles: BTreeSet<String> = cluster
            .iter()
            .flat_map(|&i| principle_slugs(with_text[i]))
            .collect();
        for principle in &principles {
            covered.entry(principle.clone()).or_default().push(n + 1);
        }
        let _ = writeln!(
            out,
            "{} {}",
            paint.bold(&format!("#{}", n + 1)),
            story_keywords(&texts, 5).join(" · ")
        );
        let principle_list = if principles.is_empty() {
            "none (ad hoc takes)".to_string()
        } else {
            principles.iter().cloned().collect::<Vec<_>>().join(", ")
        };
        let _ = writeln!(out, "   principles: {principle_list}");
        let uses: Vec<BTreeSet<String>> = cluster
            .iter()
            .map(|&i| principle_slugs(with_text[i]))
            .collect();
        if reused_for_another_principle(&uses) {
            let _ = writeln!(
                out,
                "   {}",
                paint.yellow("! one story used for several principles")
            );
        }
        let ids: Vec<&str> = cluster.iter().map(|&i| with_text[i].id()).collect();
        let _ = writeln!(out, "   takes: {}", ids.join(", "));
    }
    out.push('\n');
    let _ = writeln!(out, "{}", paint.bold("Principles"));
    let width = PRINCIPLES.iter().map(|p| p.len()).max().unwrap_or(0);
    let mut missing = 0;
    for principle in PRINCIPLES {
        let cell = if let Some(stories) = covered.get(principle) {
            paint.green(
                &stories
                    .iter()
                    .map(|n| format!("#{n}"))
                    .collect::<Vec<_>>()
                    .join(" "),
            )
        } else {
            missing += 1;
            paint.red("no story yet")
        };
        let _ = writeln!(out, "  {principle:<width$}  {cell}");
    }
    let others: Vec<&String> = covered
        .keys()
        .filter(|k| !PRINCIPLES.contains(&k.as_str()))
        .collect();
    for other in others {
        let _ = writeln!(
            out,
            "  {other:<width$}  {}",
            paint.dim("(not one of the 16)")
        );
    }
    let _ = writeln!(out, "\n{missing} of 16 principles have no story yet.");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_fold_punctuation_and_case() {
        assert_eq!(
            principle_slug("Have Backbone; Disagree and Commit"),
            "have-backbone-disagree-and-commit"
        );
        assert_eq!(
            principle_slug("Strive to be Earth's Best Employer"),
            "strive-to-be-earths-best-employer"
        );
    }

    #[test]
    fn similarity_is_symmetric_and_bounded() {
        let a = "I added a Redis cache in front of the pricing service.";
        let b = "We moved batch jobs to spot instances to save money.";
        assert!((similarity(a, b) - similarity(b, a)).abs() < 1e-12);
        assert!((similarity(a, a) - 1.0).abs() < 1e-9);
        assert_eq!(similarity("", a), 0.0);
        assert!(similarity(a, b) < 0.1);
    }

    #[test]
    fn a_prompt_with_two_principles_is_one_use() {
        let set = |slugs: &[&str]| -> BTreeSet<String> {
            slugs.iter().map(|s| (*s).to_string()).collect()
        };
        let two = set(&["ownership", "deliver-results"]);
        assert!(!reused_for_another_principle(std::slice::from_ref(&two)));
        assert!(!reused_for_another_principle(&[
            two.clone(),
            set(&["ownership"])
        ]));
        assert!(reused_for_another_principle(&[
            two.clone(),
            set(&["dive-deep"])
        ]));
        assert!(!reused_for_another_principle(&[two, set(&[])]));
    }

    #[test]
    fn stories_are_named_by_words_not_numbers() {
        let keywords = story_keywords(
            &["The cluster cost $40,000 a month, and 40,000 became 26,000 after the cleanup."],
            4,
        );
        assert!(!keywords.is_empty());
        assert!(
            keywords.iter().all(|k| k.chars().any(char::is_alphabetic)),
            "{keywords:?}"
        );
    }

    #[test]
    fn stemmer_folds_simple_inflections() {
        assert_eq!(stem("caching"), stem("cached"));
        assert_eq!(stem("queries"), "query");
        assert_eq!(stem("2026"), "2026");
    }
}
