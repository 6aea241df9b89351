//! Pagination inference against the official metadata in `../shared/alibaba-metadata`
//! (Security Center and the products under `products/`, read in place; skipped when absent):
//! every inferred `pagination` must pass lowering's checks against the schema, and the counts
//! are printed (`cargo test -p sas-codegen --test paging_corpus -- --nocapture`).

use sas_codegen::import::{self, Selection};
use std::path::{Path, PathBuf};

fn metadata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/alibaba-metadata")
}

/// Imports `file`, lowers the result, and returns (paged, unrecognised, pagination errors), or
/// `None` when the product does not import or lower for reasons other than pagination.
fn check(file: &Path) -> Option<(usize, usize, Vec<String>)> {
    let text = std::fs::read_to_string(file).ok()?;
    let imported = import::import(file, &text, &Selection::All).ok()?;
    let tmp = tempfile::tempdir().ok()?;
    import::write(tmp.path(), &imported, false).ok()?;
    let loaded = sas_codegen::load::product_dir(tmp.path(), tmp.path()).ok()?;
    let errors = match sas_codegen::lower::lower(
        &loaded.product_path,
        &loaded.product,
        &loaded.operations,
    ) {
        Ok(_) => Vec::new(),
        Err(errors) => errors
            .iter()
            .filter(|e| e.path.starts_with("$.pagination"))
            .map(|e| e.to_string())
            .collect(),
    };
    Some((imported.paged.len(), imported.unpaged.len(), errors))
}

#[test]
fn every_inferred_pagination_lowers() {
    let root = metadata();
    let sas = root.join("sas-2018-12-03.api-docs.json");
    if !sas.is_file() {
        eprintln!("skipped: {} is absent", sas.display());
        return;
    }
    let mut files = vec![sas];
    if let Ok(dir) = std::fs::read_dir(root.join("products")) {
        let mut more: Vec<PathBuf> = dir
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        more.sort();
        files.extend(more);
    }
    let (mut products, mut paged, mut unpaged, mut failures) = (0, 0, 0, Vec::new());
    for f in &files {
        let Some((p, u, errors)) = check(f) else {
            continue;
        };
        products += 1;
        paged += p;
        unpaged += u;
        failures.extend(errors);
        if f.ends_with("sas-2018-12-03.api-docs.json") {
            eprintln!("Sas: {p} paged, {u} with page parameters and no paginator");
            assert!(p >= 144, "Security Center: {p} paged operations");
        }
    }
    eprintln!("{products} products: {paged} paged operations, {unpaged} left without a paginator");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
