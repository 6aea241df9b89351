//! No secret (access key secret, security token, OIDC token, metadata token) shows in `Debug`,
//! `Display` or an error message of any public type that holds or reads one.

mod common;

use alibabacloud_runtime::credentials::{
    ChainProvider, CliProfileProvider, CredentialsError, CredentialsUriProvider,
    EcsRamRoleProvider, EnvironmentProvider, MapEnv, OidcConfig, OidcProvider, ProfileFileProvider,
    ProvideCredentials, ProviderContext, RamRoleArnConfig, RamRoleArnProvider, StaticProvider,
};
use alibabacloud_runtime::transport::HttpRequest;
use alibabacloud_runtime::{
    Client, ClientBuilder, Credentials, MockTransport, Secret, SignatureVersion,
};
use common::*;
use serde_json::json;
use std::sync::Arc;

const SECRETS: [&str; 7] = [
    "SECRET-ak-value",
    "SECRET-proxy-password",
    "SECRET-sts-token",
    "SECRET-oidc-jwt",
    "SECRET-md-token",
    "SECRET-uri-auth",
    "SECRET-file-secret",
];

#[track_caller]
fn assert_clean(what: &str, shown: &str) {
    for s in SECRETS {
        assert!(!shown.contains(s), "{what} shows {s}: {shown}");
    }
}

fn debug(what: &str, v: &impl std::fmt::Debug) {
    assert_clean(what, &format!("{v:?}"));
    assert_clean(what, &format!("{v:#?}"));
}

fn error(what: &str, e: &CredentialsError) {
    debug(what, e);
    assert_clean(what, &e.to_string());
}

fn secret_creds() -> Credentials {
    Credentials::new("AKID", "SECRET-ak-value").with_security_token("SECRET-sts-token")
}

fn ctx(env: MapEnv) -> ProviderContext {
    ProviderContext::new().with_env(Arc::new(env))
}

#[tokio::test]
async fn credentials_and_every_provider_hide_secrets() {
    let dir = TempDir::new();
    let token_file = dir.write("token", "SECRET-oidc-jwt");
    dir.write(
        ".aliyun/config.json",
        &json!({"current": "p", "profiles": [{"name": "p", "mode": "StsToken",
            "access_key_id": "AKID", "access_key_secret": "SECRET-file-secret", "sts_token": "SECRET-sts-token"}]})
        .to_string(),
    );
    dir.write(
        ".alibabacloud/credentials",
        "[default]\ntype = access_key\naccess_key_id = AKID\naccess_key_secret = SECRET-file-secret\n",
    );
    let sts = TestServer::start(|_, _| {
        Reply::json(
            200,
            sts_answer("STS.id", "SECRET-ak-value", "SECRET-sts-token", 3600),
        )
    })
    .await;
    let md = TestServer::start(|r, _| match r.method.as_str() {
        "PUT" => Reply::text(200, "SECRET-md-token"),
        _ => Reply::json(
            200,
            flat_answer("ECS.id", "SECRET-ak-value", "SECRET-sts-token", 3600),
        ),
    })
    .await;
    let env = MapEnv::new()
        .with("HOME", dir.path().to_string_lossy())
        .with("ALIBABA_CLOUD_ACCESS_KEY_ID", "AKID")
        .with("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "SECRET-ak-value")
        .with("ALIBABA_CLOUD_SECURITY_TOKEN", "SECRET-sts-token")
        .with("ALIBABA_CLOUD_ROLE_ARN", "acs:ram::1:role/r")
        .with(
            "ALIBABA_CLOUD_OIDC_PROVIDER_ARN",
            "acs:ram::1:oidc-provider/p",
        )
        .with(
            "ALIBABA_CLOUD_OIDC_TOKEN_FILE",
            token_file.to_string_lossy(),
        );
    let c = ctx(env.clone())
        .with_sts_endpoint(sts.url())
        .with_metadata_endpoint(md.url());

    let creds = secret_creds();
    debug("Credentials", &creds);
    debug("Secret", &Secret::new("SECRET-ak-value"));
    assert_clean(
        "Secret Display",
        &Secret::new("SECRET-ak-value").to_string(),
    );
    debug("MapEnv", &env);
    debug("ProviderContext", &c);

    let static_p = StaticProvider::new(creds.clone());
    debug("StaticProvider", &static_p);

    let env_p = EnvironmentProvider::from_context(&c);
    env_p.credentials().await.unwrap();
    debug("EnvironmentProvider", &env_p);

    let oidc = OidcProvider::new(c.clone());
    oidc.credentials().await.unwrap();
    debug("OidcProvider", &oidc);
    let oidc_cfg = OidcConfig {
        token_file: token_file.clone(),
        ..Default::default()
    };
    debug("OidcConfig", &oidc_cfg);

    let role = RamRoleArnProvider::new(
        c.clone(),
        Arc::new(static_p.clone()),
        RamRoleArnConfig {
            role_arn: "acs:ram::1:role/r".into(),
            ..Default::default()
        },
    );
    role.credentials().await.unwrap();
    debug("RamRoleArnProvider", &role);

    let ecs = EcsRamRoleProvider::new(c.clone()).with_role_name("R");
    ecs.credentials().await.unwrap();
    debug("EcsRamRoleProvider", &ecs);

    let uri = TestServer::start(|_, _| {
        Reply::json(
            200,
            flat_answer("URI.id", "SECRET-ak-value", "SECRET-sts-token", 3600),
        )
    })
    .await;
    let uri_p = CredentialsUriProvider::new(c.clone())
        .with_uri(format!("{}/c?auth=SECRET-uri-auth", uri.url()));
    uri_p.credentials().await.unwrap();
    debug("CredentialsUriProvider", &uri_p);

    let cli = CliProfileProvider::new(c.clone());
    cli.credentials().await.unwrap();
    debug("CliProfileProvider", &cli);

    let file = ProfileFileProvider::new(c.clone());
    file.credentials().await.unwrap();
    debug("ProfileFileProvider", &file);

    let chain = ChainProvider::default_chain(c.clone());
    chain.credentials().await.unwrap();
    debug("ChainProvider", &chain);
}

#[tokio::test]
async fn client_builder_requests_and_the_mock_hide_secrets() {
    let mock = MockTransport::new();
    mock.push_json(200, &json!({"RequestId": "r"}));
    mock.push_json(200, &json!({"RequestId": "r"}));
    let builder = ClientBuilder::<Client>::new(&SAS)
        .region("cn-hangzhou")
        .credentials(secret_creds())
        .transport(Arc::new(mock.clone()))
        .proxy(alibabacloud_runtime::ProxyConfig::url(
            "http://ops:SECRET-proxy-password@127.0.0.1:3128",
        ));
    debug("ClientBuilder", &builder);
    let client = builder.build().unwrap();
    debug("Client", &client);
    client.call(&Describe::new()).await.unwrap();
    let v1: Client = ClientBuilder::new(&SAS)
        .region("cn-hangzhou")
        .credentials(secret_creds())
        .transport(Arc::new(mock.clone()))
        .signature_version(SignatureVersion::V1)
        .build()
        .unwrap();
    v1.call(&Describe::new()).await.unwrap();
    let sent = mock.requests();
    assert!(sent[0].header("x-acs-security-token").is_some());
    assert!(sent[1].url.contains("SECRET-sts-token"));
    for r in &sent {
        debug("HttpRequest", r);
    }
    debug("MockTransport", &mock);
    let oidc_body = HttpRequest {
        method: http::Method::POST,
        url: "https://sts.aliyuncs.com/?Action=AssumeRoleWithOIDC".into(),
        headers: [(
            http::HeaderName::from_static("x-aliyun-ecs-metadata-token"),
            http::HeaderValue::from_static("SECRET-md-token"),
        )]
        .into_iter()
        .collect(),
        body: b"OIDCToken=SECRET-oidc-jwt".to_vec(),
    };
    debug("HttpRequest with a token body", &oidc_body);
}

#[tokio::test]
async fn errors_of_failing_providers_and_calls_hide_secrets() {
    let dir = TempDir::new();
    // A CLI config that is not valid JSON, with a secret before the error position.
    dir.write(
        ".aliyun/config.json",
        "{\"profiles\":[{\"access_key_secret\":\"SECRET-file-secret\" \"x\"",
    );
    // A credentials file with a malformed line holding a secret.
    dir.write(
        ".alibabacloud/credentials",
        "[default]\naccess_key_secret SECRET-file-secret\n",
    );
    let token_file = dir.write("token", "SECRET-oidc-jwt");
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://127.0.0.1:{}", l.local_addr().unwrap().port())
    };
    let sts = TestServer::start(|_, _| {
        Reply::json(
            400,
            json!({"Code": "InvalidParameter.OIDCToken", "Message": "bad token", "RequestId": "x"}),
        )
    })
    .await;
    let env = MapEnv::new()
        .with("HOME", dir.path().to_string_lossy())
        .with(
            "ALIBABA_CLOUD_CREDENTIALS_URI",
            format!("{closed}/c?auth=SECRET-uri-auth"),
        )
        .with("ALIBABA_CLOUD_ROLE_ARN", "acs:ram::1:role/r")
        .with(
            "ALIBABA_CLOUD_OIDC_PROVIDER_ARN",
            "acs:ram::1:oidc-provider/p",
        )
        .with(
            "ALIBABA_CLOUD_OIDC_TOKEN_FILE",
            token_file.to_string_lossy(),
        );
    let c = ctx(env)
        .with_sts_endpoint(sts.url())
        .with_metadata_endpoint(closed.clone());

    let e = CliProfileProvider::new(c.clone())
        .credentials()
        .await
        .unwrap_err();
    assert!(e.message.contains("not valid JSON"), "{e}");
    error("CLI profile error", &e);

    let e = ProfileFileProvider::new(c.clone())
        .credentials()
        .await
        .unwrap_err();
    assert!(e.message.contains("line 2"), "{e}");
    error("credentials file error", &e);

    let e = OidcProvider::new(c.clone())
        .credentials()
        .await
        .unwrap_err();
    assert!(e.message.contains("InvalidParameter.OIDCToken"), "{e}");
    error("OIDC error", &e);

    let e = CredentialsUriProvider::new(c.clone())
        .credentials()
        .await
        .unwrap_err();
    error("credentials URI error", &e);

    let e = EcsRamRoleProvider::new(c.clone())
        .credentials()
        .await
        .unwrap_err();
    error("ECS error", &e);

    let e = ChainProvider::default_chain(c.clone())
        .credentials()
        .await
        .unwrap_err();
    assert!(e.message.contains("[credentials URI]"), "{e}");
    error("chain error", &e);

    // A call signed with the legacy signature carries the token in the URL; the transport
    // error must not.
    let client: Client = ClientBuilder::new(&SAS)
        .endpoint(closed)
        .credentials(secret_creds())
        .signature_version(SignatureVersion::V1)
        .retry_policy(alibabacloud_runtime::RetryPolicy::disabled())
        .build()
        .unwrap();
    let e = client.call(&Describe::new()).await.unwrap_err();
    assert_clean("call error Display", &e.to_string());
    assert_clean("call error Debug", &format!("{e:?}"));
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        assert_clean("call error source", &s.to_string());
        assert_clean("call error source Debug", &format!("{s:?}"));
        source = s.source();
    }
}
