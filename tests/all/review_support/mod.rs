//! Hand-made takes for the review tests: a transcript with evenly timed
//! words and an analysis that agrees with it, written into a temp store.

pub mod browser;

use std::collections::BTreeMap;

use rehearse::analyse::{
    ANALYSIS_SCHEMA_VERSION, Analysis, AnalysisConfig, Checks, FillerItem, Fillers, Label,
    PacePoint, Pause, Section, Sentence, Shares, Star, TimeWindow,
};
use rehearse::store::{PromptRef, Source, Status, Store};
use rehearse::transcript::{Segment, TRANSCRIPT_SCHEMA_VERSION, Transcript, Word};

/// One take to build: sentences with labels; a pause (s) may follow a sentence.
pub struct Take<'a> {
    pub prompt: Option<(&'a str, &'a str, &'a str)>,
    pub created_unix_s: i64,
    /// Seconds per word: sets the pace.
    pub word_s: f64,
    pub sentences: Vec<(Label, &'a str, f64)>,
}

const FILLERS: [&str; 3] = ["um", "uh", "like"];
/// A hesitation sound the analysis doubts: listed, shown with "(?)", not counted.
const DOUBTFUL: &str = "mm";

fn normalise(word: &str) -> String {
    word.trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase()
}

/// Builds a transcript and a consistent analysis.
pub fn build(take: &Take) -> (Transcript, Analysis) {
    let mut t_s: f64 = 0.6;
    let mut segments = Vec::new();
    let mut sentences = Vec::new();
    let mut pauses = Vec::new();
    let mut items = Vec::new();
    let mut by_word: BTreeMap<String, usize> = BTreeMap::new();
    let mut words_total = 0;
    for (label, text, pause_after_s) in &take.sentences {
        let start_s = t_s;
        let first_word = words_total;
        let mut words = Vec::new();
        for raw in text.split_whitespace() {
            let start_ms = (t_s * 1000.0).round() as u64;
            t_s += take.word_s;
            let end_ms = (t_s * 1000.0 - 40.0).round() as u64;
            let norm = normalise(raw);
            let certain = FILLERS.contains(&norm.as_str());
            if certain || norm == DOUBTFUL {
                items.push(FillerItem {
                    word: norm.clone(),
                    start_s: start_ms as f64 / 1000.0,
                    certain,
                    word_index: Some(words_total),
                    word_count: Some(1),
                });
            }
            if certain {
                *by_word.entry(norm).or_default() += 1;
            }
            words.push(Word {
                text: raw.to_string(),
                start_ms,
                end_ms,
                probability: 0.9,
            });
            words_total += 1;
        }
        let end_s = t_s - 0.04;
        segments.push(Segment {
            start_ms: (start_s * 1000.0).round() as u64,
            end_ms: (end_s * 1000.0).round() as u64,
            text: text.to_string(),
            words,
        });
        sentences.push(Sentence {
            text: text.to_string(),
            start_s,
            end_s,
            label: *label,
            first_word,
            end_word: words_total,
        });
        if *pause_after_s > 0.0 {
            pauses.push(Pause {
                start_s: end_s,
                end_s: end_s + pause_after_s,
                after_word: words_total - 1,
            });
            t_s += pause_after_s;
        }
    }
    let duration_s = t_s + 0.8;
    let speaking_s = sentences.last().map_or(0.0, |s| s.end_s) - 0.6;
    let text = take
        .sentences
        .iter()
        .map(|s| s.1)
        .collect::<Vec<_>>()
        .join(" ");

    items.sort_by(|a, b| a.start_s.total_cmp(&b.start_s));

    let mut sections: Vec<Section> = Vec::new();
    for sentence in &sentences {
        match sections.last_mut() {
            Some(last) if last.label == sentence.label => {
                last.end_s = sentence.end_s;
                last.seconds = last.end_s - last.start_s;
            }
            _ => sections.push(Section {
                label: sentence.label,
                start_s: sentence.start_s,
                end_s: sentence.end_s,
                seconds: sentence.end_s - sentence.start_s,
            }),
        }
    }
    let mut shares = Shares::default();
    let spoken: f64 = sentences.iter().map(|s| s.end_s - s.start_s).sum();
    for label in Label::ALL {
        let secs: f64 = sentences
            .iter()
            .filter(|s| s.label == label)
            .map(|s| s.end_s - s.start_s)
            .sum();
        shares.set(label, if spoken > 0.0 { secs / spoken } else { 0.0 });
    }
    let missing = Label::ALL
        .iter()
        .copied()
        .filter(|l| *l != Label::Learning && shares.get(*l) == 0.0)
        .collect();
    let total_fillers = items.iter().filter(|i| i.certain).count();
    let words_per_minute = words_total as f64 / (speaking_s / 60.0);
    // A point every 5 s while the answer lasts.
    let pace = std::iter::successors(Some(5.0), |at| Some(at + 5.0))
        .take_while(|at| *at < speaking_s)
        .enumerate()
        .map(|(i, at_s)| PacePoint {
            at_s,
            words_per_minute: words_per_minute + [6.0, -4.0, 10.0, -12.0, 3.0][i % 5],
        })
        .collect();
    let action_text: String = sentences
        .iter()
        .filter(|s| s.label == Label::Action)
        .map(|s| s.text.to_lowercase() + " ")
        .collect();
    let count = |w: &str| {
        action_text
            .split_whitespace()
            .filter(|x| normalise(x) == w)
            .count()
    };
    let result_text: String = sentences
        .iter()
        .filter(|s| s.label == Label::Result)
        .map(|s| s.text.clone())
        .collect();
    let mut analysis = Analysis {
        schema_version: ANALYSIS_SCHEMA_VERSION,
        duration_s,
        answer_s: speaking_s,
        words: words_total,
        words_per_minute,
        in_window: (60.0..=120.0).contains(&speaking_s),
        window: TimeWindow {
            min_s: 60.0,
            max_s: 120.0,
        },
        pace,
        pauses,
        fillers: Fillers {
            total: total_fillers,
            per_minute: total_fillers as f64 / (duration_s / 60.0),
            share_of_words: total_fillers as f64 / words_total.max(1) as f64,
            by_word,
            possible: items.iter().filter(|i| !i.certain).count(),
            items,
        },
        star: Star {
            shares,
            target: Shares {
                situation: 0.1,
                task: 0.1,
                action: 0.6,
                result: 0.2,
                learning: 0.0,
            },
            sections,
            missing,
        },
        sentences,
        checks: Checks {
            i_count: count("i"),
            we_count: count("we"),
            quantified_result: result_text.chars().any(|c| c.is_ascii_digit()),
            has_learning: shares.learning > 0.0,
            hedges: if text.contains("kind of") {
                vec!["kind of".to_string()]
            } else {
                vec![]
            },
            blame: vec![],
        },
        findings: Vec::new(),
        feedback: Vec::new(),
        transcript: text.clone(),
    };
    analysis.conclude(&AnalysisConfig::default());
    let transcript = Transcript {
        schema_version: TRANSCRIPT_SCHEMA_VERSION,
        model: "ggml-tiny.en.bin".to_string(),
        duration_ms: (duration_s * 1000.0).round() as u64,
        text,
        segments,
    };
    (transcript, analysis)
}

/// Creates the session folder, writes a 16 kHz tone as the take, saves the
/// transcript and analysis, marks it analysed. Returns the id.
pub fn save(store: &Store, take: &Take) -> String {
    let prompt = take.prompt.map(|(id, text, principle)| PromptRef {
        id: id.to_string(),
        text: text.to_string(),
        principles: vec![principle.to_string()],
    });
    let dir = store
        .create_session_at(prompt, Source::Microphone, take.created_unix_s)
        .expect("create session");
    let (transcript, analysis) = build(take);
    write_tone(&dir.audio_path(), analysis.duration_s.min(3.0));
    // Stored as the pipeline stores a take: compact, the capture removed.
    let tone = std::fs::read(dir.audio_path()).expect("read the tone");
    store
        .store_compact_audio(&dir.id, &tone, false)
        .expect("store compact");
    store
        .save_transcript(&dir.id, &transcript)
        .expect("save transcript");
    store
        .set_status(&dir.id, Status::Transcribed)
        .expect("status");
    store
        .save_analysis(&dir.id, &analysis)
        .expect("save analysis");
    store.set_status(&dir.id, Status::Analysed).expect("status");
    dir.id
}

/// A quiet 220 Hz tone, 16 kHz mono 16-bit.
pub fn write_tone(path: &std::path::Path, seconds: f64) {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 16_000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut writer = hound::WavWriter::create(path, spec).expect("wav");
    let samples = (seconds * 16_000.0) as usize;
    for n in 0..samples {
        let v = (n as f64 * 220.0 * std::f64::consts::TAU / 16_000.0).sin() * 3000.0;
        writer.write_sample(v as i16).expect("sample");
    }
    writer.finalize().expect("finalize");
}

pub const CACHE_PROMPT: (&str, &str, &str) = (
    "ownership-1",
    "Tell me about a time you took on something outside your area because nobody else would.",
    "Ownership",
);
pub const DIVE_PROMPT: (&str, &str, &str) = (
    "dive-deep-1",
    "Tell me about a problem you solved by digging into the details.",
    "Dive Deep",
);
pub const MENTOR_PROMPT: (&str, &str, &str) = (
    "hire-develop-1",
    "Tell me about a time you helped someone on your team grow.",
    "Hire and Develop the Best",
);

/// Three takes: the cache story for ownership, the same story retold for
/// dive deep (a story-bank warning), and a mentoring story.
pub fn three_takes() -> Vec<Take<'static>> {
    use Label::*;
    vec![
        Take {
            prompt: Some(CACHE_PROMPT),
            created_unix_s: 1_795_000_000,
            word_s: 0.56,
            sentences: vec![
                (
                    Situation,
                    "Last year I owned the checkout API at an online retailer, and um our p99 latency had crept up to two seconds.",
                    0.0,
                ),
                (
                    Task,
                    "My task was to bring it under 500 milliseconds before mm Black Friday.",
                    2.4,
                ),
                (
                    Action,
                    "I profiled the request path and found that every checkout called the pricing service three times.",
                    0.0,
                ),
                (
                    Action,
                    "I added a Redis cache in front of the pricing service, uh, with a short time to live.",
                    0.0,
                ),
                (
                    Action,
                    "I also wrote a load test that replayed last year's traffic and we built a dashboard.",
                    1.6,
                ),
                (
                    Result,
                    "The p99 dropped by 40 percent, to 450 milliseconds, and the sale went like without incidents.",
                    0.0,
                ),
                (Learning, "I learned to measure before optimising.", 0.0),
            ],
        },
        Take {
            prompt: Some(DIVE_PROMPT),
            created_unix_s: 1_795_090_000,
            word_s: 0.36,
            sentences: vec![
                (
                    Situation,
                    "I was responsible for the checkout endpoint, and tail latency had been creeping up for months.",
                    0.0,
                ),
                (
                    Action,
                    "I dug into traces and saw we hit the pricing service three separate times per cart.",
                    0.0,
                ),
                (
                    Action,
                    "I put a Redis cache layer in front of pricing with a short expiry and replayed the previous sale traffic as a load test.",
                    0.0,
                ),
                (
                    Result,
                    "Checkout stayed fast through Black Friday, p99 around 450 milliseconds, down from two seconds.",
                    0.0,
                ),
            ],
        },
        Take {
            prompt: Some(MENTOR_PROMPT),
            created_unix_s: 1_795_200_000,
            word_s: 0.62,
            sentences: vec![
                (
                    Situation,
                    "A new graduate joined my team and their pull requests sat in review for days.",
                    0.0,
                ),
                (
                    Task,
                    "As the senior engineer I offered to mentor them.",
                    0.0,
                ),
                (
                    Action,
                    "We paired twice a week and I showed them how I break work into small pull requests.",
                    0.0,
                ),
                (
                    Action,
                    "We wrote a review checklist together, and um I asked reviewers to label comments as blocking or optional.",
                    2.1,
                ),
                (
                    Action,
                    "I kind of checked in every Friday on how the reviews were going.",
                    0.0,
                ),
                (
                    Result,
                    "After two months their pull requests merged in under a day and they were promoted the next year.",
                    0.0,
                ),
                (
                    Learning,
                    "I learned that mentoring is mostly making the implicit explicit.",
                    0.0,
                ),
            ],
        },
    ]
}
