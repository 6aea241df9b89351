//! Importing an official product metadata file (`<product>-<version>.api-docs.json`, top-level
//! keys `version`, `info`, `directories`, `components`, `apis`, `endpoints`) into spec files:
//! `product.json` and one `operations/<Action>.json` per operation (the official entry with
//! `action` added). Both keep only facts ([`crate::facts`]): every description, summary, title,
//! example, value title, error message and demo response is dropped, and the files are marked
//! `"importedFrom": "api-docs"`.
//!
//! One enrichment is made, visible in review: a string schema without `enum` gets one from its
//! official `enumValueTitles` keys when that map is not empty, else from its description when
//! that enumerates the valid values as bullets ([`crate::values::listed_values`]), with
//! `enumValueTitles` from the bullet texts when it has none (or an empty map). The generator
//! trusts only explicit `enum`s. Output is deterministic: the same input gives the same bytes.

use crate::diag::{join, SpecError};
use crate::json_ext::JsonExt as _;
use crate::spec::{OperationSpec, ProductSpec};
use serde_json::Value as Json;
use std::path::{Path, PathBuf};

/// The marker value of files this front-end writes.
pub const SOURCE: &str = "api-docs";

/// The files an import produces.
#[derive(Debug, Clone)]
pub struct Import {
    /// Product code as written in `info.product` (`Sas`).
    pub product: String,
    /// API version (`2018-12-03`).
    pub version: String,
    /// The default output directory relative to the workspace: `spec/<product lowercase>/<version>`.
    pub default_dir: PathBuf,
    /// Relative path (`product.json`, `operations/<Action>.json`) → contents.
    pub files: Vec<(PathBuf, String)>,
    /// Operations imported, sorted.
    pub operations: Vec<String>,
    /// Enums added from value titles and description bullets: (file, JSON path, values).
    pub enums_added: Vec<(PathBuf, String, Vec<String>)>,
    /// Operations given a `pagination` extension.
    pub paged: Vec<String>,
    /// Operations that take page parameters but whose shape is not recognised: (action, why).
    /// They get no pagination.
    pub unpaged: Vec<(String, String)>,
    /// Action → the entry's `responseDemo` (Alibaba's examples: prose, never written to spec
    /// files, but checks may decode them in memory: see [`crate::Options::examples`]).
    pub examples: std::collections::BTreeMap<String, String>,
    /// Unknown keys of the official format dropped (neither facts nor known prose): key → how
    /// many times, over the whole file.
    pub dropped: Vec<(String, usize)>,
    /// Operations left out because their entry cannot become a spec file: (action, located
    /// error). The rest of the product is imported.
    pub skipped: Vec<(String, String)>,
    /// What the rules of [`crate::normalize`] changed: (action, or `product.json`, note).
    pub normalized: Vec<(String, String)>,
}

/// Which operations to import.
#[derive(Debug, Clone)]
pub enum Selection {
    /// Every operation of the file.
    All,
    /// These operations (each must exist).
    Only(Vec<String>),
}

/// Reads `text` (the contents of `source`) and produces the spec files of the selected
/// operations. Every file produced is checked against the spec model.
pub fn import(source: &Path, text: &str, selection: &Selection) -> Result<Import, Vec<SpecError>> {
    let doc: Json = crate::load::parse(source, text).map_err(|e| vec![e])?;
    let Json::Object(top) = doc else {
        return Err(vec![SpecError::new(
            source,
            "$",
            "expected an object (an api-docs metadata file)",
        )]);
    };
    let header = Header::read(source, &top)?;
    let names = select(source, header.apis, selection)?;
    let mut run = Run {
        source,
        out: Import {
            default_dir: PathBuf::from("spec")
                .join(header.product.to_lowercase())
                .join(&header.version),
            product: header.product,
            version: header.version,
            files: Vec::new(),
            operations: Vec::new(),
            enums_added: Vec::new(),
            paged: Vec::new(),
            unpaged: Vec::new(),
            examples: std::collections::BTreeMap::new(),
            dropped: Vec::new(),
            skipped: Vec::new(),
            normalized: Vec::new(),
        },
        dropped: Default::default(),
        errors: Vec::new(),
    };
    run.product(&top);
    for name in &names {
        if let Some(entry) = header.apis.get(name) {
            run.operation(name, entry, &header.style);
        }
    }
    run.out.dropped = run.dropped.into_iter().collect();
    if run.errors.is_empty() {
        Ok(run.out)
    } else {
        Err(run.errors)
    }
}

/// What the top of an api-docs file says: the product, its version, its API style and its
/// operations.
struct Header<'a> {
    product: String,
    version: String,
    style: String,
    apis: &'a serde_json::Map<String, Json>,
}

impl<'a> Header<'a> {
    /// Reads `info` and `apis`, each missing or malformed part a located error.
    fn read(
        source: &Path,
        top: &'a serde_json::Map<String, Json>,
    ) -> Result<Header<'a>, Vec<SpecError>> {
        let err = |path: &str, expected: &str| vec![SpecError::new(source, path, expected)];
        let info = top
            .get("info")
            .ok_or_else(|| err("$.info", "expected an `info` object"))?;
        let text = |key: &str| {
            info.get(key)
                .and_then(Json::as_str)
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        let product = text("product")
            .ok_or_else(|| err("$.info.product", "expected the product code as a string"))?;
        let version = text("version")
            .ok_or_else(|| err("$.info.version", "expected the API version as a string"))?;
        let safe = |s: &str| {
            s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
                && !s.starts_with('.')
        };
        if !safe(&product) || !safe(&version) {
            return Err(err(
                "$.info",
                "expected a product code and version of ASCII letters, digits, '-', '_' and '.'",
            ));
        }
        let Some(Json::Object(apis)) = top.get("apis") else {
            return Err(err(
                "$.apis",
                "expected an `apis` object (action → operation)",
            ));
        };
        let style = info
            .get("style")
            .and_then(Json::as_str)
            .unwrap_or("RPC")
            .to_owned();
        Ok(Header {
            product,
            version,
            style,
            apis,
        })
    }
}

/// The names of the selected operations, sorted; each one asked for must exist.
fn select(
    source: &Path,
    apis: &serde_json::Map<String, Json>,
    selection: &Selection,
) -> Result<Vec<String>, Vec<SpecError>> {
    let mut names: Vec<String> = match selection {
        Selection::All => apis.keys().cloned().collect(),
        Selection::Only(list) => {
            let missing: Vec<SpecError> = list
                .iter()
                .filter(|name| !apis.contains_key(name.as_str()))
                .map(|name| {
                    SpecError::new(
                        source,
                        join("$.apis", name),
                        format!("expected an operation named {name:?} (it is not in the file)"),
                    )
                })
                .collect();
            if !missing.is_empty() {
                return Err(missing);
            }
            list.clone()
        }
    };
    names.sort();
    names.dedup();
    Ok(names)
}

/// One import in progress: what it produced so far, the dropped keys it counted and the errors
/// it met.
struct Run<'a> {
    source: &'a Path,
    out: Import,
    dropped: std::collections::BTreeMap<String, usize>,
    errors: Vec<SpecError>,
}

impl Run<'_> {
    /// Counts the dropped keys at `paths` by their last key.
    fn count(&mut self, paths: Vec<String>) {
        for p in paths {
            *self
                .dropped
                .entry(crate::facts::last_key(&p).to_owned())
                .or_default() += 1;
        }
    }

    /// `product.json`: everything but `apis`, in document order, enriched, reduced to facts
    /// and normalised.
    fn product(&mut self, top: &serde_json::Map<String, Json>) {
        let mut product_obj: serde_json::Map<String, Json> = top
            .iter()
            .filter(|(k, _)| k.as_str() != "apis")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let product_file = PathBuf::from("product.json");
        if let Some(Json::Object(schemas)) = product_obj
            .get_mut("components")
            .and_then(|c| c.as_object_mut())
            .and_then(|c| c.get_mut("schemas"))
        {
            for (name, schema) in schemas.iter_mut() {
                let path = join("$.components.schemas", name);
                enrich(schema, &path, &product_file, &mut self.out.enums_added);
            }
        }
        let mut product_json = Json::Object(product_obj);
        let dropped = crate::facts::strip_product(&mut product_json, SOURCE);
        self.count(dropped);
        for note in crate::normalize::components(&mut product_json) {
            self.out.normalized.push(("product.json".to_owned(), note));
        }
        let product_text = product_json.pretty();
        if let Err(e) = crate::load::parse::<ProductSpec>(&product_file, &product_text) {
            self.errors.push(relabel(e, self.source, "$"));
        }
        self.out.files.push((product_file, product_text));
    }

    /// `operations/<name>.json` from the entry `entry` of `apis`: the entry with `action` first,
    /// enriched, paged when its shape says so, reduced to facts and normalised. An entry the
    /// spec model cannot hold is skipped, with its reason; a malformed one is an error.
    fn operation(&mut self, name: &str, entry: &Json, style: &str) {
        let base = join("$.apis", name);
        let Some(mut op) = self.entry(name, entry, &base) else {
            return;
        };
        let file = PathBuf::from("operations").join(format!("{name}.json"));
        enrich_operation(&mut op, &file, &mut self.out.enums_added);
        // On the enriched entry: a page size given listed values is an enum, not a number.
        match crate::paging::infer(&Json::Object(op.clone())) {
            crate::paging::Inferred::Paged(p) => {
                let value = serde_json::to_value(&p).and_then(serde_json::from_value::<Json>);
                if let Ok(v) = value {
                    op.insert("pagination".to_owned(), v);
                    self.out.paged.push(name.to_owned());
                }
            }
            crate::paging::Inferred::Unrecognised(why) => {
                self.out.unpaged.push((name.to_owned(), why))
            }
            crate::paging::Inferred::NotPaged => {}
        }
        if let Some(demo) = op.get("responseDemo").and_then(Json::as_str) {
            self.out.examples.insert(name.to_owned(), demo.to_owned());
        }
        let mut op = Json::Object(op);
        let dropped = crate::facts::strip_operation(&mut op, SOURCE);
        self.count(dropped);
        for note in crate::normalize::operation(&mut op, style) {
            self.out.normalized.push((name.to_owned(), note));
        }
        let text = op.pretty();
        if let Err(e) = crate::load::parse::<OperationSpec>(&file, &text) {
            // One entry the spec model cannot hold does not sink its product.
            self.out
                .skipped
                .push((name.to_owned(), relabel(e, self.source, &base).to_string()));
            self.out.examples.remove(name);
            return;
        }
        self.out.files.push((file, text));
        self.out.operations.push(name.to_owned());
    }

    /// The entry as an operation object with `action` first, or `None` (the error recorded)
    /// when its name cannot name a file or it is not an object of that action.
    fn entry(
        &mut self,
        name: &str,
        entry: &Json,
        base: &str,
    ) -> Option<serde_json::Map<String, Json>> {
        let file_ok = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !file_ok {
            self.errors.push(SpecError::new(
                self.source,
                base,
                "expected an action name of ASCII letters, digits, '_' and '-' (it names a file)",
            ));
            return None;
        }
        let Json::Object(fields) = entry else {
            self.errors.push(SpecError::new(
                self.source,
                base,
                "expected an operation object",
            ));
            return None;
        };
        match fields.get("action") {
            Some(Json::String(a)) if a == name => {}
            None => {}
            Some(other) => {
                self.errors.push(SpecError::new(
                    self.source,
                    join(base, "action"),
                    format!(
                        "expected {name:?} (the key of the entry), found {}",
                        other.kind()
                    ),
                ));
                return None;
            }
        }
        let mut op: serde_json::Map<String, Json> = serde_json::Map::new();
        op.insert("action".to_owned(), Json::String(name.to_owned()));
        for (k, v) in fields {
            if k != "action" {
                op.insert(k.clone(), v.clone());
            }
        }
        Some(op)
    }
}

/// [`enrich`] on the schema of every parameter and response of an operation entry.
fn enrich_operation(
    op: &mut serde_json::Map<String, Json>,
    file: &Path,
    added: &mut Vec<(PathBuf, String, Vec<String>)>,
) {
    if let Some(Json::Array(params)) = op.get_mut("parameters") {
        for (i, p) in params.iter_mut().enumerate() {
            if let Some(s) = p.as_object_mut().and_then(|p| p.get_mut("schema")) {
                enrich(s, &format!("$.parameters[{i}].schema"), file, added);
            }
        }
    }
    if let Some(Json::Object(responses)) = op.get_mut("responses") {
        for (status, r) in responses.iter_mut() {
            if let Some(s) = r.as_object_mut().and_then(|r| r.get_mut("schema")) {
                let path = format!("{}.schema", join("$.responses", status));
                enrich(s, &path, file, added);
            }
        }
    }
}

/// An error found in a produced file, named in terms of the source file.
fn relabel(e: SpecError, source: &Path, base: &str) -> SpecError {
    let inner = e.path.strip_prefix('$').unwrap_or(&e.path);
    SpecError::new(
        source,
        format!("{base}{inner}"),
        format!("{} (the spec model rejects this entry)", e.expected),
    )
}

/// Adds `enum` (and `enumValueTitles`) to string schemas whose description enumerates their
/// values, recursing through properties, items and additionalProperties.
fn enrich(
    schema: &mut Json,
    path: &str,
    file: &Path,
    added: &mut Vec<(PathBuf, String, Vec<String>)>,
) {
    let Json::Object(s) = schema else {
        return;
    };
    let ty = s
        .get("type")
        .and_then(Json::as_str)
        .unwrap_or_default()
        .to_owned();
    if ty == "string" {
        let description = s
            .get("description")
            .and_then(Json::as_str)
            .unwrap_or_default();
        if !s.contains_key("enum") {
            // Official value titles are the surest list; else the description's bullets.
            let values = titled_values(s).or_else(|| crate::values::listed_values(description));
            if let Some(values) = values {
                add_enum(s, &values);
                added.push((
                    file.to_owned(),
                    path.to_owned(),
                    values.into_iter().map(|(v, _)| v).collect(),
                ));
            }
        }
    }
    if ty == "array" {
        // A list whose own description enumerates the values of its string items.
        let description = s
            .get("description")
            .and_then(Json::as_str)
            .unwrap_or_default()
            .to_owned();
        if let Some(Json::Object(items)) = s.get_mut("items") {
            let item_desc = items
                .get("description")
                .and_then(Json::as_str)
                .unwrap_or_default();
            let plain_string = items.get("type").and_then(Json::as_str) == Some("string")
                && !items.contains_key("enum")
                && crate::values::listed_values(item_desc).is_none();
            if plain_string {
                if let Some(values) = crate::values::listed_values(&description) {
                    add_enum(items, &values);
                    added.push((
                        file.to_owned(),
                        format!("{path}.items"),
                        values.into_iter().map(|(v, _)| v).collect(),
                    ));
                }
            }
        }
    }
    if let Some(Json::Object(props)) = s.get_mut("properties") {
        for (k, v) in props.iter_mut() {
            enrich(v, &join(&join(path, "properties"), k), file, added);
        }
    }
    if let Some(items) = s.get_mut("items") {
        enrich(items, &join(path, "items"), file, added);
    }
    if let Some(ap) = s.get_mut("additionalProperties") {
        enrich(ap, &join(path, "additionalProperties"), file, added);
    }
}

/// The values of a non-empty `enumValueTitles` (value → title) whose values are all plain
/// strings, with their titles.
fn titled_values(s: &serde_json::Map<String, Json>) -> Option<Vec<(String, String)>> {
    let Some(Json::Object(titles)) = s.get("enumValueTitles") else {
        return None;
    };
    if titles.is_empty() {
        return None;
    }
    titles
        .iter()
        .map(|(v, t)| {
            let ok = !v.trim().is_empty() && v.trim() == v;
            ok.then(|| (v.clone(), t.as_str().unwrap_or_default().to_owned()))
        })
        .collect()
}

fn add_enum(s: &mut serde_json::Map<String, Json>, values: &[(String, String)]) {
    s.insert(
        "enum".to_owned(),
        Json::Array(
            values
                .iter()
                .map(|(v, _)| Json::String(v.clone()))
                .collect(),
        ),
    );
    // Official entries often carry an empty `enumValueTitles` map: that is no titles.
    let no_titles = match s.get("enumValueTitles") {
        None => true,
        Some(Json::Object(m)) => m.is_empty(),
        Some(_) => false,
    };
    if no_titles && values.iter().any(|(_, t)| !t.is_empty()) {
        let titles = values
            .iter()
            .filter(|(_, t)| !t.is_empty())
            .map(|(v, t)| (v.clone(), Json::String(t.clone())))
            .collect();
        s.insert("enumValueTitles".to_owned(), Json::Object(titles));
    }
}

/// A file the import would change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// The file on disk.
    pub file: PathBuf,
    /// What would change: JSON paths (`changed $.parameters[0].schema.enum`), or a note when
    /// the file on disk is not JSON.
    pub changes: Vec<String>,
}

/// What [`write`] did.
#[derive(Debug, Default)]
pub struct Written {
    /// Files created.
    pub created: Vec<PathBuf>,
    /// Files overwritten (only with `force`).
    pub overwritten: Vec<Conflict>,
    /// Files already identical.
    pub unchanged: usize,
    /// Files that differ and were left alone (without `force`; then nothing was written).
    pub refused: Vec<Conflict>,
    /// Hand-written files (without the import marker) in the way: never overwritten, even
    /// with `force`.
    pub kept: Vec<PathBuf>,
}

/// Whether file contents are JSON marked as written by an import.
fn imported_file(bytes: &[u8]) -> bool {
    serde_json::from_slice::<Json>(bytes).is_ok_and(|j| crate::facts::is_imported(&j))
}

/// How many changed paths a conflict lists.
const CONFLICT_PATHS: usize = 12;

/// Writes the files of `import` under `out`. A hand-written file (one without the import
/// marker, such as the seed's spec) is never replaced: it is listed in [`Written::kept`]. An
/// imported file that exists with different contents is a conflict: without `force` nothing at
/// all is written and the conflicts are returned in [`Written::refused`]; with `force` they are
/// overwritten. Identical files are not touched, so
/// importing twice changes nothing. Each file is written to a temporary name and renamed.
pub fn write(out: &Path, import: &Import, force: bool) -> std::io::Result<Written> {
    let mut report = Written::default();
    let mut todo: Vec<(PathBuf, &str)> = Vec::new();
    let mut conflicts = Vec::new();
    for (rel, text) in &import.files {
        let path = out.join(rel);
        match std::fs::read(&path) {
            Ok(old) if old == text.as_bytes() => report.unchanged += 1,
            Ok(old) if !imported_file(&old) => report.kept.push(path),
            Ok(old) => {
                let changes = match serde_json::from_slice::<Json>(&old) {
                    Ok(old_json) => {
                        let new_json: Json = serde_json::from_str(text).unwrap_or(Json::Null);
                        let d = crate::json_ext::differences(&old_json, &new_json, CONFLICT_PATHS);
                        if d.is_empty() {
                            vec!["formatting or key order only".to_owned()]
                        } else {
                            d
                        }
                    }
                    Err(e) => vec![format!("the file on disk is not JSON ({e})")],
                };
                conflicts.push(Conflict {
                    file: path.clone(),
                    changes,
                });
                todo.push((path, text));
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                report.created.push(path.clone());
                todo.push((path, text));
            }
            Err(e) => return Err(e),
        }
    }
    if !conflicts.is_empty() && !force {
        report.created.clear();
        report.refused = conflicts;
        return Ok(report);
    }
    for (path, text) in todo {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = path.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
        std::fs::write(&tmp, text)?;
        if let Err(e) = std::fs::rename(&tmp, &path) {
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
    }
    report.overwritten = conflicts;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"{
  "version": "1.0",
  "info": {"style": "RPC", "product": "Demo", "version": "2020-01-01"},
  "directories": [{"id": 1, "title": "t", "type": "directory", "children": ["B", "A"]}],
  "components": {"schemas": {}},
  "apis": {
    "B": {"methods": ["post"], "parameters": [
      {"name": "Status", "in": "query", "schema": {"type": "string", "description": "Valid values:\n- **ON**: on\n- **OFF**: off"}},
      {"name": "Flag", "in": "query", "schema": {"type": "boolean", "description": "Valid values:\n- **true**: yes\n- **false**: no"}},
      {"name": "Tags", "in": "query", "style": "repeatList", "schema": {"type": "array", "description": "Valid values:\n- **x**\n- **y**", "items": {"type": "string"}}},
      {"name": "Kind", "in": "query", "schema": {"type": "string", "description": "No list here.", "enumValueTitles": {"a": "first", "b": "second"}}},
      {"name": "Mode", "in": "query", "schema": {"type": "string", "description": "Valid values:\n- **m**: manual", "enumValueTitles": {}}}
    ], "responses": {"200": {"schema": {"type": "object", "properties": {"Z": {"type": "string"}, "A": {"type": "integer", "format": "int32", "description": "Valid values:\n- **1**: one"}}}}}},
    "A": {"methods": ["get"], "parameters": [], "responses": {}}
  },
  "endpoints": [{"regionId": "cn-hangzhou", "endpoint": "demo.example.com\t"}]
}"#;

    #[test]
    fn splits_and_enriches_deterministically() {
        let src = Path::new("demo.json");
        let a = import(src, DOC, &Selection::All).unwrap();
        let b = import(src, DOC, &Selection::All).unwrap();
        assert_eq!(a.files, b.files);
        assert_eq!(a.default_dir, PathBuf::from("spec/demo/2020-01-01"));
        assert_eq!(a.operations, vec!["A", "B"]);
        let product = &a.files[0].1;
        assert!(product.starts_with(
            "{\n  \"importedFrom\": \"api-docs\",\n  \"version\": \"1.0\",\n  \"info\""
        ));
        // The portal's grouping carries titles: prose, dropped.
        assert!(!product.contains("\"directories\""));
        assert!(product.contains("\"demo.example.com\\t\""));
        assert!(!product.contains("\"apis\""));
        let op_b = &a.files[2].1;
        assert!(op_b.starts_with(
            "{\n  \"importedFrom\": \"api-docs\",\n  \"action\": \"B\",\n  \"methods\""
        ));
        // Facts only: no description, no value titles; the values found in them stay.
        for prose in ["description", "enumValueTitles", "manual", "Valid values"] {
            assert!(!op_b.contains(prose), "{prose} kept in {op_b}");
        }
        assert!(
            op_b.contains("\"enum\": [\n          \"ON\",\n          \"OFF\"\n        ]"),
            "{op_b}"
        );
        // The string gets an enum with titles; the boolean and the integer do not.
        assert_eq!(
            a.enums_added
                .iter()
                .map(|(_, p, v)| format!("{p}={}", v.join("|")))
                .collect::<Vec<_>>(),
            vec![
                "$.parameters[0].schema=ON|OFF",
                "$.parameters[2].schema.items=x|y",
                "$.parameters[3].schema=a|b",
                "$.parameters[4].schema=m",
            ]
        );
        // Properties keep their order.
        assert!(op_b.find("\"Z\"") < op_b.find("\"A\""));
    }

    #[test]
    fn selections_must_exist() {
        let src = Path::new("demo.json");
        let one = import(src, DOC, &Selection::Only(vec!["A".to_owned()])).unwrap();
        assert_eq!(one.files.len(), 2);
        let e = import(src, DOC, &Selection::Only(vec!["Nope".to_owned()])).unwrap_err();
        assert_eq!(e[0].path, "$.apis.Nope");
    }

    #[test]
    fn broken_files_name_the_path() {
        let src = Path::new("demo.json");
        let e = import(
            src,
            r#"{"info": {"product": "X", "version": "1"}, "apis": []}"#,
            &Selection::All,
        )
        .unwrap_err();
        assert_eq!(e[0].path, "$.apis");
        let e = import(src, "{", &Selection::All).unwrap_err();
        assert!(e[0].expected.starts_with("expected valid JSON"));
    }

    #[test]
    fn writing_twice_changes_nothing_and_changes_are_refused() {
        let src = Path::new("demo.json");
        let dir = std::env::temp_dir().join(format!("sas-import-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let a = import(src, DOC, &Selection::All).unwrap();
        let first = write(&dir, &a, false).unwrap();
        assert_eq!(first.created.len(), 3);
        let second = write(&dir, &a, false).unwrap();
        assert_eq!((second.created.len(), second.unchanged), (0, 3));
        // A hand edit is reported by JSON path and not overwritten.
        let b_file = dir.join("operations/B.json");
        let edited = a.files[2].1.replace("\"ON\"", "\"ENABLED\"");
        std::fs::write(&b_file, &edited).unwrap();
        let refused = write(&dir, &a, false).unwrap();
        assert_eq!(refused.refused.len(), 1);
        assert_eq!(
            refused.refused[0].changes,
            vec!["changed $.parameters[0].schema.enum[0] (\"ENABLED\" → \"ON\")"]
        );
        assert_eq!(std::fs::read_to_string(&b_file).unwrap(), edited);
        let forced = write(&dir, &a, true).unwrap();
        assert_eq!(forced.overwritten.len(), 1);
        assert_eq!(std::fs::read_to_string(&b_file).unwrap(), a.files[2].1);
        // A hand-written file (no marker) is kept, even with force.
        let hand = "{\n  \"action\": \"B\",\n  \"summaryEn\": \"Ours.\"\n}\n";
        std::fs::write(&b_file, hand).unwrap();
        let kept = write(&dir, &a, true).unwrap();
        assert_eq!(kept.kept, vec![b_file.clone()]);
        assert!(kept.refused.is_empty() && kept.overwritten.is_empty());
        assert_eq!(std::fs::read_to_string(&b_file).unwrap(), hand);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
