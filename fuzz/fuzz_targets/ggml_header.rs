//! The check a ggml model passes before whisper.cpp (which aborts on a bad file) loads it.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(info) = ct2ggml::inspect_bytes(data) {
        assert_eq!(info.file_bytes, data.len() as u64);
        assert_eq!(info.tensors.len(), info.hparams.expected_tensor_count());
    }
});
