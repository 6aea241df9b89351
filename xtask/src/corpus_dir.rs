//! `cargo xtask corpus <directory>`: every product of a folder of official metadata files (one
//! product per `*.json`) through the pipeline, one table row per product.
//!
//! Per product: import (tolerant: see `spec/README.md`, "Importing other products"), generate
//! with broken operations skipped and counted ([`sas_codegen::tolerant`]), and, unless
//! `--gen-only` or outside `--compile`, build the crate and decode its documented examples
//! (the same step as the single-file corpus check, [`crate::corpus::build_and_decode`]). Work
//! happens in `target/corpus-products/<file stem>/`; nothing is committed.

use sas_codegen::emit::RuntimeDep;
use sas_codegen::import::Selection;
use sas_codegen::Options;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What to build after generating.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Compile {
    /// Import and generate only.
    None,
    /// Build and decode every product.
    All,
    /// Build and decode these products (file stems); generate the rest.
    Only(Vec<String>),
}

/// Options of a directory run.
#[derive(Debug, Clone)]
pub struct DirArgs {
    pub dir: PathBuf,
    pub compile: Compile,
    /// Only these file stems (default: every file).
    pub products: Option<Vec<String>>,
    /// Fail unless every product imports and generates every operation (and, where built,
    /// compiles and decodes every example).
    pub strict: bool,
}

/// One row of the table.
#[derive(Debug, Default)]
pub struct Row {
    pub file: String,
    pub style: String,
    pub imported: usize,
    pub generated: usize,
    /// (action, reason).
    pub skipped: Vec<(String, String)>,
    /// Unknown keys of the official format dropped by the import: key → count.
    pub dropped: Vec<(String, usize)>,
    /// Changes made by the import's rules (`spec/README.md`): (action, note).
    pub normalized: Vec<(String, String)>,
    /// `None` when not built.
    pub compiled: Option<usize>,
    /// (decoded, examples), when built.
    pub decoded: Option<(usize, usize)>,
    /// Why the product failed as a whole (import, product file, build).
    pub failure: Option<String>,
    /// A style the generator does not handle (neither RPC nor ROA): listed, not attempted.
    pub unsupported: bool,
    pub time: Duration,
}

impl Row {
    fn ok(&self) -> bool {
        self.unsupported
            || self.failure.is_none()
                && self.skipped.is_empty()
                && self.generated == self.imported
                && self.compiled.is_none_or(|c| c == self.generated)
                && self.decoded.is_none_or(|(d, n)| d == n)
    }
}

pub fn run(args: DirArgs) -> Result<(), String> {
    let root = crate::root();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&args.dir)
        .map_err(|e| format!("cannot read {}: {e}", args.dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .filter(|p| {
            args.products
                .as_ref()
                .is_none_or(|only| only.iter().any(|o| Some(o.as_str()) == stem(p).as_deref()))
        })
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(format!(
            "no product metadata (*.json) in {}",
            args.dir.display()
        ));
    }
    let work = root.join("target").join("corpus-products");
    let started = Instant::now();
    let mut rows = Vec::new();
    print_header();
    for (n, file) in files.iter().enumerate() {
        let name = stem(file).unwrap_or_default();
        let build = match &args.compile {
            Compile::None => false,
            Compile::All => true,
            Compile::Only(list) => list.contains(&name),
        };
        eprintln!(
            "[{}/{}] {name} ({:.0?} elapsed){}",
            n + 1,
            files.len(),
            started.elapsed(),
            if build { ", building" } else { "" }
        );
        let t = Instant::now();
        let mut row = product(root, file, &work.join(&name), build);
        row.file = name;
        row.time = t.elapsed();
        print_row(&row);
        rows.push(row);
    }
    print_details(&rows, started.elapsed());
    let failed = rows.iter().filter(|r| !r.ok()).count();
    if args.strict && failed > 0 {
        Err(format!(
            "{failed} of {} product(s) not complete (table above)",
            rows.len()
        ))
    } else {
        Ok(())
    }
}

fn stem(p: &Path) -> Option<String> {
    p.file_stem().and_then(|s| s.to_str()).map(str::to_owned)
}

/// One product through import, generation and (if `build`) compilation and decoding.
fn product(root: &Path, file: &Path, work: &Path, build: bool) -> Row {
    let mut row = Row::default();
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => {
            row.failure = Some(format!("cannot read: {e}"));
            return row;
        }
    };
    row.style = serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| v["info"]["style"].as_str().map(str::to_owned))
        .unwrap_or_default();
    if !["rpc", "roa"]
        .iter()
        .any(|s| row.style.eq_ignore_ascii_case(s))
    {
        row.unsupported = true;
        return row;
    }
    let imported = match sas_codegen::import::import(file, &text, &Selection::All) {
        Ok(i) => i,
        Err(errors) => {
            row.failure = Some(format!("import: {}", first(&errors)));
            return row;
        }
    };
    row.imported = imported.operations.len();
    row.dropped = imported.dropped.clone();
    row.normalized = imported.normalized.clone();
    row.skipped = imported
        .skipped
        .iter()
        .map(|(a, why)| (a.clone(), why.clone()))
        .collect();
    let spec_root = work.join("spec");
    let _ = std::fs::remove_dir_all(&spec_root);
    let product_dir = spec_root.join(
        imported
            .default_dir
            .strip_prefix("spec")
            .unwrap_or(&imported.default_dir),
    );
    if let Err(e) = sas_codegen::import::write(&product_dir, &imported, true) {
        row.failure = Some(format!("writing {}: {e}", product_dir.display()));
        return row;
    }
    let opts = Options {
        runtime: RuntimeDep::Path(root.join("runtime").to_string_lossy().into_owned()),
        example_tests: build,
        label_root: "spec".to_owned(),
        examples: imported.examples.clone(),
    };
    let partial = match sas_codegen::tolerant::generate_product(&product_dir, &spec_root, &opts) {
        Ok(p) => p,
        Err(errors) => {
            row.failure = Some(format!("generate: {}", first(&errors)));
            return row;
        }
    };
    for s in &partial.skipped {
        row.skipped.push((s.action.clone(), first(&s.errors)));
        // Scratch files only: the build step reloads what was generated.
        let _ = std::fs::remove_file(
            product_dir
                .join("operations")
                .join(format!("{}.json", s.action)),
        );
    }
    let (dir_name, files, _warnings, count) = partial.output;
    row.generated = count;
    if !build {
        return row;
    }
    let out = work.join("generated");
    let mut crates = std::collections::BTreeMap::new();
    crates.insert(dir_name.clone(), files);
    if let Err(e) = sas_codegen::write::write_all(&out, &crates) {
        row.failure = Some(format!("writing {}: {e}", out.display()));
        return row;
    }
    let target_dir = root.join("target").join("corpus-target");
    match crate::corpus::build_and_decode(
        root,
        &product_dir,
        &spec_root,
        &out.join(&dir_name),
        &target_dir,
        &imported.examples,
    ) {
        Ok(c) => {
            row.compiled = Some(c.compiled);
            row.decoded = Some((c.decoded, c.examples));
            for (action, why) in c.compile_errors {
                row.skipped.push((action, format!("compile error: {why}")));
            }
            for (action, why) in c.failing {
                row.skipped.push((action, format!("example: {why}")));
            }
        }
        Err(e) => row.failure = Some(e),
    }
    clean(&target_dir, &dir_name);
    row
}

/// Removes what building one product left in the shared target directory (its library and
/// test binaries, whose names every product's crate shares), so that a run over many products
/// keeps only the dependencies: a few GB less per hundred products.
fn clean(target_dir: &Path, dir_name: &str) {
    let lib = format!("alibabacloud_{dir_name}");
    let package = format!("alibabacloud-{dir_name}");
    let ours = |name: &str| {
        name.contains(&lib)
            || name.starts_with(&package)
            || name.starts_with("examples-")
            || name.starts_with("responses-")
    };
    for sub in ["debug/deps", "debug/.fingerprint", "debug/incremental"] {
        let Ok(entries) = std::fs::read_dir(target_dir.join(sub)) else {
            continue;
        };
        for e in entries.flatten() {
            if ours(&e.file_name().to_string_lossy()) {
                let p = e.path();
                let _ = if p.is_dir() {
                    std::fs::remove_dir_all(&p)
                } else {
                    std::fs::remove_file(&p)
                };
            }
        }
    }
}

/// The rule a note of [`sas_codegen::normalize`] comes from.
fn rule_kind(note: &str) -> &'static str {
    if note.contains("methods") {
        "methods dropped"
    } else if note.contains("without items") {
        "array items"
    } else if note.contains("merged") {
        "repeats merged"
    } else {
        "other"
    }
}

fn first(errors: &[sas_codegen::diag::SpecError]) -> String {
    match errors {
        [] => "failed".to_owned(),
        [one] => one.to_string(),
        [one, rest @ ..] => format!("{one} (and {} more)", rest.len()),
    }
}

/// The table's header (rows are printed as each product completes, so a long run that is cut
/// short still shows what it did).
fn print_header() {
    println!(
        "{:<40} {:<6} {:>8} {:>9} {:>7} {:>9} {:>9} {:>8}",
        "product", "style", "imported", "generated", "skipped", "compiled", "decoded", "time"
    );
}

fn print_row(r: &Row) {
    use std::io::Write as _;
    let dash = |o: Option<String>| o.unwrap_or_else(|| "-".to_owned());
    println!(
        "{:<40} {:<6} {:>8} {:>9} {:>7} {:>9} {:>9} {:>7.1}s{}",
        r.file,
        r.style,
        r.imported,
        r.generated,
        r.skipped.len(),
        dash(r.compiled.map(|c| c.to_string())),
        dash(r.decoded.map(|(d, n)| format!("{d}/{n}"))),
        r.time.as_secs_f64(),
        if r.unsupported {
            "  (style not generated)"
        } else if r.ok() {
            ""
        } else {
            "  !"
        }
    );
    let _ = std::io::stdout().flush();
}

/// What the rows do not show (failures, skips, rules, dropped keys), and the totals.
fn print_details(rows: &[Row], total: Duration) {
    println!();
    for r in rows {
        if r.unsupported {
            println!(
                "{}: style {:?} is not generated (RPC and ROA are): not attempted",
                r.file, r.style
            );
        }
        if let Some(f) = &r.failure {
            println!("{}: FAILED: {f}", r.file);
        }
        for (action, why) in &r.skipped {
            println!("{}: skipped {action}: {why}", r.file);
        }
        if !r.normalized.is_empty() {
            let mut kinds: std::collections::BTreeMap<&str, usize> = Default::default();
            for (_, note) in &r.normalized {
                *kinds.entry(rule_kind(note)).or_default() += 1;
            }
            let kinds: Vec<String> = kinds.iter().map(|(k, n)| format!("{k} ×{n}")).collect();
            println!("{}: import rules applied: {}", r.file, kinds.join(", "));
        }
        if !r.dropped.is_empty() {
            let keys: Vec<String> = r.dropped.iter().map(|(k, n)| format!("{k} ×{n}")).collect();
            println!("{}: unknown keys dropped: {}", r.file, keys.join(", "));
        }
    }
    let sum = |f: &dyn Fn(&Row) -> usize| rows.iter().map(f).sum::<usize>();
    let unsupported = rows.iter().filter(|r| r.unsupported).count();
    let complete = rows.iter().filter(|r| r.ok()).count() - unsupported;
    println!(
        "\n{complete}/{} RPC and ROA product(s) complete ({unsupported} of other styles not attempted); operations: {} imported, {} generated, {} skipped; {} built; {:.1?} in all",
        rows.len() - unsupported,
        sum(&|r| r.imported),
        sum(&|r| r.generated),
        sum(&|r| r.skipped.len()),
        rows.iter().filter(|r| r.compiled.is_some()).count(),
        total
    );
}
