//! Darabonba facts → facts-only spec JSON: one operation object per client call (request
//! parameters with wire names, locations, styles, types, required and deprecated flags and
//! enum values from description bullets; the `…ResponseBody` model as the `200` schema) and the
//! endpoint table. Descriptions and examples are read only to find enum values, never kept.

use super::client::{ClientOp, Place};
use super::parse::{Field, Model, Module, Type};
use serde_json::Value as Json;

/// How deep models may nest (a model that contains itself would never end).
const MAX_DEPTH: usize = 24;

/// One operation's facts and where they came from.
#[derive(Debug, Clone)]
pub struct BuiltOp {
    /// The spec file's JSON object.
    pub json: Json,
    /// Facts taken from the classic Tea client because the Darabonba file lacks them, and
    /// disagreements between the two files.
    pub notes: Vec<String>,
}

/// Builds the operation object of `op`. `tea` is the classic client's view of the same
/// operation, if it has one.
pub fn operation(
    op: &ClientOp,
    m: &Module,
    tea: Option<(&ClientOp, &Module)>,
) -> Result<BuiltOp, String> {
    let mut notes = Vec::new();
    let mut obj: serde_json::Map<String, Json> = serde_json::Map::new();
    obj.insert("action".into(), Json::String(op.action.clone()));
    let method = match op.method.as_str() {
        "GET" => "get",
        "POST" => "post",
        other => return Err(format!("expected the method GET or POST, found {other:?}")),
    };
    if op.style != "RPC" {
        return Err(format!("expected the style RPC, found {:?}", op.style));
    }
    obj.insert(
        "methods".into(),
        Json::Array(vec![Json::String(method.into())]),
    );
    if let Some((t, _)) = tea {
        if t.method != op.method {
            notes.push(format!(
                "method: {} in the Darabonba file, {} in the Tea file (Darabonba kept)",
                op.method, t.method
            ));
        }
    }
    if op.deprecated {
        obj.insert("deprecated".into(), Json::Bool(true));
    }
    let mut params = Vec::new();
    if let Some(name) = &op.request {
        let model = find(m, name)?;
        let tea_model = tea.and_then(|(t, tm)| t.request.as_deref().and_then(|n| tm.models.get(n)));
        for f in &model.fields {
            params.push(parameter(f, m, tea, tea_model, &mut notes)?);
        }
    }
    obj.insert("parameters".into(), Json::Array(params));
    let wrapper = find(m, &op.response)?;
    let body = wrapper
        .fields
        .iter()
        .find(|f| f.ident == "body")
        .ok_or_else(|| format!("expected a `body` field in model {}", op.response))?;
    let schema = schema(&body.ty, m, false, 0)?;
    let mut ok = serde_json::Map::new();
    ok.insert("schema".to_owned(), schema);
    let mut responses = serde_json::Map::new();
    responses.insert("200".to_owned(), Json::Object(ok));
    obj.insert("responses".into(), Json::Object(responses));
    Ok(BuiltOp {
        json: Json::Object(obj),
        notes,
    })
}

fn find<'a>(m: &'a Module, name: &str) -> Result<&'a Model, String> {
    m.models
        .get(name)
        .ok_or_else(|| format!("expected a model named {name} (the function refers to it)"))
}

fn parameter(
    f: &Field,
    m: &Module,
    tea: Option<(&ClientOp, &Module)>,
    tea_model: Option<&Model>,
    notes: &mut Vec<String>,
) -> Result<Json, String> {
    let wire = f.wire().to_owned();
    let tea_place = tea.and_then(|(t, _)| {
        t.places
            .get(&wire)
            .copied()
            .or(t.all_query.then_some(Place::Query))
    });
    let location = match (f.attr("position"), tea_place) {
        (Some("Query"), _) => "query",
        (Some("Body"), _) => "formData",
        (Some("Header"), _) => "header",
        (Some(other), _) => {
            return Err(format!(
                "line {}: expected position Query, Body or Header for {wire}, found {other:?}",
                f.line
            ))
        }
        (None, Some(p)) => {
            notes.push(format!("{wire}: location from the Tea client ({p:?})"));
            match p {
                Place::Query => "query",
                Place::Body => "formData",
            }
        }
        (None, None) => {
            return Err(format!(
                "line {}: expected a `position` for request field {wire} (neither file places it)",
                f.line
            ))
        }
    };
    if let (Some(pos), Some(tp)) = (f.attr("position"), tea_place) {
        let same = matches!((pos, tp), ("Query", Place::Query) | ("Body", Place::Body));
        if !same {
            notes.push(format!(
                "{wire}: position {pos} in the Darabonba file, {tp:?} in the Tea client (Darabonba kept)"
            ));
        }
    }
    let tea_style = tea.and_then(|(t, _)| t.styles.get(&wire).cloned());
    let shrink = f.attr("shrink").map(str::to_owned);
    if let (Some(a), Some(b)) = (&shrink, &tea_style) {
        if a != b {
            notes.push(format!(
                "{wire}: shrink {a} in the Darabonba file, {b} in the Tea client (Darabonba kept)"
            ));
        }
    }
    if shrink.is_none() {
        if let Some(s) = &tea_style {
            notes.push(format!("{wire}: style {s} from the Tea client"));
        }
    }
    let style = match shrink.or(tea_style).as_deref() {
        Some("json") => Some("json"),
        Some("simple") => Some("simple"),
        Some(other) => {
            return Err(format!(
                "line {}: expected the shrink style json or simple for {wire}, found {other:?}",
                f.line
            ))
        }
        None => match resolve(&f.ty, m) {
            Type::Array(_) => Some("repeatList"),
            Type::Object(_) | Type::Map(..) => Some("flat"),
            Type::Named(n) if m.models.contains_key(&n) => Some("flat"),
            _ => None,
        },
    };
    if let Some(tf) = tea_model.and_then(|tm| tm.fields.iter().find(|x| x.wire() == wire)) {
        if shape(&tf.ty) != shape(&f.ty) {
            notes.push(format!(
                "{wire}: type {} in the Darabonba file, {} in the Tea file (Darabonba kept)",
                shape(&f.ty),
                shape(&tf.ty)
            ));
        }
    }
    let mut s = field_schema(f, m, true, 0)?;
    if !f.optional {
        if let Json::Object(o) = &mut s {
            insert_after_type(o, "required", Json::Bool(true));
        }
    }
    let mut p = serde_json::Map::new();
    p.insert("name".to_owned(), Json::String(wire));
    p.insert("in".to_owned(), Json::String(location.to_owned()));
    if let Some(style) = style {
        p.insert("style".to_owned(), Json::String(style.to_owned()));
    }
    p.insert("schema".to_owned(), s);
    Ok(Json::Object(p))
}

/// A type with a top-level model name replaced by its inline fields (for style decisions).
fn resolve(t: &Type, m: &Module) -> Type {
    match t {
        Type::Named(n) => match m.models.get(n) {
            Some(model) => Type::Object(model.fields.clone()),
            None => t.clone(),
        },
        other => other.clone(),
    }
}

/// A short text of a type's shape, for notes.
fn shape(t: &Type) -> String {
    match t {
        Type::Named(n) => n.clone(),
        Type::Array(i) => format!("[{}]", shape(i)),
        Type::Map(k, v) => format!("map[{}]{}", shape(k), shape(v)),
        Type::Object(_) => "{…}".to_owned(),
    }
}

/// The schema of a field: its type plus the facts of its annotations.
fn field_schema(f: &Field, m: &Module, request: bool, depth: usize) -> Result<Json, String> {
    let mut s = schema(&f.ty, m, request, depth)?;
    let Json::Object(o) = &mut s else {
        return Ok(s);
    };
    if request && !f.optional && depth > 0 {
        insert_after_type(o, "required", Json::Bool(true));
    }
    if matches!(f.attr("deprecated"), Some("true")) {
        o.insert("deprecated".to_owned(), Json::Bool(true));
    }
    let description = f.attr("description").unwrap_or_default();
    match o.get("type").and_then(Json::as_str) {
        Some("string") => {
            if let Some(values) = crate::values::listed_values(description) {
                o.insert("enum".to_owned(), strings(values));
            }
        }
        Some("array") => {
            if let Some(Json::Object(items)) = o.get_mut("items") {
                let plain = items.get("type").and_then(Json::as_str) == Some("string")
                    && !items.contains_key("enum");
                if plain {
                    if let Some(values) = crate::values::listed_values(description) {
                        items.insert("enum".to_owned(), strings(values));
                    }
                }
            }
        }
        _ => {}
    }
    for (attr, key) in [
        ("minimum", "minimum"),
        ("maximum", "maximum"),
        ("minLength", "minLength"),
        ("maxLength", "maxLength"),
    ] {
        if let Some(v) = f.attr(attr) {
            let n: Option<serde_json::Number> = v.parse().ok();
            match n {
                Some(n) if key.ends_with("Length") && n.is_u64() => {
                    o.insert(key.to_owned(), Json::Number(n));
                }
                Some(_) if !key.ends_with("Length") => {
                    o.insert(key.to_owned(), Json::String(v.to_owned()));
                }
                _ => {
                    return Err(format!(
                        "line {}: expected a number for {attr}, found {v:?}",
                        f.line
                    ))
                }
            }
        }
    }
    Ok(s)
}

fn strings(values: Vec<(String, String)>) -> Json {
    Json::Array(values.into_iter().map(|(v, _)| Json::String(v)).collect())
}

/// Inserts `key` right after `type`/`format`, keeping the usual key order of the metadata.
fn insert_after_type(o: &mut serde_json::Map<String, Json>, key: &str, value: Json) {
    let at = o
        .keys()
        .rposition(|k| k == "type" || k == "format")
        .map_or(0, |i| i + 1);
    o.shift_insert(at, key.to_owned(), value);
}

fn typed(ty: &str, format: Option<&str>) -> Json {
    let mut o = serde_json::Map::new();
    o.insert("type".to_owned(), Json::String(ty.to_owned()));
    if let Some(f) = format {
        o.insert("format".to_owned(), Json::String(f.to_owned()));
    }
    Json::Object(o)
}

/// The schema of a type. Models are expanded in place.
fn schema(t: &Type, m: &Module, request: bool, depth: usize) -> Result<Json, String> {
    if depth > MAX_DEPTH {
        return Err(format!(
            "models nested at most {MAX_DEPTH} deep (a model that contains itself?)"
        ));
    }
    Ok(match t {
        Type::Named(n) => match n.as_str() {
            "string" => typed("string", None),
            "int8" | "int16" | "int32" | "integer" | "uint8" | "uint16" | "uint32" => {
                typed("integer", Some("int32"))
            }
            "long" | "int64" | "uint64" => typed("integer", Some("int64")),
            "boolean" => typed("boolean", None),
            "float" => typed("number", Some("float")),
            "double" | "number" => typed("number", Some("double")),
            "any" => typed("any", None),
            "object" => {
                let mut o = serde_json::Map::new();
                o.insert("type".to_owned(), Json::String("object".to_owned()));
                o.insert("additionalProperties".to_owned(), typed("any", None));
                Json::Object(o)
            }
            other => match m.models.get(other) {
                Some(model) => object(&model.fields, m, request, depth + 1)?,
                None => return Err(format!("expected a known type or model, found {other:?}")),
            },
        },
        Type::Array(inner) => {
            let mut o = serde_json::Map::new();
            o.insert("type".to_owned(), Json::String("array".to_owned()));
            o.insert("items".to_owned(), schema(inner, m, request, depth + 1)?);
            Json::Object(o)
        }
        Type::Map(k, v) => {
            if **k != Type::Named("string".to_owned()) {
                return Err(format!(
                    "expected map keys of type string, found {}",
                    shape(k)
                ));
            }
            let mut o = serde_json::Map::new();
            o.insert("type".to_owned(), Json::String("object".to_owned()));
            o.insert(
                "additionalProperties".to_owned(),
                schema(v, m, request, depth + 1)?,
            );
            Json::Object(o)
        }
        Type::Object(fields) => object(fields, m, request, depth + 1)?,
    })
}

fn object(fields: &[Field], m: &Module, request: bool, depth: usize) -> Result<Json, String> {
    let mut props = serde_json::Map::new();
    for f in fields {
        let wire = f.wire().to_owned();
        if props.contains_key(&wire) {
            return Err(format!("line {}: expected one field named {wire}", f.line));
        }
        props.insert(wire, field_schema(f, m, request, depth.max(1))?);
    }
    let mut o = serde_json::Map::new();
    o.insert("type".to_owned(), Json::String("object".to_owned()));
    o.insert("properties".to_owned(), Json::Object(props));
    Ok(Json::Object(o))
}

/// The endpoint table of `init` (`@endpointMap = { 'region' = 'host', … }`), and the
/// `@product` / `@version` assignments.
pub fn init_facts(m: &Module) -> (Option<String>, Option<String>, Vec<(String, String)>) {
    use super::lex::Tok;
    let b = &m.init;
    let text = |i: usize| match b.get(i).map(|t| &t.tok) {
        Some(Tok::Str(s)) => Some(s.clone()),
        _ => None,
    };
    let at = |i: usize, name: &str| {
        b.get(i).map(|t| &t.tok) == Some(&Tok::Punct('@'))
            && matches!(b.get(i + 1).map(|t| &t.tok), Some(Tok::Ident(n)) if n == name)
            && b.get(i + 2).map(|t| &t.tok) == Some(&Tok::Punct('='))
    };
    let (mut product, mut version, mut endpoints) = (None, None, Vec::new());
    for i in 0..b.len() {
        if at(i, "product") {
            product = text(i + 3);
        }
        if at(i, "version") {
            version = text(i + 3);
        }
        if at(i, "endpointMap") && b.get(i + 3).map(|t| &t.tok) == Some(&Tok::Punct('{')) {
            let mut j = i + 4;
            while let (Some(r), true, Some(h)) = (
                text(j),
                b.get(j + 1).map(|t| &t.tok) == Some(&Tok::Punct('=')),
                text(j + 2),
            ) {
                endpoints.push((r, h));
                j += 3;
                if b.get(j).map(|t| &t.tok) == Some(&Tok::Punct(',')) {
                    j += 1;
                }
            }
        }
    }
    (product, version, endpoints)
}
