//! Keeping the "um"s and "uh"s that Whisper leaves out.
//!
//! Whisper writes what the speaker meant, not what they said: it drops most
//! hesitations. A decode primed with a disfluent prompt keeps them but gets
//! other words slightly worse. So each window is decoded twice: once plainly
//! (the words we keep) and once primed (searched only for hesitations), and
//! the hesitations the primed pass found are slotted between the plain
//! pass's words where the word sequences line up.

pub use crate::hesitation::is_hesitation;
use crate::transcript::Word;

/// Primes Whisper to write hesitations down. Short on purpose: long prompts
/// are reported to truncate output or echo into the transcript.
pub const DISFLUENT_PROMPT: &str = "Umm, let me think, like, hmm... uh, okay.";

fn normalise(word: &str) -> String {
    word.chars()
        .filter(|c| c.is_alphanumeric() || *c == '\'')
        .flat_map(char::to_lowercase)
        .collect()
}

/// Inserts the primed pass's hesitations into the plain pass's words.
///
/// The two word sequences are aligned (longest common subsequence on
/// normalised words); a hesitation in `primed` goes in after the plain word
/// its predecessor matched, timed by the primed pass but kept inside the gap
/// between its plain neighbours.
pub fn merge_hesitations(plain: &[Word], primed: &[Word]) -> Vec<Word> {
    let a: Vec<String> = plain.iter().map(|w| normalise(&w.text)).collect();
    let b: Vec<String> = primed.iter().map(|w| normalise(&w.text)).collect();
    // lcs[i][j]: LCS length of a[i..] and b[j..].
    let mut lcs = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] && !a[i].is_empty() {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    // Walk the alignment; `inserts[k]` holds hesitations that go before plain word k.
    let mut inserts: Vec<Vec<&Word>> = vec![Vec::new(); plain.len() + 1];
    let (mut i, mut j) = (0, 0);
    while j < b.len() {
        if i < a.len() && a[i] == b[j] && !a[i].is_empty() {
            i += 1;
            j += 1;
        } else if i < a.len() && lcs[i + 1][j] >= lcs[i][j + 1] {
            i += 1;
        } else {
            // Next to a hesitation the plain pass has, it is that one.
            let beside_one = [i.checked_sub(1), Some(i)]
                .into_iter()
                .flatten()
                .any(|k| plain.get(k).is_some_and(|w| is_hesitation(&w.text)));
            if is_hesitation(&primed[j].text) && !beside_one {
                inserts[i].push(&primed[j]);
            }
            j += 1;
        }
    }
    let mut merged = Vec::with_capacity(plain.len() + 8);
    for (k, slot) in inserts.iter().enumerate() {
        let gap_start = if k == 0 { 0 } else { plain[k - 1].end_ms };
        let gap_end = plain.get(k).map_or(u64::MAX, |w| w.start_ms);
        for hesitation in slot {
            let start_ms = hesitation.start_ms.clamp(gap_start, gap_end.max(gap_start));
            let end_ms = hesitation.end_ms.clamp(start_ms, gap_end.max(start_ms));
            merged.push(Word {
                start_ms,
                end_ms,
                ..(*hesitation).clone()
            });
        }
        if let Some(word) = plain.get(k) {
            merged.push(word.clone());
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(spec: &str) -> Vec<Word> {
        spec.split_whitespace()
            .map(|item| {
                let (text, at) = item.split_once('@').unwrap();
                let start_ms: u64 = at.parse().unwrap();
                Word {
                    text: text.to_string(),
                    start_ms,
                    end_ms: start_ms + 200,
                    probability: 0.9,
                }
            })
            .collect()
    }

    fn texts(words: &[Word]) -> Vec<&str> {
        words.iter().map(|w| w.text.as_str()).collect()
    }

    #[test]
    fn hesitations_slot_in_between_the_plain_words() {
        let plain = words("So@0 I@500 rolled@800 back@1200 the@1500 deploy.@1700");
        let primed = words("So,@0 um,@260 I@500 rolled@800 uh@900 back@1300 the@1500 deploy.@1700");
        let merged = merge_hesitations(&plain, &primed);
        assert_eq!(
            texts(&merged),
            ["So", "um,", "I", "rolled", "uh", "back", "the", "deploy."]
        );
        // The primed pass put "uh" inside "rolled" (800-1000 ms): it is
        // moved into the gap between its neighbours.
        assert_eq!(merged[4].start_ms, 1_000);
        assert!(merged[4].end_ms <= 1_200);
    }

    #[test]
    fn words_the_primed_pass_changed_are_not_taken() {
        let plain = words("We@0 cut@300 latency@600 by@900 forty@1100 percent.@1400");
        let primed = words("We@0 cup@300 latency@600 like@900 by@1000 forty@1100 percent.@1400");
        assert_eq!(texts(&merge_hesitations(&plain, &primed)), texts(&plain));
    }

    #[test]
    fn a_hesitation_the_plain_pass_already_has_is_not_doubled() {
        let plain = words("Um,@0 I@400 fixed@700 it.@1000");
        for primed in [
            "Um,@0 I@400 fixed@700 it.@1000",
            "Umm,@0 I@400 fixed@700 it.@1000",
            "Umm,@0 uh,@200 I@400 fixed@700 it.@1000",
        ] {
            let merged = merge_hesitations(&plain, &words(primed));
            assert_eq!(texts(&merged), texts(&plain), "{primed}");
        }
    }
}
