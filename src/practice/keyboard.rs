//! The keyboard during a live take, read on its own thread so that the
//! recording loop never blocks on it. Lines (Enter starts and stops a take;
//! `s` then Enter skips a follow-up) and, while a one-key choice is open,
//! single keys with no Enter (`d` discards a take, `r` records it again).
//! Not a terminal: nothing is ever read.

use std::io::{IsTerminal, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::Duration;

/// What the keyboard delivers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A line, sent when Enter is pressed.
    Line(String),
    /// One key, sent only while [`Keyboard::one_key`] waits.
    Key(char),
}

pub struct Keyboard {
    receiver: Receiver<Input>,
    /// While set, the reader sends each byte as a key instead of gathering lines.
    keys: Arc<AtomicBool>,
    terminal: bool,
}

impl Keyboard {
    pub fn start() -> Self {
        let (sender, receiver) = mpsc::channel();
        let keys = Arc::new(AtomicBool::new(false));
        let terminal = std::io::stdin().is_terminal();
        if terminal {
            let keys = Arc::clone(&keys);
            std::thread::spawn(move || {
                let mut line = Vec::new();
                let mut byte = [0u8; 1];
                while let Ok(1) = std::io::stdin().lock().read(&mut byte) {
                    let input = if keys.load(Ordering::SeqCst) {
                        Some(Input::Key(char::from(byte[0])))
                    } else if byte[0] == b'\n' {
                        let text = String::from_utf8_lossy(&line).trim_end().to_string();
                        line.clear();
                        Some(Input::Line(text))
                    } else {
                        line.push(byte[0]);
                        None
                    };
                    if input.is_some_and(|input| sender.send(input).is_err()) {
                        break;
                    }
                }
            });
        }
        Self {
            receiver,
            keys,
            terminal,
        }
    }

    pub fn is_terminal(&self) -> bool {
        self.terminal
    }

    /// Forgets what was typed so far.
    pub fn drain(&self) {
        while self.receiver.try_recv().is_ok() {}
    }

    /// The next line, if one comes within `timeout`.
    pub fn line(&self, timeout: Duration) -> Result<Option<String>, RecvTimeoutError> {
        match self.receiver.recv_timeout(timeout) {
            Ok(Input::Line(line)) => Ok(Some(line)),
            Ok(Input::Key(_)) | Err(RecvTimeoutError::Timeout) => Ok(None),
            Err(RecvTimeoutError::Disconnected) => Err(RecvTimeoutError::Disconnected),
        }
    }

    /// The first line typed since the last call, if Enter was pressed.
    pub fn entered_line(&self) -> Option<String> {
        std::iter::from_fn(|| self.receiver.try_recv().ok()).find_map(|input| match input {
            Input::Line(line) => Some(line),
            Input::Key(_) => None,
        })
    }

    /// Waits for one key, with no Enter needed (the terminal is switched out
    /// of line mode, and back however this returns). Gives up, with `None`,
    /// when `stop` says so (checked every 100 ms) or when there is no
    /// terminal.
    pub fn one_key(&self, stop: impl Fn() -> bool) -> Option<char> {
        if !self.terminal {
            return None;
        }
        self.drain();
        let _mode = KeyMode::enter(&self.keys);
        loop {
            match self.receiver.recv_timeout(Duration::from_millis(100)) {
                Ok(Input::Key(key)) => return Some(key),
                Ok(Input::Line(_)) => {}
                Err(RecvTimeoutError::Timeout) if !stop() => {}
                Err(_) => return None,
            }
        }
    }
}

/// The terminal in single-key mode (no line editing, no echo) for as long as
/// it lives. Ctrl-C still interrupts.
struct KeyMode<'a> {
    keys: &'a AtomicBool,
    saved: Option<nix::sys::termios::Termios>,
}

impl<'a> KeyMode<'a> {
    fn enter(keys: &'a AtomicBool) -> Self {
        use nix::sys::termios::{
            FlushArg, LocalFlags, SetArg, SpecialCharacterIndices, tcflush, tcgetattr, tcsetattr,
        };
        let stdin = std::io::stdin();
        // Keys typed while the take was analysed (still in the terminal's
        // line buffer, with no Enter) must not make the choice.
        let _ = tcflush(&stdin, FlushArg::TCIFLUSH);
        let saved = tcgetattr(&stdin).ok();
        if let Some(saved) = &saved {
            let mut single = saved.clone();
            single
                .local_flags
                .remove(LocalFlags::ICANON | LocalFlags::ECHO);
            single.control_chars[SpecialCharacterIndices::VMIN as usize] = 1;
            single.control_chars[SpecialCharacterIndices::VTIME as usize] = 0;
            let _ = tcsetattr(&stdin, SetArg::TCSANOW, &single);
        }
        keys.store(true, Ordering::SeqCst);
        Self { keys, saved }
    }
}

impl Drop for KeyMode<'_> {
    fn drop(&mut self) {
        self.keys.store(false, Ordering::SeqCst);
        if let Some(saved) = &self.saved {
            let _ = nix::sys::termios::tcsetattr(
                std::io::stdin(),
                nix::sys::termios::SetArg::TCSANOW,
                saved,
            );
        }
    }
}
