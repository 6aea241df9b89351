//! ROA operations through the generic client against a loopback server: method, path with
//! encoded parameters, query, JSON and form bodies, header parameters, and a V3 signature over
//! the path that the server can recompute; a missing path parameter is refused before sending.

mod common;

use alibabacloud_runtime::{
    signer, AnyCode, Client, ClientBuilder, Credentials, Error, Location, Method, Operation,
    Params, RetryPolicy, Style, Value,
};
use common::*;
use serde_json::json;

/// A ROA operation: `PUT /api/v1/clusters/{ClusterId}/nodes`, a query parameter, a header
/// parameter and a JSON (or, without it, form) body.
#[derive(Clone)]
struct PutNodes {
    cluster: Option<String>,
    count: Option<i64>,
    body: Option<Value>,
    form: Option<String>,
}

impl Operation for PutNodes {
    const ACTION: &'static str = "PutNodes";
    const METHOD: Method = Method::Put;
    const PATH: Option<&'static str> = Some("/api/v1/clusters/{ClusterId}/nodes");
    type Output = Value;
    type ErrorCode = AnyCode;
    fn write_params(&self, params: &mut Params) {
        params.put(
            "ClusterId",
            Location::Path,
            Style::Plain,
            self.cluster.as_ref(),
        );
        params.put("count", Location::Query, Style::Plain, self.count.as_ref());
        params.put(
            "x-acs-node-pool",
            Location::Header,
            Style::Plain,
            Some("np-1"),
        );
        params.put("body", Location::Body, Style::Json, self.body.as_ref());
        params.put("Note", Location::Form, Style::Plain, self.form.as_ref());
    }
}

fn client(server: &TestServer) -> Client {
    ClientBuilder::new(&SAS)
        .endpoint(server.url())
        .credentials(Credentials::new("test-id", "test-secret"))
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap()
}

/// Recomputes the V3 signature of `r` as received and compares it with its `authorization`.
fn assert_signed(r: &Recorded) {
    let auth = r.header("authorization").expect("signed");
    let signed: Vec<&str> = auth
        .split("SignedHeaders=")
        .nth(1)
        .and_then(|s| s.split(',').next())
        .unwrap()
        .split(';')
        .collect();
    let headers: Vec<(&str, &str)> = signed.iter().map(|k| (*k, r.header(k).unwrap())).collect();
    let hash = signer::sha256_hex(&r.body);
    assert_eq!(r.header("x-acs-content-sha256"), Some(hash.as_str()));
    let expected = signer::sign_v3(
        &signer::V3Input {
            method: &r.method,
            path: &r.path,
            canonical_query: &r.query,
            headers: &headers,
            body_sha256: &hash,
        },
        "test-secret",
    );
    assert_eq!(auth, expected.authorization("test-id"));
}

#[tokio::test]
async fn a_json_body_put_goes_to_the_encoded_path_signed_over_it() {
    let server = TestServer::start(|_, _| Reply::json(200, json!({"requestId": "r"}))).await;
    let op = PutNodes {
        cluster: Some("c 1/é".into()),
        count: Some(3),
        body: Some(json!({"z": 1, "a": {"y": "é", "b": [true]}})),
        form: None,
    };
    client(&server).call(&op).await.unwrap();
    let r = &server.requests()[0];
    assert_eq!(r.method, "PUT");
    assert_eq!(r.path, "/api/v1/clusters/c%201%2F%C3%A9/nodes");
    assert_eq!(r.query, "count=3");
    assert_eq!(
        r.header("content-type"),
        Some("application/json; charset=utf-8")
    );
    assert_eq!(
        String::from_utf8(r.body.clone()).unwrap(),
        r#"{"a":{"b":[true],"y":"é"},"z":1}"#
    );
    assert_eq!(r.header("x-acs-node-pool"), Some("np-1"));
    assert!(r
        .header("authorization")
        .unwrap()
        .contains("x-acs-node-pool"));
    assert_signed(r);
}

#[tokio::test]
async fn form_parameters_of_a_roa_operation_are_a_form_body() {
    let server = TestServer::start(|_, _| Reply::json(200, json!({}))).await;
    let op = PutNodes {
        cluster: Some("c".into()),
        count: None,
        body: None,
        form: Some("a b".into()),
    };
    client(&server).call(&op).await.unwrap();
    let r = &server.requests()[0];
    assert_eq!(r.path, "/api/v1/clusters/c/nodes");
    assert_eq!(r.query, "");
    assert_eq!(
        r.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(r.body, b"Note=a%20b");
    assert_signed(r);
}

#[tokio::test]
async fn a_missing_path_parameter_is_refused_before_sending() {
    let server = TestServer::start(|_, _| Reply::json(200, json!({}))).await;
    let op = PutNodes {
        cluster: None,
        count: None,
        body: None,
        form: None,
    };
    let e = client(&server).call(&op).await.unwrap_err();
    assert!(matches!(e, Error::Request(_)), "{e:?}");
    assert!(e.to_string().contains("ClusterId"), "{e}");
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn roa_errors_keep_their_lower_camel_case_code() {
    let server = TestServer::start(|_, _| {
        Reply::json(
            404,
            json!({"code": "ClusterNotFound", "message": "gone", "requestId": "r-9"}),
        )
    })
    .await;
    let op = PutNodes {
        cluster: Some("c".into()),
        count: None,
        body: None,
        form: None,
    };
    let e = client(&server).call(&op).await.unwrap_err();
    assert_eq!(e.code(), Some("ClusterNotFound"));
    assert_eq!(e.request_id(), Some("r-9"));
}
