//! Helpers over `serde_json::Value` for the import front-ends. The crate enables serde_json's
//! `preserve_order`, so objects keep the order of the document they were read from: imported spec
//! files list parameters, properties and error codes in the order of the official metadata (the
//! order of `properties` is the order of the generated fields), and the same value always prints
//! the same bytes.

use serde_json::Value as Json;

/// What the front-ends need of a JSON value beyond `serde_json`'s own methods.
pub trait JsonExt {
    /// What kind of value this is, for messages.
    fn kind(&self) -> &'static str;
    /// Pretty-printed with two-space indentation and a final newline; non-ASCII text is written
    /// as UTF-8.
    fn pretty(&self) -> String;
}

impl JsonExt for Json {
    fn kind(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "a boolean",
            Json::Number(_) => "a number",
            Json::String(_) => "a string",
            Json::Array(_) => "an array",
            Json::Object(_) => "an object",
        }
    }

    fn pretty(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }
}

/// The JSON paths where `old` and `new` differ (`$.parameters[2].schema.enum`), at most `limit`
/// of them, each with `changed`, `added` or `removed`. Key order is not a difference.
pub fn differences(old: &Json, new: &Json, limit: usize) -> Vec<String> {
    let mut out = Vec::new();
    diff_at(old, new, "$", &mut out, limit);
    out
}

fn diff_at(old: &Json, new: &Json, path: &str, out: &mut Vec<String>, limit: usize) {
    if out.len() >= limit {
        return;
    }
    match (old, new) {
        (Json::Object(a), Json::Object(b)) => {
            for (k, v) in a {
                let p = crate::diag::join(path, k);
                match b.get(k) {
                    Some(w) => diff_at(v, w, &p, out, limit),
                    None => push(out, limit, format!("removed {p}")),
                }
            }
            for k in b.keys() {
                if !a.contains_key(k) {
                    push(
                        out,
                        limit,
                        format!("added   {}", crate::diag::join(path, k)),
                    );
                }
            }
        }
        (Json::Array(a), Json::Array(b)) if a.len() == b.len() => {
            for (i, (v, w)) in a.iter().zip(b).enumerate() {
                diff_at(v, w, &format!("{path}[{i}]"), out, limit);
            }
        }
        (Json::Array(a), Json::Array(b)) => push(
            out,
            limit,
            format!("changed {path} ({} items → {} items)", a.len(), b.len()),
        ),
        (a, b) if a == b => {}
        (a, b) => push(
            out,
            limit,
            format!("changed {path} ({} → {})", short(a), short(b)),
        ),
    }
}

fn push(out: &mut Vec<String>, limit: usize, line: String) {
    if out.len() < limit {
        out.push(line);
    }
}

fn short(v: &Json) -> String {
    match v {
        Json::String(s) if s.chars().count() <= 40 => format!("{s:?}"),
        Json::String(_) => "a longer string".to_owned(),
        Json::Number(n) => n.to_string(),
        Json::Bool(b) => b.to_string(),
        other => other.kind().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_keep_document_order_and_print_the_same_bytes() {
        let text = "{\n  \"b\": 1,\n  \"a\": [\n    true,\n    null,\n    \"\u{6587}\"\n  ],\n  \"c\": {}\n}\n";
        let v: Json = serde_json::from_str(text).unwrap();
        assert_eq!(v.pretty(), text);
    }

    #[test]
    fn differences_name_paths() {
        let a: Json = serde_json::from_str(r#"{"x": {"y": 1, "z": [1]}, "k.1": 2}"#).unwrap();
        let b: Json = serde_json::from_str(r#"{"x": {"y": 2, "z": [1, 2]}, "n": 3}"#).unwrap();
        assert_eq!(
            differences(&a, &b, 10),
            vec![
                "changed $.x.y (1 → 2)",
                "changed $.x.z (1 items → 2 items)",
                "removed $[\"k.1\"]",
                "added   $.n",
            ]
        );
        assert_eq!(differences(&a, &b, 1).len(), 1);
    }
}
