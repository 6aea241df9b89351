//! `cargo xtask bench-overhead`: the generated client's CPU per call next to a bare reqwest POST
//! of the same shape, in one process run (`tests/examples/bench_overhead.rs`, release), printed
//! with the ratio and written to its marked section of BENCHMARKS.md. A benchmark command, not a timed test.

use std::process::Command;

const USAGE: &str = "bench-overhead [--calls N] [--rounds N] [--no-write]";

pub fn run(args: &[String]) -> Result<(), String> {
    let (pass, write) =
        crate::benchmd::bench_args("bench-overhead", args, &["--calls", "--rounds"], USAGE)?;
    let root = crate::root();
    let out = root.join("target/bench-overhead-section.md");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = Command::new(cargo)
        .args([
            "run",
            "--release",
            "--quiet",
            "-p",
            "sas-tests",
            "--example",
            "bench_overhead",
            "--",
            "--markdown",
        ])
        .arg(&out)
        .args(&pass)
        .current_dir(root)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err(format!("bench-overhead: the benchmark failed ({status})"));
    }
    if write {
        let section =
            std::fs::read_to_string(&out).map_err(|e| format!("{}: {e}", out.display()))?;
        crate::benchmd::write_section(root, "bench-overhead", &section)?;
    }
    Ok(())
}
