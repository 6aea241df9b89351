//! `cargo xtask bench-gen [<api-docs.json>] [--runs N] [--skip-aws] [--gen-only] [--no-write]`: the figures of
//! `BENCHMARKS.md`.
//!
//! - generation time of the whole product, in process (median of `--runs`; build xtask with
//!   `--release` for the figure: `cargo run --release -p xtask -- bench-gen`);
//! - a cold build of the generated crate alone (dependencies built first, then
//!   `cargo clean -p <crate>` and a timed `cargo build`): wall time and the peak resident memory
//!   of the largest process (GNU time's "Maximum resident set size", so rustc's), lines of
//!   generated code, seconds per operation;
//! - the same for the crate as shipped, generated from the committed spec
//!   (`spec/sas/2018-12-03`, the Darabonba surface);
//! - the same for a crate generated from 10 operations only (what a user who imports only what
//!   they call pays);
//! - the same for `aws-sdk-ec2` from crates.io in a throwaway project, as the reference point
//!   (many minutes; `--skip-aws` leaves it out). Never part of CI.
//!
//! Everything is written under `target/bench*`, each build in its own target directory. A full
//! run (not `--gen-only`, not `--no-write`) writes its section of `BENCHMARKS.md` (between the
//! `bench-gen` markers), opened by the command line, date, machine and load.

use crate::corpus::{cargo, default_metadata, seed_lockfile};
use sas_codegen::emit::RuntimeDep;
use sas_codegen::import::Selection;
use sas_codegen::Options;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// How the few-operations figure picks its operations: this many, spread over the sorted list.
const FEW: usize = 10;

/// Issue 8's budgets, on this project's machine: median generation of the whole product, and
/// the cold build of its crate (wall time, peak memory of the largest process).
const GEN_BUDGET: Duration = Duration::from_millis(1000);
const BUILD_BUDGET: Duration = Duration::from_secs(45);
const MEMORY_BUDGET_KIB: u64 = 1536 * 1024;

struct Build {
    wall: Duration,
    max_rss_kib: Option<u64>,
}

struct Figures {
    label: String,
    operations: usize,
    loc: usize,
    /// Lines of `loc` that are doc comments (`///`, `//!`).
    doc_loc: usize,
    build: Build,
}

/// `bench-gen`. Slightly over 100 lines: the run in order (generation, the builds, the
/// verdicts, the section), each step a call below.
pub fn run(args: &[String]) -> Result<(), String> {
    let root = crate::root();
    let command = std::iter::once(if cfg!(debug_assertions) {
        "cargo xtask bench-gen".to_owned()
    } else {
        "cargo run --release -p xtask -- bench-gen".to_owned()
    })
    .chain(args.iter().cloned())
    .collect::<Vec<_>>()
    .join(" ");
    let (started, load_before) = (crate::benchmd::now(), crate::benchmd::load_average());
    let Args {
        source,
        runs,
        aws,
        gen_only,
        write,
    } = Args::parse(args)?;
    let source = source.unwrap_or_else(|| default_metadata(root));
    let time = if gen_only { None } else { gnu_time()? };
    let bench = root.join("target").join("bench");
    let target_dir = root.join("target").join("bench-target");
    let profile = if cfg!(debug_assertions) {
        "debug build of xtask (use `cargo run --release -p xtask -- bench-gen` for the figure)"
    } else {
        "release build of xtask"
    };

    // Generation time, whole product.
    let all = crate::import::read(&source, &Selection::All)?;
    let all_spec = bench.join("all").join("spec");
    write_specs(&all_spec, &all)?;
    let opts = Options {
        runtime: RuntimeDep::Path(root.join("runtime").to_string_lossy().into_owned()),
        example_tests: false,
        label_root: "spec".to_owned(),
        examples: Default::default(),
    };
    let (times, generated) = time_generation(&all_spec, &opts, runs)?;
    let median = times[times.len() / 2];
    let generation = format!(
        "Generation of {} operations (load + lower + emit, in process, {profile}): median {:.3} s over {runs} runs (min {:.3} s, max {:.3} s); {}.",
        all.operations.len(),
        median.as_secs_f64(),
        times[0].as_secs_f64(),
        times[times.len() - 1].as_secs_f64(),
        stage_times(&all_spec, &opts)?
    );
    println!("{generation}");
    if gen_only {
        return if median <= GEN_BUDGET {
            Ok(())
        } else {
            Err(format!(
                "generation budget ({:.1} s) missed by {:.3} s",
                GEN_BUDGET.as_secs_f64(),
                (median - GEN_BUDGET).as_secs_f64()
            ))
        };
    }

    // Build of the whole product.
    let all_out = bench.join("all").join("generated");
    let full = build_generated(root, &all_out, &generated, &target_dir, &time, "all")?;

    // Build of a few operations.
    let (few_line, small) = build_few(root, &source, &all.operations, &opts, (&target_dir, &time))?;

    // The crate as shipped: the committed spec (the Darabonba surface, more operations than the
    // api-docs file), generated the same way.
    let shipped_spec = root.join("spec").join("sas").join("2018-12-03");
    let (_, shipped_gen) = time_generation(&shipped_spec, &opts, 1)?;
    let shipped_out = bench.join("shipped").join("generated");
    let shipped = build_generated(
        root,
        &shipped_out,
        &shipped_gen,
        &target_dir,
        &time,
        "as shipped",
    )?;

    let mut rows = vec![full, shipped, small];
    if aws {
        rows.push(build_aws(root, &time)?);
    }

    let table = table(&rows);
    println!("\n{table}");
    let gen_ok = median <= GEN_BUDGET;
    let (all_build, all_memory, all_ok) = build_verdicts(&rows[0].build);
    let budgets = format!(
        "Budgets (issue 8): generation ≤ {:.1} s median: {}; {all_build}; {all_memory}.",
        GEN_BUDGET.as_secs_f64(),
        verdict(gen_ok, || format!(
            "{:.3} s over",
            median.as_secs_f64() - GEN_BUDGET.as_secs_f64()
        )),
    );
    let (shipped_build, shipped_memory, shipped_ok) = build_verdicts(&rows[1].build);
    let shipped_line = format!(
        "The crate as shipped ({} operations, from the committed spec): {shipped_build}; {shipped_memory}.",
        rows[1].operations,
    );
    println!("{budgets}\n{shipped_line}");
    if write {
        let provenance = crate::benchmd::provenance(&command, &started, &load_before);
        let how = method_text(&source, aws);
        let section = format!(
            "{provenance}\n{how}\n\n{table}\n{generation}\n\n{few_line}\n\n{budgets}\n\n{shipped_line}\n"
        );
        crate::benchmd::write_section(root, "bench-gen", &section)?;
    }
    if gen_ok && all_ok && shipped_ok {
        Ok(())
    } else {
        Err("a budget was missed".to_owned())
    }
}

/// How the section's figures were made, for `source` (and `aws-sdk-ec2` when `aws`).
fn method_text(source: &Path, aws: bool) -> String {
    let source_name = source.file_name().map_or_else(
        || source.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    format!(
        "Input: `{source_name}`, every operation imported into `target/bench/all/spec`. \
         Each crate is built in its own target directory with the default `dev` profile of a \
         standalone project: dependencies first, then `cargo clean -p <crate>` and a timed \
         `cargo build` of the crate alone. Peak memory is GNU time's \"Maximum resident set \
         size\" of the largest process (rustc). Lines count `src/**/*.rs`. The \"as shipped\" \
         row is generated from the committed `spec/sas/2018-12-03` (the Darabonba surface): \
         the crate users depend on.{}",
        if aws {
            ""
        } else {
            " `aws-sdk-ec2` was not measured in this run (`--skip-aws`)."
        }
    )
}

/// The build of [`FEW`] operations spread over `operations` (imported from `source` alone):
/// the line naming them, and its figures.
fn build_few(
    root: &Path,
    source: &Path,
    operations: &[String],
    opts: &Options,
    (target_dir, time): (&Path, &Option<PathBuf>),
) -> Result<(String, Figures), String> {
    let step = (operations.len() / FEW).max(1);
    let names: Vec<String> = operations.iter().step_by(step).take(FEW).cloned().collect();
    let listed: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    let line = format!(
        "The {FEW} operations (every {step}th of the sorted list): {}.",
        listed.join(", ")
    );
    println!("{line}");
    let bench = root.join("target").join("bench");
    let few = crate::import::read(source, &Selection::Only(names))?;
    let few_spec = bench.join("few").join("spec");
    write_specs(&few_spec, &few)?;
    let (_, few_gen) = time_generation(&few_spec, opts, 1)?;
    let few_out = bench.join("few").join("generated");
    let figures = build_generated(root, &few_out, &few_gen, target_dir, time, "few")?;
    Ok((line, figures))
}

/// Generates `spec` `runs` times (at least once): the times, sorted, and the output (the same
/// every time, or an error).
fn time_generation(
    spec: &Path,
    opts: &Options,
    runs: usize,
) -> Result<(Vec<Duration>, sas_codegen::Generated), String> {
    let mut times = Vec::new();
    let mut generated: Option<sas_codegen::Generated> = None;
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        let g = sas_codegen::generate(spec, opts).map_err(|e| {
            format!(
                "generating {} failed with {} spec error(s)",
                spec.display(),
                e.len()
            )
        })?;
        times.push(start.elapsed());
        if generated
            .as_ref()
            .is_some_and(|first| first.crates != g.crates)
        {
            return Err("two generation runs gave different output".to_owned());
        }
        generated = Some(g);
    }
    times.sort();
    let generated = generated.ok_or("no generation run")?;
    Ok((times, generated))
}

/// The options of `bench-gen`.
struct Args {
    source: Option<PathBuf>,
    runs: usize,
    aws: bool,
    gen_only: bool,
    write: bool,
}

impl Args {
    fn parse(args: &[String]) -> Result<Args, String> {
        let mut out = Args {
            source: None,
            runs: 5,
            aws: true,
            gen_only: false,
            write: true,
        };
        let mut it = args.iter();
        while let Some(a) = it.next() {
            match a.as_str() {
                "--skip-aws" => out.aws = false,
                "--gen-only" => out.gen_only = true,
                "--no-write" => out.write = false,
                "--runs" => {
                    out.runs = it
                        .next()
                        .and_then(|n| n.parse().ok())
                        .filter(|n| *n > 0)
                        .ok_or("--runs needs a positive number")?;
                }
                other if other.starts_with('-') => {
                    return Err(format!("bench-gen: unknown option {other:?}"))
                }
                other => out.source = Some(PathBuf::from(other)),
            }
        }
        Ok(out)
    }
}

/// The table of builds, in Markdown.
fn table(rows: &[Figures]) -> String {
    let mut table = String::from(
        "| crate | operations | lines of code | of which doc comments | cold build (wall) | s / operation | peak rustc memory |\n\
         | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n",
    );
    for r in rows {
        table.push_str(&format!(
            "| {} | {} | {} | {} | {:.1} s | {:.3} | {} |\n",
            r.label,
            r.operations,
            r.loc,
            r.doc_loc,
            r.build.wall.as_secs_f64(),
            r.build.wall.as_secs_f64() / r.operations.max(1) as f64,
            r.build
                .max_rss_kib
                .map_or("n/a".to_owned(), |k| format!("{:.2} GiB", gib(k)))
        ));
    }
    table
}

fn gib(kib: u64) -> f64 {
    kib as f64 / 1048576.0
}

/// The build budgets for `b`: the cold-build verdict, the memory verdict, and whether both are
/// met.
fn build_verdicts(b: &Build) -> (String, String, bool) {
    let build_ok = b.wall <= BUILD_BUDGET;
    let mem_ok = b.max_rss_kib.is_some_and(|k| k <= MEMORY_BUDGET_KIB);
    let build = format!(
        "cold build ≤ {} s: {}",
        BUILD_BUDGET.as_secs(),
        verdict(build_ok, || format!(
            "{:.1} s over",
            b.wall.as_secs_f64() - BUILD_BUDGET.as_secs_f64()
        ))
    );
    let memory = format!(
        "peak memory ≤ {:.1} GiB: {}",
        gib(MEMORY_BUDGET_KIB),
        verdict(mem_ok, || b.max_rss_kib.map_or(
            "not measured".to_owned(),
            |k| format!("{:.2} GiB over", gib(k) - gib(MEMORY_BUDGET_KIB))
        ))
    );
    (build, memory, build_ok && mem_ok)
}

/// "met", or "MISSED (by how much)".
fn verdict(ok: bool, by: impl FnOnce() -> String) -> String {
    if ok {
        "met".to_owned()
    } else {
        format!("MISSED ({})", by())
    }
}

fn write_specs(spec_root: &Path, imported: &sas_codegen::import::Import) -> Result<(), String> {
    if spec_root.exists() {
        std::fs::remove_dir_all(spec_root)
            .map_err(|e| format!("cannot clear {}: {e}", spec_root.display()))?;
    }
    let dir = spec_root.join(
        imported
            .default_dir
            .strip_prefix("spec")
            .unwrap_or(&imported.default_dir),
    );
    sas_codegen::import::write(&dir, imported, true)
        .map_err(|e| format!("writing {}: {e}", dir.display()))?;
    Ok(())
}

/// Writes a generated crate, builds its dependencies, then times a clean build of it alone.
fn build_generated(
    root: &Path,
    out: &Path,
    generated: &sas_codegen::Generated,
    target_dir: &Path,
    time: &Option<PathBuf>,
    label: &str,
) -> Result<Figures, String> {
    sas_codegen::write::write_all(out, &generated.crates)
        .map_err(|e| format!("writing {}: {e}", out.display()))?;
    let (dir_name, files) = generated
        .crates
        .iter()
        .next()
        .ok_or("generation produced no crate")?;
    let crate_dir = out.join(dir_name);
    seed_lockfile(root, &crate_dir);
    let package = package_name(files.get("Cargo.toml").map(String::as_str).unwrap_or(""))
        .ok_or("the generated Cargo.toml names no package")?;
    let (loc, doc_loc) = files
        .iter()
        .filter(|(p, _)| p.starts_with("src/") && p.ends_with(".rs"))
        .map(|(_, text)| lines_of(text))
        .fold((0, 0), |(a, b), (c, d)| (a + c, b + d));
    let operations = generated.operation_counts.values().sum();
    println!("\n[{label}] {operations} operations, {loc} lines of generated code in src/");
    let build = timed_clean_build(&crate_dir, target_dir, &package, time)?;
    Ok(Figures {
        label: format!("`{package}` ({label})"),
        operations,
        loc,
        doc_loc,
        build,
    })
}

fn package_name(cargo_toml: &str) -> Option<String> {
    cargo_toml.lines().find_map(|l| {
        l.strip_prefix("name = ")
            .map(|v| v.trim().trim_matches('"').to_owned())
    })
}

/// `cargo build` (dependencies), `cargo clean -p <package>`, then the timed `cargo build`.
fn timed_clean_build(
    dir: &Path,
    target_dir: &Path,
    package: &str,
    time: &Option<PathBuf>,
) -> Result<Build, String> {
    let run = |args: &[&str]| -> Result<(), String> {
        let status = Command::new(cargo())
            .args(args)
            .current_dir(dir)
            .env("CARGO_TARGET_DIR", target_dir)
            .status()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!(
                "`cargo {}` failed in {}",
                args.join(" "),
                dir.display()
            ))
        }
    };
    println!("building dependencies of {package} (not timed)");
    run(&["build"])?;
    run(&["clean", "-p", package])?;
    println!("timed: cargo build of {package} alone");
    let report = target_dir.join(format!("time-{package}.txt"));
    let start = Instant::now();
    let status = match time {
        Some(t) => Command::new(t)
            .arg("-v")
            .arg("-o")
            .arg(&report)
            .arg(cargo())
            .arg("build")
            .current_dir(dir)
            .env("CARGO_TARGET_DIR", target_dir)
            .status(),
        None => Command::new(cargo())
            .arg("build")
            .current_dir(dir)
            .env("CARGO_TARGET_DIR", target_dir)
            .status(),
    }
    .map_err(|e| format!("cannot run the timed build: {e}"))?;
    let wall = start.elapsed();
    if !status.success() {
        return Err(format!("the timed build of {package} failed"));
    }
    let max_rss_kib = time.as_ref().and_then(|_| {
        let text = std::fs::read_to_string(&report).ok()?;
        text.lines().find_map(|l| {
            l.trim()
                .strip_prefix("Maximum resident set size (kbytes):")
                .and_then(|v| v.trim().parse().ok())
        })
    });
    println!(
        "{package}: {:.1} s wall, peak memory {}",
        wall.as_secs_f64(),
        max_rss_kib.map_or("unknown".to_owned(), |k: u64| format!("{} MiB", k / 1024))
    );
    Ok(Build { wall, max_rss_kib })
}

/// GNU time, installed with apt-get when missing (it reports the peak memory).
fn gnu_time() -> Result<Option<PathBuf>, String> {
    let path = PathBuf::from("/usr/bin/time");
    if path.is_file() {
        return Ok(Some(path));
    }
    println!("/usr/bin/time is missing: installing GNU time with `apt-get install -y time` (it measures peak memory)");
    let ok = Command::new("apt-get")
        .args(["install", "-y", "time"])
        .status()
        .is_ok_and(|s| s.success());
    if ok && path.is_file() {
        Ok(Some(path))
    } else {
        println!("could not install GNU time: peak memory will be reported as n/a");
        Ok(None)
    }
}

/// The reference point: `aws-sdk-ec2` from crates.io in a throwaway project under target/.
fn build_aws(root: &Path, time: &Option<PathBuf>) -> Result<Figures, String> {
    let dir = root.join("target").join("bench").join("aws-ec2");
    let target_dir = root.join("target").join("bench-aws-target");
    std::fs::create_dir_all(dir.join("src")).map_err(|e| format!("{}: {e}", dir.display()))?;
    let manifest = "[package]\nname = \"aws-ec2-bench\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\naws-sdk-ec2 = \"1\"\n\n[workspace]\n";
    write_if_changed(&dir.join("Cargo.toml"), manifest)?;
    write_if_changed(&dir.join("src").join("main.rs"), "fn main() {}\n")?;
    println!(
        "\n[aws-sdk-ec2] throwaway project {} (slow: many minutes)",
        dir.display()
    );
    let build = timed_clean_build(&dir, &target_dir, "aws-sdk-ec2", time)?;
    // Lines and operations from the crate's own sources.
    let meta = Command::new(cargo())
        .args(["metadata", "--format-version", "1"])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", &target_dir)
        .output()
        .map_err(|e| format!("cannot run cargo metadata: {e}"))?;
    let meta: serde_json::Value = serde_json::from_slice(&meta.stdout)
        .map_err(|e| format!("cargo metadata printed no JSON: {e}"))?;
    let src = meta["packages"]
        .as_array()
        .and_then(|ps| ps.iter().find(|p| p["name"] == "aws-sdk-ec2"))
        .and_then(|p| p["manifest_path"].as_str())
        .map(|m| Path::new(m).with_file_name("src"))
        .ok_or("cargo metadata does not list aws-sdk-ec2")?;
    let version = meta["packages"]
        .as_array()
        .and_then(|ps| ps.iter().find(|p| p["name"] == "aws-sdk-ec2"))
        .and_then(|p| p["version"].as_str())
        .unwrap_or("?")
        .to_owned();
    let (loc, doc_loc) = count_lines(&src);
    let operations = std::fs::read_dir(src.join("operation"))
        .map(|rd| {
            rd.filter_map(Result::ok)
                .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                .count()
        })
        .unwrap_or(0);
    Ok(Figures {
        label: format!("`aws-sdk-ec2` {version} (crates.io)"),
        operations,
        loc,
        doc_loc,
        build,
    })
}

fn write_if_changed(path: &Path, text: &str) -> Result<(), String> {
    if std::fs::read_to_string(path).ok().as_deref() != Some(text) {
        std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}

/// Lines, and of them doc-comment lines (`///`, `//!`), of a Rust source text.
fn lines_of(text: &str) -> (usize, usize) {
    let doc = text
        .lines()
        .filter(|l| {
            let l = l.trim_start();
            l.starts_with("///") || l.starts_with("//!")
        })
        .count();
    (text.lines().count(), doc)
}

/// [`lines_of`] summed over the `.rs` files under `dir`.
fn count_lines(dir: &Path) -> (usize, usize) {
    let mut n = (0, 0);
    let Ok(rd) = std::fs::read_dir(dir) else {
        return n;
    };
    for e in rd.filter_map(Result::ok) {
        let p = e.path();
        let (a, b) = if p.is_dir() {
            count_lines(&p)
        } else if p.extension().is_some_and(|x| x == "rs") {
            std::fs::read_to_string(&p).map_or((0, 0), |t| lines_of(&t))
        } else {
            (0, 0)
        };
        n = (n.0 + a, n.1 + b);
    }
    n
}

/// One more generation, stage by stage: where the time goes.
fn stage_times(spec_root: &Path, opts: &Options) -> Result<String, String> {
    let dirs = sas_codegen::load::find_products(spec_root).map_err(|e| e.to_string())?;
    let dir = dirs.first().ok_or("no product directory")?;
    let t = Instant::now();
    let loaded = sas_codegen::load::product_dir(dir, spec_root)
        .map_err(|e| format!("{} spec error(s)", e.len()))?;
    let load = t.elapsed();
    let t = Instant::now();
    let lowered =
        sas_codegen::lower::lower(&loaded.product_path, &loaded.product, &loaded.operations)
            .map_err(|e| format!("{} spec error(s)", e.len()))?;
    let lower = t.elapsed();
    let t = Instant::now();
    let emit_opts = sas_codegen::emit::EmitOptions {
        runtime: opts.runtime.clone(),
        spec_label: "spec".to_owned(),
        example_tests: false,
    };
    sas_codegen::emit::emit_crate(&lowered.ir, &Default::default(), &emit_opts)?;
    let emit = t.elapsed();
    Ok(format!(
        "one more run by stage: load {:.3} s, lower {:.3} s, emit (tokens + prettyplease) {:.3} s",
        load.as_secs_f64(),
        lower.as_secs_f64(),
        emit.as_secs_f64()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_comment_lines_are_counted_apart() {
        let text =
            "//! crate doc\n/// item doc\n    /// indented doc\n// plain comment\nfn f() {}\n";
        assert_eq!(lines_of(text), (5, 3));
    }
}
