//! Property: parsing and generating arbitrary specs never panics, and a failure always names
//! the file, a JSON path and what was expected — never the generic "generated code that
//! parses", which would mean a spec that passed validation produced invalid Rust.
//!
//! The specs are random JSON biased toward the spec shape: operation objects with parameters
//! and schemas built from the format's keys, types, formats, styles and awkward names, with
//! random keys and values mixed in at every level. Valid specs with awkward names must generate
//! and their output must compile.

use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

const TYPES: &[&str] = &[
    "string", "integer", "number", "boolean", "array", "object", "any", "strin", "",
];
const FORMATS: &[&str] = &[
    "int32",
    "int64",
    "float",
    "double",
    "long",
    "date-time",
    "int128",
    "",
];
const STYLES: &[&str] = &["repeatList", "json", "flat", "simple", "matrix"];
const INS: &[&str] = &["query", "formData", "header", "body"];
const NAMES: &[&str] = &[
    "A",
    "Name",
    "type",
    "Type",
    "self",
    "Self",
    "super",
    "crate",
    "async",
    "match",
    "gen",
    "InstanceId",
    "instance_id",
    "InstanceIDs",
    "Instance.Id",
    "DnsConfig.NameServer",
    "2fa",
    "_",
    "",
    " ",
    "...",
    "名前",
    "²",
    "Ⅻ",
    "e\u{301}",
    "extra_fields",
    "Unknown",
    "Value",
    "Option",
    "Client",
    "new",
    "RequestId",
    "Data",
];
const REFS: &[&str] = &[
    "#/components/schemas/Node",
    "#/components/schemas/Leaf",
    "#/components/schemas/Missing",
    "#/definitions/Node",
    "",
];
const KEYS: &[&str] = &[
    "type",
    "format",
    "$ref",
    "properties",
    "items",
    "additionalProperties",
    "enum",
    "required",
    "example",
    "default",
    "description",
    "title",
    "deprecated",
    "minimum",
    "maxLength",
    "colour",
];

/// Any JSON value, small.
fn any_json() -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        select(NAMES).prop_map(|s| Value::String(s.to_owned())),
        "\\PC{0,8}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(select(KEYS), inner, 0..4).prop_map(|m| {
                Value::Object(m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
            }),
        ]
    })
    .boxed()
}

/// Adds a random key (mostly a known one) with a random value, sometimes.
fn sprinkle(v: Value, extra: Option<(&'static str, Value)>) -> Value {
    match (v, extra) {
        (Value::Object(mut m), Some((k, x))) => {
            m.insert(k.to_owned(), x);
            Value::Object(m)
        }
        (v, _) => v,
    }
}

fn schema() -> BoxedStrategy<Value> {
    let leaf = (
        select(TYPES),
        prop::option::of(select(FORMATS)),
        prop::option::of(prop::collection::vec(select(NAMES), 0..4)),
        prop::option::of(any::<bool>()),
        prop::option::weighted(0.2, (select(KEYS), any_json())),
    )
        .prop_map(|(ty, format, values, required, extra)| {
            let mut m = Map::new();
            m.insert("type".into(), json!(ty));
            if let Some(f) = format {
                m.insert("format".into(), json!(f));
            }
            if let Some(v) = values {
                m.insert("enum".into(), json!(v));
            }
            if let Some(r) = required {
                m.insert("required".into(), json!(r));
            }
            sprinkle(Value::Object(m), extra)
        });
    let leaf = prop_oneof![
        6 => leaf,
        1 => select(REFS).prop_map(|r| json!({"$ref": r})),
        1 => any_json(),
    ];
    leaf.prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            (
                prop::collection::btree_map(select(NAMES), inner.clone(), 0..4),
                prop::option::weighted(0.1, (select(KEYS), any_json())),
            )
                .prop_map(|(props, extra)| {
                    let props: Map<String, Value> =
                        props.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
                    sprinkle(json!({"type": "object", "properties": props}), extra)
                }),
            inner
                .clone()
                .prop_map(|i| json!({"type": "array", "items": i})),
            Just(json!({"type": "array"})),
            inner.prop_map(|i| json!({"type": "object", "additionalProperties": i})),
        ]
    })
    .boxed()
}

fn parameter() -> impl Strategy<Value = Value> {
    (
        select(NAMES),
        select(INS),
        prop::option::of(select(STYLES)),
        schema(),
        prop::option::weighted(0.1, (select(KEYS), any_json())),
    )
        .prop_map(|(name, location, style, schema, extra)| {
            let mut p = json!({"name": name, "in": location, "schema": schema});
            if let Some(s) = style {
                p["style"] = json!(s);
            }
            sprinkle(p, extra)
        })
}

fn operation() -> impl Strategy<Value = Value> {
    (
        prop::option::of(select(
            &["Op", "Describe", "Type", "Self", "Op2", "Other", "a-b"][..],
        )),
        prop::collection::vec(parameter(), 0..5),
        prop::option::of(schema()),
        prop::collection::vec(select(NAMES), 0..4),
        prop::option::of(select(&["get", "post", "put"][..])),
        prop::option::weighted(
            0.1,
            (
                select(&["summary", "x", "responseDemo", "security"][..]),
                any_json(),
            ),
        ),
    )
        .prop_map(|(action, params, response, codes, method, extra)| {
            let mut op = json!({"parameters": params});
            if let Some(a) = action {
                op["action"] = json!(a);
            }
            if let Some(s) = response {
                op["responses"] = json!({"200": {"schema": s}});
            }
            let codes: Vec<Value> = codes.iter().map(|c| json!({"errorCode": c})).collect();
            op["errorCodes"] = json!({"400": codes});
            if let Some(m) = method {
                op["methods"] = json!([m]);
            }
            sprinkle(op, extra)
        })
}

fn product() -> impl Strategy<Value = Value> {
    (
        prop::option::of(schema()),
        prop::option::of(schema()),
        select(&["RPC", "rpc", "ROA"][..]),
    )
        .prop_map(|(node, leaf, style)| {
            let mut schemas = Map::new();
            if let Some(n) = node {
                schemas.insert("Node".into(), n);
            }
            if let Some(l) = leaf {
                schemas.insert("Leaf".into(), l);
            }
            json!({
                "info": {"style": style, "product": "Prop", "version": "2020-01-01"},
                "endpoints": [{"regionId": "cn-hangzhou", "endpoint": "prop.example.com"}],
                "components": {"schemas": schemas}
            })
        })
}

const VALID_TYPES: &[&str] = &["string", "integer", "number", "boolean", "any"];

/// A schema that passes validation, so generation reaches the emitter with awkward names.
fn valid_schema() -> BoxedStrategy<Value> {
    let leaf = (
        select(VALID_TYPES),
        prop::option::of(prop::collection::vec(select(NAMES), 1..4)),
    )
        .prop_map(|(ty, values)| match (ty, values) {
            ("string", Some(v)) => json!({"type": "string", "enum": v}),
            ("integer", Some(_)) => json!({"type": "integer", "format": "int32"}),
            ("number", Some(_)) => json!({"type": "number", "format": "float"}),
            (ty, _) => json!({"type": ty}),
        });
    leaf.prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            prop::collection::btree_map(
                select(NAMES).prop_filter("a name", |n| sas_codegen::naming::has_identifier(n)),
                inner.clone(),
                0..4
            )
            .prop_map(|props| {
                let props: Map<String, Value> =
                    props.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
                json!({"type": "object", "properties": props})
            }),
            inner
                .clone()
                .prop_map(|i| json!({"type": "array", "items": i})),
            inner.prop_map(|i| json!({"type": "object", "additionalProperties": i})),
            Just(json!({"$ref": "#/components/schemas/Node"})),
        ]
    })
    .boxed()
}

/// An operation that passes validation: distinct parameter names with letters or digits.
fn valid_operation() -> impl Strategy<Value = Value> {
    (
        select(&["Op", "Type", "Self", "Match", "New", "Client"][..]),
        prop::collection::btree_map(
            select(NAMES).prop_filter("a name", |n| sas_codegen::naming::has_identifier(n)),
            (
                select(&INS[..3]),
                prop::option::of(select(&STYLES[..4])),
                valid_schema(),
            ),
            0..6,
        ),
        valid_schema(),
        prop::collection::vec(select(NAMES).prop_filter("a code", |n| !n.is_empty()), 0..4),
    )
        .prop_map(|(action, params, response, codes)| {
            let params: Vec<Value> = params
                .into_iter()
                .map(|(name, (location, style, schema))| {
                    let mut p = json!({"name": name, "in": location, "schema": schema});
                    if let Some(s) = style {
                        p["style"] = json!(s);
                    }
                    p
                })
                .collect();
            let codes: Vec<Value> = codes.iter().map(|c| json!({"errorCode": c})).collect();
            json!({
                "action": action,
                "parameters": params,
                "responses": {"200": {"schema": response}},
                "errorCodes": {"400": codes}
            })
        })
}

fn valid_product() -> impl Strategy<Value = Value> {
    prop::collection::btree_map(select(NAMES).prop_filter("a name", |n| sas_codegen::naming::has_identifier(n)), valid_schema(), 0..3).prop_map(|extra| {
        let mut schemas: Map<String, Value> =
            extra.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        schemas.insert(
            "Node".into(),
            json!({"type": "object", "properties": {"Next": {"$ref": "#/components/schemas/Node"}}}),
        );
        json!({
            "info": {"style": "RPC", "product": "Prop", "version": "2020-01-01"},
            "components": {"schemas": schemas}
        })
    })
}

struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Self {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "sas-codegen-prop-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn file_name(op: &Value) -> String {
    let action = op
        .get("action")
        .and_then(Value::as_str)
        .filter(|a| !a.is_empty() && a.chars().all(|c| c.is_ascii_alphanumeric()));
    format!("{}.json", action.unwrap_or("Op"))
}

/// Writes the spec tree, generates, and checks the outcome.
fn check(product: &Value, operations: &[Value]) -> Result<(), TestCaseError> {
    let tmp = TempDir::new();
    let dir = tmp.0.join("spec/prop/2020-01-01");
    let ops = dir.join("operations");
    std::fs::create_dir_all(&ops).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let write = |p: &Path, v: &Value| std::fs::write(p, v.to_string());
    write(&dir.join("product.json"), product).map_err(|e| TestCaseError::fail(e.to_string()))?;
    for (i, op) in operations.iter().enumerate() {
        let name = match file_name(op) {
            n if i == 0 => n,
            n => format!("{i}{n}"),
        };
        write(&ops.join(name), op).map_err(|e| TestCaseError::fail(e.to_string()))?;
    }
    match sas_codegen::generate(&tmp.0.join("spec"), &sas_codegen::Options::default()) {
        Ok(g) => prop_assert_eq!(g.crates.len(), 1),
        Err(errors) => {
            prop_assert!(!errors.is_empty());
            for e in &errors {
                prop_assert!(
                    !e.expected.contains("generated code that parses"),
                    "a spec that passed validation generated invalid Rust: {}",
                    e
                );
                prop_assert!(e.expected.contains("expected"), "not specific: {}", e);
                prop_assert!(e.path.starts_with('$'), "not a JSON path: {}", e);
                prop_assert!(e.file.starts_with(&tmp.0), "not a spec file: {}", e);
            }
        }
    }
    Ok(())
}

/// `default` cases, or `PROPTEST_CASES` for a longer run.
fn cases(default: u32) -> ProptestConfig {
    let n = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    ProptestConfig::with_cases(n)
}

proptest! {
    // Each case writes a spec tree and runs the whole generator (debug build): keep the
    // default counts modest; `PROPTEST_CASES=5000` for a longer run.
    #![proptest_config(cases(96))]

    #[test]
    fn generating_spec_shaped_json_never_panics(
        product in product(),
        operations in prop::collection::vec(operation(), 1..3),
    ) {
        check(&product, &operations)?;
    }
}

/// Generates `product` with `operations` as the crate `crate_name`; the outcome must be a crate.
fn generate_valid(
    product: &Value,
    operations: &[Value],
    crate_name: &str,
) -> Result<BTreeMap<String, String>, TestCaseError> {
    let tmp = TempDir::new();
    let dir = tmp.0.join("spec/prop/2020-01-01");
    let ops = dir.join("operations");
    std::fs::create_dir_all(&ops).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let mut product = product.clone();
    product["crateName"] = json!(crate_name);
    let write = |p: &Path, v: &Value| std::fs::write(p, v.to_string());
    write(&dir.join("product.json"), &product).map_err(|e| TestCaseError::fail(e.to_string()))?;
    for (i, op) in operations.iter().enumerate() {
        // Distinct actions, each in the file it names.
        let mut op = op.clone();
        let action = format!("{}{i}", op["action"].as_str().unwrap_or("Op"));
        op["action"] = json!(action);
        write(&ops.join(format!("{action}.json")), &op)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
    }
    let opts = sas_codegen::Options {
        runtime: sas_codegen::emit::RuntimeDep::Path(runtime_dir().to_string_lossy().into_owned()),
        example_tests: false,
        label_root: "spec".to_owned(),
        examples: BTreeMap::new(),
    };
    match sas_codegen::generate(&tmp.0.join("spec"), &opts) {
        Ok(g) => {
            prop_assert_eq!(g.crates.len(), 1);
            Ok(g.crates.into_values().next().unwrap_or_default())
        }
        Err(errors) => Err(TestCaseError::fail(format!(
            "a valid spec did not generate: {}",
            errors
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ")
        ))),
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

fn runtime_dir() -> PathBuf {
    workspace_root().join("runtime")
}

/// Valid specs full of awkward names (keywords, dotted, non-ASCII, colliding snake cases,
/// `extra_fields`, `Client`…) must generate, and every generated crate must compile: the cases
/// are written as members of one workspace under `target/prop-compile/` and checked with one
/// `cargo check` (its own target directory, the workspace's lockfile, offline).
#[test]
fn valid_specs_with_awkward_names_generate_and_compile() {
    let crates = std::sync::Mutex::new(Vec::new());
    let mut config = cases(48);
    // No regression file: the fixed cases below keep what a run found.
    config.failure_persistence = None;
    let wanted = config.cases as usize;
    let mut runner = proptest::test_runner::TestRunner::new(config);
    let strategy = (
        valid_product(),
        prop::collection::vec(valid_operation(), 1..3),
    );
    let result = runner.run(&strategy, |(product, operations)| {
        let mut crates = crates.lock().unwrap_or_else(|p| p.into_inner());
        let name = format!("prop-case-{}", crates.len());
        let files = generate_valid(&product, &operations, &name)?;
        crates.push((
            name,
            json!({"product": product, "operations": operations}),
            files,
        ));
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let mut crates = crates.into_inner().unwrap_or_else(|p| p.into_inner());
    // Cases the random ones found once, kept so that every run checks them: a name without
    // letter case (`名前`) whose object type has nested types, so that the type and the module
    // of its nested types get the same identifier.
    let fixed = [(
        json!({"info": {"style": "RPC", "product": "Prop", "version": "2020-01-01"}}),
        vec![json!({
            "action": "New",
            "parameters": [{"name": "名前", "in": "query", "style": "json", "schema": {
                "type": "object",
                "properties": {"Inner": {"type": "object", "properties": {"A": {"type": "string"}}}}
            }}],
            "responses": {"200": {"schema": {"type": "object"}}}
        })],
    )];
    for (product, operations) in fixed {
        let name = format!("prop-case-{}", crates.len());
        let files = generate_valid(&product, &operations, &name)
            .unwrap_or_else(|e| panic!("a fixed case did not generate: {e}"));
        crates.push((
            name,
            json!({"product": product, "operations": operations}),
            files,
        ));
    }
    // Shrinking may have run cases more than once; every one is a crate of its own.
    let root = workspace_root().join("target").join("prop-compile");
    let _ = std::fs::remove_dir_all(&root);
    let mut members = Vec::new();
    for (name, _, files) in &crates {
        for (rel, text) in files {
            let path = root.join(name).join(rel);
            std::fs::create_dir_all(path.parent().expect("a file in a folder")).expect("mkdir");
            // Each generated crate declares its own workspace; here they share one.
            let text = if rel == "Cargo.toml" {
                text.replace("\n[workspace]\n", "\n")
            } else {
                text.clone()
            };
            std::fs::write(&path, text).expect("write");
        }
        members.push(format!("{name:?}"));
    }
    std::fs::write(
        root.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    )
    .expect("write the workspace");
    std::fs::copy(workspace_root().join("Cargo.lock"), root.join("Cargo.lock"))
        .expect("copy the lockfile");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let out = std::process::Command::new(cargo)
        .args([
            "check",
            "--workspace",
            "--offline",
            "--quiet",
            "--message-format=short",
        ])
        .current_dir(&root)
        .env(
            "CARGO_TARGET_DIR",
            workspace_root().join("target").join("prop-compile-target"),
        )
        .output()
        .expect("cargo runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        let failing: Vec<&Value> = crates
            .iter()
            .filter(|(name, _, _)| stderr.contains(&format!("{name}/")))
            .map(|(_, spec, _)| spec)
            .collect();
        panic!(
            "generated code from valid specs does not compile:\n{stderr}\nspecs of the failing crates:\n{}",
            failing.iter().map(|s| s.to_string()).collect::<Vec<_>>().join("\n")
        );
    }
    assert!(crates.len() > wanted, "only {} crates", crates.len());
    println!("{} generated crates compile", crates.len());
}

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn generating_arbitrary_json_never_panics(product in any_json(), op in any_json()) {
        check(&product, &[op])?;
    }
}
