//! Claims of `runtime/README.md` that no other test covered, one test each: retries and the
//! deadline, `with_retry_code_prefix`, the CLI modes `OIDC` and `CredentialsURI`, the credentials
//! file type `oidc_role_arn`, the timeouts of the default transports, when configuration files
//! are read again, and the `warn` event on falling back to cached credentials.
//!
//! Everything runs against loopback fakes with a `MapEnv`; the timeout tests wait for real time
//! (up to about 10 s, in parallel with the others).

mod common;

use alibabacloud_runtime::credentials::{
    CliProfileProvider, EcsRamRoleProvider, MapEnv, OidcProvider, ProfileFileProvider,
    ProvideCredentials, ProviderContext,
};
use alibabacloud_runtime::error::TransportErrorKind;
use alibabacloud_runtime::{CallOptions, Client, ClientBuilder, Credentials, Error, RetryPolicy};
use common::*;
use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn ctx(env: MapEnv) -> ProviderContext {
    ProviderContext::new().with_env(Arc::new(env))
}

fn home_env(home: &TempDir) -> MapEnv {
    MapEnv::new().with("HOME", home.path().to_string_lossy())
}

fn fast_retries() -> RetryPolicy {
    RetryPolicy::new()
        .with_base_delay(Duration::from_millis(1))
        .with_max_delay(Duration::from_secs(5))
}

fn service_error(code: &str) -> Reply {
    Reply::json(
        400,
        json!({"RequestId": "req-e", "Code": code, "Message": "m"}),
    )
}

fn ok() -> Reply {
    Reply::json(200, json!({"RequestId": "req-ok"}))
}

fn assert_between(elapsed: Duration, low: Duration, high: Duration, what: &str) {
    assert!(
        elapsed >= low && elapsed < high,
        "{what}: took {elapsed:?}, expected between {low:?} and {high:?}"
    );
}

// ---------------------------------------------------------------- retries

#[tokio::test]
async fn a_retry_wait_that_would_pass_the_deadline_is_not_started() {
    // The server asks for a 3 s wait (below max_delay 5 s, so the policy would wait), but the
    // call's deadline is 1 s away: the client returns the throttling error at once instead of
    // sleeping into the deadline and then reporting a timeout.
    let server = TestServer::start(|_, i| {
        if i < 2 {
            service_error("Throttling.User").header("x-acs-retry-after", "3000")
        } else {
            ok()
        }
    })
    .await;
    let client: Client = ClientBuilder::new(&SAS)
        .endpoint(server.url())
        .credentials(Credentials::new("id", "secret"))
        .retry_policy(fast_retries())
        .build()
        .unwrap();
    let opts = CallOptions::new().with_timeout(Duration::from_secs(1));
    let started = Instant::now();
    let e = client.call_with(&Describe::new(), &opts).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_millis(900), "it waited");
    assert_eq!(
        e.as_service().map(|s| s.code.as_str()),
        Some("Throttling.User"),
        "the throttling error, not a timeout: {e:?}"
    );
    assert_eq!(e.as_service().and_then(|s| s.retry_after), Some(3000));
    assert_eq!(server.count(), 1);

    // Without a deadline the same answer is waited for and retried.
    let started = Instant::now();
    client.call(&Describe::new()).await.unwrap();
    assert!(started.elapsed() >= Duration::from_secs(3));
    assert_eq!(server.count(), 3);
}

#[tokio::test]
async fn with_retry_code_prefix_widens_the_retried_codes() {
    let server = TestServer::start(|_, i| {
        if i == 3 {
            ok()
        } else {
            service_error("Busy.Backend")
        }
    })
    .await;
    let client: Client = ClientBuilder::new(&SAS)
        .endpoint(server.url())
        .credentials(Credentials::new("id", "secret"))
        .retry_policy(fast_retries())
        .build()
        .unwrap();
    let e = client.call(&Describe::new()).await.unwrap_err();
    assert_eq!(e.code(), Some("Busy.Backend"));
    assert_eq!(server.count(), 1, "not retried by default");

    let opts = CallOptions::new().with_retry(fast_retries().with_retry_code_prefix("Busy"));
    client.call_with(&Describe::new(), &opts).await.unwrap();
    assert_eq!(server.count(), 4, "two retries, the third attempt answered");

    // A prefix, not a substring: `Backend` does not match `Busy.Backend`.
    let opts = CallOptions::new().with_retry(fast_retries().with_retry_code_prefix("Backend"));
    client.call_with(&Describe::new(), &opts).await.unwrap_err();
    assert_eq!(server.count(), 5);
}

// ---------------------------------------------------------------- CLI modes and file types

async fn sts() -> TestServer {
    TestServer::start(|_, i| {
        Reply::json(
            200,
            sts_answer(&format!("STS.id{i}"), "sts-secret", "sts-token", 3600),
        )
    })
    .await
}

fn assert_assume_role_with_oidc(r: &Recorded, token: &str, role: &str, session: &str) {
    assert_eq!(
        r.query_param("Action").as_deref(),
        Some("AssumeRoleWithOIDC")
    );
    assert!(r.header("authorization").is_none() && r.query_param("Signature").is_none());
    assert_eq!(r.form_param("OIDCToken").as_deref(), Some(token));
    assert_eq!(r.form_param("RoleArn").as_deref(), Some(role));
    assert_eq!(
        r.form_param("OIDCProviderArn").as_deref(),
        Some("acs:ram::1:oidc-provider/p")
    );
    assert_eq!(r.form_param("RoleSessionName").as_deref(), Some(session));
}

#[tokio::test]
async fn cli_profile_mode_oidc_assumes_the_role_with_the_token_file() {
    let home = TempDir::new();
    let token = home.write("oidc-token", "cli-jwt\n");
    home.write(
        ".aliyun/config.json",
        &json!({"current": "o", "profiles": [{
            "name": "o", "mode": "OIDC",
            "ram_role_arn": "acs:ram::1:role/cli-oidc",
            "oidc_provider_arn": "acs:ram::1:oidc-provider/p",
            "oidc_token_file": token.to_string_lossy(),
            "ram_session_name": "cli-oidc-session",
            "expired_seconds": 1200
        }]})
        .to_string(),
    );
    let server = sts().await;
    let p = CliProfileProvider::new(ctx(home_env(&home)).with_sts_endpoint(server.url()));
    assert_eq!(p.credentials().await.unwrap().access_key_id, "STS.id0");
    let r = &server.requests()[0];
    assert_assume_role_with_oidc(r, "cli-jwt", "acs:ram::1:role/cli-oidc", "cli-oidc-session");
    assert_eq!(r.form_param("DurationSeconds").as_deref(), Some("1200"));
}

#[tokio::test]
async fn cli_profile_mode_credentials_uri_gets_the_uri() {
    let home = TempDir::new();
    let server = TestServer::start(|_, _| {
        Reply::json(200, flat_answer("URI.cli", "uri-secret", "uri-token", 3600))
    })
    .await;
    home.write(
        ".aliyun/config.json",
        &json!({"current": "u", "profiles": [{
            "name": "u", "mode": "CredentialsURI",
            "credentials_uri": format!("{}/cli-creds", server.url())
        }]})
        .to_string(),
    );
    let c = CliProfileProvider::new(ctx(home_env(&home)))
        .credentials()
        .await
        .unwrap();
    assert_eq!(c.access_key_id, "URI.cli");
    assert_eq!(c.security_token.unwrap().expose(), "uri-token");
    let rs = server.requests();
    assert_eq!(rs.len(), 1);
    assert_eq!(
        (rs[0].method.as_str(), rs[0].path.as_str()),
        ("GET", "/cli-creds")
    );
}

#[tokio::test]
async fn credentials_file_type_oidc_role_arn_assumes_the_role_with_the_token_file() {
    let home = TempDir::new();
    let token = home.write("ini-token", "ini-jwt");
    home.write(
        ".alibabacloud/credentials",
        &format!(
            "[default]\ntype = oidc_role_arn\nrole_arn = acs:ram::1:role/ini-oidc\n\
             oidc_provider_arn = acs:ram::1:oidc-provider/p\noidc_token_file_path = {}\n\
             role_session_name = ini-oidc-session\n",
            token.display()
        ),
    );
    let server = sts().await;
    let p = ProfileFileProvider::new(ctx(home_env(&home)).with_sts_endpoint(server.url()));
    assert_eq!(p.credentials().await.unwrap().access_key_id, "STS.id0");
    assert_assume_role_with_oidc(
        &server.requests()[0],
        "ini-jwt",
        "acs:ram::1:role/ini-oidc",
        "ini-oidc-session",
    );
}

// ---------------------------------------------------------------- files read again

const AK_PROFILE: &str = r#"{"current": "p", "profiles": [{"name": "p", "mode": "AK", "access_key_id": "ID", "access_key_secret": "s"}]}"#;

#[tokio::test]
async fn the_cli_profile_file_is_read_again_after_a_failure_only() {
    let home = TempDir::new();
    let p = CliProfileProvider::new(ctx(home_env(&home)));
    p.credentials().await.unwrap_err();
    home.write(".aliyun/config.json", &AK_PROFILE.replace("ID", "first"));
    assert_eq!(p.credentials().await.unwrap().access_key_id, "first");
    home.write(".aliyun/config.json", &AK_PROFILE.replace("ID", "second"));
    assert_eq!(
        p.credentials().await.unwrap().access_key_id,
        "first",
        "not read again after a success"
    );
}

#[tokio::test]
async fn the_credentials_file_is_read_again_after_a_failure_only() {
    let home = TempDir::new();
    let ini = |id: &str| {
        format!("[default]\ntype = access_key\naccess_key_id = {id}\naccess_key_secret = s\n")
    };
    let p = ProfileFileProvider::new(ctx(home_env(&home)));
    home.write(
        ".alibabacloud/credentials",
        "[default]\ntype = access_key\n",
    );
    p.credentials().await.unwrap_err();
    home.write(".alibabacloud/credentials", &ini("first"));
    assert_eq!(p.credentials().await.unwrap().access_key_id, "first");
    home.write(".alibabacloud/credentials", &ini("second"));
    assert_eq!(
        p.credentials().await.unwrap().access_key_id,
        "first",
        "not read again after a success"
    );
}

// ---------------------------------------------------------------- the warn event

#[tokio::test]
async fn falling_back_to_cached_credentials_emits_a_warn_event() {
    let buffer = Buffer::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(buffer.clone())
        .with_max_level(tracing::Level::WARN)
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let dir = TempDir::new();
    let token = dir.write("token", "jwt");
    let server = TestServer::start(|_, i| {
        if i == 0 {
            // Expires in 2 minutes: inside the 3-minute refresh margin, so every call refreshes.
            Reply::json(
                200,
                sts_answer("STS.first", "warn-secret", "warn-token", 120),
            )
        } else {
            Reply::text(500, "down")
        }
    })
    .await;
    let env = MapEnv::new()
        .with("ALIBABA_CLOUD_ROLE_ARN", "acs:ram::1:role/r")
        .with(
            "ALIBABA_CLOUD_OIDC_PROVIDER_ARN",
            "acs:ram::1:oidc-provider/p",
        )
        .with("ALIBABA_CLOUD_OIDC_TOKEN_FILE", token.to_string_lossy());
    let p = OidcProvider::new(ctx(env).with_sts_endpoint(server.url()));
    p.credentials().await.unwrap();
    let quiet = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    assert!(
        quiet.is_empty(),
        "no warning for a successful fetch: {quiet}"
    );

    assert_eq!(p.credentials().await.unwrap().access_key_id, "STS.first");
    assert_eq!(server.count(), 2);
    let out = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    let warns: Vec<&str> = out.lines().filter(|l| l.contains("WARN")).collect();
    assert_eq!(warns.len(), 1, "{out}");
    assert!(warns[0].contains("refreshing credentials failed"), "{out}");
    assert!(
        !out.contains("warn-secret") && !out.contains("warn-token"),
        "{out}"
    );
}

// ---------------------------------------------------------------- timeouts

/// A listener whose accept queue is full: connection attempts get no answer (Linux drops the
/// SYN), so a client waits for its connect timeout. Returns the listener and the queued
/// connection (both to be kept open) and the URL.
fn unanswering_address() -> (tokio::net::TcpListener, std::net::TcpStream, String) {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let addr = socket.local_addr().unwrap();
    let listener = socket.listen(0).unwrap();
    // The one connection a backlog of 0 holds; never accepted.
    let queued = std::net::TcpStream::connect(addr).unwrap();
    (listener, queued, format!("http://{addr}"))
}

#[tokio::test]
async fn the_default_transport_reads_for_10_s() {
    let server = TestServer::start(|_, _| ok().after(Duration::from_secs(14))).await;
    let client: Client = ClientBuilder::new(&SAS)
        .endpoint(server.url())
        .credentials(Credentials::new("id", "secret"))
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    let started = Instant::now();
    let e = client.call(&Describe::new()).await.unwrap_err();
    assert_between(
        started.elapsed(),
        Duration::from_millis(9_900),
        Duration::from_millis(13_000),
        "read timeout",
    );
    assert!(
        matches!(e, Error::Transport(ref t) if t.kind == TransportErrorKind::Timeout),
        "{e:?}"
    );
}

#[tokio::test]
async fn the_default_transport_connects_for_5_s() {
    let (_listener, _queued, url) = unanswering_address();
    let client: Client = ClientBuilder::new(&SAS)
        .endpoint(url)
        .credentials(Credentials::new("id", "secret"))
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    let started = Instant::now();
    let e = client.call(&Describe::new()).await.unwrap_err();
    assert_between(
        started.elapsed(),
        Duration::from_millis(4_900),
        Duration::from_millis(8_000),
        "connect timeout",
    );
    assert!(matches!(e, Error::Transport(_)), "{e:?}");
}

#[tokio::test]
async fn sts_and_credentials_uri_requests_read_for_10_s() {
    let server = TestServer::start(|_, _| {
        Reply::json(200, flat_answer("late", "s", "t", 3600)).after(Duration::from_secs(14))
    })
    .await;
    let env = MapEnv::new().with("ALIBABA_CLOUD_CREDENTIALS_URI", server.url());
    let p = alibabacloud_runtime::credentials::CredentialsUriProvider::new(ctx(env));
    let started = Instant::now();
    p.credentials().await.unwrap_err();
    assert_between(
        started.elapsed(),
        Duration::from_millis(9_900),
        Duration::from_millis(13_000),
        "credentials URI read timeout",
    );
}

/// The ECS provider with tokenless requests forbidden, so it makes exactly one request (the
/// token) before failing.
fn ecs_one_request(url: String) -> EcsRamRoleProvider {
    EcsRamRoleProvider::new(ctx(MapEnv::new()).with_metadata_endpoint(url))
        .with_role_name("R")
        .with_imdsv1_disabled(true)
}

#[tokio::test]
async fn the_metadata_service_is_read_for_1_s() {
    let server =
        TestServer::start(|_, _| Reply::text(200, "tok").after(Duration::from_secs(5))).await;
    let started = Instant::now();
    let e = ecs_one_request(server.url())
        .credentials()
        .await
        .unwrap_err();
    assert_between(
        started.elapsed(),
        Duration::from_millis(950),
        Duration::from_millis(2_500),
        "metadata read timeout",
    );
    assert!(e.message.contains("ALIBABA_CLOUD_IMDSV1_DISABLED"), "{e}");
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn the_metadata_service_is_connected_to_for_1_s() {
    let (_listener, _queued, url) = unanswering_address();
    let started = Instant::now();
    ecs_one_request(url).credentials().await.unwrap_err();
    assert_between(
        started.elapsed(),
        Duration::from_millis(950),
        Duration::from_millis(2_500),
        "metadata connect timeout",
    );
}
