//! `cargo xtask api-diff`: the API change report between a base (a git revision, a spec
//! directory, or the release baselines) and the specs of the working tree; the crate-version
//! check CI runs; the changelog draft; recording a release baseline. The one-line summary that
//! `cargo xtask gen` prints comes from here too.

use sas_codegen::diff::release::{self, Verdict};
use sas_codegen::diff::{render, source, ProductSurface, Report};
use std::path::{Path, PathBuf};
use std::process::Command;

const USAGE: &str =
    "usage: cargo xtask api-diff [<git rev>|<spec dir>|--baseline] [--spec DIR] [--out DIR] \
[--format text|markdown|json] [--changelog] [--check-version] [--record-baseline] | --rules";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Text,
    Markdown,
    Json,
}

/// What to compare with.
enum Base {
    Rev(String),
    Dir(PathBuf),
    Baselines,
}

struct Args {
    base: Option<Base>,
    spec: Option<PathBuf>,
    out: Option<PathBuf>,
    format: Format,
    changelog: bool,
    check_version: bool,
    record: bool,
}

fn parse(args: &[String]) -> Result<Args, String> {
    let mut out = Args {
        base: None,
        spec: None,
        out: None,
        format: Format::Text,
        changelog: false,
        check_version: false,
        record: false,
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--format" => {
                out.format = match it.next().map(String::as_str) {
                    Some("text") => Format::Text,
                    Some("markdown" | "md") => Format::Markdown,
                    Some("json") => Format::Json,
                    other => {
                        return Err(format!(
                            "--format: expected text, markdown or json, found {other:?}\n{USAGE}"
                        ))
                    }
                }
            }
            "--spec" => {
                let dir = it
                    .next()
                    .ok_or_else(|| format!("--spec needs a directory\n{USAGE}"))?;
                out.spec = Some(PathBuf::from(dir));
            }
            "--out" => {
                let dir = it
                    .next()
                    .ok_or_else(|| format!("--out needs a directory\n{USAGE}"))?;
                out.out = Some(PathBuf::from(dir));
            }
            "--baseline" => out.base = Some(Base::Baselines),
            "--changelog" => out.changelog = true,
            "--check-version" => out.check_version = true,
            "--record-baseline" => out.record = true,
            other if other.starts_with('-') => {
                return Err(format!("api-diff: unknown option {other:?}\n{USAGE}"))
            }
            other => {
                let base = if Path::new(other).exists() {
                    Base::Dir(PathBuf::from(other))
                } else {
                    Base::Rev(other.to_owned())
                };
                if out.base.replace(base).is_some() {
                    return Err(format!("api-diff: one base at a time\n{USAGE}"));
                }
            }
        }
    }
    Ok(out)
}

pub fn run(args: &[String]) -> Result<(), String> {
    if args.iter().any(|a| a == "--rules") {
        print!("{}", sas_codegen::diff::rules::markdown_table());
        return Ok(());
    }
    let args = parse(args)?;
    let root = crate::root();
    let spec = args.spec.clone().unwrap_or_else(|| root.join("spec"));
    let head_label = match &args.spec {
        Some(d) => d.display().to_string(),
        None => "the working tree".to_owned(),
    };
    // The generated crates whose changelogs --changelog and --record-baseline edit.
    let generated = match (&args.out, &args.spec) {
        (Some(out), _) => Some(out.clone()),
        (None, None) => Some(root.join("generated")),
        (None, Some(_)) => None,
    };
    let products = source::products(&spec)?;
    let new: Vec<ProductSurface> = products.iter().map(|(_, s)| s.clone()).collect();
    // The version check, the changelog and a release are about what changed since the last
    // release; a plain report defaults to the last commit.
    let release_work = args.check_version || args.changelog || args.record;
    let base = match args.base {
        Some(b) => b,
        None if release_work => Base::Baselines,
        None => Base::Rev("HEAD".to_owned()),
    };
    let (label, old) = match &base {
        Base::Rev(rev) => (rev.clone(), source::git_rev(root, rev, "spec")?),
        Base::Dir(d) => (d.display().to_string(), source::spec_dir(d)?),
        Base::Baselines => (
            "the release baselines".to_owned(),
            source::baselines(&products)?,
        ),
    };
    let report = Report::new(label, head_label, &old, &new);
    match args.format {
        Format::Text => print!("{}", render::text(&report)),
        Format::Markdown => print!("{}", render::markdown(&report)),
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(&render::json(&report)).unwrap_or_default()
        ),
    }
    if !release_work {
        return Ok(());
    }
    let mut failures = Vec::new();
    if args.check_version || args.record {
        for check in release::check_products(&products, &old, &report)? {
            match (&check.verdict, check.failure()) {
                (_, Some(failure)) => failures.push(failure),
                (Some(Verdict::Ok(note)), None) => {
                    eprintln!("{}: version check ok: {note}", check.key)
                }
                _ => eprintln!(
                    "{}: no release baseline to compare with (`cargo xtask api-diff --record-baseline` records one when releasing)",
                    check.key
                ),
            }
        }
    }
    for (dir, product) in &products {
        let key = product.key();
        let krate = generated.as_ref().map(|g| g.join(product.crate_dir()));
        let changes: Vec<_> = report.of_product(&key).collect();
        if args.changelog {
            match &krate {
                Some(k) => draft_changelog(k, &changes)?,
                None => print!("\n{}", render::changelog_section("Unreleased", &changes)),
            }
        }
        if args.record && failures.is_empty() {
            let released = old.iter().find(|o| o.key() == key);
            if let Some(r) = released.filter(|r| r.crate_version == product.crate_version) {
                if !changes.is_empty() {
                    failures.push(format!(
                        "{key}: the API changed since {} but crateVersion is still {}; set the version of this release first",
                        r.crate_version, product.crate_version
                    ));
                    continue;
                }
            }
            record(dir, product, krate.as_deref())?;
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "the crate version does not match the API changes:\n  {}",
            failures.join("\n  ")
        ))
    }
}

/// Writes the `## Unreleased` section of `krate/CHANGELOG.md` from `changes`.
fn draft_changelog(krate: &Path, changes: &[&sas_codegen::diff::Change]) -> Result<(), String> {
    let file = krate.join("CHANGELOG.md");
    let old = match std::fs::read_to_string(&file) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(format!("cannot read {}: {e}", file.display())),
    };
    let section = render::changelog_section("Unreleased", changes);
    let text = release::put_unreleased(&old, &section);
    std::fs::write(&file, text).map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    eprintln!("drafted the Unreleased section of {}", file.display());
    Ok(())
}

/// Records `product` (in spec directory `dir`) as released: its baseline file, and the
/// changelog's Unreleased section renamed to the version.
fn record(dir: &Path, product: &ProductSurface, krate: Option<&Path>) -> Result<(), String> {
    let file = dir.join(source::BASELINE_FILE);
    std::fs::write(&file, source::baseline_text(product))
        .map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    eprintln!(
        "recorded {} as the API of {} {}",
        file.display(),
        product.crate_name,
        product.crate_version
    );
    let Some(krate) = krate else {
        return Ok(());
    };
    let changelog = krate.join("CHANGELOG.md");
    if let Ok(text) = std::fs::read_to_string(&changelog) {
        if let Some(released) = release::release_unreleased(&text, &product.crate_version) {
            std::fs::write(&changelog, released)
                .map_err(|e| format!("cannot write {}: {e}", changelog.display()))?;
            eprintln!(
                "{}: Unreleased is now {}",
                changelog.display(),
                product.crate_version
            );
        }
    }
    Ok(())
}

/// The line `cargo xtask gen` prints when the specs differ from the last commit: the change
/// counts by class. Silent when git is missing, outside a repository, or the specs are as
/// committed.
pub fn gen_summary(root: &Path) {
    let status = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["status", "--porcelain", "--", "spec"])
        .output();
    let changed = match status {
        Ok(o) if o.status.success() => !o.stdout.is_empty(),
        _ => return,
    };
    if !changed {
        return;
    }
    let old = match source::git_rev(root, "HEAD", "spec") {
        Ok(o) => o,
        Err(e) => {
            println!("API change summary unavailable: {e}");
            return;
        }
    };
    let new = match source::spec_dir(&root.join("spec")) {
        Ok(n) => n,
        Err(_) => return,
    };
    let report = Report::new("HEAD", "the working tree", &old, &new);
    println!("{}", render::summary(&report));
}
