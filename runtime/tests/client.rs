//! The generic client against a loopback server: retries, deadlines, the legacy signature,
//! region resolution and the user agent (the tracing span: `call_span.rs`).

mod common;

use alibabacloud_runtime::credentials::BoxFuture;
use alibabacloud_runtime::credentials::{MapEnv, ProviderContext};
use alibabacloud_runtime::error::{TransportError, TransportErrorKind};
use alibabacloud_runtime::transport::{HttpRequest, HttpResponse, ReqwestTransport, Transport};
use alibabacloud_runtime::{
    signer, CallOptions, Client, ClientBuilder, Credentials, Error, MockTransport, RetryPolicy,
    SignatureVersion,
};
use common::*;
use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn fast_retries() -> RetryPolicy {
    RetryPolicy::new()
        .with_base_delay(Duration::from_millis(1))
        .with_max_delay(Duration::from_secs(5))
}

fn builder(server: &TestServer) -> ClientBuilder {
    ClientBuilder::new(&SAS)
        .endpoint(server.url())
        .credentials(Credentials::new("test-id", "test-secret"))
        .retry_policy(fast_retries())
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
async fn retries_throttling_until_success_signing_each_attempt_afresh() {
    let server = TestServer::start(|_, i| if i < 2 { throttled() } else { ok() }).await;
    let client: Client = builder(&server).build().unwrap();
    let out = client.call(&Describe::new()).await.unwrap();
    assert_eq!(out["Version"], "1");
    let rs = server.requests();
    assert_eq!(rs.len(), 3);
    let nonces: std::collections::HashSet<_> = rs
        .iter()
        .map(|r| r.header("x-acs-signature-nonce").unwrap().to_owned())
        .collect();
    assert_eq!(nonces.len(), 3, "a new nonce per attempt");
    let signatures: std::collections::HashSet<_> = rs
        .iter()
        .map(|r| r.header("authorization").unwrap().to_owned())
        .collect();
    assert_eq!(signatures.len(), 3, "a new signature per attempt");
}

#[tokio::test]
async fn retries_503_even_without_a_json_body_and_gives_up_after_max_attempts() {
    let server =
        TestServer::start(|_, _| Reply::text(503, "<html>Service Unavailable</html>")).await;
    let client: Client = builder(&server).build().unwrap();
    let e = client.call(&Describe::new()).await.unwrap_err();
    assert_eq!(e.status(), Some(503));
    assert!(matches!(e, Error::Response(_)), "{e:?}");
    assert_eq!(server.count(), 3);

    let server = TestServer::start(|_, _| {
        Reply::json(503, json!({"Code": "ServiceUnavailable", "RequestId": "r"}))
    })
    .await;
    let client: Client = builder(&server)
        .retry_policy(fast_retries().with_max_attempts(5))
        .build()
        .unwrap();
    let e = client.call(&Describe::new()).await.unwrap_err();
    assert_eq!(e.code(), Some("ServiceUnavailable"));
    assert_eq!(server.count(), 5);
}

#[tokio::test]
async fn never_retries_other_client_errors() {
    for (status, code) in [
        (400, "InvalidParameter"),
        (403, "Forbidden.RAM"),
        (404, "InvalidApi.NotFound"),
        (500, "InternalError"),
    ] {
        let server = TestServer::start(move |_, _| {
            Reply::json(status, json!({"Code": code, "RequestId": "r"}))
        })
        .await;
        let client: Client = builder(&server).build().unwrap();
        let e = client.call(&Describe::new()).await.unwrap_err();
        assert_eq!(e.code(), Some(code));
        assert_eq!(server.count(), 1, "{code} is not retried");
    }
}

#[tokio::test]
async fn per_call_retry_policy_overrides_the_clients() {
    let server = TestServer::start(|_, _| throttled()).await;
    let client: Client = builder(&server).build().unwrap();
    let opts = CallOptions::new().with_retry(RetryPolicy::disabled());
    client.call_with(&Describe::new(), &opts).await.unwrap_err();
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn honours_x_acs_retry_after_in_milliseconds() {
    let server = TestServer::start(|_, i| {
        if i == 0 {
            throttled().header("x-acs-retry-after", "120")
        } else {
            ok()
        }
    })
    .await;
    let client: Client = builder(&server).build().unwrap();
    let started = Instant::now();
    client.call(&Describe::new()).await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(120));
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn a_retry_after_beyond_max_delay_is_returned_not_waited_for() {
    let server = TestServer::start(|_, _| throttled().header("x-acs-retry-after", "600000")).await;
    let client: Client = builder(&server).build().unwrap();
    let e = client.call(&Describe::new()).await.unwrap_err();
    assert_eq!(e.as_service().unwrap().retry_after, Some(600_000));
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn retries_connect_failures_but_not_io_failures() {
    let mock = MockTransport::new();
    mock.push_error(TransportError::new(TransportErrorKind::Connect, "refused"));
    mock.push_json(200, &json!({"RequestId": "r"}));
    let client: Client = ClientBuilder::new(&SAS)
        .region("cn-hangzhou")
        .credentials(Credentials::new("a", "b"))
        .transport(Arc::new(mock.clone()))
        .retry_policy(fast_retries())
        .build()
        .unwrap();
    client.call(&Describe::new()).await.unwrap();
    assert_eq!(mock.requests().len(), 2);

    mock.push_error(TransportError::new(TransportErrorKind::Io, "reset"));
    let e = client.call(&Describe::new()).await.unwrap_err();
    assert!(matches!(e, Error::Transport(ref t) if t.kind == TransportErrorKind::Io));
    assert_eq!(mock.requests().len(), 3);
}

/// The default transport, counting the requests handed to it.
#[derive(Debug)]
struct Counting(ReqwestTransport, std::sync::atomic::AtomicUsize);

impl Transport for Counting {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        self.1.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        self.0.send(request)
    }
}

#[tokio::test]
async fn a_real_connection_refusal_is_a_connect_error_tried_max_attempts_times() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let transport = Arc::new(Counting(
        ReqwestTransport::new(&alibabacloud_runtime::TransportOptions::default()).unwrap(),
        0.into(),
    ));
    let client: Client = ClientBuilder::new(&SAS)
        .endpoint(format!("http://127.0.0.1:{port}"))
        .credentials(Credentials::new("a", "b"))
        .transport(transport.clone())
        .retry_policy(fast_retries())
        .build()
        .unwrap();
    let e = client.call(&Describe::new()).await.unwrap_err();
    assert!(
        matches!(e, Error::Transport(ref t) if t.kind == TransportErrorKind::Connect),
        "{e:?}"
    );
    let attempts = || transport.1.load(std::sync::atomic::Ordering::SeqCst);
    assert_eq!(
        attempts(),
        3,
        "refused (nothing sent): retried up to max_attempts"
    );

    let opts = CallOptions::new().with_retry(fast_retries().with_retry_connect_errors(false));
    client.call_with(&Describe::new(), &opts).await.unwrap_err();
    assert_eq!(
        attempts(),
        4,
        "one attempt when connect errors are not retried"
    );
}

#[tokio::test]
async fn the_overall_deadline_covers_the_whole_call() {
    let server = TestServer::start(|_, _| ok().after(Duration::from_secs(3))).await;
    let client: Client = builder(&server)
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let opts = CallOptions::new().with_timeout(Duration::from_millis(200));
    let started = Instant::now();
    let e = client.call_with(&Describe::new(), &opts).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(3));
    assert!(
        matches!(e, Error::Transport(ref t) if t.kind == TransportErrorKind::Timeout),
        "{e:?}"
    );
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn an_attempt_timeout_is_retried_only_when_the_policy_says_so() {
    let server = TestServer::start(|_, i| {
        if i == 0 {
            ok().after(Duration::from_secs(3))
        } else {
            ok()
        }
    })
    .await;
    let client: Client = builder(&server)
        .attempt_timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let e = client.call(&Describe::new()).await.unwrap_err();
    assert!(matches!(e, Error::Transport(ref t) if t.kind == TransportErrorKind::Timeout));
    assert_eq!(server.count(), 1);

    let opts = CallOptions::new().with_retry(fast_retries().with_retry_timeouts(true));
    client.call_with(&Describe::new(), &opts).await.unwrap();
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn legacy_signature_puts_common_parameters_in_the_query() {
    let server = TestServer::start(|_, _| ok()).await;
    let client: Client = builder(&server)
        .credentials(Credentials::new("v1-id", "v1-secret").with_security_token("v1-token"))
        .signature_version(SignatureVersion::V1)
        .build()
        .unwrap();
    let op = Describe {
        lang: Some("zh cn".into()),
        form: Some("a&b=c".into()),
        headers: vec![("x-acs-extra", "h".into())],
    };
    client.call(&op).await.unwrap();
    let r = &server.requests()[0];
    assert_eq!(r.method, "POST");
    assert_eq!(r.path, "/");
    let q = |k: &str| r.query_param(k);
    assert_eq!(q("Action").as_deref(), Some("DescribeVersionConfig"));
    assert_eq!(q("Version").as_deref(), Some("2018-12-03"));
    assert_eq!(q("Format").as_deref(), Some("JSON"));
    assert_eq!(q("AccessKeyId").as_deref(), Some("v1-id"));
    assert_eq!(q("SignatureMethod").as_deref(), Some("HMAC-SHA1"));
    assert_eq!(q("SignatureVersion").as_deref(), Some("1.0"));
    assert_eq!(q("SecurityToken").as_deref(), Some("v1-token"));
    assert_eq!(q("Lang").as_deref(), Some("zh cn"));
    assert!(r.query.contains("Lang=zh%20cn"), "{}", r.query);
    assert_eq!(q("SignatureNonce").unwrap().len(), 32);
    let ts = q("Timestamp").unwrap();
    assert_eq!(ts.len(), 20, "{ts}");
    assert!(ts.ends_with('Z'));
    assert_eq!(r.form_param("Note").as_deref(), Some("a&b=c"));
    assert_eq!(
        r.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert!(r.header("authorization").is_none());
    assert!(r.header("x-acs-signature-nonce").is_none());
    assert!(r.header("x-acs-security-token").is_none());
    assert_eq!(r.header("x-acs-extra"), Some("h"));
    // The signature covers the query and the form body.
    let mut pairs = r.query_pairs();
    let at = pairs.iter().position(|(k, _)| k == "Signature").unwrap();
    let (_, signature) = pairs.remove(at);
    pairs.extend(r.form_pairs());
    assert_eq!(signer::sign_v1("POST", &pairs, "v1-secret"), signature);
}

#[tokio::test]
async fn legacy_signature_uses_a_new_nonce_per_attempt() {
    let server = TestServer::start(|_, i| if i == 0 { throttled() } else { ok() }).await;
    let client: Client = builder(&server)
        .signature_version(SignatureVersion::V1)
        .build()
        .unwrap();
    client.call(&Describe::new()).await.unwrap();
    let rs = server.requests();
    assert_eq!(rs.len(), 2);
    assert_ne!(
        rs[0].query_param("SignatureNonce"),
        rs[1].query_param("SignatureNonce")
    );
    assert!(rs[0].query_param("SecurityToken").is_none());
}

#[tokio::test]
async fn v3_requests_carry_the_security_token_header() {
    let server = TestServer::start(|_, _| ok()).await;
    let client: Client = builder(&server)
        .credentials(Credentials::new("id", "s").with_security_token("tok"))
        .build()
        .unwrap();
    client.call(&Describe::new()).await.unwrap();
    let r = &server.requests()[0];
    assert_eq!(r.header("x-acs-security-token"), Some("tok"));
    assert_eq!(r.header("x-acs-action"), Some("DescribeVersionConfig"));
    assert!(r
        .header("authorization")
        .unwrap()
        .starts_with("ACS3-HMAC-SHA256 Credential=id,"));
}

#[tokio::test]
async fn header_parameters_are_sent_and_x_acs_ones_signed() {
    let server = TestServer::start(|_, _| ok()).await;
    let client: Client = builder(&server).build().unwrap();
    let op = Describe {
        headers: vec![
            ("x-acs-resource-group", "rg-1".into()),
            ("X-Custom", "plain".into()),
            ("x-acs-action", "Spoofed".into()),
        ],
        ..Describe::new()
    };
    client.call(&op).await.unwrap();
    let r = &server.requests()[0];
    assert_eq!(r.header("x-acs-resource-group"), Some("rg-1"));
    assert_eq!(r.header("x-custom"), Some("plain"));
    assert_eq!(r.header("x-acs-action"), Some("DescribeVersionConfig"));
    let auth = r.header("authorization").unwrap();
    assert!(auth.contains("x-acs-resource-group"), "{auth}");
    assert!(!auth.contains("x-custom"), "{auth}");
    // The signature verifies over exactly the signed headers as received.
    let signed: Vec<&str> = auth
        .split("SignedHeaders=")
        .nth(1)
        .unwrap()
        .split(',')
        .next()
        .unwrap()
        .split(';')
        .collect();
    let headers: Vec<(&str, &str)> = signed.iter().map(|h| (*h, r.header(h).unwrap())).collect();
    let sig = signer::sign_v3(
        &signer::V3Input {
            method: "POST",
            path: "/",
            canonical_query: &r.query,
            headers: &headers,
            body_sha256: &signer::sha256_hex(&r.body),
        },
        "test-secret",
    );
    assert!(
        auth.ends_with(&format!("Signature={}", sig.signature)),
        "{auth}"
    );
}

#[tokio::test]
async fn anonymous_operations_need_no_credentials_and_carry_no_signature() {
    let server = TestServer::start(|_, _| ok()).await;
    for version in [SignatureVersion::V3, SignatureVersion::V1] {
        let client: Client = builder(&server)
            .credentials_provider(Arc::new(
                alibabacloud_runtime::credentials::ChainProvider::new(vec![]),
            ))
            .signature_version(version)
            .build()
            .unwrap();
        client.call(&Anon).await.unwrap();
        let e = client.call(&Describe::new()).await.unwrap_err();
        assert!(matches!(e, Error::Credentials(_)), "{e:?}");
    }
    let rs = server.requests();
    assert_eq!(rs.len(), 2, "signed calls without credentials send nothing");
    let v3 = &rs[0];
    assert!(v3.header("authorization").is_none());
    assert_eq!(v3.header("x-acs-action"), Some("AssumeRoleWithOIDC"));
    assert!(v3.header("x-acs-signature-nonce").is_some());
    let v1 = &rs[1];
    assert!(v1.header("authorization").is_none());
    assert_eq!(
        v1.query_param("Action").as_deref(),
        Some("AssumeRoleWithOIDC")
    );
    assert!(v1.query_param("SignatureNonce").is_some());
    for absent in [
        "Signature",
        "AccessKeyId",
        "SignatureMethod",
        "SecurityToken",
    ] {
        assert!(v1.query_param(absent).is_none(), "{absent}");
    }
}

#[tokio::test]
async fn user_agent_names_runtime_product_and_suffix() {
    let server = TestServer::start(|_, _| ok()).await;
    let client: Client = builder(&server)
        .user_agent_suffix("  my-app/1.2  ")
        .build()
        .unwrap();
    let expected = format!(
        "alibabacloud-rust-runtime/{} Sas/2018-12-03 my-app/1.2",
        env!("CARGO_PKG_VERSION")
    );
    assert_eq!(client.user_agent(), expected);
    client.call(&Describe::new()).await.unwrap();
    assert_eq!(
        server.requests()[0].header("user-agent"),
        Some(expected.as_str())
    );
    let plain: Client = builder(&server).user_agent_suffix(" ").build().unwrap();
    assert_eq!(
        plain.user_agent(),
        format!(
            "alibabacloud-rust-runtime/{} Sas/2018-12-03",
            env!("CARGO_PKG_VERSION")
        )
    );
}

// ---------------------------------------------------------------- region and endpoint

fn build_with(env: MapEnv, region: Option<&str>, endpoint: Option<&str>) -> Result<Client, String> {
    let mut b = ClientBuilder::<Client>::new(&SAS)
        .env(Arc::new(env))
        .credentials(Credentials::new("a", "b"));
    if let Some(r) = region {
        b = b.region(r);
    }
    if let Some(e) = endpoint {
        b = b.endpoint(e);
    }
    b.build().map_err(|e| e.to_string())
}

#[test]
fn region_order_builder_then_environment_then_cli_profile() {
    let home = TempDir::new();
    home.write(
        ".aliyun/config.json",
        &json!({"current": "p", "profiles": [
            {"name": "p", "mode": "AK", "access_key_id": "a", "access_key_secret": "b", "region_id": "cn-shanghai"},
            {"name": "q", "mode": "AK", "access_key_id": "a", "access_key_secret": "b", "region_id": "cn-hangzhou"}
        ]})
        .to_string(),
    );
    let env = MapEnv::new().with("HOME", home.path().to_string_lossy());
    let host = |c: Client| c.endpoint().authority().to_owned();

    assert_eq!(
        host(build_with(env.clone(), None, None).unwrap()),
        "tds.cn-shanghai.aliyuncs.com"
    );
    let q = env.clone().with("ALIBABA_CLOUD_PROFILE", "q");
    assert_eq!(host(build_with(q, None, None).unwrap()), "tds.aliyuncs.com");
    let e = env.clone().with("ALIBABA_CLOUD_REGION_ID", " cn-hangzhou ");
    assert_eq!(
        host(build_with(e.clone(), None, None).unwrap()),
        "tds.aliyuncs.com"
    );
    assert_eq!(
        host(build_with(e.clone(), Some("cn-shanghai"), None).unwrap()),
        "tds.cn-shanghai.aliyuncs.com"
    );
    assert_eq!(
        host(build_with(e, Some("cn-shanghai"), Some("http://127.0.0.1:1")).unwrap()),
        "127.0.0.1:1"
    );
    let err = build_with(MapEnv::new(), None, None).unwrap_err();
    assert!(err.contains("ALIBABA_CLOUD_REGION_ID"), "{err}");
    assert!(err.contains("config.json"), "{err}");
    let err = build_with(MapEnv::new(), Some("mars-1"), None)
        .unwrap_err()
        .to_string();
    assert!(err.contains("cn-hangzhou, cn-shanghai"), "{err}");
}

#[tokio::test]
async fn without_credentials_the_client_uses_the_default_chain_of_its_context() {
    let server = TestServer::start(|_, _| ok()).await;
    let md = TestServer::start(|_, _| Reply::text(404, "")).await;
    let home = TempDir::new();
    let env = MapEnv::new()
        .with("HOME", home.path().to_string_lossy())
        .with("ALIBABA_CLOUD_ACCESS_KEY_ID", "chain-id")
        .with("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "chain-secret");
    let client: Client = ClientBuilder::new(&SAS)
        .endpoint(server.url())
        .provider_context(
            ProviderContext::new()
                .with_env(Arc::new(env))
                .with_metadata_endpoint(md.url()),
        )
        .build()
        .unwrap();
    client.call(&Describe::new()).await.unwrap();
    let auth = server.requests()[0]
        .header("authorization")
        .unwrap()
        .to_owned();
    assert!(auth.contains("Credential=chain-id,"), "{auth}");

    let empty: Client = ClientBuilder::new(&SAS)
        .endpoint(server.url())
        .provider_context(
            ProviderContext::new()
                .with_env(Arc::new(
                    MapEnv::new().with("HOME", home.path().to_string_lossy()),
                ))
                .with_metadata_endpoint(md.url()),
        )
        .build()
        .unwrap();
    let e = empty.call(&Describe::new()).await.unwrap_err();
    assert!(matches!(e, Error::Credentials(_)), "{e:?}");
    assert!(e.to_string().contains("[credentials URI]"), "{e}");
    assert_eq!(server.count(), 1, "nothing is sent without credentials");
}

// ---------------------------------------------------------------- tracing

/// A GET-only operation with form parameters (as `ListHoneypotAlarmEvents` declares them).
#[derive(Clone)]
struct FormGet;

impl alibabacloud_runtime::Operation for FormGet {
    const ACTION: &'static str = "ListHoneypotAlarmEvents";
    const METHOD: alibabacloud_runtime::Method = alibabacloud_runtime::Method::Get;
    type Output = alibabacloud_runtime::Value;
    type ErrorCode = alibabacloud_runtime::AnyCode;
    fn write_params(&self, params: &mut alibabacloud_runtime::Params) {
        use alibabacloud_runtime::{Location, Style};
        params.put(
            "Lang",
            Location::Query,
            Style::Plain,
            Some(&"en".to_owned()),
        );
        params.put(
            "Dealed",
            Location::Form,
            Style::Plain,
            Some(&"N".to_owned()),
        );
        let levels = vec!["high".to_owned(), "medium low".to_owned()];
        params.put(
            "RiskLevelList",
            Location::Form,
            Style::RepeatList,
            Some(&levels),
        );
    }
}

#[tokio::test]
async fn a_get_sends_its_form_parameters_in_the_query_and_no_body() {
    for version in [SignatureVersion::V3, SignatureVersion::V1] {
        let server = TestServer::start(|_, _| ok()).await;
        let client: Client = builder(&server).signature_version(version).build().unwrap();
        client.call(&FormGet).await.unwrap();
        let r = &server.requests()[0];
        assert_eq!(r.method, "GET");
        assert!(r.body.is_empty(), "{version:?}: a GET has no body");
        assert!(r.header("content-type").is_none(), "{version:?}");
        for (k, v) in [
            ("Lang", "en"),
            ("Dealed", "N"),
            ("RiskLevelList.1", "high"),
            ("RiskLevelList.2", "medium low"),
        ] {
            assert_eq!(r.query_param(k).as_deref(), Some(v), "{version:?}: {k}");
        }
        if version == SignatureVersion::V3 {
            let hash = signer::sha256_hex(b"");
            assert_eq!(r.header("x-acs-content-sha256"), Some(hash.as_str()));
        }
    }
}
