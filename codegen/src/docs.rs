//! Rustdoc text from spec text: markdown kept readable, but never able to break the build
//! (indented lines would become doctests, bare fences would be compiled as Rust).

use crate::spec::{ChangeEntry, ErrorCodeSpec, Schema};
use indexmap::IndexMap;

/// Doc lines from free text: lines trimmed of leading indentation (so nothing becomes an
/// indented code block), un-annotated fences marked `text`, runs of blank lines collapsed.
pub fn text(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut in_fence = false;
    for raw in s.replace("\r\n", "\n").replace('\r', "\n").lines() {
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix("```") {
            if in_fence {
                out.push("```".to_owned());
            } else {
                let lang = rest.trim();
                out.push(if lang.is_empty() || lang.contains(' ') {
                    "```text".to_owned()
                } else {
                    format!("```{}", if lang == "rust" { "text" } else { lang })
                });
            }
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push(line.to_owned());
            continue;
        }
        if trimmed.is_empty() {
            if out.last().is_some_and(|l| !l.is_empty()) {
                out.push(String::new());
            }
            continue;
        }
        out.push(trimmed.to_owned());
    }
    if in_fence {
        out.push("```".to_owned());
    }
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    out
}

/// Appends a paragraph (separated by a blank line).
pub fn paragraph(doc: &mut Vec<String>, lines: Vec<String>) {
    if lines.is_empty() {
        return;
    }
    if !doc.is_empty() {
        doc.push(String::new());
    }
    doc.extend(lines);
}

/// Inline code for a value: backticks, or a fenced block for multi-line values.
pub fn code(value: &str) -> Vec<String> {
    if value.contains('\n') {
        let mut v = vec!["```text".to_owned()];
        v.extend(value.lines().map(|l| l.replace("```", "` ` `")));
        v.push("```".to_owned());
        v
    } else {
        let ticks = if value.contains('`') { "``" } else { "`" };
        let pad = if value.starts_with('`') || value.ends_with('`') {
            " "
        } else {
            ""
        };
        vec![format!("{ticks}{pad}{value}{pad}{ticks}")]
    }
}

/// Field doc: description, constraints, example.
pub fn field(schema: &Schema) -> Vec<String> {
    let mut doc = schema.doc_text().map(text).unwrap_or_default();
    let bullets = schema
        .description
        .as_deref()
        .map(crate::lower::bullet_docs)
        .unwrap_or_default();
    if let (None, Some(titles)) = (&schema.enum_values, &schema.enum_value_titles) {
        // Titles without an enum (frequent in official metadata): documentation only.
        if !titles.is_empty() && !titles.keys().all(|v| bullets.contains_key(v)) {
            let mut lines = vec!["Values:".to_owned(), String::new()];
            for (v, t) in titles {
                lines.push(format!("- {}: {}", code(v).join(" "), one_line(t)));
            }
            paragraph(&mut doc, lines);
        }
    }
    if let Some(values) = &schema.enum_values {
        // Listed unless the description's bullets already name every value.
        if !values.is_empty() && !values.iter().all(|v| bullets.contains_key(&v.0)) {
            let titles = schema.enum_value_titles.as_ref();
            let mut lines = vec!["Valid values:".to_owned(), String::new()];
            for v in values {
                let mut line = format!("- {}", code(&v.0).join(" "));
                if let Some(t) = titles.and_then(|t| t.get(&v.0)) {
                    line.push_str(": ");
                    line.push_str(&one_line(t));
                }
                lines.push(line);
            }
            paragraph(&mut doc, lines);
        }
    }
    let mut facts: Vec<String> = Vec::new();
    if let Some(d) = &schema.default {
        facts.push(format!("Default: {}", code(&d.0).join(" ")));
    }
    match (&schema.minimum, &schema.maximum) {
        (Some(lo), Some(hi)) => facts.push(format!("Range: {} to {}", lo.0, hi.0)),
        (Some(lo), None) => facts.push(format!("Minimum: {}", lo.0)),
        (None, Some(hi)) => facts.push(format!("Maximum: {}", hi.0)),
        (None, None) => {}
    }
    match (schema.min_items, schema.max_items) {
        (Some(lo), Some(hi)) => facts.push(format!("{lo} to {hi} items.")),
        (Some(lo), None) => facts.push(format!("At least {lo} items.")),
        (None, Some(hi)) => facts.push(format!("At most {hi} items.")),
        (None, None) => {}
    }
    match (schema.min_length, schema.max_length) {
        (Some(lo), Some(hi)) => facts.push(format!("{lo} to {hi} characters.")),
        (Some(lo), None) => facts.push(format!("At least {lo} characters.")),
        (None, Some(hi)) => facts.push(format!("At most {hi} characters.")),
        (None, None) => {}
    }
    if let Some(p) = &schema.pattern {
        facts.push(format!("Pattern: {}", code(p).join(" ")));
    }
    if let Some(ex) = &schema.example {
        if !ex.0.is_empty() {
            let c = code(&ex.0);
            if c.len() == 1 {
                facts.push(format!("Example: {}", c[0]));
            } else {
                facts.push("Example:".to_owned());
                facts.push(String::new());
                facts.extend(c);
            }
        }
    }
    if !facts.is_empty() {
        // Each fact is its own paragraph line; a trailing blank keeps list items apart.
        let mut lines = Vec::new();
        for (i, f) in facts.into_iter().enumerate() {
            if i > 0 {
                lines.push(String::new());
            }
            lines.push(f);
        }
        paragraph(&mut doc, lines);
    }
    doc
}

/// One line of text (newlines folded into spaces).
pub fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The error table of an operation.
pub fn error_table(codes: &IndexMap<String, Vec<ErrorCodeSpec>>) -> Vec<String> {
    if codes.values().all(Vec::is_empty) {
        return Vec::new();
    }
    let mut lines = vec![
        "| HTTP status | Error code | Error message | Description |".to_owned(),
        "| --- | --- | --- | --- |".to_owned(),
    ];
    for (status, list) in codes {
        for e in list {
            lines.push(format!(
                "| {} | {} | {} | {} |",
                cell(status),
                cell(&e.error_code),
                cell(e.error_message.as_deref().unwrap_or("")),
                cell(e.description.as_deref().unwrap_or("")),
            ));
        }
    }
    lines
}

fn cell(s: &str) -> String {
    one_line(s).replace('|', "\\|")
}

/// The change history of an operation.
pub fn change_history(entries: &[ChangeEntry]) -> Vec<String> {
    let mut lines = Vec::new();
    for e in entries {
        lines.push(format!("- {}: {}", cell(&e.date), one_line(&e.summary)));
        for c in &e.changes {
            let mut line = format!("  - {}: {}", one_line(&c.item), one_line(&c.content));
            if !c.added.is_empty() {
                line.push_str(&format!(" Added: {}.", c.added.join(", ")));
            }
            if !c.deleted.is_empty() {
                line.push_str(&format!(" Deleted: {}.", c.deleted.join(", ")));
            }
            lines.push(line);
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indentation_cannot_make_doctests() {
        let lines = text("Intro\n\n    {\"a\": 1}\n```\nlet x = 1;\n```\n");
        assert_eq!(
            lines,
            vec!["Intro", "", "{\"a\": 1}", "```text", "let x = 1;", "```"]
        );
    }

    #[test]
    fn unclosed_fences_are_closed() {
        assert_eq!(text("```json\n{}"), vec!["```json", "{}", "```"]);
    }

    #[test]
    fn code_spans_survive_backticks() {
        assert_eq!(code("a`b"), vec!["``a`b``"]);
        assert_eq!(code("x"), vec!["`x`"]);
    }
}
