//! Lenient JSON conversion between the wire and generated types.
//!
//! Alibaba Cloud responses do not always match their declared types: numbers arrive as strings,
//! booleans as `"True"`, an object where an array is declared. [`FromJson`] converts whatever can be
//! converted without loss and hands back the original value otherwise; generated structs keep such
//! values (and every field the spec does not know) in their `extra_fields` map, so nothing the
//! server sent is ever dropped.

use crate::wire::truncate;
use serde_json::{Map, Number, Value};
use std::collections::BTreeMap;

/// Conversion from a JSON value that never fails destructively.
pub trait FromJson: Sized {
    /// Converts `value`; when it cannot be converted without loss, returns it unchanged.
    fn from_json(value: Value) -> Result<Self, Value>;
}

/// Conversion into a JSON value (response printing, `json`-style parameters, flattening).
pub trait ToJson {
    /// The JSON form of `self`, with the wire names as keys.
    fn to_json(&self) -> Value;

    /// The JSON form with only `members`: [`Members::Declared`] leaves out what decoding kept in
    /// `extra_fields`, at every depth. Types without `extra_fields` need not implement it.
    fn to_json_in(&self, members: Members) -> Value {
        let _ = members;
        self.to_json()
    }
}

/// Which members a generated struct writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Members {
    /// Every member, `extra_fields` included: what the server sent.
    #[default]
    All,
    /// The members the spec declares, without `extra_fields`.
    Declared,
}

/// Reads the fields of a JSON object into a generated struct, one at a time. What is not taken
/// (undeclared members, and values that do not convert) stays in place, in the object's order,
/// for [`Fields::finish`].
#[derive(Debug, Default)]
pub struct Fields {
    map: Map<String, Value>,
    /// The members taken (their slots now hold `null`).
    taken: Vec<&'static str>,
}

impl Fields {
    /// Starts reading `value`. An object is read as it is; an array holding exactly one object is
    /// read as that object (a common server quirk); anything else is handed back.
    pub fn new(value: Value) -> Result<Self, Value> {
        match value {
            Value::Object(map) => Ok(Fields::of(map)),
            Value::Array(mut items)
                if items.len() == 1 && matches!(items.first(), Some(Value::Object(_))) =>
            {
                match items.pop() {
                    Some(Value::Object(map)) => Ok(Fields::of(map)),
                    _ => unreachable!("checked above"),
                }
            }
            other => Err(other),
        }
    }

    fn of(map: Map<String, Value>) -> Self {
        Fields {
            taken: Vec::with_capacity(map.len()),
            map,
        }
    }

    /// Takes the field named `key`. `null` and absence give `None`; a value that does not convert
    /// gives `None` and is kept, in place, for [`Fields::finish`].
    pub fn take<T: FromJson>(&mut self, key: &'static str) -> Option<T> {
        let slot = self.map.get_mut(key)?;
        match std::mem::take(slot) {
            Value::Null => {
                self.taken.push(key);
                None
            }
            value => match T::from_json(value) {
                Ok(v) => {
                    self.taken.push(key);
                    Some(v)
                }
                Err(original) => {
                    *slot = original;
                    None
                }
            },
        }
    }

    /// Returns the members that were not taken (undeclared ones, and values that did not
    /// convert), in the object's order.
    pub fn finish(mut self) -> Map<String, Value> {
        if self.taken.len() == self.map.len() {
            // Every member was declared and converted (the common case).
            self.map.clear();
        } else if !self.taken.is_empty() {
            let taken = &self.taken;
            // A taken slot holds `null`; only those need the name check.
            self.map
                .retain(|k, v| !(v.is_null() && taken.contains(&k.as_str())));
        }
        self.map
    }
}

/// Builds the JSON object of a generated struct.
#[derive(Debug, Default)]
pub struct ObjectWriter {
    map: Map<String, Value>,
    members: Members,
}

impl ObjectWriter {
    /// An empty object that will hold every member.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty object that will hold `members`.
    pub fn with_members(members: Members) -> Self {
        Self {
            map: Map::new(),
            members,
        }
    }

    /// Writes `value` under `key` when present.
    pub fn field<T: ToJson>(&mut self, key: &str, value: &Option<T>) -> &mut Self {
        if let Some(v) = value {
            self.map.insert(key.to_owned(), v.to_json_in(self.members));
        }
        self
    }

    /// Writes a required `value` under `key`.
    pub fn required<T: ToJson>(&mut self, key: &str, value: &T) -> &mut Self {
        self.map
            .insert(key.to_owned(), value.to_json_in(self.members));
        self
    }

    /// Adds the kept extra fields (which never override declared ones), unless only the
    /// declared members are written.
    pub fn extra(&mut self, extra: &Map<String, Value>) -> &mut Self {
        if self.members == Members::Declared {
            return self;
        }
        for (k, v) in extra {
            self.map.entry(k.clone()).or_insert_with(|| v.clone());
        }
        self
    }

    /// The finished object.
    pub fn finish(&mut self) -> Value {
        Value::Object(std::mem::take(&mut self.map))
    }
}

impl FromJson for String {
    fn from_json(value: Value) -> Result<Self, Value> {
        match value {
            Value::String(s) => Ok(s),
            Value::Number(n) => Ok(n.to_string()),
            Value::Bool(b) => Ok(b.to_string()),
            other => Err(other),
        }
    }
}

impl ToJson for String {
    fn to_json(&self) -> Value {
        Value::String(self.clone())
    }
}

impl ToJson for str {
    fn to_json(&self) -> Value {
        Value::String(self.to_owned())
    }
}

impl FromJson for bool {
    fn from_json(value: Value) -> Result<Self, Value> {
        match &value {
            Value::Bool(b) => Ok(*b),
            Value::String(s) if s.eq_ignore_ascii_case("true") => Ok(true),
            Value::String(s) if s.eq_ignore_ascii_case("false") => Ok(false),
            Value::Number(n) if n.as_u64() == Some(1) => Ok(true),
            Value::Number(n) if n.as_u64() == Some(0) => Ok(false),
            _ => Err(value),
        }
    }
}

impl ToJson for bool {
    fn to_json(&self) -> Value {
        Value::Bool(*self)
    }
}

/// Reads an integer without loss: a JSON integer, a float with no fraction, or a string holding
/// either.
fn integer(value: &Value) -> Option<i128> {
    match value {
        Value::Number(n) => number_to_integer(n),
        Value::String(s) => {
            let t = s.trim();
            if let Ok(i) = t.parse::<i128>() {
                return Some(i);
            }
            let n: Number = serde_json::from_str(t).ok()?;
            number_to_integer(&n)
        }
        _ => None,
    }
}

pub(crate) fn number_to_integer(n: &Number) -> Option<i128> {
    if let Some(i) = n.as_i64() {
        return Some(i.into());
    }
    if let Some(u) = n.as_u64() {
        return Some(u.into());
    }
    let f = n.as_f64()?;
    // Exact integers only: 2^63 bounds keep the cast lossless.
    if f.fract() == 0.0 && f.abs() < 9.223_372_036_854_776e18 {
        Some(f as i128)
    } else {
        None
    }
}

macro_rules! integer_json {
    ($($t:ty),*) => {$(
        impl FromJson for $t {
            fn from_json(value: Value) -> Result<Self, Value> {
                match integer(&value).and_then(|i| <$t>::try_from(i).ok()) {
                    Some(v) => Ok(v),
                    None => Err(value),
                }
            }
        }
        impl ToJson for $t {
            fn to_json(&self) -> Value {
                Value::from(*self)
            }
        }
    )*};
}
integer_json!(i32, i64, u32, u64);

/// Reads a float: a JSON number or a string holding one. An integer converts only when the
/// float holds it exactly (an id such as `60385406611343049` is not rounded).
fn float(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => exact_float(i.into()),
            (None, Some(u)) => exact_float(u.into()),
            _ => n.as_f64(),
        },
        Value::String(s) => {
            let t = s.trim();
            match t.parse::<i128>() {
                Ok(i) => exact_float(i),
                Err(_) => t.parse::<f64>().ok().filter(|f| f.is_finite()),
            }
        }
        _ => None,
    }
}

/// `i` as a float, when no precision is lost.
fn exact_float(i: i128) -> Option<f64> {
    let f = i as f64;
    // Below 2^126 the cast back cannot saturate, so equality means the float is exact.
    (f.abs() < 8.507_059_173_023_462e37 && f as i128 == i).then_some(f)
}

impl FromJson for f64 {
    fn from_json(value: Value) -> Result<Self, Value> {
        float(&value).ok_or(value)
    }
}

impl ToJson for f64 {
    fn to_json(&self) -> Value {
        Number::from_f64(*self).map_or(Value::Null, Value::Number)
    }
}

impl FromJson for f32 {
    /// Narrowing is accepted only when [`ToJson`] writes the same number back: a whole number
    /// the `f32` holds exactly (`44888888`), or a fraction whose shortest `f32` decimal is the
    /// same number (`0.1`). A whole number the `f32` only approximates (`44888890`, which is
    /// `44888888` as an `f32`) is handed back.
    fn from_json(value: Value) -> Result<Self, Value> {
        match float(&value) {
            Some(f) if f.fract() == 0.0 && f64::from(f as f32) == f => Ok(f as f32),
            Some(f) if f.fract() != 0.0 && shortest(f as f32) == Some(f) => Ok(f as f32),
            _ => Err(value),
        }
    }
}

/// The shortest decimal that reads back as `f`, as an `f64` (`0.1f32` → `0.1`).
fn shortest(f: f32) -> Option<f64> {
    f.to_string().parse::<f64>().ok()
}

impl ToJson for f32 {
    fn to_json(&self) -> Value {
        let exact = f64::from(*self);
        // Whole numbers exactly (`44888888`, which the shortest form would write `44888890`);
        // fractions through the shortest decimal form, so 0.1f32 prints as 0.1.
        let f = if exact.fract() == 0.0 {
            Some(exact)
        } else {
            shortest(*self)
        };
        f.and_then(Number::from_f64)
            .map_or(Value::Null, Value::Number)
    }
}

impl FromJson for Value {
    fn from_json(value: Value) -> Result<Self, Value> {
        Ok(value)
    }
}

impl ToJson for Value {
    fn to_json(&self) -> Value {
        self.clone()
    }
}

impl<T: FromJson + ToJson> FromJson for Vec<T> {
    /// An array converts item by item, all or nothing (on failure the array is handed back with
    /// the converted items re-encoded); a single non-array value becomes a one-item list, as
    /// servers send for lists of one.
    fn from_json(value: Value) -> Result<Self, Value> {
        match value {
            Value::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                let mut iter = items.into_iter();
                while let Some(item) = iter.next() {
                    match T::from_json(item) {
                        Ok(v) => out.push(v),
                        Err(bad) => {
                            let mut original: Vec<Value> =
                                out.iter().map(ToJson::to_json).collect();
                            original.push(bad);
                            original.extend(iter);
                            return Err(Value::Array(original));
                        }
                    }
                }
                Ok(out)
            }
            Value::Null => Err(Value::Null),
            single => T::from_json(single).map(|v| vec![v]),
        }
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn to_json(&self) -> Value {
        Value::Array(self.iter().map(ToJson::to_json).collect())
    }
    fn to_json_in(&self, members: Members) -> Value {
        Value::Array(self.iter().map(|v| v.to_json_in(members)).collect())
    }
}

impl<T: FromJson> FromJson for Box<T> {
    fn from_json(value: Value) -> Result<Self, Value> {
        T::from_json(value).map(Box::new)
    }
}

impl<T: ToJson + ?Sized> ToJson for Box<T> {
    fn to_json(&self) -> Value {
        (**self).to_json()
    }
    fn to_json_in(&self, members: Members) -> Value {
        (**self).to_json_in(members)
    }
}

impl<T: ToJson + ?Sized> ToJson for &T {
    fn to_json(&self) -> Value {
        (**self).to_json()
    }
    fn to_json_in(&self, members: Members) -> Value {
        (**self).to_json_in(members)
    }
}

impl<T: FromJson + ToJson> FromJson for BTreeMap<String, T> {
    /// An object converts value by value, all or nothing (on failure the object is handed back
    /// with the converted values re-encoded).
    fn from_json(value: Value) -> Result<Self, Value> {
        let Value::Object(map) = value else {
            return Err(value);
        };
        let mut out = BTreeMap::new();
        let mut iter = map.into_iter();
        while let Some((k, v)) = iter.next() {
            match T::from_json(v) {
                Ok(t) => {
                    out.insert(k, t);
                }
                Err(bad) => {
                    let mut original: Map<String, Value> =
                        out.iter().map(|(k, v)| (k.clone(), v.to_json())).collect();
                    original.insert(k, bad);
                    original.extend(iter);
                    return Err(Value::Object(original));
                }
            }
        }
        Ok(out)
    }
}

impl<T: ToJson> ToJson for BTreeMap<String, T> {
    fn to_json(&self) -> Value {
        Value::Object(self.iter().map(|(k, v)| (k.clone(), v.to_json())).collect())
    }
    fn to_json_in(&self, members: Members) -> Value {
        Value::Object(
            self.iter()
                .map(|(k, v)| (k.clone(), v.to_json_in(members)))
                .collect(),
        )
    }
}

/// Implements `serde::Serialize` and `serde::Deserialize` for generated types through
/// [`ToJson`] and [`FromJson`], so a type costs two small impls instead of a serde derive.
/// Generated crates call it under their `serde` feature (off by default: the impls are a sixth
/// of a whole crate's build memory, and `ToJson::to_json` gives the JSON without them).
#[macro_export]
macro_rules! impl_serde {
    ($($t:ty),* $(,)?) => {$(
        impl $crate::__private::serde::Serialize for $t {
            fn serialize<S: $crate::__private::serde::Serializer>(&self, s: S) -> ::core::result::Result<S::Ok, S::Error> {
                $crate::__private::serde::Serialize::serialize(&$crate::json::ToJson::to_json(self), s)
            }
        }
        impl<'de> $crate::__private::serde::Deserialize<'de> for $t {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(d: D) -> ::core::result::Result<Self, D::Error> {
                $crate::json::deserialize_via_json(d)
            }
        }
    )*};
}

/// The JSON conversions of a generated response struct, from its table of fields:
/// `response_json!(Name { field = "Wire", … })`. Every field is an `Option`, and the struct has
/// an `extra_fields` map for what the spec does not declare or what did not convert. It
/// implements [`ToJson`] (with [`Members`]) and [`FromJson`] (through [`Fields`]); serde's
/// traits are [`impl_serde!`]'s, under the generated crate's `serde` feature.
#[macro_export]
macro_rules! response_json {
    ($t:ident { $($f:ident = $w:literal),* $(,)? }) => {
        #[allow(deprecated)]
        impl $crate::json::ToJson for $t {
            #[inline]
            fn to_json(&self) -> $crate::Value {
                self.to_json_in($crate::json::Members::All)
            }
            #[inline]
            fn to_json_in(&self, members: $crate::json::Members) -> $crate::Value {
                let mut w = $crate::json::ObjectWriter::with_members(members);
                $(w.field($w, &self.$f);)*
                w.extra(&self.extra_fields);
                w.finish()
            }
        }
        #[allow(deprecated)]
        impl $crate::json::FromJson for $t {
            #[inline]
            fn from_json(value: $crate::Value) -> ::core::result::Result<Self, $crate::Value> {
                let mut f = $crate::json::Fields::new(value)?;
                ::core::result::Result::Ok(Self {
                    $($f: f.take($w),)*
                    extra_fields: f.finish(),
                })
            }
        }
    };
}

/// The JSON form of a generated request object (a structured parameter), from its table of
/// fields: `object_json!(Name { field = "Wire", other = "Other" required, … })`; a field marked
/// `required` is not an `Option`. It implements [`ToJson`].
#[macro_export]
macro_rules! object_json {
    ($t:ident { $($f:ident = $w:literal $($required:ident)?),* $(,)? }) => {
        #[allow(deprecated)]
        impl $crate::json::ToJson for $t {
            #[inline]
            fn to_json(&self) -> $crate::Value {
                let mut w = $crate::json::ObjectWriter::new();
                $($crate::object_json!(@write w, $w, &self.$f $(, $required)?);)*
                w.finish()
            }
        }
    };
    (@write $w:ident, $key:literal, $v:expr, required) => {
        $w.required($key, $v)
    };
    (@write $w:ident, $key:literal, $v:expr) => {
        $w.field($key, $v)
    };
}

/// Deserializes any [`FromJson`] type through a JSON value (used by [`impl_serde!`]).
pub fn deserialize_via_json<'de, T: FromJson, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<T, D::Error> {
    let value = <Value as serde::Deserialize>::deserialize(d)?;
    T::from_json(value).map_err(|v| {
        <D::Error as serde::de::Error>::custom(format_args!(
            "value does not convert: {}",
            truncate(&v.to_string(), 200)
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_convert_losslessly_or_not_at_all() {
        assert_eq!(i64::from_json(json!(1644286364150_i64)), Ok(1644286364150));
        assert_eq!(i64::from_json(json!("1644286364150")), Ok(1644286364150));
        assert_eq!(i32::from_json(json!(5.0)), Ok(5));
        assert_eq!(i32::from_json(json!("5.0")), Ok(5));
        assert_eq!(i32::from_json(json!(5.5)), Err(json!(5.5)));
        assert_eq!(
            i32::from_json(json!(3_000_000_000_i64)),
            Err(json!(3_000_000_000_i64))
        );
        assert_eq!(i64::from_json(json!("")), Err(json!("")));
        assert_eq!(f64::from_json(json!("1.5")), Ok(1.5));
        assert_eq!(f32::from_json(json!(0.1)), Ok(0.1));
        // Integers beyond 2^53 do not fit a float exactly: kept, not rounded (found by a
        // property test).
        assert_eq!(
            f64::from_json(json!(9_007_199_254_740_992_u64)),
            Ok(9.007_199_254_740_992e15)
        );
        assert_eq!(
            f64::from_json(json!(60385406611343049_u64)),
            Err(json!(60385406611343049_u64))
        );
        assert_eq!(
            f64::from_json(json!("60385406611343049")),
            Err(json!("60385406611343049"))
        );
        assert_eq!(f64::from_json(json!("-12")), Ok(-12.0));
        // f32: what converts is written back as the same number (found by fuzzing).
        assert_eq!(f32::from_json(json!(44888888)), Ok(44888888.0));
        assert_eq!(44888888f32.to_json(), json!(44888888.0));
        assert_eq!(f32::from_json(json!(44888890)), Err(json!(44888890)));
        assert_eq!(f32::from_json(json!(1.5)), Ok(1.5));
        assert_eq!(0.1f32.to_json(), json!(0.1));
    }

    #[test]
    fn booleans_accept_strings_and_bits() {
        assert_eq!(bool::from_json(json!("True")), Ok(true));
        assert_eq!(bool::from_json(json!("false")), Ok(false));
        assert_eq!(bool::from_json(json!(1)), Ok(true));
        assert_eq!(bool::from_json(json!("yes")), Err(json!("yes")));
    }

    #[test]
    fn strings_accept_scalars() {
        assert_eq!(String::from_json(json!(12)), Ok("12".to_owned()));
        assert_eq!(String::from_json(json!({"a": 1})), Err(json!({"a": 1})));
    }

    #[test]
    fn lists_accept_single_values_and_fail_whole() {
        assert_eq!(Vec::<i32>::from_json(json!(7)), Ok(vec![7]));
        assert_eq!(Vec::<i32>::from_json(json!(["1", 2])), Ok(vec![1, 2]));
        assert_eq!(
            Vec::<i32>::from_json(json!([1, "x", 3])),
            Err(json!([1, "x", 3]))
        );
    }

    #[test]
    fn fields_keep_what_does_not_convert() {
        let mut f = Fields::new(json!({"A": "x", "B": 1, "C": null, "D": true})).unwrap();
        assert_eq!(f.take::<i32>("A"), None);
        assert_eq!(f.take::<i32>("B"), Some(1));
        assert_eq!(f.take::<i32>("C"), None);
        let rest = f.finish();
        assert_eq!(Value::Object(rest), json!({"A": "x", "D": true}));
        // What is kept stays in the object's order (a kept value is not moved to the end).
        let mut f = Fields::new(json!({"Z": 1, "A": "x", "M": 2, "B": 3})).unwrap();
        assert_eq!(f.take::<i32>("B"), Some(3));
        assert_eq!(f.take::<i32>("A"), None);
        let keys: Vec<String> = f.finish().keys().cloned().collect();
        assert_eq!(keys, ["Z", "A", "M"]);
    }

    #[test]
    fn an_array_of_one_object_reads_as_the_object() {
        assert!(Fields::new(json!([{"A": 1}])).is_ok());
        assert!(Fields::new(json!([{"A": 1}, {"A": 2}])).is_err());
        assert!(Fields::new(json!("s")).is_err());
    }
}
