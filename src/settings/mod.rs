//! Settings that stick. Each setting has a built-in default and can be set
//! in `config.toml` in the config dir, by an environment variable, or by a
//! flag; one rule for all: flag > environment > file > default. Every value
//! is checked by its setting's one check whatever its source, and a bad one
//! is refused wherever it is, even where a flag overrides it.
//! `rehearse config` shows each value and where it came from.
//!
//! The settings themselves (names, variables, defaults, checks) are declared
//! once, in `spec`.

mod error;
mod file;
mod spec;

use serde::Serialize;

pub use error::SettingsError;
pub use file::{ConfigFile, FileStatus};
pub use spec::{
    ALL, COUNTDOWN, FOLLOW_UPS, KEEP_RAW, Kind, Literal, MAX_SECONDS, MODEL, QUESTIONS,
    SILENCE_SECONDS, Setting, Spec, VOICE,
};

use crate::paths::Paths;

/// Where a setting's value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    Default,
    File,
    Environment,
    Flag,
}

impl Source {
    pub fn name(self) -> &'static str {
        match self {
            Self::Default => "default",
            Self::File => "file",
            Self::Environment => "environment",
            Self::Flag => "flag",
        }
    }
}

/// A setting's effective value and where it came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Resolved<V> {
    pub value: V,
    pub source: Source,
}

/// The settings given as flags on the command line (`None`: not given). A
/// command fills in the ones it takes with [`Flags::of`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Flags {
    pub max_seconds: Option<f64>,
    pub silence_seconds: Option<f64>,
    pub countdown: Option<u32>,
    pub model: Option<String>,
    pub voice: Option<String>,
    pub questions: Option<u32>,
    pub follow_ups: Option<u32>,
    pub keep_raw: Option<bool>,
}

/// A group of setting flags a command takes (a clap `Args` struct).
pub trait FlagGroup {
    /// Writes the flags that were given into `flags`.
    fn give(&self, flags: &mut Flags);
}

impl Flags {
    pub fn of(groups: &[&dyn FlagGroup]) -> Self {
        let mut flags = Self::default();
        for group in groups {
            group.give(&mut flags);
        }
        flags
    }
}

/// Every setting's effective value. Commands read `.value`; `rehearse
/// config` shows `.source` too.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Settings {
    /// The recording window, in seconds.
    pub max_seconds: Resolved<f64>,
    /// Silence that ends a take once you have spoken, in seconds; 0 is off.
    pub silence_seconds: Resolved<f64>,
    /// Seconds to count down before recording; none: wait for Enter.
    pub countdown: Resolved<Option<u32>>,
    /// A model file or a known name; none: the first model installed.
    pub model: Resolved<Option<String>>,
    /// The command that reads prompts aloud; none: the best voice installed.
    pub voice: Resolved<Option<String>>,
    /// Questions in a mock interview.
    pub questions: Resolved<u32>,
    /// Follow-up questions after each answer of a mock interview.
    pub follow_ups: Resolved<u32>,
    /// Keep the take as recorded beside the 16 kHz copy.
    pub keep_raw: Resolved<bool>,
    #[serde(skip)]
    pub file: FileStatus,
}

/// One line of `rehearse config`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub key: &'static str,
    /// As the file would write it; `None` for a setting left unset.
    pub value: Option<String>,
    pub source: Source,
}

impl Settings {
    /// Reads `config.toml` in the config dir and the environment, and
    /// resolves every setting with the `flags` given.
    pub fn load(paths: &Paths, flags: &Flags) -> Result<Self, SettingsError> {
        let file = ConfigFile::read(&paths.config_file())?;
        let env =
            |name: &str| std::env::var_os(name).map(|value| value.to_string_lossy().into_owned());
        Self::resolve(flags, &env, &file)
    }

    /// Resolves every setting from the flags, the environment (`env` looks a
    /// variable up) and the file. A variable that is empty or blank is unset.
    pub fn resolve(
        flags: &Flags,
        env: &dyn Fn(&str) -> Option<String>,
        file: &ConfigFile,
    ) -> Result<Self, SettingsError> {
        let sources = Sources { env, file };
        Ok(Self {
            max_seconds: sources.pick(&MAX_SECONDS, flags.max_seconds)?,
            silence_seconds: sources.pick(&SILENCE_SECONDS, flags.silence_seconds)?,
            countdown: sources.pick(&COUNTDOWN, flags.countdown)?,
            model: sources.pick(&MODEL, flags.model.clone())?,
            voice: sources.pick(&VOICE, flags.voice.clone())?,
            questions: sources.pick(&QUESTIONS, flags.questions)?,
            follow_ups: sources.pick(&FOLLOW_UPS, flags.follow_ups)?,
            keep_raw: sources.pick(&KEEP_RAW, flags.keep_raw)?,
            file: file.status(),
        })
    }

    /// Every setting in the order of [`ALL`], for `rehearse config`.
    pub fn entries(&self) -> Vec<Entry> {
        let entry = |setting: &Setting, value: Option<String>, source| Entry {
            key: setting.key,
            value,
            source,
        };
        vec![
            entry(
                &MAX_SECONDS.setting,
                self.max_seconds.value.literal(),
                self.max_seconds.source,
            ),
            entry(
                &SILENCE_SECONDS.setting,
                self.silence_seconds.value.literal(),
                self.silence_seconds.source,
            ),
            entry(
                &COUNTDOWN.setting,
                self.countdown.value.literal(),
                self.countdown.source,
            ),
            entry(
                &MODEL.setting,
                self.model.value.literal(),
                self.model.source,
            ),
            entry(
                &VOICE.setting,
                self.voice.value.literal(),
                self.voice.source,
            ),
            entry(
                &QUESTIONS.setting,
                self.questions.value.literal(),
                self.questions.source,
            ),
            entry(
                &FOLLOW_UPS.setting,
                self.follow_ups.value.literal(),
                self.follow_ups.source,
            ),
            entry(
                &KEEP_RAW.setting,
                self.keep_raw.value.literal(),
                self.keep_raw.source,
            ),
        ]
    }

    /// Where `setting` was set, for messages about its value: `--voice`,
    /// `REHEARSE_TTS`, `` `voice` in `~/.config/rehearse/config.toml` ``.
    pub fn set_by(&self, setting: &Setting, source: Source) -> String {
        match source {
            Source::Flag => setting.flag(),
            Source::Environment => setting.env.to_string(),
            Source::File => format!("`{}` in `{}`", setting.key, self.file.path.display()),
            Source::Default => "the default".to_string(),
        }
    }

    /// The model set, if any (a file or a known name), and where it was set:
    /// what `model::resolve` takes.
    pub fn model_choice(&self) -> (Option<&str>, String) {
        (
            self.model.value.as_deref(),
            self.set_by(&MODEL.setting, self.model.source),
        )
    }

    /// The voice to read prompts aloud with, if one is set.
    pub fn voice(&self) -> Option<crate::speak::Voice> {
        self.voice
            .value
            .as_ref()
            .map(|command| crate::speak::Voice {
                command: command.clone(),
                set_by: self.set_by(&VOICE.setting, self.voice.source),
            })
    }
}

/// The places a value can come from, below the flags.
struct Sources<'a> {
    env: &'a dyn Fn(&str) -> Option<String>,
    file: &'a ConfigFile,
}

impl Sources<'_> {
    /// The flag's value, else the environment's, else the file's, else the
    /// default. The environment's and the file's are checked even when a
    /// flag overrides them.
    fn pick<T, V>(&self, spec: &Spec<T, V>, flag: Option<T>) -> Result<Resolved<V>, SettingsError>
    where
        V: From<T> + Clone,
    {
        let setting = &spec.setting;
        let from_file = match self.file.get(setting) {
            Some(given) => {
                Some(
                    (spec.check)(&given.raw).map_err(|why| SettingsError::FileValue {
                        path: self.file.path.clone(),
                        line: given.line.clone(),
                        why,
                        example: setting.in_file(setting.example),
                    })?,
                )
            }
            None => None,
        };
        let from_env = match (self.env)(setting.env).filter(|given| !given.trim().is_empty()) {
            Some(given) => Some((spec.check)(&given).map_err(|why| SettingsError::EnvValue {
                var: setting.env,
                given,
                why,
                example: setting.in_environment(setting.example),
            })?),
            None => None,
        };
        let (value, source) = if let Some(value) = flag {
            (V::from(value), Source::Flag)
        } else if let Some(value) = from_env {
            (V::from(value), Source::Environment)
        } else if let Some(value) = from_file {
            (V::from(value), Source::File)
        } else {
            (spec.default.clone(), Source::Default)
        };
        Ok(Resolved { value, source })
    }
}

#[cfg(test)]
mod tests;
