//! `cargo xtask interop-roa [--metadata FILE]`: the ROA request path against the official SDK
//! of a ROA product. Imports Tingwu `2023-09-30` (ROA: path parameters, query, a JSON body;
//! PUT, GET, POST and DELETE) from the development corpus into `target/interop-roa/spec`,
//! generates its crate, and runs `interop-surface --all --sdk tingwu20230930` on it: every
//! operation with every parameter set, sent by our client and by the official Python SDK's real
//! client (`alibabacloud-tingwu20230930`, pinned in `tests/interop/requirements.txt`) to the
//! verifier, which checks the official V3 signature over the path; method, path, query,
//! content type and the JSON body bytes must be equal. Nothing is committed.

use sas_codegen::import::Selection;
use std::path::PathBuf;

/// The product checked, and its Python SDK's module suffix.
const FILE: &str = "tingwu_2023-09-30.json";
const SDK: &str = "tingwu20230930";

pub fn run(args: &[String]) -> Result<(), String> {
    let root = crate::root();
    let mut source = crate::corpus::default_products(root).join(FILE);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--metadata" => source = PathBuf::from(it.next().ok_or("--metadata needs a file")?),
            other => {
                return Err(format!(
                    "interop-roa: unknown argument {other:?} (usage: cargo xtask interop-roa [--metadata FILE])"
                ))
            }
        }
    }
    if !source.is_file() {
        if crate::ci::in_ci() {
            return Err(format!(
                "interop-roa: {} not found, and CI always has it (CI is set)",
                source.display()
            ));
        }
        println!("interop-roa SKIPPED: {} not found", source.display());
        return Ok(());
    }
    let imported = crate::import::read(&source, &Selection::All)?;
    if !imported.skipped.is_empty() {
        return Err(format!(
            "interop-roa: {} operation(s) of {} could not be imported",
            imported.skipped.len(),
            source.display()
        ));
    }
    let spec_root = root.join("target").join("interop-roa").join("spec");
    let _ = std::fs::remove_dir_all(&spec_root);
    let dir = spec_root.join(
        imported
            .default_dir
            .strip_prefix("spec")
            .unwrap_or(&imported.default_dir),
    );
    sas_codegen::import::write(&dir, &imported, true)
        .map_err(|e| format!("writing {}: {e}", dir.display()))?;
    crate::interop_surface::run(&[
        "--spec".to_owned(),
        spec_root.to_string_lossy().into_owned(),
        "--all".to_owned(),
        "--sdk".to_owned(),
        SDK.to_owned(),
    ])
}
