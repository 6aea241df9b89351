//! The import's rules for oddities of official metadata that the spec model does not accept as
//! they are. Each rule runs on the facts-only entry of one operation, changes it the same way
//! every time, and says what it did (the import counts these notes per product):
//!
//! - **methods** (RPC products): only `get` and `post` are kept. Official entries of RPC
//!   operations list the methods the gateway accepts (`put`, `delete`, `head`, `trace` beside
//!   `post` and `get`); the official SDKs send POST, or GET when POST is not listed, which is
//!   the generator's rule. An RPC entry listing neither keeps its list (lowering rejects it).
//! - **arrays without `items`**: the items are any JSON value (`{"type": "any"}`): the list
//!   decodes whatever it holds, and nothing is invented about its members.
//! - **ROA path placeholders** written `[Name]` (two entries of the corpus) are read as
//!   `{Name}` when an `in: path` parameter has that name.
//! - **repeated parameters**: a parameter named again in the same location with the same facts
//!   except `required` is merged into the first (required when either copy says so: a request
//!   that sends it satisfies both readings). Identical repeats stay: lowering ignores them with
//!   a warning, as for hand-written specs. A repeat that differs otherwise (location, type,
//!   style, values) is a real conflict: left for lowering, which rejects the operation with
//!   both JSON paths, and the import skips it.

use serde_json::Value as Json;

/// Applies every rule to one facts-only operation entry of a product of `style`; returns one
/// note per change (`JSON path: what was done`).
pub fn operation(op: &mut Json, style: &str) -> Vec<String> {
    let mut notes = Vec::new();
    let Some(o) = op.as_object_mut() else {
        return notes;
    };
    if style.eq_ignore_ascii_case("rpc") {
        if let Some(Json::Array(methods)) = o.get_mut("methods") {
            let is = |m: &Json, w: &str| m.as_str().is_some_and(|s| s.eq_ignore_ascii_case(w));
            let usable = methods.iter().any(|m| is(m, "get") || is(m, "post"));
            if usable {
                let before = methods.len();
                let dropped: Vec<String> = methods
                    .iter()
                    .filter(|m| !is(m, "get") && !is(m, "post"))
                    .filter_map(|m| m.as_str().map(str::to_owned))
                    .collect();
                methods.retain(|m| is(m, "get") || is(m, "post"));
                if methods.len() != before {
                    notes.push(format!(
                        "$.methods: dropped {} (an RPC call is sent with POST, or GET)",
                        dropped.join(", ")
                    ));
                }
            }
        }
    }
    if style.eq_ignore_ascii_case("roa") {
        bracket_placeholders(o, &mut notes);
    }
    if let Some(Json::Array(params)) = o.get_mut("parameters") {
        for (i, p) in params.iter_mut().enumerate() {
            if let Some(s) = p.as_object_mut().and_then(|p| p.get_mut("schema")) {
                items(s, &format!("$.parameters[{i}].schema"), &mut notes);
            }
        }
        merge_repeats(params, &mut notes);
    }
    if let Some(Json::Object(responses)) = o.get_mut("responses") {
        for (status, r) in responses.iter_mut() {
            if let Some(s) = r.as_object_mut().and_then(|r| r.get_mut("schema")) {
                let path = format!("{}.schema", crate::diag::join("$.responses", status));
                items(s, &path, &mut notes);
            }
        }
    }
    notes
}

/// ROA paths that write a placeholder `[Name]` where an `in: path` parameter `Name` exists get
/// `{Name}`, the form every other entry uses.
fn bracket_placeholders(o: &mut serde_json::Map<String, Json>, notes: &mut Vec<String>) {
    let names: Vec<String> = match o.get("parameters") {
        Some(Json::Array(ps)) => ps
            .iter()
            .filter(|p| p.get("in").and_then(Json::as_str) == Some("path"))
            .filter_map(|p| p.get("name").and_then(Json::as_str).map(str::to_owned))
            .collect(),
        _ => return,
    };
    if let Some(Json::String(path)) = o.get_mut("path") {
        for n in names {
            let bracket = format!("[{n}]");
            if path.contains(&bracket) && !path.contains(&format!("{{{n}}}")) {
                *path = path.replace(&bracket, &format!("{{{n}}}"));
                notes.push(format!("$.path: placeholder [{n}] read as {{{n}}}"));
            }
        }
    }
}

/// Applies the schema rules to the product's shared schemas.
pub fn components(product: &mut Json) -> Vec<String> {
    let mut notes = Vec::new();
    if let Some(Json::Object(schemas)) = product
        .as_object_mut()
        .and_then(|p| p.get_mut("components"))
        .and_then(Json::as_object_mut)
        .and_then(|c| c.get_mut("schemas"))
    {
        for (name, s) in schemas.iter_mut() {
            items(
                s,
                &crate::diag::join("$.components.schemas", name),
                &mut notes,
            );
        }
    }
    notes
}

/// Gives arrays without `items` items of any JSON value, recursively.
fn items(schema: &mut Json, path: &str, notes: &mut Vec<String>) {
    let Some(s) = schema.as_object_mut() else {
        return;
    };
    let is_array = s.get("type").and_then(Json::as_str) == Some("array");
    if is_array && !s.contains_key("items") && !s.contains_key("$ref") {
        let mut any = serde_json::Map::new();
        any.insert("type".to_owned(), Json::String("any".to_owned()));
        s.insert("items".to_owned(), Json::Object(any));
        notes.push(format!(
            "{path}: an array without items holds any JSON value"
        ));
    }
    if let Some(Json::Object(props)) = s.get_mut("properties") {
        for (k, v) in props.iter_mut() {
            items(
                v,
                &crate::diag::join(&format!("{path}.properties"), k),
                notes,
            );
        }
    }
    if let Some(v) = s.get_mut("items") {
        items(v, &format!("{path}.items"), notes);
    }
    if let Some(v) = s.get_mut("additionalProperties") {
        items(v, &format!("{path}.additionalProperties"), notes);
    }
}

/// Merges repeats that differ at most in `required` into the first occurrence.
fn merge_repeats(params: &mut Vec<Json>, notes: &mut Vec<String>) {
    let key = |p: &Json| -> Option<(String, String)> {
        Some((
            p.get("name")?.as_str()?.to_owned(),
            p.get("in")?.as_str()?.to_owned(),
        ))
    };
    // The facts of a parameter without `schema.required`.
    let facts = |p: &Json| -> Json {
        let mut c = p.clone();
        if let Some(s) = c
            .as_object_mut()
            .and_then(|o| o.get_mut("schema"))
            .and_then(Json::as_object_mut)
        {
            s.shift_remove("required");
        }
        c
    };
    let required = |p: &Json| {
        matches!(
            p.get("schema").and_then(|s| s.get("required")),
            Some(Json::Bool(true))
        )
    };
    let mut i = 0;
    while i < params.len() {
        // Identical repeats are left as they are: lowering ignores them with a warning.
        let first = params[..i].iter().position(|q| {
            key(q).is_some()
                && key(q) == key(&params[i])
                && facts(q) == facts(&params[i])
                && q != &params[i]
        });
        match first {
            Some(f) => {
                let repeat = params.remove(i);
                if required(&repeat) && !required(&params[f]) {
                    if let Some(s) = params[f]
                        .as_object_mut()
                        .and_then(|o| o.get_mut("schema"))
                        .and_then(Json::as_object_mut)
                    {
                        s.insert("required".to_owned(), Json::Bool(true));
                    }
                }
                notes.push(format!(
                    "$.parameters[{i}]: repeats $.parameters[{f}] ({}); merged",
                    key(&repeat).map(|k| k.0).unwrap_or_default()
                ));
            }
            None => i += 1,
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
    fn rpc_methods_keep_get_and_post() {
        let mut op = json(r#"{"methods": ["head", "post", "get", "put"]}"#);
        let notes = operation(&mut op, "RPC");
        assert_eq!(
            serde_json::to_string(&op).unwrap(),
            r#"{"methods":["post","get"]}"#
        );
        assert_eq!(notes.len(), 1);
        // ROA keeps its method; an RPC entry with neither is left to lowering.
        let mut op = json(r#"{"methods": ["put"]}"#);
        assert!(operation(&mut op, "ROA").is_empty());
        assert!(operation(&mut op, "RPC").is_empty());
        assert_eq!(
            serde_json::to_string(&op).unwrap(),
            r#"{"methods":["put"]}"#
        );
    }

    #[test]
    fn bracket_placeholders_of_path_parameters_become_braces() {
        let mut op = json(
            r#"{"path": "/v2/i/[instanceId]/s/[other]", "parameters": [
                {"name": "instanceId", "in": "path", "schema": {"type": "string"}}]}"#,
        );
        let notes = operation(&mut op, "ROA");
        assert_eq!(
            notes,
            vec!["$.path: placeholder [instanceId] read as {instanceId}"]
        );
        assert_eq!(
            op.get("path").and_then(Json::as_str),
            Some("/v2/i/{instanceId}/s/[other]")
        );
    }

    #[test]
    fn arrays_without_items_hold_any_value() {
        let mut op = json(
            r#"{"responses": {"200": {"schema": {"type": "object", "properties":
                {"L": {"type": "array"}, "M": {"type": "array", "items": {"type": "string"}}}}}}}"#,
        );
        let notes = operation(&mut op, "RPC");
        assert_eq!(
            notes,
            vec![
                "$.responses.200.schema.properties.L: an array without items holds any JSON value"
            ]
        );
        assert_eq!(
            serde_json::to_string(&op).unwrap(),
            r#"{"responses":{"200":{"schema":{"type":"object","properties":{"L":{"type":"array","items":{"type":"any"}},"M":{"type":"array","items":{"type":"string"}}}}}}}"#
        );
    }

    #[test]
    fn repeats_differing_in_required_merge_and_others_stay() {
        let mut op = json(
            r#"{"parameters": [
                {"name": "A", "in": "query", "schema": {"type": "string", "required": false}},
                {"name": "A", "in": "query", "schema": {"type": "string", "required": true}},
                {"name": "B", "in": "query", "schema": {"type": "string"}},
                {"name": "B", "in": "query", "schema": {"type": "integer"}},
                {"name": "B", "in": "query", "schema": {"type": "integer"}}]}"#,
        );
        let notes = operation(&mut op, "RPC");
        assert_eq!(
            notes,
            vec!["$.parameters[1]: repeats $.parameters[0] (A); merged"]
        );
        assert_eq!(
            serde_json::to_string(&op).unwrap(),
            r#"{"parameters":[{"name":"A","in":"query","schema":{"type":"string","required":true}},{"name":"B","in":"query","schema":{"type":"string"}},{"name":"B","in":"query","schema":{"type":"integer"}},{"name":"B","in":"query","schema":{"type":"integer"}}]}"#
        );
    }
}
