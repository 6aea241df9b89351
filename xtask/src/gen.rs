//! `cargo xtask gen [--check]` and `cargo xtask golden [--bless]`.

use sas_codegen::regen::{Failure, Mode};
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
    )?;
    if !check {
        crate::api_diff::gen_summary(root);
    }
    Ok(())
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

/// Generates from `spec` and writes to `out`, or only compares when `check`: the library's
/// [`sas_codegen::regenerate`] plus printing.
fn regenerate(spec: &Path, out: &Path, label: &str, check: bool, fix: &str) -> Result<(), String> {
    let mode = if check { Mode::Check } else { Mode::Write };
    let report = match sas_codegen::regenerate(spec, out, label, mode) {
        Ok(r) => r,
        Err(failure) => {
            match &failure {
                Failure::Spec { errors, .. } => {
                    for e in errors {
                        eprintln!("error: {e}");
                    }
                }
                Failure::Stale {
                    staleness: s,
                    warnings,
                    ..
                } => {
                    for w in warnings {
                        eprintln!("{w}");
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
                    return Err(format!("{failure}; run `{fix}` and commit the result"));
                }
                Failure::Io { .. } => {}
            }
            return Err(failure.to_string());
        }
    };
    for w in &report.warnings {
        eprintln!("{w}");
    }
    if check {
        println!(
            "{} is up to date ({} crate(s), {} operation(s))",
            out.display(),
            report.crates.len(),
            report.operations()
        );
        return Ok(());
    }
    for c in &report.written {
        println!(
            "wrote     {}/{c} ({} operations)",
            out.display(),
            report.operation_counts.get(c).copied().unwrap_or(0)
        );
    }
    for c in &report.unchanged {
        println!("unchanged {}/{c}", out.display());
    }
    for c in &report.removed {
        println!("removed   {}/{c}", out.display());
    }
    if !report.warnings.is_empty() {
        println!(
            "{} warning(s) about the specs (above)",
            report.warnings.len()
        );
    }
    Ok(())
}
