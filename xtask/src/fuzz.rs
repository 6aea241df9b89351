//! `cargo xtask fuzz-smoke`: runs the `fuzz-smoke` binary of `fuzz/targets` (stable toolchain),
//! which runs every fuzz target over its seed corpus and mutated inputs. It is a separate binary
//! so that xtask depends on the generator alone: `cargo xtask gen` must build even when the
//! runtime or the generated crate does not.

use std::process::Command;

pub fn run(args: &[String]) -> Result<(), String> {
    let root = crate::root();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = Command::new(cargo)
        .args([
            "run",
            "--quiet",
            "-p",
            "sas-fuzz-targets",
            "--bin",
            "fuzz-smoke",
            "--",
            "--workspace",
        ])
        .arg(root)
        .args(args)
        .current_dir(root)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("fuzz-smoke failed ({status})"))
    }
}
