//! Word error rate (WER) between a reference script and a transcript.
//!
//! Both sides go through the same [`normalise_words`], so formatting choices
//! a transcriber makes ("36 hours" vs "thirty-six hours", "40%" vs "forty
//! percent", "don't" vs "do not") are not counted as errors.

use serde::{Deserialize, Serialize};

/// Edit counts of the best word alignment of a hypothesis against a reference.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WerStats {
    pub substitutions: usize,
    pub deletions: usize,
    pub insertions: usize,
    /// Number of words in the normalised reference.
    pub reference_words: usize,
    /// `(substitutions + deletions + insertions) / reference_words`; for an
    /// empty reference it is 0.0 when the hypothesis is empty too, else 1.0.
    pub wer: f64,
}

/// Lowercases, strips punctuation, splits hyphenated words, expands common
/// contractions and spells numbers and percentages as words.
pub fn normalise_words(text: &str) -> Vec<String> {
    let lowered = text.to_lowercase();
    let mut spaced = String::with_capacity(lowered.len());
    for c in lowered.chars() {
        match c {
            '\u{2019}' | '\u{2018}' | '`' => spaced.push('\''),
            // Hyphens, dashes and slashes separate words ("thirty-six", "p95/p99").
            '-' | '\u{2010}'..='\u{2015}' | '/' | '_' => spaced.push(' '),
            '%' => spaced.push_str(" percent "),
            _ => spaced.push(c),
        }
    }

    let mut words = Vec::new();
    for raw in spaced.split_whitespace() {
        for piece in split_letters_digits(&clean_token(raw)) {
            push_normalised(&piece, &mut words);
        }
    }
    // "per cent" is the British spelling of "percent".
    let mut merged: Vec<String> = Vec::with_capacity(words.len());
    for word in words {
        if word == "cent" && merged.last().is_some_and(|w| w == "per") {
            merged.pop();
            merged.push("percent".to_string());
        } else {
            merged.push(word);
        }
    }
    merged
}

/// Aligns the normalised words of `hypothesis` against those of `reference`
/// (Levenshtein distance on words, all edits cost 1).
pub fn word_error_rate(reference: &str, hypothesis: &str) -> WerStats {
    let reference = normalise_words(reference);
    let hypothesis = normalise_words(hypothesis);
    let (substitutions, deletions, insertions) = align(&reference, &hypothesis);
    let errors = substitutions + deletions + insertions;
    let wer = if reference.is_empty() {
        if errors == 0 { 0.0 } else { 1.0 }
    } else {
        errors as f64 / reference.len() as f64
    };
    WerStats {
        substitutions,
        deletions,
        insertions,
        reference_words: reference.len(),
        wer,
    }
}

/// Returns (substitutions, deletions, insertions) of a minimum-cost alignment.
fn align(reference: &[String], hypothesis: &[String]) -> (usize, usize, usize) {
    let columns = hypothesis.len() + 1;
    // cost[i][j]: edits to turn reference[..i] into hypothesis[..j], flattened.
    let mut cost = vec![0usize; (reference.len() + 1) * columns];
    for (j, cell) in cost.iter_mut().take(columns).enumerate() {
        *cell = j;
    }
    for i in 1..=reference.len() {
        cost[i * columns] = i;
        for j in 1..columns {
            let diagonal = cost[(i - 1) * columns + j - 1]
                + usize::from(reference[i - 1] != hypothesis[j - 1]);
            let deletion = cost[(i - 1) * columns + j] + 1;
            let insertion = cost[i * columns + j - 1] + 1;
            cost[i * columns + j] = diagonal.min(deletion).min(insertion);
        }
    }

    // Walk back from the corner; prefer match/substitution, then deletion.
    let (mut substitutions, mut deletions, mut insertions) = (0, 0, 0);
    let (mut i, mut j) = (reference.len(), hypothesis.len());
    while i > 0 || j > 0 {
        let here = cost[i * columns + j];
        if i > 0 && j > 0 {
            let differs = usize::from(reference[i - 1] != hypothesis[j - 1]);
            if here == cost[(i - 1) * columns + j - 1] + differs {
                substitutions += differs;
                i -= 1;
                j -= 1;
                continue;
            }
        }
        if i > 0 && here == cost[(i - 1) * columns + j] + 1 {
            deletions += 1;
            i -= 1;
        } else {
            insertions += 1;
            j -= 1;
        }
    }
    (substitutions, deletions, insertions)
}

/// Keeps letters, digits, apostrophes and the dots/commas inside numbers.
fn clean_token(raw: &str) -> String {
    let chars: Vec<char> = raw.chars().collect();
    let mut out = String::with_capacity(raw.len());
    for (index, &c) in chars.iter().enumerate() {
        let digit_before = index > 0 && chars[index - 1].is_ascii_digit();
        let digit_after = chars.get(index + 1).is_some_and(char::is_ascii_digit);
        let keep = c.is_alphanumeric()
            || (c == '\'' && index > 0 && chars[index - 1].is_alphabetic())
            // "1.2" and ".5" keep their decimal point.
            || (c == '.' && digit_after && (digit_before || index == 0));
        if keep {
            out.push(c);
        }
        // ',' inside "2,000" and every other symbol are dropped.
    }
    out.trim_end_matches('\'').to_string()
}

/// Splits "p99" into "p", "99" and "10x" into "10", "x" (a transcriber may or
/// may not put a space there). Ordinals such as "1st" stay whole.
fn split_letters_digits(token: &str) -> Vec<String> {
    if ordinal_value(token).is_some() {
        return vec![token.to_string()];
    }
    let mut pieces: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut current_is_number = false;
    for c in token.chars() {
        let is_number = c.is_ascii_digit() || c == '.';
        if !current.is_empty() && is_number != current_is_number {
            pieces.push(std::mem::take(&mut current));
        }
        current_is_number = is_number;
        current.push(c);
    }
    if !current.is_empty() {
        pieces.push(current);
    }
    pieces
}

fn push_normalised(piece: &str, words: &mut Vec<String>) {
    if piece.is_empty() {
        return;
    }
    if let Some(value) = ordinal_value(piece) {
        words.extend(ordinal_words(value));
        return;
    }
    if piece.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
        push_number(piece, words);
        return;
    }
    if let Some(expansion) = expand_contraction(piece) {
        words.extend(expansion.split(' ').map(str::to_string));
        return;
    }
    let word = match piece {
        "ok" => "okay",
        "alright" => "all right",
        other => other,
    };
    // Possessives and leftover apostrophes: "team's" and "teams" are one word.
    words.extend(word.replace('\'', "").split(' ').map(str::to_string));
}

fn expand_contraction(word: &str) -> Option<String> {
    let whole = match word {
        "can't" | "cannot" => Some("can not"),
        "won't" => Some("will not"),
        "shan't" => Some("shall not"),
        "let's" => Some("let us"),
        "i'm" => Some("i am"),
        _ => None,
    };
    if let Some(expansion) = whole {
        return Some(expansion.to_string());
    }
    // Pronoun + "'s" is "is"; other "'s" are possessives and handled elsewhere.
    if let Some(stem) = word.strip_suffix("'s") {
        return matches!(
            stem,
            "it" | "that" | "there" | "here" | "what" | "he" | "she" | "who" | "where"
        )
        .then(|| format!("{stem} is"));
    }
    const SUFFIXES: [(&str, &str); 5] = [
        ("n't", " not"),
        ("'re", " are"),
        ("'ve", " have"),
        ("'ll", " will"),
        // "'d" is "would" or "had"; either way both sides expand the same.
        ("'d", " would"),
    ];
    SUFFIXES.iter().find_map(|(suffix, expansion)| {
        word.strip_suffix(suffix)
            .filter(|stem| !stem.is_empty())
            .map(|stem| format!("{stem}{expansion}"))
    })
}

fn ordinal_value(token: &str) -> Option<u64> {
    let split = token.find(|c: char| !c.is_ascii_digit())?;
    let (digits, suffix) = token.split_at(split);
    if digits.is_empty() || !matches!(suffix, "st" | "nd" | "rd" | "th") {
        return None;
    }
    digits.parse().ok()
}

fn ordinal_words(value: u64) -> Vec<String> {
    let mut words = number_words(value);
    let last = words.pop().unwrap_or_default();
    let ordinal = match last.as_str() {
        "one" => "first".to_string(),
        "two" => "second".to_string(),
        "three" => "third".to_string(),
        "five" => "fifth".to_string(),
        "eight" => "eighth".to_string(),
        "nine" => "ninth".to_string(),
        "twelve" => "twelfth".to_string(),
        other if other.ends_with('y') => format!("{}ieth", &other[..other.len() - 1]),
        other => format!("{other}th"),
    };
    words.push(ordinal);
    words
}

/// "1.25" -> "one point two five"; "2000" -> "two thousand".
fn push_number(piece: &str, words: &mut Vec<String>) {
    let (whole, fraction) = match piece.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (piece, None),
    };
    if !whole.is_empty() {
        match whole.parse::<u64>() {
            Ok(value) => words.extend(number_words(value)),
            // Too long to be a quantity: read it digit by digit.
            Err(_) => words.extend(whole.chars().filter_map(digit_word).map(str::to_string)),
        }
    } else if fraction.is_some() {
        words.push("zero".to_string());
    }
    if let Some(fraction) = fraction.filter(|f| !f.is_empty()) {
        words.push("point".to_string());
        words.extend(fraction.chars().filter_map(digit_word).map(str::to_string));
    }
}

fn digit_word(c: char) -> Option<&'static str> {
    let digit = c.to_digit(10)?;
    Some(ONES[digit as usize])
}

const ONES: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];

const TENS: [&str; 10] = [
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

/// Spells an integer without "and" or hyphens: 1305 -> "one thousand three hundred five".
fn number_words(value: u64) -> Vec<String> {
    if value == 0 {
        return vec!["zero".to_string()];
    }
    const SCALES: [(u64, &str); 4] = [
        (1_000_000_000_000, "trillion"),
        (1_000_000_000, "billion"),
        (1_000_000, "million"),
        (1_000, "thousand"),
    ];
    let mut words = Vec::new();
    let mut rest = value;
    for (scale, name) in SCALES {
        if rest >= scale {
            words.extend(number_words(rest / scale));
            words.push(name.to_string());
            rest %= scale;
        }
    }
    if rest >= 100 {
        words.push(ONES[(rest / 100) as usize].to_string());
        words.push("hundred".to_string());
        rest %= 100;
    }
    if rest >= 20 {
        words.push(TENS[(rest / 10) as usize].to_string());
        rest %= 10;
        if rest > 0 {
            words.push(ONES[rest as usize].to_string());
        }
    } else if rest > 0 {
        words.push(ONES[rest as usize].to_string());
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        // Leaks are fine in tests; keeps the assertions readable.
        normalise_words(text)
            .into_iter()
            .map(|w| &*Box::leak(w.into_boxed_str()))
            .collect()
    }

    #[test]
    fn lowercases_and_strips_punctuation() {
        assert_eq!(
            words("And so, my fellow Americans: ask not!"),
            ["and", "so", "my", "fellow", "americans", "ask", "not"]
        );
    }

    #[test]
    fn hyphens_split_words() {
        assert_eq!(
            words("a read-only, all-or-nothing"),
            ["a", "read", "only", "all", "or", "nothing"]
        );
    }

    #[test]
    fn numbers_and_number_words_agree() {
        assert_eq!(
            normalise_words("36 hours"),
            normalise_words("thirty-six hours")
        );
        assert_eq!(normalise_words("40%"), normalise_words("forty percent"));
        assert_eq!(normalise_words("40 %"), normalise_words("Forty per cent"));
        assert_eq!(
            normalise_words("from 1.2% to 0.3%"),
            normalise_words("from one point two percent to zero point three percent")
        );
        assert_eq!(
            normalise_words("2,000 users"),
            normalise_words("two thousand users")
        );
        assert_eq!(
            words("1305"),
            ["one", "thousand", "three", "hundred", "five"]
        );
        assert_eq!(
            words("the 3rd and 21st"),
            ["the", "third", "and", "twenty", "first"]
        );
    }

    #[test]
    fn letters_and_digits_are_split() {
        assert_eq!(normalise_words("p99"), normalise_words("P 99"));
        assert_eq!(words("p99"), ["p", "ninety", "nine"]);
        assert_eq!(
            normalise_words("10x faster"),
            normalise_words("ten x faster")
        );
    }

    #[test]
    fn contractions_expand_the_same_way() {
        assert_eq!(normalise_words("I don't"), normalise_words("I do not"));
        assert_eq!(normalise_words("we're"), normalise_words("we are"));
        assert_eq!(
            normalise_words("It\u{2019}s done"),
            normalise_words("it is done")
        );
        assert_eq!(normalise_words("I'd"), normalise_words("I would"));
        assert_eq!(normalise_words("can't"), normalise_words("cannot"));
        assert_eq!(words("won't let's"), ["will", "not", "let", "us"]);
        assert_eq!(
            normalise_words("OK, alright"),
            normalise_words("okay all right")
        );
        // Possessive "'s" is not "is".
        assert_eq!(words("the team's build"), ["the", "teams", "build"]);
    }

    #[test]
    fn identical_text_has_zero_wer() {
        let stats = word_error_rate("Ask not what your country", "ask not, what your country!");
        assert_eq!(stats.reference_words, 5);
        assert_eq!(stats.wer, 0.0);
    }

    #[test]
    fn counts_each_kind_of_edit() {
        // Hand-checked: "the cat sat on the mat" -> "cat sit on the mat today":
        // the first "the" deleted (D), sat->sit (S), "today" inserted (I); the
        // only other alignment, six substitutions, costs more.
        let stats = word_error_rate("the cat sat on the mat", "cat sit on the mat today");
        assert_eq!(
            (stats.substitutions, stats.deletions, stats.insertions),
            (1, 1, 1)
        );
        assert_eq!(stats.reference_words, 6);
        assert!((stats.wer - 0.5).abs() < 1e-12);
    }

    #[test]
    fn all_deleted_and_all_inserted() {
        let stats = word_error_rate("one two three", "");
        assert_eq!((stats.deletions, stats.wer), (3, 1.0));
        let stats = word_error_rate("a b", "x y z w");
        // Two substitutions and two insertions: WER above 1 is allowed.
        assert_eq!((stats.substitutions, stats.insertions), (2, 2));
        assert!((stats.wer - 2.0).abs() < 1e-12);
    }

    #[test]
    fn empty_reference_does_not_divide_by_zero() {
        assert_eq!(word_error_rate("", "").wer, 0.0);
        let stats = word_error_rate("...", "hello");
        assert_eq!(
            (stats.insertions, stats.reference_words, stats.wer),
            (1, 0, 1.0)
        );
    }

    #[test]
    fn formatting_differences_are_not_errors() {
        let reference =
            "We cut p95 latency from nine hundred milliseconds to 220 ms, about 75 percent.";
        let hypothesis =
            "we cut P95 latency from 900 milliseconds to two hundred twenty ms -- about 75%";
        let stats = word_error_rate(reference, hypothesis);
        assert_eq!(stats.wer, 0.0, "{stats:?}");
    }
}
