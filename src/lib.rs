//! rehearse: rehearse spoken answers to behavioural interview questions.
//!
//! Data flows one way, each stage handing plain serde data to the next:
//! prompt -> capture -> transcribe -> analyse -> report / store.

pub mod allocator;
pub mod analyse;
pub mod audio;
pub mod capture;
pub mod cli;
pub mod commands;
pub mod exit;
pub mod format;
#[cfg(test)]
mod fuzz_inputs;
pub mod hesitation;
pub mod model;
pub mod paths;
pub mod play;
pub mod practice;
pub mod prompts;
pub mod report;
pub mod settings;
pub mod speak;
pub mod store;
pub mod transcribe;
pub mod transcript;

pub use commands::run;
