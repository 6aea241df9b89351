//! Generation that survives a bad operation: [`generate_product`] skips every operation whose
//! file does not load or lower, with its located errors, and generates the rest of the product.
//! Used by `cargo xtask corpus` on other products' metadata; `cargo xtask gen` stays strict.

use crate::diag::SpecError;
use crate::load::{self, OperationFile};
use crate::{lower, Options, ProductOutput};
use std::collections::BTreeMap;
use std::path::Path;

/// One operation left out, with the errors that made it so.
#[derive(Debug, Clone)]
pub struct Skipped {
    /// The action (the file stem).
    pub action: String,
    /// Where and why (the first error names file and JSON path).
    pub errors: Vec<SpecError>,
}

/// A product generated without its broken operations.
#[derive(Debug)]
pub struct Partial {
    /// What [`crate::generate_product`] returns for the operations kept.
    pub output: ProductOutput,
    /// The operations left out, sorted by action.
    pub skipped: Vec<Skipped>,
}

/// Generates the product directory `dir` like [`crate::generate_product`], leaving out each
/// operation whose file fails to load or to lower (never silently: see [`Partial::skipped`]).
/// Errors of `product.json` itself (or of its shared schemas) stop the product.
pub fn generate_product(
    dir: &Path,
    spec_root: &Path,
    opts: &Options,
) -> Result<Partial, Vec<SpecError>> {
    // Load every operation on its own, so that one broken file does not hide the others.
    let mut skipped: BTreeMap<String, Vec<SpecError>> = BTreeMap::new();
    let (mut loaded, load_errors) = load::product_dir_lenient(dir, spec_root)?;
    for e in load_errors {
        skipped.entry(stem(&e.file)).or_default().push(e);
    }
    // Lower; errors located in an operation file drop that operation, then lower again (each
    // round drops at least one operation, so this ends).
    loop {
        match lower::lower(&loaded.product_path, &loaded.product, &loaded.operations) {
            Ok(lowered) => {
                let output = crate::emit_product(dir, spec_root, &loaded, lowered, opts)?;
                let skipped = skipped
                    .into_iter()
                    .map(|(action, errors)| Skipped { action, errors })
                    .collect();
                return Ok(Partial { output, skipped });
            }
            Err(errors) => {
                let (ops, product): (Vec<SpecError>, Vec<SpecError>) = errors
                    .into_iter()
                    .partition(|e| is_operation_file(&loaded.operations, e));
                if !product.is_empty() || ops.is_empty() {
                    return Err(product);
                }
                for e in ops {
                    skipped.entry(stem(&e.file)).or_default().push(e);
                }
                loaded
                    .operations
                    .retain(|o: &OperationFile| !skipped.contains_key(&o.stem));
            }
        }
    }
}

fn stem(file: &Path) -> String {
    file.file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_owned()
}

fn is_operation_file(ops: &[OperationFile], e: &SpecError) -> bool {
    ops.iter().any(|o| o.path == e.file)
}
