//! Views of saved takes: pure functions from loaded sessions to text (or a
//! self-contained HTML page). Nothing here touches the terminal or the disk;
//! the caller decides on colour (TTY, `NO_COLOR`) and where output goes.

pub mod compare;
pub mod html;
pub mod interview;
pub mod interview_html;
pub mod progress;
pub mod progress_html;
pub mod sessions_table;
pub mod show;
pub mod stories;

mod text;
mod timeline;

#[cfg(test)]
mod html_tests;

pub use compare::render_compare;
pub use html::render_html;
pub use interview::{FollowUpTake, InterviewSummary, QuestionTakes, render_interview};
pub use interview_html::render_interview_html;
pub use progress::render_progress;
pub use progress_html::render_progress_html;
pub use sessions_table::{SessionRow, render_sessions, render_sessions_json, session_rows};
pub use show::render_show;
pub use stories::{StoryWarning, render_stories, same_story_warnings, similarity};
pub use text::{PIPE_WIDTH, when};

use crate::store::LoadedSession;

/// Keeps the sessions matching an optional principle and an optional prompt id.
/// Principles compare by slug, so `Dive Deep` matches `dive-deep`.
pub fn filter_sessions<'a>(
    sessions: &'a [LoadedSession],
    principle: Option<&str>,
    prompt_id: Option<&str>,
) -> Vec<&'a LoadedSession> {
    numbered_sessions(sessions, principle, prompt_id)
        .into_iter()
        .map(|(_, loaded)| loaded)
        .collect()
}

/// [`filter_sessions`] with each take's index in `sessions`, which its take
/// number derives from.
pub fn numbered_sessions<'a>(
    sessions: &'a [LoadedSession],
    principle: Option<&str>,
    prompt_id: Option<&str>,
) -> Vec<(usize, &'a LoadedSession)> {
    let wanted_principle = principle.map(stories::principle_slug);
    sessions
        .iter()
        .enumerate()
        .filter(|(_, loaded)| {
            wanted_principle.as_ref().is_none_or(|wanted| {
                loaded.session.prompt.as_ref().is_some_and(|prompt| {
                    prompt
                        .principles
                        .iter()
                        .any(|p| stories::principle_slug(p) == *wanted)
                })
            })
        })
        .filter(|(_, loaded)| prompt_id.is_none_or(|id| loaded.session.prompt_id() == id))
        .collect()
}
