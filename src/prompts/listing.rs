//! The `rehearse prompts` listing: prompts grouped by principle, text word-wrapped.

use std::fmt::Write as _;

use super::principles::PRINCIPLES;
use super::{Filter, Prompt, PromptBank};

impl PromptBank {
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
                out.push_str(&crate::format::wrap_words(&prompt.text, "    ", 4, 80));
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prompts::test_support::bank;

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
}
