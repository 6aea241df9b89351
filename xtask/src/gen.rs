//! `cargo xtask gen [--check]` and `cargo xtask golden [--bless]`.

use sas_codegen::{generate, write, Options};
use std::path::Path;

/// Where the golden fixture spec lives, and where its expected output is committed.
pub const GOLDEN_SPEC: &str = "tests/fixtures/golden/spec";
/// The committed expected output of the golden fixture (a workspace member, so it compiles).
pub const GOLDEN_EXPECTED: &str = "tests/fixtures/golden/expected";

pub fn run(args: &[String]) -> Result<(), String> {
    let mut check = false;
    for a in args {
        match a.as_str() {
            "--check" => check = true,
            other => {
                return Err(format!(
                    "gen: unknown argument {other:?} (expected --check)"
                ))
            }
        }
    }
    let root = crate::root();
    regenerate(
        &root.join("spec"),
        &root.join("generated"),
        "spec",
        check,
        "cargo xtask gen",
    )
}

pub fn golden(args: &[String]) -> Result<(), String> {
    let mut bless = false;
    for a in args {
        match a.as_str() {
            "--bless" => bless = true,
            other => {
                return Err(format!(
                    "golden: unknown argument {other:?} (expected --bless)"
                ))
            }
        }
    }
    let root = crate::root();
    regenerate(
        &root.join(GOLDEN_SPEC),
        &root.join(GOLDEN_EXPECTED),
        GOLDEN_SPEC,
        !bless,
        "cargo xtask golden --bless",
    )
}

/// Generates from `spec` and writes to `out`, or only compares when `check`.
fn regenerate(spec: &Path, out: &Path, label: &str, check: bool, fix: &str) -> Result<(), String> {
    let opts = Options {
        label_root: label.to_owned(),
        ..Options::default()
    };
    let generated = match generate(spec, &opts) {
        Ok(g) => g,
        Err(errors) => {
            for e in &errors {
                eprintln!("error: {e}");
            }
            return Err(format!(
                "{} spec error(s); {} was left untouched",
                errors.len(),
                out.display()
            ));
        }
    };
    for w in &generated.warnings {
        eprintln!("{w}");
    }
    if check {
        let s = write::check(out, &generated.crates)
            .map_err(|e| format!("reading {}: {e}", out.display()))?;
        if s.is_clean() {
            println!(
                "{} is up to date ({} crate(s), {} operation(s))",
                out.display(),
                generated.crates.len(),
                generated.operation_counts.values().sum::<usize>()
            );
            return Ok(());
        }
        for p in &s.changed {
            eprintln!("differs: {}", p.display());
        }
        for p in &s.missing {
            eprintln!("missing: {}", p.display());
        }
        for p in &s.stale {
            eprintln!("stale:   {}", p.display());
        }
        return Err(format!(
            "{} is stale ({} changed, {} missing, {} stale); run `{fix}` and commit the result",
            out.display(),
            s.changed.len(),
            s.missing.len(),
            s.stale.len()
        ));
    }
    let report = write::write_all(out, &generated.crates)
        .map_err(|e| format!("writing {}: {e}", out.display()))?;
    for c in &report.written {
        println!(
            "wrote     {}/{c} ({} operations)",
            out.display(),
            generated.operation_counts.get(c).copied().unwrap_or(0)
        );
    }
    for c in &report.unchanged {
        println!("unchanged {}/{c}", out.display());
    }
    for c in &report.removed {
        println!("removed   {}/{c}", out.display());
    }
    if !generated.warnings.is_empty() {
        println!(
            "{} warning(s) about the specs (above)",
            generated.warnings.len()
        );
    }
    Ok(())
}
