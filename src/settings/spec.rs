//! Every setting, declared once: its key in `config.toml` (its flag is the
//! key with dashes), its environment variable, its default, a good example
//! value, and the one function that checks a value, whether it comes from a
//! flag, the environment or the file.

use std::ops::RangeInclusive;

/// What a setting is called in each place, and a good value to suggest.
#[derive(Debug)]
pub struct Setting {
    /// The key in `config.toml`, and the flag with `_` as `-`: `max_seconds`
    /// is `--max-seconds`.
    pub key: &'static str,
    /// The environment variable.
    pub env: &'static str,
    /// A good value, suggested whenever a value is refused.
    pub example: &'static str,
    pub kind: Kind,
}

/// How a value is written: quoted or not in the file, with a value or
/// alone on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Number,
    Text,
    /// On or off; the flag takes no value (`--keep-raw`).
    Switch,
}

/// A setting with its types: a value is checked into a `T`, and the setting
/// holds a `V`: the same `T`, or `Option<T>` for a setting that can be left
/// unset (no countdown, the model found in the data dir).
#[derive(Debug)]
pub struct Spec<T: 'static, V: 'static = T> {
    pub setting: Setting,
    pub default: V,
    /// The one check of a value, wherever it was given. The message says
    /// what is wrong and ends with what to give; the caller adds an example.
    pub check: fn(&str) -> Result<T, String>,
}

pub static MAX_SECONDS: Spec<f64> = Spec {
    setting: Setting {
        key: "max_seconds",
        env: "REHEARSE_MAX_SECONDS",
        example: "180",
        kind: Kind::Number,
    },
    default: 180.0,
    check: max_seconds,
};

pub static SILENCE_SECONDS: Spec<f64> = Spec {
    setting: Setting {
        key: "silence_seconds",
        env: "REHEARSE_SILENCE_SECONDS",
        example: "5",
        kind: Kind::Number,
    },
    default: 0.0,
    check: silence_seconds,
};

pub static COUNTDOWN: Spec<u32, Option<u32>> = Spec {
    setting: Setting {
        key: "countdown",
        env: "REHEARSE_COUNTDOWN",
        example: "3",
        kind: Kind::Number,
    },
    default: None,
    check: countdown,
};

pub static MODEL: Spec<String, Option<String>> = Spec {
    setting: Setting {
        key: "model",
        env: "REHEARSE_MODEL",
        example: "base.en",
        kind: Kind::Text,
    },
    default: None,
    check: model,
};

pub static VOICE: Spec<String, Option<String>> = Spec {
    setting: Setting {
        key: "voice",
        env: "REHEARSE_TTS",
        example: "espeak-ng -s 140",
        kind: Kind::Text,
    },
    default: None,
    check: voice,
};

pub static QUESTIONS: Spec<u32> = Spec {
    setting: Setting {
        key: "questions",
        env: "REHEARSE_QUESTIONS",
        example: "4",
        kind: Kind::Number,
    },
    default: 4,
    check: questions,
};

pub static FOLLOW_UPS: Spec<u32> = Spec {
    setting: Setting {
        key: "follow_ups",
        env: "REHEARSE_FOLLOW_UPS",
        example: "1",
        kind: Kind::Number,
    },
    default: 1,
    check: follow_ups,
};

pub static KEEP_RAW: Spec<bool> = Spec {
    setting: Setting {
        key: "keep_raw",
        env: "REHEARSE_KEEP_RAW",
        example: "true",
        kind: Kind::Switch,
    },
    default: false,
    check: switch,
};

/// Every setting, in the order `rehearse config` lists them.
pub static ALL: [&Setting; 8] = [
    &MAX_SECONDS.setting,
    &SILENCE_SECONDS.setting,
    &COUNTDOWN.setting,
    &MODEL.setting,
    &VOICE.setting,
    &QUESTIONS.setting,
    &FOLLOW_UPS.setting,
    &KEEP_RAW.setting,
];

impl Setting {
    pub fn flag(&self) -> String {
        format!("--{}", self.key.replace('_', "-"))
    }

    /// `value` as given on the command line: `--countdown 3`, `--keep-raw`.
    pub fn on_command_line(&self, value: &str) -> String {
        match self.kind {
            Kind::Switch => self.flag(),
            Kind::Number | Kind::Text => format!("{} {}", self.flag(), shell_quoted(value)),
        }
    }

    /// `value` as set in the environment: `REHEARSE_COUNTDOWN=3`.
    pub fn in_environment(&self, value: &str) -> String {
        format!("{}={}", self.env, shell_quoted(value))
    }

    /// `value` as a line of `config.toml`: `countdown = 3`, `model = "base.en"`.
    pub fn in_file(&self, value: &str) -> String {
        match self.kind {
            Kind::Text => format!("{} = {}", self.key, quoted(value)),
            Kind::Number | Kind::Switch => format!("{} = {value}", self.key),
        }
    }
}

impl<T, V: Literal> Spec<T, V> {
    /// A flag's help: what it does, then its default (unless it is off or
    /// unset) and its environment variable.
    pub fn help(&self, about: &str) -> String {
        let default = match (self.setting.kind, self.default.literal()) {
            (Kind::Switch, _) | (_, None) => String::new(),
            (_, Some(value)) => format!(" [default: {value}]"),
        };
        format!("{about}{default} [env: {}]", self.setting.env)
    }
}

impl<T: Clone + Send + Sync + 'static, V> Spec<T, V> {
    /// The flag's value parser for clap: [`Spec::check`], its message ending
    /// with an example flag (`e.g. --countdown 3`).
    pub fn flag_parser(
        &'static self,
    ) -> impl Fn(&str) -> Result<T, String> + Clone + Send + Sync + 'static {
        let (check, setting) = (self.check, &self.setting);
        move |given: &str| {
            check(given)
                .map_err(|why| format!("{why}, e.g. {}", setting.on_command_line(setting.example)))
        }
    }
}

/// A value as `config.toml` writes it (`180`, `"base.en"`, `true`); `None`
/// for a setting left unset.
pub trait Literal {
    fn literal(&self) -> Option<String>;
}

impl Literal for f64 {
    fn literal(&self) -> Option<String> {
        Some(self.to_string())
    }
}

impl Literal for u32 {
    fn literal(&self) -> Option<String> {
        Some(self.to_string())
    }
}

impl Literal for bool {
    fn literal(&self) -> Option<String> {
        Some(self.to_string())
    }
}

impl Literal for String {
    fn literal(&self) -> Option<String> {
        Some(quoted(self))
    }
}

impl<T: Literal> Literal for Option<T> {
    fn literal(&self) -> Option<String> {
        self.as_ref().and_then(Literal::literal)
    }
}

/// `text` as a TOML string, escaped as TOML needs.
fn quoted(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// `text` as a shell word: quoted when it holds a space.
fn shell_quoted(text: &str) -> String {
    if text.contains(char::is_whitespace) {
        format!("\"{text}\"")
    } else {
        text.to_string()
    }
}

/// `max_seconds`: a take of at least a second and at most an hour.
pub fn max_seconds(given: &str) -> Result<f64, String> {
    let seconds = seconds(given)?;
    if !(1.0..=3600.0).contains(&seconds) {
        return Err("a take lasts 1 to 3600 seconds; give a number in that range".into());
    }
    Ok(seconds)
}

/// `silence_seconds`: how long a silence ends a take once you have spoken;
/// 0 (the default) is off.
pub fn silence_seconds(given: &str) -> Result<f64, String> {
    let seconds = seconds(given)?;
    if !(0.0..=3600.0).contains(&seconds) {
        return Err(
            "the silence limit is 0 (off) to 3600 seconds; give a number in that range".into(),
        );
    }
    Ok(seconds)
}

/// `countdown`: whole seconds, 0 (start at once) to 60.
pub fn countdown(given: &str) -> Result<u32, String> {
    whole(
        given,
        0..=60,
        "a countdown is 0 to 60 whole seconds; give one in that range",
    )
}

/// `questions`: how many questions a mock interview asks.
pub fn questions(given: &str) -> Result<u32, String> {
    whole(
        given,
        1..=10,
        "a mock interview asks 1 to 10 questions; give a number in that range",
    )
}

/// `follow_ups`: how many follow-up questions come after each answer.
pub fn follow_ups(given: &str) -> Result<u32, String> {
    whole(
        given,
        0..=2,
        "each answer gets 0 to 2 follow-up questions; give a number in that range",
    )
}

/// `model`: a model file or a known name. Whether it exists is found out
/// where it is loaded, which says how to get it.
pub fn model(given: &str) -> Result<String, String> {
    text(
        given,
        "the model is empty; give a model file or a known name (`rehearse model list`)",
    )
}

/// `voice`: a command that speaks its last argument, with any options
/// before it.
pub fn voice(given: &str) -> Result<String, String> {
    text(
        given,
        "the voice is empty; give a command that speaks its last argument",
    )
}

/// `keep_raw`: on or off, in the words clap accepts for a boolean.
pub fn switch(given: &str) -> Result<bool, String> {
    match given.trim().to_lowercase().as_str() {
        "y" | "yes" | "t" | "true" | "on" | "1" => Ok(true),
        "n" | "no" | "f" | "false" | "off" | "0" => Ok(false),
        _ => Err("not on or off; give true or false (or yes/no, on/off, 1/0)".into()),
    }
}

fn seconds(given: &str) -> Result<f64, String> {
    match given.trim().parse::<f64>() {
        Ok(seconds) if seconds.is_finite() => Ok(seconds),
        _ => Err("not a number of seconds; give one".into()),
    }
}

fn whole(given: &str, range: RangeInclusive<u32>, why: &str) -> Result<u32, String> {
    match given.trim().parse::<u32>() {
        Ok(number) if range.contains(&number) => Ok(number),
        _ => Err(why.to_string()),
    }
}

fn text(given: &str, why: &str) -> Result<String, String> {
    match given.trim() {
        "" => Err(why.to_string()),
        text => Ok(text.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn take_lengths_must_be_sane() {
        for bad in ["0", "-1", "NaN", "inf", "0.5", "4000", "ten", ""] {
            assert!(max_seconds(bad).is_err(), "max_seconds {bad}");
        }
        assert_eq!(max_seconds("90"), Ok(90.0));
        assert_eq!(max_seconds(" 2.5e2 "), Ok(250.0));
        for bad in ["-1", "NaN", "-0.5", "1e9", "off"] {
            assert!(silence_seconds(bad).is_err(), "silence_seconds {bad}");
        }
        assert_eq!(silence_seconds("0"), Ok(0.0));
        assert_eq!(silence_seconds("1.5"), Ok(1.5));
    }

    #[test]
    fn counts_are_whole_and_in_range() {
        for bad in ["-1", "61", "2.5", "NaN", ""] {
            assert!(countdown(bad).is_err(), "countdown {bad}");
        }
        assert_eq!(countdown("0"), Ok(0));
        assert_eq!(countdown("60"), Ok(60));
        for bad in ["0", "11", "-1", "4.0", "four"] {
            assert!(questions(bad).is_err(), "questions {bad}");
        }
        assert_eq!(questions("1"), Ok(1));
        assert_eq!(questions("10"), Ok(10));
        for bad in ["3", "-1", "1.5"] {
            assert!(follow_ups(bad).is_err(), "follow_ups {bad}");
        }
        assert_eq!(follow_ups("0"), Ok(0));
        assert_eq!(follow_ups("2"), Ok(2));
    }

    #[test]
    fn text_settings_are_not_blank() {
        assert!(model("  ").is_err());
        assert_eq!(model(" base.en "), Ok("base.en".to_string()));
        assert!(voice("").is_err());
        assert_eq!(
            voice("espeak-ng -s 140"),
            Ok("espeak-ng -s 140".to_string())
        );
    }

    #[test]
    fn switches_take_the_words_clap_took() {
        for yes in ["1", "true", "YES", "on", "y", "t"] {
            assert_eq!(switch(yes), Ok(true), "{yes}");
        }
        for no in ["0", "false", "No", "off", "n", "f"] {
            assert_eq!(switch(no), Ok(false), "{no}");
        }
        assert!(switch("maybe").is_err());
    }

    #[test]
    fn every_default_passes_its_own_check() {
        assert!((MAX_SECONDS.check)(&MAX_SECONDS.default.to_string()).is_ok());
        assert!((SILENCE_SECONDS.check)(&SILENCE_SECONDS.default.to_string()).is_ok());
        assert!((QUESTIONS.check)(&QUESTIONS.default.to_string()).is_ok());
        assert!((FOLLOW_UPS.check)(&FOLLOW_UPS.default.to_string()).is_ok());
        assert!((KEEP_RAW.check)(&KEEP_RAW.default.to_string()).is_ok());
        assert_eq!((QUESTIONS.default, FOLLOW_UPS.default), (4, 1));
    }

    #[test]
    fn every_example_passes_its_own_check() {
        assert!((MAX_SECONDS.check)(MAX_SECONDS.setting.example).is_ok());
        assert!((SILENCE_SECONDS.check)(SILENCE_SECONDS.setting.example).is_ok());
        assert!((COUNTDOWN.check)(COUNTDOWN.setting.example).is_ok());
        assert!((MODEL.check)(MODEL.setting.example).is_ok());
        assert!((VOICE.check)(VOICE.setting.example).is_ok());
        assert!((QUESTIONS.check)(QUESTIONS.setting.example).is_ok());
        assert!((FOLLOW_UPS.check)(FOLLOW_UPS.setting.example).is_ok());
        assert!((KEEP_RAW.check)(KEEP_RAW.setting.example).is_ok());
    }

    #[test]
    fn names_follow_one_pattern() {
        let mut keys: Vec<&str> = ALL.iter().map(|s| s.key).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), ALL.len(), "a key declared twice");
        for setting in ALL {
            assert!(setting.env.starts_with("REHEARSE_"), "{}", setting.env);
        }
        assert_eq!(MAX_SECONDS.setting.flag(), "--max-seconds");
        assert_eq!(
            VOICE.setting.in_file("espeak-ng -s 140"),
            r#"voice = "espeak-ng -s 140""#
        );
        assert_eq!(
            VOICE.setting.in_environment("espeak-ng -s 140"),
            r#"REHEARSE_TTS="espeak-ng -s 140""#
        );
        assert_eq!(COUNTDOWN.setting.in_file("3"), "countdown = 3");
        assert_eq!(KEEP_RAW.setting.on_command_line("true"), "--keep-raw");
    }

    #[test]
    fn flag_help_names_the_default_and_the_variable() {
        assert_eq!(
            MAX_SECONDS.help("Stop after N seconds"),
            "Stop after N seconds [default: 180] [env: REHEARSE_MAX_SECONDS]"
        );
        assert_eq!(
            COUNTDOWN.help("Count down"),
            "Count down [env: REHEARSE_COUNTDOWN]"
        );
        assert_eq!(KEEP_RAW.help("Keep"), "Keep [env: REHEARSE_KEEP_RAW]");
    }

    #[test]
    fn a_refused_flag_ends_with_an_example_flag() {
        let parse = COUNTDOWN.flag_parser();
        assert_eq!(
            parse("61").unwrap_err(),
            "a countdown is 0 to 60 whole seconds; give one in that range, e.g. --countdown 3"
        );
        assert_eq!(parse("3"), Ok(3));
        assert_eq!(
            VOICE.flag_parser()(" ").unwrap_err(),
            "the voice is empty; give a command that speaks its last argument, e.g. --voice \"espeak-ng -s 140\""
        );
    }
}
