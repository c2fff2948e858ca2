//! The inputs the fuzzers keep, for unit tests that replay them through the same functions:
//! the seeds (`fuzz/seeds/<target>`) and every input that once failed
//! (`fuzz/regressions/<target>`).

use std::path::{Path, PathBuf};

/// Every kept input of fuzz target `target`, with its path, in path order.
pub fn fuzz_inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
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
