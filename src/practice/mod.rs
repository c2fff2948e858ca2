//! Parts of a live practice take that are not command wiring: transcribing
//! while the user speaks, the live status line, the keyboard, and the
//! follow-up question.

pub mod follow_up;
pub mod keyboard;
pub mod live;
pub mod streaming;
