//! The integration tests, as one test binary: each file here used to be a
//! binary of its own, and each of those linked the whole crate graph,
//! whisper.cpp included. One module per former binary, named as it was, so
//! `cargo test --test all analysis_corpus` runs what `--test analysis_corpus`
//! ran. A filter matches anywhere in a test's name: `corpus::` also selects
//! `analysis_corpus::`, so `cargo test --test all corpus:: -- --skip
//! analysis_corpus` runs the corpus checks alone.
//!
//! The harness runs the tests on several threads at once. A test that runs
//! the real model, real-time audio, PulseAudio, tmux or Chromium holds
//! [`common::heavy`] for its whole run, so no two of those overlap; the light
//! tests run alongside.
//!
//! Shared code: `common` (the binary in a clean environment, the model,
//! fixtures, corpus audio, the heavy-test guard), `eval` (word error rate),
//! `fake_mic` (virtual microphones, tests that re-run this binary as a child),
//! `review_support` (hand-made takes, the Chromium check).

mod common;
mod eval;
mod fake_mic;
mod review_support;
mod spoken_stories;

mod analysis_corpus;
mod bad_input;
mod capture_file_plugin;
mod capture_pulse;
mod config;
mod convert;
mod corpus;
mod html_report;
mod interview_loop;
mod manage_takes;
mod model_fetch;
mod practice_live;
mod practice_terminal;
mod review_e2e;
mod review_real_views;
mod review_views;
mod sentence_model_training;
mod transcribe_real;
