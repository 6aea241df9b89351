//! End to end: the generated `CreateContainerScanTaskByAppName` call against a loopback server
//! that checks what the client sent, byte for byte, and answers like the service.

use alibabacloud_runtime::{Credentials, Error};
use alibabacloud_sas20181203::operations::create_container_scan_task_by_app_name::request::Lang;
use alibabacloud_sas20181203::operations::create_container_scan_task_by_app_name::response::data::{
    Result as DataResult, Status,
};
use alibabacloud_sas20181203::{
    Client, CreateContainerScanTaskByAppNameErrorCode as Code,
    CreateContainerScanTaskByAppNameRequest as Request,
};
use sas_tests::server::{Reply, Server};
use sas_tests::verify::check_v3;

const ID: &str = "LTAI5tTestAccessKeyId";
const SECRET: &str = "test-secret-never-shown";

/// The seed page's sample success response.
const SAMPLE: &str = r#"{
  "Data": {
    "TaskId": "fc98d58eb56f699d49bf7ebbd6d7****",
    "TotalCount": 5,
    "FinishCount": 5,
    "CollectTime": 1644286364150,
    "ExecTime": 1644286364150,
    "Status": "SUCCESS",
    "Progress": 100,
    "Result": "SUCCESS",
    "CanCreate": true
  },
  "RequestId": "1EE7B150-D67E-53FD-A52D-3E8E669A****",
  "HttpStatusCode": 200
}"#;

fn client(server: &Server) -> Client {
    match Client::builder()
        .endpoint(server.url())
        .credentials(Credentials::new(ID, SECRET))
        .build()
    {
        Ok(c) => c,
        Err(e) => panic!("client: {e}"),
    }
}

#[tokio::test]
async fn the_call_is_signed_and_decodes_the_sample_response() {
    let server = Server::start(Reply::json(200, SAMPLE)).await;
    let request = Request::new()
        .cluster_id("cfb7a55a81f7246b5ac18845ea79a****")
        .app_names("app-centos-01,app centos 02")
        .lang(Lang::En);
    let response = client(&server)
        .create_container_scan_task_by_app_name(&request)
        .await
        .expect("the call succeeds");

    let received = server.received();
    assert_eq!(received.len(), 1);
    let r = &received[0];
    assert_eq!(r.method, "POST");
    assert_eq!(r.path, "/");
    assert_eq!(
        r.header("x-acs-action"),
        Some("CreateContainerScanTaskByAppName")
    );
    assert_eq!(r.header("x-acs-version"), Some("2018-12-03"));
    assert_eq!(
        r.header("host"),
        Some(server.url().trim_start_matches("http://"))
    );
    assert_eq!(
        r.header("x-acs-content-sha256"),
        Some("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        "an empty body is hashed too"
    );
    assert!(r.body.is_empty());
    // The exact wire query: sorted, RFC 3986 encoded (space as %20, `*` as %2A).
    assert_eq!(
        r.query,
        "AppNames=app-centos-01%2Capp%20centos%2002&ClusterId=cfb7a55a81f7246b5ac18845ea79a%2A%2A%2A%2A&Lang=en"
    );
    let date = r.header("x-acs-date").expect("x-acs-date");
    assert_eq!(date.len(), 20, "YYYY-MM-DDTHH:MM:SSZ: {date}");
    assert!(date.ends_with('Z') && date.as_bytes()[10] == b'T', "{date}");
    assert!(r
        .header("x-acs-signature-nonce")
        .is_some_and(|n| n.len() >= 16));
    assert!(r.header("x-acs-security-token").is_none());
    let auth =
        check_v3(r, SECRET).expect("the signature recomputed from the received bytes matches");
    assert_eq!(auth.credential, ID);
    assert!(check_v3(r, "a-wrong-secret").is_err(), "the check can fail");

    let data = response.data.as_ref().expect("Data");
    assert_eq!(
        data.task_id.as_deref(),
        Some("fc98d58eb56f699d49bf7ebbd6d7****")
    );
    assert_eq!(data.total_count, Some(5));
    assert_eq!(data.finish_count, Some(5));
    assert_eq!(data.collect_time, Some(1644286364150));
    assert_eq!(data.exec_time, Some(1644286364150));
    assert_eq!(data.status, Some(Status::Success));
    assert_eq!(data.progress, Some(100));
    assert_eq!(data.result, Some(DataResult::Success));
    assert_eq!(data.can_create, Some(true));
    assert!(data.extra_fields.is_empty());
    assert_eq!(
        response.request_id.as_deref(),
        Some("1EE7B150-D67E-53FD-A52D-3E8E669A****")
    );
    assert_eq!(response.http_status_code, Some(200));
    assert!(response.extra_fields.is_empty());
}

#[tokio::test]
async fn sts_credentials_send_a_signed_security_token() {
    let server = Server::start(Reply::json(200, SAMPLE)).await;
    let c = Client::builder()
        .endpoint(server.url())
        .credentials(Credentials::new(ID, SECRET).with_security_token("sts-token-value"))
        .build()
        .expect("client");
    c.create_container_scan_task_by_app_name(&Request::new())
        .await
        .expect("ok");
    let r = &server.received()[0];
    assert_eq!(r.header("x-acs-security-token"), Some("sts-token-value"));
    let auth = check_v3(r, SECRET).expect("signature");
    assert!(auth
        .signed_headers
        .iter()
        .any(|h| h == "x-acs-security-token"));
}

#[tokio::test]
async fn unknown_values_and_fields_are_kept() {
    let body = r#"{"Data":{"Status":"PAUSED","Progress":"42","CanCreate":"True","New":1},"RequestId":"r"}"#;
    let server = Server::start(Reply::json(200, body)).await;
    let response = client(&server)
        .create_container_scan_task_by_app_name(&Request::new())
        .await
        .expect("ok");
    let data = response.data.expect("Data");
    assert_eq!(data.status, Some(Status::Unknown("PAUSED".to_owned())));
    assert_eq!(data.status.as_ref().map(Status::as_str), Some("PAUSED"));
    assert_eq!(data.progress, Some(42));
    assert_eq!(data.can_create, Some(true));
    assert_eq!(data.extra_fields.get("New"), Some(&serde_json::json!(1)));
}

#[tokio::test]
async fn no_permission_is_a_typed_service_error() {
    let body = r#"{"RequestId":"5E2C0D4B-1111-2222-3333-444455556666","HostId":"tds.aliyuncs.com","Code":"NoPermission","Message":"caller has no permission","Recommend":"https://api.aliyun.com/troubleshoot?q=NoPermission"}"#;
    let server = Server::start(Reply::json(403, body)).await;
    let err = client(&server)
        .create_container_scan_task_by_app_name(&Request::new())
        .await
        .expect_err("403");
    assert_eq!(err.kind(), Some(&Code::NoPermission));
    assert_eq!(err.status(), Some(403));
    assert_eq!(
        err.request_id(),
        Some("5E2C0D4B-1111-2222-3333-444455556666")
    );
    let Error::Service(e) = &err else {
        panic!("expected a service error: {err:?}")
    };
    assert_eq!(e.code, "NoPermission");
    assert_eq!(e.message.as_deref(), Some("caller has no permission"));
    assert_eq!(e.host_id.as_deref(), Some("tds.aliyuncs.com"));
    assert_eq!(
        e.recommend.as_deref(),
        Some("https://api.aliyun.com/troubleshoot?q=NoPermission")
    );
    assert_eq!(e.body, body);
    assert_eq!(server.received().len(), 1, "a 403 is never retried");
}

#[tokio::test]
async fn an_undocumented_code_keeps_its_text() {
    let body = r#"{"RequestId":"r-2","Code":"Forbidden.RAM","Message":"no"}"#;
    let server = Server::start(Reply::json(403, body)).await;
    let err = client(&server)
        .create_container_scan_task_by_app_name(&Request::new())
        .await
        .expect_err("403");
    assert_eq!(
        err.kind(),
        Some(&Code::Undocumented("Forbidden.RAM".to_owned()))
    );
}

#[tokio::test]
async fn an_html_gateway_page_keeps_status_and_body() {
    let page = "<html><head><title>502 Bad Gateway</title></head><body>Tengine</body></html>";
    let server = Server::start(
        Reply::raw(502, "text/html", page.as_bytes()).header("x-acs-request-id", "gw-req-1"),
    )
    .await;
    let err = client(&server)
        .create_container_scan_task_by_app_name(&Request::new())
        .await
        .expect_err("502");
    let Error::Response(e) = &err else {
        panic!("expected a response error: {err:?}")
    };
    assert_eq!(e.status, 502);
    assert_eq!(e.body, page);
    assert_eq!(e.request_id.as_deref(), Some("gw-req-1"));
    assert!(err.to_string().contains("502"), "{err}");
}

#[tokio::test]
async fn http_is_refused_for_non_loopback_endpoints() {
    let err = Client::builder()
        .endpoint("http://tds.aliyuncs.com")
        .credentials(Credentials::new(ID, SECRET))
        .build()
        .map(|_: Client| ())
        .expect_err("plain http to a public host");
    assert!(err.to_string().contains("loopback"), "{err}");
}
