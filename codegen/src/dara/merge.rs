//! Merging the Darabonba surface with the older api-docs metadata, explicitly: operations in
//! both take the Darabonba facts and keep the api-docs error codes (codes only); operations only
//! in the api-docs metadata are gone from the API and dropped; every difference is reported.

use super::Surface;
use crate::diag::SpecError;
use crate::import::{Import, Selection};
use crate::json_ext::JsonExt as _;
use crate::spec::{OperationSpec, ProductSpec};
use serde_json::Value as Json;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// The marker value (`importedFrom`) of files this front-end writes.
pub const SOURCE: &str = "darabonba";

/// What the merge did, operation by operation.
#[derive(Debug, Clone, Default)]
pub struct MergeReport {
    /// Operations only in the api-docs metadata: removed from the API, not imported.
    pub removed: Vec<String>,
    /// Operations only in the Darabonba spec: added since the api-docs metadata.
    pub added: Vec<String>,
    /// Operations in both.
    pub both: Vec<String>,
    /// Per operation in both: every difference, api-docs → Darabonba.
    pub conflicts: BTreeMap<String, Vec<String>>,
    /// Per operation: how many error codes were kept from the api-docs metadata.
    pub error_codes_kept: BTreeMap<String, usize>,
    /// Per operation: string schemas without valid values in the Darabonba spec that keep the
    /// api-docs metadata's (its `enum`, `enumValueTitles` keys or description bullets).
    pub enums_kept: BTreeMap<String, Vec<String>>,
    /// Per operation: facts taken from the Tea file, and disagreements between Darabonba and
    /// Tea files.
    pub source_notes: BTreeMap<String, Vec<String>>,
    /// Operations of the Darabonba file the Tea file lacks.
    pub not_in_tea: Vec<String>,
    /// Operations of the Tea file the Darabonba file lacks (not imported).
    pub only_in_tea: Vec<String>,
    /// Whether api-docs metadata took part.
    pub with_api_docs: bool,
}

impl MergeReport {
    /// Counts only.
    pub fn summary(&self) -> String {
        let conflicts: usize = self.conflicts.values().map(Vec::len).sum();
        let codes: usize = self.error_codes_kept.values().sum();
        let enums: usize = self.enums_kept.values().map(Vec::len).sum();
        let mut s = format!(
            "darabonba: {} operation(s) ({} not in the Tea file, {} only in the Tea file, {} with notes on sources)",
            self.both.len() + self.added.len(),
            self.not_in_tea.len(),
            self.only_in_tea.len(),
            self.source_notes.len()
        );
        if self.with_api_docs {
            s.push_str(&format!(
                "\napi-docs merge: {} in both, {} added (only in Darabonba), {} removed (only in api-docs); {} difference(s) in {} operation(s); {} error code(s) kept in {} operation(s); {} enum(s) kept in {} operation(s)",
                self.both.len(),
                self.added.len(),
                self.removed.len(),
                conflicts,
                self.conflicts.len(),
                codes,
                self.error_codes_kept.len(),
                enums,
                self.enums_kept.len()
            ));
        }
        s
    }
}

impl fmt::Display for MergeReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.summary())?;
        let list = |f: &mut fmt::Formatter<'_>, title: &str, v: &[String]| {
            writeln!(f, "\n{title} ({}):", v.len())?;
            for a in v {
                writeln!(f, "  {a}")?;
            }
            Ok(())
        };
        if self.with_api_docs {
            list(f, "removed: only in api-docs, not imported", &self.removed)?;
            list(f, "added: only in Darabonba", &self.added)?;
        }
        list(
            f,
            "not in the Tea file (Darabonba facts alone)",
            &self.not_in_tea,
        )?;
        list(f, "only in the Tea file (not imported)", &self.only_in_tea)?;
        writeln!(
            f,
            "\nsources (Tea facts used, Darabonba/Tea disagreements):"
        )?;
        for (op, notes) in &self.source_notes {
            for n in notes {
                writeln!(f, "  {op}: {n}")?;
            }
        }
        if self.with_api_docs {
            writeln!(
                f,
                "\nin both ({}): differences api-docs → Darabonba (Darabonba kept), error codes kept from api-docs:",
                self.both.len()
            )?;
            for op in &self.both {
                let codes = self.error_codes_kept.get(op).copied().unwrap_or(0);
                let c = self.conflicts.get(op).map(Vec::as_slice).unwrap_or(&[]);
                writeln!(
                    f,
                    "  {op}: {} difference(s), {codes} error code(s) kept",
                    c.len()
                )?;
                for line in c {
                    writeln!(f, "    {line}")?;
                }
                for path in self.enums_kept.get(op).map(Vec::as_slice).unwrap_or(&[]) {
                    writeln!(f, "    enum kept from api-docs: {path}")?;
                }
            }
        }
        Ok(())
    }
}

/// Produces the spec files of the selected operations of `surface` (all by default), merged
/// with the api-docs metadata `api_docs` when given, and the report. Every file is checked
/// against the spec model.
///
/// Long on purpose: the merge is one sequence of steps (select, build, merge each operation
/// with its api-docs entry, check, report) whose shared state is the report; each step that has
/// a rule of its own is a function below.
pub fn merge(
    surface: &Surface,
    api_docs: Option<(&Path, &str)>,
    selection: &Selection,
) -> Result<(Import, MergeReport), Vec<SpecError>> {
    let mut report = MergeReport {
        not_in_tea: surface.not_in_tea.clone(),
        only_in_tea: surface.only_in_tea.clone(),
        with_api_docs: api_docs.is_some(),
        ..MergeReport::default()
    };
    let (apis, components) = match api_docs {
        Some((file, text)) => {
            let doc: Json = crate::load::parse(file, text).map_err(|e| vec![e])?;
            let apis = doc
                .get("apis")
                .and_then(Json::as_object)
                .cloned()
                .ok_or_else(|| vec![SpecError::new(file, "$.apis", "expected an `apis` object")])?;
            let components = doc
                .get("components")
                .and_then(|c| c.get("schemas"))
                .and_then(Json::as_object)
                .cloned()
                .unwrap_or_default();
            (apis, components)
        }
        None => (serde_json::Map::new(), serde_json::Map::new()),
    };
    let names: Vec<String> = match selection {
        Selection::All => surface.operations.keys().cloned().collect(),
        Selection::Only(list) => {
            let missing: Vec<SpecError> = list
                .iter()
                .filter(|n| !surface.operations.contains_key(*n))
                .map(|n| {
                    SpecError::new(
                        "darabonba",
                        n.as_str(),
                        format!("expected an operation named {n:?} (the Darabonba spec lacks it)"),
                    )
                })
                .collect();
            if !missing.is_empty() {
                return Err(missing);
            }
            let mut l = list.clone();
            l.sort();
            l.dedup();
            l
        }
    };
    report.removed = apis
        .keys()
        .filter(|k| !surface.operations.contains_key(*k))
        .cloned()
        .collect();
    report.removed.sort();

    let mut files = Vec::new();
    let mut errors = Vec::new();
    let mut product = product_json(surface);
    crate::facts::strip_product(&mut product, SOURCE);
    let product_text = product.pretty();
    let product_file = PathBuf::from("product.json");
    if let Err(e) = crate::load::parse::<ProductSpec>(&product_file, &product_text) {
        errors.push(e);
    }
    files.push((product_file, product_text));
    let mut enums_added = Vec::new();
    let mut paged: Vec<String> = Vec::new();
    let mut unpaged: Vec<(String, String)> = Vec::new();
    for name in &names {
        let Some(built) = surface.operations.get(name) else {
            continue;
        };
        if !built.notes.is_empty() {
            report
                .source_notes
                .insert(name.clone(), built.notes.clone());
        }
        let mut op = built.json.clone();
        match apis.get(name) {
            Some(old) => {
                report.both.push(name.clone());
                let diffs = differences(old, &op, &components);
                if !diffs.is_empty() {
                    report.conflicts.insert(name.clone(), diffs);
                }
                let mut kept = Vec::new();
                keep_enums(old, &mut op, &components, &mut kept);
                if !kept.is_empty() {
                    report.enums_kept.insert(name.clone(), kept);
                }
                if let Some(codes) = error_codes(old) {
                    let n = codes
                        .as_object()
                        .map_or(0, |m| m.values().map(|v| v.as_array_len()).sum());
                    report.error_codes_kept.insert(name.clone(), n);
                    if let Some(o) = op.as_object_mut() {
                        o.insert("errorCodes".to_owned(), codes);
                    }
                }
            }
            None => report.added.push(name.clone()),
        }
        // Pagination, inferred as the api-docs import does.
        match crate::paging::infer(&op) {
            crate::paging::Inferred::Paged(p) => {
                let value = serde_json::to_value(&p).and_then(serde_json::from_value::<Json>);
                if let (Ok(v), Some(o)) = (value, op.as_object_mut()) {
                    o.insert("pagination".to_owned(), v);
                    paged.push(name.clone());
                }
            }
            crate::paging::Inferred::Unrecognised(why) => unpaged.push((name.clone(), why)),
            crate::paging::Inferred::NotPaged => {}
        }
        crate::facts::strip_operation(&mut op, SOURCE);
        let file = PathBuf::from("operations").join(format!("{name}.json"));
        collect_enums(&op, "$", &file, &mut enums_added);
        let text = op.pretty();
        if let Err(e) = crate::load::parse::<OperationSpec>(&file, &text) {
            errors.push(e);
        }
        files.push((file, text));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let import = Import {
        default_dir: PathBuf::from("spec")
            .join(surface.product.to_lowercase())
            .join(&surface.version),
        product: surface.product.clone(),
        version: surface.version.clone(),
        files,
        operations: names,
        enums_added,
        // The Darabonba files hold no response examples.
        examples: std::collections::BTreeMap::new(),
        paged,
        unpaged,
        // Strict here: an entry the model rejects is an error above, not a skip.
        dropped: Vec::new(),
        skipped: Vec::new(),
        normalized: Vec::new(),
    };
    Ok((import, report))
}

trait ArrayLen {
    fn as_array_len(&self) -> usize;
}

impl ArrayLen for Json {
    fn as_array_len(&self) -> usize {
        match self {
            Json::Array(a) => a.len(),
            _ => 0,
        }
    }
}

fn product_json(s: &Surface) -> Json {
    let mut info = serde_json::Map::new();
    info.insert("style".to_owned(), Json::String("RPC".to_owned()));
    info.insert("product".to_owned(), Json::String(s.product.clone()));
    info.insert("version".to_owned(), Json::String(s.version.clone()));
    let endpoints = s
        .endpoints
        .iter()
        .map(|(r, h)| {
            let mut e = serde_json::Map::new();
            e.insert("regionId".to_owned(), Json::String(r.clone()));
            e.insert("endpoint".to_owned(), Json::String(h.clone()));
            Json::Object(e)
        })
        .collect();
    let mut o = serde_json::Map::new();
    o.insert("version".to_owned(), Json::String("1.0".to_owned()));
    o.insert("info".to_owned(), Json::Object(info));
    o.insert("endpoints".to_owned(), Json::Array(endpoints));
    Json::Object(o)
}

/// Gives string schemas of `new` that have no `enum` the valid values the api-docs entry `old`
/// lists for the same parameter or member (explicit `enum`, else `enumValueTitles` keys, else
/// description bullets, as `cargo xtask import` reads them). Records each path in `kept`.
fn keep_enums(
    old: &Json,
    new: &mut Json,
    comps: &serde_json::Map<String, Json>,
    kept: &mut Vec<String>,
) {
    let old_params: serde_json::Map<String, Json> = match old.get("parameters") {
        Some(Json::Array(a)) => a
            .iter()
            .filter_map(|p| {
                Some((
                    p.get("name")?.as_str()?.to_owned(),
                    p.get("schema")?.clone(),
                ))
            })
            .collect(),
        _ => serde_json::Map::new(),
    };
    if let Some(Json::Array(params)) = new.as_object_mut().and_then(|o| o.get_mut("parameters")) {
        for p in params.iter_mut() {
            let Some(name) = p.get("name").and_then(Json::as_str).map(str::to_owned) else {
                continue;
            };
            let (Some(o), Some(n)) = (
                old_params.get(&name),
                p.as_object_mut().and_then(|p| p.get_mut("schema")),
            ) else {
                continue;
            };
            keep_schema_enums(o, n, comps, &format!("parameter {name}"), kept, 0);
        }
    }
    let old_body = old
        .get("responses")
        .and_then(|r| r.get("200"))
        .and_then(|r| r.get("schema"));
    let new_body = new
        .as_object_mut()
        .and_then(|o| o.get_mut("responses"))
        .and_then(Json::as_object_mut)
        .and_then(|r| r.get_mut("200"))
        .and_then(Json::as_object_mut)
        .and_then(|r| r.get_mut("schema"));
    if let (Some(o), Some(n)) = (old_body, new_body) {
        keep_schema_enums(o, n, comps, "response", kept, 0);
    }
}

fn keep_schema_enums(
    old: &Json,
    new: &mut Json,
    comps: &serde_json::Map<String, Json>,
    path: &str,
    kept: &mut Vec<String>,
    depth: usize,
) {
    if depth > 24 {
        return;
    }
    let mut old = old;
    if let Some(r) = old.get("$ref").and_then(Json::as_str) {
        match r.rsplit('/').next().and_then(|n| comps.get(n)) {
            Some(t) => old = t,
            None => return,
        }
    }
    let Some(n) = new.as_object_mut() else {
        return;
    };
    let is_string = |j: Option<&Json>| j.and_then(Json::as_str) == Some("string");
    if is_string(n.get("type")) && !n.contains_key("enum") && is_string(old.get("type")) {
        if let Some(values) = old_enum(old) {
            n.insert(
                "enum".to_owned(),
                Json::Array(values.into_iter().map(Json::String).collect()),
            );
            kept.push(path.to_owned());
        }
    }
    if let (Some(Json::Object(op)), Some(Json::Object(np))) =
        (old.get("properties"), n.get_mut("properties"))
    {
        for (k, v) in np.iter_mut() {
            if let Some(o) = op.get(k) {
                let p = if path == "response" {
                    format!("response {k}")
                } else {
                    format!("{path}.{k}")
                };
                keep_schema_enums(o, v, comps, &p, kept, depth + 1);
            }
        }
    }
    if let (Some(o), Some(v)) = (old.get("items"), n.get_mut("items")) {
        // A list whose own description enumerates the values of its string items.
        let listed = old
            .get("description")
            .and_then(Json::as_str)
            .and_then(crate::values::listed_values);
        match (listed, old_enum(o)) {
            (Some(values), None) if is_string(o.get("type")) => {
                let mut with = o.clone();
                if let Some(w) = with.as_object_mut() {
                    w.insert(
                        "enum".to_owned(),
                        Json::Array(values.into_iter().map(|(x, _)| Json::String(x)).collect()),
                    );
                }
                keep_schema_enums(&with, v, comps, &format!("{path}[]"), kept, depth + 1);
            }
            _ => keep_schema_enums(o, v, comps, &format!("{path}[]"), kept, depth + 1),
        }
    }
    if let (Some(o), Some(v)) = (
        old.get("additionalProperties"),
        n.get_mut("additionalProperties"),
    ) {
        keep_schema_enums(o, v, comps, &format!("{path}{{}}"), kept, depth + 1);
    }
}

/// The valid values an api-docs string schema lists, as `cargo xtask import` reads them.
fn old_enum(s: &Json) -> Option<Vec<String>> {
    if let Some(Json::Array(a)) = s.get("enum") {
        let v: Vec<String> = a
            .iter()
            .filter_map(Json::as_str)
            .map(str::to_owned)
            .collect();
        return (!v.is_empty()).then_some(v);
    }
    if let Some(Json::Object(t)) = s.get("enumValueTitles") {
        let v: Vec<String> = t
            .keys()
            .filter(|k| !k.trim().is_empty() && k.trim() == k.as_str())
            .cloned()
            .collect();
        if !v.is_empty() && v.len() == t.len() {
            return Some(v);
        }
    }
    let description = s
        .get("description")
        .and_then(Json::as_str)
        .unwrap_or_default();
    crate::values::listed_values(description).map(|v| v.into_iter().map(|(x, _)| x).collect())
}

/// The api-docs error codes of an entry, codes only (messages are prose): status → list.
fn error_codes(old: &Json) -> Option<Json> {
    let codes = old.get("errorCodes")?.as_object()?;
    let mut out = serde_json::Map::new();
    for (status, list) in codes {
        let Json::Array(list) = list else { continue };
        let kept: Vec<Json> = list
            .iter()
            .filter_map(|e| e.get("errorCode").and_then(Json::as_str))
            .map(|c| {
                let mut o = serde_json::Map::new();
                o.insert("errorCode".to_owned(), Json::String(c.to_owned()));
                Json::Object(o)
            })
            .collect();
        if !kept.is_empty() {
            out.insert(status.clone(), Json::Array(kept));
        }
    }
    (!out.is_empty()).then_some(Json::Object(out))
}

fn collect_enums(j: &Json, path: &str, file: &Path, out: &mut Vec<(PathBuf, String, Vec<String>)>) {
    match j {
        Json::Object(o) => {
            for (k, v) in o {
                let p = crate::diag::join(path, k);
                if k == "enum" {
                    if let Json::Array(vals) = v {
                        let vals = vals
                            .iter()
                            .filter_map(Json::as_str)
                            .map(str::to_owned)
                            .collect();
                        out.push((file.to_owned(), path.to_owned(), vals));
                    }
                } else {
                    collect_enums(v, &p, file, out);
                }
            }
        }
        Json::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                collect_enums(v, &format!("{path}[{i}]"), file, out);
            }
        }
        _ => {}
    }
}

/// Every difference between an api-docs entry and the Darabonba operation, as lines.
pub fn differences(
    old: &Json,
    new: &Json,
    components: &serde_json::Map<String, Json>,
) -> Vec<String> {
    let mut out = Vec::new();
    let method = |j: &Json| {
        let m: Vec<&str> = match j.get("methods") {
            Some(Json::Array(a)) => a.iter().filter_map(Json::as_str).collect(),
            _ => Vec::new(),
        };
        if m.iter().any(|x| x.eq_ignore_ascii_case("post")) || m.is_empty() {
            "POST"
        } else {
            "GET"
        }
    };
    if method(old) != method(new) {
        out.push(format!("method {} → {}", method(old), method(new)));
    }
    let dep = |j: &Json| matches!(j.get("deprecated"), Some(Json::Bool(true)));
    if dep(old) != dep(new) {
        out.push(format!("deprecated {} → {}", dep(old), dep(new)));
    }
    let params = |j: &Json| -> serde_json::Map<String, Json> {
        match j.get("parameters") {
            Some(Json::Array(a)) => a
                .iter()
                .filter_map(|p| Some((p.get("name")?.as_str()?.to_owned(), p.clone())))
                .collect(),
            _ => serde_json::Map::new(),
        }
    };
    let (po, pn) = (params(old), params(new));
    for (name, p) in &po {
        let Some(q) = pn.get(name) else {
            out.push(format!("parameter {name} removed"));
            continue;
        };
        for key in ["in", "style"] {
            let a = p.get(key).and_then(Json::as_str).unwrap_or("-");
            let b = q.get(key).and_then(Json::as_str).unwrap_or("-");
            if a != b {
                let what = if key == "in" { "location" } else { "style" };
                out.push(format!("parameter {name}: {what} {a} → {b}"));
            }
        }
        let req = |p: &Json| {
            matches!(
                p.get("schema").and_then(|s| s.get("required")),
                Some(Json::Bool(true))
            )
        };
        if req(p) != req(q) {
            out.push(format!(
                "parameter {name}: required {} → {}",
                req(p),
                req(q)
            ));
        }
        let mut a = BTreeMap::new();
        let mut b = BTreeMap::new();
        if let Some(s) = p.get("schema") {
            flatten(s, name, components, &mut a, 0);
        }
        if let Some(s) = q.get("schema") {
            flatten(s, name, components, &mut b, 0);
        }
        compare(&a, &b, name, &format!("parameter {name}"), &mut out);
    }
    for name in pn.keys() {
        if !po.contains_key(name) {
            out.push(format!("parameter {name} added"));
        }
    }
    let body = |j: &Json| {
        j.get("responses")
            .and_then(|r| r.get("200"))
            .and_then(|r| r.get("schema"))
            .cloned()
    };
    let mut a = BTreeMap::new();
    let mut b = BTreeMap::new();
    if let Some(s) = body(old) {
        flatten(&s, "", components, &mut a, 0);
    }
    if let Some(s) = body(new) {
        flatten(&s, "", components, &mut b, 0);
    }
    compare(&a, &b, "", "response", &mut out);
    out
}

/// Differences of two flattened schemas; `root` is the path of the schema itself.
fn compare(
    a: &BTreeMap<String, String>,
    b: &BTreeMap<String, String>,
    root: &str,
    what: &str,
    out: &mut Vec<String>,
) {
    let shown = |path: &str| {
        if path == root {
            what.to_owned()
        } else {
            format!("{what} field {path}")
        }
    };
    for (path, ta) in a {
        match b.get(path) {
            None => out.push(format!("{} removed", shown(path))),
            Some(tb) if ta != tb => out.push(format!("{}: type {ta} → {tb}", shown(path))),
            _ => {}
        }
    }
    for (path, tb) in b {
        if !a.contains_key(path) {
            out.push(format!("{} added ({tb})", shown(path)));
        }
    }
}

/// Path → `type[/format]` of every node of a schema (`$ref`s resolved), for comparisons.
/// Parameter roots are the parameter name; nested paths add `.Member` and `[]`.
fn flatten(
    s: &Json,
    path: &str,
    comps: &serde_json::Map<String, Json>,
    out: &mut BTreeMap<String, String>,
    depth: usize,
) {
    if depth > 24 {
        return;
    }
    let mut s = s;
    if let Some(r) = s.get("$ref").and_then(Json::as_str) {
        match r.rsplit('/').next().and_then(|n| comps.get(n)) {
            Some(t) => s = t,
            None => return,
        }
    }
    let ty = s
        .get("type")
        .and_then(Json::as_str)
        .unwrap_or(if s.get("properties").is_some() {
            "object"
        } else {
            "?"
        });
    let fmt = s.get("format").and_then(Json::as_str);
    let mut t = ty.to_owned();
    if let (Some(f), "integer" | "number") = (fmt, ty) {
        t = format!("{ty}/{f}");
    }
    if ty == "integer" && fmt.is_none() {
        t = "integer/int64".to_owned();
    }
    if ty == "number" && fmt.is_none() {
        t = "number/double".to_owned();
    }
    if s.get("additionalProperties").is_some() {
        t = "map".to_owned();
    }
    out.insert(path.to_owned(), t);
    let sep = |k: &str| {
        if path.is_empty() {
            k.to_owned()
        } else {
            format!("{path}.{k}")
        }
    };
    if let Some(Json::Object(props)) = s.get("properties") {
        for (k, v) in props {
            flatten(v, &sep(k), comps, out, depth + 1);
        }
    }
    if let Some(items) = s.get("items") {
        flatten(items, &format!("{path}[]"), comps, out, depth + 1);
    }
    if let Some(ap) = s.get("additionalProperties") {
        flatten(ap, &format!("{path}{{}}"), comps, out, depth + 1);
    }
}
