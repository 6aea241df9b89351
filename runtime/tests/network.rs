//! The default transport against hostile or unusual loopback servers: redirects, oversized and
//! trickling bodies, strict endpoints, header values checked before sending, `Content-Length:
//! 0`, proxies (from the environment and the builder) and a private CA. Everything stays on
//! 127.0.0.1.

mod common;

use alibabacloud_runtime::credentials::{MapEnv, ProviderContext};
use alibabacloud_runtime::error::TransportErrorKind;
use alibabacloud_runtime::TlsBackend;
use alibabacloud_runtime::{
    Client, ClientBuilder, Credentials, Error, ProxyConfig, RetryPolicy, SignatureVersion, TlsRoots,
};
use common::*;
use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn ok() -> Reply {
    Reply::json(200, json!({"RequestId": "req-ok"}))
}

/// A client for `endpoint` that reads no process variable (proxies included).
fn builder(endpoint: &str) -> ClientBuilder {
    ClientBuilder::new(&SAS)
        .endpoint(endpoint)
        .env(Arc::new(MapEnv::new()))
        .credentials(Credentials::new("test-id", "test-secret").with_security_token("tok-secret"))
        .retry_policy(RetryPolicy::new().with_max_attempts(1))
}

#[tokio::test]
async fn redirects_are_typed_errors_and_never_followed() {
    let elsewhere = TestServer::start(|_, _| ok()).await;
    let target = format!("{}/collect", elsewhere.url());
    for status in [301u16, 302, 307, 308] {
        for version in [SignatureVersion::V3, SignatureVersion::V1] {
            let location = target.clone();
            let server = TestServer::start(move |_, _| {
                Reply::text(status, "")
                    .header("location", &location)
                    .header("x-acs-request-id", "r-3xx")
            })
            .await;
            let client: Client = builder(&server.url())
                .signature_version(version)
                .build()
                .unwrap();
            let e = client.call(&Describe::new()).await.unwrap_err();
            let Error::Redirect(r) = &e else {
                panic!("{status}: {e:?}")
            };
            assert_eq!(r.status, status);
            assert_eq!(r.location.as_deref(), Some(target.as_str()));
            assert_eq!(e.status(), Some(status));
            assert_eq!(e.request_id(), Some("r-3xx"));
            assert!(e.to_string().contains("redirect"), "{e}");
            assert_eq!(server.count(), 1);
            assert!(server.requests()[0].header("referer").is_none());
        }
    }
    assert_eq!(
        elsewhere.count(),
        0,
        "no request reached the redirect target"
    );
}

#[tokio::test]
async fn a_redirect_location_echoing_the_token_is_shown_redacted() {
    let server = TestServer::start(|r, _| {
        let location = format!("http://127.0.0.1:9/?{}", r.query);
        Reply::text(302, "").header("location", &location)
    })
    .await;
    let client: Client = builder(&server.url())
        .signature_version(SignatureVersion::V1)
        .build()
        .unwrap();
    let e = client.call(&Describe::new()).await.unwrap_err();
    let shown = format!("{e}");
    assert!(shown.contains("SecurityToken=***"), "{shown}");
    assert!(!shown.contains("tok-secret"), "{shown}");
}

#[tokio::test]
async fn bodies_over_the_cap_are_typed_errors() {
    let big = "x".repeat(300_000);
    let server = TestServer::start(move |_, _| Reply::text(200, &big)).await;
    let client: Client = builder(&server.url())
        .max_body_size(100_000)
        .build()
        .unwrap();
    let e = client.call(&Describe::new()).await.unwrap_err();
    match &e {
        Error::Transport(t) => {
            assert_eq!(t.kind, TransportErrorKind::BodyTooLarge);
            assert!(t.message.contains("100000"), "{e}");
        }
        other => panic!("{other:?}"),
    }
    // Without Content-Length (chunked), the cap holds too.
    let raw = RawServer::start(|mut s| async move {
        read_head(&mut s).await;
        let _ = s
            .write_all(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n")
            .await;
        let chunk = format!("{:x}\r\n{}\r\n", 50_000, "y".repeat(50_000));
        for _ in 0..10 {
            if s.write_all(chunk.as_bytes()).await.is_err() {
                return;
            }
        }
        let _ = s.write_all(b"0\r\n\r\n").await;
    })
    .await;
    let client: Client = builder(&raw.url()).max_body_size(120_000).build().unwrap();
    let e = client.call(&Describe::new()).await.unwrap_err();
    assert!(
        matches!(&e, Error::Transport(t) if t.kind == TransportErrorKind::BodyTooLarge),
        "{e:?}"
    );
}

#[tokio::test]
async fn error_bodies_keep_a_bounded_prefix_and_the_total_length() {
    let html = format!("<html>{}</html>", "e".repeat(200_000));
    let len = html.len();
    let server = TestServer::start(move |_, _| Reply::text(502, &html)).await;
    let client: Client = builder(&server.url()).build().unwrap();
    let e = client.call(&Describe::new()).await.unwrap_err();
    let Error::Response(r) = &e else {
        panic!("{e:?}")
    };
    assert_eq!(
        r.body.len(),
        alibabacloud_runtime::limits::ERROR_BODY_PREFIX
    );
    assert!(r.body.starts_with("<html>"));
    assert_eq!(r.body_len, len);

    let padded = json!({"Code": "Bad", "RequestId": "r", "Pad": "p".repeat(50_000)});
    let total = padded.to_string().len();
    let server = TestServer::start(move |_, _| Reply::json(400, padded.clone())).await;
    let client: Client = builder(&server.url()).build().unwrap();
    let e = client.call(&Describe::new()).await.unwrap_err();
    let s = e.as_service().unwrap();
    assert_eq!(s.code, "Bad");
    assert_eq!(s.body_len, total);
    assert!(s.body.len() <= alibabacloud_runtime::limits::ERROR_BODY_PREFIX);
}

#[tokio::test]
async fn endpoints_with_user_info_bad_ports_or_remote_http_do_not_build() {
    let server = TestServer::start(|_, _| ok()).await;
    let port = server.addr.port();
    let cases = [
        (format!("http://user:hunter2@127.0.0.1:{port}"), "user info"),
        (
            format!("https://tds.aliyuncs.com:443@127.0.0.1:{port}"),
            "user info",
        ),
        ("https://tds.aliyuncs.com:70000".to_owned(), "port"),
        ("https://tds.aliyuncs.com:0".to_owned(), "port"),
        ("http://tds.aliyuncs.com".to_owned(), "loopback"),
    ];
    for (endpoint, why) in cases {
        let e = builder(&endpoint).build().unwrap_err();
        assert!(matches!(e, Error::Request(_)), "{endpoint}: {e:?}");
        let shown = format!("{e} {e:?}");
        assert!(shown.contains(why), "{endpoint}: {shown}");
        assert!(!shown.contains("hunter2"), "{shown}");
    }
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn control_characters_in_headers_are_request_errors_before_sending() {
    let server = TestServer::start(|_, _| ok()).await;
    let mut op = Describe::new();
    op.headers
        .push(("x-acs-note", "a\r\nInjected: yes".to_owned()));
    let e = builder(&server.url())
        .build()
        .unwrap()
        .call(&op)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Request(_)), "{e:?}");
    assert!(e.to_string().contains("x-acs-note"), "{e}");

    let mut op = Describe::new();
    op.headers.push(("x-plain", "nul\0".to_owned()));
    let e = builder(&server.url())
        .build()
        .unwrap()
        .call(&op)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Request(_)), "{e:?}");

    for creds in [
        Credentials::new("id\r\nX-Evil: 1", "s"),
        Credentials::new("id", "s").with_security_token("tok\nen"),
    ] {
        let client: Client = builder(&server.url()).credentials(creds).build().unwrap();
        let e = client.call(&Describe::new()).await.unwrap_err();
        assert!(matches!(e, Error::Request(_)), "{e:?}");
        assert!(!e.to_string().contains("X-Evil"), "{e}");
    }

    let e = builder(&server.url())
        .user_agent_suffix("app/1\r\nX-Evil: 1")
        .build()
        .unwrap_err();
    assert!(matches!(e, Error::Request(_)), "{e:?}");
    assert_eq!(server.count(), 0, "nothing was sent");
}

#[tokio::test]
async fn a_trickling_server_is_bounded_by_the_attempt_deadline() {
    let raw = RawServer::start(|mut s| async move {
        read_head(&mut s).await;
        let _ = s
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 100000\r\n\r\n{")
            .await;
        // One byte every 100 ms: the read timeout (between reads) never fires.
        loop {
            tokio::time::sleep(Duration::from_millis(100)).await;
            if s.write_all(b" ").await.is_err() {
                return;
            }
        }
    })
    .await;
    let client: Client = builder(&raw.url())
        .read_timeout(Duration::from_secs(1))
        .attempt_timeout(Duration::from_millis(1500))
        .build()
        .unwrap();
    let started = Instant::now();
    let e = client.call(&Describe::new()).await.unwrap_err();
    let took = started.elapsed();
    assert!(
        matches!(&e, Error::Transport(t) if t.kind == TransportErrorKind::Timeout),
        "{e:?}"
    );
    assert!(
        took >= Duration::from_millis(1400) && took < Duration::from_secs(5),
        "{took:?}"
    );

    // Without a setting, the client has the documented default deadline.
    let default: Client = builder(&raw.url()).build().unwrap();
    assert_eq!(
        alibabacloud_runtime::client::DEFAULT_ATTEMPT_TIMEOUT,
        Duration::from_secs(60)
    );
    assert!(
        format!("{default:?}").contains("attempt_timeout: Some(60s)"),
        "{default:?}"
    );
}

#[tokio::test]
async fn an_empty_post_carries_content_length_zero() {
    let server = TestServer::start(|_, _| ok()).await;
    let client: Client = builder(&server.url()).build().unwrap();
    client.call(&Describe::new()).await.unwrap();
    let r = &server.requests()[0];
    assert_eq!(r.method, "POST");
    assert!(r.body.is_empty());
    assert_eq!(r.header("content-length"), Some("0"));
}

#[tokio::test]
async fn proxies_come_from_the_clients_environment_and_no_proxy_is_honoured() {
    let proxy = TestServer::start(|_, _| ok()).await;
    let endpoint = TestServer::start(|_, _| ok()).await;
    let via_env = |env: MapEnv| {
        builder(&endpoint.url())
            .env(Arc::new(env))
            .build()
            .map(|c: Client| c)
    };

    let client = via_env(MapEnv::new().with("HTTP_PROXY", proxy.url())).unwrap();
    client.call(&Describe::new()).await.unwrap();
    assert_eq!(proxy.count(), 1);
    assert_eq!(endpoint.count(), 0);
    let seen = &proxy.requests()[0];
    assert!(
        seen.target.starts_with(&format!("{}/", endpoint.url())),
        "absolute-form target through the proxy: {}",
        seen.target
    );

    let client = via_env(
        MapEnv::new()
            .with("http_proxy", proxy.url())
            .with("NO_PROXY", "localhost,127.0.0.1"),
    )
    .unwrap();
    client.call(&Describe::new()).await.unwrap();
    assert_eq!(proxy.count(), 1, "NO_PROXY goes direct");
    assert_eq!(endpoint.count(), 1);

    // In a CGI program (REQUEST_METHOD set) HTTP_PROXY may come from a request header: ignored.
    let client = via_env(
        MapEnv::new()
            .with("HTTP_PROXY", proxy.url())
            .with("REQUEST_METHOD", "GET"),
    )
    .unwrap();
    client.call(&Describe::new()).await.unwrap();
    assert_eq!((proxy.count(), endpoint.count()), (1, 2));

    // HTTPS_PROXY applies to https endpoints only.
    let client = via_env(MapEnv::new().with("HTTPS_PROXY", proxy.url())).unwrap();
    client.call(&Describe::new()).await.unwrap();
    assert_eq!((proxy.count(), endpoint.count()), (1, 3));
}

#[tokio::test]
async fn the_builders_proxy_overrides_the_environment() {
    let proxy = TestServer::start(|_, _| ok()).await;
    let endpoint = TestServer::start(|_, _| ok()).await;
    let env = MapEnv::new().with("HTTP_PROXY", proxy.url());

    let client: Client = builder(&endpoint.url())
        .env(Arc::new(env.clone()))
        .proxy(ProxyConfig::Disabled)
        .build()
        .unwrap();
    client.call(&Describe::new()).await.unwrap();
    assert_eq!((proxy.count(), endpoint.count()), (0, 1));

    let client: Client = builder(&endpoint.url())
        .proxy(ProxyConfig::url(proxy.url()))
        .build()
        .unwrap();
    client.call(&Describe::new()).await.unwrap();
    assert_eq!((proxy.count(), endpoint.count()), (1, 1));

    let client: Client = builder(&endpoint.url())
        .proxy(ProxyConfig::url(proxy.url()).with_no_proxy("127.0.0.1"))
        .build()
        .unwrap();
    client.call(&Describe::new()).await.unwrap();
    assert_eq!((proxy.count(), endpoint.count()), (1, 2));
}

#[tokio::test]
async fn the_credentials_chain_uses_the_clients_proxy_too() {
    let proxy =
        TestServer::start(|_, _| Reply::json(200, flat_answer("uri-id", "s", "t", 3600))).await;
    let endpoint = TestServer::start(|_, _| ok()).await;
    let env = MapEnv::new()
        .with("HOME", "/nonexistent-home-for-test")
        .with("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
        .with("ALIBABA_CLOUD_CREDENTIALS_URI", "http://127.0.0.1:9/creds");
    let client: Client = ClientBuilder::new(&SAS)
        .endpoint(endpoint.url())
        .provider_context(ProviderContext::new().with_env(Arc::new(env)))
        .proxy(ProxyConfig::url(proxy.url()))
        .build()
        .unwrap();
    // Nothing listens on port 9: the credentials URI and the call are answered by the proxy.
    client.call(&Describe::new()).await.unwrap();
    let targets: Vec<String> = proxy.requests().into_iter().map(|r| r.target).collect();
    assert!(
        targets[0].starts_with("http://127.0.0.1:9/creds"),
        "{targets:?}"
    );
    assert!(targets[1].starts_with(&endpoint.url()), "{targets:?}");
    assert_eq!(endpoint.count(), 0);
}

// ------------------------------------------------------------------ TLS with a private CA

#[tokio::test]
async fn a_private_ca_bundle_is_trusted_and_the_default_roots_are_not() {
    let rcgen::CertifiedKey { cert, key_pair } =
        rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned(), "localhost".to_owned()])
            .unwrap();
    let server = TlsServer::start(cert.der().to_vec(), key_pair.serialize_der()).await;
    let endpoint = format!("https://127.0.0.1:{}", server.port);

    let mut backends = vec![TlsBackend::Rustls];
    if cfg!(feature = "native-tls") {
        backends.push(TlsBackend::NativeTls);
    }
    for backend in backends {
        let client: Client = builder(&endpoint)
            .tls_backend(backend)
            .tls_roots(TlsRoots::PemBundle(cert.pem().into_bytes()))
            .build()
            .unwrap();
        let out = client.call(&Describe::new()).await.unwrap();
        assert_eq!(out["RequestId"], "tls-ok", "{backend:?}");
    }

    let client: Client = builder(&endpoint).build().unwrap();
    let e = client.call(&Describe::new()).await.unwrap_err();
    assert!(matches!(e, Error::Transport(_)), "{e:?}");

    let e = builder(&endpoint)
        .tls_roots(TlsRoots::PemBundle(
            b"-----BEGIN CERTIFICATE-----\nnope\n".to_vec(),
        ))
        .build()
        .unwrap_err();
    assert!(matches!(e, Error::Request(_)), "{e:?}");
}

#[test]
fn tls_choices_without_their_feature_are_build_errors_that_name_it() {
    let native_roots = builder("https://127.0.0.1:1")
        .tls_roots(TlsRoots::Native)
        .build();
    let native_tls = builder("https://127.0.0.1:1")
        .tls_backend(TlsBackend::NativeTls)
        .build();
    let webpki = builder("https://127.0.0.1:1")
        .tls_roots(TlsRoots::WebPki)
        .build();
    for (result, feature, on) in [
        (
            native_roots,
            "native-roots",
            cfg!(any(feature = "native-roots", feature = "native-tls")),
        ),
        (native_tls, "native-tls", cfg!(feature = "native-tls")),
        (webpki, "webpki-roots", cfg!(feature = "webpki-roots")),
    ] {
        match result {
            Ok(_) => assert!(on, "{feature}"),
            Err(e) => {
                assert!(!on, "{feature}: {e}");
                assert!(matches!(e, Error::Request(_)), "{e:?}");
                assert!(e.to_string().contains(feature), "{e}");
            }
        }
    }
}

/// A loopback HTTPS server that answers every request with a fixed JSON body.
struct TlsServer {
    port: u16,
    task: tokio::task::JoinHandle<()>,
}

impl TlsServer {
    async fn start(cert_der: Vec<u8>, key_der: Vec<u8>) -> Self {
        use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![CertificateDer::from(cert_der)],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key_der)),
        )
        .unwrap();
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let task = tokio::spawn(async move {
            loop {
                let Ok((tcp, _)) = listener.accept().await else {
                    continue;
                };
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    let Ok(mut tls) = acceptor.accept(tcp).await else {
                        return;
                    };
                    read_head(&mut tls).await;
                    let body = r#"{"RequestId":"tls-ok"}"#;
                    let reply = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = tls.write_all(reply.as_bytes()).await;
                    let _ = tls.shutdown().await;
                });
            }
        });
        Self { port, task }
    }
}

impl Drop for TlsServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

// ------------------------------------------------------------------ a raw loopback server

/// A loopback TCP server whose connections are handled by `serve`, for answers hyper would not
/// produce (a trickling or endless body).
struct RawServer {
    addr: std::net::SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl RawServer {
    async fn start<F, Fut>(serve: F) -> Self
    where
        F: Fn(tokio::net::TcpStream) -> Fut + Send + Sync + 'static,
        Fut: std::future::Future<Output = ()> + Send + 'static,
    {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let serve = Arc::new(serve);
        let task = tokio::spawn(async move {
            loop {
                let Ok((s, _)) = listener.accept().await else {
                    continue;
                };
                tokio::spawn(serve(s));
            }
        });
        Self { addr, task }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for RawServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Reads a request's head and its `content-length` body.
async fn read_head<S: tokio::io::AsyncRead + Unpin>(s: &mut S) {
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") {
        match s.read(&mut byte).await {
            Ok(1) => buf.push(byte[0]),
            _ => return,
        }
    }
    let head = String::from_utf8_lossy(&buf).to_ascii_lowercase();
    let len = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0u8; len];
    let _ = s.read_exact(&mut body).await;
}

#[tokio::test]
async fn a_metadata_token_with_a_line_break_is_never_sent() {
    use alibabacloud_runtime::credentials::{EcsRamRoleProvider, ProvideCredentials};
    let server = TestServer::start(|r, _| match (r.method.as_str(), r.path.as_str()) {
        ("PUT", _) => Reply::text(200, "md-token\r\nX-Evil: 1"),
        (_, "/latest/meta-data/ram/security-credentials/") => Reply::text(200, "EcsRole\n"),
        _ => Reply::json(200, flat_answer("ECS.id", "s", "t", 3600)),
    })
    .await;
    let ctx = |env: MapEnv| {
        ProviderContext::new()
            .with_env(Arc::new(env))
            .with_metadata_endpoint(server.url())
    };
    // The requests carrying the token are refused unsent; the tokenless fallback goes out.
    let c = EcsRamRoleProvider::new(ctx(MapEnv::new()))
        .credentials()
        .await
        .unwrap();
    assert_eq!(c.access_key_id, "ECS.id");
    assert_eq!(server.count(), 3);
    assert!(
        server
            .requests()
            .iter()
            .all(|r| r.header("x-aliyun-ecs-metadata-token").is_none()
                && r.header("x-evil").is_none())
    );

    let env = MapEnv::new().with("ALIBABA_CLOUD_IMDSV1_DISABLED", "true");
    let e = EcsRamRoleProvider::new(ctx(env))
        .credentials()
        .await
        .unwrap_err();
    assert!(
        e.message
            .to_ascii_lowercase()
            .contains("x-aliyun-ecs-metadata-token"),
        "{e}"
    );
    assert!(e.message.contains("nothing was sent"), "{e}");
    assert!(!e.message.contains("X-Evil"), "{e}");
    assert_eq!(server.count(), 4, "only the token request went out");
}

#[tokio::test]
async fn the_metadata_service_is_reached_directly_whatever_the_proxy() {
    use alibabacloud_runtime::credentials::{EcsRamRoleProvider, ProvideCredentials};
    let proxy = TestServer::start(|_, _| Reply::text(502, "")).await;
    let metadata = TestServer::start(|r, _| match (r.method.as_str(), r.path.as_str()) {
        ("PUT", _) => Reply::text(200, "md-token"),
        (_, "/latest/meta-data/ram/security-credentials/") => Reply::text(200, "EcsRole\n"),
        _ => Reply::json(200, flat_answer("ECS.id", "s", "t", 3600)),
    })
    .await;
    let env = MapEnv::new()
        .with("HTTP_PROXY", proxy.url())
        .with("ALL_PROXY", proxy.url());
    let ctx = ProviderContext::new()
        .with_env(Arc::new(env))
        .with_metadata_endpoint(metadata.url());
    let c = EcsRamRoleProvider::new(ctx).credentials().await.unwrap();
    assert_eq!(c.access_key_id, "ECS.id");
    assert_eq!((proxy.count(), metadata.count()), (0, 3));
}
