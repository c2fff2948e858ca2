//! The prompt bank: behavioural interview prompts, one TOML file per Leadership
//! Principle plus a phone-screen set, built into the binary; the user's own
//! `*.toml` files in `<config dir>/prompts` add prompts or override built-in
//! ones by id. The file format is described in `prompts/README.md`.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use toml::Spanned;

/// One question an interviewer might ask, with the follow-ups they might probe with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prompt {
    /// Kebab-case and stable: sessions refer to it.
    pub id: String,
    /// Principle slugs (see [`principles`]); the first is the main one.
    pub principles: Vec<String>,
    pub text: String,
    pub follow_ups: Vec<String>,
    /// How long a good spoken answer takes.
    pub target_seconds: u32,
    /// Hints for picking a follow-up (`quantify`, `ownership`, `learning`, `conflict`, ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
}

/// A Leadership Principle: slug for the command line, display name, one-line summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Principle {
    pub slug: &'static str,
    pub name: &'static str,
    pub summary: &'static str,
}

/// What an answer was missing, as found by analysis; used to choose a follow-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Weakness {
    NoNumbers,
    MostlyWe,
    NoLearning,
    TooLong,
    TooShort,
    LongSituation,
    ShortAction,
    None,
}

/// Which prompts to list or pick from. The default matches everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Only prompts mapped to this principle (a slug from [`principles`]).
    pub principle: Option<&'static str>,
    /// Only prompts carrying this tag, e.g. `screen`.
    pub tag: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum PromptError {
    #[error("cannot read prompt folder `{}`: {cause}; check that it is a readable folder", path.display())]
    ReadDir {
        path: PathBuf,
        cause: std::io::Error,
    },
    #[error("cannot read prompt file `{}`: {cause}; check that it is readable UTF-8 text", path.display())]
    ReadFile {
        path: PathBuf,
        cause: std::io::Error,
    },
    #[error(
        "`{}` line {line}, column {column}: {message}; fix the TOML there; the format is described in prompts/README.md",
        path.display()
    )]
    Parse {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("`{}` line {line}: {problem}; {fix}", path.display())]
    Invalid {
        path: PathBuf,
        line: usize,
        problem: String,
        fix: String,
    },
    #[error("`{}` holds no prompts; add a `[[prompt]]` table (see prompts/README.md) or remove the file", path.display())]
    Empty { path: PathBuf },
    #[error(
        "prompt id `{id}` is used twice, in `{}` and `{}`; give one of them a different id",
        first.display(),
        second.display()
    )]
    DuplicateId {
        id: String,
        first: PathBuf,
        second: PathBuf,
    },
    #[error("unknown principle `{given}`; use one of: {valid}")]
    UnknownPrinciple { given: String, valid: String },
    #[error("no prompt with id `{id}`{suggestion}; run `rehearse prompts` to list them")]
    UnknownPrompt { id: String, suggestion: String },
}

const PRINCIPLES: [Principle; 16] = [
    Principle {
        slug: "customer-obsession",
        name: "Customer Obsession",
        summary: "Start from what the people using your work need, and work backwards from there.",
    },
    Principle {
        slug: "ownership",
        name: "Ownership",
        summary: "Act for the whole company and the long term; nothing that matters is someone else's job.",
    },
    Principle {
        slug: "invent-and-simplify",
        name: "Invent and Simplify",
        summary: "Look for new ideas anywhere, and keep making systems and processes simpler.",
    },
    Principle {
        slug: "are-right-a-lot",
        name: "Are Right, A Lot",
        summary: "Judge well, seek out people who disagree, and try to prove yourself wrong.",
    },
    Principle {
        slug: "learn-and-be-curious",
        name: "Learn and Be Curious",
        summary: "Keep learning, and follow your curiosity to new possibilities.",
    },
    Principle {
        slug: "hire-and-develop-the-best",
        name: "Hire and Develop the Best",
        summary: "Raise the bar with each hire, and take coaching and growing others seriously.",
    },
    Principle {
        slug: "insist-on-the-highest-standards",
        name: "Insist on the Highest Standards",
        summary: "Keep raising the bar for the team, and fix problems so they stay fixed.",
    },
    Principle {
        slug: "think-big",
        name: "Think Big",
        summary: "Set a bold direction and look around corners for better ways to serve customers.",
    },
    Principle {
        slug: "bias-for-action",
        name: "Bias for Action",
        summary: "Move quickly on decisions that can be undone; take calculated risks.",
    },
    Principle {
        slug: "frugality",
        name: "Frugality",
        summary: "Do more with less; let constraints push you toward simpler, cheaper solutions.",
    },
    Principle {
        slug: "earn-trust",
        name: "Earn Trust",
        summary: "Listen, say hard things candidly and respectfully, and own your mistakes out loud.",
    },
    Principle {
        slug: "dive-deep",
        name: "Dive Deep",
        summary: "Know the details, check them often, and dig in when numbers and stories disagree.",
    },
    Principle {
        slug: "have-backbone-disagree-and-commit",
        name: "Have Backbone; Disagree and Commit",
        summary: "Challenge decisions with evidence even when it's uncomfortable, then commit fully once decided.",
    },
    Principle {
        slug: "deliver-results",
        name: "Deliver Results",
        summary: "Focus on the inputs that matter and ship them on time at the right quality, despite setbacks.",
    },
    Principle {
        slug: "strive-to-be-earths-best-employer",
        name: "Strive to be Earth's Best Employer",
        summary: "Make work safer, fairer and more rewarding; help the people around you grow.",
    },
    Principle {
        slug: "success-and-scale-bring-broad-responsibility",
        name: "Success and Scale Bring Broad Responsibility",
        summary: "Weigh the wider effects of what you build, and leave things better than you found them.",
    },
];

/// Short names people actually type, mapped to slugs.
const ALIASES: [(&str, &str); 8] = [
    ("customer", "customer-obsession"),
    ("highest-standards", "insist-on-the-highest-standards"),
    ("backbone", "have-backbone-disagree-and-commit"),
    ("disagree-and-commit", "have-backbone-disagree-and-commit"),
    ("best-employer", "strive-to-be-earths-best-employer"),
    ("earths-best-employer", "strive-to-be-earths-best-employer"),
    (
        "broad-responsibility",
        "success-and-scale-bring-broad-responsibility",
    ),
    ("hire-and-develop", "hire-and-develop-the-best"),
];

/// The built-in bank, in listing order.
const EMBEDDED: [(&str, &str); 17] = [
    (
        "customer-obsession.toml",
        include_str!("../prompts/customer-obsession.toml"),
    ),
    ("ownership.toml", include_str!("../prompts/ownership.toml")),
    (
        "invent-and-simplify.toml",
        include_str!("../prompts/invent-and-simplify.toml"),
    ),
    (
        "are-right-a-lot.toml",
        include_str!("../prompts/are-right-a-lot.toml"),
    ),
    (
        "learn-and-be-curious.toml",
        include_str!("../prompts/learn-and-be-curious.toml"),
    ),
    (
        "hire-and-develop-the-best.toml",
        include_str!("../prompts/hire-and-develop-the-best.toml"),
    ),
    (
        "insist-on-the-highest-standards.toml",
        include_str!("../prompts/insist-on-the-highest-standards.toml"),
    ),
    ("think-big.toml", include_str!("../prompts/think-big.toml")),
    (
        "bias-for-action.toml",
        include_str!("../prompts/bias-for-action.toml"),
    ),
    ("frugality.toml", include_str!("../prompts/frugality.toml")),
    (
        "earn-trust.toml",
        include_str!("../prompts/earn-trust.toml"),
    ),
    ("dive-deep.toml", include_str!("../prompts/dive-deep.toml")),
    (
        "have-backbone-disagree-and-commit.toml",
        include_str!("../prompts/have-backbone-disagree-and-commit.toml"),
    ),
    (
        "deliver-results.toml",
        include_str!("../prompts/deliver-results.toml"),
    ),
    (
        "strive-to-be-earths-best-employer.toml",
        include_str!("../prompts/strive-to-be-earths-best-employer.toml"),
    ),
    (
        "success-and-scale-bring-broad-responsibility.toml",
        include_str!("../prompts/success-and-scale-bring-broad-responsibility.toml"),
    ),
    ("screen.toml", include_str!("../prompts/screen.toml")),
];

/// Used when a prompt file leaves `target_seconds` out.
pub const DEFAULT_TARGET_SECONDS: u32 = 90;
/// Sane bounds for `target_seconds`: a spoken answer, not a lecture.
pub const MIN_TARGET_SECONDS: u32 = 15;
pub const MAX_TARGET_SECONDS: u32 = 600;

/// All 16 Leadership Principles in the usual order.
pub fn principles() -> &'static [Principle] {
    &PRINCIPLES
}

/// Finds a principle by slug, name or short alias, ignoring case and punctuation
/// (`dive-deep`, `Dive Deep`, `"have backbone; disagree and commit"`, `backbone`).
pub fn principle(query: &str) -> Result<&'static Principle, PromptError> {
    let wanted = normalise(query);
    let slug = ALIASES
        .iter()
        .find(|(alias, _)| *alias == wanted)
        .map_or(wanted.as_str(), |(_, slug)| *slug);
    PRINCIPLES
        .iter()
        .find(|p| p.slug == slug || normalise(p.name) == slug)
        .ok_or_else(|| PromptError::UnknownPrinciple {
            given: query.to_string(),
            valid: PRINCIPLES
                .iter()
                .map(|p| p.slug)
                .collect::<Vec<_>>()
                .join(", "),
        })
}

/// Lowercase, apostrophes dropped, every other run of non-alphanumerics one dash.
fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.trim().chars() {
        if ch.is_alphanumeric() {
            out.extend(ch.to_lowercase());
        } else if ch == '\'' || ch == '\u{2019}' {
            continue;
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

impl Filter {
    /// Matches every prompt.
    pub fn all() -> Self {
        Self::default()
    }

    /// Prompts for one principle, given by slug or name; unknown names are an error
    /// that lists the valid slugs.
    pub fn for_principle(query: &str) -> Result<Self, PromptError> {
        Ok(Self {
            principle: Some(principle(query)?.slug),
            tag: None,
        })
    }

    pub fn with_tag(mut self, tag: &str) -> Self {
        self.tag = Some(tag.trim().to_lowercase());
        self
    }

    pub fn matches(&self, prompt: &Prompt) -> bool {
        let principle_ok = self
            .principle
            .is_none_or(|slug| prompt.principles.iter().any(|p| p == slug));
        let tag_ok = self
            .tag
            .as_ref()
            .is_none_or(|tag| prompt.tags.iter().any(|t| t == tag));
        principle_ok && tag_ok
    }
}

/// Prompts loaded and checked; built-in first (in file order), then the user's.
#[derive(Debug, Clone)]
pub struct PromptBank {
    prompts: Vec<Prompt>,
    /// Ids that came from the user's folder (new or overriding).
    user_ids: BTreeSet<String>,
}

impl PromptBank {
    /// The built-in prompts only.
    pub fn builtin() -> Result<Self, PromptError> {
        let mut prompts = Vec::new();
        let mut origin: HashMap<String, PathBuf> = HashMap::new();
        for (name, source) in EMBEDDED {
            let path = PathBuf::from(format!("prompts/{name} (built in)"));
            for prompt in parse_file(&path, source)? {
                if let Some(first) = origin.insert(prompt.id.clone(), path.clone()) {
                    return Err(PromptError::DuplicateId {
                        id: prompt.id,
                        first,
                        second: path,
                    });
                }
                prompts.push(prompt);
            }
        }
        Ok(Self {
            prompts,
            user_ids: BTreeSet::new(),
        })
    }

    /// The built-in prompts plus every `*.toml` in `user_dir` (a missing folder
    /// means no user prompts). A user prompt whose id matches a built-in one
    /// replaces it; two user files using the same id are an error.
    pub fn load(user_dir: Option<&Path>) -> Result<Self, PromptError> {
        let mut bank = Self::builtin()?;
        let Some(dir) = user_dir else {
            return Ok(bank);
        };
        if !dir.exists() {
            return Ok(bank);
        }
        let read_dir_error = |cause| PromptError::ReadDir {
            path: dir.to_path_buf(),
            cause,
        };
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(read_dir_error)? {
            let path = entry.map_err(read_dir_error)?.path();
            let is_toml = path
                .extension()
                .is_some_and(|ext| ext.eq_ignore_ascii_case("toml"));
            if is_toml && path.is_file() {
                files.push(path);
            }
        }
        // read_dir order is arbitrary; sorting keeps listing and `pick` reproducible.
        files.sort();
        let mut user_origin: HashMap<String, PathBuf> = HashMap::new();
        for path in files {
            let source = std::fs::read_to_string(&path).map_err(|cause| PromptError::ReadFile {
                path: path.clone(),
                cause,
            })?;
            for prompt in parse_file(&path, &source)? {
                if let Some(first) = user_origin.insert(prompt.id.clone(), path.clone()) {
                    return Err(PromptError::DuplicateId {
                        id: prompt.id,
                        first,
                        second: path,
                    });
                }
                bank.user_ids.insert(prompt.id.clone());
                match bank.prompts.iter_mut().find(|p| p.id == prompt.id) {
                    Some(existing) => *existing = prompt,
                    None => bank.prompts.push(prompt),
                }
            }
        }
        Ok(bank)
    }

    pub fn prompts(&self) -> &[Prompt] {
        &self.prompts
    }

    pub fn get(&self, id: &str) -> Option<&Prompt> {
        self.prompts.iter().find(|p| p.id == id)
    }

    /// Like [`PromptBank::get`], but an unknown id is an error suggesting near ids.
    pub fn find(&self, id: &str) -> Result<&Prompt, PromptError> {
        self.get(id).ok_or_else(|| {
            let wanted = id.trim().to_lowercase();
            let near: Vec<&str> = self
                .prompts
                .iter()
                .map(|p| p.id.as_str())
                .filter(|candidate| !wanted.is_empty() && candidate.contains(&wanted))
                .take(3)
                .collect();
            let suggestion = if near.is_empty() {
                String::new()
            } else {
                format!(" (did you mean `{}`?)", near.join("`, `"))
            };
            PromptError::UnknownPrompt {
                id: id.to_string(),
                suggestion,
            }
        })
    }

    /// Whether the prompt came from the user's folder.
    pub fn is_user(&self, id: &str) -> bool {
        self.user_ids.contains(id)
    }

    pub fn filtered(&self, filter: &Filter) -> impl Iterator<Item = &Prompt> + use<'_> {
        let filter = filter.clone();
        self.prompts.iter().filter(move |p| filter.matches(p))
    }

    /// Picks a prompt within `filter`, preferring ones not practised lately:
    /// a random never-practised prompt if there is one, else a random one from
    /// the least recently practised third. `recent` holds (prompt id, unix
    /// seconds last practised); repeated ids count by their latest time.
    /// The same bank, filter, history and seed always give the same prompt
    /// (randomness is a splitmix64 step of `rng_seed`, no extra crate).
    pub fn pick(
        &self,
        filter: &Filter,
        recent: &[(String, u64)],
        rng_seed: u64,
    ) -> Option<&Prompt> {
        let mut last_practised: HashMap<&str, u64> = HashMap::new();
        for (id, at_secs) in recent {
            let entry = last_practised.entry(id.as_str()).or_insert(*at_secs);
            *entry = (*entry).max(*at_secs);
        }
        let candidates: Vec<&Prompt> = self.filtered(filter).collect();
        let never: Vec<&Prompt> = candidates
            .iter()
            .copied()
            .filter(|p| !last_practised.contains_key(p.id.as_str()))
            .collect();
        let pool = if never.is_empty() {
            let mut stale = candidates;
            stale.sort_by_key(|p| (last_practised.get(p.id.as_str()).copied(), p.id.as_str()));
            stale.truncate(stale.len().div_ceil(3));
            stale
        } else {
            never
        };
        if pool.is_empty() {
            return None;
        }
        let index = (splitmix64(rng_seed) % pool.len() as u64) as usize;
        pool.get(index).copied()
    }

    /// The `rehearse prompts [--principle P]` listing: prompts grouped under
    /// their principle (the filter's principle if set, else each prompt's first),
    /// each with id, principles, target time and text. User prompts are marked.
    pub fn listing(&self, filter: &Filter) -> String {
        let mut out = String::new();
        let mut shown = 0;
        for principle in &PRINCIPLES {
            if filter.principle.is_some_and(|slug| slug != principle.slug) {
                continue;
            }
            // Filtered by principle: everything mapped to it. Unfiltered: each
            // prompt once, under its main principle.
            let mut group: Vec<&Prompt> = self
                .filtered(filter)
                .filter(|p| {
                    filter.principle.is_some()
                        || p.principles.first().is_some_and(|s| s == principle.slug)
                })
                .collect();
            // Prompts mainly about this principle first, then those touching it.
            group.sort_by_key(|p| p.principles.first().is_none_or(|s| s != principle.slug));
            if group.is_empty() {
                continue;
            }
            if shown > 0 {
                out.push('\n');
            }
            let _ = writeln!(out, "{} ({})", principle.name, principle.slug);
            for prompt in group {
                let mine = if self.is_user(&prompt.id) {
                    "  (yours)"
                } else {
                    ""
                };
                let _ = writeln!(
                    out,
                    "  {}  [{}]  {} s{}",
                    prompt.id,
                    prompt.principles.join(", "),
                    prompt.target_seconds,
                    mine
                );
                for line in wrap(&prompt.text, 76) {
                    let _ = writeln!(out, "    {line}");
                }
                shown += 1;
            }
        }
        if shown == 0 {
            out.push_str(
                "no prompts match; run `rehearse prompts` without filters to see them all\n",
            );
        }
        out
    }

    /// A follow-up question aimed at the answer's main weakness: the prompt's own
    /// follow-up when one fits (matched by keywords, or by the prompt's tags when
    /// there is no weakness), else a generic one.
    pub fn follow_up_for(&self, prompt: &Prompt, weakness: Weakness) -> String {
        matching_follow_up(prompt, weakness)
            .unwrap_or_else(|| generic_follow_up(weakness))
            .to_string()
    }

    /// [`PromptBank::follow_up_for`] for a take whose prompt may be unknown
    /// (an ad hoc answer, or a prompt since removed): then the generic one.
    pub fn follow_up_for_id(&self, prompt_id: Option<&str>, weakness: Weakness) -> String {
        match prompt_id.and_then(|id| self.get(id)) {
            Some(prompt) => self.follow_up_for(prompt, weakness),
            None => generic_follow_up(weakness).to_string(),
        }
    }
}

// Keyword cues, most telling first: the first cue any follow-up contains wins.
const NUMBER_CUES: &[&str] = &[
    "measur",
    "in numbers",
    "numbers",
    "metric",
    "before and after",
    "how many",
    "how much",
    "how often",
    "how big",
    "know it worked",
    "fix worked",
    "impact",
    "data",
    "evidence",
    "cost",
    "how did you know",
    "how could you tell",
    "check",
    "how long",
];
const PERSONAL_CUES: &[&str] = &[
    "as opposed to",
    "exactly did you",
    "personally",
    "yourself",
    "your part",
    "your own part",
    "yours",
    "your call",
    "on your own",
    "you decide",
    "your contribution",
];
const LEARNING_CUES: &[&str] = &[
    "differently",
    "learn",
    "looking back",
    "since then",
    "next time",
    "again",
];
const ACTION_CUES: &[&str] = &[
    "step by step",
    "walk me through",
    "exactly did you",
    "what did you do",
    "what did you build",
    "what did you change",
    "did you do",
    "did you build",
    "did you change",
];
// "first" alone is too loose ("what made you curious in the first place?").
const SITUATION_CUES: &[&str] = &["do first", "where did you start", "first thing"];
const BRIEF_CUES: &[&str] = &["hardest", "most important", "short version"];
const CONFLICT_CUES: &[&str] = &[
    "disagree",
    "push back",
    "pushed back",
    "objection",
    "object",
    "convince",
    "persuade",
];
const CUSTOMER_CUES: &[&str] = &["user", "customer"];
const TRADEOFF_CUES: &[&str] = &["trade", "cut", "defer", "cost"];
const TECHNICAL_CUES: &[&str] = &["hypothes", "root cause", "data", "verify", "test"];

fn matching_follow_up(prompt: &Prompt, weakness: Weakness) -> Option<&str> {
    let by_cues = |cues: &[&str]| first_with_cue(&prompt.follow_ups, cues);
    match weakness {
        Weakness::NoNumbers => by_cues(NUMBER_CUES),
        Weakness::MostlyWe => by_cues(PERSONAL_CUES),
        Weakness::NoLearning => by_cues(LEARNING_CUES),
        Weakness::TooLong => by_cues(BRIEF_CUES),
        Weakness::TooShort | Weakness::ShortAction => by_cues(ACTION_CUES),
        Weakness::LongSituation => by_cues(SITUATION_CUES).or_else(|| by_cues(ACTION_CUES)),
        Weakness::None => prompt
            .tags
            .iter()
            .find_map(|tag| tag_cues(tag).and_then(by_cues))
            .or_else(|| prompt.follow_ups.first().map(String::as_str)),
    }
}

fn tag_cues(tag: &str) -> Option<&'static [&'static str]> {
    match tag {
        "quantify" => Some(NUMBER_CUES),
        "ownership" => Some(PERSONAL_CUES),
        "learning" | "failure" => Some(LEARNING_CUES),
        "conflict" => Some(CONFLICT_CUES),
        "customer" => Some(CUSTOMER_CUES),
        "tradeoff" => Some(TRADEOFF_CUES),
        "technical" => Some(TECHNICAL_CUES),
        _ => None,
    }
}

fn first_with_cue<'a>(follow_ups: &'a [String], cues: &[&str]) -> Option<&'a str> {
    let lowered: Vec<String> = follow_ups.iter().map(|f| f.to_lowercase()).collect();
    cues.iter().find_map(|cue| {
        lowered
            .iter()
            .position(|f| f.contains(cue))
            .map(|i| follow_ups[i].as_str())
    })
}

/// Fallbacks in the spirit of what interviewers probe: numbers, "I" not "we",
/// what you'd change, and getting to the actions quickly.
fn generic_follow_up(weakness: Weakness) -> &'static str {
    match weakness {
        Weakness::NoNumbers => {
            "Give me a before and an after: what changed because of your work, in numbers, and over what period?"
        }
        Weakness::MostlyWe => {
            "You said \"we\" a lot. Which decisions did you make, and what did you build or change yourself?"
        }
        Weakness::NoLearning => {
            "Looking back, what would you do differently, and have you had a chance to apply that since?"
        }
        Weakness::TooLong => {
            "Give me the short version: in two sentences, what did you do and what changed because of it?"
        }
        Weakness::TooShort => "Take me through it step by step: what did you do first, and why?",
        Weakness::LongSituation => {
            "Let's skip the background. What was your goal, and what was the first thing you did?"
        }
        Weakness::ShortAction => {
            "Walk me through your steps: what exactly did you do, and which options did you weigh?"
        }
        Weakness::None => "What was the hardest part, and how did you handle it?",
    }
}

/// One splitmix64 step: a well-mixed 64-bit value from any seed, including 0.
fn splitmix64(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Greedy word wrap; a word longer than `width` gets a line of its own.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PromptFile {
    #[serde(default)]
    prompt: Vec<RawPrompt>,
}

/// A prompt as written, with spans so checks can name the line.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPrompt {
    id: Spanned<String>,
    principles: Spanned<Vec<String>>,
    text: Spanned<String>,
    follow_ups: Option<Spanned<Vec<String>>>,
    // Signed so a negative value gets our message instead of a serde type error.
    target_seconds: Option<Spanned<i64>>,
    #[serde(default)]
    tags: Vec<String>,
}

/// Parses and checks one prompt file's text; `path` is only named in errors (public for fuzzing).
pub fn parse_file(path: &Path, source: &str) -> Result<Vec<Prompt>, PromptError> {
    let file: PromptFile = toml::from_str(source).map_err(|error| {
        let (line, column) = error
            .span()
            .map_or((1, 1), |span| line_column(source, span.start));
        PromptError::Parse {
            path: path.to_path_buf(),
            line,
            column,
            message: error.message().trim().to_string(),
        }
    })?;
    if file.prompt.is_empty() {
        return Err(PromptError::Empty {
            path: path.to_path_buf(),
        });
    }
    file.prompt
        .into_iter()
        .map(|raw| check(path, source, raw))
        .collect()
}

fn check(path: &Path, source: &str, raw: RawPrompt) -> Result<Prompt, PromptError> {
    let invalid =
        |span: std::ops::Range<usize>, problem: String, fix: String| PromptError::Invalid {
            path: path.to_path_buf(),
            line: line_column(source, span.start).0,
            problem,
            fix,
        };
    let id = raw.id.get_ref().trim().to_string();
    if !is_kebab_case(&id) {
        return Err(invalid(
            raw.id.span(),
            format!("prompt id `{id}` is not kebab-case"),
            "use lowercase letters, digits and single dashes, like `ownership-unowned-problem`"
                .to_string(),
        ));
    }
    if raw.principles.get_ref().is_empty() {
        return Err(invalid(
            raw.principles.span(),
            format!("prompt `{id}` lists no principles"),
            "add at least one slug, like `principles = [\"ownership\"]`".to_string(),
        ));
    }
    let mut principles = Vec::new();
    for given in raw.principles.get_ref() {
        let slug = principle(given)
            .map_err(|error| {
                invalid(
                    raw.principles.span(),
                    format!("prompt `{id}` names unknown principle `{given}`"),
                    format!("use one of: {}", slug_list(&error)),
                )
            })?
            .slug
            .to_string();
        if !principles.contains(&slug) {
            principles.push(slug);
        }
    }
    let text = raw.text.get_ref().trim().to_string();
    if text.is_empty() {
        return Err(invalid(
            raw.text.span(),
            format!("prompt `{id}` has an empty `text`"),
            "write the question the interviewer asks".to_string(),
        ));
    }
    let (follow_ups, follow_ups_span) = match raw.follow_ups {
        Some(spanned) => {
            let span = spanned.span();
            let trimmed = spanned
                .into_inner()
                .iter()
                .map(|f| f.trim().to_string())
                .collect();
            (trimmed, span)
        }
        None => (Vec::new(), 0..0),
    };
    if follow_ups.iter().any(String::is_empty) {
        return Err(invalid(
            follow_ups_span,
            format!("prompt `{id}` has an empty follow-up"),
            "remove the empty string from `follow_ups`".to_string(),
        ));
    }
    let target_seconds = match raw.target_seconds {
        None => DEFAULT_TARGET_SECONDS,
        Some(spanned) => {
            let value = *spanned.get_ref();
            let in_range =
                (i64::from(MIN_TARGET_SECONDS)..=i64::from(MAX_TARGET_SECONDS)).contains(&value);
            if !in_range {
                return Err(invalid(
                    spanned.span(),
                    format!("prompt `{id}` has `target_seconds = {value}`"),
                    format!(
                        "use a whole number of seconds from {MIN_TARGET_SECONDS} to {MAX_TARGET_SECONDS} (90 suits most answers)"
                    ),
                ));
            }
            value as u32
        }
    };
    let tags = raw
        .tags
        .iter()
        .map(|t| t.trim().to_lowercase())
        .filter(|t| !t.is_empty())
        .collect();
    Ok(Prompt {
        id,
        principles,
        text,
        follow_ups,
        target_seconds,
        tags,
    })
}

fn slug_list(error: &PromptError) -> String {
    match error {
        PromptError::UnknownPrinciple { valid, .. } => valid.clone(),
        other => other.to_string(),
    }
}

fn is_kebab_case(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && !id.ends_with('-')
        && !id.contains("--")
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(source: &str, offset: usize) -> (usize, usize) {
    let before = source.get(..offset.min(source.len())).unwrap_or(source);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bank() -> PromptBank {
        match PromptBank::builtin() {
            Ok(bank) => bank,
            Err(error) => panic!("built-in bank failed to load: {error}"),
        }
    }

    /// A fresh folder under the system temp dir, removed on drop.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new(name: &str) -> Self {
            let path = std::env::temp_dir()
                .join(format!("rehearse-prompts-{}-{name}", std::process::id()));
            let _ = std::fs::remove_dir_all(&path);
            std::fs::create_dir_all(&path).expect("create temp dir");
            Self(path)
        }

        fn write(&self, name: &str, text: &str) -> PathBuf {
            let path = self.0.join(name);
            std::fs::write(&path, text).expect("write temp file");
            path
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn every_embedded_file_parses() {
        for (name, source) in EMBEDDED {
            let path = PathBuf::from(name);
            let prompts = parse_file(&path, source).unwrap_or_else(|e| panic!("{e}"));
            assert!(!prompts.is_empty(), "{name} holds no prompts");
        }
        // Every prompt file on disk is embedded, and vice versa.
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("prompts");
        let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
            .expect("read prompts dir")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".toml"))
            .collect();
        on_disk.sort();
        let mut embedded: Vec<String> = EMBEDDED.iter().map(|(n, _)| n.to_string()).collect();
        embedded.sort();
        assert_eq!(on_disk, embedded);
    }

    #[test]
    fn sixteen_principles_each_with_three_prompts() {
        let bank = bank();
        assert_eq!(principles().len(), 16);
        let mut total = 0;
        for p in principles() {
            let own_file = bank
                .prompts()
                .iter()
                .filter(|prompt| prompt.principles.first().map(String::as_str) == Some(p.slug))
                .filter(|prompt| !prompt.tags.iter().any(|t| t == "screen"))
                .count();
            let mapped = bank
                .filtered(&Filter::for_principle(p.slug).unwrap())
                .count();
            println!("{:<46} primary {own_file}  mapped {mapped}", p.slug);
            assert!(own_file >= 3, "{} has only {own_file} prompts", p.slug);
            assert!(!p.summary.is_empty() && p.summary.len() < 120);
            total += own_file;
        }
        let screen = bank.filtered(&Filter::all().with_tag("screen")).count();
        println!(
            "principle prompts {total}, screen prompts {screen}, all {}",
            bank.prompts().len()
        );
        assert!(screen >= 7);
    }

    #[test]
    fn ids_unique_and_prompts_sane() {
        let bank = bank();
        let mut seen = BTreeSet::new();
        for prompt in bank.prompts() {
            assert!(seen.insert(prompt.id.clone()), "duplicate id {}", prompt.id);
            assert!(is_kebab_case(&prompt.id));
            assert!(
                (2..=5).contains(&prompt.follow_ups.len()),
                "{} has {} follow-ups",
                prompt.id,
                prompt.follow_ups.len()
            );
            assert!((45..=180).contains(&prompt.target_seconds), "{}", prompt.id);
            assert!(prompt.text.ends_with(['?', '.']), "{}", prompt.id);
            assert!(
                prompt.follow_ups.iter().all(|f| f.ends_with('?')),
                "{}",
                prompt.id
            );
            // The id starts with its main principle's slug, or `screen-`.
            let main = &prompt.principles[0];
            assert!(
                prompt.id.starts_with(main.as_str()) || prompt.id.starts_with("screen-"),
                "{} does not start with {main}",
                prompt.id
            );
        }
    }

    #[test]
    fn principle_lookup_by_slug_name_and_alias() {
        assert_eq!(principle("dive-deep").unwrap().slug, "dive-deep");
        assert_eq!(principle("DIVE DEEP").unwrap().slug, "dive-deep");
        assert_eq!(
            principle("Are Right, A Lot").unwrap().slug,
            "are-right-a-lot"
        );
        assert_eq!(
            principle("Have Backbone; Disagree and Commit")
                .unwrap()
                .slug,
            "have-backbone-disagree-and-commit"
        );
        assert_eq!(
            principle("Strive to be Earth’s Best Employer")
                .unwrap()
                .slug,
            "strive-to-be-earths-best-employer"
        );
        assert_eq!(
            principle("backbone").unwrap().name,
            "Have Backbone; Disagree and Commit"
        );
        for p in principles() {
            assert_eq!(principle(p.name).unwrap().slug, p.slug);
            assert_eq!(
                normalise(p.name),
                p.slug,
                "slug should be the normalised name"
            );
        }
    }

    #[test]
    fn unknown_principle_lists_slugs() {
        let message = principle("ownershp").unwrap_err().to_string();
        println!("{message}");
        assert!(message.starts_with("unknown principle `ownershp`; use one of: "));
        for p in principles() {
            assert!(message.contains(p.slug), "missing {}", p.slug);
        }
        assert!(Filter::for_principle("").is_err());
    }

    #[test]
    fn user_prompt_overrides_builtin_and_adds_new() {
        let dir = TempDir::new("override");
        dir.write(
            "mine.toml",
            r#"
[[prompt]]
id = "ownership-unowned-problem"
principles = ["Ownership"]
text = "My own wording of the unowned problem question?"
follow_ups = ["What did you do?", "How did you measure it?"]
target_seconds = 60

[[prompt]]
id = "my-own-prompt"
principles = ["dive deep", "dive-deep"]
text = "Tell me about a log line that changed your mind."
"#,
        );
        dir.write("notes.txt", "not a prompt file, ignored");
        let builtin = bank();
        let bank = PromptBank::load(Some(&dir.0)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(bank.prompts().len(), builtin.prompts().len() + 1);
        let over = bank.get("ownership-unowned-problem").unwrap();
        assert_eq!(over.text, "My own wording of the unowned problem question?");
        assert_eq!(over.principles, ["ownership"]);
        assert_eq!(over.target_seconds, 60);
        let new = bank.get("my-own-prompt").unwrap();
        assert_eq!(
            new.principles,
            ["dive-deep"],
            "names normalised and deduplicated"
        );
        assert_eq!(new.target_seconds, DEFAULT_TARGET_SECONDS);
        assert!(bank.is_user("my-own-prompt") && !bank.is_user("dive-deep-hardest-bug"));
        let listing = bank.listing(&Filter::for_principle("dive-deep").unwrap());
        assert!(
            listing.contains("my-own-prompt  [dive-deep]  90 s  (yours)"),
            "{listing}"
        );
        // No follow-ups of its own: generic ones fill in.
        assert_eq!(
            bank.follow_up_for(new, Weakness::MostlyWe),
            generic_follow_up(Weakness::MostlyWe)
        );
    }

    #[test]
    fn missing_user_folder_means_builtin_only() {
        let missing = std::env::temp_dir().join("rehearse-prompts-surely-missing-folder");
        let bank = PromptBank::load(Some(&missing)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(bank.prompts().len(), self::bank().prompts().len());
    }

    #[test]
    fn broken_user_file_names_file_line_and_fix() {
        let dir = TempDir::new("broken");
        let path = dir.write(
            "broken.toml",
            "[[prompt]]\nid = \"a-prompt\"\nprinciples = [\"ownership\"]\ntext = \"Unclosed\n",
        );
        let message = PromptBank::load(Some(&dir.0)).unwrap_err().to_string();
        println!("{message}");
        assert!(message.contains(&path.display().to_string()), "{message}");
        assert!(message.contains("line 4"), "{message}");
        assert!(
            message.ends_with("format is described in prompts/README.md"),
            "{message}"
        );

        // A misspelt field is caught too, at its line.
        std::fs::remove_file(&path).unwrap();
        dir.write(
            "typo.toml",
            "[[prompt]]\nid = \"a-prompt\"\nprinciples = [\"ownership\"]\ntext = \"Q?\"\nfollowups = [\"x?\"]\n",
        );
        let message = PromptBank::load(Some(&dir.0)).unwrap_err().to_string();
        println!("{message}");
        assert!(message.contains("typo.toml` line 5"), "{message}");
        assert!(message.contains("followups"), "{message}");
    }

    #[test]
    fn invalid_user_prompts_are_explained() {
        let cases = [
            (
                "principles = [\"ownership\", \"frugalty\"]\ntarget_seconds = 90",
                "line 3: prompt `x-prompt` names unknown principle `frugalty`; use one of: customer-obsession",
            ),
            (
                "principles = [\"ownership\"]\ntarget_seconds = 5000",
                "line 4: prompt `x-prompt` has `target_seconds = 5000`; use a whole number of seconds from 15 to 600",
            ),
            (
                "principles = []",
                "line 3: prompt `x-prompt` lists no principles; add at least one slug",
            ),
        ];
        for (i, (middle, expected)) in cases.iter().enumerate() {
            let dir = TempDir::new(&format!("invalid-{i}"));
            dir.write(
                "p.toml",
                &format!("[[prompt]]\nid = \"x-prompt\"\n{middle}\ntext = \"Q?\"\n"),
            );
            let message = PromptBank::load(Some(&dir.0)).unwrap_err().to_string();
            println!("{message}");
            assert!(
                message.contains(expected),
                "{message}\nexpected: {expected}"
            );
        }
        let dir = TempDir::new("bad-id");
        dir.write(
            "p.toml",
            "[[prompt]]\nid = \"Bad Id\"\nprinciples = [\"ownership\"]\ntext = \"Q?\"\n",
        );
        let message = PromptBank::load(Some(&dir.0)).unwrap_err().to_string();
        assert!(
            message.contains("line 2: prompt id `Bad Id` is not kebab-case; use lowercase"),
            "{message}"
        );

        let dir = TempDir::new("empty");
        dir.write("empty.toml", "# nothing yet\n");
        let message = PromptBank::load(Some(&dir.0)).unwrap_err().to_string();
        assert!(
            message.contains("holds no prompts; add a `[[prompt]]` table"),
            "{message}"
        );
    }

    #[test]
    fn duplicate_user_ids_across_files_are_an_error() {
        let dir = TempDir::new("dupes");
        let body = "[[prompt]]\nid = \"twice\"\nprinciples = [\"ownership\"]\ntext = \"Q?\"\n";
        dir.write("a.toml", body);
        dir.write("b.toml", body);
        let message = PromptBank::load(Some(&dir.0)).unwrap_err().to_string();
        println!("{message}");
        assert!(
            message.starts_with("prompt id `twice` is used twice, in `"),
            "{message}"
        );
        assert!(
            message.contains("a.toml") && message.contains("b.toml"),
            "{message}"
        );
        assert!(message.ends_with("give one of them a different id"));
    }

    /// The fuzzer's seeds and every input it once failed on parse or fail with an error.
    #[test]
    fn fuzz_inputs_parse_or_fail_cleanly() {
        let mut parsed = 0;
        for (path, bytes) in crate::fuzz_inputs::fuzz_inputs("prompt_toml") {
            if let Ok(source) = std::str::from_utf8(&bytes) {
                parsed += usize::from(parse_file(&path, source).is_ok());
            }
        }
        assert!(parsed > 0, "no seed parses as a prompt file");
    }

    #[test]
    fn line_column_counts_from_one() {
        assert_eq!(line_column("ab\ncd", 0), (1, 1));
        assert_eq!(line_column("ab\ncd", 4), (2, 2));
        assert_eq!(line_column("ab", 99), (1, 3));
    }

    fn history(ids: &[(&str, u64)]) -> Vec<(String, u64)> {
        ids.iter().map(|(id, at)| (id.to_string(), *at)).collect()
    }

    #[test]
    fn pick_prefers_never_practised_then_least_recent() {
        let bank = bank();
        let filter = Filter::for_principle("frugality").unwrap();
        let ids: Vec<&str> = bank.filtered(&filter).map(|p| p.id.as_str()).collect();
        assert!(ids.len() >= 3);
        // All but the last practised: the last is always chosen.
        let mut recent: Vec<(String, u64)> = ids[..ids.len() - 1]
            .iter()
            .enumerate()
            .map(|(i, id)| (id.to_string(), 1_000 + i as u64))
            .collect();
        for seed in 0..200 {
            assert_eq!(
                bank.pick(&filter, &recent, seed).unwrap().id,
                ids[ids.len() - 1]
            );
        }
        // All practised: only the stalest third is drawn from, ranked by each
        // prompt's latest time (ids[0] was practised again, so it is fresh).
        recent.push((ids[ids.len() - 1].to_string(), 5_000));
        recent.push((ids[0].to_string(), 9_000));
        let stale_count = ids.len().div_ceil(3);
        let stalest: BTreeSet<&str> = ids[1..=stale_count].iter().copied().collect();
        let mut seen = BTreeSet::new();
        for seed in 0..200 {
            let id = bank.pick(&filter, &recent, seed).unwrap().id.as_str();
            assert!(stalest.contains(id), "{id} is not among {stalest:?}");
            seen.insert(id);
        }
        assert_eq!(seen, stalest, "each of the stalest is picked sometimes");
    }

    #[test]
    fn pick_is_random_within_filter_and_deterministic() {
        let bank = bank();
        let filter = Filter::for_principle("Dive Deep").unwrap();
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for seed in 0..1_000 {
            let picked = bank.pick(&filter, &[], seed).unwrap();
            assert!(
                picked.principles.iter().any(|p| p == "dive-deep"),
                "{}",
                picked.id
            );
            assert_eq!(bank.pick(&filter, &[], seed).unwrap().id, picked.id);
            *counts.entry(picked.id.as_str()).or_default() += 1;
        }
        let candidates = bank.filtered(&filter).count();
        println!("dive-deep picks over 1000 seeds: {counts:?}");
        assert_eq!(
            counts.len(),
            candidates,
            "every candidate gets picked sometimes"
        );
        let fair = 1_000 / candidates;
        assert!(
            counts.values().all(|&n| n > fair / 2 && n < fair * 2),
            "{counts:?}"
        );

        let tagged = Filter::all().with_tag("screen");
        assert!(
            bank.pick(&tagged, &history(&[]), 7)
                .unwrap()
                .id
                .starts_with("screen-")
        );
        let nothing = Filter::for_principle("frugality")
            .unwrap()
            .with_tag("screen");
        assert!(bank.pick(&nothing, &[], 7).is_none());
    }

    #[test]
    fn listing_groups_by_principle() {
        let bank = bank();
        let all = bank.listing(&Filter::all());
        let headings: Vec<&str> = all
            .lines()
            .filter(|l| !l.starts_with(' ') && !l.is_empty())
            .collect();
        assert_eq!(headings.len(), 16, "{headings:?}");
        assert_eq!(headings[0], "Customer Obsession (customer-obsession)");
        assert!(all.contains(
            "  ownership-unowned-problem  [ownership]  90 s\n    Tell me about a problem that was not your job"
        ));
        let text_lines = all.lines().filter(|l| l.starts_with("    "));
        assert!(
            text_lines.clone().count() > bank.prompts().len(),
            "long texts wrap"
        );
        assert!(
            text_lines.clone().all(|l| l.chars().count() <= 80),
            "lines wrap"
        );
        // Each prompt once in the full listing.
        for prompt in bank.prompts() {
            assert_eq!(
                all.matches(&format!("  {}  [", prompt.id)).count(),
                1,
                "{}",
                prompt.id
            );
        }
        let one = bank.listing(&Filter::for_principle("think big").unwrap());
        assert!(one.starts_with("Think Big (think-big)\n"), "{one}");
        assert!(
            one.contains("invent-and-simplify-new-approach"),
            "secondary mappings listed"
        );
        let main_first = one.find("  think-big-reframed-problem").unwrap();
        assert!(main_first < one.find("  invent-and-simplify-new-approach").unwrap());
        assert!(!one.contains("Ownership ("), "{one}");
        let none = bank.listing(
            &Filter::for_principle("frugality")
                .unwrap()
                .with_tag("screen"),
        );
        assert!(none.starts_with("no prompts match"));
    }

    #[test]
    fn follow_ups_fit_the_weakness() {
        let bank = bank();
        let prompt = bank.get("ownership-unowned-problem").unwrap();
        assert_eq!(
            bank.follow_up_for(prompt, Weakness::NoNumbers),
            "How did you measure success?"
        );
        assert_eq!(
            bank.follow_up_for(prompt, Weakness::MostlyWe),
            "What exactly did you do, as opposed to the rest of the team?"
        );
        assert_eq!(
            bank.follow_up_for(prompt, Weakness::NoLearning),
            "What would you do differently?"
        );
        assert_eq!(
            bank.follow_up_for(prompt, Weakness::TooLong),
            generic_follow_up(Weakness::TooLong)
        );
        // Tag `ownership` comes first, so with no weakness the personal follow-up is asked.
        assert_eq!(
            bank.follow_up_for(prompt, Weakness::None),
            "What exactly did you do, as opposed to the rest of the team?"
        );

        // Coverage: how often the prompt's own follow-up fits, per weakness.
        let weaknesses = [
            Weakness::NoNumbers,
            Weakness::MostlyWe,
            Weakness::NoLearning,
            Weakness::TooLong,
            Weakness::TooShort,
            Weakness::LongSituation,
            Weakness::ShortAction,
            Weakness::None,
        ];
        let total = bank.prompts().len();
        for weakness in weaknesses {
            let own = bank
                .prompts()
                .iter()
                .filter(|p| matching_follow_up(p, weakness).is_some())
                .count();
            println!("{weakness:?}: prompt's own follow-up for {own}/{total}");
            if matches!(
                weakness,
                Weakness::NoNumbers | Weakness::MostlyWe | Weakness::NoLearning
            ) {
                assert!(own * 10 >= total * 7, "{weakness:?} only {own}/{total}");
            }
            for p in bank.prompts() {
                let question = bank.follow_up_for(p, weakness);
                assert!(question.ends_with('?'), "{question}");
            }
        }
    }
}
