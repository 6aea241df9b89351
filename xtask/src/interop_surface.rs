//! `cargo xtask interop-surface [--spec DIR] [--all]`: every operation (or a fixed sample) with
//! every parameter set to a generated value of its type, sent by our generated client and by the
//! official Python SDK (`alibabacloud_sas20181203`, the real client) to the loopback verifier;
//! fails on any request that is rejected or differs on the wire, listing each with the reason.
//!
//! Default: the committed `spec/` and `generated/` crate, a fixed sample (every 20th operation
//! in action order, and the seed operation). `--spec DIR` generates a crate from another spec
//! tree first (e.g. `target/corpus-dara/spec` after `cargo xtask corpus-dara`); `--all` sends
//! every operation; `--crate DIR` uses a crate already generated from that tree (e.g.
//! `target/corpus-dara/generated/sas20181203`) instead of generating one. `--sdk NAME` sends the official
//! side with another product's SDK (`alibabacloud_<NAME>`), for a spec tree of that product:
//! `cargo xtask interop-roa` does so for a ROA product. The driver crate is
//! written under `target/interop-surface/` (never committed) and built in the workspace's
//! target directory for the committed crate, in `target/corpus-target` otherwise.

use sas_codegen::emit::RuntimeDep;
use sas_codegen::{load, lower, Options};
use std::path::PathBuf;
use std::process::Command;

const USAGE: &str = "usage: cargo xtask interop-surface [--spec DIR [--crate DIR]] \
     [--all|--operations A,B,…] [--sdk NAME]";
/// The sample: every N-th operation in action order.
const SAMPLE_EVERY: usize = 20;
/// Always in the sample.
const SEED: &str = "CreateContainerScanTaskByAppName";

pub fn run(args: &[String]) -> Result<(), String> {
    let root = crate::root();
    let mut spec: Option<PathBuf> = None;
    let mut all = false;
    let mut existing: Option<PathBuf> = None;
    let mut only: Option<Vec<String>> = None;
    let mut sdk: Option<String> = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--spec" => spec = Some(PathBuf::from(it.next().ok_or(USAGE)?)),
            "--all" => all = true,
            "--operations" => {
                let list = it.next().ok_or(USAGE)?;
                only = Some(list.split(',').map(|s| s.trim().to_owned()).collect());
            }
            "--crate" => existing = Some(PathBuf::from(it.next().ok_or(USAGE)?)),
            "--sdk" => sdk = Some(it.next().ok_or(USAGE)?.clone()),
            other => {
                return Err(format!(
                    "interop-surface: unknown argument {other:?}\n{USAGE}"
                ))
            }
        }
    }
    let work = root.join("target").join("interop-surface");
    let spec_root = spec.clone().unwrap_or_else(|| root.join("spec"));
    let products = load::find_products(&spec_root).map_err(|e| e.to_string())?;
    let [product_dir] = products.as_slice() else {
        return Err(format!(
            "{}: expected exactly one product, found {}",
            spec_root.display(),
            products.len()
        ));
    };
    let fail = |e: Vec<sas_codegen::diag::SpecError>| {
        for x in &e {
            eprintln!("error: {x}");
        }
        format!("{} spec error(s)", e.len())
    };
    let loaded = load::product_dir(product_dir, &spec_root).map_err(fail)?;
    let lowered =
        lower::lower(&loaded.product_path, &loaded.product, &loaded.operations).map_err(fail)?;
    let ir = lowered.ir;
    let crate_dir = match (&spec, existing) {
        (_, Some(dir)) => dir,
        (None, None) => root.join("generated").join(&ir.product.dir_name),
        (Some(_), None) => {
            let opts = Options {
                runtime: RuntimeDep::Path(root.join("runtime").to_string_lossy().into_owned()),
                example_tests: false,
                label_root: "spec".to_owned(),
                ..Options::default()
            };
            let generated = sas_codegen::generate(&spec_root, &opts).map_err(fail)?;
            let out = work.join("generated");
            sas_codegen::write::write_all(&out, &generated.crates)
                .map_err(|e| format!("writing {}: {e}", out.display()))?;
            out.join(&ir.product.dir_name)
        }
    };
    let mut actions: Vec<&str> = ir.operations.iter().map(|o| o.action.as_str()).collect();
    actions.sort_unstable();
    let sample: Vec<String> = actions
        .iter()
        .enumerate()
        .filter(|(i, a)| match &only {
            Some(list) => list.iter().any(|x| x == *a),
            None => all || i % SAMPLE_EVERY == 0 || **a == SEED,
        })
        .map(|(_, a)| (*a).to_owned())
        .collect();
    let inputs = sas_codegen::surface_interop::inputs(&ir, |a| sample.iter().any(|s| s == a))?;
    println!(
        "interop-surface: {} of {} operation(s) of {} ({})",
        inputs.actions.len(),
        ir.operations.len(),
        crate_dir.display(),
        if only.is_some() {
            "selected"
        } else if all {
            "all"
        } else {
            "fixed sample"
        }
    );

    let driver = work.join("driver");
    std::fs::create_dir_all(driver.join("src")).map_err(|e| e.to_string())?;
    let path = |p: &std::path::Path| p.to_string_lossy().replace('\\', "/");
    let manifest = format!(
        "[package]\nname = \"interop-surface-driver\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[workspace]\n\n[dependencies]\nalibabacloud-runtime = {{ path = \"{}\" }}\n{} = {{ path = \"{}\" }}\nsas-tests = {{ path = \"{}\" }}\ntokio = {{ version = \"1\", features = [\"rt\", \"macros\", \"time\"] }}\nserde_json = \"1\"\n",
        path(&root.join("runtime")),
        ir.product.crate_name,
        path(&crate_dir),
        path(&root.join("tests")),
    );
    let write = |rel: &str, text: &str| {
        let p = driver.join(rel);
        if std::fs::read_to_string(&p).ok().as_deref() != Some(text) {
            std::fs::write(&p, text).map_err(|e| format!("{}: {e}", p.display()))
        } else {
            Ok(())
        }
    };
    write("Cargo.toml", &manifest)?;
    let main = std::fs::read_to_string(root.join("tests/interop/surface_driver.rs"))
        .map_err(|e| format!("tests/interop/surface_driver.rs: {e}"))?;
    write("src/main.rs", &main)?;
    write("src/requests.rs", &inputs.rust)?;
    let values = work.join("values.json");
    let text = serde_json::to_string_pretty(&inputs.values).map_err(|e| e.to_string())?;
    std::fs::write(&values, text).map_err(|e| format!("{}: {e}", values.display()))?;
    crate::corpus::seed_lockfile(root, &driver);

    // The committed crate is already built in the workspace's target directory; a crate
    // generated elsewhere shares the corpus checks' one.
    let target_dir = if spec.is_none() {
        root.join("target")
    } else {
        root.join("target").join("corpus-target")
    };
    let python = crate::interop::ensure_venv()?;
    let mut command = Command::new(crate::corpus::cargo());
    command.args(["run", "--quiet", "--"]);
    if let Some(sdk) = &sdk {
        command.arg("--sdk").arg(sdk);
    }
    let status = command
        .arg("--python")
        .arg(&python)
        .arg("--values")
        .arg(&values)
        .arg("--known")
        .arg(root.join("tests/interop/surface_known.json"))
        .current_dir(&driver)
        .env("CARGO_TARGET_DIR", target_dir)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err("interop-surface: requests rejected or different from the official SDK's (listed above)".to_owned())
    }
}
