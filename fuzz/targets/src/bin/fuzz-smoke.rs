//! `fuzz-smoke`: every fuzz target over its seed corpus (`fuzz/corpus/<target>/`) and then over
//! mutated inputs for a few seconds each, on the stable toolchain. `cargo xtask fuzz-smoke` runs
//! it (`cargo run -p sas-fuzz-targets --bin fuzz-smoke`), so that xtask itself never depends on
//! the runtime or the generated crate. The same target bodies run under libFuzzer with
//! `cargo +nightly fuzz run <target>` (see `fuzz/README.md`).

use sas_fuzz_targets::smoke::{self, Options};
use sas_fuzz_targets::TARGETS;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

const USAGE: &str = "fuzz-smoke [--workspace DIR] [--seconds N] [--runs N] [--seed N] \
     [--target spec_generate|response_decode|canonical_query]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> Result<(), String> {
    let mut seconds: u64 = 4;
    let mut runs: Option<u64> = None;
    let mut seed: u64 = 0x5eed_f022;
    let mut only: Option<String> = None;
    let mut workspace: Option<PathBuf> = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .ok_or_else(|| format!("fuzz-smoke: {name} needs a value\nusage: {USAGE}"))
        };
        let number = |s: &String| {
            s.parse::<u64>()
                .map_err(|_| format!("fuzz-smoke: {s:?} is not a number\nusage: {USAGE}"))
        };
        match a.as_str() {
            "--seconds" => seconds = number(value("--seconds")?)?,
            "--runs" => runs = Some(number(value("--runs")?)?),
            "--seed" => seed = number(value("--seed")?)?,
            "--target" => only = Some(value("--target")?.clone()),
            "--workspace" => workspace = Some(PathBuf::from(value("--workspace")?)),
            other => {
                return Err(format!(
                    "fuzz-smoke: unknown argument {other:?}\nusage: {USAGE}"
                ))
            }
        }
    }
    if let Some(t) = &only {
        if sas_fuzz_targets::target(t).is_none() {
            return Err(format!("fuzz-smoke: no target {t:?}\nusage: {USAGE}"));
        }
    }
    let root = match workspace {
        Some(w) => w,
        None => smoke::workspace_root()?,
    };
    let mut failed = 0;
    for (name, target) in TARGETS {
        if only.as_deref().is_some_and(|t| t != *name) {
            continue;
        }
        let opts = Options {
            duration: Duration::from_secs(seconds),
            max_runs: runs,
            seed,
            corpus: root.join("fuzz/corpus").join(name),
            artifacts: root.join("target/fuzz-smoke-artifacts"),
        };
        let report = smoke::run(name, *target, &opts);
        println!(
            "{name:16} {:>8} runs ({} seeds) in {:.1?}, seed {seed:#x}: {}",
            report.runs,
            report.seeds,
            report.elapsed,
            if report.failures.is_empty() {
                "no failure".to_owned()
            } else {
                format!("{} FAILING INPUT(S)", report.failures.len())
            }
        );
        for (file, message) in &report.failures {
            println!("  {}: {message}", file.display());
        }
        failed += report.failures.len();
    }
    if failed > 0 {
        return Err(format!(
            "fuzz-smoke: {failed} failing input(s) saved under target/fuzz-smoke-artifacts/; \
             reproduce one with `cargo +nightly fuzz run <target> <file>` in fuzz/, or add it to \
             fuzz/corpus/<target>/ and rerun this command"
        ));
    }
    Ok(())
}
