//! `cargo xtask msrv`: the declared `rust-version` is true for the committed lockfile: no
//! locked package declares a newer one. With `resolver = "3"` cargo prefers such versions when it
//! resolves; this check catches a lockfile updated past them (e.g. by `cargo update` with a
//! newer toolchain and `--ignore-rust-version`).

use std::process::Command;

/// A `major.minor[.patch]` version as numbers.
fn parse(v: &str) -> Option<(u64, u64, u64)> {
    let mut it = v.trim().split('.').map(|p| p.parse::<u64>().ok());
    let major = it.next()??;
    let minor = it.next().flatten().unwrap_or(0);
    let patch = it.next().flatten().unwrap_or(0);
    Some((major, minor, patch))
}

/// Checks the lockfile of the workspace at `manifest` (a `Cargo.toml`) against `msrv`.
pub fn check_manifest(manifest: &std::path::Path, msrv: &str) -> Result<usize, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let out = Command::new(cargo)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--locked",
            "--manifest-path",
        ])
        .arg(manifest)
        .output()
        .map_err(|e| format!("cannot run cargo metadata: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "cargo metadata failed for {}: {}",
            manifest.display(),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout)
        .map_err(|e| format!("cargo metadata printed no JSON: {e}"))?;
    let limit = parse(msrv).ok_or_else(|| format!("not a version: {msrv:?}"))?;
    let mut newer = Vec::new();
    let packages = meta["packages"].as_array().cloned().unwrap_or_default();
    for p in &packages {
        let Some(rv) = p["rust_version"].as_str() else {
            continue;
        };
        if parse(rv).is_some_and(|v| v > limit) {
            newer.push(format!(
                "{} {} needs Rust {rv}",
                p["name"].as_str().unwrap_or("?"),
                p["version"].as_str().unwrap_or("?")
            ));
        }
    }
    if newer.is_empty() {
        Ok(packages.len())
    } else {
        Err(format!(
            "{} locked package(s) need a newer Rust than rust-version {msrv} (run `cargo update` with resolver 3, or raise rust-version):\n  {}",
            newer.len(),
            newer.join("\n  ")
        ))
    }
}

/// The workspace's declared `rust-version`.
pub fn declared() -> Result<String, String> {
    let text = std::fs::read_to_string(crate::root().join("Cargo.toml"))
        .map_err(|e| format!("cannot read Cargo.toml: {e}"))?;
    text.lines()
        .find_map(|l| l.trim().strip_prefix("rust-version"))
        .and_then(|rest| rest.split('"').nth(1))
        .map(str::to_owned)
        .ok_or_else(|| "Cargo.toml declares no rust-version".to_owned())
}

pub fn run(args: &[String]) -> Result<(), String> {
    if let Some(a) = args.first() {
        return Err(format!("msrv: unknown argument {a:?}"));
    }
    let msrv = declared()?;
    let root = crate::root();
    for manifest in [
        root.join("Cargo.toml"),
        root.join("tests/consumer/Cargo.toml"),
    ] {
        let n = check_manifest(&manifest, &msrv)?;
        println!(
            "msrv: {n} packages of {} need at most Rust {msrv}",
            manifest.display()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn versions_compare_numerically() {
        assert!(super::parse("1.85").unwrap() < super::parse("1.100.0").unwrap());
        assert_eq!(super::parse("1.85"), Some((1, 85, 0)));
        assert_eq!(super::parse("x"), None);
    }
}
