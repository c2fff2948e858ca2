//! The session store: one private folder per take under
//! `<data_dir>/sessions/<timestamp>-<prompt-id>/`, holding the audio, the
//! transcript, the analysis and `session.json`. Listing never fails because
//! of one bad folder: it is reported and skipped.

pub mod atomic;
pub mod session;

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::analyse::Analysis;
use crate::transcript::Transcript;

pub use session::{
    ANALYSIS_FILE, AUDIO_FILE, PromptRef, RAW_AUDIO_FILE, SESSION_FILE, SESSION_SCHEMA_VERSION,
    Session, Source, Status, TRANSCRIPT_FILE, TakeLinks,
};

#[derive(Debug, Error)]
pub enum StoreError {
    #[error(
        "cannot create the data folder `{path}`: {source}; check its permissions or pass `--data-dir`"
    )]
    DataDir { path: PathBuf, source: io::Error },
    #[error(
        "cannot read the sessions folder `{path}`: {source}; check its permissions or pass `--data-dir`"
    )]
    ReadDir { path: PathBuf, source: io::Error },
    #[error(
        "cannot write `{path}`: {source}; check free space and the permissions of the data folder"
    )]
    Write { path: PathBuf, source: io::Error },
    #[error("cannot read `{path}`: {source}; check the permissions of the session folder")]
    Read { path: PathBuf, source: io::Error },
    #[error(
        "`{path}` is damaged ({source}); delete that session folder or restore it from a backup"
    )]
    Corrupt {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("session `{id}` has no {what} yet; run `rehearse analyse --session {id}`")]
    Incomplete { id: String, what: &'static str },
    #[error("no session matches `{id}`; run `rehearse sessions` to see the take numbers")]
    NotFound { id: String },
    #[error("`{id}` matches {} sessions ({}); type more of the id, or the take number from `rehearse sessions`", candidates.len(), candidates.join(", "))]
    Ambiguous { id: String, candidates: Vec<String> },
    #[error("no sessions yet in `{path}`; record one with `rehearse practice`")]
    Empty { path: PathBuf },
}

/// A freshly created session folder: write the take, as captured or imported,
/// to [`SessionDir::audio_path`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionDir {
    pub id: String,
    pub path: PathBuf,
}

impl SessionDir {
    pub fn audio_path(&self) -> PathBuf {
        self.path.join(RAW_AUDIO_FILE)
    }
}

/// A session read back from disk. `transcript` and `analysis` are `None`
/// when the pipeline has not produced them (yet).
#[derive(Debug, Clone, PartialEq)]
pub struct LoadedSession {
    pub dir: PathBuf,
    pub session: Session,
    pub transcript: Option<Transcript>,
    pub analysis: Option<Analysis>,
}

impl LoadedSession {
    pub fn id(&self) -> &str {
        &self.session.id
    }

    pub fn audio_path(&self) -> PathBuf {
        self.dir.join(&self.session.audio_file)
    }

    /// Analysed, and found to hold no answer (no speech, or under
    /// [`MIN_ANSWER_SPEECH_S`](crate::analyse::MIN_ANSWER_SPEECH_S) of it).
    pub fn is_no_answer(&self) -> bool {
        self.analysis
            .as_ref()
            .is_some_and(|analysis| !analysis.is_an_answer())
    }
}

/// What `list` found: good sessions oldest first, and the folders it skipped
/// with the reason.
#[derive(Debug, Default)]
pub struct ListOutcome {
    pub sessions: Vec<LoadedSession>,
    pub problems: Vec<(PathBuf, String)>,
}

#[derive(Debug, Clone)]
pub struct Store {
    sessions_dir: PathBuf,
}

impl Store {
    /// Opens (creating if needed) the store in `data_dir`.
    pub fn open(data_dir: impl AsRef<Path>) -> Result<Store, StoreError> {
        let data_dir = data_dir.as_ref();
        let sessions_dir = data_dir.join("sessions");
        atomic::create_private_dir_all(data_dir).map_err(|source| StoreError::DataDir {
            path: data_dir.to_path_buf(),
            source,
        })?;
        atomic::create_private_dir_all(&sessions_dir).map_err(|source| StoreError::DataDir {
            path: sessions_dir.clone(),
            source,
        })?;
        Ok(Store { sessions_dir })
    }

    pub fn sessions_dir(&self) -> &Path {
        &self.sessions_dir
    }

    /// Creates the folder and `session.json` (status `recorded`) for a new
    /// take, now.
    pub fn create_session(
        &self,
        prompt: Option<PromptRef>,
        source: Source,
    ) -> Result<SessionDir, StoreError> {
        self.create_linked_session(prompt, source, TakeLinks::default())
    }

    /// Like [`Store::create_session`] for a take of a mock interview.
    pub fn create_linked_session(
        &self,
        prompt: Option<PromptRef>,
        source: Source,
        links: TakeLinks,
    ) -> Result<SessionDir, StoreError> {
        self.create_session_with(prompt, source, links, jiff::Timestamp::now().as_second())
    }

    /// Like [`Store::create_session`] at a given time (imports, tests).
    pub fn create_session_at(
        &self,
        prompt: Option<PromptRef>,
        source: Source,
        created_unix_s: i64,
    ) -> Result<SessionDir, StoreError> {
        self.create_session_with(prompt, source, TakeLinks::default(), created_unix_s)
    }

    fn create_session_with(
        &self,
        prompt: Option<PromptRef>,
        source: Source,
        links: TakeLinks,
        created_unix_s: i64,
    ) -> Result<SessionDir, StoreError> {
        let created =
            jiff::Timestamp::from_second(created_unix_s).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
        let stamp = created.strftime("%Y%m%dT%H%M%SZ").to_string();
        let prompt_id = prompt
            .as_ref()
            .map_or_else(|| "adhoc".to_string(), |prompt| folder_safe(&prompt.id));
        let base = format!("{stamp}-{prompt_id}");
        // Two takes of one prompt within a second get `-2`, `-3`, ...
        let mut id = base.clone();
        let mut n = 1;
        let path = loop {
            let path = self.sessions_dir.join(&id);
            match atomic::create_private_dir(&path) {
                Ok(()) => break path,
                Err(err) if err.kind() == io::ErrorKind::AlreadyExists && n < 1000 => {
                    n += 1;
                    id = format!("{base}-{n}");
                }
                Err(source) => return Err(StoreError::Write { path, source }),
            }
        };
        let session = Session {
            schema_version: SESSION_SCHEMA_VERSION,
            id: id.clone(),
            created_utc: created.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
            prompt,
            source,
            audio_file: RAW_AUDIO_FILE.to_string(),
            raw_audio_file: None,
            status: Status::Recorded,
            follow_up: None,
            links,
        };
        write_json(&path.join(SESSION_FILE), &session)?;
        Ok(SessionDir { id, path })
    }

    /// Stores the take in its compact form, `wav_bytes` (16 kHz mono 16-bit,
    /// what the analysis used), in place of the raw capture. The order keeps
    /// a take on disk at every instant: the compact file is written
    /// atomically, `session.json` is pointed at it (atomically), and only
    /// then is the raw file removed, unless `keep_raw`. Returns whether
    /// anything changed: a take that is already compact, or one stored before
    /// compaction existed (its original is `answer.wav`), is left as it is.
    pub fn store_compact_audio(
        &self,
        id: &str,
        wav_bytes: &[u8],
        keep_raw: bool,
    ) -> Result<bool, StoreError> {
        let dir = self.sessions_dir.join(id);
        if self.read_session(id)?.audio_file != RAW_AUDIO_FILE {
            return Ok(false);
        }
        let compact = dir.join(AUDIO_FILE);
        atomic::write_atomic(&compact, wav_bytes).map_err(|source| StoreError::Write {
            path: compact.clone(),
            source,
        })?;
        self.update_session(id, |session| {
            session.audio_file = AUDIO_FILE.to_string();
            session.raw_audio_file = keep_raw.then(|| RAW_AUDIO_FILE.to_string());
        })?;
        if !keep_raw {
            let raw = dir.join(RAW_AUDIO_FILE);
            fs::remove_file(&raw).map_err(|source| StoreError::Write { path: raw, source })?;
        }
        Ok(true)
    }

    /// Removes the take `id` (a full id) for good. The folder is first
    /// renamed to a dot name, which listings ignore, so a take is never seen
    /// half deleted; a leftover from an interrupted delete is removed by the
    /// next delete.
    pub fn delete(&self, id: &str) -> Result<(), StoreError> {
        let dir = self.sessions_dir.join(id);
        let doomed = self.sessions_dir.join(format!(".deleting-{id}"));
        fs::rename(&dir, &doomed).map_err(|source| StoreError::Write {
            path: dir.clone(),
            source,
        })?;
        fs::remove_dir_all(&doomed).map_err(|source| StoreError::Write {
            path: doomed,
            source,
        })?;
        self.remove_interrupted_deletes();
        Ok(())
    }

    fn remove_interrupted_deletes(&self) {
        let Ok(entries) = fs::read_dir(&self.sessions_dir) else {
            return;
        };
        for entry in entries.flatten() {
            if entry
                .file_name()
                .to_string_lossy()
                .starts_with(".deleting-")
            {
                let _ = fs::remove_dir_all(entry.path());
            }
        }
    }

    pub fn save_transcript(&self, id: &str, transcript: &Transcript) -> Result<(), StoreError> {
        write_json(
            &self.sessions_dir.join(id).join(TRANSCRIPT_FILE),
            transcript,
        )
    }

    pub fn save_analysis(&self, id: &str, analysis: &Analysis) -> Result<(), StoreError> {
        write_json(&self.sessions_dir.join(id).join(ANALYSIS_FILE), analysis)
    }

    pub fn set_status(&self, id: &str, status: Status) -> Result<(), StoreError> {
        self.update_session(id, |session| session.status = status)
    }

    /// Just `session.json` of take `id` (a full id): no transcript or
    /// analysis read.
    pub fn read_session(&self, id: &str) -> Result<Session, StoreError> {
        read_json(&self.sessions_dir.join(id).join(SESSION_FILE))
    }

    /// Reads `session.json`, changes it, and writes it back whole.
    pub fn update_session(
        &self,
        id: &str,
        change: impl FnOnce(&mut Session),
    ) -> Result<(), StoreError> {
        let path = self.sessions_dir.join(id).join(SESSION_FILE);
        let mut session: Session = read_json(&path)?;
        change(&mut session);
        write_json(&path, &session)
    }

    /// All sessions, oldest first. Damaged folders go to `problems`; so does
    /// an unreadable sessions folder, so a listing never fails outright.
    pub fn list(&self) -> ListOutcome {
        let mut outcome = ListOutcome::default();
        let entries = match fs::read_dir(&self.sessions_dir) {
            Ok(entries) => entries,
            Err(source) => {
                let err = StoreError::ReadDir {
                    path: self.sessions_dir.clone(),
                    source,
                };
                outcome
                    .problems
                    .push((self.sessions_dir.clone(), err.to_string()));
                return outcome;
            }
        };
        for entry in entries {
            let entry = match entry {
                Ok(entry) => entry,
                Err(err) => {
                    outcome
                        .problems
                        .push((self.sessions_dir.clone(), err.to_string()));
                    continue;
                }
            };
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') || !path.is_dir() {
                continue;
            }
            match load_dir(&path) {
                Ok(loaded) => outcome.sessions.push(loaded),
                Err(err) => outcome.problems.push((path, err.to_string())),
            }
        }
        outcome.sessions.sort_by(|a, b| {
            (a.session.created_unix_s(), a.id()).cmp(&(b.session.created_unix_s(), b.id()))
        });
        outcome.problems.sort_by(|a, b| a.0.cmp(&b.0));
        outcome
    }

    /// One session by full id, unique id prefix, take number (its place
    /// among all takes, oldest first, as `rehearse sessions` shows it), or
    /// `last` (the newest).
    pub fn load(&self, id_or_last: &str) -> Result<LoadedSession, StoreError> {
        let wanted = without_hash(id_or_last).0;
        let exact = self.sessions_dir.join(wanted);
        if wanted != "last" && folder_safe_id(wanted) && exact.join(SESSION_FILE).is_file() {
            return load_dir(&exact);
        }
        let mut sessions = self.readable_list()?;
        let index = self.find(&sessions, id_or_last)?;
        Ok(sessions.swap_remove(index))
    }

    /// Each of `ids` (as [`Store::load`] takes them) with its take number,
    /// all resolved against one listing: numbers shift once a take is
    /// deleted, and one listing reads every take once.
    pub fn load_numbered(&self, ids: &[String]) -> Result<Vec<(usize, LoadedSession)>, StoreError> {
        let sessions = self.readable_list()?;
        ids.iter()
            .map(|id| {
                let index = self.find(&sessions, id)?;
                Ok((index + 1, sessions[index].clone()))
            })
            .collect()
    }

    /// The takes, oldest first; an unreadable sessions folder is its own
    /// error, not "no sessions".
    fn readable_list(&self) -> Result<Vec<LoadedSession>, StoreError> {
        fs::read_dir(&self.sessions_dir).map_err(|source| StoreError::ReadDir {
            path: self.sessions_dir.clone(),
            source,
        })?;
        Ok(self.list().sessions)
    }

    /// Where in `sessions` (all takes, oldest first) the take named by
    /// `id_or_last` is: a full id, a unique prefix, a take number or `last`.
    fn find(&self, sessions: &[LoadedSession], id_or_last: &str) -> Result<usize, StoreError> {
        let (wanted, hashed) = without_hash(id_or_last);
        let not_found = || StoreError::NotFound {
            id: wanted.to_string(),
        };
        if wanted == "last" {
            return sessions
                .len()
                .checked_sub(1)
                .ok_or_else(|| StoreError::Empty {
                    path: self.sessions_dir.clone(),
                });
        }
        // Ids start with the year, so a number up to the count of takes is a
        // take number. Digits short of a year, or after `#`, are a take
        // number and nothing else: `2` must not find the only take of 2026
        // when there is no take 2. A longer number is still an id prefix.
        if wanted.bytes().all(|b| b.is_ascii_digit()) {
            let number = wanted.parse::<usize>().ok();
            if let Some(number) = number.filter(|n| (1..=sessions.len()).contains(n)) {
                return Ok(number - 1);
            }
            if hashed || wanted.len() < YEAR_DIGITS {
                return Err(not_found());
            }
        }
        if let Some(index) = sessions.iter().position(|loaded| loaded.id() == wanted) {
            return Ok(index);
        }
        let matches: Vec<usize> = (0..sessions.len())
            .filter(|&index| sessions[index].id().starts_with(wanted))
            .collect();
        match matches[..] {
            [index] => Ok(index),
            [] => {
                // A damaged folder with exactly this name: say why it failed.
                let exact = self.sessions_dir.join(wanted);
                match load_dir(&exact) {
                    Err(err) if exact.is_dir() && folder_safe_id(wanted) => Err(err),
                    _ => Err(not_found()),
                }
            }
            _ => Err(StoreError::Ambiguous {
                id: wanted.to_string(),
                candidates: matches
                    .iter()
                    .map(|&i| sessions[i].id().to_string())
                    .collect(),
            }),
        }
    }

    /// Prompt ids with the unix time they were last practised, most recent
    /// first. Sessions without a prompt are left out.
    pub fn recent_prompts(&self) -> Vec<(String, u64)> {
        let outcome = self.list();
        let mut last: BTreeMap<String, u64> = BTreeMap::new();
        for loaded in &outcome.sessions {
            if let Some(prompt) = &loaded.session.prompt {
                let at = u64::try_from(loaded.session.created_unix_s()).unwrap_or(0);
                let entry = last.entry(prompt.id.clone()).or_insert(at);
                *entry = (*entry).max(at);
            }
        }
        let mut recent: Vec<(String, u64)> = last.into_iter().collect();
        recent.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        recent
    }
}

/// Reads one session folder; any damaged file is an error.
pub fn load_dir(dir: &Path) -> Result<LoadedSession, StoreError> {
    let session: Session = read_json(&dir.join(SESSION_FILE))?;
    let transcript = read_optional_json::<Transcript>(&dir.join(TRANSCRIPT_FILE))?;
    let analysis = read_optional_json::<Analysis>(&dir.join(ANALYSIS_FILE))?;
    let needs_transcript = matches!(session.status, Status::Transcribed | Status::Analysed);
    if needs_transcript && transcript.is_none() {
        return Err(StoreError::Incomplete {
            id: session.id,
            what: "transcript",
        });
    }
    if session.status == Status::Analysed && analysis.is_none() {
        return Err(StoreError::Incomplete {
            id: session.id,
            what: "analysis",
        });
    }
    Ok(LoadedSession {
        dir: dir.to_path_buf(),
        session,
        transcript,
        analysis,
    })
}

fn write_json<T: serde::Serialize>(path: &Path, value: &T) -> Result<(), StoreError> {
    atomic::write_json_atomic(path, value).map_err(|source| StoreError::Write {
        path: path.to_path_buf(),
        source,
    })
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, StoreError> {
    let bytes = fs::read(path).map_err(|source| StoreError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    parse_json(path, &bytes)
}

/// Parses a session folder's JSON file as [`load_dir`] does; `path` is only named in errors
/// (public for the fuzzer).
pub fn parse_json<T: serde::de::DeserializeOwned>(
    path: &Path,
    bytes: &[u8],
) -> Result<T, StoreError> {
    serde_json::from_slice(bytes).map_err(|source| StoreError::Corrupt {
        path: path.to_path_buf(),
        source,
    })
}

fn read_optional_json<T: serde::de::DeserializeOwned>(
    path: &Path,
) -> Result<Option<T>, StoreError> {
    if path.exists() {
        read_json(path).map(Some)
    } else {
        Ok(None)
    }
}

/// Lowercase ASCII letters, digits and dashes only, so a prompt id can never
/// escape the sessions folder.
fn folder_safe(id: &str) -> String {
    let mut out = String::new();
    for ch in id.chars() {
        if ch.is_ascii_alphanumeric() {
            out.push(ch.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-').to_string();
    if out.is_empty() {
        "adhoc".to_string()
    } else {
        out
    }
}

/// `id` trimmed, without the `#` the listings print before a take number
/// (`#12` is take 12), and whether it had one.
fn without_hash(id: &str) -> (&str, bool) {
    let wanted = id.trim().trim_end_matches('/');
    match wanted.strip_prefix('#') {
        Some(number) if !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()) => {
            (number, true)
        }
        _ => (wanted, false),
    }
}

/// Digits in the year an id starts with.
const YEAR_DIGITS: usize = 4;

fn folder_safe_id(id: &str) -> bool {
    !id.is_empty() && id.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fuzzer's seeds and every input it once failed on parse or fail with an error, as
    /// each of a session folder's JSON files.
    #[test]
    fn fuzz_inputs_parse_or_fail_cleanly() {
        let inputs = crate::fuzz_inputs::fuzz_inputs("session_json");
        let mut sessions = 0;
        for (_, bytes) in &inputs {
            if let Ok(session) = parse_json::<Session>(Path::new(SESSION_FILE), bytes) {
                sessions += 1;
                let _ = (
                    session.created_unix_s(),
                    session.prompt_id(),
                    session.principle(),
                );
            }
            let _ = parse_json::<Transcript>(Path::new(TRANSCRIPT_FILE), bytes);
            let _ = parse_json::<Analysis>(Path::new(ANALYSIS_FILE), bytes);
        }
        assert!(sessions > 0, "no seed parses as a session");
    }

    #[test]
    fn a_take_keeps_its_interview_links_and_older_takes_load_without_them() {
        let root = tempfile::tempdir().unwrap();
        let store = Store::open(root.path()).unwrap();
        let question = store.create_session(None, Source::Microphone).unwrap();
        let links = TakeLinks {
            follow_up_of: Some(question.id.clone()),
            interview: Some("interview-20261204T100000Z".into()),
        };
        let answer = store
            .create_linked_session(None, Source::Microphone, links.clone())
            .unwrap();
        assert_eq!(store.read_session(&answer.id).unwrap().links, links);
        assert!(store.read_session(&answer.id).unwrap().is_follow_up());
        assert_eq!(
            store.read_session(&question.id).unwrap().links,
            TakeLinks::default()
        );
        // session.json as written before loops existed.
        let old = r#"{"schema_version":1,"id":"x","created_utc":"2026-11-22T10:35:01Z","prompt":null,
            "source":{"kind":"microphone"},"audio_file":"answer.wav","status":{"state":"analysed"}}"#;
        let session = parse_json::<Session>(Path::new(SESSION_FILE), old.as_bytes()).unwrap();
        assert_eq!(session.links, TakeLinks::default());
        assert!(!session.is_follow_up());
    }

    fn store_with_raw_take() -> (tempfile::TempDir, Store, SessionDir) {
        let root = tempfile::tempdir().unwrap();
        let store = Store::open(root.path()).unwrap();
        let dir = store.create_session(None, Source::Microphone).unwrap();
        fs::write(dir.audio_path(), b"RIFF raw capture").unwrap();
        (root, store, dir)
    }

    fn files_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn compacting_a_take_replaces_the_raw_capture() {
        let (_root, store, dir) = store_with_raw_take();
        assert_eq!(store.load(&dir.id).unwrap().audio_path(), dir.audio_path());
        assert!(
            store
                .store_compact_audio(&dir.id, b"compact", false)
                .unwrap()
        );
        let loaded = store.load(&dir.id).unwrap();
        assert_eq!(loaded.session.audio_file, AUDIO_FILE);
        assert_eq!(loaded.session.raw_audio_file, None);
        assert_eq!(fs::read(loaded.audio_path()).unwrap(), b"compact");
        // No temp file and no raw file left behind.
        assert_eq!(files_in(&dir.path), [AUDIO_FILE, SESSION_FILE]);
        // A second call finds the take compact already and changes nothing.
        assert!(!store.store_compact_audio(&dir.id, b"other", false).unwrap());
        assert_eq!(fs::read(loaded.audio_path()).unwrap(), b"compact");
    }

    #[test]
    fn keep_raw_keeps_the_capture_and_names_it() {
        let (_root, store, dir) = store_with_raw_take();
        assert!(
            store
                .store_compact_audio(&dir.id, b"compact", true)
                .unwrap()
        );
        let loaded = store.load(&dir.id).unwrap();
        assert_eq!(loaded.session.audio_file, AUDIO_FILE);
        assert_eq!(
            loaded.session.raw_audio_file.as_deref(),
            Some(RAW_AUDIO_FILE)
        );
        assert_eq!(
            fs::read(dir.path.join(RAW_AUDIO_FILE)).unwrap(),
            b"RIFF raw capture"
        );
        assert_eq!(
            files_in(&dir.path),
            [AUDIO_FILE, RAW_AUDIO_FILE, SESSION_FILE]
        );
    }

    #[test]
    fn a_take_stored_before_compaction_is_left_alone() {
        let (_root, store, dir) = store_with_raw_take();
        // What `session.json` looked like before takes were compacted.
        let old = format!(
            r#"{{"schema_version":1,"id":"{}","created_utc":"2026-11-22T10:35:01Z","prompt":null,"source":{{"kind":"microphone"}},"audio_file":"answer.wav","status":{{"state":"recorded"}}}}"#,
            dir.id
        );
        fs::write(dir.path.join(SESSION_FILE), old).unwrap();
        fs::rename(dir.audio_path(), dir.path.join(AUDIO_FILE)).unwrap();
        assert!(
            !store
                .store_compact_audio(&dir.id, b"compact", false)
                .unwrap()
        );
        let loaded = store.load(&dir.id).unwrap();
        assert_eq!(loaded.session.raw_audio_file, None);
        assert_eq!(fs::read(loaded.audio_path()).unwrap(), b"RIFF raw capture");
    }

    #[test]
    fn a_take_number_may_carry_a_hash() {
        let (_root, store, first) = store_with_raw_take();
        assert_eq!(store.load("#1").unwrap().id(), first.id);
        assert_eq!(store.load(" #1 ").unwrap().id(), first.id);
        assert!(matches!(store.load("#2"), Err(StoreError::NotFound { .. })));
        assert!(matches!(store.load("#"), Err(StoreError::NotFound { .. })));
        // A short number is a take number, never a prefix of the ids.
        assert!(matches!(store.load("2"), Err(StoreError::NotFound { .. })));
        assert!(matches!(
            store.load("#2026"),
            Err(StoreError::NotFound { .. })
        ));
        // A year or more is a prefix.
        assert_eq!(store.load(&first.id[..4]).unwrap().id(), first.id);
        assert_eq!(store.load(&first.id[..8]).unwrap().id(), first.id);
    }

    #[test]
    fn delete_removes_the_take_and_leaves_nothing_behind() {
        let (root, store, dir) = store_with_raw_take();
        // A leftover of a delete that was cut off.
        fs::create_dir_all(store.sessions_dir().join(".deleting-old/x")).unwrap();
        store.delete(&dir.id).unwrap();
        assert!(!dir.path.exists());
        assert!(files_in(&root.path().join("sessions")).is_empty());
        assert!(store.load(&dir.id).is_err());
        assert!(store.delete(&dir.id).is_err());
    }
}
