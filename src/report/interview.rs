//! A mock interview (`rehearse interview`) as its summary shows it: each
//! question's take with its follow-ups, and what the loop says as a whole
//! (principles covered, a story told twice, the time spoken, the three things
//! to work on). The terminal view is here; the page is in `interview_html`.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::mem::Discriminant;

use super::progress::{CHECKS_TOTAL, checks_passed};
use super::stories::{SAME_STORY_THRESHOLD, similarity};
use super::text::{self, Paint};
use crate::analyse::{FOLLOW_UP_CHECKS, FOLLOW_UP_WINDOW_S, Finding, FollowUpAnswer, Label};
use crate::format;
use crate::store::LoadedSession;

/// One mock interview, in the order it was asked.
#[derive(Debug, Clone)]
pub struct InterviewSummary {
    pub id: String,
    pub questions: Vec<QuestionTakes>,
    /// Ctrl-C ended the loop before its last question.
    pub ended_early: bool,
}

/// A question's take, with its take number, and its follow-ups.
#[derive(Debug, Clone)]
pub struct QuestionTakes {
    pub number: usize,
    pub take: LoadedSession,
    pub follow_ups: Vec<FollowUpTake>,
}

/// A follow-up question, answered (a take of its own) or skipped.
#[derive(Debug, Clone)]
pub struct FollowUpTake {
    pub question: String,
    /// The take number and take; `None` when skipped.
    pub answer: Option<(usize, LoadedSession)>,
}

impl FollowUpTake {
    /// The verdict on the answer, if it was answered and analysed.
    pub fn verdict(&self) -> Option<FollowUpAnswer> {
        let (_, take) = self.answer.as_ref()?;
        take.analysis.as_ref().map(FollowUpAnswer::judge)
    }
}

/// What the summary shows as "work on": advice, and in how many takes it came up.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkOn {
    pub advice: String,
    pub takes: usize,
    pub of: usize,
}

/// How many things to work on a summary names.
pub const WORK_ON_COUNT: usize = 3;

impl InterviewSummary {
    /// Every take of the loop, questions and answered follow-ups, in order.
    pub fn takes(&self) -> impl Iterator<Item = (usize, &LoadedSession)> {
        self.questions.iter().flat_map(|question| {
            std::iter::once((question.number, &question.take)).chain(
                question
                    .follow_ups
                    .iter()
                    .filter_map(|f| f.answer.as_ref().map(|(n, take)| (*n, take))),
            )
        })
    }

    /// Seconds recorded across every take.
    pub fn recorded_s(&self) -> f64 {
        self.takes()
            .filter_map(|(_, take)| take.analysis.as_ref())
            .map(|analysis| analysis.duration_s)
            .sum()
    }

    /// "2 questions, 3 takes, 4:10 recorded": the loop in a line, as the
    /// terminal and the page both head it.
    pub fn headline(&self) -> String {
        format!(
            "{}, {}, {} recorded{}",
            format::count(self.questions.len(), "question", "questions"),
            format::count(self.takes().count(), "take", "takes"),
            format::duration(self.recorded_s()),
            if self.ended_early {
                " (ended early)"
            } else {
                ""
            }
        )
    }

    /// The principles the questions probed, by display name, in order of first use.
    pub fn principles(&self) -> Vec<String> {
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        for question in &self.questions {
            for slug in question
                .take
                .session
                .prompt
                .iter()
                .flat_map(|p| &p.principles)
            {
                let name = crate::prompts::principle(slug).map_or(slug.as_str(), |p| p.name);
                if seen.insert(name.to_string()) {
                    out.push(name.to_string());
                }
            }
        }
        out
    }

    /// Pairs of questions (indices) answered with the same story, as
    /// `rehearse stories` judges sameness.
    pub fn same_stories(&self) -> Vec<(usize, usize)> {
        let text = |q: &QuestionTakes| q.take.analysis.as_ref().map(|a| a.transcript.clone());
        let mut pairs = Vec::new();
        for (i, a) in self.questions.iter().enumerate() {
            for (j, b) in self.questions.iter().enumerate().skip(i + 1) {
                if let (Some(a), Some(b)) = (text(a), text(b))
                    && similarity(&a, &b) >= SAME_STORY_THRESHOLD
                {
                    pairs.push((i, j));
                }
            }
        }
        pairs
    }

    /// The [`WORK_ON_COUNT`] findings that came up in the most answers (ties:
    /// the more important kind first, [`Finding::importance`]), then what the
    /// follow-up answers missed. Advice from one answer keeps its figures;
    /// advice shared by several is said in general.
    pub fn work_on(&self) -> Vec<WorkOn> {
        #[derive(PartialEq)]
        enum Key {
            Finding(Discriminant<Finding>),
            FollowUp(&'static str),
        }
        struct Tally {
            key: Key,
            /// What one answer's finding says, and what to say when several had it.
            advice: String,
            in_general: String,
            takes: usize,
            of: usize,
            importance: usize,
        }
        let mut tallies: Vec<Tally> = Vec::new();
        let mut count =
            |key: Key, advice: String, in_general: String, of: usize, importance: usize| {
                match tallies.iter_mut().find(|t| t.key == key) {
                    Some(tally) => tally.takes += 1,
                    None => tallies.push(Tally {
                        key,
                        advice,
                        in_general,
                        takes: 1,
                        of,
                        importance,
                    }),
                }
            };
        let answers: Vec<_> = self
            .questions
            .iter()
            .filter_map(|q| q.take.analysis.as_ref())
            .collect();
        for analysis in &answers {
            // A kind of finding counts once per answer (situation and task can
            // both run long).
            let mut seen = Vec::new();
            for finding in &analysis.findings {
                let kind = std::mem::discriminant(finding);
                if matches!(finding, Finding::NoSpeech) || seen.contains(&kind) {
                    continue;
                }
                seen.push(kind);
                count(
                    Key::Finding(kind),
                    finding.advice(),
                    finding.advice_in_general(),
                    answers.len(),
                    finding.importance(),
                );
            }
        }
        let verdicts: Vec<FollowUpAnswer> = self
            .questions
            .iter()
            .flat_map(|q| &q.follow_ups)
            .filter_map(FollowUpTake::verdict)
            .collect();
        for verdict in &verdicts {
            let (min, max) = FOLLOW_UP_WINDOW_S;
            let misses = [
                (
                    !verdict.specific,
                    "specific",
                    "In follow-ups, answer with a number or a measure.".to_string(),
                ),
                (
                    !verdict.owned,
                    "owned",
                    "In follow-ups, say what you did yourself: \"I\", not \"we\".".to_string(),
                ),
                (
                    !verdict.length_ok,
                    "length",
                    format!(
                        "Answer a follow-up in {}: the question asked, with one concrete detail.",
                        format::durations(min, max)
                    ),
                ),
            ];
            for (missed, key, advice) in misses {
                if missed {
                    count(
                        Key::FollowUp(key),
                        advice.clone(),
                        advice,
                        verdicts.len(),
                        usize::MAX,
                    );
                }
            }
        }
        tallies.sort_by(|a, b| b.takes.cmp(&a.takes).then(a.importance.cmp(&b.importance)));
        tallies
            .into_iter()
            .take(WORK_ON_COUNT)
            .map(|t| WorkOn {
                advice: if t.takes == 1 { t.advice } else { t.in_general },
                takes: t.takes,
                of: t.of,
            })
            .collect()
    }
}

/// The one line shown after a question's take.
pub fn answer_verdict(take: &LoadedSession) -> String {
    let Some(analysis) = take.analysis.as_ref() else {
        return "not analysed".into();
    };
    if !analysis.is_an_answer() {
        return "no answer heard".into();
    }
    let star: Vec<String> = Label::ALL
        .iter()
        .map(|&label| {
            format!(
                "{}{}",
                label.letter(),
                format::whole_percent(analysis.star.shares.get(label))
            )
        })
        .collect();
    format!(
        "{} {} · {} fillers/min · {} · checks {}/{}",
        format::duration(analysis.answer_s),
        text::check_mark(analysis.in_window),
        format::one_decimal(analysis.fillers.per_minute),
        star.join(" "),
        checks_passed(analysis),
        CHECKS_TOTAL
    )
}

/// The one line shown after a follow-up's take.
pub fn follow_up_verdict(verdict: &FollowUpAnswer) -> String {
    format!(
        "{} {} · a number {} · \"I\" {} · {} fillers/min · {}/{}",
        format::duration(verdict.answer_s),
        text::check_mark(verdict.length_ok),
        text::check_mark(verdict.specific),
        text::check_mark(verdict.owned),
        format::one_decimal(verdict.fillers_per_minute),
        verdict.passed(),
        FOLLOW_UP_CHECKS
    )
}

/// The summary in the terminal, wrapped to `width`.
pub fn render_interview(summary: &InterviewSummary, color: bool, width: usize) -> String {
    let paint = Paint { color };
    let mut out = String::new();
    out.push_str(&paint.bold(&format!("Mock interview: {}", summary.headline())));
    out.push('\n');
    for (index, question) in summary.questions.iter().enumerate() {
        let prompt = question
            .take
            .session
            .prompt
            .as_ref()
            .map_or("(no prompt)", |p| p.text.as_str());
        out.push('\n');
        out.push_str(&format::wrap_words(
            prompt,
            &format!("{}. ", index + 1),
            3,
            width,
        ));
        let _ = writeln!(
            out,
            "   #{} {}",
            question.number,
            answer_verdict(&question.take)
        );
        for follow_up in &question.follow_ups {
            out.push_str(&paint.dim(&format::wrap_words(&follow_up.question, "   ↳ ", 5, width)));
            let line = match (&follow_up.answer, follow_up.verdict()) {
                (Some((number, _)), Some(verdict)) => {
                    format!("#{number} {}", follow_up_verdict(&verdict))
                }
                (Some((number, _)), None) => format!("#{number} not analysed"),
                (None, _) => "skipped".to_string(),
            };
            let _ = writeln!(out, "     {line}");
        }
    }
    out.push('\n');
    out.push_str(&format::wrap_words(
        &summary.principles().join(", "),
        "Principles covered: ",
        4,
        width,
    ));
    for (a, b) in summary.same_stories() {
        out.push_str(&paint.red(&format!(
            "Same story twice: questions {} and {} (#{} and #{}); interviewers expect a different story per question.\n",
            a + 1,
            b + 1,
            summary.questions[a].number,
            summary.questions[b].number
        )));
    }
    let work_on = summary.work_on();
    if !work_on.is_empty() {
        out.push_str("Work on:\n");
        for (index, item) in work_on.iter().enumerate() {
            out.push_str(&format::wrap_words(
                &format!("{} ({} of {})", item.advice, item.takes, item.of),
                &format!("  {}. ", index + 1),
                5,
                width,
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::PathBuf;

    use super::*;
    use crate::analyse::testutil::answer;
    use crate::analyse::{AnalysisConfig, analyse};
    use crate::store::{PromptRef, SESSION_SCHEMA_VERSION, Session, Source, Status, TakeLinks};

    fn take(
        id: &str,
        prompt: &str,
        principle: &str,
        sentences: &[&str],
        follow_up_of: Option<&str>,
    ) -> LoadedSession {
        let transcript = answer(sentences);
        let config = if follow_up_of.is_some() {
            AnalysisConfig::for_follow_up()
        } else {
            AnalysisConfig::default()
        };
        let analysis = analyse(&transcript, &config);
        LoadedSession {
            dir: PathBuf::from(id),
            session: Session {
                schema_version: SESSION_SCHEMA_VERSION,
                id: id.to_string(),
                created_utc: "2026-12-04T10:00:00Z".into(),
                prompt: Some(PromptRef {
                    id: format!("{principle}-prompt"),
                    text: prompt.to_string(),
                    principles: vec![principle.to_string()],
                }),
                source: Source::Microphone,
                audio_file: "answer.wav".into(),
                raw_audio_file: None,
                status: Status::Analysed,
                follow_up: None,
                links: TakeLinks {
                    follow_up_of: follow_up_of.map(str::to_string),
                    interview: Some("interview-test".into()),
                },
            },
            transcript: Some(transcript),
            analysis: Some(analysis),
        }
    }

    const STORY: &[&str] = &[
        "Last spring our checkout service started timing out during the holiday sale.",
        "I was asked to find the cause before the weekend.",
        "I traced the slow queries, I added an index and I rolled it out behind a flag.",
        "Timeouts dropped from nine percent to under one percent.",
    ];

    fn summary() -> InterviewSummary {
        let first = take(
            "t1",
            "Tell me about a time you owned a problem.",
            "ownership",
            STORY,
            None,
        );
        let retold = take(
            "t3",
            "Tell me about a time you dove deep.",
            "dive-deep",
            STORY,
            None,
        );
        InterviewSummary {
            id: "interview-test".into(),
            questions: vec![
                QuestionTakes {
                    number: 1,
                    follow_ups: vec![
                        FollowUpTake {
                            question: "What was your specific role?".into(),
                            answer: Some((
                                2,
                                take(
                                    "t2",
                                    "What was your specific role?",
                                    "ownership",
                                    &["We fixed it together as a team."],
                                    Some("t1"),
                                ),
                            )),
                        },
                        FollowUpTake {
                            question: "What would you do differently?".into(),
                            answer: None,
                        },
                    ],
                    take: first,
                },
                QuestionTakes {
                    number: 3,
                    follow_ups: Vec::new(),
                    take: retold,
                },
            ],
            ended_early: false,
        }
    }

    #[test]
    fn the_loop_names_its_principles_its_retold_story_and_what_to_work_on() {
        let summary = summary();
        assert_eq!(
            summary.takes().map(|(n, _)| n).collect::<Vec<_>>(),
            [1, 2, 3]
        );
        assert_eq!(summary.principles(), ["Ownership", "Dive Deep"]);
        assert_eq!(summary.same_stories(), [(0, 1)]);
        let work_on = summary.work_on();
        assert_eq!(work_on.len(), WORK_ON_COUNT);
        // Both answers are far too short: that comes first, found in 2 of 2,
        // said without one answer's length.
        assert_eq!((work_on[0].takes, work_on[0].of), (2, 2), "{work_on:?}");
        let first_finding = &summary.questions[0]
            .take
            .analysis
            .as_ref()
            .unwrap()
            .findings[0];
        assert!(matches!(first_finding, Finding::TooShort { .. }));
        assert_eq!(work_on[0].advice, first_finding.advice_in_general());
        assert!(!work_on[0].advice.contains(" s;"), "{work_on:?}");
        assert!(
            work_on.windows(2).all(|w| w[0].takes >= w[1].takes),
            "{work_on:?}"
        );
    }

    /// Ties in how many answers had a finding go to the more important kind,
    /// whichever answer it came up in first.
    #[test]
    fn ties_in_work_on_go_to_the_more_important_finding() {
        let mut summary = summary();
        let findings = [
            vec![
                Finding::SectionLong {
                    label: Label::Situation,
                    share: 0.3,
                    target: 0.1,
                    seconds: 20.0,
                },
                Finding::Hedges {
                    words: vec!["basically".into()],
                },
            ],
            vec![
                Finding::TooShort {
                    answer_s: 40.0,
                    min_s: 60.0,
                    max_s: 120.0,
                },
                Finding::NoLearning,
                Finding::Hedges {
                    words: vec!["kind of".into()],
                },
            ],
            vec![Finding::NoLearning],
        ];
        let first = summary.questions[0].clone();
        summary.questions.push(first);
        for (question, findings) in summary.questions.iter_mut().zip(findings) {
            question.take.analysis.as_mut().unwrap().findings = findings;
            question.follow_ups.clear();
        }
        let advice: Vec<String> = summary.work_on().into_iter().map(|w| w.advice).collect();
        assert_eq!(
            advice[..3],
            [
                Finding::NoLearning.advice_in_general(),
                Finding::Hedges { words: Vec::new() }.advice_in_general(),
                Finding::TooShort {
                    answer_s: 40.0,
                    min_s: 60.0,
                    max_s: 120.0
                }
                .advice(),
            ],
            "{advice:#?}"
        );
    }

    /// The terminal and the page say the same about every take: its number and
    /// its verdict line, and which follow-up was skipped.
    #[test]
    fn the_terminal_summary_and_the_page_agree() {
        let summary = summary();
        let terminal = render_interview(&summary, false, 100);
        let audio: BTreeMap<String, Vec<u8>> = summary
            .takes()
            .map(|(_, t)| (t.id().to_string(), vec![1, 2, 3]))
            .collect();
        let page = super::super::render_interview_html(&summary, &audio);
        for question in &summary.questions {
            let verdict = answer_verdict(&question.take);
            assert!(
                terminal.contains(&format!("#{} {verdict}", question.number)),
                "{terminal}"
            );
            assert!(
                page.contains(&super::super::html::escape(&verdict)),
                "{verdict}"
            );
            for follow_up in &question.follow_ups {
                if let (Some((number, _)), Some(verdict)) = (&follow_up.answer, follow_up.verdict())
                {
                    let line = follow_up_verdict(&verdict);
                    assert!(
                        terminal.contains(&format!("#{number} {line}")),
                        "{terminal}"
                    );
                    assert!(page.contains(&super::super::html::escape(&line)), "{line}");
                } else {
                    assert!(terminal.contains("skipped"));
                    assert!(page.contains("Skipped."));
                }
            }
        }
        for item in summary.work_on() {
            assert!(terminal.contains(&item.advice[..20]), "{}", item.advice);
            assert!(
                page.contains(&super::super::html::escape(&item.advice)),
                "{}",
                item.advice
            );
        }
        assert!(terminal.contains("Same story twice: questions 1 and 2"));
        assert!(page.contains("Same story twice: questions 1 and 2"));
        assert_eq!(page.matches("<audio").count(), 3);
        assert_eq!(page.matches("section class=\"card question\"").count(), 2);
    }

    /// Both views head the loop with the same line, in the singular for one
    /// question or one take (the page once said "1 questions").
    #[test]
    fn both_views_count_the_loop_alike() {
        let mut summary = summary();
        for questions in [2, 1] {
            summary.questions.truncate(questions);
            if questions == 1 {
                summary.questions[0].follow_ups.clear();
            }
            let headline = summary.headline();
            let page = super::super::render_interview_html(&summary, &BTreeMap::new());
            assert!(
                render_interview(&summary, false, 200)
                    .contains(&format!("Mock interview: {headline}")),
                "{headline}"
            );
            assert!(page.contains(&format!("<h1>{headline}</h1>")), "{headline}");
            let expected = if questions == 1 {
                "1 question, 1 take, "
            } else {
                "2 questions, 3 takes, "
            };
            assert!(headline.starts_with(expected), "{headline}");
        }
    }
}
