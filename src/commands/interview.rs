//! `rehearse interview`: a mock loop. Questions from different principles
//! (unpractised first), each answered aloud and analysed as in `practice`,
//! then follow-up questions aimed at the answer's weakest parts, each answered
//! aloud (a take of its own, linked to the question's) or skipped. Ctrl-C ends
//! the loop after the take it is on; what was recorded is kept and summed up.

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::{Context, Result};

use super::practice::{LiveTakes, Settings, Start, prompt_line};
use super::{emit, load_prompt_bank, prompt_ref, stdout_width, transcribe_options, use_color};
use crate::cli::InterviewArgs;
use crate::exit::Interrupted;
use crate::paths::Paths;
use crate::practice::follow_up::weak_parts;
use crate::prompts::{Filter, Prompt, PromptBank, Weakness};
use crate::report::interview::{answer_verdict, follow_up_verdict};
use crate::report::{FollowUpTake, InterviewSummary, QuestionTakes};
use crate::settings;
use crate::store::{LoadedSession, PromptRef, Store, TakeLinks};

/// Where summary pages go inside the data dir.
const INTERVIEWS_DIR: &str = "interviews";

pub fn run(args: InterviewArgs, paths: &Paths) -> Result<()> {
    // A bad settings file ends the command here, before the model or the microphone.
    let resolved = settings::Settings::load(paths, &args.flags())?;
    let shape = Shape::of(&args, &resolved);
    let bank = load_prompt_bank(paths)?;
    let store = Store::open(&paths.data_dir)?;
    let filters = args
        .principle
        .iter()
        .map(|given| Filter::for_principle(given))
        .collect::<Result<Vec<_>, _>>()?;
    let seed = jiff::Timestamp::now().as_nanosecond() as u64;
    let prompts: Vec<Prompt> = bank
        .pick_interview(&filters, shape.questions, &store.recent_prompts(), seed)
        .into_iter()
        .cloned()
        .collect();
    if prompts.is_empty() {
        anyhow::bail!("no prompt matches; list them with `rehearse prompts`");
    }
    let takes = LiveTakes::open(
        &store,
        &bank,
        Settings::of(&args.recording, &resolved),
        &transcribe_options(&args.model, &resolved, paths)?,
    )?;
    let id = format!(
        "interview-{}",
        jiff::Timestamp::now().strftime("%Y%m%dT%H%M%SZ")
    );
    eprintln!(
        "mock interview: {} question{}, up to {} follow-up{} each; Ctrl-C ends it and keeps what was recorded",
        prompts.len(),
        if prompts.len() == 1 { "" } else { "s" },
        shape.follow_ups,
        if shape.follow_ups == 1 { "" } else { "s" },
    );

    let mut asked: Vec<AskedQuestion> = Vec::new();
    let ending = ask_all(&takes, &bank, shape, &id, &prompts, &mut asked);
    let ended_early = match &ending {
        Ok(()) => false,
        Err(err) if err.downcast_ref::<Interrupted>().is_some() => true,
        Err(_) if asked.is_empty() => return ending,
        Err(err) => {
            eprintln!("error: {}", crate::exit::one_line(err));
            true
        }
    };
    if asked.is_empty() {
        return ending;
    }
    let summary = summarise(&store, id, asked, ended_early);
    emit(format!(
        "\n{}",
        crate::report::render_interview(&summary, use_color(), stdout_width())
    ))?;
    let page = write_page(&summary, args.output, paths)?;
    emit(format!("Summary page: {}\n", page.display()))?;
    // An interrupted loop still ends with exit 130, after its summary.
    ending
}

/// A question as it was asked: its take, and its follow-ups (`None`: skipped).
struct AskedQuestion {
    take: LoadedSession,
    follow_ups: Vec<(String, Option<LoadedSession>)>,
}

/// How the loop runs: how many questions and follow-ups (settings), and
/// whether they are read aloud (`--speak`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Shape {
    questions: usize,
    follow_ups: usize,
    speak: bool,
}

impl Shape {
    fn of(args: &InterviewArgs, resolved: &settings::Settings) -> Self {
        Self {
            questions: resolved.questions.value as usize,
            follow_ups: resolved.follow_ups.value as usize,
            speak: args.recording.speak,
        }
    }
}

/// Asks every question and its follow-ups, recording into `asked` as it goes
/// so that an error or Ctrl-C leaves what was recorded for the summary.
fn ask_all(
    takes: &LiveTakes,
    bank: &PromptBank,
    shape: Shape,
    id: &str,
    prompts: &[Prompt],
    asked: &mut Vec<AskedQuestion>,
) -> Result<()> {
    for (index, prompt) in prompts.iter().enumerate() {
        emit(format!("\nQuestion {} of {}\n", index + 1, prompts.len()))?;
        takes.show_question(&prompt.text, &prompt_line(prompt), shape.speak)?;
        takes.wait_to_start(false)?;
        let take = takes.record(
            prompt_ref(prompt),
            TakeLinks {
                follow_up_of: None,
                interview: Some(id.to_string()),
            },
        )?;
        emit(format!("Answer: {}\n", answer_verdict(&take)))?;
        let questions = follow_up_questions(bank, prompt, &take, shape.follow_ups);
        asked.push(AskedQuestion {
            take,
            follow_ups: Vec::new(),
        });
        for (number, question) in questions.into_iter().enumerate() {
            stop_if_interrupted()?;
            emit(format!(
                "\nFollow-up {} of {}\n",
                number + 1,
                shape.follow_ups
            ))?;
            // `wait_to_start` says how to skip, in the words that fit the countdown or Enter.
            takes.show_question(&question, "", shape.speak)?;
            let answer = match takes.wait_to_start(true)? {
                Start::Skip => None,
                Start::Record => {
                    let current = asked.last().map(|q| q.take.id().to_string());
                    takes.record_skippable(
                        PromptRef {
                            id: prompt.id.clone(),
                            text: question.clone(),
                            principles: prompt.principles.clone(),
                        },
                        TakeLinks {
                            follow_up_of: current,
                            interview: Some(id.to_string()),
                        },
                    )?
                }
            };
            match &answer {
                None => emit("skipped\n")?,
                Some(take) => {
                    if let Some(analysis) = &take.analysis {
                        let verdict = crate::analyse::FollowUpAnswer::judge(analysis);
                        emit(format!(
                            "Follow-up answer: {}\n",
                            follow_up_verdict(&verdict)
                        ))?;
                    }
                }
            }
            if let Some(last) = asked.last_mut() {
                last.follow_ups.push((question, answer));
            }
        }
        stop_if_interrupted()?;
    }
    Ok(())
}

/// A Ctrl-C during a take stops that take, which is still kept and analysed;
/// the loop ends after it.
fn stop_if_interrupted() -> Result<()> {
    if LiveTakes::interrupted() {
        anyhow::bail!(Interrupted(
            "the mock interview was ended; every take recorded is kept".into()
        ));
    }
    Ok(())
}

/// The follow-up questions for a take: the first is the one the take's
/// analysis chose (`session.follow_up`), the next aim at its next weakest
/// parts; never the same question twice.
fn follow_up_questions(
    bank: &PromptBank,
    prompt: &Prompt,
    take: &LoadedSession,
    count: usize,
) -> Vec<String> {
    let mut weaknesses = take.analysis.as_ref().map(weak_parts).unwrap_or_default();
    weaknesses.push(Weakness::None);
    let mut questions: Vec<String> = take.session.follow_up.iter().cloned().collect();
    for weakness in weaknesses {
        let question = bank.follow_up_for(prompt, weakness);
        if !questions.contains(&question) {
            questions.push(question);
        }
    }
    // The prompt's own follow-ups, in order, if the weaknesses ran out.
    for question in &prompt.follow_ups {
        if !questions.contains(question) {
            questions.push(question.clone());
        }
    }
    questions.truncate(count);
    questions
}

/// The summary of what was asked, with each take's number.
fn summarise(
    store: &Store,
    id: String,
    asked: Vec<AskedQuestion>,
    ended_early: bool,
) -> InterviewSummary {
    let numbers: BTreeMap<String, usize> = store
        .list()
        .sessions
        .iter()
        .enumerate()
        .map(|(index, loaded)| (loaded.id().to_string(), index + 1))
        .collect();
    let number = |take: &LoadedSession| numbers.get(take.id()).copied().unwrap_or(0);
    InterviewSummary {
        id,
        questions: asked
            .into_iter()
            .map(|question| QuestionTakes {
                number: number(&question.take),
                follow_ups: question
                    .follow_ups
                    .into_iter()
                    .map(|(question, answer)| FollowUpTake {
                        question,
                        answer: answer.map(|take| (number(&take), take)),
                    })
                    .collect(),
                take: question.take,
            })
            .collect(),
        ended_early,
    }
}

/// Writes the summary page (with every take's audio inline) and returns its path.
fn write_page(
    summary: &InterviewSummary,
    output: Option<PathBuf>,
    paths: &Paths,
) -> Result<PathBuf> {
    let audio: BTreeMap<String, Vec<u8>> = summary
        .takes()
        .map(|(_, take)| {
            (
                take.id().to_string(),
                std::fs::read(take.audio_path()).unwrap_or_default(),
            )
        })
        .collect();
    let html = crate::report::render_interview_html(summary, &audio);
    let path = if let Some(path) = output {
        path
    } else {
        let dir = paths.data_dir.join(INTERVIEWS_DIR);
        crate::store::atomic::create_private_dir_all(&dir)
            .with_context(|| format!("cannot create `{}`; check its permissions", dir.display()))?;
        dir.join(format!("{}.html", summary.id))
    };
    crate::store::atomic::write_atomic(&path, html.as_bytes()).with_context(|| {
        format!(
            "cannot write `{}`; check the folder exists and is writable",
            path.display()
        )
    })?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use clap::Parser;

    use super::*;
    use crate::cli::{Cli, Command};
    use crate::settings::ConfigFile;

    /// The loop's shape for `rehearse interview ARGS` with this settings
    /// file and environment.
    fn shape(args: &[&str], file: &str, env: &[(&str, &str)]) -> Shape {
        let args = match Cli::try_parse_from([&["rehearse", "interview"], args].concat())
            .unwrap()
            .command
        {
            Command::Interview(args) => args,
            other => panic!("{other:?}"),
        };
        let file = ConfigFile::parse(Path::new("config.toml"), file).unwrap();
        let env = |name: &str| {
            env.iter()
                .find(|(var, _)| *var == name)
                .map(|(_, value)| (*value).to_string())
        };
        let resolved = settings::Settings::resolve(&args.flags(), &env, &file).unwrap();
        Shape::of(&args, &resolved)
    }

    #[test]
    fn the_loop_takes_its_shape_from_the_settings() {
        let file = "questions = 2\nfollow_ups = 0\n";
        assert_eq!(
            shape(&[], "", &[]),
            Shape {
                questions: 4,
                follow_ups: 1,
                speak: false
            }
        );
        assert_eq!(
            shape(&[], file, &[]),
            Shape {
                questions: 2,
                follow_ups: 0,
                speak: false
            }
        );
        assert_eq!(
            shape(
                &["--questions", "3", "--speak"],
                file,
                &[("REHEARSE_FOLLOW_UPS", "2")]
            ),
            Shape {
                questions: 3,
                follow_ups: 2,
                speak: true
            }
        );
    }
}
