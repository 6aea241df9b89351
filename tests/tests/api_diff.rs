//! The API change report: one synthetic spec edit per kind of change, each classified as the
//! table in `spec/README.md` says for the Rust API and for the wire; the seed's documented
//! change (error 500 deleted); the Markdown and JSON shapes; reading a git revision; the
//! version check and the changelog draft.

use sas_codegen::diff::release::{self, Verdict};
use sas_codegen::diff::rules::{self, Class, Group, Kind, RULES};
use sas_codegen::diff::{render, source, Change, Report};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

const SEED: &str = "CreateContainerScanTaskByAppName";
/// A paged operation: pages by number, and takes a token too (`NextToken`, `UseNextToken`).
const PAGED: &str = "ListGroups";

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A scratch spec tree holding the seed product; removed on drop.
struct Tree(PathBuf);

impl Tree {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("sas-api-diff-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let product = dir.join("sas/2018-12-03");
        fs::create_dir_all(product.join("operations")).expect("mkdir");
        let from = repo().join("spec/sas/2018-12-03");
        fs::copy(from.join("product.json"), product.join("product.json")).expect("copy");
        fs::copy(from.join("crate-docs.md"), product.join("crate-docs.md")).expect("copy");
        let op = format!("operations/{SEED}.json");
        fs::copy(from.join(&op), product.join(&op)).expect("copy");
        Tree(dir)
    }

    fn product(&self) -> PathBuf {
        self.0.join("sas/2018-12-03")
    }

    fn op_path(&self, action: &str) -> PathBuf {
        self.product().join(format!("operations/{action}.json"))
    }

    fn edit(&self, file: &Path, f: &dyn Fn(&mut Value)) {
        let mut v: Value =
            serde_json::from_str(&fs::read_to_string(file).expect("read")).expect("json");
        f(&mut v);
        fs::write(file, serde_json::to_string_pretty(&v).expect("json")).expect("write");
    }

    fn op(&self, f: &dyn Fn(&mut Value)) {
        self.edit(&self.op_path(SEED), f);
    }

    /// Copies the committed spec of `action` into the tree.
    fn copy_op(&self, action: &str) {
        let from = repo().join(format!("spec/sas/2018-12-03/operations/{action}.json"));
        fs::copy(from, self.op_path(action)).expect("copy");
    }

    fn product_json(&self, f: &dyn Fn(&mut Value)) {
        self.edit(&self.product().join("product.json"), f);
    }
}

impl Drop for Tree {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

type Edit = Box<dyn Fn(&Tree)>;

/// The changes from the seed with `before` applied to the seed with `after` applied.
fn changes(name: &str, before: &dyn Fn(&Tree), after: &dyn Fn(&Tree)) -> Vec<Change> {
    changes_and_types(name, before, after).0
}

/// [`changes`], and the public Rust type paths of the generated crate that the edit removes
/// and adds (from the generator itself, to cross-check the table).
fn changes_and_types(
    name: &str,
    before: &dyn Fn(&Tree),
    after: &dyn Fn(&Tree),
) -> (Vec<Change>, Vec<String>, Vec<String>) {
    let old = Tree::new(&format!("{name}-old"));
    let new = Tree::new(&format!("{name}-new"));
    before(&old);
    before(&new);
    after(&new);
    let a = source::spec_dir(&old.0).expect("old loads");
    let b = source::spec_dir(&new.0).expect("new loads");
    let (ta, tb) = (type_paths(&old), type_paths(&new));
    let removed = ta.difference(&tb).cloned().collect();
    let added = tb.difference(&ta).cloned().collect();
    (sas_codegen::diff::compare(&a, &b), removed, added)
}

/// The public type paths the generator makes of a scratch tree (empty when it has no product).
fn type_paths(t: &Tree) -> BTreeSet<String> {
    let dir = t.product();
    if !dir.join("product.json").is_file() {
        return BTreeSet::new();
    }
    let loaded = sas_codegen::load::product_dir(&dir, &t.0).expect("loads");
    let lowered =
        sas_codegen::lower::lower(&loaded.product_path, &loaded.product, &loaded.operations)
            .expect("lowers");
    lowered.ir.public_type_paths().into_iter().collect()
}

fn param<'a>(op: &'a mut Value, name: &str) -> &'a mut Value {
    let params = op["parameters"].as_array_mut().expect("parameters");
    params
        .iter_mut()
        .find(|p| p["name"] == name)
        .expect("parameter")
}

fn data(op: &mut Value) -> &mut Value {
    &mut op["responses"]["200"]["schema"]["properties"]["Data"]
}

fn nothing() -> Edit {
    Box::new(|_| {})
}

/// A request object parameter `Filter` (`flat`) with one optional member `Name`.
fn with_filter() -> Edit {
    Box::new(|t| {
        t.op(&|op| {
            op["parameters"].as_array_mut().expect("list").push(json!({
                "name": "Filter", "in": "query", "style": "flat",
                "schema": { "type": "object", "properties": { "Name": { "type": "string" } } }
            }))
        })
    })
}

/// `Data` moved into the shared schema `name`.
fn shared_data(name: &'static str) -> Edit {
    Box::new(move |t| {
        let seed = fs::read_to_string(t.op_path(SEED)).expect("read");
        let seed: Value = serde_json::from_str(&seed).expect("json");
        let schema = seed["responses"]["200"]["schema"]["properties"]["Data"].clone();
        t.op(&|op| *data(op) = json!({ "$ref": format!("#/components/schemas/{name}") }));
        t.product_json(&|p| p["components"] = json!({ "schemas": { name: schema.clone() } }));
    })
}

struct Case {
    name: &'static str,
    before: Edit,
    after: Edit,
    expected: Vec<(Kind, Class, Class)>,
}

fn case(name: &'static str, after: Edit, expected: Vec<(Kind, Class, Class)>) -> Case {
    Case {
        name,
        before: nothing(),
        after,
        expected,
    }
}

use Class::{Additive as Add, Breaking as Brk, None as No};

fn cases() -> Vec<Case> {
    vec![
        case(
            "op-added",
            Box::new(|t| {
                let text = fs::read_to_string(t.op_path(SEED)).expect("read");
                fs::write(t.op_path("NewThing"), text.replace(SEED, "NewThing")).expect("write");
            }),
            vec![(Kind::OperationAdded, Add, Add)],
        ),
        case(
            "op-removed",
            Box::new(|t| fs::remove_file(t.op_path(SEED)).expect("rm")),
            vec![(Kind::OperationRemoved, Brk, Brk)],
        ),
        case(
            "op-deprecated",
            Box::new(|t| t.op(&|op| op["deprecated"] = json!(true))),
            vec![(Kind::OperationDeprecated, Add, No)],
        ),
        Case {
            name: "op-undeprecated",
            before: Box::new(|t| t.op(&|op| op["deprecated"] = json!(true))),
            after: Box::new(|t| t.op(&|op| op["deprecated"] = json!(false))),
            expected: vec![(Kind::OperationUndeprecated, Add, No)],
        },
        case(
            "method",
            Box::new(|t| t.op(&|op| op["methods"] = json!(["get"]))),
            vec![(Kind::MethodChanged, No, Brk)],
        ),
        // A paged operation of the committed spec (pages by number; it also takes a token).
        Case {
            name: "paginator-added",
            before: Box::new(|t| {
                t.copy_op(PAGED);
                t.edit(&t.op_path(PAGED), &|op| {
                    op.as_object_mut().expect("object").remove("pagination");
                });
            }),
            after: Box::new(|t| t.copy_op(PAGED)),
            expected: vec![(Kind::PaginatorAdded, Add, No)],
        },
        Case {
            name: "paginator-removed",
            before: Box::new(|t| t.copy_op(PAGED)),
            after: Box::new(|t| {
                t.edit(&t.op_path(PAGED), &|op| {
                    op.as_object_mut().expect("object").remove("pagination");
                })
            }),
            expected: vec![(Kind::PaginatorRemoved, Brk, No)],
        },
        Case {
            name: "paginator-changed",
            before: Box::new(|t| t.copy_op(PAGED)),
            after: Box::new(|t| {
                t.edit(&t.op_path(PAGED), &|op| {
                    op["pagination"] = json!({
                        "inputToken": "NextToken",
                        "pageSize": "PageSize",
                        "outputToken": "PageInfo.NextToken",
                        "items": "List",
                    })
                })
            }),
            expected: vec![(Kind::PaginatorChanged, No, Brk)],
        },
        case(
            "auth",
            Box::new(|t| t.op(&|op| op["security"] = json!([]))),
            vec![(Kind::AuthChanged, No, Brk)],
        ),
        case(
            "endpoint-added",
            Box::new(|t| {
                t.product_json(&|p| {
                    p["endpoints"]
                        .as_array_mut()
                        .expect("list")
                        .push(json!({"regionId": "xx-new-1", "endpoint": "tds.example"}))
                })
            }),
            vec![(Kind::EndpointAdded, Add, Add)],
        ),
        case(
            "endpoint-removed",
            Box::new(|t| {
                t.product_json(&|p| {
                    p["endpoints"].as_array_mut().expect("list").remove(0);
                })
            }),
            vec![(Kind::EndpointRemoved, Brk, Brk)],
        ),
        case(
            "endpoint-changed",
            Box::new(|t| t.product_json(&|p| p["endpoints"][0]["endpoint"] = json!("tds.example"))),
            vec![(Kind::EndpointChanged, No, Brk)],
        ),
        case(
            "crate-renamed",
            Box::new(|t| t.product_json(&|p| p["crateName"] = json!("sas-bindings"))),
            vec![(Kind::CrateRenamed, Brk, No)],
        ),
        case(
            "optional-added",
            Box::new(|t| {
                t.op(&|op| {
                    op["parameters"].as_array_mut().expect("list").push(
                        json!({"name": "PageSize", "in": "query", "schema": {"type": "integer"}}),
                    )
                })
            }),
            vec![(Kind::OptionalFieldAdded, Add, Add)],
        ),
        case(
            "required-added",
            Box::new(|t| {
                t.op(&|op| {
                    op["parameters"].as_array_mut().expect("list").push(json!({
                        "name": "Uuid", "in": "query", "schema": {"type": "string", "required": true}
                    }))
                })
            }),
            vec![(Kind::RequiredFieldAdded, Brk, Brk)],
        ),
        case(
            "param-removed",
            Box::new(|t| {
                t.op(&|op| {
                    op["parameters"].as_array_mut().expect("list").remove(0);
                })
            }),
            vec![(Kind::RequestFieldRemoved, Brk, Brk)],
        ),
        case(
            "now-required",
            Box::new(|t| t.op(&|op| param(op, "ClusterId")["schema"]["required"] = json!(true))),
            vec![(Kind::NowRequired, Brk, Brk)],
        ),
        Case {
            name: "now-optional",
            before: Box::new(|t| {
                t.op(&|op| param(op, "ClusterId")["schema"]["required"] = json!(true))
            }),
            after: Box::new(|t| {
                t.op(&|op| param(op, "ClusterId")["schema"]["required"] = json!(false))
            }),
            expected: vec![(Kind::NowOptional, Brk, Add)],
        },
        Case {
            name: "member-added",
            before: with_filter(),
            after: Box::new(|t| {
                t.op(&|op| {
                    param(op, "Filter")["schema"]["properties"]["Uuid"] =
                        json!({"type": "string", "required": true})
                })
            }),
            expected: vec![(Kind::RequiredFieldAdded, Brk, Brk)],
        },
        Case {
            name: "member-removed",
            before: with_filter(),
            after: Box::new(|t| {
                t.op(&|op| param(op, "Filter")["schema"]["properties"] = json!({}))
            }),
            expected: vec![(Kind::RequestFieldRemoved, Brk, Brk)],
        },
        case(
            "location",
            Box::new(|t| t.op(&|op| param(op, "ClusterId")["in"] = json!("formData"))),
            vec![(Kind::LocationChanged, No, Brk)],
        ),
        case(
            "style",
            Box::new(|t| t.op(&|op| param(op, "AppNames")["style"] = json!("simple"))),
            vec![(Kind::StyleChanged, No, Brk)],
        ),
        case(
            "response-added",
            Box::new(|t| t.op(&|op| data(op)["properties"]["Region"] = json!({"type": "string"}))),
            vec![(Kind::ResponseFieldAdded, Add, Add)],
        ),
        case(
            "response-removed",
            Box::new(|t| {
                t.op(&|op| {
                    data(op)["properties"]
                        .as_object_mut()
                        .expect("map")
                        .remove("Progress");
                })
            }),
            vec![(Kind::ResponseFieldRemoved, Brk, Brk)],
        ),
        case(
            "type",
            Box::new(|t| t.op(&|op| data(op)["properties"]["TaskId"]["type"] = json!("integer"))),
            vec![(Kind::TypeChanged, Brk, Brk)],
        ),
        case(
            "format",
            Box::new(|t| {
                t.op(&|op| data(op)["properties"]["TotalCount"]["format"] = json!("int64"))
            }),
            vec![(Kind::FormatChanged, Brk, Brk)],
        ),
        case(
            "enum-introduced",
            Box::new(|t| t.op(&|op| param(op, "AppNames")["schema"]["enum"] = json!(["a", "b"]))),
            vec![(Kind::EnumIntroduced, Brk, No)],
        ),
        case(
            "enum-dropped",
            Box::new(|t| {
                t.op(&|op| {
                    param(op, "Lang")["schema"]
                        .as_object_mut()
                        .expect("map")
                        .remove("enum");
                })
            }),
            vec![(Kind::EnumDropped, Brk, No)],
        ),
        case(
            "request-value-added",
            Box::new(|t| {
                t.op(&|op| param(op, "Lang")["schema"]["enum"] = json!(["zh", "en", "ja"]))
            }),
            vec![(Kind::RequestEnumValueAdded, Add, Add)],
        ),
        case(
            "request-value-removed",
            Box::new(|t| t.op(&|op| param(op, "Lang")["schema"]["enum"] = json!(["en"]))),
            vec![(Kind::RequestEnumValueRemoved, Brk, Brk)],
        ),
        case(
            "response-value-added",
            Box::new(|t| {
                t.op(&|op| {
                    data(op)["properties"]["Status"]["enum"]
                        .as_array_mut()
                        .expect("list")
                        .push(json!("CANCELLED"))
                })
            }),
            vec![(Kind::ResponseEnumValueAdded, Add, Add)],
        ),
        case(
            "response-value-removed",
            Box::new(|t| {
                t.op(&|op| {
                    data(op)["properties"]["Status"]["enum"] = json!(["INIT", "SUCCESS", "FAIL"])
                })
            }),
            vec![(Kind::ResponseEnumValueRemoved, Brk, No)],
        ),
        case(
            "inline-to-shared",
            shared_data("ScanTask"),
            vec![(Kind::TypeRenamed, Brk, No)],
        ),
        Case {
            name: "shared-renamed",
            before: shared_data("ScanTask"),
            after: Box::new(|t| {
                t.op(&|op| *data(op) = json!({"$ref": "#/components/schemas/ContainerScanTask"}));
                t.product_json(&|p| {
                    let schemas = p["components"]["schemas"].as_object_mut().expect("map");
                    let s = schemas.remove("ScanTask").expect("schema");
                    schemas.insert("ContainerScanTask".to_owned(), s);
                });
            }),
            expected: vec![(Kind::TypeRenamed, Brk, No)],
        },
        case(
            "field-deprecated",
            Box::new(|t| t.op(&|op| param(op, "ClusterId")["schema"]["deprecated"] = json!(true))),
            vec![(Kind::FieldDeprecated, Add, No)],
        ),
        Case {
            name: "field-undeprecated",
            before: Box::new(|t| {
                t.op(&|op| data(op)["properties"]["Progress"]["deprecated"] = json!(true))
            }),
            after: Box::new(|t| {
                t.op(&|op| data(op)["properties"]["Progress"]["deprecated"] = json!(false))
            }),
            expected: vec![(Kind::FieldUndeprecated, Add, No)],
        },
        case(
            "error-added",
            Box::new(|t| {
                t.op(&|op| op["errorCodes"]["400"] = json!([{"errorCode": "InvalidParameter"}]))
            }),
            vec![(Kind::ErrorCodeAdded, Add, Add)],
        ),
        case(
            "error-removed",
            Box::new(|t| {
                t.op(&|op| {
                    op["errorCodes"].as_object_mut().expect("map").remove("403");
                })
            }),
            vec![(Kind::ErrorCodeRemoved, Brk, No)],
        ),
        case(
            "error-status",
            Box::new(|t| {
                t.op(&|op| {
                    let codes = op["errorCodes"].as_object_mut().expect("map");
                    let c = codes.remove("403").expect("403");
                    codes.insert("401".to_owned(), c);
                })
            }),
            vec![(Kind::ErrorStatusChanged, No, No)],
        ),
    ]
}

#[test]
fn every_kind_of_change_is_found_and_classified() {
    let mut seen = BTreeSet::new();
    for c in cases() {
        let (got, types_removed, types_added) = changes_and_types(c.name, &*c.before, &*c.after);
        let classes: Vec<(Kind, Class, Class)> = got
            .iter()
            .map(|ch| (ch.kind, ch.kind.rule().rust, ch.kind.rule().wire))
            .collect();
        assert_eq!(classes, c.expected, "case {}: {got:#?}", c.name);
        // The generator agrees: an edit that removes or renames a public Rust type is
        // classified breaking for Rust, and one the table calls harmless for Rust
        // (wire-only or documentation) leaves every type path as it was.
        let rust_breaking = got.iter().any(|ch| ch.kind.rule().rust == Class::Breaking);
        if !types_removed.is_empty() {
            assert!(
                rust_breaking,
                "case {}: types removed {types_removed:?} but nothing breaking for Rust",
                c.name
            );
        }
        if got.iter().all(|ch| ch.kind.rule().rust == Class::None) {
            assert!(
                types_removed.is_empty() && types_added.is_empty(),
                "case {}: no Rust change expected, types changed: -{types_removed:?} +{types_added:?}",
                c.name
            );
        }
        seen.extend(got.iter().map(|ch| ch.kind));
    }
    let all: BTreeSet<Kind> = RULES.iter().map(|r| r.kind).collect();
    let missing: Vec<_> = all.difference(&seen).collect();
    assert!(missing.is_empty(), "kinds without a case: {missing:?}");
}

#[test]
fn an_unchanged_tree_has_no_changes() {
    assert!(changes("same", &|_| {}, &|_| {}).is_empty());
}

/// The seed's change history says error 500 was deleted on 2023-10-07: applying it is one
/// breaking change for Rust (the `ServerError` variant goes) and none on the wire.
#[test]
fn the_seed_history_error_500_deleted() {
    let got = changes("history", &|_| {}, &|t| {
        t.op(&|op| {
            op["errorCodes"].as_object_mut().expect("map").remove("500");
        })
    });
    assert_eq!(got.len(), 1, "{got:#?}");
    let c = &got[0];
    assert_eq!(c.kind, Kind::ErrorCodeRemoved);
    assert_eq!(c.operation.as_deref(), Some(SEED));
    assert_eq!(
        (c.place, c.name.as_str(), c.detail.as_str()),
        ("error code", "ServerError", "HTTP 500")
    );
    let rule = c.kind.rule();
    assert_eq!(
        (rule.rust, rule.wire, rule.group),
        (Class::Breaking, Class::None, Group::Breaking)
    );
    let section = render::changelog_section("Unreleased", &[c]);
    assert_eq!(
        section,
        format!("## Unreleased\n\n### Breaking\n\n- `{SEED}`, error code `ServerError`: error code removed (HTTP 500).\n")
    );
    let report = Report {
        base: "HEAD".into(),
        head: "the working tree".into(),
        changes: got,
    };
    assert_eq!(
        render::summary(&report),
        "API changes since HEAD: 1 change(s); Rust API: 1 breaking, 0 additive; wire: 0 breaking, 0 additive (details: cargo xtask api-diff)"
    );
}

fn sample_report() -> Report {
    let got = changes("render", &|_| {}, &|t| {
        t.op(&|op| {
            op["errorCodes"].as_object_mut().expect("map").remove("500");
            param(op, "ClusterId")["in"] = json!("formData");
            param(op, "Lang")["schema"]["enum"] = json!(["zh", "en", "ja"]);
        })
    });
    Report {
        base: "HEAD".into(),
        head: "the working tree".into(),
        changes: got,
    }
}

#[test]
fn json_output_shape() {
    let v = render::json(&sample_report());
    assert_eq!(v["base"], "HEAD");
    assert_eq!(
        v["summary"],
        json!({"changes": 3, "rust": {"breaking": 1, "additive": 1}, "wire": {"breaking": 1, "additive": 1}})
    );
    let first = &v["changes"][0];
    assert_eq!(
        first,
        &json!({
            "product": "Sas 2018-12-03", "operation": SEED, "kind": "location-changed",
            "place": "parameter", "name": "ClusterId", "detail": "query → formData",
            "rust": "none", "wire": "breaking", "changelog": "fixed"
        })
    );
    let kinds: Vec<&str> = v["changes"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|c| c["kind"].as_str())
        .collect();
    assert_eq!(
        kinds,
        [
            "location-changed",
            "request-enum-value-added",
            "error-code-removed"
        ]
    );
}

#[test]
fn markdown_output_shape() {
    let md = render::markdown(&sample_report());
    let expected = format!(
        "### API changes: HEAD → the working tree\n\n\
3 change(s). Rust API: **1 breaking**, 1 additive. Wire: **1 breaking**, 1 additive.\n\n\
#### Sas 2018-12-03\n\n\
| operation | change | where | detail | Rust API | wire |\n\
| --- | --- | --- | --- | --- | --- |\n\
| `{SEED}` | parameter location changed (query, formData, header) | parameter `ClusterId` | query → formData | none | **breaking** |\n\
| `{SEED}` | request enum value added | parameter `Lang` | value ja | additive | additive |\n\
| `{SEED}` | error code removed | error code `ServerError` | HTTP 500 | **breaking** | none |\n"
    );
    assert_eq!(md, expected);
}

/// The classification table in spec/README.md is the one the code follows.
#[test]
fn spec_readme_shows_the_rules_table() {
    let readme = fs::read_to_string(repo().join("spec/README.md")).expect("read");
    let table = rules::markdown_table();
    assert!(
        readme.contains(&table),
        "spec/README.md must hold the table that `cargo xtask api-diff --rules` prints:\n{table}"
    );
}

#[test]
fn version_check() {
    let breaking = Change {
        product: "Sas 2018-12-03".into(),
        operation: Some(SEED.into()),
        kind: Kind::ErrorCodeRemoved,
        place: "error code",
        name: "ServerError".into(),
        detail: String::new(),
    };
    let additive = Change {
        kind: Kind::ErrorCodeAdded,
        ..breaking.clone()
    };
    let bump = |old: &str, new: &str, c: &[&Change]| {
        matches!(
            release::check_version(old, new, c).expect("versions"),
            Verdict::Bump(_)
        )
    };
    assert!(bump("0.1.0", "0.1.0", &[&breaking]));
    assert!(bump("0.1.0", "0.1.7", &[&breaking]));
    assert!(!bump("0.1.0", "0.2.0", &[&breaking]));
    assert!(!bump("0.1.3", "1.0.0", &[&breaking]));
    assert!(bump("1.2.0", "1.3.0", &[&breaking]));
    assert!(!bump("1.2.0", "2.0.0", &[&breaking]));
    assert!(!bump("0.1.0", "0.1.0", &[&additive]));
    assert!(!bump("0.1.0", "0.1.0", &[]));
    assert!(bump("0.2.0", "0.1.9", &[]));
    match release::check_version("0.1.0", "0.1.0", &[&breaking]).expect("versions") {
        Verdict::Bump(m) => assert!(m.contains("set crateVersion to 0.2.0"), "{m}"),
        Verdict::Ok(m) => panic!("expected a bump: {m}"),
    }
    assert!(release::check_version("0.1", "0.1.0", &[]).is_err());
}

#[test]
fn changelog_draft_replaces_only_the_unreleased_section() {
    let section = "## Unreleased\n\n### Added\n\n- `X`: operation added.\n";
    let fresh = release::put_unreleased("", section);
    assert_eq!(fresh, format!("# Changelog\n\n{section}"));
    let with_release = "# Changelog\n\nNotes.\n\n## 0.1.0\n\n### Added\n\n- first.\n";
    let drafted = release::put_unreleased(with_release, section);
    assert_eq!(
        drafted,
        format!("# Changelog\n\nNotes.\n\n{section}\n## 0.1.0\n\n### Added\n\n- first.\n")
    );
    let redrafted = release::put_unreleased(&drafted, "## Unreleased\n\nNo API changes.\n");
    assert_eq!(
        redrafted,
        "# Changelog\n\nNotes.\n\n## Unreleased\n\nNo API changes.\n\n## 0.1.0\n\n### Added\n\n- first.\n"
    );
    let released = release::release_unreleased(&redrafted, "0.2.0").expect("has Unreleased");
    assert!(released.contains("## 0.2.0\n\nNo API changes."));
    assert!(release::release_unreleased(with_release, "0.2.0").is_none());
}

fn git(dir: &Path, args: &[&str]) {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.invalid"])
        .args(args)
        .output()
        .expect("git runs (api-diff reads revisions with it)");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A revision is read from git history, not from the working tree; a missing revision is a
/// clear error; a revision without the spec directory has no products.
#[test]
fn reads_specs_at_a_git_revision() {
    let t = Tree::new("git");
    let repo = t.0.join("repo");
    fs::create_dir_all(&repo).expect("mkdir");
    git(&repo, &["init", "-q"]);
    fs::write(repo.join("README"), "x\n").expect("write");
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-qm", "first"]);
    let spec = repo.join("spec");
    fs::create_dir_all(&spec).expect("mkdir");
    fs::rename(t.0.join("sas"), spec.join("sas")).expect("move");
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-qm", "spec"]);
    let op = spec.join(format!("sas/2018-12-03/operations/{SEED}.json"));
    t.edit(&op, &|op| {
        op["errorCodes"].as_object_mut().expect("map").remove("500");
    });

    let head = source::git_rev(&repo, "HEAD", "spec").expect("HEAD");
    let work = source::spec_dir(&spec).expect("working tree");
    let got = sas_codegen::diff::compare(&head, &work);
    assert_eq!(
        got.iter().map(|c| c.kind).collect::<Vec<_>>(),
        [Kind::ErrorCodeRemoved]
    );

    let before = source::git_rev(&repo, "HEAD~1", "spec").expect("HEAD~1");
    assert!(before.is_empty());
    let all_new = sas_codegen::diff::compare(&before, &work);
    assert_eq!(
        all_new.iter().map(|c| c.kind).collect::<Vec<_>>(),
        [Kind::OperationAdded]
    );

    let err = source::git_rev(&repo, "no-such-rev", "spec").expect_err("missing revision");
    assert!(err.contains("no git revision \"no-such-rev\""), "{err}");
}

/// The baseline file round-trips the surface it records.
#[test]
fn baseline_round_trips() {
    let t = Tree::new("baseline");
    let surfaces = source::spec_dir(&t.0).expect("loads");
    let text = source::baseline_text(&surfaces[0]);
    fs::write(t.product().join(source::BASELINE_FILE), &text).expect("write");
    let back = source::baseline(&t.product())
        .expect("reads")
        .expect("present");
    assert_eq!(back, surfaces[0]);
    assert!(sas_codegen::diff::compare(&[back], &surfaces).is_empty());
}

/// The whole official Security Center metadata (read in place from `../shared`, or from the file
/// `SAS_METADATA` names; skipped when absent): its
/// surface round-trips through a baseline file, compares equal to itself, and a refresh that
/// removes an operation, adds an optional parameter and drops an error code reports exactly
/// those three changes.
#[test]
fn official_metadata_refresh() {
    let metadata = std::env::var_os("SAS_METADATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("../shared/alibaba-metadata/sas-2018-12-03.api-docs.json"));
    let Ok(text) = fs::read_to_string(&metadata) else {
        println!("SKIPPED: {} not found", metadata.display());
        return;
    };
    let imported =
        sas_codegen::import::import(&metadata, &text, &sas_codegen::import::Selection::All)
            .expect("imports");
    let t = Tree::new("official");
    fs::remove_dir_all(t.product()).expect("rm");
    for (rel, contents) in &imported.files {
        let path = t.product().join(rel);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(path, contents).expect("write");
    }
    let old = source::spec_dir(&t.0).expect("loads");
    assert_eq!(old[0].operations.len(), imported.operations.len());
    let text = source::baseline_text(&old[0]);
    let back: sas_codegen::diff::ProductSurface = serde_json::from_str(&text).expect("baseline");
    assert_eq!(back, old[0]);

    let ops = &imported.operations;
    fs::remove_file(t.op_path(&ops[0])).expect("rm");
    t.edit(&t.op_path(&ops[1]), &|op| {
        op["parameters"]
            .as_array_mut()
            .expect("list")
            .push(json!({"name": "ZzNew", "in": "query", "schema": {"type": "string"}}))
    });
    let with_errors = ops
        .iter()
        .skip(2)
        .find(|o| {
            let v: Value = serde_json::from_str(&fs::read_to_string(t.op_path(o)).expect("read"))
                .expect("json");
            v["errorCodes"].as_object().is_some_and(|m| !m.is_empty())
        })
        .expect("an operation with error codes");
    t.edit(&t.op_path(with_errors), &|op| {
        let codes = op["errorCodes"].as_object_mut().expect("map");
        let status = codes.keys().next().cloned().expect("status");
        let list = codes[&status].as_array_mut().expect("list");
        list.remove(0);
        if list.is_empty() {
            codes.remove(&status);
        }
    });
    let new = source::spec_dir(&t.0).expect("loads");
    let got = sas_codegen::diff::compare(&old, &new);
    let kinds: Vec<(Option<&str>, Kind)> = got
        .iter()
        .map(|c| (c.operation.as_deref(), c.kind))
        .collect();
    assert_eq!(
        kinds,
        [
            (Some(ops[0].as_str()), Kind::OperationRemoved),
            (Some(ops[1].as_str()), Kind::OptionalFieldAdded),
            (Some(with_errors.as_str()), Kind::ErrorCodeRemoved),
        ]
    );
    assert!(sas_codegen::diff::compare(&new, &new).is_empty());
}

/// What `cargo xtask ci` runs (`api-diff --check-version`): against the recorded baseline, a
/// breaking change fails until `crateVersion` takes a breaking step; an additive one passes.
#[test]
fn ci_version_check_against_the_baseline() {
    let t = Tree::new("ci");
    // The scratch copy starts as release 0.1.0, whatever the committed version is.
    t.product_json(&|p| p["crateVersion"] = json!("0.1.0"));
    let surfaces = source::spec_dir(&t.0).expect("loads");
    fs::write(
        t.product().join(source::BASELINE_FILE),
        source::baseline_text(&surfaces[0]),
    )
    .expect("write");
    let check = |t: &Tree| {
        let products = source::products(&t.0).expect("loads");
        let old = source::baselines(&products).expect("baselines");
        let new: Vec<_> = products.iter().map(|(_, s)| s.clone()).collect();
        let report = Report::new("the release baselines", "scratch", &old, &new);
        let checks = release::check_products(&products, &old, &report).expect("versions");
        assert_eq!(checks.len(), 1);
        checks[0].failure()
    };
    assert_eq!(check(&t), None);
    t.op(&|op| op["errorCodes"]["400"] = json!([{"errorCode": "InvalidParameter"}]));
    assert_eq!(check(&t), None, "additive changes need no bump");
    t.op(&|op| {
        op["errorCodes"].as_object_mut().expect("map").remove("500");
    });
    let failure = check(&t).expect("a breaking change without a bump fails");
    assert!(
        failure.contains("1 Rust-API breaking change(s) since 0.1.0"),
        "{failure}"
    );
    assert!(failure.contains("set crateVersion to 0.2.0"), "{failure}");
    assert!(failure.contains("product.json"), "{failure}");
    t.product_json(&|p| p["crateVersion"] = json!("0.1.1"));
    assert!(check(&t).is_some(), "a patch bump is not enough");
    t.product_json(&|p| p["crateVersion"] = json!("0.2.0"));
    assert_eq!(check(&t), None);
}
