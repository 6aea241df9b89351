//! `cargo xtask import-dara`: the Darabonba/Tea SDK specs (the current API surface) → spec
//! files, merged with the older api-docs metadata, with a report of every difference.

use sas_codegen::import::{self, Selection};
use std::path::{Path, PathBuf};

const USAGE: &str = "usage: cargo xtask import-dara [--dara FILE] [--tea FILE|--no-tea] [--api-docs FILE|--no-api-docs] [--operations A,B,…|--all] [--out DIR] [--force] [--prune] [--report] [--dry-run]";

/// The folder holding `alibaba-metadata/`: `shared/` next to the workspace or next to one of
/// its ancestors (worktrees live one level deeper).
pub fn shared_metadata(root: &Path) -> PathBuf {
    root.ancestors()
        .skip(1)
        .map(|a| a.join("shared").join("alibaba-metadata"))
        .find(|p| p.is_dir())
        .unwrap_or_else(|| {
            root.parent()
                .unwrap_or(root)
                .join("shared")
                .join("alibaba-metadata")
        })
}

/// The default Darabonba, Tea and api-docs files.
pub fn default_sources(root: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let m = shared_metadata(root);
    (
        m.join("darabonba").join("sas-20181203.async.main.dara"),
        m.join("darabonba").join("sas-20181203.main.tea"),
        m.join("sas-2018-12-03.api-docs.json"),
    )
}

struct Args {
    dara: PathBuf,
    tea: Option<PathBuf>,
    api_docs: Option<PathBuf>,
    selection: Selection,
    out: Option<PathBuf>,
    force: bool,
    report: bool,
    dry_run: bool,
    prune: bool,
}

fn parse_args(args: &[String]) -> Result<Args, String> {
    let (dara, tea, api) = default_sources(crate::root());
    let mut a = Args {
        dara,
        tea: Some(tea),
        api_docs: api.is_file().then_some(api),
        selection: Selection::All,
        out: None,
        force: false,
        report: false,
        dry_run: false,
        prune: false,
    };
    let mut it = args.iter();
    let value = |flag: &str, it: &mut std::slice::Iter<'_, String>| {
        it.next()
            .cloned()
            .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))
    };
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--dara" => a.dara = PathBuf::from(value(arg, &mut it)?),
            "--tea" => a.tea = Some(PathBuf::from(value(arg, &mut it)?)),
            "--no-tea" => a.tea = None,
            "--api-docs" => a.api_docs = Some(PathBuf::from(value(arg, &mut it)?)),
            "--no-api-docs" => a.api_docs = None,
            "--all" => a.selection = Selection::All,
            "--operations" => {
                let names: Vec<String> = value(arg, &mut it)?
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect();
                if names.is_empty() {
                    return Err(format!("--operations needs at least one name\n{USAGE}"));
                }
                a.selection = Selection::Only(names);
            }
            "--out" => a.out = Some(PathBuf::from(value(arg, &mut it)?)),
            "--force" => a.force = true,
            "--report" => a.report = true,
            "--dry-run" => a.dry_run = true,
            "--prune" => a.prune = true,
            other => return Err(format!("import-dara: unknown argument {other:?}\n{USAGE}")),
        }
    }
    Ok(a)
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn fail(errors: Vec<sas_codegen::diag::SpecError>) -> String {
    for e in &errors {
        eprintln!("error: {e}");
    }
    format!("{} error(s)", errors.len())
}

/// Reads the sources and merges them: the files to write and the report.
pub fn build(
    dara: &Path,
    tea: Option<&Path>,
    api_docs: Option<&Path>,
    selection: &Selection,
) -> Result<(import::Import, sas_codegen::dara::MergeReport), String> {
    let dara_text = read(dara)?;
    let tea_text = tea.map(read).transpose()?;
    let surface =
        sas_codegen::dara::read((dara, &dara_text), tea.zip(tea_text.as_deref())).map_err(fail)?;
    let api_text = api_docs.map(read).transpose()?;
    sas_codegen::dara::merge(&surface, api_docs.zip(api_text.as_deref()), selection).map_err(fail)
}

pub fn run(args: &[String]) -> Result<(), String> {
    let a = parse_args(args)?;
    let (imported, report) = build(
        &a.dara,
        a.tea.as_deref(),
        a.api_docs.as_deref(),
        &a.selection,
    )?;
    if a.report {
        print!("{report}");
    } else {
        println!("{}", report.summary());
    }
    if a.dry_run {
        return Ok(());
    }
    let out = a
        .out
        .clone()
        .unwrap_or_else(|| crate::root().join(&imported.default_dir));
    let written = crate::import::write_reported(&out, &imported, a.force)?;
    if a.prune {
        if !matches!(a.selection, Selection::All) {
            return Err("--prune needs every operation (no --operations)".to_owned());
        }
        for gone in prune(&out, &imported.operations)? {
            println!("removed   {} (not in the API any more)", gone.display());
        }
    }
    println!(
        "imported {} operation(s) of {} {} into {}: {} created, {} overwritten, {} unchanged, {} hand-written kept; {} enum(s) from description bullets",
        imported.operations.len(),
        imported.product,
        imported.version,
        out.display(),
        written.created.len(),
        written.overwritten.len(),
        written.unchanged,
        written.kept.len(),
        imported.enums_added.len()
    );
    Ok(())
}

/// Removes the imported operation files of `out` (those with the import marker) whose operation
/// is not in `keep`; hand-written files stay. Returns the files removed.
fn prune(out: &Path, keep: &[String]) -> Result<Vec<PathBuf>, String> {
    let dir = out.join("operations");
    let mut removed = Vec::new();
    let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        if path.extension().and_then(|e| e.to_str()) != Some("json")
            || keep.iter().any(|k| k == stem)
        {
            continue;
        }
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let imported = serde_json::from_str::<serde_json::Value>(&text)
            .is_ok_and(|j| sas_codegen::facts::is_imported(&j));
        if imported {
            std::fs::remove_file(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            removed.push(path);
        }
    }
    Ok(removed)
}
