//! The report in text, Markdown and JSON, the one-line summary `cargo xtask gen` prints, and
//! the changelog section drafted from it.

use super::compare::Change;
use super::rules::{Class, Group};
use super::Report;
use serde_json::json;
use std::collections::BTreeMap;

/// Changes counted by class, for the Rust API and the wire.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// All changes.
    pub total: usize,
    /// Breaking for the Rust API.
    pub rust_breaking: usize,
    /// Additive for the Rust API.
    pub rust_additive: usize,
    /// Breaking on the wire.
    pub wire_breaking: usize,
    /// Additive on the wire.
    pub wire_additive: usize,
}

impl Counts {
    /// Counts of `changes`.
    pub fn of(changes: &[Change]) -> Self {
        let mut c = Counts {
            total: changes.len(),
            ..Counts::default()
        };
        for ch in changes {
            let r = ch.kind.rule();
            match r.rust {
                Class::Breaking => c.rust_breaking += 1,
                Class::Additive => c.rust_additive += 1,
                Class::None => {}
            }
            match r.wire {
                Class::Breaking => c.wire_breaking += 1,
                Class::Additive => c.wire_additive += 1,
                Class::None => {}
            }
        }
        c
    }
}

impl std::fmt::Display for Counts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} change(s); Rust API: {} breaking, {} additive; wire: {} breaking, {} additive",
            self.total,
            self.rust_breaking,
            self.rust_additive,
            self.wire_breaking,
            self.wire_additive
        )
    }
}

/// `parameter `Lang``, `response body`, `error code `X``.
fn target(c: &Change, code: bool) -> String {
    let quote = |s: &str| {
        if code {
            format!("`{}`", s.replace('`', "'"))
        } else {
            s.to_owned()
        }
    };
    match (c.place, c.name.as_str()) {
        ("response", "") => "response body".to_owned(),
        (place, name) => format!("{place} {}", quote(name)),
    }
}

/// Changes by product, then operation (`None`: the product itself), in report order.
fn grouped(changes: &[Change]) -> BTreeMap<(&str, Option<&str>), Vec<&Change>> {
    let mut out: BTreeMap<(&str, Option<&str>), Vec<&Change>> = BTreeMap::new();
    for c in changes {
        out.entry((c.product.as_str(), c.operation.as_deref()))
            .or_default()
            .push(c);
    }
    out
}

/// Plain text for a terminal.
pub fn text(report: &Report) -> String {
    let mut out = format!(
        "API changes from {} to {}: {}\n",
        report.base,
        report.head,
        Counts::of(&report.changes)
    );
    let mut product = "";
    for ((p, op), changes) in grouped(&report.changes) {
        if p != product {
            out.push_str(&format!("\n{p}\n"));
            product = p;
        }
        out.push_str(&format!("  {}\n", op.unwrap_or("(product)")));
        for c in changes {
            let r = c.kind.rule();
            let detail = if c.detail.is_empty() {
                String::new()
            } else {
                format!(" ({})", c.detail)
            };
            let place = if c.place == "operation" {
                String::new()
            } else {
                format!(": {}", target(c, false))
            };
            out.push_str(&format!(
                "    {:<10} {:<10} {}{place}{detail}\n",
                format!("rust:{}", short(r.rust)),
                format!("wire:{}", short(r.wire)),
                r.what,
            ));
        }
    }
    out
}

fn short(c: Class) -> &'static str {
    match c {
        Class::Breaking => "BREAK",
        Class::Additive => "add",
        Class::None => "-",
    }
}

/// Markdown to paste into a review: the counts, then one table per product, a row per change.
pub fn markdown(report: &Report) -> String {
    let counts = Counts::of(&report.changes);
    let mut out = format!(
        "### API changes: {} → {}\n\n{} change(s). Rust API: **{} breaking**, {} additive. Wire: **{} breaking**, {} additive.\n",
        cell(&report.base),
        cell(&report.head),
        counts.total,
        counts.rust_breaking,
        counts.rust_additive,
        counts.wire_breaking,
        counts.wire_additive
    );
    let mut product = "";
    for ((p, op), changes) in grouped(&report.changes) {
        if p != product {
            out.push_str(&format!(
                "\n#### {p}\n\n| operation | change | where | detail | Rust API | wire |\n| --- | --- | --- | --- | --- | --- |\n"
            ));
            product = p;
        }
        let op = op.map(|o| format!("`{o}`")).unwrap_or_default();
        for c in changes {
            let r = c.kind.rule();
            let place = if c.place == "operation" {
                String::new()
            } else {
                cell(&target(c, true))
            };
            out.push_str(&format!(
                "| {op} | {} | {place} | {} | {} | {} |\n",
                r.what,
                cell(&c.detail),
                bold(r.rust),
                bold(r.wire)
            ));
        }
    }
    out
}

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn bold(c: Class) -> String {
    match c {
        Class::Breaking => "**breaking**".to_owned(),
        other => other.as_str().to_owned(),
    }
}

/// JSON for tools: `{ base, head, summary, changes: [ … ] }`.
pub fn json(report: &Report) -> serde_json::Value {
    let counts = Counts::of(&report.changes);
    let changes: Vec<serde_json::Value> = report
        .changes
        .iter()
        .map(|c| {
            let r = c.kind.rule();
            json!({
                "product": c.product,
                "operation": c.operation,
                "kind": c.kind,
                "place": c.place,
                "name": c.name,
                "detail": c.detail,
                "rust": r.rust,
                "wire": r.wire,
                "changelog": r.group,
            })
        })
        .collect();
    json!({
        "base": report.base,
        "head": report.head,
        "summary": {
            "changes": counts.total,
            "rust": { "breaking": counts.rust_breaking, "additive": counts.rust_additive },
            "wire": { "breaking": counts.wire_breaking, "additive": counts.wire_additive },
        },
        "changes": changes,
    })
}

/// The one line `cargo xtask gen` prints when the specs changed.
pub fn summary(report: &Report) -> String {
    format!(
        "API changes since {}: {} (details: cargo xtask api-diff)",
        report.base,
        Counts::of(&report.changes)
    )
}

/// A changelog section for the changes of one product: `## <title>` then `### Breaking`,
/// `### Added`, `### Deprecated`, `### Fixed` (empty groups left out).
pub fn changelog_section(title: &str, changes: &[&Change]) -> String {
    let mut out = format!("## {title}\n");
    if changes.is_empty() {
        out.push_str("\nNo API changes.\n");
        return out;
    }
    for group in Group::ALL {
        let lines: Vec<String> = changes
            .iter()
            .filter(|c| c.kind.rule().group == group)
            .map(|c| changelog_line(c))
            .collect();
        if lines.is_empty() {
            continue;
        }
        out.push_str(&format!("\n### {}\n\n", group.heading()));
        for l in lines {
            out.push_str(&l);
            out.push('\n');
        }
    }
    out
}

fn changelog_line(c: &Change) -> String {
    let r = c.kind.rule();
    let detail = if c.detail.is_empty() {
        String::new()
    } else {
        format!(" ({})", c.detail)
    };
    let wire = match r.wire {
        Class::Breaking if r.rust != Class::Breaking => "; changes what is sent or received",
        _ => "",
    };
    match (&c.operation, c.place) {
        (Some(op), "operation") => format!("- `{op}`: {}{detail}{wire}.", r.what),
        (Some(op), _) => format!("- `{op}`, {}: {}{detail}{wire}.", target(c, true), r.what),
        (None, _) => format!("- {}: {}{detail}{wire}.", target(c, true), r.what),
    }
}
