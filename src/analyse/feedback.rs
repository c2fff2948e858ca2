//! Turns the measurements into short, concrete advice, most important first:
//! length, structure, the content interviewers probe, then delivery.

use super::config::AnalysisConfig;
use super::types::{Analysis, Label};

pub(crate) fn advise(a: &Analysis, config: &AnalysisConfig) -> Vec<String> {
    let mut out = Vec::new();
    if a.words == 0 {
        out.push(
            "No speech was found; check the microphone level and record the answer again."
                .to_string(),
        );
        return out;
    }
    length(a, config, &mut out);
    structure(a, &mut out);
    content(a, &mut out);
    delivery(a, config, &mut out);
    out
}

fn pct(x: f64) -> String {
    format!("{:.0} %", x * 100.0)
}

fn length(a: &Analysis, config: &AnalysisConfig, out: &mut Vec<String>) {
    if a.answer_s < config.window_min_s {
        out.push(format!(
            "The answer took {:.0} s; aim for {:.0}-{:.0} s: add the steps you took and a measured result.",
            a.answer_s, config.window_min_s, config.window_max_s
        ));
    } else if a.answer_s > config.window_max_s {
        out.push(format!(
            "The answer took {:.0} s; aim for at most {:.0} s: trim the setup and keep the actions.",
            a.answer_s, config.window_max_s
        ));
    }
}

fn structure(a: &Analysis, out: &mut Vec<String>) {
    let star = &a.star;
    let shares = star.shares;
    let target = star.target;
    let speaking = a.answer_s;
    // With learning folded into result, both are judged together.
    let folded = target.learning <= 0.0;
    let result_share = if folded {
        shares.result + shares.learning
    } else {
        shares.result
    };

    if shares.action <= 0.0 {
        out.push("No actions were found: say what you did yourself, step by step; that should be about 60 % of the answer.".to_string());
    } else if shares.action < target.action - 0.15 {
        out.push(format!(
            "Action is only {} of the answer; interviewers expect about {}: say what you did, step by step.",
            pct(shares.action),
            pct(target.action)
        ));
    }
    if result_share <= 0.0 {
        out.push(
            "The answer has no result: end with what changed, with a number (before -> after)."
                .to_string(),
        );
    } else if result_share < target.result - 0.1 {
        out.push(format!(
            "Result is only {} of the answer; aim for about {}: say what changed and how you knew.",
            pct(result_share),
            pct(target.result)
        ));
    }
    for label in [Label::Situation, Label::Task] {
        let share = shares.get(label);
        let goal = target.get(label);
        if share > goal + 0.1 {
            out.push(format!(
                "{} took {:.0} s ({}); aim for about {:.0} s.",
                capitalised(label),
                share * speaking,
                pct(share),
                goal * speaking
            ));
        }
    }
    if !folded && shares.learning > 0.0 && shares.learning > target.learning + 0.1 {
        out.push(format!(
            "Learning took {:.0} s ({}); one or two sentences are enough.",
            shares.learning * speaking,
            pct(shares.learning)
        ));
    }
    let order: Vec<Label> = star.sections.iter().map(|s| s.label).collect();
    if shares.situation + shares.task <= 0.0 && !order.is_empty() {
        out.push(
            "There is no context: open with one or two sentences on the situation and your goal."
                .to_string(),
        );
    } else if order.first() == Some(&Label::Action) {
        out.push(
            "The answer starts with actions: give one or two sentences of context first."
                .to_string(),
        );
    }
}

fn content(a: &Analysis, out: &mut Vec<String>) {
    let c = &a.checks;
    if a.star.shares.result + a.star.shares.learning > 0.0 && !c.quantified_result {
        out.push(
            "Put a number on the result: before -> after, a percentage, or time or money saved."
                .to_string(),
        );
    }
    if c.we_count > c.i_count && c.we_count >= 3 {
        out.push(format!(
            "Your actions say \"we\" {} times and \"I\" {} times; say what you did yourself.",
            c.we_count, c.i_count
        ));
    }
    if !c.has_learning {
        out.push("Close with a learning: what you would do differently, or what you do now because of it.".to_string());
    }
    if !c.blame.is_empty() {
        out.push(format!(
            "{} sounds like blame: own your part and say what you changed.",
            quoted(&c.blame)
        ));
    }
    if !c.hedges.is_empty() {
        out.push(format!(
            "Vague or hedging words: {}; say exactly what happened.",
            quoted(&c.hedges)
        ));
    }
}

fn delivery(a: &Analysis, config: &AnalysisConfig, out: &mut Vec<String>) {
    let f = &a.fillers;
    if f.share_of_words > config.filler_share_warn && f.total > 0 {
        let top = f
            .by_word
            .iter()
            .max_by_key(|(_, n)| **n)
            .map(|(w, n)| format!(", most often \"{w}\" x{n}"))
            .unwrap_or_default();
        out.push(format!(
            "Fillers are {:.1} % of your words ({}{top}); pause silently instead.",
            f.share_of_words * 100.0,
            f.total
        ));
    }
    if a.answer_s >= 10.0 {
        if a.words_per_minute > config.pace_max_wpm {
            out.push(format!(
                "{:.0} words per minute is fast; slow to about {:.0}-{:.0} and let key numbers land.",
                a.words_per_minute, config.pace_min_wpm, config.pace_max_wpm
            ));
        } else if a.words_per_minute < config.pace_min_wpm {
            out.push(format!(
                "{:.0} words per minute is slow; aim for {:.0}-{:.0}: rehearse the story until it flows.",
                a.words_per_minute, config.pace_min_wpm, config.pace_max_wpm
            ));
        }
    }
    if !a.pauses.is_empty() {
        let at: Vec<String> = a
            .pauses
            .iter()
            .take(3)
            .map(|p| crate::format::clock(p.start_s))
            .collect();
        out.push(format!(
            "{} long pause{} (at {}); know your next step before you start.",
            a.pauses.len(),
            if a.pauses.len() == 1 { "" } else { "s" },
            at.join(", ")
        ));
    }
}

fn capitalised(label: Label) -> String {
    let name = label.name();
    let mut chars = name.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}

fn quoted(items: &[String]) -> String {
    items
        .iter()
        .map(|s| format!("\"{s}\""))
        .collect::<Vec<_>>()
        .join(", ")
}
