//! Spec → IR: validates what serde cannot (names, references, formats, duplicates), makes every
//! name and every wire decision, and renders docs. The emitter only prints what this decides.
//!
//! - [`types`]: schemas → types, named after their path (the stability rule is there);
//! - [`operation`]: one operation: request, required companion, response, client method;
//! - [`errors`]: the error-code enum of an operation;
//! - [`lint`]: warnings about inconsistent specs;
//! - [`pagination`]: the `pagination` extension, checked and resolved to Rust fields.

mod errors;
mod lint;
mod operation;
mod pagination;
mod roa;
pub mod types;

use crate::diag::{join, SpecError, Warning};
use crate::ir::*;
use crate::load::OperationFile;
use crate::naming::{self, Scope};
use crate::spec::ProductSpec;
use std::collections::BTreeMap;
use std::path::Path;
use types::{ModuleBuilder, TypeCx};

/// Names a module must not give its own types: those that generated code writes unqualified
/// (everything else it names through `rt::`, `::core::` or `crate::`). Derive names are not
/// here: derives live in the macro namespace.
pub(crate) const RESERVED_TYPES: &[&str] = &[
    "Option", "Some", "None", "String", "Vec", "Box", "From", "Into", "Ok", "Err", "Self",
];

/// The output of lowering.
#[derive(Debug)]
pub struct Lowered {
    /// The crate.
    pub ir: CrateIr,
    /// Inconsistencies worth a look.
    pub warnings: Vec<Warning>,
}

/// Lowers a product and its operations.
///
/// Long on purpose: it is the table of contents of lowering (product facts, operations, shared
/// types, error enums, pagination, crate docs), in order, each step a call into its module.
pub fn lower(
    product_path: &Path,
    product: &ProductSpec,
    ops: &[OperationFile],
) -> Result<Lowered, Vec<SpecError>> {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let roa = product.info.style.eq_ignore_ascii_case("roa");
    if !roa && !product.info.style.eq_ignore_ascii_case("rpc") {
        errors.push(SpecError::new(
            product_path,
            "$.info.style",
            format!(
                "expected \"RPC\" or \"ROA\" (the styles generated), found {:?}",
                product.info.style
            ),
        ));
    }
    let code = product.info.product.trim();
    if !naming::has_identifier(code) {
        errors.push(SpecError::new(
            product_path,
            "$.info.product",
            "expected a product code with letters or digits",
        ));
    }
    let version = product.info.version.trim();
    let version_digits: String = version.chars().filter(char::is_ascii_digit).collect();
    if version.is_empty() || version_digits.is_empty() {
        errors.push(SpecError::new(
            product_path,
            "$.info.version",
            "expected an API version such as 2018-12-03",
        ));
    }
    let dir_name = format!(
        "{}{}",
        code.chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_lowercase(),
        version_digits
    );
    let crate_name = product
        .crate_name
        .clone()
        .unwrap_or_else(|| format!("alibabacloud-{dir_name}"));
    if crate_name.is_empty()
        || !crate_name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        errors.push(SpecError::new(
            product_path,
            "$.crateName",
            "expected a Cargo package name (letters, digits, - and _)",
        ));
    }
    let crate_version = crate_version(product_path, product, &mut errors);
    let mut endpoints = Vec::new();
    for (i, e) in product.endpoints.iter().enumerate() {
        let (region, host) = (e.region_id.trim(), e.endpoint.trim());
        if region.is_empty() || host.is_empty() || host.contains(char::is_whitespace) {
            errors.push(SpecError::new(
                product_path,
                format!("$.endpoints[{i}]"),
                "expected a region id and a host name",
            ));
            continue;
        }
        if e.endpoint != host || e.region_id != region {
            warnings.push(Warning {
                file: product_path.to_owned(),
                path: format!("$.endpoints[{i}]"),
                message: format!("whitespace around {host:?} trimmed"),
            });
        }
        endpoints.push((region.to_owned(), host.to_owned()));
    }

    // Shared types from components: module `types`.
    let mut shared_names: BTreeMap<String, String> = BTreeMap::new();
    let mut shared = ModuleBuilder::new("types", Vec::new());
    if let Some(c) = &product.components {
        for name in c.schemas.keys() {
            if !naming::has_identifier(name) {
                errors.push(SpecError::new(
                    product_path,
                    join("$.components.schemas", name),
                    "expected a schema name with letters or digits",
                ));
                continue;
            }
            shared_names.insert(name.clone(), shared.claim_type(name));
        }
        for (name, schema) in &c.schemas {
            let Some(rust) = shared_names.get(name).cloned() else {
                continue;
            };
            let module = shared.claim_module(name);
            let mut cx = TypeCx {
                file: product_path,
                shared: &shared_names,
                components: &c.schemas,
                kind: StructKind::Response,
                stack: vec![name.clone()],
                errors: &mut errors,
            };
            let path = join("$.components.schemas", name);
            cx.named_object(schema, name, &rust, &module, &mut shared, &path);
        }
    }

    let empty = indexmap::IndexMap::new();
    let components = product.components.as_ref().map_or(&empty, |c| &c.schemas);
    let code_version = ProductCx {
        code: code.to_owned(),
        version: version.to_owned(),
        roa,
    };
    let mut operations = Vec::new();
    let mut modules = Scope::with_reserved(&["types", "client"]);
    let mut methods = Scope::with_reserved(&["new", "builder", "runtime", "from", "clone", "fmt"]);
    for op in ops {
        match operation::lower_operation(
            op,
            &code_version,
            &shared_names,
            components,
            &mut modules,
            &mut methods,
            &mut warnings,
        ) {
            Ok(o) => operations.push(o),
            Err(mut e) => errors.append(&mut e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Lowered {
        ir: CrateIr {
            product: ProductIr {
                code: code.to_owned(),
                version: version.to_owned(),
                crate_name,
                crate_version,
                dir_name,
                title: product.title.clone(),
                endpoints,
                docs: product
                    .crate_docs_text
                    .as_deref()
                    .map(|t| t.lines().map(str::to_owned).collect())
                    .unwrap_or_default(),
            },
            operations,
            shared_types: shared.finish(),
        },
        warnings,
    })
}

/// What every operation of a product needs to know about it.
pub(super) struct ProductCx {
    /// Product code.
    pub code: String,
    /// API version.
    pub version: String,
    /// Whether the product is ROA (else RPC).
    pub roa: bool,
}

/// `crateVersion`, checked to be a semver version (the API change report compares them).
fn crate_version(file: &Path, product: &ProductSpec, errors: &mut Vec<SpecError>) -> String {
    let v = product
        .crate_version
        .as_deref()
        .unwrap_or(crate::spec::DEFAULT_CRATE_VERSION);
    if semver::Version::parse(v).is_err() {
        errors.push(SpecError::new(
            file,
            "$.crateVersion",
            format!("expected a semver version such as 0.2.0, found {v:?}"),
        ));
    }
    v.to_owned()
}
