//! Reading spec files from disk into the model, with file and JSON path on every error.

use crate::diag::{from_serde_path, SpecError};
use crate::lower::OperationFile;
use crate::spec::{OperationSpec, ProductSpec};
use serde::de::DeserializeOwned;
use std::path::{Path, PathBuf};

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
    let mut de = serde_json::Deserializer::from_str(text);
    let result: Result<T, _> = serde_path_to_error::deserialize(&mut de);
    match result {
        Ok(v) => match de.end() {
            Ok(()) => Ok(v),
            Err(e) => Err(SpecError::new(
                file,
                "$",
                format!("expected the end of the JSON document ({e})"),
            )),
        },
        Err(e) => {
            let path = from_serde_path(e.path());
            let inner = e.into_inner();
            let what = if inner.is_syntax() || inner.is_eof() {
                format!("expected valid JSON ({inner})")
            } else {
                describe(&inner.to_string())
            };
            Err(SpecError::new(file, path, what))
        }
    }
}

/// Leads serde's message with what was expected (`missing field` has no "expected").
fn describe(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("missing field ") {
        let field = rest.split(" at line").next().unwrap_or(rest);
        format!("expected field {field} (it is missing)")
    } else {
        message.to_owned()
    }
}

fn read(file: &Path) -> Result<String, SpecError> {
    std::fs::read_to_string(file)
        .map_err(|e| SpecError::new(file, "$", format!("a readable UTF-8 file ({e})")))
}

/// Reads one operation file; the action is the file stem.
pub fn operation(file: &Path, root: &Path) -> Result<OperationFile, SpecError> {
    let text = read(file)?;
    let spec: OperationSpec = parse(file, &text)?;
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

/// Reads a product directory. Every broken file is reported, not just the first.
pub fn product_dir(dir: &Path, root: &Path) -> Result<ProductDir, Vec<SpecError>> {
    let product_path = dir.join("product.json");
    let mut errors = Vec::new();
    let product = match read(&product_path).and_then(|t| parse::<ProductSpec>(&product_path, &t)) {
        Ok(p) => Some(p),
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
                format!("a readable directory ({e})"),
            ));
            Vec::new()
        }
    };
    files.sort();
    let mut operations = Vec::new();
    for f in &files {
        match operation(f, root) {
            Ok(o) => operations.push(o),
            Err(e) => errors.push(e),
        }
    }
    match product {
        Some(product) if errors.is_empty() => Ok(ProductDir {
            product_path,
            product,
            operations,
        }),
        _ => Err(errors),
    }
}

/// Every product directory under `spec_root` (directories holding a `product.json`), sorted.
pub fn find_products(spec_root: &Path) -> Result<Vec<PathBuf>, SpecError> {
    let mut out = Vec::new();
    walk(spec_root, &mut out, 0)
        .map_err(|e| SpecError::new(spec_root, "$", format!("a readable spec directory ({e})")))?;
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
