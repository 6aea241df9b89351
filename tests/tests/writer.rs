//! The writer: removed operations disappear, hand-written examples and changelog stay, unchanged crates are not
//! touched, and the check mode lists exactly what is stale.

use sas_codegen::{generate, write, Options};
use std::fs;
use std::path::{Path, PathBuf};

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("mkdir");
    for entry in fs::read_dir(from).expect("read_dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sas-writer-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("mkdir");
    dir
}

#[test]
fn removed_operations_disappear_and_examples_stay() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let work = temp_dir("remove");
    let spec = work.join("spec");
    let out = work.join("generated");
    copy_tree(&root.join("fixtures/golden/spec"), &spec);

    let first = generate(&spec, &Options::default()).expect("valid");
    write::write_all(&out, &first.crates).expect("write");
    let krate = out.join("fixture20200101");
    assert!(krate.join("src/operations/old_thing.rs").is_file());
    fs::create_dir_all(krate.join("examples")).expect("mkdir");
    fs::write(krate.join("examples/hand_written.rs"), "fn main() {}\n").expect("write");
    fs::write(krate.join("CHANGELOG.md"), "# Changelog\n").expect("write");

    // Unchanged specs: nothing is rewritten.
    let report = write::write_all(&out, &first.crates).expect("write");
    assert_eq!(report.unchanged, vec!["fixture20200101".to_owned()]);
    assert!(report.written.is_empty());

    // Remove an operation: its file goes, the hand-written example and changelog stay.
    fs::remove_file(spec.join("fixture/2020-01-01/operations/OldThing.json")).expect("rm");
    let second = generate(&spec, &Options::default()).expect("valid");
    let stale = write::check(&out, &second.crates).expect("check");
    assert_eq!(stale.stale, vec![krate.join("src/operations/old_thing.rs")]);
    assert!(
        !stale.changed.is_empty(),
        "lib.rs and operations/mod.rs change too"
    );
    let report = write::write_all(&out, &second.crates).expect("write");
    assert_eq!(report.written, vec!["fixture20200101".to_owned()]);
    assert!(!krate.join("src/operations/old_thing.rs").exists());
    assert_eq!(
        fs::read_to_string(krate.join("examples/hand_written.rs")).expect("kept"),
        "fn main() {}\n"
    );
    assert_eq!(
        fs::read_to_string(krate.join("CHANGELOG.md")).expect("kept"),
        "# Changelog\n"
    );
    assert!(write::check(&out, &second.crates)
        .expect("check")
        .is_clean());
    let leftovers: Vec<_> = fs::read_dir(&out)
        .expect("read")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(
        leftovers.is_empty(),
        "temporary directories left behind: {leftovers:?}"
    );

    // Remove the whole product: its generated crate is removed.
    fs::remove_dir_all(spec.join("fixture")).expect("rm");
    copy_tree(&root.join("../spec/sas"), &spec.join("sas"));
    let third = generate(&spec, &Options::default()).expect("valid");
    let report = write::write_all(&out, &third.crates).expect("write");
    assert_eq!(report.removed, vec!["fixture20200101".to_owned()]);
    assert!(!krate.exists());
    assert!(out
        .join("sas20181203/src/operations/create_container_scan_task_by_app_name.rs")
        .is_file());
    let _ = fs::remove_dir_all(&work);
}

#[test]
fn check_reports_hand_edits() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let work = temp_dir("check");
    let out = work.join("generated");
    let g = generate(&root.join("fixtures/golden/spec"), &Options::default()).expect("valid");
    write::write_all(&out, &g.crates).expect("write");
    let lib = out.join("fixture20200101/src/lib.rs");
    let mut text = fs::read_to_string(&lib).expect("read");
    text.push_str("// a hand edit\n");
    fs::write(&lib, text).expect("write");
    fs::remove_file(out.join("fixture20200101/src/client.rs")).expect("rm");
    fs::write(out.join("fixture20200101/src/stray.rs"), "").expect("write");
    let s = write::check(&out, &g.crates).expect("check");
    assert_eq!(s.changed, vec![lib]);
    assert_eq!(s.missing, vec![out.join("fixture20200101/src/client.rs")]);
    assert_eq!(s.stale, vec![out.join("fixture20200101/src/stray.rs")]);
    let _ = fs::remove_dir_all(&work);
}
