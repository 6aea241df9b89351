//! `cargo xtask corpus-dara [--work DIR] [--gen-only|--committed]`: the current surface from the Darabonba
//! spec through the whole pipeline, outside the committed tree: import every operation (merged
//! with the api-docs metadata) into `<work>/spec`, check that a second import changes nothing,
//! generate a standalone crate into `<work>/generated`, build it and run its
//! `tests/responses.rs` (a synthesised response per operation decodes with nothing left in
//! `extra_fields`). Default work directory: `target/corpus-dara`.
//!
//! `--committed` (what `cargo xtask ci` runs): after the two imports, every imported file must
//! equal the committed one in `spec/`, file for file, and nothing else is checked: the
//! committed crate is that surface, and its own `tests/responses.rs` runs with the workspace
//! tests, so building a second copy would only cost time.

use sas_codegen::emit::RuntimeDep;
use sas_codegen::import::Selection;
use sas_codegen::Options;
use std::path::PathBuf;
use std::process::Command;

pub fn run(args: &[String]) -> Result<(), String> {
    let root = crate::root();
    let mut work = root.join("target").join("corpus-dara");
    let mut gen_only = false;
    let mut committed = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--work" => {
                work = PathBuf::from(it.next().ok_or("--work needs a directory")?);
            }
            "--gen-only" => gen_only = true,
            "--committed" => committed = true,
            other => {
                return Err(format!(
                    "corpus-dara: unknown argument {other:?} (usage: cargo xtask corpus-dara [--work DIR] [--gen-only|--committed])"
                ))
            }
        }
    }
    let (dara, tea, api) = crate::dara::default_sources(root);
    if !dara.is_file() {
        if std::env::var_os("CI").is_some() {
            return Err(format!(
                "darabonba corpus check: {} not found, and CI always has it (CI is set)",
                dara.display()
            ));
        }
        println!(
            "darabonba corpus check SKIPPED: {} not found",
            dara.display()
        );
        return Ok(());
    }
    let tea = tea.is_file().then_some(tea);
    let api = api.is_file().then_some(api);
    let build = || crate::dara::build(&dara, tea.as_deref(), api.as_deref(), &Selection::All);

    // 1. Import, twice.
    let (imported, report) = build()?;
    println!("{}", report.summary());
    let spec_root = work.join("spec");
    if spec_root.exists() {
        std::fs::remove_dir_all(&spec_root)
            .map_err(|e| format!("cannot clear {}: {e}", spec_root.display()))?;
    }
    let product_dir = spec_root.join(
        imported
            .default_dir
            .strip_prefix("spec")
            .unwrap_or(&imported.default_dir),
    );
    sas_codegen::import::write(&product_dir, &imported, true)
        .map_err(|e| format!("writing {}: {e}", product_dir.display()))?;
    let (again, _) = build()?;
    let second = sas_codegen::import::write(&product_dir, &again, false)
        .map_err(|e| format!("writing {}: {e}", product_dir.display()))?;
    if second.unchanged != imported.files.len() || !second.refused.is_empty() {
        return Err(format!(
            "importing twice changed files ({} of {} unchanged)",
            second.unchanged,
            imported.files.len()
        ));
    }
    println!(
        "imported  {} operation(s) into {} ({} enum(s) from description bullets)",
        imported.operations.len(),
        product_dir.display(),
        imported.enums_added.len()
    );

    if committed {
        let committed_dir = root.join(&imported.default_dir);
        return same_as_committed(&product_dir, &committed_dir);
    }

    // 2. Generate.
    let opts = Options {
        runtime: RuntimeDep::Path(root.join("runtime").to_string_lossy().into_owned()),
        example_tests: true,
        label_root: "spec".to_owned(),
        ..Options::default()
    };
    let generated = sas_codegen::generate(&spec_root, &opts).map_err(|errors| {
        for e in &errors {
            eprintln!("error: {e}");
        }
        format!("generation failed with {} spec error(s)", errors.len())
    })?;
    let count: usize = generated.operation_counts.values().sum();
    println!(
        "generated {count} operation(s) ({} warning(s))",
        generated.warnings.len()
    );
    for w in generated.warnings.iter().take(20) {
        eprintln!("{w}");
    }
    if count != imported.operations.len() {
        return Err(format!(
            "imported {} operations but generated {count}",
            imported.operations.len()
        ));
    }
    if gen_only {
        return Ok(());
    }
    let out = work.join("generated");
    sas_codegen::write::write_all(&out, &generated.crates)
        .map_err(|e| format!("writing {}: {e}", out.display()))?;
    let Some(name) = generated.crates.keys().next() else {
        return Err("generation produced no crate".to_owned());
    };
    let crate_dir = out.join(name);
    crate::corpus::seed_lockfile(root, &crate_dir);

    // 3. Build and run the synthesised-response test.
    let target_dir = root.join("target").join("corpus-target");
    println!(
        "building  {} (CARGO_TARGET_DIR={})",
        crate_dir.display(),
        target_dir.display()
    );
    let test = Command::new(crate::corpus::cargo())
        .args(["test", "--test", "responses", "--", "--test-threads=2"])
        .current_dir(&crate_dir)
        .env("CARGO_TARGET_DIR", &target_dir)
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let text = String::from_utf8_lossy(&test.stdout);
    let results = crate::corpus::parse_libtest(&text);
    if results.is_empty() {
        eprintln!("{}", String::from_utf8_lossy(&test.stderr));
        return Err("the crate did not build or its response test printed no results".to_owned());
    }
    let failing: Vec<_> = results
        .iter()
        .filter_map(|(n, r)| r.as_ref().err().map(|e| (n, e)))
        .collect();
    println!(
        "synthesised responses decoded with nothing in extra_fields: {}/{}",
        results.len() - failing.len(),
        results.len()
    );
    for (n, e) in &failing {
        println!("    {n}: {e}");
    }
    if failing.is_empty() && results.len() == count {
        println!("darabonba corpus check passed");
        Ok(())
    } else {
        Err(format!(
            "darabonba corpus check failed: {} of {count} operations tested, {} failing",
            results.len(),
            failing.len()
        ))
    }
}

/// Compares the operation files imported into `work` with the committed ones in `committed`:
/// every imported file must exist there with the same bytes, and every committed file must come
/// from the import, except hand-written ones (no `importedFrom` marker), which an import never
/// replaces and which are listed.
fn same_as_committed(work: &std::path::Path, committed: &std::path::Path) -> Result<(), String> {
    let names = |dir: &std::path::Path| -> Result<std::collections::BTreeSet<String>, String> {
        let ops = dir.join("operations");
        let entries =
            std::fs::read_dir(&ops).map_err(|e| format!("cannot list {}: {e}", ops.display()))?;
        let mut out = std::collections::BTreeSet::new();
        for entry in entries {
            let entry = entry.map_err(|e| format!("cannot list {}: {e}", ops.display()))?;
            out.insert(entry.file_name().to_string_lossy().into_owned());
        }
        Ok(out)
    };
    let read = |path: std::path::PathBuf| {
        std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))
    };
    let (ours, theirs) = (names(work)?, names(committed)?);
    let mut problems = Vec::new();
    let mut hand_written = Vec::new();
    for name in ours.union(&theirs) {
        let (w, c) = (
            work.join("operations").join(name),
            committed.join("operations").join(name),
        );
        match (ours.contains(name), theirs.contains(name)) {
            (true, true) => {
                let committed_bytes = read(c)?;
                let imported = serde_json::from_slice::<serde_json::Value>(&committed_bytes)
                    .is_ok_and(|v| v.get(sas_codegen::facts::MARKER).is_some());
                if !imported {
                    hand_written.push(name.as_str());
                } else if read(w)? != committed_bytes {
                    problems.push(format!("{name}: differs from what the import writes"));
                }
            }
            (true, false) => problems.push(format!("{name}: imported but not committed")),
            (false, _) => problems.push(format!("{name}: committed but not in the import")),
        }
    }
    println!(
        "committed spec: {} operation file(s) compared with a fresh import; hand-written, kept: {}",
        ours.len(),
        if hand_written.is_empty() {
            "none".to_owned()
        } else {
            hand_written.join(", ")
        }
    );
    if problems.is_empty() {
        println!("committed spec: identical to the import");
        Ok(())
    } else {
        Err(format!(
            "the committed spec is not what `cargo xtask import-dara --force --prune` writes \
             ({} file(s)); run it and `cargo xtask gen`:\n  {}",
            problems.len(),
            problems.join("\n  ")
        ))
    }
}
