//! Rustdoc text from spec text: markdown kept readable, but never able to break the build
//! (indented lines would become doctests, bare fences would be compiled as Rust).

use crate::ir::{Location, ParamIr, Style, TypeRef};
use crate::spec::{ChangeEntry, ErrorCodeSpec, OperationSpec, Schema};
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

/// A field's doc: what it is on the wire (name, location and style, type, required), the
/// spec's prose when it has any (hand-written specs), valid values and constraints, and for a
/// `secret` that `Debug` hides it.
pub fn field(
    wire: &str,
    ty: &TypeRef,
    required: bool,
    param: Option<ParamIr>,
    schema: &Schema,
    secret: bool,
) -> Vec<String> {
    let name = code(wire).join(" ");
    let mut doc = vec![match param {
        Some(p) => format!(
            "{name} ({}): {}, {}.",
            placement(p),
            type_words(ty),
            if required { "required" } else { "optional" }
        ),
        None if required => format!("{name}: {}, required.", type_words(ty)),
        None => format!("{name}: {}.", type_words(ty)),
    }];
    if let Some(prose) = schema.doc_text() {
        paragraph(&mut doc, text(prose));
    }
    let bullets = schema
        .description
        .as_deref()
        .map(crate::values::bullet_docs)
        .unwrap_or_default();
    let values = schema
        .enum_values
        .as_ref()
        .or_else(|| schema.items.as_ref().and_then(|i| i.enum_values.as_ref()));
    if let Some(values) = values {
        // Listed unless the prose's bullets already name every value.
        if !values.is_empty() && !values.iter().all(|v| bullets.contains_key(&v.0)) {
            let list: Vec<String> = values.iter().map(|v| code(&v.0).join(" ")).collect();
            paragraph(
                &mut doc,
                vec![format!("Valid values: {}.", list.join(", "))],
            );
        }
    }
    let facts = constraints(schema);
    if !facts.is_empty() {
        paragraph(
            &mut doc,
            vec![format!("Constraints: {}.", facts.join("; "))],
        );
    }
    if let Some(ex) = schema.example.as_ref().filter(|e| !e.0.is_empty()) {
        let c = code(&ex.0);
        if c.len() == 1 {
            paragraph(&mut doc, vec![format!("Example: {}", c[0])]);
        } else {
            paragraph(&mut doc, c);
        }
    }
    if secret {
        paragraph(
            &mut doc,
            vec!["A secret: `Debug` output shows `***` in its place.".to_owned()],
        );
    }
    doc
}

/// Where and how a parameter is sent, in words.
fn placement(p: ParamIr) -> String {
    let location = match p.location {
        Location::Query => "query",
        Location::Form => "form body",
        Location::Header => "header",
        Location::Path => "path",
        // The body is the value's JSON, whatever the style.
        Location::Body => return "JSON body".to_owned(),
    };
    let style = match p.style {
        Style::Plain => "",
        Style::RepeatList => ", as a repeated list `Name.1`, `Name.2`, …",
        Style::Flat => ", flattened as `Name.Key`",
        Style::Json => ", as JSON text",
        Style::Simple => ", comma-separated",
    };
    format!("{location}{style}")
}

/// A Rust type in the words of the wire.
fn type_words(ty: &TypeRef) -> String {
    match ty {
        TypeRef::String => "string".to_owned(),
        TypeRef::Bool => "boolean".to_owned(),
        TypeRef::I32 => "int32".to_owned(),
        TypeRef::I64 => "int64".to_owned(),
        TypeRef::F32 => "float".to_owned(),
        TypeRef::F64 => "double".to_owned(),
        TypeRef::Any => "any JSON value".to_owned(),
        TypeRef::List(t) => format!("list of {}", type_words(t)),
        TypeRef::Map(t) => format!("map of string to {}", type_words(t)),
        TypeRef::Nested { module, name } => {
            format!("[`{name}`]({module}::{name})")
        }
        TypeRef::Shared(name) => format!("[`{name}`](crate::types::{name})"),
        TypeRef::Boxed(t) => type_words(t),
    }
}

/// Numeric, length, item and pattern constraints, in words.
fn constraints(schema: &Schema) -> Vec<String> {
    let mut facts: Vec<String> = Vec::new();
    let lo = schema.minimum.as_ref().map(|v| {
        let strict = schema.exclusive_minimum == Some(true);
        format!("{} {}", if strict { ">" } else { "≥" }, v.0)
    });
    let hi = schema.maximum.as_ref().map(|v| {
        let strict = schema.exclusive_maximum == Some(true);
        format!("{} {}", if strict { "<" } else { "≤" }, v.0)
    });
    facts.extend(lo);
    facts.extend(hi);
    if let Some(n) = schema.min_length {
        facts.push(format!("at least {n} characters"));
    }
    if let Some(n) = schema.max_length {
        facts.push(format!("at most {n} characters"));
    }
    if let Some(n) = schema.min_items {
        facts.push(format!("at least {n} items"));
    }
    if let Some(n) = schema.max_items {
        facts.push(format!("at most {n} items"));
    }
    if let Some(p) = &schema.pattern {
        facts.push(format!("pattern {}", code(p).join(" ")));
    }
    if let Some(d) = &schema.default {
        facts.push(format!("default {}", code(&d.0).join(" ")));
    }
    facts
}

/// The first doc line of an object type.
pub fn object_facts(wire: &str) -> String {
    format!("The {} object.", code(wire).join(" "))
}

/// The first doc line of an open enum (after any prose).
pub fn enum_facts(wire: &str) -> String {
    format!(
        "Valid values of {}; values this version does not know are kept in `Unknown`.",
        code(wire).join(" ")
    )
}

/// How an operation pages, from its `pagination` spec key (what its paginator uses).
pub fn paging(spec: &OperationSpec) -> Option<String> {
    let p = spec.pagination.as_ref()?;
    let params: Vec<String> = [&p.page_number, &p.input_token, &p.page_size]
        .into_iter()
        .flatten()
        .map(|n| format!("`{n}`"))
        .collect();
    (!params.is_empty()).then(|| params.join("/"))
}

/// Facts about an operation that its docs state.
#[derive(Debug, Clone, Copy)]
pub struct OperationFacts<'a> {
    /// Product code.
    pub product: &'a str,
    /// API version.
    pub version: &'a str,
    /// Action.
    pub action: &'a str,
    /// Called with GET (only GET allowed).
    pub get: bool,
    /// ROA operations: the method (`Put`) and the path template.
    pub roa: Option<(&'a str, &'a str)>,
    /// Deprecated by the service.
    pub deprecated: bool,
    /// How it pages, if it does.
    pub paged: Option<&'a str>,
}

impl OperationFacts<'_> {
    /// The link to the operation's page in Alibaba Cloud's OpenAPI Explorer.
    pub fn explorer_url(&self) -> String {
        format!(
            "https://api.aliyun.com/api/{}/{}/{}",
            self.product, self.version, self.action
        )
    }
}

/// The docs of an operation's client method: facts, prose of hand-written specs, errors and
/// change history.
pub fn operation(spec: &OperationSpec, f: &OperationFacts<'_>) -> Vec<String> {
    let mut doc = vec![match f.roa {
        Some((method, path)) => format!(
            "`{}`: {} API `{}`, ROA call `{} {path}`.",
            f.action,
            f.product,
            f.version,
            method.to_ascii_uppercase()
        ),
        None => format!(
            "`{}`: {} API `{}`, RPC call sent with {}.",
            f.action,
            f.product,
            f.version,
            if f.get { "GET" } else { "POST" }
        ),
    }];
    if let Some(s) = spec.summary_text() {
        paragraph(&mut doc, text(s));
    }
    if let Some(d) = spec.description_text() {
        paragraph(&mut doc, text(d));
    }
    let mut facts = Vec::new();
    if f.deprecated {
        facts.push("Deprecated by the service.".to_owned());
    }
    if let Some(p) = f.paged {
        facts.push(format!("Paged with {p}."));
    }
    facts.push(format!(
        "Reference: [`{}` in the OpenAPI Explorer]({}).",
        f.action,
        f.explorer_url()
    ));
    paragraph(&mut doc, vec![facts.join(" ")]);
    let table = error_table(&spec.error_codes);
    if !table.is_empty() {
        paragraph(&mut doc, vec!["# Errors".to_owned()]);
        paragraph(&mut doc, table);
    }
    let history = change_history(&spec.change_history);
    if !history.is_empty() {
        paragraph(&mut doc, vec!["# Change history".to_owned()]);
        paragraph(&mut doc, history);
    }
    doc
}

/// The docs of an operation's request struct.
pub fn request(spec: &OperationSpec, f: &OperationFacts<'_>, method: &str) -> Vec<String> {
    let mut doc = vec![format!(
        "Request of [`Client::{method}`](crate::Client::{method}): `{}`.",
        f.action
    )];
    if let Some(s) = spec.summary_text() {
        paragraph(&mut doc, text(s));
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
    let prose = codes
        .values()
        .flatten()
        .any(|e| e.error_message.is_some() || e.description.is_some());
    let mut lines = if prose {
        vec![
            "| HTTP status | Error code | Error message | Description |".to_owned(),
            "| --- | --- | --- | --- |".to_owned(),
        ]
    } else {
        vec![
            "| HTTP status | Error code |".to_owned(),
            "| --- | --- |".to_owned(),
        ]
    };
    for (status, list) in codes {
        for e in list {
            if prose {
                lines.push(format!(
                    "| {} | {} | {} | {} |",
                    cell(status),
                    cell(&e.error_code),
                    cell(e.error_message.as_deref().unwrap_or("")),
                    cell(e.description.as_deref().unwrap_or("")),
                ));
            } else {
                lines.push(format!("| {} | {} |", cell(status), cell(&e.error_code)));
            }
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
