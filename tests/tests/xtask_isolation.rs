//! `cargo xtask gen` must run when it is needed most and touch only its own checkout:
//!
//! - xtask builds from the generator alone, so gen runs even when the runtime (and with it the
//!   generated crate) does not compile: here the runtime is broken on purpose in a scratch copy;
//! - the workspace root is found at run time, so two checkouts sharing one target directory
//!   (a global `CARGO_TARGET_DIR`, a worktree opened for review) each regenerate only themselves.
//!
//! Both copies are scratch copies of this workspace in the temporary directory; they share a
//! target directory under this workspace's `target/`, which stays warm between runs.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The generated file both copies lose before gen runs.
const VICTIM: &str =
    "generated/sas20181203/src/operations/create_container_scan_task_by_app_name.rs";

fn workspace() -> PathBuf {
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
    manifest.parent().map(Path::to_path_buf).unwrap_or(manifest)
}

/// Copies the checkout at `from` to `to`, without build output, VCS data or virtualenvs.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("creating the copy");
    for entry in std::fs::read_dir(from).expect("reading the checkout") {
        let entry = entry.expect("reading the checkout");
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name == "target" || name.starts_with(".git") || name.starts_with(".venv") {
            continue;
        }
        let path = entry.path();
        if entry.file_type().expect("file type").is_dir() {
            copy_tree(&path, &to.join(&*name));
        } else {
            std::fs::copy(&path, to.join(&*name)).expect("copying a file");
        }
    }
}

/// Runs `cargo xtask gen` in `dir` with the shared target directory `target`.
fn xtask_gen(dir: &Path, target: &Path) -> std::process::Output {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    Command::new(cargo)
        .args(["xtask", "gen"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_NET_OFFLINE", "true")
        .output()
        .expect("running cargo")
}

#[test]
fn gen_runs_with_a_broken_runtime_and_regenerates_only_its_own_checkout() {
    let root = workspace();
    let scratch = std::env::temp_dir().join(format!("sas-xtask-isolation-{}", std::process::id()));
    let (a, b) = (scratch.join("a"), scratch.join("b"));
    let _ = std::fs::remove_dir_all(&scratch);
    copy_tree(&root, &a);
    copy_tree(&root, &b);
    let target = root.join("target/xtask-isolation");

    // Copy a: the runtime no longer compiles, so neither does the generated crate.
    let lib = a.join("runtime/src/lib.rs");
    let mut text = std::fs::read_to_string(&lib).expect("runtime lib.rs");
    text.push_str("\ncompile_error!(\"the runtime is broken on purpose\");\n");
    std::fs::write(&lib, text).expect("breaking the runtime");
    // Both copies lose one generated file.
    let expected = std::fs::read_to_string(root.join(VICTIM)).expect("the generated file");
    std::fs::remove_file(a.join(VICTIM)).expect("removing from a");
    std::fs::remove_file(b.join(VICTIM)).expect("removing from b");

    let out = xtask_gen(&a, &target);
    assert!(
        out.status.success(),
        "cargo xtask gen failed in the copy with a broken runtime:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(a.join(VICTIM)).ok().as_deref(),
        Some(expected.as_str()),
        "gen in copy a did not restore its own file"
    );
    assert!(
        !b.join(VICTIM).exists(),
        "gen in copy a wrote into copy b (the workspace root came from the shared build)"
    );

    let out = xtask_gen(&b, &target);
    assert!(
        out.status.success(),
        "cargo xtask gen failed in copy b:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(b.join(VICTIM)).ok().as_deref(),
        Some(expected.as_str()),
        "gen in copy b did not restore its own file"
    );
    let _ = std::fs::remove_dir_all(&scratch);
}
