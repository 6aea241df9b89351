//! Committed spec files that came from an import keep only facts: every key of every file
//! marked `importedFrom` is on the allow-lists of `sas_codegen::facts`, and no string in it
//! reads like prose. Hand-written files (the seed's) are not marked and keep their English text.

use sas_codegen::facts;
use serde_json::Value as Json;
use std::path::{Path, PathBuf};

fn spec_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec")
}

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            json_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "json") {
            out.push(p);
        }
    }
}

/// Strings a fact can hold are names, codes, values and patterns: short, one line. Prose is
/// sentences. A string with a line break, or with three spaces-separated words ending in a
/// full stop, is reported.
fn prose_strings(v: &Json, path: &str, out: &mut Vec<String>) {
    match v {
        Json::String(s) => {
            let sentence = s.split_whitespace().count() >= 4 && s.trim_end().ends_with('.');
            if s.contains('\n') || sentence || s.chars().count() > 200 {
                out.push(format!("{path}: {s:?}"));
            }
        }
        Json::Array(items) => {
            for (i, x) in items.iter().enumerate() {
                prose_strings(x, &format!("{path}[{i}]"), out);
            }
        }
        Json::Object(m) => {
            for (k, x) in m {
                prose_strings(x, &format!("{path}.{k}"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn imported_spec_files_hold_only_facts() {
    let mut files = Vec::new();
    json_files(&spec_root(), &mut files);
    files.sort();
    let (mut imported, mut hand_written) = (0, 0);
    let mut problems = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let json: Json = serde_json::from_str(&text).unwrap();
        if !facts::is_imported(&json) {
            hand_written += 1;
            continue;
        }
        imported += 1;
        let is_product = f.file_name().is_some_and(|n| n == "product.json");
        let mut bad = if is_product {
            facts::product_violations(&json)
        } else {
            facts::violations(&json)
        };
        prose_strings(&json, "$", &mut bad);
        problems.extend(bad.into_iter().map(|b| format!("{}: {b}", f.display())));
    }
    assert!(
        problems.is_empty(),
        "{} non-fact entries in imported spec files:\n{}",
        problems.len(),
        problems.join("\n")
    );
    println!("{imported} imported spec files hold only facts; {hand_written} hand-written");
    assert!(imported > 0, "no imported spec file found under spec/");
    // The seed's spec and the product file are ours and stay hand-written.
    assert!(hand_written >= 2);
}

#[test]
fn the_check_fails_on_prose() {
    let op: Json = serde_json::from_str(
        r#"{"importedFrom": "api-docs", "action": "A",
            "parameters": [{"name": "P", "in": "query", "schema": {"type": "string", "description": "The ID of the instance."}}],
            "responses": {"200": {"schema": {"type": "object", "properties": {"E": {"type": "string", "enum": ["The value is set when ready."]}}}}}}"#,
    )
    .unwrap();
    assert_eq!(
        facts::violations(&op),
        vec!["$.parameters[0].schema.description"]
    );
    let mut prose = Vec::new();
    prose_strings(&op, "$", &mut prose);
    assert_eq!(prose.len(), 2, "{prose:?}");
}
