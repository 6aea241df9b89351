//! `cargo xtask interop` and `cargo xtask bench-load`: our Rust clients next to the official
//! Python SDK, against the loopback verifier of `tests/interop/`.
//!
//! Both prepare a virtualenv at `.venv-interop/` (git-ignored) with the pinned packages of
//! `tests/interop/requirements.txt`. The install is skipped when the virtualenv's stamp file
//! matches the requirements and the interpreter, so a warm run costs no pip call. A changed
//! requirements file or interpreter rebuilds it beside the old one and swaps it in.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

const VENV: &str = ".venv-interop";
const STAMP: &str = ".interop-stamp";
const REQUIREMENTS: &str = "tests/interop/requirements.txt";

pub fn run(args: &[String]) -> Result<(), String> {
    if let Some(a) = args.first() {
        return Err(format!("interop: unknown argument {a:?}"));
    }
    let started = Instant::now();
    let python = ensure_venv()?;
    let mut command = Command::new(cargo());
    command
        .args([
            "run",
            "--quiet",
            "-p",
            "sas-tests",
            "--example",
            "interop",
            "--",
        ])
        .arg("--python")
        .arg(&python);
    let status = command
        .current_dir(crate::root())
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    println!(
        "interop: {:.1} s in all (virtualenv, build, calls)",
        started.elapsed().as_secs_f64()
    );
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "interop: our client's requests differ from the official SDK's, or were rejected ({status})"
        ))
    }
}

const BENCH_USAGE: &str =
    "cargo xtask bench-load [--calls N] [--concurrency N] [--rounds N] [--no-write]";

/// `cargo xtask bench-load`: builds the load driver in release mode, runs it, and writes its
/// section of BENCHMARKS.md (unless `--no-write`), opened by the command line, date and load.
pub fn bench_load(args: &[String]) -> Result<(), String> {
    let (pass, write) = crate::benchmd::bench_args(
        "bench-load",
        args,
        &["--calls", "--concurrency", "--rounds"],
        BENCH_USAGE,
    )?;
    let python = ensure_venv()?;
    let root = crate::root();
    let out = root.join("target/bench-load-section.md");
    let command = std::iter::once("cargo xtask bench-load".to_owned())
        .chain(args.iter().cloned())
        .collect::<Vec<_>>()
        .join(" ");
    let (started, load_before) = (crate::benchmd::now(), crate::benchmd::load_average());
    let status = Command::new(cargo())
        .args([
            "run",
            "--release",
            "--quiet",
            "-p",
            "sas-tests",
            "--example",
            "bench_load",
            "--",
        ])
        .arg("--python")
        .arg(&python)
        .arg("--markdown")
        .arg(&out)
        .args(&pass)
        .current_dir(root)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err(format!("bench-load: the load driver failed ({status})"));
    }
    if write {
        let section =
            std::fs::read_to_string(&out).map_err(|e| format!("{}: {e}", out.display()))?;
        let provenance = crate::benchmd::provenance(&command, &started, &load_before);
        crate::benchmd::write_section(root, "bench-load", &format!("{provenance}\n{section}"))?;
    }
    Ok(())
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

/// `python3 --version`, or a clear error when there is no python3.
fn system_python() -> Result<String, String> {
    let out = Command::new("python3")
        .arg("--version")
        .output()
        .map_err(|e| {
            format!(
                "interop needs python3 (CPython 3.9 or newer, with the venv module) on PATH: {e}"
            )
        })?;
    if !out.status.success() {
        return Err(format!("`python3 --version` failed ({})", out.status));
    }
    let v = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    Ok(if v.is_empty() {
        String::from_utf8_lossy(&out.stderr).trim().to_owned()
    } else {
        v
    })
}

fn venv_python(venv: &Path) -> PathBuf {
    venv.join("bin").join("python")
}

/// The virtualenv's interpreter, creating or refreshing the virtualenv when its stamp does not
/// match the requirements file and `python3 --version`.
pub fn ensure_venv() -> Result<PathBuf, String> {
    let root = crate::root();
    let venv = root.join(VENV);
    let requirements = root.join(REQUIREMENTS);
    let reqs = std::fs::read_to_string(&requirements)
        .map_err(|e| format!("{}: {e}", requirements.display()))?;
    let version = system_python()?;
    let stamp = format!("{version}\n{reqs}");
    if venv_python(&venv).exists()
        && std::fs::read_to_string(venv.join(STAMP)).is_ok_and(|s| s == stamp)
    {
        return Ok(venv_python(&venv));
    }
    let started = Instant::now();
    println!("interop: preparing {VENV}/ ({version}, {REQUIREMENTS})");
    // Built beside the final place and renamed into it, so an interrupted install never leaves
    // a half-made virtualenv that looks ready, and two concurrent runs do not share one.
    let tmp = root.join(format!("{VENV}.tmp-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let result = build_venv(&tmp, &requirements, &stamp);
    if let Err(e) = result {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(e);
    }
    let old = root.join(format!("{VENV}.old-{}", std::process::id()));
    if venv.exists() {
        std::fs::rename(&venv, &old).map_err(|e| format!("cannot move the old {VENV}: {e}"))?;
    }
    if let Err(e) = std::fs::rename(&tmp, &venv) {
        // Another run swapped its own in first: use that one.
        let _ = std::fs::remove_dir_all(&tmp);
        if !venv_python(&venv).exists() {
            return Err(format!("cannot move the new virtualenv into {VENV}: {e}"));
        }
    }
    let _ = std::fs::remove_dir_all(&old);
    println!(
        "interop: {VENV}/ ready in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(venv_python(&venv))
}

fn build_venv(dir: &Path, requirements: &Path, stamp: &str) -> Result<(), String> {
    let out = Command::new("python3")
        .args(["-m", "venv"])
        .arg(dir)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run python3 -m venv: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "could not create the virtualenv with `python3 -m venv {}` ({}):\n{}{}\n\
             (on Debian/Ubuntu the venv module comes with the python3-venv package)",
            dir.display(),
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let python = venv_python(dir);
    let status = Command::new(&python)
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--no-input",
            "--progress-bar",
            "off",
            "-r",
        ])
        .arg(requirements)
        .stdin(Stdio::null())
        .status()
        .map_err(|e| format!("cannot run pip: {e}"))?;
    if !status.success() {
        return Err(format!(
            "pip could not install {} ({status}); PyPI must be reachable",
            requirements.display()
        ));
    }
    let status = Command::new(&python)
        .args([
            "-c",
            "import alibabacloud_sas20181203.client, alibabacloud_tingwu20230930.client, alibabacloud_ververica20220718.client, alibabacloud_acm20200206.client, alibabacloud_tea_openapi.utils, darabonba.request",
        ])
        .stdin(Stdio::null())
        .status()
        .map_err(|e| format!("cannot run {}: {e}", python.display()))?;
    if !status.success() {
        return Err("the installed official SDK does not import".to_owned());
    }
    std::fs::write(dir.join(STAMP), stamp).map_err(|e| format!("cannot write the stamp: {e}"))
}
