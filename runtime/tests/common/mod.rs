//! Test helpers: a loopback HTTP server that records requests and answers from a closure, a
//! temporary directory, and a toy operation.

#![allow(dead_code)]

use alibabacloud_runtime::{AnyCode, Location, Method, Operation, Params, Product, Style, Value};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A request as the server saw it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    /// The request target as sent: a path, or an absolute URL when sent to a proxy.
    pub target: String,
    pub path: String,
    pub query: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

pub fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

pub fn parse_pairs(s: &str) -> Vec<(String, String)> {
    s.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (decode(k), decode(v)),
            None => (decode(p), String::new()),
        })
        .collect()
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        parse_pairs(&self.query)
    }
    pub fn form_pairs(&self) -> Vec<(String, String)> {
        parse_pairs(&String::from_utf8_lossy(&self.body))
    }
    pub fn query_param(&self, key: &str) -> Option<String> {
        self.query_pairs()
            .into_iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }
    pub fn form_param(&self, key: &str) -> Option<String> {
        self.form_pairs()
            .into_iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }
}

/// What the server answers.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub delay: Option<Duration>,
}

impl Reply {
    pub fn json(status: u16, body: Value) -> Self {
        Self {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.to_string(),
            delay: None,
        }
    }
    pub fn text(status: u16, body: &str) -> Self {
        Self {
            status,
            headers: vec![],
            body: body.to_owned(),
            delay: None,
        }
    }
    pub fn header(mut self, k: &str, v: &str) -> Self {
        self.headers.push((k.into(), v.into()));
        self
    }
    pub fn after(mut self, d: Duration) -> Self {
        self.delay = Some(d);
        self
    }
}

type Handler = dyn Fn(&Recorded, usize) -> Reply + Send + Sync;

/// A loopback HTTP/1 server; `handler` gets each request and its index (0-based).
pub struct TestServer {
    pub addr: SocketAddr,
    requests: Arc<Mutex<Vec<Recorded>>>,
    task: tokio::task::JoinHandle<()>,
}

impl TestServer {
    pub async fn start(
        handler: impl Fn(&Recorded, usize) -> Reply + Send + Sync + 'static,
    ) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let requests: Arc<Mutex<Vec<Recorded>>> = Arc::default();
        let handler: Arc<Handler> = Arc::new(handler);
        let recorded = requests.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let recorded = recorded.clone();
                let handler = handler.clone();
                tokio::spawn(async move {
                    let svc = service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
                        let recorded = recorded.clone();
                        let handler = handler.clone();
                        async move {
                            let (parts, body) = req.into_parts();
                            let body = body
                                .collect()
                                .await
                                .map(|b| b.to_bytes())
                                .unwrap_or_default();
                            let rec = Recorded {
                                method: parts.method.to_string(),
                                target: parts.uri.to_string(),
                                path: parts.uri.path().to_owned(),
                                query: parts.uri.query().unwrap_or_default().to_owned(),
                                headers: parts
                                    .headers
                                    .iter()
                                    .map(|(k, v)| {
                                        (k.to_string(), v.to_str().unwrap_or_default().to_owned())
                                    })
                                    .collect(),
                                body: body.to_vec(),
                            };
                            let index = {
                                let mut r = recorded.lock().unwrap();
                                r.push(rec.clone());
                                r.len() - 1
                            };
                            let reply = handler(&rec, index);
                            if let Some(d) = reply.delay {
                                tokio::time::sleep(d).await;
                            }
                            let mut resp = hyper::Response::builder().status(reply.status);
                            for (k, v) in &reply.headers {
                                resp = resp.header(k, v);
                            }
                            Ok::<_, std::convert::Infallible>(
                                resp.body(Full::new(Bytes::from(reply.body))).unwrap(),
                            )
                        }
                    });
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), svc)
                        .await;
                });
            }
        });
        Self {
            addr,
            requests,
            task,
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }

    pub fn count(&self) -> usize {
        self.requests.lock().unwrap().len()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A temporary directory, removed on drop.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new() -> Self {
        static N: AtomicUsize = AtomicUsize::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        let p = std::env::temp_dir().join(format!(
            "acs-runtime-test-{}-{}-{nanos}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&p).unwrap();
        Self(p)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    /// Writes `contents` at `rel`, creating parent directories.
    pub fn write(&self, rel: &str, contents: &str) -> PathBuf {
        let p = self.0.join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&p, contents).unwrap();
        p
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// An RFC 3339 time `secs` from now.
pub fn in_secs(secs: i64) -> String {
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
        + secs;
    let dt = time::OffsetDateTime::from_unix_timestamp(t).unwrap();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        dt.year(),
        u8::from(dt.month()),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second()
    )
}

/// An STS answer with credentials expiring `secs` from now.
pub fn sts_answer(id: &str, secret: &str, token: &str, secs: i64) -> Value {
    serde_json::json!({
        "RequestId": "sts-req",
        "AssumedRoleUser": {"Arn": "acs:ram::1:role/r/s", "AssumedRoleId": "1:s"},
        "Credentials": {
            "AccessKeyId": id,
            "AccessKeySecret": secret,
            "SecurityToken": token,
            "Expiration": in_secs(secs),
        }
    })
}

/// A metadata or credentials-URI answer expiring `secs` from now.
pub fn flat_answer(id: &str, secret: &str, token: &str, secs: i64) -> Value {
    serde_json::json!({
        "AccessKeyId": id,
        "AccessKeySecret": secret,
        "SecurityToken": token,
        "Expiration": in_secs(secs),
        "LastUpdated": in_secs(0),
        "Code": "Success",
    })
}

pub static SAS: Product = Product {
    code: "Sas",
    version: "2018-12-03",
    endpoints: &[
        ("cn-hangzhou", "tds.aliyuncs.com"),
        ("cn-shanghai", "tds.cn-shanghai.aliyuncs.com\t"),
    ],
};

/// A toy operation: one query parameter and, optionally, a form parameter and headers.
#[derive(Clone)]
pub struct Describe {
    pub lang: Option<String>,
    pub form: Option<String>,
    pub headers: Vec<(&'static str, String)>,
}

impl Describe {
    pub fn new() -> Self {
        Self {
            lang: Some("en".into()),
            form: None,
            headers: Vec::new(),
        }
    }
}

impl Operation for Describe {
    const ACTION: &'static str = "DescribeVersionConfig";
    const METHOD: Method = Method::Post;
    type Output = Value;
    type ErrorCode = AnyCode;
    fn write_params(&self, params: &mut Params) {
        params.put("Lang", Location::Query, Style::Plain, self.lang.as_ref());
        params.put("Note", Location::Form, Style::Plain, self.form.as_ref());
        for (name, value) in &self.headers {
            params.put(name, Location::Header, Style::Plain, Some(value));
        }
    }
}

/// An anonymous operation: sent without credentials or signature.
#[derive(Clone)]
pub struct Anon;

impl Operation for Anon {
    const ACTION: &'static str = "AssumeRoleWithOIDC";
    const METHOD: Method = Method::Post;
    const ANONYMOUS: bool = true;
    type Output = Value;
    type ErrorCode = AnyCode;
    fn write_params(&self, params: &mut Params) {
        params.put("RoleArn", Location::Query, Style::Plain, Some("r"));
    }
}

/// A `tracing` writer that keeps everything written, for tests that read the events a call
/// emits.
#[derive(Clone, Default)]
pub struct Buffer(pub std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Buffer {
    type Writer = Buffer;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}
