//! `cargo xtask ci`: every check CI runs, in order, stopping at the first failure.

use std::process::Command;

fn cargo(args: &[&str]) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    println!("\n==> cargo {}", args.join(" "));
    let status = Command::new(&cargo)
        .args(args)
        .current_dir(crate::root())
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`cargo {}` failed ({status})", args.join(" ")))
    }
}

pub fn run(args: &[String]) -> Result<(), String> {
    if let Some(a) = args.first() {
        return Err(format!("ci: unknown argument {a:?}"));
    }
    cargo(&["fmt", "--all", "--", "--check"])?;
    cargo(&[
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ])?;
    println!("\n==> cargo xtask gen --check");
    crate::gen::run(&["--check".to_owned()])?;
    println!("\n==> cargo xtask golden");
    crate::gen::golden(&[])?;
    println!("\n==> cargo xtask api-diff --check-version");
    crate::api_diff::run(&["--check-version".to_owned()])?;
    cargo(&["test", "--workspace"])?;
    // Docs of the generated crate: it denies broken intra-doc links itself.
    cargo(&["doc", "--no-deps", "-p", "alibabacloud-sas20181203"])?;
    println!("\n==> cargo xtask msrv");
    crate::msrv::run(&[])?;
    // A project outside the workspace that depends on the crate by path.
    cargo(&[
        "run",
        "--locked",
        "--manifest-path",
        "tests/consumer/Cargo.toml",
        "--target-dir",
        "target",
    ])?;
    corpus()?;
    corpus_products()?;
    println!("\n==> cargo xtask corpus-dara");
    crate::corpus_dara::run(&["--committed".to_owned()])?;
    println!("\n==> cargo xtask fuzz-smoke");
    crate::fuzz::run(&[])?;
    println!("\n==> cargo xtask interop");
    crate::interop::run(&[])?;
    println!("\n==> cargo xtask interop-surface (fixed sample of the committed crate)");
    crate::interop_surface::run(&[])?;
    println!("\n==> cargo xtask interop-roa");
    crate::interop_roa::run(&[])?;
    println!("\nci: all checks passed");
    Ok(())
}

/// The corpus check on the official Security Center metadata, next to the workspace in
/// `../shared/alibaba-metadata/`, when it is there.
fn corpus() -> Result<(), String> {
    let metadata = crate::corpus::default_metadata(crate::root());
    if metadata.is_file() {
        println!("\n==> cargo xtask corpus {}", metadata.display());
        crate::corpus::check(&metadata)
    } else if in_ci() {
        Err(format!(
            "corpus check: {} not found, and CI always has it (CI is set)",
            metadata.display()
        ))
    } else {
        println!("\ncorpus check SKIPPED: {} not found", metadata.display());
        Ok(())
    }
}

/// The products CI builds after generating every product of the folder: RPC products that
/// exercise the import's rules (RPC methods, arrays without items, merged repeats) and two
/// ROA products (JSON bodies, path parameters, PUT and DELETE; form bodies).
pub const CORPUS_SAMPLE: &[&str] = &[
    "dysmsapi_2017-05-25",
    "viapi-regen_2021-11-19",
    "privatelink_2020-04-15",
    "tingwu_2023-09-30",
    "acm_2020-02-06",
];

/// The fast form of the corpus over other products: every product of
/// `../shared/alibaba-metadata/products/` imported and generated, a fixed sample built and its
/// examples decoded (`cargo xtask corpus <dir>` without options does all of it).
fn corpus_products() -> Result<(), String> {
    let dir = crate::corpus::default_products(crate::root());
    if dir.is_dir() {
        let sample = CORPUS_SAMPLE.join(",");
        println!(
            "\n==> cargo xtask corpus {} --compile {sample}",
            dir.display()
        );
        crate::corpus::run(&[
            dir.to_string_lossy().into_owned(),
            "--compile".to_owned(),
            sample,
        ])
    } else if in_ci() {
        Err(format!(
            "corpus check: {} not found, and CI always has it (CI is set)",
            dir.display()
        ))
    } else {
        println!(
            "\ncorpus check of other products SKIPPED: {} not found",
            dir.display()
        );
        Ok(())
    }
}

/// Whether this is a CI run: the `CI` variable every CI service sets (`true`, `1`, …).
pub fn in_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false" && v != "0")
}
