//! The WAV reader every command uses on a take or an answer file.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(audio) = rehearse::audio::read_wav_bytes(data) {
        let channels = usize::from(audio.channels);
        assert!((1..=8).contains(&channels));
        assert!(!audio.samples.is_empty());
        assert_eq!(audio.samples.len() % channels, 0);
        assert!(audio.frames() > 0);
        let _ = audio.duration_ms();
    }
});
