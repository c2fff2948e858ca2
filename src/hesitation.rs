//! Hesitation sounds ("um", "uhhh", "hmm"): the one list of them, used by
//! the transcribe stage (to put one on its own sound) and by the analysis
//! (to count them).

/// The canonical spelling of a hesitation sound ("Ummm," -> "um", "hmm" ->
/// "hmm"), or `None` for any other word. Elongations are folded by collapsing
/// repeated letters.
pub fn canonical_filler(word: &str) -> Option<&'static str> {
    let norm = letters(word);
    let mut collapsed = String::with_capacity(norm.len());
    for c in norm.chars() {
        if !collapsed.ends_with(c) {
            collapsed.push(c);
        }
    }
    // "um-hmm", "uh-uh": every part must be a hesitation sound.
    let parts: Vec<&str> = collapsed.split('-').collect();
    let canon = |part: &str| -> Option<&'static str> {
        Some(match part {
            "um" | "uhm" | "umh" => "um",
            // Whisper writes an "uh" said alone, with a rising pitch, as "Huh?".
            "uh" | "huh" => "uh",
            "er" => "er",
            "erm" => "erm",
            "ah" | "a" if norm.len() > 1 => "ah",
            "hm" | "hmh" => "hmm",
            // A lone "M." is a misheard word or an initial; a hum is "Mm".
            "m" if norm.len() > 1 => "mm",
            "mh" | "mhm" => "mm",
            "eh" => "eh",
            _ => return None,
        })
    };
    if parts.len() > 1 {
        return parts
            .iter()
            .all(|p| canon(p).is_some())
            .then(|| canon(parts[0]))
            .flatten();
    }
    canon(&collapsed)
}

/// Whether `word` is a hesitation sound, whatever its spelling or punctuation.
pub fn is_hesitation(word: &str) -> bool {
    canonical_filler(word).is_some()
}

/// Lower case, without the punctuation around it ("Umm," -> "umm").
fn letters(word: &str) -> String {
    word.trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hesitations_are_recognised_with_elongations() {
        for (said, canon) in [
            ("um", "um"),
            ("Umm,", "um"),
            ("uh", "uh"),
            ("UHHH.", "uh"),
            ("er", "er"),
            ("erm", "erm"),
            ("ah", "ah"),
            ("hmm", "hmm"),
            ("mm", "mm"),
            ("mhm", "mm"),
            ("um-hmm", "um"),
            ("Huh?", "uh"),
        ] {
            assert_eq!(canonical_filler(said), Some(canon), "{said}");
            assert!(is_hesitation(said), "{said}");
        }
        for no in [
            "I", "umbrella", "her", "so", "like", "a", "my", "hum", "um-no", "M.", "m",
        ] {
            assert!(!is_hesitation(no), "{no}");
        }
    }
}
