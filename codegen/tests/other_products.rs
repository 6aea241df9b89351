//! Other products' metadata: the import's tolerance (unknown keys counted, entries the model
//! cannot hold skipped), generation that skips a broken operation with its located error, and
//! ROA operations (path template, path and body parameters) checked and emitted.

use sas_codegen::import::{self, Selection};
use sas_codegen::{tolerant, Options};
use std::path::Path;

fn roa_doc(extra_api: &str) -> String {
    format!(
        r#"{{
  "version": "1.0",
  "info": {{"style": "ROA", "product": "Demo", "version": "2023-09-30"}},
  "endpoints": [{{"regionId": "cn-beijing", "endpoint": "demo.cn-beijing.aliyuncs.com"}}],
  "apis": {{
    "CreateTask": {{
      "path": "/openapi/tasks/{{TaskId}}", "methods": ["put"], "consumes": ["application/json"],
      "tags": ["unknown to the format"],
      "parameters": [
        {{"name": "TaskId", "in": "path", "schema": {{"type": "string", "isFileTransferUrl": false}}}},
        {{"name": "type", "in": "query", "schema": {{"type": "string"}}}},
        {{"name": "body", "in": "body", "style": "json", "schema": {{"type": "object",
          "properties": {{"AppKey": {{"type": "string"}}, "Tags": {{"type": "array"}}}}}}}}
      ],
      "responses": {{"200": {{"schema": {{"type": "object", "properties": {{"RequestId": {{"type": "string"}}}}}},
        "description": "prose under a response"}}}}
    }}{extra_api}
  }}
}}"#
    )
}

fn generate(
    doc: &str,
) -> (
    import::Import,
    Result<tolerant::Partial, Vec<sas_codegen::diag::SpecError>>,
) {
    let imported = import::import(Path::new("demo.json"), doc, &Selection::All).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("demo/2023-09-30");
    import::write(&dir, &imported, false).unwrap();
    let opts = Options {
        example_tests: false,
        ..Options::default()
    };
    let out = tolerant::generate_product(&dir, tmp.path(), &opts);
    (imported, out)
}

#[test]
fn a_roa_operation_imports_and_generates_with_its_path() {
    let (imported, out) = generate(&roa_doc(""));
    // Unknown keys are dropped and counted; known prose is dropped silently.
    assert_eq!(
        imported.dropped,
        vec![("isFileTransferUrl".to_owned(), 1), ("tags".to_owned(), 1)]
    );
    assert_eq!(imported.normalized.len(), 1, "{:?}", imported.normalized);
    let partial = out.unwrap();
    assert!(partial.skipped.is_empty());
    let files = &partial.output.1;
    let op = &files["src/operations/create_task.rs"];
    assert!(
        op.contains("const METHOD: rt::Method = rt::Method::Put;"),
        "{op}"
    );
    assert!(
        op.contains(r#"const PATH: Option<&'static str> = Some("/openapi/tasks/{TaskId}");"#),
        "{op}"
    );
    // Parameters go through the runtime's `put_params!` table: location and style per field.
    assert!(
        op.contains(r#"task_id = "TaskId"(Path, Plain) required"#),
        "{op}"
    );
    assert!(op.contains(r#"body = "body"(Body, Json)"#), "{op}");
    // The path parameter is required: it is a field of the required companion.
    assert!(op.contains("pub struct CreateTaskRequired"), "{op}");
}

#[test]
fn a_broken_operation_is_skipped_with_its_location_and_the_rest_generates() {
    let extra = r#",
    "Broken": {"path": "/x/{Missing}", "methods": ["get"], "parameters": [], "responses": {}},
    "TwoBodies": {"path": "/y", "methods": ["post"], "parameters": [
      {"name": "a", "in": "body", "schema": {"type": "string"}},
      {"name": "b", "in": "body", "schema": {"type": "string"}}], "responses": {}},
    "Odd": {"path": "/z", "methods": ["post"], "parameters": [
      {"name": "h", "in": "host", "schema": {"type": "string"}}], "responses": {}}"#;
    let (imported, out) = generate(&roa_doc(extra));
    // `in: host` is not in the spec model: skipped by the import, with the source's path.
    assert_eq!(imported.skipped.len(), 1);
    assert_eq!(imported.skipped[0].0, "Odd");
    assert!(
        imported.skipped[0]
            .1
            .contains("$.apis.Odd.parameters[0].in"),
        "{:?}",
        imported.skipped
    );
    let partial = out.unwrap();
    assert_eq!(partial.output.3, 1, "CreateTask generates");
    let skipped: Vec<(&str, String)> = partial
        .skipped
        .iter()
        .map(|s| (s.action.as_str(), s.errors[0].path.clone()))
        .collect();
    assert_eq!(
        skipped,
        vec![
            ("Broken", "$.path".to_owned()),
            ("TwoBodies", "$.parameters[1]".to_owned())
        ]
    );
    assert!(partial.skipped[0].errors[0].expected.contains("Missing"));
}

#[test]
fn rpc_products_reject_path_and_body_parameters() {
    let doc = r#"{"info": {"style": "RPC", "product": "R", "version": "2020-01-01"},
      "apis": {"A": {"methods": ["post"], "parameters": [
        {"name": "p", "in": "path", "schema": {"type": "string"}}], "responses": {}},
        "B": {"methods": ["post", "put"], "parameters": [], "responses": {}}}}"#;
    let (imported, out) = generate(doc);
    // `put` beside `post` on an RPC operation is dropped by the import's rule.
    assert_eq!(imported.normalized.len(), 1);
    let partial = out.unwrap();
    assert_eq!(partial.output.3, 1);
    assert_eq!(partial.skipped[0].action, "A");
    assert_eq!(partial.skipped[0].errors[0].path, "$.parameters[0].in");
}
