//! Helpers shared by the prompt bank's unit tests.

use std::path::PathBuf;

use super::PromptBank;

pub(super) fn bank() -> PromptBank {
    match PromptBank::builtin() {
        Ok(bank) => bank,
        Err(error) => panic!("built-in bank failed to load: {error}"),
    }
}

/// A fresh folder under the system temp dir, removed on drop.
pub(super) struct TempDir(pub(super) PathBuf);

impl TempDir {
    pub(super) fn new(name: &str) -> Self {
        let path =
            std::env::temp_dir().join(format!("rehearse-prompts-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("create temp dir");
        Self(path)
    }

    pub(super) fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, text).expect("write temp file");
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
