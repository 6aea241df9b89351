//! Reading spec files from disk into the model, with file and JSON path on every error.

use crate::diag::{from_serde_path, join, SpecError};
use crate::spec::{OperationSpec, ProductSpec};
use serde::de::DeserializeOwned;
use std::path::{Path, PathBuf};

/// One parsed operation file.
#[derive(Debug, Clone)]
pub struct OperationFile {
    /// Path of the file (as shown in errors).
    pub path: PathBuf,
    /// Path relative to the spec root (for headers).
    pub relative: String,
    /// Action name from the file name.
    pub stem: String,
    /// The spec.
    pub spec: OperationSpec,
}

/// A product directory: `product.json` and `operations/*.json`.
#[derive(Debug)]
pub struct ProductDir {
    /// `product.json`.
    pub product_path: PathBuf,
    /// The product.
    pub product: ProductSpec,
    /// Operations sorted by file name.
    pub operations: Vec<OperationFile>,
}

/// Parses JSON text into `T`, naming the JSON path of any mismatch.
pub fn parse<T: DeserializeOwned>(file: &Path, text: &str) -> Result<T, SpecError> {
    parse_as(file, text, Shape::Any)
}

/// Parses JSON text into `T` whose JSON form is `shape`, naming the JSON path of any mismatch.
/// serde reads a struct from an array positionally (`["x"]` as `{"action": "x"}`), so an array
/// where the spec model has an object is rejected first, with its path.
fn parse_as<T: DeserializeOwned>(file: &Path, text: &str, shape: Shape) -> Result<T, SpecError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let result: Result<T, _> = serde_path_to_error::deserialize(&mut de);
    let result = result.map_err(|e| {
        let path = from_serde_path(e.path());
        let inner = e.into_inner();
        let syntax = inner.is_syntax() || inner.is_eof();
        let what = if syntax {
            format!("expected valid JSON ({inner})")
        } else {
            describe(&inner.to_string())
        };
        (SpecError::new(file, path, what), syntax)
    });
    if !matches!(result, Err((_, true))) {
        if let Ok(value) = serde_json::from_str::<serde_json::Value>(text) {
            if let Some(path) = positional(&value, "$".to_owned(), shape) {
                return Err(SpecError::new(
                    file,
                    path,
                    "expected an object, found an array",
                ));
            }
        }
    }
    match result {
        Ok(v) => match de.end() {
            Ok(()) => Ok(v),
            Err(e) => Err(SpecError::new(
                file,
                "$",
                format!("expected the end of the JSON document ({e})"),
            )),
        },
        Err((e, _)) => Err(e),
    }
}

/// Where the spec model holds a struct, for [`positional`].
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// Not checked.
    Any,
    Operation,
    Product,
    Parameter,
    Schema,
    Response,
    Components,
    Change,
    /// A struct without nested structs.
    Leaf,
}

/// The path of the first array found where `shape` needs an object.
fn positional(value: &serde_json::Value, path: String, shape: Shape) -> Option<String> {
    use serde_json::Value;
    let map = match (shape, value) {
        (Shape::Any, _) => return None,
        (_, Value::Array(_)) => return Some(path),
        (_, Value::Object(m)) => m,
        _ => return None,
    };
    let each = |v: &Value, p: &str, s: Shape| -> Option<String> {
        match v {
            Value::Array(items) => items
                .iter()
                .enumerate()
                .find_map(|(i, x)| positional(x, format!("{p}[{i}]"), s)),
            _ => None,
        }
    };
    let values = |v: &Value, p: &str, s: Shape| -> Option<String> {
        match v {
            Value::Object(m) => m.iter().find_map(|(k, x)| positional(x, join(p, k), s)),
            _ => None,
        }
    };
    map.iter().find_map(|(k, v)| {
        let p = join(&path, k);
        match (shape, k.as_str()) {
            (Shape::Operation, "parameters") => each(v, &p, Shape::Parameter),
            (Shape::Operation, "responses") => values(v, &p, Shape::Response),
            (Shape::Operation, "errorCodes") => match v {
                Value::Object(m) => m
                    .iter()
                    .find_map(|(k, x)| each(x, &join(&p, k), Shape::Leaf)),
                _ => None,
            },
            (Shape::Operation, "changeHistory") => each(v, &p, Shape::Change),
            (Shape::Change, "changes") => each(v, &p, Shape::Leaf),
            (Shape::Parameter | Shape::Response, "schema") => positional(v, p, Shape::Schema),
            (Shape::Schema, "properties") => values(v, &p, Shape::Schema),
            (Shape::Schema, "items" | "additionalProperties") => positional(v, p, Shape::Schema),
            (Shape::Product, "info") => positional(v, p, Shape::Leaf),
            (Shape::Product, "endpoints") => each(v, &p, Shape::Leaf),
            (Shape::Product, "components") => positional(v, p, Shape::Components),
            (Shape::Components, "schemas") => values(v, &p, Shape::Schema),
            _ => None,
        }
    })
}

/// Leads serde's message with what was expected (`missing field` and `duplicate field` have
/// no "expected").
fn describe(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("missing field ") {
        let field = rest.split(" at line").next().unwrap_or(rest);
        format!("expected field {field} (it is missing)")
    } else if let Some(rest) = message.strip_prefix("duplicate field ") {
        let (field, at) = rest.split_once(" at line").unwrap_or((rest, ""));
        let at = if at.is_empty() {
            String::new()
        } else {
            format!(", again at line{at}")
        };
        format!("expected field {field} once (it is repeated{at})")
    } else {
        message.to_owned()
    }
}

fn read(file: &Path) -> Result<String, SpecError> {
    std::fs::read_to_string(file)
        .map_err(|e| SpecError::new(file, "$", format!("expected a readable UTF-8 file ({e})")))
}

/// Reads one operation file; the action is the file stem.
pub fn operation(file: &Path, root: &Path) -> Result<OperationFile, SpecError> {
    let text = read(file)?;
    let spec: OperationSpec = parse_as(file, &text, Shape::Operation)?;
    let stem = file
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_owned();
    let relative = file
        .strip_prefix(root)
        .unwrap_or(file)
        .to_string_lossy()
        .replace('\\', "/");
    Ok(OperationFile {
        path: file.to_owned(),
        relative,
        stem,
        spec,
    })
}

/// Reads a product directory, keeping the operation files that load: the errors of the others
/// come back beside it. An error in the product file (or an unreadable directory) is `Err`.
pub fn product_dir_lenient(
    dir: &Path,
    root: &Path,
) -> Result<(ProductDir, Vec<SpecError>), Vec<SpecError>> {
    let product_path = dir.join("product.json");
    let mut errors = Vec::new();
    let product = match read(&product_path)
        .and_then(|t| parse_as::<ProductSpec>(&product_path, &t, Shape::Product))
    {
        Ok(mut p) => {
            if let Some(name) = p.crate_docs.clone() {
                let safe = !name.contains("..") && !name.starts_with('/');
                match read(&dir.join(&name)) {
                    Ok(text) if safe => p.crate_docs_text = Some(text),
                    Ok(_) => errors.push(SpecError::new(
                        &product_path,
                        "$.crateDocs",
                        "expected a file name beside product.json",
                    )),
                    Err(e) => errors.push(SpecError::new(&product_path, "$.crateDocs", e.expected)),
                }
            }
            Some(p)
        }
        Err(e) => {
            errors.push(e);
            None
        }
    };
    let ops_dir = dir.join("operations");
    let mut files: Vec<PathBuf> = match std::fs::read_dir(&ops_dir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => {
            errors.push(SpecError::new(
                &ops_dir,
                "$",
                format!("expected a readable directory ({e})"),
            ));
            Vec::new()
        }
    };
    files.sort();
    let mut operations = Vec::new();
    let mut op_errors = Vec::new();
    for f in &files {
        match operation(f, root) {
            Ok(o) => operations.push(o),
            Err(e) => op_errors.push(e),
        }
    }
    match product {
        Some(product) if errors.is_empty() => Ok((
            ProductDir {
                product_path,
                product,
                operations,
            },
            op_errors,
        )),
        _ => {
            errors.append(&mut op_errors);
            Err(errors)
        }
    }
}

/// Reads a product directory. Every broken file is reported, not just the first.
pub fn product_dir(dir: &Path, root: &Path) -> Result<ProductDir, Vec<SpecError>> {
    match product_dir_lenient(dir, root)? {
        (loaded, errors) if errors.is_empty() => Ok(loaded),
        (_, errors) => Err(errors),
    }
}

/// Every product directory under `spec_root` (directories holding a `product.json`), sorted.
pub fn find_products(spec_root: &Path) -> Result<Vec<PathBuf>, SpecError> {
    let mut out = Vec::new();
    walk(spec_root, &mut out, 0).map_err(|e| {
        SpecError::new(
            spec_root,
            "$",
            format!("expected a readable spec directory ({e})"),
        )
    })?;
    out.sort();
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>, depth: usize) -> std::io::Result<()> {
    if depth > 4 {
        return Ok(());
    }
    if dir.join("product.json").is_file() {
        out.push(dir.to_owned());
        return Ok(());
    }
    for entry in std::fs::read_dir(dir)? {
        let p = entry?.path();
        if p.is_dir() {
            walk(&p, out, depth + 1)?;
        }
    }
    Ok(())
}
