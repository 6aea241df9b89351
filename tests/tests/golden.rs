//! Golden test of the emitter: the fixture spec (every type, format and parameter style) must
//! generate exactly the committed expected output. Refresh it with `cargo xtask golden --bless`;
//! this test never writes.

use sas_codegen::{generate, write, Options};
use std::path::PathBuf;

#[test]
fn the_fixture_spec_generates_the_committed_output() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let spec = root.join("fixtures/golden/spec");
    let expected = root.join("fixtures/golden/expected");
    let opts = Options {
        label_root: "tests/fixtures/golden/spec".to_owned(),
        ..Options::default()
    };
    let generated =
        generate(&spec, &opts).unwrap_or_else(|e| panic!("the fixture spec is valid: {e:?}"));
    let s = write::check(&expected, &generated.crates).expect("reading the expected output");
    assert!(
        s.is_clean(),
        "the emitter's output differs from the committed golden files: {s:?}\nIf the change is intended, run `cargo xtask golden --bless` and review the diff."
    );
}

#[test]
fn generation_is_deterministic() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let spec = root.join("fixtures/golden/spec");
    let a = generate(&spec, &Options::default()).expect("valid");
    let b = generate(&spec, &Options::default()).expect("valid");
    assert_eq!(a.crates, b.crates);
}

#[test]
fn lint_warnings_reach_the_caller() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let seed = root.join("../spec");
    let g = generate(&seed, &Options::default()).expect("the seed spec is valid");
    assert!(
        g.warnings
            .iter()
            .any(|w| w.message.contains("error 500 was deleted on 2023-10-07")),
        "{:?}",
        g.warnings
    );
}
