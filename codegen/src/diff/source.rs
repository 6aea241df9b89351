//! Where the old side of a comparison comes from: a spec tree on disk, the spec tree of a git
//! revision (read with the `git` command into a temporary directory), or the release baselines
//! recorded next to the specs.

use super::surface::ProductSurface;
use crate::load;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The file, next to a product's `product.json`, that records its API at its last release.
pub const BASELINE_FILE: &str = "api-baseline.json";

/// The surfaces of every product under `spec_root` (a spec tree or one product directory).
pub fn spec_dir(spec_root: &Path) -> Result<Vec<ProductSurface>, String> {
    Ok(products(spec_root)?.into_iter().map(|(_, s)| s).collect())
}

/// Every product directory under `spec_root` with its surface.
pub fn products(spec_root: &Path) -> Result<Vec<(PathBuf, ProductSurface)>, String> {
    let dirs = load::find_products(spec_root).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for dir in dirs {
        let loaded = load::product_dir(&dir, spec_root).map_err(|errors| {
            let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
            lines.join("\n")
        })?;
        out.push((dir, ProductSurface::from_dir(&loaded)));
    }
    Ok(out)
}

/// The surfaces of the spec tree `spec` (a path relative to the repository root) at git
/// revision `rev` of the repository at `repo`. A revision without that directory has no
/// products (everything in the working tree is then new).
pub fn git_rev(repo: &Path, rev: &str, spec: &str) -> Result<Vec<ProductSurface>, String> {
    let commit = git(
        repo,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ],
    )
    .map_err(|e| match e {
        GitError::Run(e) => e,
        GitError::Failed(_) => format!(
            "no git revision {rev:?} in {} (give a commit, a branch, a tag or a spec directory)",
            repo.display()
        ),
    })?;
    let commit = commit.trim().to_owned();
    let listing = git(
        repo,
        &["ls-tree", "-r", "-z", "--name-only", &commit, "--", spec],
    )
    .map_err(GitError::into_message)?;
    let files: Vec<&str> = listing
        .split('\0')
        // Specs, and the Markdown files a product.json may name (`crateDocs`).
        .filter(|f| f.ends_with(".json") || f.ends_with(".md"))
        .collect();
    let tmp = tempfile::Builder::new()
        .prefix("api-diff-")
        .tempdir()
        .map_err(|e| format!("cannot create a temporary directory: {e}"))?;
    let blobs = cat_files(repo, &commit, &files)?;
    for (file, bytes) in files.iter().zip(blobs) {
        let path = tmp.path().join(file);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot write {}: {e}", parent.display()))?;
        }
        std::fs::write(&path, bytes)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    let root = tmp.path().join(spec);
    if !root.is_dir() {
        return Ok(Vec::new());
    }
    spec_dir(&root).map_err(|e| format!("the specs at {rev} do not load: {e}"))
}

/// The recorded release baseline of the product in `dir`; `None` when it has none yet.
pub fn baseline(dir: &Path) -> Result<Option<ProductSurface>, String> {
    let file = dir.join(BASELINE_FILE);
    match std::fs::read_to_string(&file) {
        Ok(text) => serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| format!("{}: not an API baseline ({e})", file.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("cannot read {}: {e}", file.display())),
    }
}

/// The recorded baselines of `products` (directories with their surfaces), those that have one.
pub fn baselines(products: &[(PathBuf, ProductSurface)]) -> Result<Vec<ProductSurface>, String> {
    let mut out = Vec::new();
    for (dir, _) in products {
        out.extend(baseline(dir)?);
    }
    Ok(out)
}

/// The baseline file's contents for `surface`: JSON with one line per operation (a release
/// diff shows which operations changed; a third of the size of pretty-printed JSON),
/// deterministic.
pub fn baseline_text(surface: &ProductSurface) -> String {
    let mut out = String::from("{\n");
    for (key, value) in [
        ("product", compact(&surface.product)),
        ("version", compact(&surface.version)),
        ("crateName", compact(&surface.crate_name)),
        ("crateVersion", compact(&surface.crate_version)),
        ("endpoints", compact(&surface.endpoints)),
    ] {
        out.push_str(&format!("  \"{key}\": {value},\n"));
    }
    out.push_str("  \"operations\": {");
    for (i, (action, op)) in surface.operations.iter().enumerate() {
        let sep = if i == 0 { "" } else { "," };
        out.push_str(&format!("{sep}\n    {}: {}", compact(action), compact(op)));
    }
    out.push_str("\n  }\n}\n");
    out
}

/// Compact JSON (the surface types, plain data with string keys, always serialize).
fn compact<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

enum GitError {
    /// git could not be started.
    Run(String),
    /// git ran and failed.
    Failed(String),
}

impl GitError {
    fn into_message(self) -> String {
        match self {
            GitError::Run(m) | GitError::Failed(m) => m,
        }
    }
}

fn git(repo: &Path, args: &[&str]) -> Result<String, GitError> {
    let out = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| {
            GitError::Run(format!(
                "cannot run git ({e}): reading specs at a revision needs git; pass a spec directory instead"
            ))
        })?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(GitError::Failed(format!(
            "`git {}` failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        )))
    }
}

/// The contents of `files` at `commit`, with one `git cat-file --batch`.
fn cat_files(repo: &Path, commit: &str, files: &[&str]) -> Result<Vec<Vec<u8>>, String> {
    let mut child = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run git ({e})"))?;
    let mut stdin = child.stdin.take().ok_or("git cat-file: no stdin")?;
    let input: String = files.iter().map(|f| format!("{commit}:{f}\n")).collect();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let stdout = child.stdout.take().ok_or("git cat-file: no stdout")?;
    let mut reader = BufReader::new(stdout);
    let mut out = Vec::new();
    for file in files {
        let mut header = String::new();
        reader
            .read_line(&mut header)
            .map_err(|e| format!("git cat-file: {e}"))?;
        let size: usize = match header.split_whitespace().collect::<Vec<_>>()[..] {
            [_, "blob", size] => size
                .parse()
                .map_err(|_| format!("git cat-file: unexpected header {header:?}"))?,
            _ => {
                return Err(format!(
                    "git cat-file: cannot read {file}: {}",
                    header.trim()
                ))
            }
        };
        let mut bytes = vec![0; size + 1];
        reader
            .read_exact(&mut bytes)
            .map_err(|e| format!("git cat-file: {e}"))?;
        bytes.pop();
        out.push(bytes);
    }
    drop(reader);
    let _ = writer.join();
    let _ = child.wait();
    Ok(out)
}
