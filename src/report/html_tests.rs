//! Text from a person, a transcript or a file stays text in both pages.
//!
//! Each page is rendered twice from the same take: once with a harmless
//! marker wherever such text goes, once with hostile text there instead. The
//! pages must have the same elements and attributes, in the same order (so
//! the hostile text added no tag and broke out of no attribute), and the
//! hostile text must read back, unescaped, wherever the marker does.

use super::{render_html, render_progress_html};
use crate::analyse::testutil::transcript;
use crate::analyse::{Analysis, AnalysisConfig, analyse};
use crate::store::{LoadedSession, PromptRef, SESSION_SCHEMA_VERSION, Session, Source, Status};
use crate::transcript::Transcript;

const MARKER: &str = "harmless";
const HOSTILE: &str =
    r#"<script>alert('x')</script> & "quoted" <img src=x onerror=alert(1)> 'it's'"#;

/// A take with `text` in every place a person, a transcript or a file puts
/// text into a page.
fn take_with(text: &str) -> LoadedSession {
    let mut transcript: Transcript = transcript(
        "Um, last year I owned checkout. I added a cache, uh, and we cut latency \
         by 40 percent. I learned to measure first.",
    );
    let mut analysis: Analysis = analyse(&transcript, &AnalysisConfig::default());
    transcript.segments[0].words[3].text = format!(" {text}");
    analysis.feedback.push(text.to_string());
    analysis.checks.hedges = vec![text.to_string()];
    analysis.checks.blame = vec![text.to_string()];
    analysis.fillers.by_word = [(text.to_string(), 1)].into();
    for item in &mut analysis.fillers.items {
        item.word = text.to_string();
    }
    let session = Session {
        schema_version: SESSION_SCHEMA_VERSION,
        id: text.to_string(),
        created_utc: text.to_string(),
        prompt: Some(PromptRef {
            id: text.to_string(),
            text: text.to_string(),
            principles: vec![text.to_string(), "Ownership".to_string()],
        }),
        source: Source::File {
            original_name: text.to_string(),
        },
        audio_file: "answer.wav".to_string(),
        raw_audio_file: None,
        status: Status::Analysed,
        follow_up: Some(text.to_string()),
        links: crate::store::TakeLinks::default(),
    };
    LoadedSession {
        dir: std::path::PathBuf::new(),
        session,
        transcript: Some(transcript),
        analysis: Some(analysis),
    }
}

fn report_with(text: &str) -> String {
    let take = take_with(text);
    render_html(
        &take.session,
        take.transcript.as_ref().unwrap(),
        take.analysis.as_ref().unwrap(),
        b"RIFF",
    )
}

fn progress_with(text: &str) -> String {
    render_progress_html(&[take_with(text), take_with(text)], Some("Ownership"))
}

/// What a page is made of, as an HTML tokenizer reads it: tags, attributes
/// (double-quoted values, as the pages write them) and text, with the five
/// entities the pages use decoded. The content of `<style>` and `<script>`
/// is raw text, as in HTML.
#[derive(Debug, PartialEq)]
enum Piece {
    Tag(String),
    Attribute(String, String),
    Text(String),
}

fn pieces(page: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut rest = page;
    while let Some(open) = rest.find('<') {
        if open > 0 {
            out.push(Piece::Text(unescape(&rest[..open])));
        }
        let (tag, after) = tag(&rest[open + 1..], &mut out);
        rest = after;
        if tag == "style" || tag == "script" {
            let close = rest.find(&format!("</{tag}>")).expect("raw text closes");
            out.push(Piece::Text(rest[..close].to_string()));
            rest = &rest[close..];
        }
    }
    out.push(Piece::Text(unescape(rest)));
    out
}

/// Reads one tag after its `<` into `out`; returns its name and what follows it.
fn tag<'a>(from: &'a str, out: &mut Vec<Piece>) -> (String, &'a str) {
    let name_end = from
        .find(|c: char| c.is_whitespace() || c == '>')
        .expect("tag name ends");
    let name = from[..name_end].to_string();
    out.push(Piece::Tag(name.clone()));
    let mut rest = &from[name_end..];
    loop {
        rest = rest.trim_start();
        if let Some(after) = rest.strip_prefix('>') {
            return (name, after);
        }
        let attr_end = rest
            .find(|c: char| c.is_whitespace() || c == '>' || c == '=')
            .expect("attribute name ends");
        let attr = rest[..attr_end].to_string();
        rest = &rest[attr_end..];
        let value = if let Some(quoted) = rest.strip_prefix("=\"") {
            let close = quoted.find('"').expect("attribute value closes");
            rest = &quoted[close + 1..];
            unescape(&quoted[..close])
        } else if let Some(bare) = rest.strip_prefix('=') {
            // Unquoted: only where text broke out of a quoted value.
            let end = bare
                .find(|c: char| c.is_whitespace() || c == '>')
                .unwrap_or(bare.len());
            rest = &bare[end..];
            unescape(&bare[..end])
        } else {
            String::new()
        };
        out.push(Piece::Attribute(attr, value));
    }
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The pieces with `text` put back to the marker where it reads back.
fn with_marker(pieces: Vec<Piece>, text: &str) -> Vec<Piece> {
    let back = |value: String| value.replace(text, MARKER);
    pieces
        .into_iter()
        .map(|piece| match piece {
            Piece::Text(value) => Piece::Text(back(value)),
            Piece::Attribute(name, value) => Piece::Attribute(name, back(value)),
            tag @ Piece::Tag(_) => tag,
        })
        .collect()
}

fn shows_marker(piece: &Piece) -> bool {
    match piece {
        Piece::Text(value) | Piece::Attribute(_, value) => value.contains(MARKER),
        Piece::Tag(_) => false,
    }
}

fn assert_text_stays_text(render: fn(&str) -> String) {
    let harmless = pieces(&render(MARKER));
    let hostile = render(HOSTILE);
    assert!(
        !hostile.contains("<img") && !hostile.contains("<script>alert"),
        "hostile markup written as is"
    );
    let places = harmless.iter().filter(|piece| shows_marker(piece)).count();
    assert!(places >= 4, "the marker is shown: {harmless:?}");
    assert_eq!(with_marker(pieces(&hostile), HOSTILE), harmless);
}

#[test]
fn hostile_text_in_a_report_stays_text() {
    assert_text_stays_text(report_with);
}

#[test]
fn hostile_text_in_the_progress_page_stays_text() {
    assert_text_stays_text(progress_with);
}
