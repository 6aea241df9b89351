//! Facts, not prose: what an imported spec file may keep of Alibaba's metadata.
//!
//! Alibaba's metadata is copyrighted prose around facts about the API. Imports keep the facts
//! (names, methods, locations, styles, types, formats, required flags, enum values, constraints,
//! schemas, error codes with their status, endpoints) and drop everything else: descriptions,
//! summaries, titles, examples, value titles, error messages, demo responses, portal
//! information. The same allow-lists check committed files: [`violations`] lists every key of an
//! imported file that is not a fact, and a test runs it over `spec/`.
//!
//! Imported files carry the marker key [`MARKER`] (`"importedFrom"`), naming the front-end that
//! wrote them; hand-written files do not, and keep their English prose.

use serde_json::Value as Json;

/// The key that marks a spec file written by an import, and names its source format.
pub const MARKER: &str = "importedFrom";

/// Keys of an operation that are facts.
const OPERATION: &[&str] = &[
    MARKER,
    "action",
    "methods",
    "path",
    "consumes",
    "produces",
    "schemes",
    "security",
    "deprecated",
    "parameters",
    "responses",
    "errorCodes",
    // Ours, inferred from the parameters and the response schema: facts, not prose.
    "pagination",
];

/// Keys of a parameter that are facts.
const PARAMETER: &[&str] = &["name", "in", "style", "schema"];

/// Keys of a schema that are facts.
const SCHEMA: &[&str] = &[
    "type",
    "format",
    "$ref",
    "required",
    "enum",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "deprecated",
    "properties",
    "items",
    "additionalProperties",
];

/// Keys of a response that are facts.
const RESPONSE: &[&str] = &["schema"];

/// Keys of an error code that are facts.
const ERROR_CODE: &[&str] = &["errorCode"];

/// Keys of a product file that are facts.
const PRODUCT: &[&str] = &[MARKER, "version", "info", "endpoints", "components"];

/// Keys of the official format that are prose or portal information, or facts no generated code
/// uses (dropped silently); any other key that is not a fact is unknown, dropped too, and
/// reported by the import.
const PROSE: &[&str] = &[
    // Operation.
    "summary",
    "title",
    "description",
    "operationType",
    "systemTags",
    "responseDemo",
    "staticInfo",
    "extraInfo",
    "responseParamsDescription",
    "requestParamsDescription",
    // Parameter.
    "allowEmptyValue",
    // Schema.
    "example",
    "docRequired",
    "enumValueTitles",
    "default",
    // Response: `headers` is `{}` in every entry of the development corpus but one non-RPC,
    // non-ROA product's (PDS), so no generated code reads response headers.
    "headers",
    // Error code.
    "errorMessage",
    // Product.
    "directories",
];

/// What a walk does with a key that is not a fact.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Drop it; push the paths of unknown keys (not facts, not [`PROSE`]).
    Strip,
    /// Push its path.
    Report,
}

/// Removes every key of an operation that is not a fact, and marks it as imported by `source`.
/// Returns the JSON paths of the unknown keys dropped (neither facts nor known prose).
pub fn strip_operation(op: &mut Json, source: &str) -> Vec<String> {
    let mut out = Vec::new();
    operation(op, "$", Mode::Strip, &mut out);
    if let Some(o) = op.as_object_mut() {
        o.shift_insert(0, MARKER.to_owned(), Json::String(source.to_owned()));
    }
    out
}

/// Removes every key of a product file that is not a fact, and marks it as imported. Returns
/// the JSON paths of the unknown keys dropped.
pub fn strip_product(product: &mut Json, source: &str) -> Vec<String> {
    let mut out = Vec::new();
    product_walk(product, "$", Mode::Strip, &mut out);
    if let Some(o) = product.as_object_mut() {
        o.shift_insert(0, MARKER.to_owned(), Json::String(source.to_owned()));
    }
    out
}

/// The last key of a JSON path (`$.a.b[0].tags` → `tags`).
pub fn last_key(path: &str) -> &str {
    path.rsplit('.').next().unwrap_or(path)
}

/// Whether a spec file (operation or product) was written by an import.
pub fn is_imported(file: &Json) -> bool {
    file.get(MARKER).is_some()
}

/// The JSON paths of everything in an imported operation file that is not a fact.
pub fn violations(op: &Json) -> Vec<String> {
    let mut out = Vec::new();
    let mut copy = op.clone();
    operation(&mut copy, "$", Mode::Report, &mut out);
    out
}

/// The JSON paths of everything in an imported product file that is not a fact.
pub fn product_violations(product: &Json) -> Vec<String> {
    let mut out = Vec::new();
    let mut copy = product.clone();
    product_walk(&mut copy, "$", Mode::Report, &mut out);
    out
}

fn keep(obj: &mut Json, allowed: &[&str], path: &str, mode: Mode, out: &mut Vec<String>) {
    let Some(o) = obj.as_object_mut() else {
        return;
    };
    match mode {
        Mode::Strip => {
            out.extend(
                o.keys()
                    .filter(|k| !allowed.contains(&k.as_str()) && !PROSE.contains(&k.as_str()))
                    .map(|k| crate::diag::join(path, k)),
            );
            o.retain(|k, _| allowed.contains(&k.as_str()));
        }
        Mode::Report => out.extend(
            o.keys()
                .filter(|k| !allowed.contains(&k.as_str()))
                .map(|k| crate::diag::join(path, k)),
        ),
    }
}

fn operation(op: &mut Json, path: &str, mode: Mode, out: &mut Vec<String>) {
    keep(op, OPERATION, path, mode, out);
    let Some(o) = op.as_object_mut() else {
        return;
    };
    if let Some(Json::Array(params)) = o.get_mut("parameters") {
        for (i, p) in params.iter_mut().enumerate() {
            let pp = format!("{path}.parameters[{i}]");
            keep(p, PARAMETER, &pp, mode, out);
            if let Some(s) = p.as_object_mut().and_then(|p| p.get_mut("schema")) {
                schema(s, &format!("{pp}.schema"), mode, out);
            }
        }
    }
    if let Some(Json::Object(responses)) = o.get_mut("responses") {
        for (status, r) in responses.iter_mut() {
            let rp = crate::diag::join(&format!("{path}.responses"), status);
            keep(r, RESPONSE, &rp, mode, out);
            if let Some(s) = r.as_object_mut().and_then(|r| r.get_mut("schema")) {
                schema(s, &format!("{rp}.schema"), mode, out);
            }
        }
    }
    if let Some(Json::Object(codes)) = o.get_mut("errorCodes") {
        for (status, list) in codes.iter_mut() {
            let sp = crate::diag::join(&format!("{path}.errorCodes"), status);
            if let Json::Array(list) = list {
                for (i, e) in list.iter_mut().enumerate() {
                    keep(e, ERROR_CODE, &format!("{sp}[{i}]"), mode, out);
                }
            }
        }
    }
}

fn schema(s: &mut Json, path: &str, mode: Mode, out: &mut Vec<String>) {
    keep(s, SCHEMA, path, mode, out);
    let Some(o) = s.as_object_mut() else {
        return;
    };
    if let Some(Json::Object(props)) = o.get_mut("properties") {
        for (k, v) in props.iter_mut() {
            schema(
                v,
                &crate::diag::join(&format!("{path}.properties"), k),
                mode,
                out,
            );
        }
    }
    if let Some(items) = o.get_mut("items") {
        schema(items, &format!("{path}.items"), mode, out);
    }
    if let Some(ap) = o.get_mut("additionalProperties") {
        schema(ap, &format!("{path}.additionalProperties"), mode, out);
    }
}

fn product_walk(p: &mut Json, path: &str, mode: Mode, out: &mut Vec<String>) {
    keep(p, PRODUCT, path, mode, out);
    let Some(o) = p.as_object_mut() else {
        return;
    };
    if let Some(info) = o.get_mut("info") {
        keep(info, &["style", "product", "version"], "$.info", mode, out);
    }
    if let Some(Json::Array(rows)) = o.get_mut("endpoints") {
        for (i, row) in rows.iter_mut().enumerate() {
            keep(
                row,
                &["regionId", "endpoint"],
                &format!("$.endpoints[{i}]"),
                mode,
                out,
            );
        }
    }
    if let Some(c) = o.get_mut("components") {
        keep(c, &["schemas"], "$.components", mode, out);
        if let Some(Json::Object(schemas)) = c.as_object_mut().and_then(|c| c.get_mut("schemas")) {
            for (k, v) in schemas.iter_mut() {
                schema(v, &crate::diag::join("$.components.schemas", k), mode, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(s: &str) -> Json {
        serde_json::from_str(s).unwrap()
    }

    #[test]
    fn prose_is_dropped_and_facts_kept() {
        let mut op = json(
            r#"{"action": "A", "summary": "s", "description": "d", "methods": ["post"],
                "parameters": [{"name": "P", "in": "query", "schema": {"type": "string",
                  "description": "d", "example": "e", "enum": ["x"], "enumValueTitles": {"x": "t"},
                  "maxLength": 3, "required": true}}],
                "responses": {"200": {"schema": {"type": "object", "title": "t",
                  "properties": {"R": {"type": "integer", "format": "int64", "description": "d"}}}}},
                "errorCodes": {"403": [{"errorCode": "E", "errorMessage": "m", "description": "d"}]},
                "responseDemo": "[]", "staticInfo": {}}"#,
        );
        assert!(!violations(&op).is_empty());
        strip_operation(&mut op, "api-docs");
        assert_eq!(
            serde_json::to_string(&op).unwrap(),
            r#"{"importedFrom":"api-docs","action":"A","methods":["post"],"parameters":[{"name":"P","in":"query","schema":{"type":"string","enum":["x"],"maxLength":3,"required":true}}],"responses":{"200":{"schema":{"type":"object","properties":{"R":{"type":"integer","format":"int64"}}}}},"errorCodes":{"403":[{"errorCode":"E"}]}}"#
        );
        assert!(violations(&op).is_empty());
        assert!(is_imported(&op));
    }

    #[test]
    fn violations_name_each_path() {
        let op = json(
            r#"{"importedFrom": "api-docs", "parameters": [{"name": "P", "in": "query",
                "schema": {"type": "array", "items": {"type": "string", "description": "d"}}}],
                "errorCodes": {"400": [{"errorCode": "E", "errorMessage": "m"}]}, "title": "t"}"#,
        );
        assert_eq!(
            violations(&op),
            vec![
                "$.title",
                "$.parameters[0].schema.items.description",
                "$.errorCodes.400[0].errorMessage"
            ]
        );
    }

    #[test]
    fn products_keep_endpoints_and_drop_directories() {
        let mut p = json(
            r#"{"version": "1.0", "info": {"style": "RPC", "product": "X", "version": "1", "title": "t"},
                "directories": [{"title": "t"}], "endpoints": [{"regionId": "r", "endpoint": "e", "x": 1}]}"#,
        );
        assert_eq!(
            product_violations(&p),
            vec!["$.directories", "$.info.title", "$.endpoints[0].x"]
        );
        strip_product(&mut p, "api-docs");
        assert!(product_violations(&p).is_empty());
    }
}
