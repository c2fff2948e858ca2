//! The prompt bank: behavioural interview prompts, one TOML file per Leadership
//! Principle plus a phone-screen set, built into the binary; the user's own
//! `*.toml` files in `<config dir>/prompts` add prompts or override built-in
//! ones by id. The file format is described in `prompts/README.md`.
//!
//! One file per job:
//! - `types`: the prompt, principle, weakness, filter and error types;
//! - `principles`: the 16 Leadership Principles and lookup by slug, name or alias;
//! - `bank`: the built-in prompts, the user's files merged over them, lookup and picking;
//! - `listing`: the `rehearse prompts` listing, wrapped to 80 columns;
//! - `follow_up`: choosing a follow-up question aimed at an answer's weakness;
//! - `parse`: parsing and checking one prompt TOML file.

mod bank;
mod follow_up;
mod listing;
mod parse;
mod principles;
#[cfg(test)]
mod test_support;
mod types;

pub use bank::{DEFAULT_TARGET_SECONDS, MAX_TARGET_SECONDS, MIN_TARGET_SECONDS, PromptBank};
pub use parse::parse_file;
pub use principles::{principle, principles};
pub use types::{Filter, Principle, Prompt, PromptError, Weakness};
