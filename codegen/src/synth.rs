//! Synthesised responses: for every operation, a JSON body with every declared member present
//! and a value of its declared type (nested lists, objects and maps included), and the generated
//! test file `tests/responses.rs` checking that each decodes with nothing left in
//! `extra_fields` and encodes back to the same document.

use crate::ir::{CrateIr, ResponseIr};
use crate::spec::{Schema, SchemaType};
use indexmap::IndexMap;
use quote::{format_ident, quote};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// How deep `$ref`s are followed before a recursive schema stops (as an empty object).
const MAX_REF_DEPTH: usize = 6;

/// A value of `schema`'s type with every declared member present.
pub fn value(schema: &Schema, components: &IndexMap<String, Schema>) -> Value {
    value_at(schema, components, 0)
}

fn value_at(s: &Schema, comps: &IndexMap<String, Schema>, refs: usize) -> Value {
    if let Some(r) = &s.reference {
        let target = r.rsplit('/').next().and_then(|n| comps.get(n));
        return match target {
            Some(t) if refs < MAX_REF_DEPTH => value_at(t, comps, refs + 1),
            _ => json!({}),
        };
    }
    let ty = s.ty.unwrap_or(if s.properties.is_some() {
        SchemaType::Object
    } else {
        SchemaType::Any
    });
    match ty {
        SchemaType::String => {
            let first = s.enum_values.as_ref().and_then(|v| v.first());
            Value::String(first.map_or_else(|| "text".to_owned(), |v| v.0.clone()))
        }
        SchemaType::Integer => match s.format.as_deref() {
            Some("int32") => json!(7),
            _ => json!(1_234_567_890_123_i64),
        },
        SchemaType::Number => match s.format.as_deref() {
            Some("float") => json!(1.5),
            _ => json!(2.25),
        },
        SchemaType::Boolean => json!(true),
        SchemaType::Array => match &s.items {
            Some(i) => {
                let v = value_at(i, comps, refs);
                Value::Array(vec![v.clone(), v])
            }
            None => json!([]),
        },
        SchemaType::Object => {
            let mut m = Map::new();
            if let Some(props) = &s.properties {
                for (k, v) in props {
                    m.insert(k.clone(), value_at(v, comps, refs));
                }
            } else if let Some(ap) = &s.additional_properties {
                m.insert("key1".to_owned(), value_at(ap, comps, refs));
            } else {
                m.insert("key1".to_owned(), json!("value"));
            }
            Value::Object(m)
        }
        SchemaType::Any => json!({"k": [1, "x", true]}),
    }
}

/// `tests/responses.rs` of a crate: one test per operation whose response is a struct, decoding
/// `bodies[action]`.
pub fn responses_rs(
    ir: &CrateIr,
    bodies: &BTreeMap<String, String>,
    label: &str,
) -> Result<String, String> {
    let krate = format_ident!("{}", ir.product.crate_name.replace('-', "_"));
    let tests = ir.operations.iter().filter_map(|o| {
        let body = bodies.get(&o.action)?;
        let resp = match &o.response {
            ResponseIr::Struct(s) => format_ident!("{}", s.name),
            ResponseIr::Alias { name, .. } => format_ident!("{}", name),
        };
        let name = format_ident!("full_{}", o.module.trim_start_matches("r#"));
        Some(quote! {
            #[test]
            fn #name() {
                full::<#krate::#resp>(#body);
            }
        })
    });
    let tokens = quote! {
        //! Decodes, for every operation, a response synthesised from its spec (every declared
        //! member present, with a value of its type) and checks that nothing is left in
        //! `extra_fields` and that encoding it again gives back the same document.
        #![allow(deprecated)]
        use alibabacloud_runtime::{FromJson, ToJson};

        fn full<T: FromJson + ToJson>(body: &str) {
            match alibabacloud_runtime::examples::check_example::<T>(body) {
                Ok(kept) => assert!(kept.is_empty(), "kept in extra_fields: {}", kept.join(", ")),
                Err(e) => panic!("{e}"),
            }
        }
        #(#tests)*
    };
    crate::emit::render(
        &crate::emit::header(&format!("{label} (synthesised responses)")),
        tokens,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_member_is_present_with_a_value_of_its_type() {
        let schema: Schema = serde_json::from_value(json!({
            "type": "object",
            "properties": {
                "S": {"type": "string", "enum": ["B", "A"]},
                "I": {"type": "integer", "format": "int32"},
                "L": {"type": "integer", "format": "int64"},
                "F": {"type": "number", "format": "float"},
                "D": {"type": "number", "format": "double"},
                "B": {"type": "boolean"},
                "List": {"type": "array", "items": {"type": "object", "properties": {"X": {"type": "string"}}}},
                "Map": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "integer"}}},
                "Ref": {"$ref": "#/components/schemas/Node"},
                "Any": {"type": "any"}
            }
        }))
        .unwrap_or_else(|e| panic!("{e}"));
        let node: Schema = serde_json::from_value(json!({
            "type": "object", "properties": {"Next": {"$ref": "#/components/schemas/Node"}}
        }))
        .unwrap_or_else(|e| panic!("{e}"));
        let comps = IndexMap::from([("Node".to_owned(), node)]);
        let v = value(&schema, &comps);
        assert_eq!(v["S"], "B");
        assert_eq!(v["I"], 7);
        assert_eq!(v["L"], 1_234_567_890_123_i64);
        assert_eq!(v["F"], 1.5);
        assert_eq!(v["D"], 2.25);
        assert_eq!(v["B"], true);
        assert_eq!(v["List"], json!([{"X": "text"}, {"X": "text"}]));
        assert_eq!(
            v["Map"],
            json!({"key1": [1_234_567_890_123_i64, 1_234_567_890_123_i64]})
        );
        // A recursive reference stops after a few levels.
        let mut node = &v["Ref"];
        let mut levels = 0;
        while let Some(next) = node.get("Next") {
            node = next;
            levels += 1;
        }
        assert_eq!((levels, node), (MAX_REF_DEPTH, &json!({})));
        assert!(v["Any"].is_object());
    }
}
