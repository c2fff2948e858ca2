//! A user's prompt file, read as text and parsed and checked as `PromptBank::load` does.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // `PromptBank::load` reads files with `read_to_string`: non-UTF-8 never gets further.
    if let Ok(source) = std::str::from_utf8(data) {
        let _ = rehearse::prompts::parse_file(Path::new("user.toml"), source);
    }
});
