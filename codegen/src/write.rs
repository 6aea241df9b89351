//! Writing generated crates: atomically (a failed run leaves the output as it was), without
//! touching unchanged crates, removing files of removed operations; and the check mode.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Directories inside a generated crate that humans own and generation keeps.
pub const KEPT_DIRS: &[&str] = &["examples"];

/// Files at the top of a generated crate that humans own and generation keeps (the changelog
/// is hand-curated; `cargo xtask api-diff --changelog` drafts its new section).
pub const KEPT_FILES: &[&str] = &["CHANGELOG.md"];

/// What [`write_all`] did.
#[derive(Debug, Default)]
pub struct WriteReport {
    /// Crates rewritten.
    pub written: Vec<String>,
    /// Crates already up to date.
    pub unchanged: Vec<String>,
    /// Generated crates removed because their product is gone.
    pub removed: Vec<String>,
}

/// The differences between generated output and the files on disk.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Staleness {
    /// Files whose contents differ.
    pub changed: Vec<PathBuf>,
    /// Files that should exist and do not.
    pub missing: Vec<PathBuf>,
    /// Generated files on disk that generation no longer produces.
    pub stale: Vec<PathBuf>,
}

impl Staleness {
    /// Whether output and disk agree.
    pub fn is_clean(&self) -> bool {
        self.changed.is_empty() && self.missing.is_empty() && self.stale.is_empty()
    }
}

/// Files of a crate directory on disk (relative paths), excluding kept directories and files.
fn files_on_disk(dir: &Path) -> io::Result<BTreeMap<String, Vec<u8>>> {
    let mut out = BTreeMap::new();
    if dir.is_dir() {
        collect(dir, dir, &mut out)?;
    }
    Ok(out)
}

fn collect(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let rel = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        if entry.file_type()?.is_dir() {
            if dir == root && KEPT_DIRS.contains(&rel.as_str()) {
                continue;
            }
            collect(root, &path, out)?;
        } else if !(dir == root && KEPT_FILES.contains(&rel.as_str())) {
            out.insert(rel, fs::read(&path)?);
        }
    }
    Ok(())
}

/// Whether `dir` is a generated crate (its `Cargo.toml` carries the header).
fn is_generated_crate(dir: &Path) -> bool {
    fs::read_to_string(dir.join("Cargo.toml"))
        .map(|s| s.starts_with("# @generated"))
        .unwrap_or(false)
}

/// Compares `crates` (directory name → files) with `out_root`.
pub fn check(
    out_root: &Path,
    crates: &BTreeMap<String, BTreeMap<String, String>>,
) -> io::Result<Staleness> {
    let mut s = Staleness::default();
    for (name, files) in crates {
        let dir = out_root.join(name);
        let disk = files_on_disk(&dir)?;
        for (rel, contents) in files {
            match disk.get(rel) {
                None => s.missing.push(dir.join(rel)),
                Some(bytes) if bytes != contents.as_bytes() => s.changed.push(dir.join(rel)),
                Some(_) => {}
            }
        }
        for rel in disk.keys() {
            if !files.contains_key(rel) {
                s.stale.push(dir.join(rel));
            }
        }
    }
    for dir in other_generated_crates(out_root, crates)? {
        s.stale.push(dir);
    }
    Ok(s)
}

fn other_generated_crates(
    out_root: &Path,
    crates: &BTreeMap<String, BTreeMap<String, String>>,
) -> io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    if !out_root.is_dir() {
        return Ok(out);
    }
    for entry in fs::read_dir(out_root)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.file_type()?.is_dir()
            && !name.starts_with('.')
            && !crates.contains_key(&name)
            && is_generated_crate(&entry.path())
        {
            out.push(entry.path());
        }
    }
    out.sort();
    Ok(out)
}

/// Writes every crate under `out_root`. Each changed crate is written to a temporary sibling
/// directory and swapped in, so a crate is always either wholly old or wholly new; kept
/// directories (`examples/`) and files (`CHANGELOG.md`) move across. Unchanged crates are not touched.
pub fn write_all(
    out_root: &Path,
    crates: &BTreeMap<String, BTreeMap<String, String>>,
) -> io::Result<WriteReport> {
    let mut report = WriteReport::default();
    fs::create_dir_all(out_root)?;
    for (name, files) in crates {
        let dir = out_root.join(name);
        let mut one = BTreeMap::new();
        one.insert(name.clone(), files.clone());
        let mut only = check(out_root, &one)?;
        // `check` also lists other crates as stale; only this crate matters here.
        only.stale.retain(|p| p.starts_with(&dir));
        if only.is_clean() {
            report.unchanged.push(name.clone());
            continue;
        }
        swap_in(out_root, name, files)?;
        report.written.push(name.clone());
    }
    for dir in other_generated_crates(out_root, crates)? {
        fs::remove_dir_all(&dir)?;
        report.removed.push(
            dir.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
        );
    }
    Ok(report)
}

fn swap_in(out_root: &Path, name: &str, files: &BTreeMap<String, String>) -> io::Result<()> {
    let dir = out_root.join(name);
    let tmp = out_root.join(format!(".{name}.new-{}", std::process::id()));
    let old = out_root.join(format!(".{name}.old-{}", std::process::id()));
    if tmp.exists() {
        fs::remove_dir_all(&tmp)?;
    }
    let result = (|| -> io::Result<()> {
        for (rel, contents) in files {
            let path = tmp.join(rel);
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent)?;
            }
            fs::write(&path, contents)?;
        }
        for kept in KEPT_DIRS {
            let from = dir.join(kept);
            if from.is_dir() {
                copy_dir(&from, &tmp.join(kept))?;
            }
        }
        for kept in KEPT_FILES {
            let from = dir.join(kept);
            if from.is_file() {
                fs::copy(&from, tmp.join(kept))?;
            }
        }
        Ok(())
    })();
    if let Err(e) = result {
        let _ = fs::remove_dir_all(&tmp);
        return Err(e);
    }
    if dir.exists() {
        fs::rename(&dir, &old)?;
    }
    if let Err(e) = fs::rename(&tmp, &dir) {
        // Put the old crate back so the output is as it was.
        if old.exists() {
            let _ = fs::rename(&old, &dir);
        }
        let _ = fs::remove_dir_all(&tmp);
        return Err(e);
    }
    if old.exists() {
        fs::remove_dir_all(&old)?;
    }
    Ok(())
}

fn copy_dir(from: &Path, to: &Path) -> io::Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}
