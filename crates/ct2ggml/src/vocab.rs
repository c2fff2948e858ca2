//! Decoding a CTranslate2 `vocabulary.txt` (GPT-2 byte-to-unicode alphabet) to raw token bytes.
//!
//! GPT-2's BPE works on bytes but stores tokens as printable text: each byte is mapped to one
//! Unicode character (printable Latin-1 bytes to themselves, the rest to U+0100 upwards, so a
//! space is `Ġ` and a newline `Ċ`). whisper.cpp wants the raw bytes back. Some tokens are only
//! part of a UTF-8 character, so the result is bytes, not strings.

use thiserror::Error;

#[derive(Debug, Error, PartialEq, Eq)]
pub enum VocabError {
    #[error(
        "vocabulary line {line} ({token:?}) has character {ch:?}, which is outside GPT-2's byte alphabet; pass an unmodified CTranslate2 Whisper vocabulary.txt"
    )]
    NotByteAlphabet {
        line: usize,
        token: String,
        ch: char,
    },
    #[error("the vocabulary is empty; pass the CTranslate2 Whisper vocabulary.txt")]
    Empty,
}

/// GPT-2's `bytes_to_unicode`: the character that stands for each byte.
fn byte_to_char_table() -> [char; 256] {
    let printable = |b: u32| {
        (u32::from(b'!')..=u32::from(b'~')).contains(&b)
            || (0xA1..=0xAC).contains(&b)
            || (0xAE..=0xFF).contains(&b)
    };
    let mut table = ['\0'; 256];
    let mut next_shifted = 0u32;
    for b in 0u32..256 {
        let code = if printable(b) {
            b
        } else {
            next_shifted += 1;
            255 + next_shifted
        };
        // Every code is below U+0200, so `from_u32` always succeeds.
        table[b as usize] = char::from_u32(code).unwrap_or('\0');
    }
    table
}

/// The inverse table: character code (all below U+0200) to byte.
fn char_to_byte_table() -> Vec<Option<u8>> {
    let mut inverse = vec![None; 0x200];
    for (b, c) in byte_to_char_table().iter().enumerate() {
        inverse[*c as usize] = Some(b as u8);
    }
    inverse
}

/// Decodes one token written in GPT-2's byte alphabet. `line` is only used in the error.
pub fn decode_token(token: &str, line: usize) -> Result<Vec<u8>, VocabError> {
    let inverse = char_to_byte_table();
    decode_with(&inverse, token, line)
}

fn decode_with(inverse: &[Option<u8>], token: &str, line: usize) -> Result<Vec<u8>, VocabError> {
    token
        .chars()
        .map(|ch| {
            inverse
                .get(ch as usize)
                .copied()
                .flatten()
                .ok_or_else(|| VocabError::NotByteAlphabet {
                    line,
                    token: token.to_owned(),
                    ch,
                })
        })
        .collect()
}

/// Decodes a whole `vocabulary.txt` (one token per line, id = line index) to raw token bytes.
pub fn decode_vocabulary(text: &str) -> Result<Vec<Vec<u8>>, VocabError> {
    let inverse = char_to_byte_table();
    // The alphabet has no raw `\n` or `\r` (they are `Ċ` and `č`), so line splitting is safe.
    let tokens = text
        .lines()
        .enumerate()
        .map(|(i, token)| decode_with(&inverse, token, i + 1))
        .collect::<Result<Vec<_>, _>>()?;
    if tokens.is_empty() {
        return Err(VocabError::Empty);
    }
    Ok(tokens)
}

/// How many leading tokens whisper.cpp should get: the text tokens up to and including
/// `<|endoftext|>` (whisper.cpp makes the special and timestamp tokens itself from `n_vocab`).
/// Without an `<|endoftext|>`, all tokens, capped at `n_vocab`.
pub fn text_token_count(tokens: &[Vec<u8>], n_vocab: usize) -> usize {
    tokens
        .iter()
        .position(|t| t.as_slice() == b"<|endoftext|>")
        .map_or(tokens.len(), |eot| eot + 1)
        .min(n_vocab)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_a_bijection() {
        let table = byte_to_char_table();
        let mut seen = std::collections::HashSet::new();
        for c in table {
            assert!(seen.insert(c), "{c:?} appears twice");
        }
        assert_eq!(table[usize::from(b' ')], 'Ġ');
        assert_eq!(table[usize::from(b'\n')], 'Ċ');
        assert_eq!(table[usize::from(b'A')], 'A');
    }

    #[test]
    fn decodes_space_newline_and_plain_tokens() {
        assert_eq!(decode_token("Ġthe", 1).unwrap(), b" the");
        assert_eq!(decode_token("ĊĊ", 1).unwrap(), b"\n\n");
        assert_eq!(decode_token("<|endoftext|>", 1).unwrap(), b"<|endoftext|>");
    }

    #[test]
    fn decodes_a_token_that_is_not_utf8_alone() {
        // `âĢ` is the first two bytes of the three-byte UTF-8 for U+2019 (right quote).
        let bytes = decode_token("âĢ", 1).unwrap();
        assert_eq!(bytes, vec![0xE2, 0x80]);
        assert!(std::str::from_utf8(&bytes).is_err());
        // And the full sequence joins back into the character.
        let full = decode_token("âĢĻ", 1).unwrap();
        assert_eq!(std::str::from_utf8(&full).unwrap(), "\u{2019}");
    }

    #[test]
    fn rejects_characters_outside_the_alphabet() {
        let err = decode_vocabulary("a\nb\nhé€\n").unwrap_err();
        assert!(matches!(
            err,
            VocabError::NotByteAlphabet {
                line: 3,
                ch: '€',
                ..
            }
        ));
        assert!(err.to_string().contains("line 3"), "{err}");
        assert_eq!(decode_vocabulary("").unwrap_err(), VocabError::Empty);
    }

    #[test]
    fn counts_text_tokens_through_endoftext() {
        let tokens = decode_vocabulary("a\nb\n<|endoftext|>\n<|startoftranscript|>\n").unwrap();
        assert_eq!(tokens.len(), 4);
        assert_eq!(text_token_count(&tokens, 100), 3);
        assert_eq!(text_token_count(&tokens, 2), 2);
        let plain = decode_vocabulary("a\nb\n").unwrap();
        assert_eq!(text_token_count(&plain, 100), 2);
    }
}
