//! Request parameters: where each goes (query or form body) and how structured values are
//! flattened into `key=value` pairs, per the spec's `style`.

use crate::json::ToJson;
use serde_json::Value;

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// The query string (`in: query`).
    Query,
    /// An `application/x-www-form-urlencoded` body (`in: formData`).
    Form,
    /// An HTTP header (`in: header`).
    Header,
    /// ROA: a `{Name}` of the path template (`in: path`).
    Path,
    /// ROA: the request body, sent as the value's JSON (`in: body`), whatever the style.
    Body,
}

/// How a list or object parameter is written (`style` in the spec).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// No style given: scalars as they are; lists and objects flattened like `RepeatList`.
    Plain,
    /// `Name.1=a&Name.2=b`; objects inside as `Name.1.Key=v`, recursively.
    RepeatList,
    /// `Name.Key=v` for objects, `Name.1=v` for lists, recursively.
    Flat,
    /// One parameter holding compact JSON (non-ASCII kept as it is).
    Json,
    /// A list as one comma-joined value.
    Simple,
}

/// The parameters of one request, in the order they were added.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Params {
    /// Query-string pairs (not yet encoded).
    pub query: Vec<(String, String)>,
    /// Form-body pairs (not yet encoded).
    pub form: Vec<(String, String)>,
    /// Header parameters (name, value).
    pub headers: Vec<(String, String)>,
    /// ROA path parameters (name, value), not yet encoded.
    pub path: Vec<(String, String)>,
    /// The ROA body parameter's value.
    pub body: Option<Value>,
}

impl Params {
    /// No parameters.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an optional parameter: nothing when `None`.
    pub fn put<T: ToJson + ?Sized>(
        &mut self,
        name: &str,
        location: Location,
        style: Style,
        value: Option<&T>,
    ) {
        if let Some(v) = value {
            match v.to_json() {
                // A string is its own wire text in every style: moved, not copied.
                Value::String(s) if location != Location::Body => {
                    if let Some(out) = self.pairs(location) {
                        out.push((name.to_owned(), s));
                    }
                }
                other => self.put_value(name, location, style, &other),
            }
        }
    }

    /// The pairs of `location`; `None` for the ROA body, which is a JSON value.
    fn pairs(&mut self, location: Location) -> Option<&mut Vec<(String, String)>> {
        match location {
            Location::Query => Some(&mut self.query),
            Location::Form => Some(&mut self.form),
            Location::Header => Some(&mut self.headers),
            Location::Path => Some(&mut self.path),
            Location::Body => None,
        }
    }

    /// Adds a parameter from its JSON form.
    pub fn put_value(&mut self, name: &str, location: Location, style: Style, value: &Value) {
        let Some(out) = self.pairs(location) else {
            // The ROA body parameter: its JSON value, serialised when the request is built.
            if !value.is_null() {
                self.body = Some(value.clone());
            }
            return;
        };
        match style {
            Style::Json => match value {
                Value::Null => {}
                Value::String(s) => out.push((name.to_owned(), s.clone())),
                other => out.push((name.to_owned(), other.to_string())),
            },
            Style::Simple => match value {
                Value::Array(items) => {
                    let joined = items
                        .iter()
                        .filter_map(scalar)
                        .collect::<Vec<_>>()
                        .join(",");
                    out.push((name.to_owned(), joined));
                }
                other => flatten(out, name.to_owned(), other),
            },
            Style::Plain | Style::RepeatList | Style::Flat => flatten(out, name.to_owned(), value),
        }
    }
}

/// The wire text of a scalar; `None` for null, lists and objects.
fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(if *b { "true" } else { "false" }.to_owned()),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}

/// Flattens `value` under `prefix`: lists as `prefix.N` (from 1), objects as `prefix.Key`.
fn flatten(out: &mut Vec<(String, String)>, prefix: String, value: &Value) {
    match value {
        Value::Null => {}
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                flatten(out, format!("{prefix}.{}", i + 1), item);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                flatten(out, format!("{prefix}.{k}"), v);
            }
        }
        scalar_value => {
            if let Some(s) = scalar(scalar_value) {
                out.push((prefix, s));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn query(style: Style, value: Value) -> Vec<(String, String)> {
        let mut p = Params::new();
        p.put_value("P", Location::Query, style, &value);
        p.query
    }

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn scalars_are_plain_text() {
        assert_eq!(query(Style::Plain, json!("a b")), pairs(&[("P", "a b")]));
        assert_eq!(query(Style::Plain, json!(true)), pairs(&[("P", "true")]));
        assert_eq!(query(Style::Plain, json!(12)), pairs(&[("P", "12")]));
        assert_eq!(query(Style::Plain, json!(1.5)), pairs(&[("P", "1.5")]));
        assert!(query(Style::Plain, Value::Null).is_empty());
    }

    #[test]
    fn repeat_list_recurses_through_lists_of_objects() {
        let v = json!([{"Key": "k1", "Values": ["a", "b"]}, {"Key": "k2", "Flag": false}]);
        assert_eq!(
            query(Style::RepeatList, v),
            pairs(&[
                ("P.1.Key", "k1"),
                ("P.1.Values.1", "a"),
                ("P.1.Values.2", "b"),
                ("P.2.Key", "k2"),
                ("P.2.Flag", "false"),
            ])
        );
    }

    #[test]
    fn flat_writes_object_keys() {
        assert_eq!(
            query(Style::Flat, json!({"A": 1, "B": {"C": "x"}})),
            pairs(&[("P.A", "1"), ("P.B.C", "x")])
        );
    }

    #[test]
    fn json_is_compact_and_keeps_non_ascii() {
        assert_eq!(
            query(Style::Json, json!({"Name": "中 文", "N": [1, 2]})),
            pairs(&[("P", r#"{"Name":"中 文","N":[1,2]}"#)]),
            "members keep their order, as the official SDKs send them"
        );
        assert_eq!(query(Style::Json, json!("raw")), pairs(&[("P", "raw")]));
    }

    #[test]
    fn simple_joins_with_commas() {
        assert_eq!(
            query(Style::Simple, json!(["a", 2, true])),
            pairs(&[("P", "a,2,true")])
        );
    }

    #[test]
    fn a_string_is_written_alike_in_every_style() {
        for style in [
            Style::Plain,
            Style::RepeatList,
            Style::Flat,
            Style::Json,
            Style::Simple,
        ] {
            let mut p = Params::new();
            p.put("P", Location::Query, style, Some("a b"));
            assert_eq!(p.query, query(style, json!("a b")), "{style:?}");
        }
    }

    #[test]
    fn form_parameters_go_to_the_body() {
        let mut p = Params::new();
        p.put("F", Location::Form, Style::Plain, Some("v"));
        assert!(p.query.is_empty());
        assert_eq!(p.form, pairs(&[("F", "v")]));
    }
}
