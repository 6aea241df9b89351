//! A JSON value that keeps the order of object keys, so that imported spec files list
//! parameters' properties, error codes and everything else in the order of the official metadata
//! (the order of `properties` is the order of the generated fields). `serde_json::Value` sorts keys
//! unless its `preserve_order` feature is on, and turning that on would change the runtime's maps
//! for every crate of the workspace.

use indexmap::IndexMap;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A JSON value with ordered objects.
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number, as serde_json reads it.
    Number(serde_json::Number),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Json>),
    /// An object, in document order.
    Object(IndexMap<String, Json>),
}

impl Json {
    /// The object's map, if this is an object.
    pub fn as_object(&self) -> Option<&IndexMap<String, Json>> {
        match self {
            Json::Object(m) => Some(m),
            _ => None,
        }
    }

    /// The object's map, mutably, if this is an object.
    pub fn as_object_mut(&mut self) -> Option<&mut IndexMap<String, Json>> {
        match self {
            Json::Object(m) => Some(m),
            _ => None,
        }
    }

    /// The string, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    /// Member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Json> {
        self.as_object().and_then(|m| m.get(key))
    }

    /// What kind of value this is, for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "a boolean",
            Json::Number(_) => "a number",
            Json::String(_) => "a string",
            Json::Array(_) => "an array",
            Json::Object(_) => "an object",
        }
    }

    /// Pretty-printed with two-space indentation and a final newline; non-ASCII text is written
    /// as UTF-8. The same value always gives the same bytes.
    pub fn pretty(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }
}

impl Serialize for Json {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Json::Null => s.serialize_unit(),
            Json::Bool(b) => s.serialize_bool(*b),
            Json::Number(n) => n.serialize(s),
            Json::String(v) => s.serialize_str(v),
            Json::Array(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for i in items {
                    seq.serialize_element(i)?;
                }
                seq.end()
            }
            Json::Object(map) => {
                let mut m = s.serialize_map(Some(map.len()))?;
                for (k, v) in map {
                    m.serialize_entry(k, v)?;
                }
                m.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(JsonVisitor)
    }
}

struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Json, E> {
        Ok(Json::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Json, E> {
        Ok(Json::Number(v.into()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Json, E> {
        Ok(Json::Number(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Json, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Json::Null, Json::Number))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Json, E> {
        Ok(Json::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Json, E> {
        Ok(Json::String(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Json::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut out = IndexMap::new();
        while let Some((k, v)) = map.next_entry::<String, Json>()? {
            // A repeated key keeps its first position and its last value, as serde_json does.
            out.insert(k, v);
        }
        Ok(Json::Object(out))
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
