//! `cargo xtask corpus <api-docs.json>`: the whole official product through the whole pipeline.
//!
//! Imports every operation into `target/corpus/spec`, generates a standalone crate into
//! `target/corpus/generated` (its own `[workspace]`, the runtime by absolute path), builds it and
//! its example test in `target/corpus-target` (so it never waits on the main target directory's
//! lock), runs the test that decodes every documented response example, and prints the counts.
//! Fails unless every operation compiles and every non-empty example decodes.

use sas_codegen::emit::RuntimeDep;
use sas_codegen::import::Selection;
use sas_codegen::{examples, load, lower, Options};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The counts of a corpus run.
#[derive(Debug, Default)]
pub struct Counts {
    pub imported: usize,
    pub generated: usize,
    pub compiled: usize,
    /// Operations with a non-empty JSON success example.
    pub examples: usize,
    pub decoded: usize,
    /// Action → why its example failed.
    pub failing: BTreeMap<String, String>,
    /// Operations whose generated module had compile errors, with the first message.
    pub compile_errors: BTreeMap<String, String>,
    /// Action → JSON paths of the members its decoded example kept in `extra_fields`
    /// (undeclared, or not of their declared type): where the spec and the example disagree.
    pub kept: BTreeMap<String, Vec<String>>,
    /// Kept members that the allow-list does not name: failures.
    pub not_allowed: Located,
    /// Allow-list entries that did not occur: failures (the list must stay true).
    pub stale: Located,
}

/// The committed allow-list of members an example may keep in `extra_fields`.
pub const ALLOWLIST: &str = "tests/corpus-allowlist.json";

/// One entry of the allow-list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allowed {
    pub operation: String,
    /// The JSON path as the example test prints it (`$.Data.List[0].Name`).
    pub path: String,
    pub reason: String,
}

/// Reads the allow-list: `{"allowed": [{"operation", "path", "reason"}, …]}`; every entry needs
/// all three, a non-empty reason, and no entry may repeat.
pub fn parse_allowlist(text: &str) -> Result<Vec<Allowed>, String> {
    let doc: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("{ALLOWLIST}: {e}"))?;
    let entries = doc
        .get("allowed")
        .and_then(serde_json::Value::as_array)
        .ok_or_else(|| format!("{ALLOWLIST}: no \"allowed\" list"))?;
    let mut out: Vec<Allowed> = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        let field = |k: &str| {
            e.get(k)
                .and_then(serde_json::Value::as_str)
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .ok_or_else(|| format!("{ALLOWLIST}: $.allowed[{i}] needs a non-empty {k:?}"))
        };
        let entry = Allowed {
            operation: field("operation")?,
            path: field("path")?,
            reason: field("reason")?,
        };
        if out
            .iter()
            .any(|a| a.operation == entry.operation && a.path == entry.path)
        {
            return Err(format!(
                "{ALLOWLIST}: $.allowed[{i}] repeats {} {}",
                entry.operation, entry.path
            ));
        }
        out.push(entry);
    }
    Ok(out)
}

/// (operation, JSON path) pairs.
pub type Located = Vec<(String, String)>;

/// Splits the kept members into those the allow-list does not name and the allow-list entries
/// that did not occur, each as (operation, path), sorted.
pub fn judge_kept(kept: &BTreeMap<String, Vec<String>>, allowed: &[Allowed]) -> (Located, Located) {
    let is_allowed =
        |op: &str, path: &str| allowed.iter().any(|a| a.operation == op && a.path == path);
    let not_allowed = kept
        .iter()
        .flat_map(|(op, paths)| paths.iter().map(move |p| (op.clone(), p.clone())))
        .filter(|(op, p)| !is_allowed(op, p))
        .collect();
    let mut stale: Located = allowed
        .iter()
        .filter(|a| {
            !kept
                .get(&a.operation)
                .is_some_and(|ps| ps.contains(&a.path))
        })
        .map(|a| (a.operation.clone(), a.path.clone()))
        .collect();
    stale.sort();
    (not_allowed, stale)
}

const USAGE: &str = "usage: cargo xtask corpus <api-docs.json | directory> [--gen-only] \
     [--compile P,Q,…] [--products P,Q,…] [--no-strict]";

pub fn run(args: &[String]) -> Result<(), String> {
    let Some((source, rest)) = args.split_first() else {
        return Err(USAGE.to_owned());
    };
    let source = Path::new(source);
    if !source.is_dir() {
        if !rest.is_empty() {
            return Err(format!("options apply to a directory only\n{USAGE}"));
        }
        return check(source);
    }
    let mut dir = crate::corpus_dir::DirArgs {
        dir: source.to_owned(),
        compile: crate::corpus_dir::Compile::All,
        products: None,
        strict: true,
    };
    let list = |v: Option<&String>| -> Result<Vec<String>, String> {
        let v = v.ok_or_else(|| format!("a list is missing\n{USAGE}"))?;
        Ok(v.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect())
    };
    let mut it = rest.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--gen-only" => dir.compile = crate::corpus_dir::Compile::None,
            "--compile" => dir.compile = crate::corpus_dir::Compile::Only(list(it.next())?),
            "--products" => dir.products = Some(list(it.next())?),
            "--no-strict" => dir.strict = false,
            other => return Err(format!("corpus: unknown argument {other:?}\n{USAGE}")),
        }
    }
    crate::corpus_dir::run(dir)
}

/// Runs the corpus check on `source`, printing progress and the counts.
pub fn check(source: &Path) -> Result<(), String> {
    let root = crate::root();
    let work = root.join("target").join("corpus");
    let target_dir = root.join("target").join("corpus-target");
    let mut counts = Counts::default();
    let allowlist_path = root.join(ALLOWLIST);
    let allowed = parse_allowlist(
        &std::fs::read_to_string(&allowlist_path)
            .map_err(|e| format!("{}: {e}", allowlist_path.display()))?,
    )?;

    // 1. Import.
    let imported = crate::import::read(source, &Selection::All)?;
    counts.imported = imported.operations.len();
    let spec_root = work.join("spec");
    if spec_root.exists() {
        std::fs::remove_dir_all(&spec_root)
            .map_err(|e| format!("cannot clear {}: {e}", spec_root.display()))?;
    }
    // `default_dir` is `spec/<product>/<version>`: keep the product/version part.
    let product_dir = spec_root.join(
        imported
            .default_dir
            .strip_prefix("spec")
            .unwrap_or(&imported.default_dir),
    );
    sas_codegen::import::write(&product_dir, &imported, true)
        .map_err(|e| format!("writing {}: {e}", product_dir.display()))?;
    // Importing again must change nothing, byte for byte.
    let again = crate::import::read(source, &Selection::All)?;
    let second = sas_codegen::import::write(&product_dir, &again, false)
        .map_err(|e| format!("writing {}: {e}", product_dir.display()))?;
    if second.unchanged != imported.files.len() || !second.refused.is_empty() {
        return Err(format!(
            "importing twice changed files ({} of {} unchanged)",
            second.unchanged,
            imported.files.len()
        ));
    }
    println!(
        "imported  {} operation(s) into {} ({} enum(s) added from value titles and description bullets)",
        counts.imported,
        product_dir.display(),
        imported.enums_added.len()
    );

    // 2. Generate.
    let runtime = root.join("runtime");
    let opts = Options {
        runtime: RuntimeDep::Path(runtime.to_string_lossy().into_owned()),
        example_tests: true,
        label_root: "spec".to_owned(),
        // Facts-only spec files have no examples: decode the official ones, in memory.
        examples: imported.examples.clone(),
    };
    let generated = sas_codegen::generate(&spec_root, &opts).map_err(|errors| {
        for e in &errors {
            eprintln!("error: {e}");
        }
        format!("generation failed with {} spec error(s)", errors.len())
    })?;
    for w in &generated.warnings {
        eprintln!("{w}");
    }
    let out = work.join("generated");
    sas_codegen::write::write_all(&out, &generated.crates)
        .map_err(|e| format!("writing {}: {e}", out.display()))?;
    let Some((crate_dir_name, _)) = generated.crates.iter().next() else {
        return Err("generation produced no crate".to_owned());
    };
    counts.generated = generated.operation_counts.values().sum();
    let crate_dir = out.join(crate_dir_name);
    println!(
        "generated {} operation(s) into {} ({} warning(s))",
        counts.generated,
        crate_dir.display(),
        generated.warnings.len()
    );

    let built_counts = build_and_decode(
        root,
        &product_dir,
        &spec_root,
        &crate_dir,
        &target_dir,
        &imported.examples,
    )?;
    counts.compiled = built_counts.compiled;
    counts.examples = built_counts.examples;
    counts.decoded = built_counts.decoded;
    counts.failing = built_counts.failing;
    counts.compile_errors = built_counts.compile_errors;
    counts.kept = built_counts.kept;
    let built = built_counts.built;

    // 5. Report.
    if built {
        (counts.not_allowed, counts.stale) = judge_kept(&counts.kept, &allowed);
    }
    print_counts(&counts);
    let ok = counts.imported == counts.generated
        && counts.compiled == counts.generated
        && built
        && counts.failing.is_empty()
        && counts.decoded == counts.examples
        && counts.not_allowed.is_empty()
        && counts.stale.is_empty();
    if ok {
        println!("corpus check passed");
        Ok(())
    } else {
        Err("corpus check failed (counts above)".to_owned())
    }
}

/// What [`build_and_decode`] found.
#[derive(Debug, Default)]
pub struct Built {
    /// Whether the crate and its example test built.
    pub built: bool,
    pub compiled: usize,
    pub examples: usize,
    pub decoded: usize,
    pub failing: BTreeMap<String, String>,
    pub compile_errors: BTreeMap<String, String>,
    pub kept: BTreeMap<String, Vec<String>>,
}

/// Builds the generated crate in `crate_dir` (with its example test) in `target_dir`, runs the
/// test that decodes every documented example of `examples`, and counts per operation.
pub fn build_and_decode(
    root: &Path,
    product_dir: &Path,
    spec_root: &Path,
    crate_dir: &Path,
    target_dir: &Path,
    examples: &BTreeMap<String, String>,
) -> Result<Built, String> {
    let mut counts = Built::default();
    // Module → action, and which operations have a JSON example.
    let loaded = load::product_dir(product_dir, spec_root).map_err(|e| {
        format!(
            "{} spec error(s) on reload",
            e.len() // generation succeeded, so this does not happen
        )
    })?;
    let lowered = lower::lower(&loaded.product_path, &loaded.product, &loaded.operations)
        .map_err(|e| format!("{} spec error(s) on reload", e.len()))?;
    let module_to_action: BTreeMap<String, String> = lowered
        .ir
        .operations
        .iter()
        .map(|o| {
            (
                o.module.trim_start_matches("r#").to_owned(),
                o.action.clone(),
            )
        })
        .collect();
    let mut with_example = BTreeSet::new();
    for o in &loaded.operations {
        let action = o.spec.action.clone().unwrap_or_else(|| o.stem.clone());
        match examples::json_example(examples.get(&action).map(String::as_str)) {
            Some(e) if serde_json::from_str::<serde_json::Value>(&e).is_ok() => {
                with_example.insert(action);
            }
            Some(_) => {
                counts
                    .failing
                    .insert(action, "the documented example is not JSON".to_owned());
            }
            None => {}
        }
    }
    counts.examples = with_example.len() + counts.failing.len();

    let generated = lowered.ir.operations.len();
    // 3. Build the library and the example test.
    seed_lockfile(root, crate_dir);
    println!(
        "building  {} (CARGO_TARGET_DIR={})",
        crate_dir.display(),
        target_dir.display()
    );
    let build = Command::new(cargo())
        .args(["test", "--no-run", "--message-format=json"])
        .current_dir(crate_dir)
        .env("CARGO_TARGET_DIR", target_dir)
        .env("CARGO_INCREMENTAL", "0")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let stdout = String::from_utf8_lossy(&build.stdout);
    let mut crate_level: Vec<String> = Vec::new();
    for line in stdout.lines() {
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if msg["reason"] != "compiler-message" || msg["message"]["level"] != "error" {
            continue;
        }
        let rendered = msg["message"]["rendered"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let file = msg["message"]["spans"]
            .as_array()
            .and_then(|spans| {
                spans
                    .iter()
                    .find(|s| s["is_primary"] == true)
                    .or(spans.first())
            })
            .and_then(|s| s["file_name"].as_str())
            .unwrap_or_default()
            .to_owned();
        let module = file
            .strip_prefix("src/operations/")
            .and_then(|f| f.strip_suffix(".rs"));
        match module.and_then(|m| module_to_action.get(m)) {
            Some(action) => {
                counts
                    .compile_errors
                    .entry(action.clone())
                    .or_insert(first_line(&rendered));
            }
            None => crate_level.push(rendered),
        }
    }
    let built = build.status.success();
    counts.built = built;
    counts.compiled = if built {
        generated
    } else if crate_level.is_empty() {
        generated.saturating_sub(counts.compile_errors.len())
    } else {
        0
    };
    for m in crate_level.iter().take(10) {
        eprintln!("{m}");
    }

    // 4. Run the example test.
    if built {
        let test = Command::new(cargo())
            .args([
                "test",
                "--test",
                "examples",
                "--",
                "--test-threads=2",
                "--show-output",
            ])
            .current_dir(crate_dir)
            .env("CARGO_TARGET_DIR", target_dir)
            .env("CARGO_INCREMENTAL", "0")
            .output()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        let text = String::from_utf8_lossy(&test.stdout);
        let results = parse_libtest(&text);
        let action_of = |name: &str| {
            let module = name.strip_prefix("decodes_").unwrap_or(name);
            module_to_action
                .get(module)
                .cloned()
                .unwrap_or_else(|| name.to_owned())
        };
        for (name, paths) in parse_kept(&text) {
            counts.kept.insert(action_of(&name), paths);
        }
        for (name, outcome) in &results {
            let action = action_of(name);
            match outcome {
                Ok(()) => counts.decoded += 1,
                Err(why) => {
                    counts.failing.insert(action, why.clone());
                }
            }
        }
        // A product without a single JSON example has an empty example test.
        if results.is_empty() && counts.examples > 0 {
            eprintln!("{}", String::from_utf8_lossy(&test.stderr));
            return Err("the example test printed no results".to_owned());
        }
    }

    Ok(counts)
}

fn print_counts(c: &Counts) {
    println!();
    println!("operations imported:  {}", c.imported);
    println!("operations generated: {}", c.generated);
    println!("operations compiled:  {}/{}", c.compiled, c.generated);
    for (action, why) in &c.compile_errors {
        println!("    compile error in {action}: {why}");
    }
    println!("examples (non-empty): {}", c.examples);
    println!("examples decoded:     {}/{}", c.decoded, c.examples);
    println!("examples failing:     {}", c.failing.len());
    for (action, why) in &c.failing {
        println!("    {action}: {why}");
    }
    println!(
        "examples that kept members in extra_fields (undeclared or not of their declared type): {}",
        c.kept.len()
    );
    for (action, paths) in &c.kept {
        println!("    {action}: {}", paths.join(", "));
    }
    println!("kept members not in {ALLOWLIST}: {}", c.not_allowed.len());
    for (action, path) in &c.not_allowed {
        println!("    NEW {action} {path}");
    }
    if !c.not_allowed.is_empty() {
        println!(
            "    (fix the spec or the decoding; or, when the example itself is wrong, add the \
             operation and path to {ALLOWLIST} with the reason)"
        );
    }
    println!(
        "{ALLOWLIST} entries that no longer occur: {}",
        c.stale.len()
    );
    for (action, path) in &c.stale {
        println!("    STALE {action} {path} (remove it from the allow-list)");
    }
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or_default().to_owned()
}

pub fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

/// Starts the standalone crate's lockfile from the workspace's, so it builds with the versions
/// the workspace already uses (no fresh resolution, no rebuilt dependencies).
pub fn seed_lockfile(root: &Path, crate_dir: &Path) {
    let lock = crate_dir.join("Cargo.lock");
    if !lock.exists() {
        let _ = std::fs::copy(root.join("Cargo.lock"), &lock);
    }
}

/// Test name → `Ok` or the failure's panic message, from libtest's output.
pub fn parse_libtest(out: &str) -> BTreeMap<String, Result<(), String>> {
    let mut results = BTreeMap::new();
    for line in out.lines() {
        let Some(rest) = line.strip_prefix("test ") else {
            continue;
        };
        if let Some(name) = rest.strip_suffix(" ... ok") {
            results.insert(name.to_owned(), Ok(()));
        } else if let Some(name) = rest.strip_suffix(" ... FAILED") {
            results.insert(name.to_owned(), Err("failed".to_owned()));
        }
    }
    // Failure sections: `---- name stdout ----`, then `thread '…' panicked at …:`, then the
    // message.
    let mut current: Option<String> = None;
    let mut lines = out.lines().peekable();
    while let Some(line) = lines.next() {
        if let Some(name) = line
            .strip_prefix("---- ")
            .and_then(|l| l.strip_suffix(" stdout ----"))
        {
            current = Some(name.to_owned());
            continue;
        }
        if line.contains("panicked at") {
            if let Some(name) = current.take() {
                let message = lines.next().unwrap_or_default().trim().to_owned();
                results.insert(name, Err(message));
            }
        }
    }
    results
}

/// Test name → the paths the example test printed after `kept in extra_fields: ` (libtest's
/// `--show-output` sections).
pub fn parse_kept(out: &str) -> BTreeMap<String, Vec<String>> {
    let mut kept = BTreeMap::new();
    let mut current: Option<&str> = None;
    for line in out.lines() {
        if let Some(name) = line
            .strip_prefix("---- ")
            .and_then(|l| l.strip_suffix(" stdout ----"))
        {
            current = Some(name);
        } else if let (Some(name), Some(keys)) =
            (current, line.strip_prefix("kept in extra_fields: "))
        {
            kept.insert(
                name.to_owned(),
                keys.split(", ").map(str::to_owned).collect(),
            );
        }
    }
    kept
}

/// Where the corpus check's sources live for CI: `<workspace>/../shared/alibaba-metadata/…`,
/// unless `SAS_METADATA` names the file (a worktree elsewhere).
pub fn default_metadata(root: &Path) -> PathBuf {
    if let Some(p) = std::env::var_os("SAS_METADATA").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    root.parent()
        .unwrap_or(root)
        .join("shared")
        .join("alibaba-metadata")
        .join("sas-2018-12-03.api-docs.json")
}

/// The development corpus of other products: `<workspace>/../shared/alibaba-metadata/products`,
/// unless `ALIBABA_PRODUCTS` names the folder.
pub fn default_products(root: &Path) -> PathBuf {
    if let Some(p) = std::env::var_os("ALIBABA_PRODUCTS").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    root.parent()
        .unwrap_or(root)
        .join("shared")
        .join("alibaba-metadata")
        .join("products")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn libtest_output_is_parsed() {
        let out = "running 2 tests\ntest decodes_a ... ok\ntest decodes_b ... FAILED\n\nfailures:\n\n---- decodes_b stdout ----\n\nthread 'decodes_b' panicked at tests/examples.rs:20:19:\ndecoding lost or changed data: $.X was 1.5, null after decoding\nnote: run with `RUST_BACKTRACE=1`\n\nfailures:\n    decodes_b\n";
        let shown = "successes:\n\n---- decodes_a stdout ----\nkept in extra_fields: X, Y\n\n\nsuccesses:\n    decodes_a\n";
        assert_eq!(
            parse_kept(shown).get("decodes_a"),
            Some(&vec!["X".to_owned(), "Y".to_owned()])
        );
        let r = parse_libtest(out);
        assert_eq!(r.get("decodes_a"), Some(&Ok(())));
        assert_eq!(
            r.get("decodes_b"),
            Some(&Err(
                "decoding lost or changed data: $.X was 1.5, null after decoding".to_owned()
            ))
        );
    }

    fn allowed(op: &str, path: &str) -> Allowed {
        Allowed {
            operation: op.into(),
            path: path.into(),
            reason: "r".into(),
        }
    }

    #[test]
    fn a_kept_member_fails_unless_allowed_and_a_stale_entry_fails() {
        let mut kept = BTreeMap::new();
        kept.insert(
            "A".to_owned(),
            vec!["$.X".to_owned(), "$.Y[0].Z".to_owned()],
        );
        kept.insert("B".to_owned(), vec!["$.X".to_owned()]);
        let list = [
            allowed("A", "$.X"),
            allowed("B", "$.Gone"),
            allowed("C", "$.X"),
        ];
        let (new, stale) = judge_kept(&kept, &list);
        assert_eq!(
            new,
            vec![
                ("A".to_owned(), "$.Y[0].Z".to_owned()),
                ("B".to_owned(), "$.X".to_owned())
            ]
        );
        assert_eq!(
            stale,
            vec![
                ("B".to_owned(), "$.Gone".to_owned()),
                ("C".to_owned(), "$.X".to_owned())
            ]
        );
        // Everything allowed, nothing stale.
        let list = [
            allowed("A", "$.X"),
            allowed("A", "$.Y[0].Z"),
            allowed("B", "$.X"),
        ];
        assert_eq!(judge_kept(&kept, &list), (vec![], vec![]));
    }

    #[test]
    fn the_allowlist_needs_a_reason_for_every_entry() {
        let ok = r#"{"allowed": [{"operation": "A", "path": "$.X", "reason": "why"}]}"#;
        assert_eq!(
            parse_allowlist(ok),
            Ok(vec![Allowed {
                operation: "A".into(),
                path: "$.X".into(),
                reason: "why".into()
            }])
        );
        let no_reason = r#"{"allowed": [{"operation": "A", "path": "$.X", "reason": " "}]}"#;
        assert!(parse_allowlist(no_reason).unwrap_err().contains("reason"));
        let twice = r#"{"allowed": [{"operation": "A", "path": "$.X", "reason": "a"},
                                    {"operation": "A", "path": "$.X", "reason": "b"}]}"#;
        assert!(parse_allowlist(twice).unwrap_err().contains("repeats"));
        assert!(parse_allowlist("{}").is_err());
    }

    #[test]
    fn the_committed_allowlist_parses() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join(ALLOWLIST);
        let text = std::fs::read_to_string(&path).expect("the allow-list is committed");
        let list = parse_allowlist(&text).expect("the committed allow-list is valid");
        assert!(!list.is_empty());
    }
}
