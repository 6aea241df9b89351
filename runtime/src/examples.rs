//! Documented-example checks for generated crates' tests (feature `test-util`): an example
//! must decode into its response type and encode back to an equivalent document.

use crate::json::{number_to_integer, FromJson, Members, ToJson};
use crate::wire::truncate;
use serde_json::{Number, Value};

/// Checks that `decoded` holds the same data as `original` up to the lossless conversions of
/// [`FromJson`]: `"5"` and `5`, `"True"` and `true`, `5.0` and `5`, a one-item list and its item,
/// `null` and absence. Returns the JSON path of the first difference.
pub fn equivalent(original: &Value, decoded: &Value) -> Result<(), String> {
    equivalent_at(original, decoded, "$")
}

/// Checks a documented response example against its response type `T`: it must parse, decode,
/// and encode back to an equivalent document (see [`equivalent`]). Returns the JSON paths of the
/// members that decoding kept in an `extra_fields` map (undeclared, or not of their declared type):
/// not an error, but worth a look.
pub fn check_example<T: FromJson + ToJson>(example: &str) -> Result<Vec<String>, String> {
    let value: Value = serde_json::from_str(example)
        .map_err(|e| format!("the documented example is not JSON: {e}"))?;
    let decoded = T::from_json(value.clone()).map_err(|v| {
        format!(
            "the example does not decode: {}",
            truncate(&v.to_string(), 200)
        )
    })?;
    equivalent(&value, &decoded.to_json())
        .map_err(|d| format!("decoding lost or changed data: {d}"))?;
    let typed = decoded.to_json_in(Members::Declared);
    let mut kept = Vec::new();
    missing_paths(&value, &typed, "$", &mut kept);
    Ok(kept)
}

/// Test helper for generated crates: panics with the reason when [`check_example`] fails, and
/// prints `kept in extra_fields: <paths>` when members were kept.
pub fn assert_example_decodes<T: FromJson + ToJson>(example: &str) {
    match check_example::<T>(example) {
        Ok(kept) if kept.is_empty() => {}
        Ok(kept) => println!("kept in extra_fields: {}", kept.join(", ")),
        Err(e) => panic!("{e}"),
    }
}

/// Paths of non-null members of `original` that `typed` lacks.
fn missing_paths(original: &Value, typed: &Value, path: &str, out: &mut Vec<String>) {
    match (original, typed) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, v) in x {
                let p = format!("{path}.{k}");
                match y.get(k) {
                    Some(w) => missing_paths(v, w, &p, out),
                    None if v.is_null() => {}
                    None => out.push(p),
                }
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (v, w)) in x.iter().zip(y).enumerate() {
                missing_paths(v, w, &format!("{path}[{i}]"), out);
            }
        }
        (Value::Array(x), other) if x.len() == 1 => missing_paths(&x[0], other, path, out),
        (other, Value::Array(y)) if y.len() == 1 => missing_paths(other, &y[0], path, out),
        _ => {}
    }
}

fn equivalent_at(a: &Value, b: &Value, path: &str) -> Result<(), String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, v) in x {
                let p = format!("{path}.{k}");
                match y.get(k) {
                    Some(w) => equivalent_at(v, w, &p)?,
                    None if v.is_null() => {}
                    None => return Err(format!("{p} is missing after decoding")),
                }
            }
            for (k, w) in y {
                if !x.contains_key(k) && !w.is_null() {
                    return Err(format!("{path}.{k} appeared after decoding"));
                }
            }
            Ok(())
        }
        (Value::Array(x), Value::Array(y)) => {
            if x.len() != y.len() {
                return Err(format!(
                    "{path} has {} items, {} after decoding",
                    x.len(),
                    y.len()
                ));
            }
            for (i, (v, w)) in x.iter().zip(y).enumerate() {
                equivalent_at(v, w, &format!("{path}[{i}]"))?;
            }
            Ok(())
        }
        (Value::Array(x), other) if x.len() == 1 => equivalent_at(&x[0], other, path),
        (other, Value::Array(y)) if y.len() == 1 => equivalent_at(other, &y[0], path),
        _ => {
            let same_scalar = scalar_key(a).is_some() && scalar_key(a) == scalar_key(b);
            if same_scalar || bit_and_bool(a, b) || (a.is_null() && b.is_null()) {
                Ok(())
            } else {
                Err(format!("{path} was {a}, {b} after decoding"))
            }
        }
    }
}

/// `1` and `true`, `0` and `false`: the one conversion between a number and a boolean that
/// `bool`'s [`FromJson`] makes.
fn bit_and_bool(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(n), Value::Bool(v)) | (Value::Bool(v), Value::Number(n)) => {
            n.as_u64() == Some(u64::from(*v))
        }
        _ => false,
    }
}

/// A scalar's value for comparison across lossless conversions.
fn scalar_key(v: &Value) -> Option<String> {
    match v {
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(number_key(n)),
        Value::String(s) => {
            let t = s.trim();
            if t.eq_ignore_ascii_case("true") || t.eq_ignore_ascii_case("false") {
                return Some(t.to_ascii_lowercase());
            }
            // Every spelling the conversions read as a number (`+5`, `.5`, `5.`) compares as one.
            if let Ok(i) = t.parse::<i128>() {
                return Some(i.to_string());
            }
            if let Ok(n) = serde_json::from_str::<Number>(t) {
                return Some(number_key(&n));
            }
            match t.parse::<f64>().ok().and_then(Number::from_f64) {
                Some(n) => Some(number_key(&n)),
                None => Some(s.clone()),
            }
        }
        _ => None,
    }
}

fn number_key(n: &Number) -> String {
    match (number_to_integer(n), n.as_f64()) {
        (Some(i), _) => i.to_string(),
        // A whole float beyond 2^63 compares with the integer it holds exactly.
        (None, Some(f)) if f.fract() == 0.0 && f.abs() < 8.507_059_173_023_462e37 => {
            (f as i128).to_string()
        }
        (None, Some(f)) => f.to_string(),
        (None, None) => n.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::{Fields, ObjectWriter};
    use serde_json::{json, Map};

    #[test]
    fn equivalence_allows_lossless_conversions_only() {
        assert!(equivalent(
            &json!({"A": "5", "B": "True", "C": null}),
            &json!({"A": 5, "B": true})
        )
        .is_ok());
        assert!(equivalent(&json!({"A": [{"X": 1}]}), &json!({"A": {"X": 1}})).is_ok());
        // What bool's FromJson accepts, the check accepts (found by fuzzing).
        assert!(equivalent(&json!({"A": 1, "B": 0}), &json!({"A": true, "B": false})).is_ok());
        assert!(equivalent(&json!(["+0", ".5", "5.", " 7 "]), &json!([0, 0.5, 5, 7])).is_ok());
        assert!(equivalent(&json!({"A": 2}), &json!({"A": true})).is_err());
        assert!(equivalent(&json!({"A": 1}), &json!({"A": false})).is_err());
        assert!(equivalent(&json!({"A": 1.5}), &json!({"A": 1})).is_err());
        assert!(equivalent(&json!({"A": 1}), &json!({})).is_err());
        assert!(equivalent(&json!({}), &json!({"A": 1})).is_err());
        assert!(equivalent(&json!([1, 2]), &json!([1])).is_err());
    }

    struct Typed {
        a: Option<i32>,
        extra: Map<String, Value>,
    }
    impl FromJson for Typed {
        fn from_json(value: Value) -> Result<Self, Value> {
            let mut f = Fields::new(value)?;
            Ok(Typed {
                a: f.take("A"),
                extra: f.finish(),
            })
        }
    }
    /// As generated code writes a type with `extra_fields`.
    impl ToJson for Typed {
        fn to_json(&self) -> Value {
            self.to_json_in(Members::All)
        }
        fn to_json_in(&self, members: Members) -> Value {
            let mut w = ObjectWriter::with_members(members);
            w.field("A", &self.a);
            w.extra(&self.extra);
            w.finish()
        }
    }

    #[test]
    fn example_checks_list_what_was_kept() {
        assert_eq!(check_example::<Typed>(r#"{"A": "5"}"#), Ok(vec![]));
        assert_eq!(
            check_example::<Typed>(r#"{"A": 1.5, "B": {"C": 1}, "D": null}"#),
            Ok(vec!["$.A".to_owned(), "$.B".to_owned()])
        );
        assert!(check_example::<Typed>("[1, 2]")
            .unwrap_err()
            .contains("does not decode"));
        assert!(check_example::<Typed>("{")
            .unwrap_err()
            .contains("not JSON"));
        // The extra members are written back outside the check.
        let t = Typed::from_json(serde_json::json!({"B": 2})).unwrap();
        assert_eq!(t.to_json(), serde_json::json!({"B": 2}));
    }
}
