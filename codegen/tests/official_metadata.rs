//! The spec model is a superset of Alibaba's official metadata: every operation of the official
//! Security Center file (read in place from `../shared`, never copied) parses into the strict
//! model, which rejects any key it does not know.

use sas_codegen::load::parse;
use sas_codegen::spec::{OperationSpec, ProductSpec};
use std::path::{Path, PathBuf};

fn metadata_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/alibaba-metadata/sas-2018-12-03.api-docs.json")
}

#[test]
fn every_official_operation_parses_into_the_spec_model() {
    let path = metadata_path();
    let Ok(text) = std::fs::read_to_string(&path) else {
        println!(
            "SKIPPED: the official metadata {} is not present; the spec model was not checked against it",
            path.display()
        );
        return;
    };
    let doc: serde_json::Value = serde_json::from_str(&text).expect("the metadata is JSON");
    let apis = doc
        .get("apis")
        .and_then(|a| a.as_object())
        .expect("an `apis` map");
    assert!(!apis.is_empty());
    let mut failures = Vec::new();
    for (name, entry) in apis {
        let file = PathBuf::from(format!("{name}.json"));
        if let Err(e) = parse::<OperationSpec>(&file, &entry.to_string()) {
            failures.push(e.to_string());
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} official operations do not fit the spec model:\n{}",
        failures.len(),
        apis.len(),
        failures.join("\n")
    );

    let mut product = doc.clone();
    if let Some(map) = product.as_object_mut() {
        map.remove("apis");
    }
    parse::<ProductSpec>(Path::new("product.json"), &product.to_string())
        .unwrap_or_else(|e| panic!("the product part does not fit the model: {e}"));
    println!(
        "{} official operations parse into the spec model",
        apis.len()
    );
}

#[test]
fn a_key_the_model_does_not_know_is_an_error_naming_its_path() {
    let entry = r#"{"methods":["post"],"parameters":[{"name":"A","in":"query","schema":{"type":"string","sneaky":1}}]}"#;
    let err = parse::<OperationSpec>(Path::new("X.json"), entry).expect_err("unknown key");
    assert_eq!(err.path, "$.parameters[0].schema.sneaky");
    assert!(err.expected.contains("unknown field `sneaky`"), "{err}");
    let entry = r#"{"methods":["post"],"newTopLevelKey":true}"#;
    let err = parse::<OperationSpec>(Path::new("X.json"), entry).expect_err("unknown key");
    assert_eq!(err.path, "$.newTopLevelKey");
}
