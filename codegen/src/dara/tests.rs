//! Parser and builder tests on small snippets written for these tests.

use super::*;
use crate::import::Selection;
use crate::json_ext::JsonExt as _;
use serde_json::Value as Json;

const DARA: &str = r#"
import Handler;
extends Base;
type @product = string
type @endpointMap = map[string]string

init(c: Config){
  @product = 'Demo';
  @version = '2021-01-01';
  @endpointMap = {
    'r-one' = 'demo.r-one.example.com',
    'r-two' = 'demo.example.com',
  };
}

model PingRequest {
  id: long(name='Id', position='Query'),
  tags?: [ string ](name='Tags', description='Valid values:

* **a**
* **b**', position='Query'),
  filter?: {
    key?: string(name='Key'),
    size?: int32(name='Size', minimum=1, maximum=9),
  }(name='Filter', shrink='json', position='Query'),
  extra?: map[string]any(name='Extra', position='Body'),
  old?: string(name='Old', deprecated='true', position='Query'),
  grid?: [[ double ]  ](name='Grid', position='Query'),
  ratio?: float(name='Ratio', position='Query'),
  on?: boolean(name='On', position='Query'),
  ids?: [ int32 ](name='Ids', shrink='simple', position='Query'),
}

model PingResponseBody = {
  data?: {
    items?: [
      {
        name?: string(name='Name', example='it\'s'),
      }
    ](name='Items'),
  }(name='Data'),
  requestId?: string(name='RequestId'),
}

model PingResponse = {
  headers?: map[string]string(name='headers'),
  statusCode?: int32(name='statusCode'),
  body?: PingResponseBody(name='body'),
}

/**
 * @deprecated use Pong
 */
// Deprecated
async function ping(request: PingRequest): PingResponse {
  @handler.validateRequestModel(request);
  return @handler.do('RPC', 'Ping', 'GET', '/', 'json', false, 'json', request);
}
"#;

fn surface(text: &str) -> Surface {
    match read((std::path::Path::new("demo.dara"), text), None) {
        Ok(s) => s,
        Err(e) => panic!("{e:?}"),
    }
}

#[test]
fn reads_facts_and_nothing_else() {
    let s = surface(DARA);
    assert_eq!(
        (s.product.as_str(), s.version.as_str()),
        ("Demo", "2021-01-01")
    );
    assert_eq!(s.endpoints.len(), 2);
    assert_eq!(
        s.endpoints[1],
        ("r-two".to_owned(), "demo.example.com".to_owned())
    );
    let op = &s.operations["Ping"].json;
    let text = op.pretty();
    assert!(!text.contains("description") && !text.contains("example"));
    assert_eq!(
        op.get("methods"),
        Some(&Json::Array(vec![Json::String("get".into())]))
    );
    assert_eq!(op.get("deprecated"), Some(&Json::Bool(true)));
    let Some(Json::Array(params)) = op.get("parameters") else {
        panic!("no parameters");
    };
    let p = |i: usize| params[i].pretty().replace([' ', '\n'], "");
    assert_eq!(
        p(0),
        r#"{"name":"Id","in":"query","schema":{"type":"integer","format":"int64","required":true}}"#
    );
    assert_eq!(
        p(1),
        r#"{"name":"Tags","in":"query","style":"repeatList","schema":{"type":"array","items":{"type":"string","enum":["a","b"]}}}"#
    );
    assert_eq!(
        p(2),
        r#"{"name":"Filter","in":"query","style":"json","schema":{"type":"object","properties":{"Key":{"type":"string"},"Size":{"type":"integer","format":"int32","minimum":"1","maximum":"9"}}}}"#
    );
    assert_eq!(
        p(3),
        r#"{"name":"Extra","in":"formData","style":"flat","schema":{"type":"object","additionalProperties":{"type":"any"}}}"#
    );
    assert_eq!(
        p(4),
        r#"{"name":"Old","in":"query","schema":{"type":"string","deprecated":true}}"#
    );
    assert_eq!(
        p(5),
        r#"{"name":"Grid","in":"query","style":"repeatList","schema":{"type":"array","items":{"type":"array","items":{"type":"number","format":"double"}}}}"#
    );
    assert!(p(6).contains(r#""format":"float""#));
    assert!(p(7).contains(r#""type":"boolean""#));
    assert!(p(8).contains(r#""style":"simple""#));
    let body = op
        .get("responses")
        .and_then(|r| r.get("200"))
        .and_then(|r| r.get("schema"));
    let body = body
        .map(|b| b.pretty().replace([' ', '\n'], ""))
        .unwrap_or_default();
    assert_eq!(
        body,
        r#"{"type":"object","properties":{"Data":{"type":"object","properties":{"Items":{"type":"array","items":{"type":"object","properties":{"Name":{"type":"string"}}}}}},"RequestId":{"type":"string"}}}"#
    );
}

const TEA: &str = r#"
model PingRequest {
  id?: long(name='Id'),
  tags?: [ string ](name='Tags'),
}
model PingShrinkRequest {
  id?: long(name='Id'),
  tagsShrink?: string(name='Tags'),
}
model PingResponse = {
  body?: PingResponseBody(name='body'),
}
model PingResponseBody = {
  requestId?: string(name='RequestId'),
}
async function pingWithOptions(tmpReq: PingRequest, runtime: Util.RuntimeOptions): PingResponse {
  var request = new PingShrinkRequest{};
  if (!Util.isUnset(tmpReq.tags)) {
    request.tagsShrink = OpenApiUtil.arrayToStringWithSpecifiedStyle(tmpReq.tags, 'Tags', 'json');
  }
  var query = {};
  if (!Util.isUnset(request.id)) {
    query['Id'] = request.id;
  }
  var body : map[string]any = {};
  body['Tags'] = request.tagsShrink;
  var params = new OpenApi.Params{
    action = 'Ping',
    method = 'POST',
    style = 'RPC',
  };
  return callApi(params, req, runtime);
}
async function ping(request: PingRequest): PingResponse {
  var runtime = new Util.RuntimeOptions{};
  return pingWithOptions(request, runtime);
}
"#;

#[test]
fn tea_client_gives_places_and_styles() {
    let dara = r#"
init(c: C) { @product = 'Demo'; @version = '1'; }
model PingRequest {
  id?: long(name='Id'),
  tags?: [ string ](name='Tags'),
}
model PingResponseBody = { requestId?: string(name='RequestId'), }
model PingResponse = { body?: PingResponseBody(name='body'), }
async function ping(request: PingRequest): PingResponse {
  return @handler.do('RPC', 'Ping', 'GET', '/', 'json', false, 'json', request);
}
"#;
    let s = match read(
        (std::path::Path::new("a.dara"), dara),
        Some((std::path::Path::new("b.tea"), TEA)),
    ) {
        Ok(s) => s,
        Err(e) => panic!("{e:?}"),
    };
    let b = &s.operations["Ping"];
    let params = b
        .json
        .get("parameters")
        .map(Json::pretty)
        .unwrap_or_default();
    let compact = params.replace([' ', '\n'], "");
    assert!(
        compact.contains(r#"{"name":"Id","in":"query","schema""#),
        "{compact}"
    );
    assert!(
        compact.contains(r#"{"name":"Tags","in":"formData","style":"json""#),
        "{compact}"
    );
    // The method differs between the files: Darabonba kept, noted.
    assert!(
        b.notes.iter().any(|n| n.starts_with("method: GET")),
        "{:?}",
        b.notes
    );
    assert!(b
        .notes
        .iter()
        .any(|n| n.contains("Tags: style json from the Tea client")));
}

#[test]
fn errors_name_the_line() {
    let cases = [
        ("model A {\n  x?: string(name='X'\n}", "line 3"),
        ("model A {\n  x? string\n}", "line 2"),
        ("init(c: C) {\n", "line 1"),
        ("model A { x?: string(name='X) }", "line 1"),
        ("/* open", "line 1"),
        ("banana", "line 1"),
        ("model A {} model A {}", "line 1"),
        (
            "\n\nasync function f(r: R): S {\n  @handler.do('RPC', x, 'GET');\n}",
            "line 4",
        ),
    ];
    for (text, line) in cases {
        match read((std::path::Path::new("x.dara"), text), None) {
            Ok(_) => panic!("accepted {text:?}"),
            Err(e) => assert_eq!(e[0].path, line, "{text:?}: {}", e[0]),
        }
    }
    // A request field with no position in either file.
    let no_pos = DARA.replace("name='Id', position='Query'", "name='Id'");
    let e = read((std::path::Path::new("x.dara"), &no_pos), None).err();
    let msg = e.map(|e| e[0].to_string()).unwrap_or_default();
    assert!(
        msg.contains("expected a `position` for request field Id"),
        "{msg}"
    );
}

#[test]
fn merge_keeps_error_codes_and_reports_differences() {
    let s = surface(DARA);
    let api_docs = r#"{"info": {"style": "RPC", "product": "Demo", "version": "2021-01-01"},
      "apis": {
        "Ping": {"methods": ["post", "get"], "parameters": [
            {"name": "Id", "in": "query", "schema": {"type": "string"}},
            {"name": "Gone", "in": "query", "schema": {"type": "string"}},
            {"name": "Old", "in": "query", "schema": {"type": "string", "enumValueTitles": {"x": "t", "y": "u"}}},
            {"name": "Tags", "in": "query", "style": "flat", "schema": {"type": "array", "items": {"type": "string"}}}
          ],
          "responses": {"200": {"schema": {"type": "object", "properties": {"RequestId": {"type": "integer"}}}}},
          "errorCodes": {"400": [{"errorCode": "Bad.Thing", "errorMessage": "prose"}]}},
        "Old": {"methods": ["post"]}
      }}"#;
    let (import, report) = match merge(
        &s,
        Some((std::path::Path::new("api.json"), api_docs)),
        &Selection::All,
    ) {
        Ok(x) => x,
        Err(e) => panic!("{e:?}"),
    };
    assert_eq!(report.removed, vec!["Old"]);
    assert_eq!(report.both, vec!["Ping"]);
    assert!(report.added.is_empty());
    let c = &report.conflicts["Ping"];
    for expected in [
        "method POST → GET",
        "deprecated false → true",
        "parameter Gone removed",
        "parameter Id: required false → true",
        "parameter Id: type string → integer/int64",
        "parameter Tags: style flat → repeatList",
        "parameter Filter added",
        "response field RequestId: type integer/int64 → string",
        "response field Data added (object)",
    ] {
        assert!(
            c.iter().any(|l| l == expected),
            "missing {expected:?} in {c:#?}"
        );
    }
    assert_eq!(report.error_codes_kept["Ping"], 1);
    // Valid values only the api-docs metadata lists are kept (the values, not the titles).
    assert_eq!(report.enums_kept["Ping"], vec!["parameter Old"]);
    let op = &import.files[1].1;
    assert!(op.contains("\"errorCode\": \"Bad.Thing\""));
    assert!(!op.contains("prose"));
    let compact = op.replace([' ', '\n'], "");
    assert!(compact.contains(r#""name":"Old","in":"query","schema":{"type":"string","deprecated":true,"enum":["x","y"]}"#), "{compact}");
    assert!(compact.starts_with(r#"{"importedFrom":"darabonba","action":"Ping""#));
    assert_eq!(
        import.default_dir,
        std::path::PathBuf::from("spec/demo/2021-01-01")
    );
    assert!(report
        .to_string()
        .contains("removed: only in api-docs, not imported (1):\n  Old"));
}

proptest::proptest! {
    #[test]
    fn arbitrary_input_never_panics(text in "\\PC{0,300}") {
        let _ = read((std::path::Path::new("x.dara"), &text), Some((std::path::Path::new("y.tea"), &text)));
    }

    #[test]
    fn token_soup_never_panics(parts in proptest::collection::vec(proptest::sample::select(vec![
        "model", "A", "{", "}", "(", ")", "[", "]", "?", ":", ",", "=", "'x'", "string", "map",
        "@", "handler", ".", "do", "async", "function", "init", "type", "1", "-", "name", ";",
        "new", "OpenApi", "Params", "query", "body", "/*", "*/", "//", "\n",
    ]), 0..80)) {
        let text = parts.join(" ");
        let _ = read((std::path::Path::new("x.dara"), &text), Some((std::path::Path::new("y.tea"), &text)));
    }

    #[test]
    fn mutated_snippet_never_panics(cut in 0usize..2000, len in 0usize..40, insert in "\\PC{0,5}") {
        let mut text: Vec<char> = DARA.chars().collect();
        let at = cut.min(text.len());
        let end = (at + len).min(text.len());
        text.splice(at..end, insert.chars());
        let text: String = text.into_iter().collect();
        let _ = read((std::path::Path::new("x.dara"), &text), None);
    }
}
