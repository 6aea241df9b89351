//! Every credentials provider against loopback fakes: a fake STS, a fake metadata service, a
//! fake credentials URI and a temporary HOME. The process environment is never read or changed.

mod common;

use alibabacloud_runtime::credentials::{
    ChainProvider, CliProfileProvider, CredentialsUriProvider, EcsRamRoleProvider, MapEnv,
    OidcProvider, ProfileFileProvider, ProvideCredentials, ProviderContext, RamRoleArnConfig,
    RamRoleArnProvider, StaticProvider,
};
use alibabacloud_runtime::{signer, Credentials};
use common::*;
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;

fn ctx(env: MapEnv) -> ProviderContext {
    ProviderContext::new().with_env(Arc::new(env))
}

/// A fake STS: checks nothing, answers `answer` to every request.
async fn sts(secs: i64) -> TestServer {
    TestServer::start(move |_, i| {
        Reply::json(
            200,
            sts_answer(&format!("STS.id{i}"), "sts-secret", "sts-token", secs),
        )
    })
    .await
}

/// Checks the legacy signature of an STS request made with `secret`.
fn assert_v1_signed(r: &Recorded, secret: &str) {
    let mut pairs = r.query_pairs();
    let sig_at = pairs.iter().position(|(k, _)| k == "Signature").unwrap();
    let (_, signature) = pairs.remove(sig_at);
    pairs.extend(r.form_pairs());
    assert_eq!(signer::sign_v1(&r.method, &pairs, secret), signature);
}

// ---------------------------------------------------------------- OIDC

fn oidc_env(home: &TempDir, token: &str) -> MapEnv {
    let file = home.write("token", token);
    MapEnv::new()
        .with("ALIBABA_CLOUD_ROLE_ARN", "acs:ram::1:role/oidc")
        .with(
            "ALIBABA_CLOUD_OIDC_PROVIDER_ARN",
            "acs:ram::1:oidc-provider/k8s",
        )
        .with("ALIBABA_CLOUD_OIDC_TOKEN_FILE", file.to_string_lossy())
        .with("ALIBABA_CLOUD_ROLE_SESSION_NAME", "my-session")
}

#[tokio::test]
async fn oidc_sends_an_anonymous_assume_role_with_oidc_and_caches() {
    let dir = TempDir::new();
    let server = sts(3600).await;
    let p = OidcProvider::new(ctx(oidc_env(&dir, "jwt-1\n")).with_sts_endpoint(server.url()));
    let c = p.credentials().await.unwrap();
    assert_eq!(c.access_key_id, "STS.id0");
    assert_eq!(c.access_key_secret.expose(), "sts-secret");
    assert_eq!(c.security_token.as_ref().unwrap().expose(), "sts-token");
    assert!(c.expiration.is_some());
    let r = &server.requests()[0];
    assert_eq!(r.method, "POST");
    assert_eq!(
        r.query_param("Action").as_deref(),
        Some("AssumeRoleWithOIDC")
    );
    assert_eq!(r.query_param("Version").as_deref(), Some("2015-04-01"));
    assert_eq!(r.query_param("Format").as_deref(), Some("JSON"));
    assert!(r.query_param("Signature").is_none());
    assert!(r.query_param("AccessKeyId").is_none());
    assert!(r.header("authorization").is_none());
    assert!(!r.query.contains("jwt-1"), "the token stays out of the URL");
    assert_eq!(r.form_param("OIDCToken").as_deref(), Some("jwt-1"));
    assert_eq!(
        r.form_param("RoleArn").as_deref(),
        Some("acs:ram::1:role/oidc")
    );
    assert_eq!(
        r.form_param("OIDCProviderArn").as_deref(),
        Some("acs:ram::1:oidc-provider/k8s")
    );
    assert_eq!(
        r.form_param("RoleSessionName").as_deref(),
        Some("my-session")
    );
    assert_eq!(r.form_param("DurationSeconds").as_deref(), Some("3600"));
    p.credentials().await.unwrap();
    assert_eq!(server.count(), 1, "fresh credentials are cached");
}

#[tokio::test]
async fn oidc_refreshes_credentials_that_expire_within_three_minutes_and_rereads_the_token() {
    let dir = TempDir::new();
    let server = sts(120).await;
    let p = OidcProvider::new(ctx(oidc_env(&dir, "jwt-1")).with_sts_endpoint(server.url()));
    assert_eq!(p.credentials().await.unwrap().access_key_id, "STS.id0");
    dir.write("token", "jwt-2");
    assert_eq!(p.credentials().await.unwrap().access_key_id, "STS.id1");
    assert_eq!(server.count(), 2);
    assert_eq!(
        server.requests()[1].form_param("OIDCToken").as_deref(),
        Some("jwt-2")
    );
}

#[tokio::test]
async fn oidc_names_the_missing_variables() {
    let e = OidcProvider::new(ctx(MapEnv::new().with("ALIBABA_CLOUD_ROLE_ARN", "r")))
        .credentials()
        .await
        .unwrap_err();
    assert!(e.message.contains("ALIBABA_CLOUD_OIDC_PROVIDER_ARN"), "{e}");
    assert!(e.message.contains("ALIBABA_CLOUD_OIDC_TOKEN_FILE"), "{e}");
    assert!(!e.message.contains("ALIBABA_CLOUD_ROLE_ARN,"), "{e}");
}

#[tokio::test]
async fn sts_errors_carry_code_and_request_id() {
    let dir = TempDir::new();
    let server = TestServer::start(|_, _| {
        Reply::json(
            400,
            json!({"Code": "AuthenticationFail.OIDCToken.Expired", "Message": "expired", "RequestId": "rid-9"}),
        )
    })
    .await;
    let p = OidcProvider::new(ctx(oidc_env(&dir, "jwt-secret-1")).with_sts_endpoint(server.url()));
    let e = p.credentials().await.unwrap_err();
    assert!(
        e.message.contains("AuthenticationFail.OIDCToken.Expired"),
        "{e}"
    );
    assert!(e.message.contains("rid-9"), "{e}");
    assert!(e.message.contains("HTTP 400"), "{e}");
    assert!(!e.to_string().contains("jwt-secret-1"), "{e}");
    // The service's typed error stays reachable, without the raw body.
    let source = std::error::Error::source(&e).expect("the service error is the source");
    let service = source
        .downcast_ref::<alibabacloud_runtime::ServiceError>()
        .expect("a ServiceError");
    assert_eq!(service.code, "AuthenticationFail.OIDCToken.Expired");
    assert!(service.body.is_empty());
}

#[tokio::test]
async fn an_unreachable_sts_keeps_the_transport_error_as_the_source() {
    let dir = TempDir::new();
    // A port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let p = OidcProvider::new(
        ctx(oidc_env(&dir, "jwt-secret-1")).with_sts_endpoint(format!("http://127.0.0.1:{port}")),
    );
    let e = p.credentials().await.unwrap_err();
    let source = std::error::Error::source(&e).expect("the transport error is the source");
    let transport = source
        .downcast_ref::<alibabacloud_runtime::TransportError>()
        .expect("a TransportError");
    assert_eq!(
        transport.kind,
        alibabacloud_runtime::error::TransportErrorKind::Connect
    );
    assert!(
        std::error::Error::source(transport).is_some(),
        "reqwest's error is kept"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_refresh_in_flight_for_many_concurrent_callers() {
    let dir = TempDir::new();
    let server = TestServer::start(|_, i| {
        Reply::json(200, sts_answer(&format!("STS.id{i}"), "s", "t", 3600))
            .after(Duration::from_millis(100))
    })
    .await;
    let p = Arc::new(OidcProvider::new(
        ctx(oidc_env(&dir, "jwt")).with_sts_endpoint(server.url()),
    ));
    let tasks: Vec<_> = (0..64)
        .map(|_| {
            let p = p.clone();
            tokio::spawn(async move { p.credentials().await.map(|c| c.access_key_id) })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.unwrap().unwrap(), "STS.id0");
    }
    assert_eq!(server.count(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_refresh_in_flight_when_cached_credentials_go_stale() {
    let dir = TempDir::new();
    // The first answer is already inside the refresh window, the next ones are good for an hour.
    let server = TestServer::start(|_, i| {
        let secs = if i == 0 { 60 } else { 3600 };
        Reply::json(200, sts_answer(&format!("STS.id{i}"), "s", "t", secs))
            .after(Duration::from_millis(50))
    })
    .await;
    let p = Arc::new(OidcProvider::new(
        ctx(oidc_env(&dir, "jwt")).with_sts_endpoint(server.url()),
    ));
    assert_eq!(p.credentials().await.unwrap().access_key_id, "STS.id0");
    let tasks: Vec<_> = (0..32)
        .map(|_| {
            let p = p.clone();
            tokio::spawn(async move { p.credentials().await.map(|c| c.access_key_id) })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.unwrap().unwrap(), "STS.id1");
    }
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn a_failed_refresh_keeps_credentials_that_have_not_expired() {
    let dir = TempDir::new();
    let server = TestServer::start(|_, i| {
        if i == 0 {
            Reply::json(200, sts_answer("STS.first", "s", "t", 120))
        } else {
            Reply::text(500, "down")
        }
    })
    .await;
    let p = OidcProvider::new(ctx(oidc_env(&dir, "jwt")).with_sts_endpoint(server.url()));
    assert_eq!(p.credentials().await.unwrap().access_key_id, "STS.first");
    assert_eq!(p.credentials().await.unwrap().access_key_id, "STS.first");
    assert_eq!(server.count(), 2, "a refresh was attempted");
}

// ---------------------------------------------------------------- RAM role (AssumeRole)

#[tokio::test]
async fn ram_role_arn_signs_assume_role_with_the_source_credentials() {
    let server = sts(3600).await;
    let source = Arc::new(StaticProvider::new(
        Credentials::new("src-id", "src-secret").with_security_token("src-token"),
    ));
    let p = RamRoleArnProvider::new(
        ctx(MapEnv::new()).with_sts_endpoint(server.url()),
        source,
        RamRoleArnConfig {
            role_arn: "acs:ram::1:role/admin".into(),
            session_name: Some("sess".into()),
            duration_seconds: Some(900),
            policy: Some("{\"Statement\":[]}".into()),
            external_id: Some("ext".into()),
            ..Default::default()
        },
    );
    let c = p.credentials().await.unwrap();
    assert_eq!(c.access_key_id, "STS.id0");
    let r = &server.requests()[0];
    assert_eq!(r.method, "POST");
    assert_eq!(r.query_param("Action").as_deref(), Some("AssumeRole"));
    assert_eq!(r.query_param("AccessKeyId").as_deref(), Some("src-id"));
    assert_eq!(r.query_param("SecurityToken").as_deref(), Some("src-token"));
    assert_eq!(
        r.query_param("SignatureMethod").as_deref(),
        Some("HMAC-SHA1")
    );
    assert_eq!(r.query_param("SignatureVersion").as_deref(), Some("1.0"));
    assert!(r.query_param("SignatureNonce").is_some());
    assert!(r.query_param("Timestamp").unwrap().ends_with('Z'));
    assert_eq!(
        r.form_param("RoleArn").as_deref(),
        Some("acs:ram::1:role/admin")
    );
    assert_eq!(r.form_param("RoleSessionName").as_deref(), Some("sess"));
    assert_eq!(r.form_param("DurationSeconds").as_deref(), Some("900"));
    assert_eq!(
        r.form_param("Policy").as_deref(),
        Some("{\"Statement\":[]}")
    );
    assert_eq!(r.form_param("ExternalId").as_deref(), Some("ext"));
    assert_v1_signed(r, "src-secret");
    // The client's request path and user agent scheme, with STS as the product.
    assert_eq!(
        r.header("user-agent"),
        Some(concat!(
            "alibabacloud-rust-runtime/",
            env!("CARGO_PKG_VERSION"),
            " Sts/2015-04-01"
        ))
    );
    p.credentials().await.unwrap();
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn ram_role_arn_rejects_short_durations_without_calling_sts() {
    let server = sts(3600).await;
    let p = RamRoleArnProvider::new(
        ctx(MapEnv::new()).with_sts_endpoint(server.url()),
        Arc::new(StaticProvider::new(Credentials::new("a", "b"))),
        RamRoleArnConfig {
            role_arn: "r".into(),
            duration_seconds: Some(60),
            ..Default::default()
        },
    );
    let e = p.credentials().await.unwrap_err();
    assert!(e.message.contains("900"), "{e}");
    assert_eq!(server.count(), 0);
}

// ---------------------------------------------------------------- ECS metadata

/// A fake metadata service. `token`: whether `PUT /latest/api/token` succeeds.
async fn metadata(token: bool, secs: i64) -> TestServer {
    TestServer::start(move |r, _| match (r.method.as_str(), r.path.as_str()) {
        ("PUT", "/latest/api/token") if token => Reply::text(200, "md-token"),
        ("PUT", "/latest/api/token") => Reply::text(403, "no"),
        ("GET", "/latest/meta-data/ram/security-credentials/") => Reply::text(200, "EcsRole\n"),
        ("GET", "/latest/meta-data/ram/security-credentials/EcsRole") => {
            Reply::json(200, flat_answer("ECS.id", "ecs-secret", "ecs-token", secs))
        }
        _ => Reply::text(404, "not found"),
    })
    .await
}

#[tokio::test]
async fn ecs_gets_a_token_then_the_role_then_its_credentials() {
    let server = metadata(true, 3600).await;
    let p = EcsRamRoleProvider::new(ctx(MapEnv::new()).with_metadata_endpoint(server.url()));
    let c = p.credentials().await.unwrap();
    assert_eq!(c.access_key_id, "ECS.id");
    assert_eq!(c.security_token.unwrap().expose(), "ecs-token");
    let rs = server.requests();
    assert_eq!(rs.len(), 3);
    assert_eq!(
        (rs[0].method.as_str(), rs[0].path.as_str()),
        ("PUT", "/latest/api/token")
    );
    assert_eq!(
        rs[0].header("x-aliyun-ecs-metadata-token-ttl-seconds"),
        Some("21600")
    );
    assert_eq!(rs[1].path, "/latest/meta-data/ram/security-credentials/");
    assert_eq!(
        rs[1].header("x-aliyun-ecs-metadata-token"),
        Some("md-token")
    );
    assert_eq!(
        rs[2].path,
        "/latest/meta-data/ram/security-credentials/EcsRole"
    );
    assert_eq!(
        rs[2].header("x-aliyun-ecs-metadata-token"),
        Some("md-token")
    );
    p.credentials().await.unwrap();
    assert_eq!(server.count(), 3, "cached");
}

#[tokio::test]
async fn ecs_uses_the_configured_role_and_falls_back_to_tokenless_requests() {
    let server = metadata(false, 3600).await;
    let env = MapEnv::new().with("ALIBABA_CLOUD_ECS_METADATA", "EcsRole");
    let p = EcsRamRoleProvider::new(ctx(env).with_metadata_endpoint(server.url()));
    assert_eq!(p.credentials().await.unwrap().access_key_id, "ECS.id");
    let rs = server.requests();
    assert_eq!(rs.len(), 2, "no role lookup");
    assert_eq!(
        rs[1].path,
        "/latest/meta-data/ram/security-credentials/EcsRole"
    );
    assert!(rs[1].header("x-aliyun-ecs-metadata-token").is_none());
}

#[tokio::test]
async fn ecs_without_a_token_fails_when_imdsv1_is_disabled() {
    let server = metadata(false, 3600).await;
    let env = MapEnv::new().with("ALIBABA_CLOUD_IMDSV1_DISABLED", "true");
    let p = EcsRamRoleProvider::new(ctx(env).with_metadata_endpoint(server.url()));
    let e = p.credentials().await.unwrap_err();
    assert!(e.message.contains("ALIBABA_CLOUD_IMDSV1_DISABLED"), "{e}");
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn ecs_can_be_disabled_and_then_sends_nothing() {
    let server = metadata(true, 3600).await;
    let env = MapEnv::new().with("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true");
    let p = EcsRamRoleProvider::new(ctx(env).with_metadata_endpoint(server.url()));
    let e = p.credentials().await.unwrap_err();
    assert!(e.message.contains("disabled"), "{e}");
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn ecs_rejects_an_answer_whose_code_is_not_success() {
    let server = TestServer::start(|r, _| match r.method.as_str() {
        "PUT" => Reply::text(200, "tok"),
        _ => Reply::json(
            200,
            json!({"Code": "Failed", "AccessKeyId": "x", "AccessKeySecret": "leaky", "SecurityToken": "t", "Expiration": in_secs(3600)}),
        ),
    })
    .await;
    let p = EcsRamRoleProvider::new(ctx(MapEnv::new()).with_metadata_endpoint(server.url()))
        .with_role_name("R");
    let e = p.credentials().await.unwrap_err();
    assert!(e.message.contains("Failed"), "{e}");
    assert!(!e.message.contains("leaky"), "{e}");
}

// ---------------------------------------------------------------- credentials URI

#[tokio::test]
async fn credentials_uri_gets_and_caches() {
    let server = TestServer::start(|_, _| {
        Reply::json(200, flat_answer("URI.id", "uri-secret", "uri-token", 3600))
    })
    .await;
    let env = MapEnv::new().with(
        "ALIBABA_CLOUD_CREDENTIALS_URI",
        format!("{}/creds?auth=abc", server.url()),
    );
    let p = CredentialsUriProvider::new(ctx(env));
    assert_eq!(p.credentials().await.unwrap().access_key_id, "URI.id");
    p.credentials().await.unwrap();
    let rs = server.requests();
    assert_eq!(rs.len(), 1);
    assert_eq!(
        (rs[0].method.as_str(), rs[0].path.as_str()),
        ("GET", "/creds")
    );
    assert_eq!(rs[0].query, "auth=abc");
}

#[tokio::test]
async fn credentials_uri_reports_failures() {
    let server = TestServer::start(|_, i| {
        if i == 0 {
            Reply::json(200, json!({"Code": "Denied"}))
        } else {
            Reply::text(500, "<html>oops</html>")
        }
    })
    .await;
    let p = CredentialsUriProvider::new(ctx(MapEnv::new())).with_uri(server.url());
    let e = p.credentials().await.unwrap_err();
    assert!(e.message.contains("Denied"), "{e}");
    let e = p.credentials().await.unwrap_err();
    assert!(e.message.contains("HTTP 500"), "{e}");
    let e = CredentialsUriProvider::new(ctx(MapEnv::new()))
        .credentials()
        .await
        .unwrap_err();
    assert!(e.message.contains("ALIBABA_CLOUD_CREDENTIALS_URI"), "{e}");
}

// ---------------------------------------------------------------- CLI profiles

fn cli_config(home: &TempDir, current: &str, profiles: Value) {
    home.write(
        ".aliyun/config.json",
        &json!({"current": current, "profiles": profiles, "meta_path": ""}).to_string(),
    );
}

use alibabacloud_runtime::Value;

fn home_env(home: &TempDir) -> MapEnv {
    MapEnv::new().with("HOME", home.path().to_string_lossy())
}

#[tokio::test]
async fn cli_profile_uses_current_or_alibaba_cloud_profile() {
    let home = TempDir::new();
    cli_config(
        &home,
        "work",
        json!([
            {"name": "default", "mode": "AK", "access_key_id": "def-id", "access_key_secret": "def-secret", "region_id": "cn-hangzhou"},
            {"name": "work", "mode": "StsToken", "access_key_id": "work-id", "access_key_secret": "work-secret", "sts_token": "work-token"},
        ]),
    );
    let c = CliProfileProvider::new(ctx(home_env(&home)))
        .credentials()
        .await
        .unwrap();
    assert_eq!(c.access_key_id, "work-id");
    assert_eq!(c.security_token.unwrap().expose(), "work-token");
    let c = CliProfileProvider::new(ctx(home_env(&home).with("ALIBABA_CLOUD_PROFILE", "default")))
        .credentials()
        .await
        .unwrap();
    assert_eq!(c.access_key_id, "def-id");
    assert!(c.security_token.is_none());
    let e = CliProfileProvider::new(ctx(home_env(&home).with("ALIBABA_CLOUD_PROFILE", "nope")))
        .credentials()
        .await
        .unwrap_err();
    assert!(e.message.contains("\"nope\""), "{e}");
}

#[tokio::test]
async fn cli_profile_ram_role_arn_assumes_the_role_with_the_profile_key() {
    let home = TempDir::new();
    let server = sts(3600).await;
    cli_config(
        &home,
        "role",
        json!([{
            "name": "role", "mode": "RamRoleArn",
            "access_key_id": "cli-id", "access_key_secret": "cli-secret",
            "ram_role_arn": "acs:ram::1:role/cli", "ram_session_name": "cli-sess",
            "expired_seconds": 1800
        }]),
    );
    let p = CliProfileProvider::new(ctx(home_env(&home)).with_sts_endpoint(server.url()));
    assert_eq!(p.credentials().await.unwrap().access_key_id, "STS.id0");
    let r = &server.requests()[0];
    assert_eq!(r.query_param("AccessKeyId").as_deref(), Some("cli-id"));
    assert_eq!(
        r.form_param("RoleArn").as_deref(),
        Some("acs:ram::1:role/cli")
    );
    assert_eq!(r.form_param("RoleSessionName").as_deref(), Some("cli-sess"));
    assert_eq!(r.form_param("DurationSeconds").as_deref(), Some("1800"));
    assert_v1_signed(r, "cli-secret");
    p.credentials().await.unwrap();
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn cli_profile_chainable_ram_role_arn_follows_the_source_profile() {
    let home = TempDir::new();
    let server = sts(3600).await;
    cli_config(
        &home,
        "chained",
        json!([
            {"name": "base", "mode": "AK", "access_key_id": "base-id", "access_key_secret": "base-secret"},
            {"name": "chained", "mode": "ChainableRamRoleArn", "source_profile": "base", "ram_role_arn": "acs:ram::1:role/c"},
        ]),
    );
    let p = CliProfileProvider::new(ctx(home_env(&home)).with_sts_endpoint(server.url()));
    assert_eq!(p.credentials().await.unwrap().access_key_id, "STS.id0");
    assert_v1_signed(&server.requests()[0], "base-secret");
}

#[tokio::test]
async fn cli_profile_ecs_ram_role_uses_the_metadata_service() {
    let home = TempDir::new();
    let server = metadata(true, 3600).await;
    cli_config(
        &home,
        "ecs",
        json!([{"name": "ecs", "mode": "EcsRamRole", "ram_role_name": "EcsRole"}]),
    );
    let p = CliProfileProvider::new(ctx(home_env(&home)).with_metadata_endpoint(server.url()));
    assert_eq!(p.credentials().await.unwrap().access_key_id, "ECS.id");
    assert_eq!(
        server.count(),
        2,
        "token and credentials; the role is configured"
    );
}

#[tokio::test]
async fn cli_profile_errors_name_the_file_and_field_but_no_secret() {
    let home = TempDir::new();
    cli_config(
        &home,
        "p",
        json!([{"name": "p", "mode": "AK", "access_key_secret": "cli-leak"}]),
    );
    let e = CliProfileProvider::new(ctx(home_env(&home)))
        .credentials()
        .await
        .unwrap_err();
    assert!(e.message.contains("access_key_id is missing"), "{e}");
    assert!(e.message.contains("config.json"), "{e}");
    assert!(!e.message.contains("cli-leak"), "{e}");

    home.write(
        ".aliyun/config.json",
        "{\"profiles\": [{\"access_key_secret\": \"cli-leak\" ",
    );
    let e = CliProfileProvider::new(ctx(home_env(&home)))
        .credentials()
        .await
        .unwrap_err();
    assert!(e.message.contains("not valid JSON"), "{e}");
    assert!(!e.message.contains("cli-leak"), "{e}");

    cli_config(&home, "p", json!([{"name": "p", "mode": "Magic"}]));
    let e = CliProfileProvider::new(ctx(home_env(&home)))
        .credentials()
        .await
        .unwrap_err();
    assert!(e.message.contains("Magic"), "{e}");

    let e = CliProfileProvider::new(ctx(
        home_env(&home).with("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "true")
    ))
    .credentials()
    .await
    .unwrap_err();
    assert!(e.message.contains("disabled"), "{e}");
}

// ---------------------------------------------------------------- credentials INI file

const INI: &str = "\
[default]
type = access_key
access_key_id = ini-id
access_key_secret = ini-secret

[sts]
type = sts
access_key_id = ini-sts-id
access_key_secret = ini-sts-secret
security_token = ini-sts-token

[role]
type = ram_role_arn
access_key_id = ini-role-src
access_key_secret = ini-role-secret
role_arn = acs:ram::1:role/ini
role_session_name = ini-sess

[ecs]
type = ecs_ram_role
role_name = EcsRole
";

#[tokio::test]
async fn credentials_file_sections_by_profile() {
    let home = TempDir::new();
    home.write(".alibabacloud/credentials", INI);
    let c = ProfileFileProvider::new(ctx(home_env(&home)))
        .credentials()
        .await
        .unwrap();
    assert_eq!(c.access_key_id, "ini-id");
    assert_eq!(c.access_key_secret.expose(), "ini-secret");
    let c = ProfileFileProvider::new(ctx(home_env(&home).with("ALIBABA_CLOUD_PROFILE", "sts")))
        .credentials()
        .await
        .unwrap();
    assert_eq!(c.access_key_id, "ini-sts-id");
    assert_eq!(c.security_token.unwrap().expose(), "ini-sts-token");
}

#[tokio::test]
async fn credentials_file_ram_role_arn_and_ecs_ram_role() {
    let home = TempDir::new();
    home.write(".alibabacloud/credentials", INI);
    let server = sts(3600).await;
    let p = ProfileFileProvider::new(
        ctx(home_env(&home).with("ALIBABA_CLOUD_PROFILE", "role")).with_sts_endpoint(server.url()),
    );
    assert_eq!(p.credentials().await.unwrap().access_key_id, "STS.id0");
    let r = &server.requests()[0];
    assert_eq!(
        r.query_param("AccessKeyId").as_deref(),
        Some("ini-role-src")
    );
    assert_eq!(r.form_param("RoleSessionName").as_deref(), Some("ini-sess"));
    assert_v1_signed(r, "ini-role-secret");

    let md = metadata(true, 3600).await;
    let p = ProfileFileProvider::new(ctx(home_env(&home)).with_metadata_endpoint(md.url()))
        .with_profile("ecs");
    assert_eq!(p.credentials().await.unwrap().access_key_id, "ECS.id");
}

#[tokio::test]
async fn credentials_file_path_from_the_environment_and_errors() {
    let dir = TempDir::new();
    let file = dir.write("elsewhere.ini", INI);
    let env = MapEnv::new().with("ALIBABA_CLOUD_CREDENTIALS_FILE", file.to_string_lossy());
    let c = ProfileFileProvider::new(ctx(env))
        .credentials()
        .await
        .unwrap();
    assert_eq!(c.access_key_id, "ini-id");

    let missing = MapEnv::new().with("HOME", dir.path().to_string_lossy());
    let e = ProfileFileProvider::new(ctx(missing))
        .credentials()
        .await
        .unwrap_err();
    assert!(e.message.contains(".alibabacloud"), "{e}");

    dir.write("bad.ini", "[default]\naccess_key_secret ini-leak\n");
    let env = MapEnv::new().with(
        "ALIBABA_CLOUD_CREDENTIALS_FILE",
        dir.path().join("bad.ini").to_string_lossy(),
    );
    let e = ProfileFileProvider::new(ctx(env))
        .credentials()
        .await
        .unwrap_err();
    assert!(e.message.contains("line 2"), "{e}");
    assert!(!e.message.contains("ini-leak"), "{e}");
}

// ---------------------------------------------------------------- the default chain

/// A fake metadata service that is not there (every path 404).
async fn no_metadata() -> TestServer {
    TestServer::start(|_, _| Reply::text(404, "")).await
}

#[tokio::test]
async fn the_default_chain_lists_every_provider_when_none_answers() {
    let home = TempDir::new();
    let md = no_metadata().await;
    let chain = ChainProvider::default_chain(ctx(home_env(&home)).with_metadata_endpoint(md.url()));
    let e = chain.credentials().await.unwrap_err();
    let text = e.to_string();
    for name in [
        "[environment]",
        "[OIDC]",
        "[CLI profile]",
        "[credentials file]",
        "[ECS metadata]",
        "[credentials URI]",
    ] {
        assert!(text.contains(name), "{name} missing from {text}");
    }
    let order: Vec<usize> = [
        "[environment]",
        "[OIDC]",
        "[CLI profile]",
        "[credentials file]",
        "[ECS metadata]",
        "[credentials URI]",
    ]
    .iter()
    .map(|n| text.find(n).unwrap())
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{text}");
    assert!(text.contains("ALIBABA_CLOUD_ACCESS_KEY_ID"), "{text}");
    assert!(text.contains("ALIBABA_CLOUD_CREDENTIALS_URI"), "{text}");
}

#[tokio::test]
async fn the_default_chain_takes_the_first_provider_that_answers_and_sticks_to_it() {
    let home = TempDir::new();
    cli_config(
        &home,
        "default",
        json!([{"name": "default", "mode": "AK", "access_key_id": "cli-id", "access_key_secret": "cli-secret"}]),
    );
    home.write(".alibabacloud/credentials", INI);
    let md = no_metadata().await;
    let c = ctx(home_env(&home)).with_metadata_endpoint(md.url());

    let chain = ChainProvider::default_chain(c.clone());
    assert_eq!(chain.credentials().await.unwrap().access_key_id, "cli-id");
    assert_eq!(chain.last_used(), Some("CLI profile"));

    let env = home_env(&home)
        .with("ALIBABA_CLOUD_ACCESS_KEY_ID", "env-id")
        .with("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "env-secret");
    let chain = ChainProvider::default_chain(c.clone().with_env(Arc::new(env)));
    assert_eq!(chain.credentials().await.unwrap().access_key_id, "env-id");
    assert_eq!(chain.last_used(), Some("environment"));

    let env = home_env(&home).with("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "true");
    let chain = ChainProvider::default_chain(c.with_env(Arc::new(env)));
    assert_eq!(chain.credentials().await.unwrap().access_key_id, "ini-id");
    assert_eq!(md.count(), 0, "the metadata service comes after the files");
}

#[tokio::test]
async fn the_default_chain_reaches_ecs_and_then_the_credentials_uri() {
    let home = TempDir::new();
    let md = metadata(true, 3600).await;
    let chain = ChainProvider::default_chain(ctx(home_env(&home)).with_metadata_endpoint(md.url()));
    assert_eq!(chain.credentials().await.unwrap().access_key_id, "ECS.id");

    let no_md = no_metadata().await;
    let uri =
        TestServer::start(|_, _| Reply::json(200, flat_answer("URI.id", "s", "t", 3600))).await;
    let env = home_env(&home).with("ALIBABA_CLOUD_CREDENTIALS_URI", uri.url());
    let chain = ChainProvider::default_chain(ctx(env).with_metadata_endpoint(no_md.url()));
    assert_eq!(chain.credentials().await.unwrap().access_key_id, "URI.id");
    assert_eq!(chain.last_used(), Some("credentials URI"));
}
