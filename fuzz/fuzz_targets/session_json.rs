//! The JSON files of a session folder, parsed as `store::load_dir` parses them.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use rehearse::analyse::Analysis;
use rehearse::store::{self, ANALYSIS_FILE, SESSION_FILE, Session, TRANSCRIPT_FILE};
use rehearse::transcript::Transcript;

fuzz_target!(|data: &[u8]| {
    if let Ok(session) = store::parse_json::<Session>(Path::new(SESSION_FILE), data) {
        let _ = session.created_unix_s();
        let _ = session.prompt_id();
        let _ = session.principle();
        let _ = session.status.name();
    }
    let _ = store::parse_json::<Transcript>(Path::new(TRANSCRIPT_FILE), data);
    let _ = store::parse_json::<Analysis>(Path::new(ANALYSIS_FILE), data);
});
