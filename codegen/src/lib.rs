//! The generator: Alibaba Cloud API specs (official api-docs entries plus extensions) → Rust
//! crates built on `alibabacloud-runtime`.
//!
//! Pipeline: [`load`] (JSON → [`spec`] model, errors with file and JSON path) → [`lower`]
//! (validation, naming, docs → [`ir`]) → [`emit`] (tokens → prettyplease) → [`write`] (atomic,
//! deterministic, with a check mode). [`regenerate`] is all of `cargo xtask gen` in one call.

pub mod dara;
pub mod diag;
pub mod diff;
pub mod docs;
pub mod emit;
pub mod examples;
pub mod facts;
pub mod import;
pub mod ir;
pub mod json_ext;
pub mod load;
pub mod lower;
pub mod naming;
pub mod normalize;
pub mod paging;
pub mod regen;
pub mod spec;
pub mod surface_interop;
pub mod synth;
pub mod tolerant;
pub mod values;
pub mod write;

pub use regen::regenerate;

use diag::{SpecError, Warning};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What generation produced.
#[derive(Debug)]
pub struct Generated {
    /// Crate directory name → (relative file path → contents).
    pub crates: BTreeMap<String, BTreeMap<String, String>>,
    /// Spec inconsistencies worth a look.
    pub warnings: Vec<Warning>,
    /// Number of operations per crate directory.
    pub operation_counts: BTreeMap<String, usize>,
}

/// Options of [`generate`].
#[derive(Debug, Clone)]
pub struct Options {
    /// How generated crates reach the runtime.
    pub runtime: emit::RuntimeDep,
    /// Emit `tests/examples.rs` decoding every documented response example.
    pub example_tests: bool,
    /// Prefix of spec paths in headers (`spec`).
    pub label_root: String,
    /// Action → `responseDemo` for operations whose spec has none (facts-only imports): the
    /// official examples, decoded by `tests/examples.rs` of a scratch crate, never committed.
    pub examples: BTreeMap<String, String>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            runtime: emit::RuntimeDep::Workspace,
            example_tests: true,
            label_root: "spec".to_owned(),
            examples: BTreeMap::new(),
        }
    }
}

/// Generates every product found under `spec_root`. Nothing is written.
pub fn generate(spec_root: &Path, opts: &Options) -> Result<Generated, Vec<SpecError>> {
    let products = load::find_products(spec_root).map_err(|e| vec![e])?;
    if products.is_empty() {
        return Err(vec![SpecError::new(
            spec_root,
            "$",
            "expected at least one product directory holding a product.json",
        )]);
    }
    let mut out = Generated {
        crates: BTreeMap::new(),
        warnings: Vec::new(),
        operation_counts: BTreeMap::new(),
    };
    let mut errors = Vec::new();
    let mut owners: BTreeMap<String, PathBuf> = BTreeMap::new();
    for dir in products {
        match generate_product(&dir, spec_root, opts) {
            Ok((name, files, mut warnings, count)) => {
                if let Some(first) = owners.get(&name) {
                    errors.push(SpecError::new(
                        dir.join("product.json"),
                        "$.info",
                        format!(
                            "expected a product and version distinct from {} (both generate generated/{name})",
                            first.display()
                        ),
                    ));
                    continue;
                }
                owners.insert(name.clone(), dir.join("product.json"));
                out.warnings.append(&mut warnings);
                out.operation_counts.insert(name.clone(), count);
                out.crates.insert(name, files);
            }
            Err(mut e) => errors.append(&mut e),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Crate directory name, files, warnings, operation count.
pub type ProductOutput = (String, BTreeMap<String, String>, Vec<Warning>, usize);

/// Generates one product directory.
pub fn generate_product(
    dir: &Path,
    spec_root: &Path,
    opts: &Options,
) -> Result<ProductOutput, Vec<SpecError>> {
    let loaded = load::product_dir(dir, spec_root)?;
    let lowered = lower::lower(&loaded.product_path, &loaded.product, &loaded.operations)?;
    emit_product(dir, spec_root, &loaded, lowered, opts)
}

/// Emits a loaded and lowered product directory (the last half of [`generate_product`]).
pub(crate) fn emit_product(
    dir: &Path,
    spec_root: &Path,
    loaded: &load::ProductDir,
    lowered: lower::Lowered,
    opts: &Options,
) -> Result<ProductOutput, Vec<SpecError>> {
    let examples: BTreeMap<String, String> = if opts.example_tests {
        loaded
            .operations
            .iter()
            .filter_map(|o| {
                let action = o.spec.action.clone().unwrap_or_else(|| o.stem.clone());
                let demo = o
                    .spec
                    .response_demo
                    .as_deref()
                    .or_else(|| opts.examples.get(&action).map(String::as_str));
                examples::json_example(demo)
                    .filter(|e| serde_json::from_str::<serde_json::Value>(e).is_ok())
                    .map(|e| (action, e))
            })
            .collect()
    } else {
        BTreeMap::new()
    };
    let relative = dir
        .strip_prefix(spec_root)
        .unwrap_or(dir)
        .to_string_lossy()
        .replace('\\', "/");
    let label = format!("{}/{relative}", opts.label_root);
    let emit_opts = emit::EmitOptions {
        runtime: opts.runtime.clone(),
        spec_label: label,
        example_tests: opts.example_tests,
    };
    let mut files = emit::emit_crate(&lowered.ir, &examples, &emit_opts).map_err(|e| {
        vec![SpecError::new(
            dir,
            "$",
            format!("generated code that parses ({e})"),
        )]
    })?;
    if opts.example_tests {
        let components = loaded
            .product
            .components
            .as_ref()
            .map(|c| c.schemas.clone())
            .unwrap_or_default();
        let bodies = loaded
            .operations
            .iter()
            .filter_map(|o| {
                let action = o.spec.action.clone().unwrap_or_else(|| o.stem.clone());
                let schema = o.spec.responses.get("200")?.schema.as_ref()?;
                let body = synth::value(schema, &components);
                Some((action, serde_json::to_string(&body).ok()?))
            })
            .collect();
        let text =
            synth::responses_rs(&lowered.ir, &bodies, &emit_opts.spec_label).map_err(|e| {
                vec![SpecError::new(
                    dir,
                    "$",
                    format!("generated code that parses ({e})"),
                )]
            })?;
        files.insert("tests/responses.rs".to_owned(), text);
    }
    Ok((
        lowered.ir.product.dir_name.clone(),
        files,
        lowered.warnings,
        lowered.ir.operations.len(),
    ))
}
