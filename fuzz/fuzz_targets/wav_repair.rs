//! The header repair of a take cut off by a crash, then the reader on what it left.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rehearse::capture::repair_wav_bytes;

fuzz_target!(|data: &[u8]| {
    let mut bytes = data.to_vec();
    let Ok(first) = repair_wav_bytes(&mut bytes) else {
        return;
    };
    assert!(bytes.len() <= data.len(), "repair made the file longer");
    // A repaired file needs no second repair.
    let again = repair_wav_bytes(&mut bytes).expect("a repaired file repairs again");
    assert!(!again.fixed, "repair is not idempotent: {first:?} then {again:?}");
    assert_eq!(again.frames, first.frames);
    let _ = rehearse::audio::read_wav_bytes(&bytes);
});
