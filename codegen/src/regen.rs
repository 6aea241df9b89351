//! The whole of `cargo xtask gen` (and `gen --check`, `golden`) as a library function: generate
//! from a spec tree, then write the output atomically or compare it with what is on disk.
//!
//! `xtask` only parses arguments and prints; tests call [`regenerate`] to exercise exactly the
//! path the command takes, including "a failing generation leaves the output as it was".

use crate::diag::{SpecError, Warning};
use crate::write::{self, Staleness};
use crate::{generate, Options};
use std::fmt;
use std::path::{Path, PathBuf};

/// Whether [`regenerate`] writes or only compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Write changed crates (atomically, crate by crate).
    Write,
    /// Compare only; nothing is written.
    Check,
}

/// What a successful [`regenerate`] did.
#[derive(Debug, Default)]
pub struct Report {
    /// Generated crate directory names.
    pub crates: Vec<String>,
    /// Operations per crate directory.
    pub operation_counts: std::collections::BTreeMap<String, usize>,
    /// Spec inconsistencies that did not stop generation.
    pub warnings: Vec<Warning>,
    /// Crates rewritten (write mode).
    pub written: Vec<String>,
    /// Crates already up to date (write mode).
    pub unchanged: Vec<String>,
    /// Generated crates removed because their product is gone (write mode).
    pub removed: Vec<String>,
}

impl Report {
    /// Operations in all crates.
    pub fn operations(&self) -> usize {
        self.operation_counts.values().sum()
    }
}

/// Why [`regenerate`] failed. In every case the output directory was left as it was, except
/// for [`Failure::Io`] in write mode, where each crate is still either wholly old or wholly new.
#[derive(Debug)]
pub enum Failure {
    /// The specs are broken; nothing was written.
    Spec {
        /// Every error found, each naming its file, JSON path and what was expected.
        errors: Vec<SpecError>,
        /// The output directory, left untouched.
        out: PathBuf,
    },
    /// Check mode: the output on disk differs from what the specs generate.
    Stale {
        /// The differences.
        staleness: Staleness,
        /// The output directory compared.
        out: PathBuf,
        /// Warnings about the specs.
        warnings: Vec<Warning>,
    },
    /// Reading or writing the output failed.
    Io {
        /// What was being done (`reading …`, `writing …`).
        doing: String,
        /// The error.
        error: std::io::Error,
    },
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Spec { errors, out } => write!(
                f,
                "{} spec error(s); {} was left untouched",
                errors.len(),
                out.display()
            ),
            Failure::Stale {
                staleness: s, out, ..
            } => write!(
                f,
                "{} is stale ({} changed, {} missing, {} stale)",
                out.display(),
                s.changed.len(),
                s.missing.len(),
                s.stale.len()
            ),
            Failure::Io { doing, error } => write!(f, "{doing}: {error}"),
        }
    }
}

impl std::error::Error for Failure {}

/// Generates from the spec tree `spec` and writes the crates under `out` (or, in
/// [`Mode::Check`], compares them with `out`). `label` is the spec root as named in generated
/// headers (`spec`). Generation completes in memory before anything is written, so broken specs
/// leave `out` byte for byte as it was.
pub fn regenerate(spec: &Path, out: &Path, label: &str, mode: Mode) -> Result<Report, Failure> {
    let opts = Options {
        label_root: label.to_owned(),
        ..Options::default()
    };
    let generated = generate(spec, &opts).map_err(|errors| Failure::Spec {
        errors,
        out: out.to_owned(),
    })?;
    let mut report = Report {
        crates: generated.crates.keys().cloned().collect(),
        operation_counts: generated.operation_counts.clone(),
        warnings: generated.warnings,
        ..Report::default()
    };
    match mode {
        Mode::Check => {
            let staleness = write::check(out, &generated.crates).map_err(|error| Failure::Io {
                doing: format!("reading {}", out.display()),
                error,
            })?;
            if staleness.is_clean() {
                Ok(report)
            } else {
                Err(Failure::Stale {
                    staleness,
                    out: out.to_owned(),
                    warnings: report.warnings,
                })
            }
        }
        Mode::Write => {
            let w = write::write_all(out, &generated.crates).map_err(|error| Failure::Io {
                doing: format!("writing {}", out.display()),
                error,
            })?;
            report.written = w.written;
            report.unchanged = w.unchanged;
            report.removed = w.removed;
            Ok(report)
        }
    }
}
