//! Adding, removing or retyping one parameter, field or enum never renames another generated
//! type: every public type path of the seed's crate survives each such edit, except the paths
//! under the member that was removed or retyped.

use sas_codegen::load::OperationFile;
use sas_codegen::spec::{OperationSpec, ProductSpec};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn seed() -> (ProductSpec, Value) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/sas/2018-12-03");
    let product: ProductSpec =
        serde_json::from_str(&std::fs::read_to_string(dir.join("product.json")).unwrap()).unwrap();
    let op: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("operations/CreateContainerScanTaskByAppName.json"))
            .unwrap(),
    )
    .unwrap();
    (product, op)
}

/// A second operation whose shapes overlap the seed's (Data, Status), so that names shared
/// across operations are covered too.
fn neighbour() -> Value {
    json!({
        "action": "DescribeThings",
        "methods": ["post"],
        "parameters": [
            {"name": "Status", "in": "query", "schema": {"type": "string", "enum": ["A", "B"]}}
        ],
        "responses": {"200": {"schema": {"type": "object", "properties": {
            "Data": {"type": "object", "properties": {
                "Status": {"type": "string", "enum": ["X"]},
                "Items": {"type": "array", "items": {"type": "object", "properties": {
                    "Status": {"type": "string", "enum": ["Y"]}
                }}}
            }}
        }}}}
    })
}

fn paths(product: &ProductSpec, ops: &[Value]) -> BTreeSet<String> {
    let files: Vec<OperationFile> = ops
        .iter()
        .map(|v| {
            let spec: OperationSpec = serde_json::from_value(v.clone()).unwrap();
            let name = spec.action.clone().unwrap();
            OperationFile {
                path: PathBuf::from(format!("{name}.json")),
                relative: format!("operations/{name}.json"),
                stem: name,
                spec,
            }
        })
        .collect();
    let lowered = sas_codegen::lower::lower(Path::new("product.json"), product, &files)
        .unwrap_or_else(|e| panic!("{e:?}"));
    lowered.ir.public_type_paths().into_iter().collect()
}

fn props(op: &mut Value) -> &mut serde_json::Map<String, Value> {
    op["responses"]["200"]["schema"]["properties"]["Data"]["properties"]
        .as_object_mut()
        .unwrap()
}

/// Asserts that every path of `before` is in `after`, except those starting with `gone`.
fn survives(before: &BTreeSet<String>, after: &BTreeSet<String>, gone: &[&str], edit: &str) {
    let lost: Vec<&String> = before
        .iter()
        .filter(|p| !after.contains(*p) && !gone.iter().any(|g| p.starts_with(g)))
        .collect();
    assert!(lost.is_empty(), "{edit} renamed or removed {lost:?}");
}

const SEED: &str = "operations::create_container_scan_task_by_app_name";

#[test]
fn unrelated_edits_never_rename_types() {
    let (product, op) = seed();
    let base = paths(&product, &[op.clone(), neighbour()]);
    // The names themselves: path-derived, the same enum name in several places.
    for p in [
        "::request::Lang",
        "::response::Data",
        "::response::data::Status",
        "::response::data::Result",
    ] {
        assert!(
            base.contains(&format!("{SEED}{p}")),
            "{p} missing: {base:?}"
        );
    }
    assert!(base.contains("operations::describe_things::response::data::items::Status"));

    // A request parameter `Status` (the case that used to rename the response enum).
    let mut added = op.clone();
    added["parameters"].as_array_mut().unwrap().insert(
        0,
        json!({"name": "Status", "in": "query", "schema": {"type": "string", "enum": ["ON"]}}),
    );
    let after = paths(&product, &[added, neighbour()]);
    survives(&base, &after, &[], "adding request parameter Status");
    assert!(after.contains(&format!("{SEED}::request::Status")));

    // A response member before the others, with a nested object holding a `Status` of its own.
    let mut added = op.clone();
    let data = props(&mut added);
    let mut reordered = serde_json::Map::new();
    reordered.insert(
        "Zeta".to_owned(),
        json!({"type": "object", "properties": {"Status": {"type": "string", "enum": ["Z"]}}}),
    );
    reordered.extend(std::mem::take(data));
    *data = reordered;
    let after = paths(&product, &[added, neighbour()]);
    survives(&base, &after, &[], "adding response member Data.Zeta first");
    assert!(after.contains(&format!("{SEED}::response::data::zeta::Status")));

    // Retyping one member: a string enum becomes an integer.
    let mut retyped = op.clone();
    props(&mut retyped)["Status"] = json!({"type": "integer", "format": "int32"});
    let after = paths(&product, &[retyped, neighbour()]);
    let gone = format!("{SEED}::response::data::Status");
    survives(&base, &after, &[&gone], "retyping Data.Status");

    // Removing one member, and a whole request parameter.
    let mut removed = op.clone();
    props(&mut removed).shift_remove("Result");
    removed["parameters"]
        .as_array_mut()
        .unwrap()
        .retain(|p| p["name"] != "Lang");
    let after = paths(&product, &[removed, neighbour()]);
    let gone = [
        format!("{SEED}::response::data::Result"),
        format!("{SEED}::request::Lang"),
    ];
    let gone: Vec<&str> = gone.iter().map(String::as_str).collect();
    survives(&base, &after, &gone, "removing Data.Result and Lang");

    // Adding an enum value, or an operation, renames nothing either.
    let mut more = op.clone();
    props(&mut more)["Status"]["enum"]
        .as_array_mut()
        .unwrap()
        .push(json!("PAUSED"));
    let after = paths(&product, &[more, neighbour()]);
    assert_eq!(after, base, "adding an enum value changed type paths");
    let after = paths(&product, &[op]);
    survives(
        &base,
        &after,
        &["operations::describe_things"],
        "removing an operation",
    );
}
