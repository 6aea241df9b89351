//! Versions and the changelog: whether the crate version declared in `product.json`
//! (`crateVersion`) matches the changes since the release baseline, and drafting the
//! `## Unreleased` section of the generated crate's `CHANGELOG.md`.

use super::compare::Change;
use super::rules::Class;
use super::{ProductSurface, Report};
use semver::Version;
use std::path::PathBuf;

/// The heading of the section the draft writes.
pub const UNRELEASED: &str = "## Unreleased";

/// What [`check_version`] concluded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The version fits the changes; the text says why.
    Ok(String),
    /// The version must change; the text says to what.
    Bump(String),
}

/// Checks `current` (the crate version now) against `released` (the version of the baseline)
/// for `changes` since that baseline. Rust-API breaking changes need a breaking bump (0.x: a
/// minor bump, 0.1.3 → 0.2.0; from 1.0: a major bump); other changes need none (the next
/// release will still need a new version number, which the note says).
pub fn check_version(
    released: &str,
    current: &str,
    changes: &[&Change],
) -> Result<Verdict, String> {
    let old = Version::parse(released)
        .map_err(|e| format!("baseline crateVersion {released:?} is not a semver version ({e})"))?;
    let new = Version::parse(current)
        .map_err(|e| format!("crateVersion {current:?} is not a semver version ({e})"))?;
    if new < old {
        return Ok(Verdict::Bump(format!(
            "crateVersion {new} is lower than the released {old}"
        )));
    }
    let breaking = changes
        .iter()
        .filter(|c| c.kind.rule().rust == Class::Breaking)
        .count();
    if breaking > 0 {
        if is_breaking_bump(&old, &new) {
            return Ok(Verdict::Ok(format!(
                "{breaking} breaking change(s) since {old}, and crateVersion is {new}"
            )));
        }
        return Ok(Verdict::Bump(format!(
            "{breaking} Rust-API breaking change(s) since {old}, but crateVersion is {new}: set crateVersion to {} (or higher)",
            breaking_bump(&old)
        )));
    }
    if changes.is_empty() {
        return Ok(Verdict::Ok(format!("no API change since {old}")));
    }
    if new == old {
        let mut next = old.clone();
        next.patch += 1;
        return Ok(Verdict::Ok(format!(
            "{} compatible change(s) since {old}; the next release needs at least {next}",
            changes.len()
        )));
    }
    Ok(Verdict::Ok(format!(
        "{} compatible change(s) since {old}, and crateVersion is {new}",
        changes.len()
    )))
}

/// The version check of one product.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductCheck {
    /// `Sas 2018-12-03`.
    pub key: String,
    /// Its `product.json`, where `crateVersion` is declared.
    pub product_file: PathBuf,
    /// `None` when the old side has no such product (no release yet).
    pub verdict: Option<Verdict>,
}

impl ProductCheck {
    /// The failure message, when the version must change.
    pub fn failure(&self) -> Option<String> {
        match &self.verdict {
            Some(Verdict::Bump(what)) => Some(format!(
                "{} ({}): {what}",
                self.key,
                self.product_file.display()
            )),
            _ => None,
        }
    }
}

/// Checks every product of `products` (its directory and surface now) against its released
/// surface in `released`, with the changes of `report` (from `released` to `products`).
pub fn check_products(
    products: &[(PathBuf, ProductSurface)],
    released: &[ProductSurface],
    report: &Report,
) -> Result<Vec<ProductCheck>, String> {
    let mut out = Vec::new();
    for (dir, product) in products {
        let key = product.key();
        let verdict = match released.iter().find(|r| r.key() == key) {
            Some(r) => {
                let changes: Vec<&Change> = report.of_product(&key).collect();
                Some(
                    check_version(&r.crate_version, &product.crate_version, &changes)
                        .map_err(|e| format!("{key}: {e}"))?,
                )
            }
            None => None,
        };
        out.push(ProductCheck {
            key,
            product_file: dir.join("product.json"),
            verdict,
        });
    }
    Ok(out)
}

/// Whether `old` → `new` is a semver-breaking step.
pub fn is_breaking_bump(old: &Version, new: &Version) -> bool {
    if old.major == 0 {
        new.major > 0 || new.minor > old.minor
    } else {
        new.major > old.major
    }
}

/// The smallest breaking step from `old`.
pub fn breaking_bump(old: &Version) -> Version {
    if old.major == 0 {
        Version::new(0, old.minor + 1, 0)
    } else {
        Version::new(old.major + 1, 0, 0)
    }
}

/// `text` (a CHANGELOG.md, possibly empty) with its `## Unreleased` section replaced by
/// `section` (which starts with that heading), or `section` inserted before the first `## `
/// section when there is none.
pub fn put_unreleased(text: &str, section: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.iter().position(|l| l.trim_end() == UNRELEASED);
    let insert_at = start.or_else(|| lines.iter().position(|l| l.starts_with("## ")));
    let mut out: Vec<String> = Vec::new();
    match insert_at {
        Some(at) => {
            let end = match start {
                Some(s) => lines
                    .iter()
                    .skip(s + 1)
                    .position(|l| l.starts_with("## "))
                    .map(|p| s + 1 + p)
                    .unwrap_or(lines.len()),
                None => at,
            };
            out.extend(lines.iter().take(at).map(|l| (*l).to_owned()));
            out.extend(section.trim_end().lines().map(str::to_owned));
            out.push(String::new());
            out.extend(lines.iter().skip(end).map(|l| (*l).to_owned()));
        }
        None => {
            if lines.is_empty() {
                out.push("# Changelog".to_owned());
            } else {
                out.extend(lines.iter().map(|l| (*l).to_owned()));
            }
            out.push(String::new());
            out.extend(section.trim_end().lines().map(str::to_owned));
        }
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    let mut s = out.join("\n");
    s.push('\n');
    s
}

/// `text` with its `## Unreleased` heading renamed to `## <version>` (a release); `None` when
/// it has no such section.
pub fn release_unreleased(text: &str, version: &str) -> Option<String> {
    let mut found = false;
    let lines: Vec<String> = text
        .lines()
        .map(|l| {
            if !found && l.trim_end() == UNRELEASED {
                found = true;
                format!("## {version}")
            } else {
                l.to_owned()
            }
        })
        .collect();
    found.then(|| {
        let mut s = lines.join("\n");
        s.push('\n');
        s
    })
}
