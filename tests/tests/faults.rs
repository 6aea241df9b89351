//! Fault injection: the generated seed call against a loopback server that misbehaves in every
//! way a real gateway or service can. Each case asserts the documented typed outcome (which
//! `Error` variant, status, code, whether and how often it was retried) and that the call
//! neither panics nor hangs: every call runs under a guard far longer than its own timeouts.
//!
//! | fault                                      | outcome                                          |
//! | ------------------------------------------ | ------------------------------------------------ |
//! | 403 `NoPermission`                         | `Error::Service`, `Code::NoPermission`, 1 attempt |
//! | 500 `ServerError`                          | `Error::Service`, `Code::ServerError`, 1 attempt  |
//! | 503 JSON `ServiceUnavailable`              | retried; then `Ok`, or `Error::Service` 503       |
//! | 503 HTML                                   | retried; then `Error::Response` 503               |
//! | `Throttling.User` (400 or 503)             | retried with a fresh nonce; then `Ok`             |
//! | `Throttling.User` + `x-acs-retry-after`    | waits that long (ms), retried; then `Ok`          |
//! | HTML 502 page                              | `Error::Response` 502, body kept, 1 attempt       |
//! | truncated JSON, empty body, not UTF-8      | `Error::Response` with status and raw body        |
//! | JSON without `Code` at 4xx                 | `Error::Response`                                 |
//! | a success body that is not an object       | `Error::Response`                                 |
//! | connection reset, body cut short, not HTTP | `Error::Transport` of kind `Io`, 1 attempt        |
//! | connection refused                         | `Error::Transport` of kind `Connect`, retried     |
//! | slower than read / attempt / overall limit | `Error::Transport` of kind `Timeout`              |
//! | numbers, booleans as strings               | decoded                                           |

use alibabacloud_runtime::error::TransportErrorKind;
use alibabacloud_runtime::{ClientBuilder, Credentials, Error, RetryPolicy};
use alibabacloud_sas20181203::operations::create_container_scan_task_by_app_name::response::data::Status;
use alibabacloud_sas20181203::{
    Client, CreateContainerScanTaskByAppNameError as CallError,
    CreateContainerScanTaskByAppNameErrorCode as Code,
    CreateContainerScanTaskByAppNameRequest as Request,
    CreateContainerScanTaskByAppNameResponse as Response,
};
use sas_tests::server::{Received, Reply, Server};
use sas_tests::verify::check_v3;
use std::collections::HashSet;
use std::time::{Duration, Instant};

const ID: &str = "LTAI5tFaultInjection";
const SECRET: &str = "fault-secret";

/// Far beyond every timeout configured here: reaching it means the call hung.
const HANG_GUARD: Duration = Duration::from_secs(20);

const OK: &str = r#"{"RequestId":"req-ok","Data":{"TaskId":"t-1","Status":"SUCCESS"}}"#;

/// Retries without meaningful backoff, so the suite stays fast; everything else default.
fn fast_retries() -> RetryPolicy {
    RetryPolicy::new()
        .with_base_delay(Duration::from_millis(1))
        .with_max_delay(Duration::from_secs(5))
}

fn builder(url: &str) -> ClientBuilder<Client> {
    Client::builder()
        .endpoint(url)
        .credentials(Credentials::new(ID, SECRET))
        .retry_policy(fast_retries())
}

fn client(server: &Server) -> Client {
    builder(&server.url()).build().expect("client")
}

/// Calls the seed operation, failing the test (instead of hanging it) past [`HANG_GUARD`].
async fn call(client: &Client) -> Result<Response, CallError> {
    match tokio::time::timeout(
        HANG_GUARD,
        client.create_container_scan_task_by_app_name(&Request::new().cluster_id("c-1")),
    )
    .await
    {
        Ok(r) => r,
        Err(_) => panic!("the call hung for {HANG_GUARD:?}"),
    }
}

fn service(err: &CallError) -> &alibabacloud_runtime::ServiceError<Code> {
    match err {
        Error::Service(e) => e,
        other => panic!("expected a service error, got {other:?}"),
    }
}

fn response(err: &CallError) -> &alibabacloud_runtime::ResponseError {
    match err {
        Error::Response(e) => e,
        other => panic!("expected a response error, got {other:?}"),
    }
}

fn transport_kind(err: &CallError) -> TransportErrorKind {
    match err {
        Error::Transport(e) => e.kind,
        other => panic!("expected a transport error, got {other:?}"),
    }
}

/// Every attempt was signed correctly, each with its own nonce and signature.
fn assert_fresh_attempts(received: &[Received], expected: usize) {
    assert_eq!(received.len(), expected, "attempts");
    let nonces: HashSet<&str> = received
        .iter()
        .map(|r| r.header("x-acs-signature-nonce").expect("nonce"))
        .collect();
    assert_eq!(nonces.len(), expected, "a fresh nonce per attempt");
    let signatures: HashSet<&str> = received
        .iter()
        .map(|r| r.header("authorization").expect("authorization"))
        .collect();
    assert_eq!(signatures.len(), expected, "a fresh signature per attempt");
    for r in received {
        check_v3(r, SECRET).expect("every attempt is correctly signed");
    }
}

fn throttled(status: u16) -> Reply {
    Reply::json(
        status,
        r#"{"RequestId":"req-throttled","Code":"Throttling.User","Message":"Request was denied due to user flow control."}"#,
    )
}

// ---- service errors ------------------------------------------------------------------------

#[tokio::test]
async fn no_permission_403_is_a_documented_code_and_not_retried() {
    let body = r#"{"RequestId":"r-403","HostId":"tds.aliyuncs.com","Code":"NoPermission","Message":"caller has no permission","AccessDeniedDetail":{"PolicyType":"AccountLevelIdentityBasedPolicy","NoPermissionType":"ImplicitDeny"}}"#;
    let server = Server::start(Reply::json(403, body)).await;
    let err = call(&client(&server)).await.expect_err("403");
    let e = service(&err);
    assert_eq!(e.kind, Code::NoPermission);
    assert_eq!(e.status, 403);
    assert_eq!(e.request_id.as_deref(), Some("r-403"));
    assert_eq!(
        e.access_denied_detail
            .as_ref()
            .and_then(|d| d.get("NoPermissionType")),
        Some(&serde_json::json!("ImplicitDeny"))
    );
    assert_eq!(e.body, body);
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn server_error_500_is_a_documented_code_and_not_retried() {
    let body = r#"{"RequestId":"r-500","Code":"ServerError","Message":"ServerError"}"#;
    let server = Server::start(Reply::json(500, body)).await;
    let err = call(&client(&server)).await.expect_err("500");
    let e = service(&err);
    assert_eq!(e.kind, Code::ServerError);
    assert_eq!(e.status, 500);
    assert_eq!(err.request_id(), Some("r-500"));
    assert_eq!(
        server.received().len(),
        1,
        "a 500 may have been processed: not retried"
    );
}

#[tokio::test]
async fn service_unavailable_503_is_retried_until_success() {
    let server = Server::start(Reply::json(200, OK)).await;
    server.push(Reply::json(
        503,
        r#"{"RequestId":"r-503","Code":"ServiceUnavailable","Message":"try later"}"#,
    ));
    let out = call(&client(&server)).await.expect("retried to success");
    assert_eq!(out.request_id.as_deref(), Some("req-ok"));
    assert_fresh_attempts(&server.received(), 2);
}

#[tokio::test]
async fn service_unavailable_503_gives_up_after_max_attempts() {
    let server = Server::start(Reply::json(
        503,
        r#"{"RequestId":"r-503","Code":"ServiceUnavailable","Message":"try later"}"#,
    ))
    .await;
    let err = call(&client(&server)).await.expect_err("always 503");
    let e = service(&err);
    assert_eq!(e.status, 503);
    assert_eq!(e.kind, Code::Undocumented("ServiceUnavailable".to_owned()));
    assert_fresh_attempts(&server.received(), 3);
}

#[tokio::test]
async fn an_html_503_is_retried_then_a_response_error() {
    let page = b"<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>";
    let server = Server::start(Reply::raw(503, "text/html", page)).await;
    let c = builder(&server.url())
        .retry_policy(fast_retries().with_max_attempts(2))
        .build()
        .expect("client");
    let err = call(&c).await.expect_err("always 503");
    let e = response(&err);
    assert_eq!(e.status, 503);
    assert_eq!(e.body.as_bytes(), page);
    assert_eq!(server.received().len(), 2);
}

// ---- throttling ----------------------------------------------------------------------------

#[tokio::test]
async fn throttling_400_without_retry_after_is_retried_with_fresh_nonces() {
    let server = Server::start(Reply::json(200, OK)).await;
    server.push(throttled(400));
    server.push(throttled(400));
    let out = call(&client(&server))
        .await
        .expect("third attempt succeeds");
    assert_eq!(out.request_id.as_deref(), Some("req-ok"));
    assert_fresh_attempts(&server.received(), 3);
}

#[tokio::test]
async fn throttling_503_without_retry_after_is_retried_with_fresh_nonces() {
    let server = Server::start(Reply::json(200, OK)).await;
    server.push(throttled(503));
    let out = call(&client(&server))
        .await
        .expect("second attempt succeeds");
    assert_eq!(out.request_id.as_deref(), Some("req-ok"));
    assert_fresh_attempts(&server.received(), 2);
}

#[tokio::test]
async fn throttling_with_retry_after_waits_as_asked_then_succeeds() {
    let server = Server::start(Reply::json(200, OK)).await;
    // Milliseconds, as the official SDKs read it. The backoff alone would be ≤ 1 ms.
    server.push(throttled(400).header("x-acs-retry-after", "150"));
    server.push(throttled(503).header("x-acs-retry-after", "100"));
    let started = Instant::now();
    let out = call(&client(&server))
        .await
        .expect("third attempt succeeds");
    // A lower bound only: sleeping is never shorter than asked.
    assert!(
        started.elapsed() >= Duration::from_millis(250),
        "waited {:?}",
        started.elapsed()
    );
    assert_eq!(out.request_id.as_deref(), Some("req-ok"));
    assert_fresh_attempts(&server.received(), 3);
}

#[tokio::test]
async fn persistent_throttling_returns_the_code_after_max_attempts() {
    let server = Server::start(throttled(400).header("x-acs-retry-after", "5")).await;
    let err = call(&client(&server)).await.expect_err("always throttled");
    let e = service(&err);
    assert_eq!(e.code, "Throttling.User");
    assert_eq!(e.kind, Code::Undocumented("Throttling.User".to_owned()));
    assert_eq!(e.retry_after, Some(5));
    assert_fresh_attempts(&server.received(), 3);
}

// ---- bodies that are not what they should be ----------------------------------------------

#[tokio::test]
async fn an_html_502_page_keeps_status_body_and_request_id_and_is_not_retried() {
    let page = "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><center>Tengine</center></body></html>";
    let server = Server::start(
        Reply::raw(502, "text/html; charset=utf-8", page.as_bytes())
            .header("x-acs-request-id", "gw-502"),
    )
    .await;
    let err = call(&client(&server)).await.expect_err("502");
    let e = response(&err);
    assert_eq!(e.status, 502);
    assert_eq!(e.body, page);
    assert_eq!(e.request_id.as_deref(), Some("gw-502"));
    assert!(e.reason.contains("not JSON"), "{}", e.reason);
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn a_truncated_json_success_body_is_a_response_error_with_the_raw_body() {
    let cut = &OK[..OK.len() / 2];
    let server = Server::start(Reply::json(200, cut)).await;
    let err = call(&client(&server)).await.expect_err("truncated");
    let e = response(&err);
    assert_eq!(e.status, 200);
    assert_eq!(e.body, cut);
    assert!(e.reason.contains("not JSON"), "{}", e.reason);
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn a_truncated_json_error_body_is_a_response_error() {
    let cut = r#"{"RequestId":"r-x","Code":"NoPerm"#;
    let server = Server::start(Reply::json(403, cut)).await;
    let err = call(&client(&server)).await.expect_err("truncated");
    let e = response(&err);
    assert_eq!((e.status, e.body.as_str()), (403, cut));
}

#[tokio::test]
async fn an_empty_body_is_a_response_error_at_any_status() {
    for status in [200u16, 403, 500] {
        let server = Server::start(Reply::raw(status, "application/json", b"")).await;
        let err = call(&client(&server)).await.expect_err("empty");
        let e = response(&err);
        assert_eq!(e.status, status);
        assert!(e.body.is_empty());
        assert!(e.reason.contains("empty body"), "{}", e.reason);
        assert_eq!(server.received().len(), 1);
    }
}

#[tokio::test]
async fn a_body_that_is_not_utf8_is_a_response_error() {
    let server = Server::start(
        Reply::raw(200, "application/json", &[0xff, 0xfe, b'{'])
            .header("x-acs-request-id", "bin-1"),
    )
    .await;
    let err = call(&client(&server)).await.expect_err("binary");
    let e = response(&err);
    assert_eq!(e.status, 200);
    assert_eq!(e.request_id.as_deref(), Some("bin-1"));
    // The raw body is kept, lossily decoded: each invalid byte is a replacement character.
    assert_eq!(e.body, "\u{FFFD}\u{FFFD}{");
    assert!(e.reason.contains("not JSON"), "{}", e.reason);
    assert_eq!(server.received().len(), 1, "not retried");
}

#[tokio::test]
async fn an_error_status_with_json_but_no_code_is_a_response_error() {
    let server = Server::start(Reply::json(
        404,
        r#"{"RequestId":"r-404","Message":"nope"}"#,
    ))
    .await;
    let err = call(&client(&server)).await.expect_err("404");
    let e = response(&err);
    assert_eq!(e.status, 404);
    assert_eq!(e.request_id.as_deref(), Some("r-404"));
}

#[tokio::test]
async fn a_success_body_that_is_not_an_object_is_a_response_error() {
    for body in [r#""just a string""#, "[1,2,3]", "42", "null"] {
        let server = Server::start(Reply::json(200, body)).await;
        let err = call(&client(&server)).await.expect_err(body);
        let e = response(&err);
        assert_eq!((e.status, e.body.as_str()), (200, body));
    }
}

// ---- the connection itself -----------------------------------------------------------------

#[tokio::test]
async fn a_connection_reset_is_an_io_transport_error_and_not_retried() {
    let server = Server::start(Reply::reset()).await;
    let err = call(&client(&server)).await.expect_err("reset");
    assert_eq!(transport_kind(&err), TransportErrorKind::Io);
    assert_eq!(
        server.received().len(),
        1,
        "the request may have been processed: not retried"
    );
    assert!(!err.to_string().contains(SECRET));
}

#[tokio::test]
async fn a_reset_on_a_pooled_connection_fails_that_call_only() {
    let server = Server::start(Reply::json(200, OK)).await;
    let c = client(&server);
    call(&c).await.expect("first call");
    server.push(Reply::reset());
    let err = call(&c).await.expect_err("reset");
    assert_eq!(transport_kind(&err), TransportErrorKind::Io);
    let out = call(&c).await.expect("the pool recovers");
    assert_eq!(out.request_id.as_deref(), Some("req-ok"));
    assert_eq!(server.received().len(), 3);
    assert_eq!(
        server.connections(),
        2,
        "the first connection was reused once, then replaced"
    );
}

/// A raw TCP peer on 127.0.0.1 (a plain thread) that reads one request head and writes
/// `answer` verbatim, then closes the connection: for faults hyper's server will not produce.
/// It stops accepting after a second without a connection and returns how many it accepted.
fn raw_peer(answer: &'static [u8]) -> (String, std::thread::JoinHandle<usize>) {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    listener.set_nonblocking(true).expect("nonblocking");
    let task = std::thread::spawn(move || {
        let mut accepted = 0;
        let mut idle_since = Instant::now();
        while idle_since.elapsed() < Duration::from_secs(1) {
            let mut stream = match listener.accept() {
                Ok((s, _)) => s,
                Err(_) => {
                    std::thread::sleep(Duration::from_millis(5));
                    continue;
                }
            };
            accepted += 1;
            let _ = stream.set_nonblocking(false);
            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
            let mut head = Vec::new();
            let mut buf = [0u8; 4096];
            while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => head.extend_from_slice(&buf[..n]),
                }
            }
            let _ = stream.write_all(answer);
            let _ = stream.shutdown(std::net::Shutdown::Both);
            idle_since = Instant::now();
        }
        accepted
    });
    (url, task)
}

#[tokio::test]
async fn a_body_cut_short_on_the_wire_is_an_io_transport_error() {
    let (url, peer) = raw_peer(
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{\"RequestId\":\"r-cut\",\"Da",
    );
    let c = builder(&url).build().expect("client");
    let err = call(&c).await.expect_err("cut short");
    assert_eq!(transport_kind(&err), TransportErrorKind::Io);
    drop(c);
    assert_eq!(peer.join().expect("peer"), 1, "not retried");
}

#[tokio::test]
async fn an_answer_that_is_not_http_is_an_io_transport_error() {
    let (url, peer) = raw_peer(b"SSH-2.0-OpenSSH_9.2\r\nProtocol mismatch.\r\n");
    let c = builder(&url).build().expect("client");
    let err = call(&c).await.expect_err("not HTTP");
    assert_eq!(transport_kind(&err), TransportErrorKind::Io);
    drop(c);
    assert_eq!(peer.join().expect("peer"), 1, "not retried");
}

#[tokio::test]
async fn a_refused_connection_is_a_connect_error_after_retries() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let c = builder(&format!("http://127.0.0.1:{port}"))
        .build()
        .expect("client");
    let err = call(&c).await.expect_err("refused");
    assert_eq!(transport_kind(&err), TransportErrorKind::Connect);
}

// ---- slowness ------------------------------------------------------------------------------

/// Generous: the configured limits are 200–300 ms; this only proves the call did not wait for
/// the 10 s answer.
const SLOW_BOUND: Duration = Duration::from_secs(5);

fn slow() -> Reply {
    Reply::json(200, OK).delayed(Duration::from_secs(10))
}

#[tokio::test]
async fn an_answer_slower_than_the_read_timeout_is_a_timeout() {
    let server = Server::start(slow()).await;
    let c = builder(&server.url())
        .read_timeout(Duration::from_millis(200))
        .build()
        .expect("client");
    let started = Instant::now();
    let err = call(&c).await.expect_err("slow");
    assert!(started.elapsed() < SLOW_BOUND, "{:?}", started.elapsed());
    assert_eq!(transport_kind(&err), TransportErrorKind::Timeout, "{err}");
    assert_eq!(
        server.received().len(),
        1,
        "timeouts are not retried by default"
    );
}

#[tokio::test]
async fn an_answer_slower_than_the_attempt_timeout_is_a_timeout() {
    let server = Server::start(slow()).await;
    let c = builder(&server.url())
        .attempt_timeout(Duration::from_millis(200))
        .build()
        .expect("client");
    let started = Instant::now();
    let err = call(&c).await.expect_err("slow");
    assert!(started.elapsed() < SLOW_BOUND, "{:?}", started.elapsed());
    assert_eq!(transport_kind(&err), TransportErrorKind::Timeout, "{err}");
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn slow_attempts_retried_by_policy_stop_at_the_overall_timeout() {
    let server = Server::start(slow()).await;
    let c = builder(&server.url())
        .attempt_timeout(Duration::from_millis(100))
        .timeout(Duration::from_millis(300))
        .retry_policy(
            fast_retries()
                .with_retry_timeouts(true)
                .with_max_attempts(100),
        )
        .build()
        .expect("client");
    let started = Instant::now();
    let err = call(&c).await.expect_err("slow");
    assert!(started.elapsed() < SLOW_BOUND, "{:?}", started.elapsed());
    assert_eq!(transport_kind(&err), TransportErrorKind::Timeout, "{err}");
    let attempts = server.received().len();
    assert!(
        (1..=5).contains(&attempts),
        "a 300 ms deadline allows a few 100 ms attempts, not 100: {attempts}"
    );
}

#[tokio::test]
async fn a_slow_but_timely_answer_succeeds() {
    let server = Server::start(Reply::json(200, OK).delayed(Duration::from_millis(50))).await;
    let c = builder(&server.url())
        .read_timeout(Duration::from_secs(5))
        .attempt_timeout(Duration::from_secs(5))
        .build()
        .expect("client");
    call(&c).await.expect("within the limits");
}

// ---- lenient decoding ----------------------------------------------------------------------

#[tokio::test]
async fn numbers_and_booleans_sent_as_strings_are_decoded() {
    let body = r#"{
        "RequestId": "r-str",
        "HttpStatusCode": "200",
        "Data": {
            "TaskId": 12345,
            "TotalCount": "5",
            "FinishCount": " 4 ",
            "CollectTime": "1644286364150",
            "ExecTime": 1644286364150.0,
            "Progress": "100.0",
            "CanCreate": "True",
            "Status": "SUCCESS"
        }
    }"#;
    let server = Server::start(Reply::json(200, body)).await;
    let out = call(&client(&server)).await.expect("decoded");
    assert_eq!(out.http_status_code, Some(200));
    let data = out.data.expect("Data");
    assert_eq!(data.task_id.as_deref(), Some("12345"));
    assert_eq!(data.total_count, Some(5));
    assert_eq!(data.finish_count, Some(4));
    assert_eq!(data.collect_time, Some(1_644_286_364_150));
    assert_eq!(data.exec_time, Some(1_644_286_364_150));
    assert_eq!(data.progress, Some(100));
    assert_eq!(data.can_create, Some(true));
    assert_eq!(data.status, Some(Status::Success));
    assert!(data.extra_fields.is_empty(), "{:?}", data.extra_fields);
}

#[tokio::test]
async fn values_that_do_not_convert_are_kept_not_lost() {
    let body = r#"{"RequestId":"r","Data":{"TotalCount":"five","Progress":1.5,"CanCreate":"maybe","Extra":[1]}}"#;
    let server = Server::start(Reply::json(200, body)).await;
    let out = call(&client(&server)).await.expect("decoded");
    let data = out.data.expect("Data");
    assert_eq!(data.total_count, None);
    assert_eq!(data.progress, None);
    assert_eq!(data.can_create, None);
    assert_eq!(
        serde_json::Value::Object(data.extra_fields),
        serde_json::json!({"TotalCount":"five","Progress":1.5,"CanCreate":"maybe","Extra":[1]})
    );
}
