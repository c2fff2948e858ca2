//! The built-in prompt bank and the user's prompt files merged over it: loading,
//! lookup by id, filtering and picking a prompt to practise.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use super::{Filter, Prompt, PromptError, parse_file};

/// The built-in bank, in listing order.
const EMBEDDED: [(&str, &str); 17] = [
    (
        "customer-obsession.toml",
        include_str!("../../prompts/customer-obsession.toml"),
    ),
    (
        "ownership.toml",
        include_str!("../../prompts/ownership.toml"),
    ),
    (
        "invent-and-simplify.toml",
        include_str!("../../prompts/invent-and-simplify.toml"),
    ),
    (
        "are-right-a-lot.toml",
        include_str!("../../prompts/are-right-a-lot.toml"),
    ),
    (
        "learn-and-be-curious.toml",
        include_str!("../../prompts/learn-and-be-curious.toml"),
    ),
    (
        "hire-and-develop-the-best.toml",
        include_str!("../../prompts/hire-and-develop-the-best.toml"),
    ),
    (
        "insist-on-the-highest-standards.toml",
        include_str!("../../prompts/insist-on-the-highest-standards.toml"),
    ),
    (
        "think-big.toml",
        include_str!("../../prompts/think-big.toml"),
    ),
    (
        "bias-for-action.toml",
        include_str!("../../prompts/bias-for-action.toml"),
    ),
    (
        "frugality.toml",
        include_str!("../../prompts/frugality.toml"),
    ),
    (
        "earn-trust.toml",
        include_str!("../../prompts/earn-trust.toml"),
    ),
    (
        "dive-deep.toml",
        include_str!("../../prompts/dive-deep.toml"),
    ),
    (
        "have-backbone-disagree-and-commit.toml",
        include_str!("../../prompts/have-backbone-disagree-and-commit.toml"),
    ),
    (
        "deliver-results.toml",
        include_str!("../../prompts/deliver-results.toml"),
    ),
    (
        "strive-to-be-earths-best-employer.toml",
        include_str!("../../prompts/strive-to-be-earths-best-employer.toml"),
    ),
    (
        "success-and-scale-bring-broad-responsibility.toml",
        include_str!("../../prompts/success-and-scale-bring-broad-responsibility.toml"),
    ),
    ("screen.toml", include_str!("../../prompts/screen.toml")),
];

/// Used when a prompt file leaves `target_seconds` out.
pub const DEFAULT_TARGET_SECONDS: u32 = 90;
/// Sane bounds for `target_seconds`: a spoken answer, not a lecture.
pub const MIN_TARGET_SECONDS: u32 = 15;
pub const MAX_TARGET_SECONDS: u32 = 600;

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
        pick_from(self.filtered(filter).collect(), recent, rng_seed)
    }

    /// The questions of a mock interview: `count` prompts within any of
    /// `filters` (all prompts when empty), each probing principles no earlier
    /// pick probes while that is possible, and each chosen as [`PromptBank::pick`]
    /// chooses (never-practised first). No prompt twice; fewer than `count`
    /// when the filters hold fewer prompts.
    pub fn pick_interview(
        &self,
        filters: &[Filter],
        count: usize,
        recent: &[(String, u64)],
        rng_seed: u64,
    ) -> Vec<&Prompt> {
        let mut chosen: Vec<&Prompt> = Vec::new();
        let in_filters =
            |p: &Prompt| filters.is_empty() || filters.iter().any(|filter| filter.matches(p));
        for round in 0..count as u64 {
            let covered = |p: &Prompt| {
                chosen
                    .iter()
                    .any(|c| c.principles.iter().any(|x| p.principles.contains(x)))
            };
            let open: Vec<&Prompt> = self
                .prompts
                .iter()
                .filter(|p| in_filters(p) && !chosen.iter().any(|c| c.id == p.id))
                .collect();
            let fresh: Vec<&Prompt> = open.iter().copied().filter(|p| !covered(p)).collect();
            let pool = if fresh.is_empty() { open } else { fresh };
            match pick_from(pool, recent, splitmix64(rng_seed.wrapping_add(round))) {
                Some(prompt) => chosen.push(prompt),
                None => break,
            }
        }
        chosen
    }
}

/// [`PromptBank::pick`]'s choice among `candidates`.
fn pick_from<'a>(
    candidates: Vec<&'a Prompt>,
    recent: &[(String, u64)],
    rng_seed: u64,
) -> Option<&'a Prompt> {
    let mut last_practised: HashMap<&str, u64> = HashMap::new();
    for (id, at_secs) in recent {
        let entry = last_practised.entry(id.as_str()).or_insert(*at_secs);
        *entry = (*entry).max(*at_secs);
    }
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

/// One splitmix64 step: a well-mixed 64-bit value from any seed, including 0.
fn splitmix64(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prompts::follow_up::generic_follow_up;
    use crate::prompts::parse::is_kebab_case;
    use crate::prompts::test_support::{TempDir, bank};
    use crate::prompts::{Weakness, principles};

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
            .filter_map(std::result::Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| {
                Path::new(n)
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("toml"))
            })
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
    fn an_interview_asks_distinct_principles_unpractised_first() {
        let bank = bank();
        // Every prompt but one per principle practised: those are the ones asked.
        let mut unpractised: HashMap<&str, &str> = HashMap::new();
        let mut recent = Vec::new();
        for prompt in &bank.prompts {
            let main = prompt.principles[0].as_str();
            if unpractised.contains_key(main) {
                recent.push((prompt.id.clone(), 1_000));
            } else {
                unpractised.insert(main, prompt.id.as_str());
            }
        }
        for seed in 0..200 {
            let picked = bank.pick_interview(&[], 4, &recent, seed);
            assert_eq!(picked.len(), 4, "seed {seed}");
            let mut principles = BTreeSet::new();
            for prompt in &picked {
                for principle in &prompt.principles {
                    assert!(
                        principles.insert(principle.as_str()),
                        "{principle} twice (seed {seed})"
                    );
                }
                assert!(
                    !recent.iter().any(|(id, _)| *id == prompt.id),
                    "{} was practised, and unpractised prompts were left (seed {seed})",
                    prompt.id
                );
            }
        }
        // Filters limit the questions; a principle repeats only once each has
        // one; no prompt is asked twice; fewer when the filters hold fewer.
        let filters = [
            Filter::for_principle("frugality").unwrap(),
            Filter::for_principle("ownership").unwrap(),
        ];
        let matching = bank
            .prompts
            .iter()
            .filter(|p| filters.iter().any(|f| f.matches(p)))
            .count();
        for seed in 0..50 {
            let picked = bank.pick_interview(&filters, 3, &[], seed);
            assert_eq!(picked.len(), 3);
            assert!(picked.iter().all(|p| filters.iter().any(|f| f.matches(p))));
            let covers = |slug: &str| {
                picked[..2]
                    .iter()
                    .any(|p| p.principles.iter().any(|x| x == slug))
            };
            assert!(covers("frugality") && covers("ownership"), "seed {seed}");
            let ids: BTreeSet<&str> = picked.iter().map(|p| p.id.as_str()).collect();
            assert_eq!(ids.len(), 3);
            assert_eq!(
                bank.pick_interview(&filters, 100, &[], seed).len(),
                matching
            );
        }
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
}
