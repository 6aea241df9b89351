//! Broken specs, table-driven. Each case copies the seed spec into a temporary tree, breaks one
//! thing, and runs the generator exactly as `cargo xtask gen` does ([`sas_codegen::regenerate`])
//! into an output directory that already holds a previous generation. It asserts that:
//!
//! - generation fails with an error naming the file, the exact JSON path and what was expected;
//! - the output directory is byte-for-byte as it was (every file compared before and after).
//!
//! Names that are Rust keywords or collide after conversion are not errors: the positive cases
//! show they generate, with distinct field names.

use sas_codegen::diag::SpecError;
use sas_codegen::regen::{Failure, Mode};
use sas_codegen::regenerate;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

const PRODUCT_DIR: &str = "sas/2018-12-03";
const OP: &str = "CreateContainerScanTaskByAppName";

fn repo() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}

/// A directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(label: &str) -> Self {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "sas-malformed-{}-{}-{label}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("temp dir");
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("mkdir");
    for entry in fs::read_dir(from).expect("read_dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Every file under `dir` (relative path → bytes), directories included as empty entries.
fn snapshot(dir: &Path) -> BTreeMap<String, Option<Vec<u8>>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Option<Vec<u8>>>) {
        for entry in fs::read_dir(dir).expect("read_dir") {
            let entry = entry.expect("entry");
            let rel = entry
                .path()
                .strip_prefix(root)
                .expect("under root")
                .to_string_lossy()
                .into_owned();
            if entry.file_type().expect("file type").is_dir() {
                out.insert(rel, None);
                walk(root, &entry.path(), out);
            } else {
                out.insert(rel, Some(fs::read(entry.path()).expect("read")));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// A temporary spec tree (a copy of the seed spec) and an output directory holding the seed's
/// generation.
struct Tree {
    _tmp: TempDir,
    spec: PathBuf,
    out: PathBuf,
}

impl Tree {
    fn new(label: &str) -> Self {
        let tmp = TempDir::new(label);
        let spec = tmp.0.join("spec");
        let out = tmp.0.join("generated");
        // Only the product file and the seed operation: the cases stay fast however many
        // operations spec/ holds.
        let from = repo().join("spec").join(PRODUCT_DIR);
        let to = spec.join(PRODUCT_DIR);
        fs::create_dir_all(to.join("operations")).expect("mkdir");
        fs::copy(from.join("product.json"), to.join("product.json")).expect("copy");
        fs::copy(from.join("crate-docs.md"), to.join("crate-docs.md")).expect("copy");
        let op = format!("operations/{OP}.json");
        fs::copy(from.join(&op), to.join(&op)).expect("copy");
        let report = regenerate(&spec, &out, "spec", Mode::Write)
            .unwrap_or_else(|e| panic!("the pristine seed spec generates: {e}"));
        assert_eq!(report.written, ["sas20181203"]);
        Tree {
            _tmp: tmp,
            spec,
            out,
        }
    }

    fn product_path(&self) -> PathBuf {
        self.spec.join(PRODUCT_DIR).join("product.json")
    }

    fn op_path(&self) -> PathBuf {
        self.spec
            .join(PRODUCT_DIR)
            .join("operations")
            .join(format!("{OP}.json"))
    }

    fn path_of(&self, target: Target) -> PathBuf {
        match target {
            Target::Product => self.product_path(),
            Target::Op => self.op_path(),
        }
    }

    fn apply(&self, target: Target, edit: Edit) {
        let path = self.path_of(target);
        match edit {
            Edit::Json(f) => {
                let text = fs::read_to_string(&path).expect("read");
                let mut v: Value = serde_json::from_str(&text).expect("seed JSON");
                f(&mut v);
                fs::write(&path, serde_json::to_string_pretty(&v).expect("json")).expect("write");
            }
            Edit::Text(f) => {
                let text = fs::read_to_string(&path).expect("read");
                fs::write(&path, f(&text)).expect("write");
            }
            Edit::Bytes(b) => fs::write(&path, b).expect("write"),
            Edit::Remove => fs::remove_file(&path).expect("remove"),
            Edit::RenameTo(name) => {
                let to = path.with_file_name(name);
                fs::rename(&path, to).expect("rename");
            }
            Edit::CopyProductTo(name) => {
                let from = self.spec.join(PRODUCT_DIR);
                let to = from.with_file_name(name);
                copy_dir(&from, &to);
            }
        }
    }
}

#[derive(Clone, Copy, Debug)]
enum Target {
    Product,
    Op,
}

#[derive(Clone, Copy)]
enum Edit {
    /// Edit the parsed JSON and write it back.
    Json(fn(&mut Value)),
    /// Edit the text.
    Text(fn(&str) -> String),
    /// Replace the bytes.
    Bytes(&'static [u8]),
    /// Delete the file.
    Remove,
    /// Rename the file (same directory).
    RenameTo(&'static str),
    /// Copy the whole product directory to a sibling directory named so.
    CopyProductTo(&'static str),
}

struct Case {
    name: &'static str,
    target: Target,
    edit: Edit,
    /// The error's file ends with this.
    file: &'static str,
    /// The error's JSON path, exactly.
    path: &'static str,
    /// Substrings of what was expected.
    expected: &'static [&'static str],
}

fn param(v: &mut Value, i: usize) -> &mut Value {
    &mut v["parameters"][i]
}

fn data_prop<'a>(v: &'a mut Value, name: &str) -> &'a mut Value {
    &mut v["responses"]["200"]["schema"]["properties"]["Data"]["properties"][name]
}

fn remove(v: &mut Value, key: &str) {
    v.as_object_mut().expect("an object").remove(key);
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "invalid JSON (cut off)",
            target: Target::Op,
            edit: Edit::Text(|_| {
                r#"{"action": "CreateContainerScanTaskByAppName", "parameters": [{"name": "A", "in": "query", "schema": {"type": "str"#.to_owned()
            }),
            file: "CreateContainerScanTaskByAppName.json",
            path: "$.parameters[0].schema.type",
            expected: &["expected valid JSON", "EOF"],
        },
        Case {
            name: "invalid JSON (syntax)",
            target: Target::Op,
            edit: Edit::Text(|t| t.replacen("\"title\":", "\"title\" ", 1)),
            file: "CreateContainerScanTaskByAppName.json",
            // The key is not read yet, so the path is its object's; line and column pin it.
            path: "$",
            expected: &["expected valid JSON", "expected `:` at line 3 column 12"],
        },
        Case {
            name: "trailing data after the document",
            target: Target::Op,
            edit: Edit::Text(|t| format!("{t}\n{{}}")),
            file: "CreateContainerScanTaskByAppName.json",
            path: "$",
            expected: &["expected the end of the JSON document"],
        },
        Case {
            name: "not UTF-8",
            target: Target::Op,
            edit: Edit::Bytes(b"{\"action\": \"\xff\xfe\"}"),
            file: "CreateContainerScanTaskByAppName.json",
            path: "$",
            expected: &["expected", "UTF-8"],
        },
        Case {
            name: "the document is not an object",
            target: Target::Op,
            edit: Edit::Text(|_| "[1, 2, 3]".to_owned()),
            file: "CreateContainerScanTaskByAppName.json",
            path: "$",
            expected: &["expected an object, found an array"],
        },
        Case {
            name: "an array where a parameter object belongs",
            target: Target::Op,
            edit: Edit::Json(|v| *param(v, 1) = json!(["AppNames", "query"])),
            file: "CreateContainerScanTaskByAppName.json",
            path: "$.parameters[1]",
            expected: &["expected an object, found an array"],
        },
        Case {
            name: "an array where a property schema belongs",
            target: Target::Op,
            edit: Edit::Json(|v| *data_prop(v, "TaskId") = json!(["string"])),
            file: "CreateContainerScanTaskByAppName.json",
            path: "$.responses.200.schema.properties.Data.properties.TaskId",
            expected: &["expected an object, found an array"],
        },
        Case {
            name: "an array where product info belongs",
            target: Target::Product,
            edit: Edit::Json(|v| v["info"] = json!(["RPC", "Sas", "2018-12-03"])),
            file: "product.json",
            path: "$.info",
            expected: &["expected an object, found an array"],
        },
        Case {
            name: "a key given twice",
            target: Target::Op,
            edit: Edit::Text(|t| {
                t.replacen(
                    "\"in\": \"query\",",
                    "\"in\": \"query\", \"in\": \"query\",",
                    1,
                )
            }),
            file: "CreateContainerScanTaskByAppName.json",
            path: "$.parameters[0]",
            expected: &["expected field `in` once (it is repeated, again at line"],
        },
        Case {
            name: "unknown key at the top",
            target: Target::Op,
            edit: Edit::Json(|v| v["frobnicate"] = json!(true)),
            file: "CreateContainerScanTaskByAppName.json",
            path: "$.frobnicate",
            expected: &[
                "unknown field `frobnicate`",
                "expected one of",
                "`parameters`",
            ],
        },
        Case {
            name: "unknown key in a parameter schema",
            target: Target::Op,
            edit: Edit::Json(|v| param(v, 1)["schema"]["colour"] = json!("red")),
            file: "CreateContainerScanTaskByAppName.json",
            path: "$.parameters[1].schema.colour",
            expected: &["unknown field `colour`", "expected one of", "`type`"],
        },
        Case {
            name: "unknown type",
            target: Target::Op,
            edit: Edit::Json(|v| param(v, 0)["schema"]["type"] = json!("strin")),
            file: "CreateContainerScanTaskByAppName.json",
            path: "$.parameters[0].schema.type",
            expected: &["unknown variant `strin`", "expected one of", "`string`"],
        },
        Case {
            name: "missing type",
            target: Target::Op,
            edit: Edit::Json(|v| remove(&mut param(v, 0)["schema"], "type")),
            file: "CreateContainerScanTaskByAppName.json",
            path: "$.parameters[0].schema.type",
            expected: &["expected a type", "string, integer", "$ref"],
        },
        Case {
            name: "unknown integer format",
            target: Target::Op,
            edit: Edit::Json(|v| data_prop(v, "TotalCount")["format"] = json!("int128")),
            file: "CreateContainerScanTaskByAppName.json",
            path: "$.responses.200.schema.properties.Data.properties.TotalCount.format",
            expected: &["expected int32 or int64", "\"int128\""],
        },
        Case {
            name: "unknown number format",
            target: Target::Op,
            edit: Edit::Json(|v| {
                *data_prop(v, "Progress") = json!({"type": "number", "format": "decimal"})
            }),
            file: "CreateContainerScanTaskByAppName.json",
            path: "$.responses.200.schema.properties.Data.properties.Progress.format",
            expected: &["expected float or double", "\"decimal\""],
        },
        Case {
            name: "unknown style",
            target: Target::Op,
            edit: Edit::Json(|v| param(v, 1)["style"] = json!("matrix")),
            file: "CreateContainerScanTaskByAppName.json",
            path: "$.parameters[1].style",
            expected: &["unknown variant `matrix`", "`repeatList`"],
        },
        Case {
            name: "unknown `in`",
            target: Target::Op,
            edit: Edit::Json(|v| param(v, 2)["in"] = json!("cookie")),
            file: "CreateContainerScanTaskByAppName.json",
            path: "$.parameters[2].in",
            expected: &["unknown variant `cookie`", "`query`", "`formData`"],
        },
        Case {
            name: "a parameter name made only of punctuation",
            target: Target::Op,
            edit: Edit::Json(|v| param(v, 0)["name"] = json!("._-.")),
            file: "CreateContainerScanTaskByAppName.json",
            path: "$.parameters[0].name",
            expected: &["expected a name with letters or digits", "\"._-.\""],
        },
        Case {
            name: "an empty parameter name",
            target: Target::Op,
            edit: Edit::Json(|v| param(v, 1)["name"] = json!("  ")),
            file: "CreateContainerScanTaskByAppName.json",
            path: "$.parameters[1].name",
            expected: &["expected a non-empty parameter name"],
        },
        Case {
            name: "a property name made only of punctuation",
            target: Target::Op,
            edit: Edit::Json(|v| *data_prop(v, "--") = json!({"type": "string"})),
            file: "CreateContainerScanTaskByAppName.json",
            path: "$.responses.200.schema.properties.Data.properties[\"--\"]",
            expected: &["expected a property name with letters or digits"],
        },
        Case {
            name: "a missing required key (parameter schema)",
            target: Target::Op,
            edit: Edit::Json(|v| remove(param(v, 2), "schema")),
            file: "CreateContainerScanTaskByAppName.json",
            path: "$.parameters[2]",
            expected: &["expected field `schema`", "missing"],
        },
        Case {
            name: "conflicting duplicate parameters",
            target: Target::Op,
            edit: Edit::Json(|v| {
                let p = json!({"name": "ClusterId", "in": "query", "schema": {"type": "integer"}});
                v["parameters"].as_array_mut().expect("list").push(p);
            }),
            file: "CreateContainerScanTaskByAppName.json",
            path: "$.parameters[3]",
            expected: &[
                "expected parameter \"ClusterId\" once",
                "conflicts with $.parameters[0]",
            ],
        },
        Case {
            name: "a dangling $ref",
            target: Target::Op,
            edit: Edit::Json(|v| {
                v["responses"]["200"]["schema"]["properties"]["Data"] =
                    json!({"$ref": "#/components/schemas/Nowhere"})
            }),
            file: "CreateContainerScanTaskByAppName.json",
            path: "$.responses.200.schema.properties.Data.$ref",
            expected: &["\"Nowhere\"", "components.schemas", "dangles"],
        },
        Case {
            name: "a $ref not of the #/components/schemas form",
            target: Target::Op,
            edit: Edit::Json(|v| {
                param(v, 0)["schema"] = json!({"$ref": "#/definitions/ClusterId"})
            }),
            file: "CreateContainerScanTaskByAppName.json",
            path: "$.parameters[0].schema.$ref",
            expected: &[
                "expected \"#/components/schemas/<Name>\"",
                "#/definitions/ClusterId",
            ],
        },
        Case {
            name: "an array without items",
            target: Target::Op,
            edit: Edit::Json(|v| *data_prop(v, "Tags") = json!({"type": "array"})),
            file: "CreateContainerScanTaskByAppName.json",
            path: "$.responses.200.schema.properties.Data.properties.Tags.items",
            expected: &["expected `items` for an array"],
        },
        Case {
            name: "an operation file whose name disagrees with its action",
            target: Target::Op,
            edit: Edit::Json(|v| v["action"] = json!("CreateContainerScanTask")),
            file: "CreateContainerScanTaskByAppName.json",
            path: "$.action",
            expected: &[
                "expected \"CreateContainerScanTaskByAppName\" (the file name)",
                "\"CreateContainerScanTask\"",
            ],
        },
        Case {
            name: "an action name that is not an identifier",
            target: Target::Op,
            edit: Edit::RenameTo("Create-Scan Task.json"),
            file: "Create-Scan Task.json",
            path: "$.action",
            expected: &["expected \"Create-Scan Task\" (the file name)"],
        },
        Case {
            name: "an unknown HTTP method",
            target: Target::Op,
            edit: Edit::Json(|v| v["methods"] = json!(["post", "put"])),
            file: "CreateContainerScanTaskByAppName.json",
            path: "$.methods[1]",
            expected: &["expected \"get\" or \"post\"", "\"put\""],
        },
        Case {
            name: "an empty error code",
            target: Target::Op,
            edit: Edit::Json(|v| v["errorCodes"]["403"][0]["errorCode"] = json!("")),
            file: "CreateContainerScanTaskByAppName.json",
            path: "$.errorCodes.403[0].errorCode",
            expected: &["expected a non-empty error code"],
        },
        Case {
            name: "wrong JSON type: required is a string",
            target: Target::Op,
            edit: Edit::Json(|v| param(v, 0)["schema"]["required"] = json!("yes")),
            file: "CreateContainerScanTaskByAppName.json",
            path: "$.parameters[0].schema.required",
            expected: &["invalid type: string \"yes\"", "expected a boolean"],
        },
        Case {
            name: "wrong JSON type: parameters is an object",
            target: Target::Op,
            edit: Edit::Json(|v| v["parameters"] = json!({"ClusterId": {}})),
            file: "CreateContainerScanTaskByAppName.json",
            path: "$.parameters",
            expected: &["invalid type: map", "expected a sequence"],
        },
        Case {
            name: "wrong JSON type: an example that is an object",
            target: Target::Op,
            edit: Edit::Json(|v| data_prop(v, "TaskId")["example"] = json!({"a": 1})),
            file: "CreateContainerScanTaskByAppName.json",
            path: "$.responses.200.schema.properties.Data.properties.TaskId.example",
            expected: &["invalid type: map", "expected a string, number or boolean"],
        },
        Case {
            name: "a product style that is neither RPC nor ROA",
            target: Target::Product,
            edit: Edit::Json(|v| v["info"]["style"] = json!("FC")),
            file: "product.json",
            path: "$.info.style",
            expected: &["expected \"RPC\" or \"ROA\"", "\"FC\""],
        },
        Case {
            name: "a path parameter in an RPC product",
            target: Target::Op,
            edit: Edit::Json(|v| param(v, 1)["in"] = json!("path")),
            file: "CreateContainerScanTaskByAppName.json",
            path: "$.parameters[1].in",
            expected: &["expected query, formData or header"],
        },
        Case {
            name: "a product without info.product",
            target: Target::Product,
            edit: Edit::Json(|v| remove(&mut v["info"], "product")),
            file: "product.json",
            path: "$.info",
            expected: &["expected field `product`", "missing"],
        },
        Case {
            name: "a product version without digits",
            target: Target::Product,
            edit: Edit::Json(|v| v["info"]["version"] = json!("latest")),
            file: "product.json",
            path: "$.info.version",
            expected: &["expected an API version such as 2018-12-03"],
        },
        Case {
            name: "an unknown key in an endpoint row",
            target: Target::Product,
            edit: Edit::Json(|v| v["endpoints"][3]["zone"] = json!("a")),
            file: "product.json",
            path: "$.endpoints[3].zone",
            expected: &["unknown field `zone`", "`regionId`"],
        },
        Case {
            name: "an endpoint with an empty host",
            target: Target::Product,
            edit: Edit::Json(|v| v["endpoints"][1]["endpoint"] = json!(" \t")),
            file: "product.json",
            path: "$.endpoints[1]",
            expected: &["expected a region id and a host name"],
        },
        Case {
            name: "a component schema name made only of punctuation",
            target: Target::Product,
            edit: Edit::Json(|v| {
                v["components"] = json!({"schemas": {"**": {"type": "object", "properties": {}}}})
            }),
            file: "product.json",
            path: "$.components.schemas[\"**\"]",
            expected: &["expected a schema name with letters or digits"],
        },
        Case {
            name: "a component that refers to itself directly",
            target: Target::Product,
            edit: Edit::Json(|v| {
                v["components"] = json!({"schemas": {
                    "Holder": {"type": "object", "properties": {"L": {"$ref": "#/components/schemas/Loop"}}},
                    "Loop": {"$ref": "#/components/schemas/Loop"}
                }})
            }),
            file: "product.json",
            path: "$.components.schemas.Loop",
            expected: &[
                "expected a reference cycle to pass through an object",
                "\"Loop\"",
            ],
        },
        Case {
            name: "a bad crate name",
            target: Target::Product,
            edit: Edit::Json(|v| v["crateName"] = json!("alibaba cloud/sas")),
            file: "product.json",
            path: "$.crateName",
            expected: &["expected a Cargo package name"],
        },
        Case {
            name: "a crate version that is not semver",
            target: Target::Product,
            edit: Edit::Json(|v| v["crateVersion"] = json!("0.2")),
            file: "product.json",
            path: "$.crateVersion",
            expected: &["expected a semver version such as 0.2.0, found \"0.2\""],
        },
        Case {
            name: "product.json missing",
            target: Target::Product,
            edit: Edit::Remove,
            file: "spec",
            path: "$",
            expected: &["expected at least one product directory holding a product.json"],
        },
        Case {
            name: "pagination names a parameter the request does not have",
            target: Target::Op,
            edit: Edit::Json(|v| {
                v["pagination"] = json!({"pageNumber": "CurrentPage", "items": "Data"});
            }),
            file: "CreateContainerScanTaskByAppName.json",
            path: "$.pagination.pageNumber",
            expected: &["expected the name of a request parameter", "CurrentPage"],
        },
        Case {
            name: "pagination items that are not a list",
            target: Target::Op,
            edit: Edit::Json(|v| {
                v["pagination"] = json!({"inputToken": "AppNames", "outputToken": "Data.TaskId", "items": "Data"});
            }),
            file: "CreateContainerScanTaskByAppName.json",
            path: "$.pagination.items",
            expected: &["expected a list member"],
        },
        Case {
            name: "pagination total that is not an integer",
            target: Target::Op,
            edit: Edit::Json(|v| {
                v["pagination"] = json!({"inputToken": "AppNames", "outputToken": "Data.Missing", "total": "Data.TaskId"});
            }),
            file: "CreateContainerScanTaskByAppName.json",
            path: "$.pagination.total",
            expected: &["expected an integer member"],
        },
        Case {
            name: "pagination with an unknown key",
            target: Target::Op,
            edit: Edit::Json(|v| {
                v["pagination"] = json!({"pageNo": "X"});
            }),
            file: "CreateContainerScanTaskByAppName.json",
            path: "$.pagination.pageNo",
            expected: &["unknown field `pageNo`", "expected one of `pageNumber`"],
        },
        Case {
            name: "a second product generating the same crate",
            target: Target::Op,
            edit: Edit::CopyProductTo("2018-12-03-copy"),
            file: "2018-12-03-copy/product.json",
            path: "$.info",
            expected: &[
                "expected a product and version distinct from",
                "2018-12-03/product.json",
                "generated/sas20181203",
            ],
        },
    ]
}

/// Runs `case` and returns its errors, after checking the output was left untouched.
fn run_case(case: &Case) -> Result<Vec<SpecError>, String> {
    let tree = Tree::new("case");
    let before = snapshot(&tree.out);
    tree.apply(case.target, case.edit);
    let result = regenerate(&tree.spec, &tree.out, "spec", Mode::Write);
    let errors = match result {
        Err(Failure::Spec { errors, .. }) => errors,
        Err(other) => return Err(format!("expected spec errors, got {other}")),
        Ok(r) => return Err(format!("expected spec errors, generation succeeded: {r:?}")),
    };
    if before != snapshot(&tree.out) {
        return Err("the output directory changed although generation failed".to_owned());
    }
    Ok(errors)
}

#[test]
fn every_broken_spec_names_file_path_and_expectation_and_leaves_the_output_alone() {
    let mut failures = Vec::new();
    let all = cases();
    for case in &all {
        let errors = match run_case(case) {
            Ok(e) => e,
            Err(why) => {
                failures.push(format!("{}: {why}", case.name));
                continue;
            }
        };
        let hit = errors.iter().any(|e| {
            e.file.to_string_lossy().ends_with(case.file)
                && e.path == case.path
                && case.expected.iter().all(|s| e.expected.contains(s))
        });
        if !hit {
            failures.push(format!(
                "{}: wanted file …{} at {} expecting {:?}; got:\n  {}",
                case.name,
                case.file,
                case.path,
                case.expected,
                errors
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("\n  ")
            ));
        }
        for e in &errors {
            // A generic message is a bug: every error says what was expected.
            if !e.expected.contains("expected") {
                failures.push(format!("{}: {e} does not say what was expected", case.name));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        all.len(),
        failures.join("\n")
    );
    assert!(all.len() >= 15);
}

// ---- names that are not errors -------------------------------------------------------------

/// An operation whose every name is awkward: keywords, collisions after conversion, dots,
/// digits first, acronyms, reserved names, and enum values and error codes that collide.
fn awkward_operation(action: &str) -> Value {
    let s = |t: &str| json!({"type": t});
    let names = [
        "type",
        "Type",
        "async",
        "loop",
        "box",
        "match",
        "self",
        "Self",
        "crate",
        "super",
        "gen",
        "in",
        "fn",
        "InstanceId",
        "instance_id",
        "InstanceID",
        "Instance.Id",
        "instanceId",
        "InstanceIDs",
        "DnsConfig.NameServer",
        "2fa",
        "_x",
        "new",
        "builder",
        "default",
        "extra_fields",
        "r#type",
        "名前",
    ];
    let parameters: Vec<Value> = names
        .iter()
        .map(|n| json!({"name": n, "in": "query", "schema": s("string")}))
        .collect();
    let mut props = serde_json::Map::new();
    for n in names {
        props.insert(n.to_owned(), s("integer"));
    }
    props.insert(
        "Kind".to_owned(),
        json!({"type": "string", "enum": ["a-b", "a_b", "A B", "", "*", "Unknown", "unknown", "1st", "Self"]}),
    );
    props.insert(
        "Option".to_owned(),
        json!({"type": "object", "properties": {"Vec": s("string"), "String": s("boolean")}}),
    );
    props.insert(
        "Result".to_owned(),
        json!({"type": "array", "items": {"type": "object", "properties": {"Some": s("string")}}}),
    );
    json!({
        "action": action,
        "parameters": parameters,
        "responses": {"200": {"schema": {"type": "object", "properties": props}}},
        "errorCodes": {
            "400": [
                {"errorCode": "Throttling.User"},
                {"errorCode": "Throttling_User"},
                {"errorCode": "throttling.user"},
                {"errorCode": "%s"},
                {"errorCode": "1abc"},
                {"errorCode": "Undocumented"},
                {"errorCode": "InvalidParam %s is not valid"},
                {"errorCode": "Self"}
            ]
        }
    })
}

/// Items of a generated file that must be unique: `pub` fields and enum variants per item.
fn assert_unique_members(file: &str, text: &str) {
    let mut item = String::new();
    let mut seen: std::collections::BTreeSet<String> = Default::default();
    for line in text.lines() {
        if line.starts_with("pub struct ") || line.starts_with("pub enum ") {
            item = line.to_owned();
            seen.clear();
            continue;
        }
        let member = line
            .strip_prefix("    pub ")
            .and_then(|l| l.split(':').next())
            .or_else(|| {
                line.strip_prefix("    ")
                    .filter(|l| {
                        item.starts_with("pub enum")
                            && l.starts_with(|c: char| c.is_uppercase())
                            && (l.ends_with(',') || l.ends_with("(String),"))
                    })
                    .map(|l| l.trim_end_matches(',').trim_end_matches("(String)"))
            });
        if let Some(m) = member {
            assert!(
                seen.insert(m.to_owned()),
                "{file}: {item} has {m} twice:\n{text}"
            );
        }
    }
}

fn generate_with(tree: &Tree, file: &str, op: &Value) -> Result<(), String> {
    let path = tree.op_path().with_file_name(file);
    fs::write(&path, serde_json::to_string_pretty(op).expect("json")).expect("write");
    let result = regenerate(&tree.spec, &tree.out, "spec", Mode::Write);
    fs::remove_file(&path).expect("remove");
    match result {
        Ok(_) => {}
        Err(Failure::Spec { errors, .. }) => {
            return Err(errors
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n"))
        }
        Err(e) => return Err(e.to_string()),
    }
    let dir = tree.out.join("sas20181203/src");
    for (rel, bytes) in snapshot(&dir) {
        if let Some(bytes) = bytes {
            let text = String::from_utf8(bytes).expect("UTF-8");
            assert_unique_members(&rel, &text);
        }
    }
    Ok(())
}

#[test]
fn keywords_and_names_that_collide_after_conversion_generate() {
    let tree = Tree::new("names");
    let mut failures = Vec::new();
    for action in [
        "AwkwardNames",
        "Type",
        "Match",
        "Self",
        "Super",
        "New",
        "Builder",
        "Runtime",
        "Types",
        "Client",
        "Gen",
    ] {
        if let Err(e) = generate_with(&tree, &format!("{action}.json"), &awkward_operation(action))
        {
            failures.push(format!("{action}: {e}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    let op = fs::read_to_string(
        tree.out
            .join("sas20181203/src/operations/create_container_scan_task_by_app_name.rs"),
    )
    .expect("the seed operation is still generated");
    assert!(op.contains("pub cluster_id"));
}

/// The `cargo xtask gen` path on a copy of the repository's own `spec/` and `generated/`
/// (hand-written `examples/` included): a broken spec fails both modes and leaves the copy of
/// `generated/` byte for byte as it was; once fixed, generation writes again.
#[test]
fn the_xtask_gen_path_leaves_a_copy_of_generated_untouched_on_a_broken_spec() {
    let tmp = TempDir::new("xtask");
    let spec = tmp.0.join("spec");
    let out = tmp.0.join("generated");
    copy_dir(&repo().join("spec"), &spec);
    copy_dir(&repo().join("generated"), &out);
    let before = snapshot(&out);
    let op = spec
        .join(PRODUCT_DIR)
        .join("operations")
        .join(format!("{OP}.json"));
    let pristine = fs::read_to_string(&op).expect("read");
    fs::write(
        &op,
        pristine.replacen("\"in\": \"query\"", "\"in\": \"cookie\"", 1),
    )
    .expect("write");

    for mode in [Mode::Write, Mode::Check] {
        match regenerate(&spec, &out, "spec", mode) {
            Err(Failure::Spec { errors, out: left }) => {
                assert_eq!(left, out);
                assert!(
                    errors.iter().any(|e| e.file == op
                        && e.path == "$.parameters[0].in"
                        && e.expected.contains("unknown variant `cookie`")),
                    "{errors:?}"
                );
            }
            other => panic!("{mode:?}: expected spec errors, got {other:?}"),
        }
        assert!(before == snapshot(&out), "{mode:?} changed the output");
    }

    fs::write(&op, &pristine).expect("write");
    let report = regenerate(&spec, &out, "spec", Mode::Write).expect("the fixed spec generates");
    assert_eq!(report.crates, ["sas20181203"]);
    assert!(
        out.join("sas20181203/examples").is_dir(),
        "hand-written examples are kept"
    );
}

/// Check mode on an output edited by hand names the file and changes nothing.
#[test]
fn check_mode_reports_a_hand_edit_without_writing() {
    let tree = Tree::new("check");
    let lib = tree.out.join("sas20181203/src/lib.rs");
    let mut text = fs::read_to_string(&lib).expect("read");
    text.push_str("\n// edited by hand\n");
    fs::write(&lib, &text).expect("write");
    let before = snapshot(&tree.out);
    match regenerate(&tree.spec, &tree.out, "spec", Mode::Check) {
        Err(Failure::Stale { staleness, .. }) => assert_eq!(staleness.changed, [lib]),
        other => panic!("expected a stale report, got {other:?}"),
    }
    assert!(before == snapshot(&tree.out));
}
