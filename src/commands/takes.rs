//! Managing takes: `rehearse play` and `rehearse delete`.

use std::io::{BufRead, IsTerminal};

use anyhow::Result;

use super::emit;
use crate::exit::Usage;
use crate::paths::Paths;
use crate::store::{LoadedSession, Store};

/// One line naming a take as the listings do: `#3 2026-11-22 10:35 prompt-id (1:32)`.
fn describe(number: usize, loaded: &LoadedSession) -> String {
    let length = loaded
        .analysis
        .as_ref()
        .map(|analysis| format!(" ({})", crate::format::duration(analysis.duration_s)))
        .unwrap_or_default();
    format!(
        "#{number} {} {}{length}",
        crate::report::when(&loaded.session.created_utc),
        loaded.session.prompt_id()
    )
}

pub fn play(id: &str, paths: &Paths) -> Result<()> {
    let store = Store::open(&paths.data_dir)?;
    for (number, loaded) in store.load_numbered(&[id.to_string()])? {
        eprintln!("playing {}", describe(number, &loaded));
        crate::play::play(&loaded.audio_path())?;
    }
    Ok(())
}

/// Deletes the takes named by `ids`, all resolved against the listing as it
/// is before any goes (take numbers shift once one is deleted), after asking
/// on a terminal unless `yes`.
pub fn delete(ids: &[String], yes: bool, paths: &Paths) -> Result<()> {
    let store = Store::open(&paths.data_dir)?;
    let mut doomed = store.load_numbered(ids)?;
    doomed.sort_by_key(|(number, _)| *number);
    doomed.dedup_by_key(|(number, _)| *number);
    let count = crate::format::count(doomed.len(), "take", "takes");
    if !yes {
        if !std::io::stdin().is_terminal() {
            return Err(Usage(format!(
                "not deleting {count} without asking, and stdin is not a terminal; add --yes"
            ))
            .into());
        }
        for (number, loaded) in &doomed {
            eprintln!("  {}", describe(*number, loaded));
        }
        eprint!("Delete {count} for good? [y/N] ");
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer)?;
        if !matches!(answer.trim().to_lowercase().as_str(), "y" | "yes") {
            eprintln!("nothing deleted");
            return Ok(());
        }
    }
    for (number, loaded) in &doomed {
        store.delete(loaded.id())?;
        emit(format_args!("deleted {}\n", describe(*number, loaded)))?;
    }
    Ok(())
}
