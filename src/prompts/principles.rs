//! The 16 Leadership Principles and finding one by slug, name or short alias.

use super::{Principle, PromptError};

pub(super) const PRINCIPLES: [Principle; 16] = [
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
        } else if ch != '\'' && ch != '\u{2019}' && !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prompts::Filter;

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
}
