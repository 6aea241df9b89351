//! The Rust side of the interop cases on real Security Center operations.
//!
//! The committed crate holds only the seed operation, so `cargo xtask interop` imports the
//! other operations its cases name from the official metadata (`../shared/alibaba-metadata/`,
//! read in place) into `target/interop/spec`, generates them into a standalone
//! `alibabacloud-sas20181203` under `target/interop/generated`, and builds the driver
//! `tests/interop/real_driver.rs` against it (in `target/corpus-target`, whose dependencies the
//! corpus check already built). The interop example runs that driver for those cases.

use sas_codegen::emit::RuntimeDep;
use sas_codegen::import::Selection;
use sas_codegen::Options;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The operation whose Rust side is the committed crate; every other `sas` case is real.
pub const SEED: &str = "CreateContainerScanTaskByAppName";

/// The operations of the `sas` cases of `cases.json` other than the seed.
pub fn real_operations(cases_json: &str) -> Result<BTreeSet<String>, String> {
    let doc: serde_json::Value =
        serde_json::from_str(cases_json).map_err(|e| format!("cases.json: {e}"))?;
    let cases = doc
        .get("cases")
        .and_then(serde_json::Value::as_array)
        .ok_or("cases.json: no cases")?;
    Ok(cases
        .iter()
        .filter(|c| c.get("product").and_then(serde_json::Value::as_str) == Some("sas"))
        .filter_map(|c| c.get("operation").and_then(serde_json::Value::as_str))
        .filter(|op| *op != SEED)
        .map(str::to_owned)
        .collect())
}

/// Imports, generates and builds; returns the driver binary.
pub fn build_driver(metadata: &Path) -> Result<PathBuf, String> {
    let root = crate::root();
    let cases = std::fs::read_to_string(root.join("tests/interop/cases.json"))
        .map_err(|e| format!("tests/interop/cases.json: {e}"))?;
    let operations = real_operations(&cases)?;
    let work = root.join("target").join("interop");
    let spec_root = work.join("spec");
    if spec_root.exists() {
        std::fs::remove_dir_all(&spec_root)
            .map_err(|e| format!("cannot clear {}: {e}", spec_root.display()))?;
    }
    let imported =
        crate::import::read(metadata, &Selection::Only(operations.into_iter().collect()))?;
    let product_dir = spec_root.join(
        imported
            .default_dir
            .strip_prefix("spec")
            .unwrap_or(&imported.default_dir),
    );
    sas_codegen::import::write(&product_dir, &imported, true)
        .map_err(|e| format!("writing {}: {e}", product_dir.display()))?;
    let opts = Options {
        runtime: RuntimeDep::Path(root.join("runtime").to_string_lossy().into_owned()),
        example_tests: false,
        label_root: "spec".to_owned(),
    };
    let generated = sas_codegen::generate(&spec_root, &opts).map_err(|errors| {
        for e in &errors {
            eprintln!("error: {e}");
        }
        format!(
            "generating the real operations failed ({} error(s))",
            errors.len()
        )
    })?;
    let out = work.join("generated");
    sas_codegen::write::write_all(&out, &generated.crates)
        .map_err(|e| format!("writing {}: {e}", out.display()))?;
    let crate_dir = generated
        .crates
        .keys()
        .next()
        .map(|d| out.join(d))
        .ok_or("generation produced no crate")?;

    let driver = work.join("driver");
    std::fs::create_dir_all(driver.join("src"))
        .map_err(|e| format!("{}: {e}", driver.display()))?;
    let manifest = format!(
        "# Written by `cargo xtask interop`.\n[package]\nname = \"interop-real-driver\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n[[bin]]\nname = \"interop-real-driver\"\npath = {main:?}\n\n[dependencies]\nalibabacloud-sas20181203 = {{ path = {sas:?} }}\nalibabacloud-runtime = {{ path = {runtime:?} }}\nserde_json = \"1\"\ntokio = {{ version = \"1\", features = [\"macros\", \"rt\"] }}\n\n[workspace]\n",
        main = root.join("tests/interop/real_driver.rs").to_string_lossy(),
        sas = crate_dir.to_string_lossy(),
        runtime = root.join("runtime").to_string_lossy(),
    );
    write_if_changed(&driver.join("Cargo.toml"), &manifest)?;
    crate::corpus::seed_lockfile(&root, &driver);
    let target_dir = root.join("target").join("corpus-target");
    let status = Command::new(crate::corpus::cargo())
        .args(["build", "--quiet"])
        .current_dir(&driver)
        .env("CARGO_TARGET_DIR", &target_dir)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err(format!(
            "building the interop driver of the real operations failed ({status})"
        ));
    }
    Ok(target_dir.join("debug").join("interop-real-driver"))
}

fn write_if_changed(path: &Path, text: &str) -> Result<(), String> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_real_operations_are_the_sas_cases_but_the_seed() {
        let cases = r#"{"cases": [
            {"product": "sas", "operation": "CreateContainerScanTaskByAppName"},
            {"product": "sas", "operation": "ListPluginForUuid"},
            {"product": "sas", "operation": "ListPluginForUuid"},
            {"product": "fixture", "operation": "EchoParams"}
        ]}"#;
        let ops = real_operations(cases).unwrap();
        assert_eq!(
            ops.into_iter().collect::<Vec<_>>(),
            vec!["ListPluginForUuid"]
        );
    }
}
