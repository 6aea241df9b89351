//! `cargo xtask interop-roa [--products DIR]`: the ROA request path against the official SDKs
//! of ROA products. For each product of [`PRODUCTS`], imports it from the development corpus
//! into `target/interop-roa/spec`, generates its crate, and runs `interop-surface --all --sdk
//! <sdk>` on it: every operation with every parameter set, sent by our client and by the
//! official Python SDK's real client (pinned in `tests/interop/requirements.txt`) to the
//! verifier, which checks the official V3 signature over the path; method, path, query, header
//! parameters, content type and the JSON body bytes must be equal. Nothing is committed.

use sas_codegen::import::Selection;
use std::path::{Path, PathBuf};

/// The products checked (metadata file, Python SDK module suffix): Tingwu (path parameters,
/// query, JSON bodies; PUT, GET, POST, DELETE) and Ververica (header parameters in every
/// operation, several path parameters, JSON bodies) and ACM (form bodies, query; its SDK is of
/// the older Tea generation, on the same `alibabacloud-tea-openapi`).
const PRODUCTS: &[(&str, &str)] = &[
    ("tingwu_2023-09-30.json", "tingwu20230930"),
    ("ververica_2022-07-18.json", "ververica20220718"),
    ("acm_2020-02-06.json", "acm20200206"),
];

pub fn run(args: &[String]) -> Result<(), String> {
    let root = crate::root();
    let mut dir = crate::corpus::default_products(root);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--products" => dir = PathBuf::from(it.next().ok_or("--products needs a folder")?),
            other => {
                return Err(format!(
                    "interop-roa: unknown argument {other:?} (usage: cargo xtask interop-roa [--products DIR])"
                ))
            }
        }
    }
    for (file, sdk) in PRODUCTS {
        let source = dir.join(file);
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
        println!("\ninterop-roa: {file} with alibabacloud_{sdk}");
        one(root, &source, sdk)?;
    }
    Ok(())
}

/// Imports `source` and runs the whole-surface check on it with the official SDK `sdk`.
fn one(root: &Path, source: &Path, sdk: &str) -> Result<(), String> {
    let imported = crate::import::read(source, &Selection::All)?;
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
        sdk.to_owned(),
    ])
}
