//! Each call's tracing span, in a test binary of its own: tracing caches whether a callsite is
//! enabled process-wide, and a test on another thread that reaches the client's callsites
//! without a subscriber can race with this test's thread-local one, so that its events are
//! lost (seen under load when this test lived in `client.rs`).

mod common;

use alibabacloud_runtime::{Client, ClientBuilder, Credentials, RetryPolicy, SignatureVersion};
use common::*;
use serde_json::json;
use std::time::Duration;

fn builder(server: &TestServer) -> ClientBuilder {
    ClientBuilder::new(&SAS)
        .endpoint(server.url())
        .credentials(Credentials::new("test-id", "test-secret"))
        .retry_policy(
            RetryPolicy::new()
                .with_base_delay(Duration::from_millis(1))
                .with_max_delay(Duration::from_secs(5)),
        )
}

fn ok() -> Reply {
    Reply::json(200, json!({"RequestId": "req-ok", "Version": "1"}))
}

fn throttled() -> Reply {
    Reply::json(
        400,
        json!({"RequestId": "req-throttled", "Code": "Throttling.User", "Message": "slow down"}),
    )
}

#[tokio::test]
async fn each_call_has_a_span_with_action_attempt_status_request_id_and_duration() {
    let buffer = Buffer::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(buffer.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = TestServer::start(|_, i| {
        if i == 0 {
            throttled()
        } else {
            ok().header("x-acs-request-id", "req-ok")
        }
    })
    .await;
    let client: Client = builder(&server)
        .credentials(
            Credentials::new("trace-id", "trace-secret-value")
                .with_security_token("trace-token-value"),
        )
        .build()
        .unwrap();
    client.call(&Describe::new()).await.unwrap();

    let bad = TestServer::start(|_, _| {
        Reply::json(
            400,
            json!({"Code": "InvalidParameter", "RequestId": "req-bad"}),
        )
    })
    .await;
    let client2: Client = builder(&bad)
        .credentials(
            Credentials::new("trace-id", "trace-secret-value")
                .with_security_token("trace-token-value"),
        )
        .signature_version(SignatureVersion::V1)
        .build()
        .unwrap();
    client2.call(&Describe::new()).await.unwrap_err();

    let out = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    // Only the call spans' close events: at TRACE, the HTTP stack may log a connection closing
    // too, depending on timing.
    let close: Vec<&str> = out
        .lines()
        .filter(|l| l.contains("close") && l.contains("alibabacloud_call"))
        .collect();
    assert_eq!(close.len(), 2, "{out}");
    for field in [
        "alibabacloud_call",
        "action=\"DescribeVersionConfig\"",
        "product=\"Sas\"",
        "attempt=2",
        "status=200",
        "request_id=\"req-ok\"",
        "duration_ms=",
    ] {
        assert!(
            close[0].contains(field),
            "{field} missing from {}",
            close[0]
        );
    }
    for field in [
        "attempt=1",
        "status=400",
        "request_id=\"req-bad\"",
        "error_code=\"InvalidParameter\"",
    ] {
        assert!(
            close[1].contains(field),
            "{field} missing from {}",
            close[1]
        );
    }
    assert!(out.contains("retrying"), "{out}");
    assert!(!out.contains("trace-secret-value"), "{out}");
    assert!(!out.contains("trace-token-value"), "{out}");
}
