//! `cargo xtask import <api-docs.json> [--operations A,B,…|--all] [--out DIR] [--force]`.

use sas_codegen::import::{self, Import, Selection};
use std::path::{Path, PathBuf};

/// Parsed arguments of `import`.
pub struct Args {
    pub source: PathBuf,
    pub selection: Selection,
    pub out: Option<PathBuf>,
    pub force: bool,
}

pub fn parse_args(args: &[String]) -> Result<Args, String> {
    let usage = "usage: cargo xtask import <api-docs.json> [--operations A,B,…|--all] [--out DIR] [--force]";
    let mut source = None;
    let mut selection = None;
    let mut out = None;
    let mut force = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--all" => selection = Some(Selection::All),
            "--operations" => {
                let list = it
                    .next()
                    .ok_or_else(|| format!("--operations needs a list\n{usage}"))?;
                let names: Vec<String> = list
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect();
                if names.is_empty() {
                    return Err(format!("--operations needs at least one name\n{usage}"));
                }
                selection = Some(Selection::Only(names));
            }
            "--out" => {
                let dir = it
                    .next()
                    .ok_or_else(|| format!("--out needs a directory\n{usage}"))?;
                out = Some(PathBuf::from(dir));
            }
            "--force" => force = true,
            other if other.starts_with('-') => {
                return Err(format!("import: unknown option {other:?}\n{usage}"))
            }
            other => {
                if source.replace(PathBuf::from(other)).is_some() {
                    return Err(format!("import: one metadata file at a time\n{usage}"));
                }
            }
        }
    }
    Ok(Args {
        source: source.ok_or_else(|| format!("import: which metadata file?\n{usage}"))?,
        selection: selection.unwrap_or(Selection::All),
        out,
        force,
    })
}

/// Reads and splits the metadata file (no writing).
pub fn read(source: &Path, selection: &Selection) -> Result<Import, String> {
    let text = std::fs::read_to_string(source)
        .map_err(|e| format!("cannot read {}: {e}", source.display()))?;
    import::import(source, &text, selection).map_err(|errors| {
        for e in &errors {
            eprintln!("error: {e}");
        }
        format!("{} error(s) in {}", errors.len(), source.display())
    })
}

pub fn run(args: &[String]) -> Result<(), String> {
    let args = parse_args(args)?;
    let imported = read(&args.source, &args.selection)?;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| crate::root().join(&imported.default_dir));
    let written = write_reported(&out, &imported, args.force)?;
    println!(
        "imported {} operation(s) of {} {} into {}: {} created, {} overwritten, {} unchanged, {} hand-written kept; {} enum(s) added from value titles and description bullets",
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
    for (action, why) in &imported.unpaged {
        println!("warning: {action}: takes page parameters but gets no paginator: {why}");
    }
    println!(
        "pagination: {} operation(s) paged, {} with page parameters left without a paginator",
        imported.paged.len(),
        imported.unpaged.len()
    );
    Ok(())
}

/// Writes `imported` under `out` ([`import::write`]) and prints what it kept, would change or
/// changed; an error when changed files were refused (nothing is written then).
pub fn write_reported(
    out: &Path,
    imported: &Import,
    force: bool,
) -> Result<import::Written, String> {
    let written = import::write(out, imported, force)
        .map_err(|e| format!("writing {}: {e}", out.display()))?;
    for k in &written.kept {
        println!(
            "kept      {} (hand-written: an import never replaces it)",
            k.display()
        );
    }
    for c in written.refused.iter().chain(&written.overwritten) {
        println!("{} would change:", c.file.display());
        for line in &c.changes {
            println!("    {line}");
        }
    }
    if !written.refused.is_empty() {
        return Err(format!(
            "{} existing file(s) differ from the import; nothing was written (rerun with --force to overwrite them)",
            written.refused.len()
        ));
    }
    Ok(written)
}
