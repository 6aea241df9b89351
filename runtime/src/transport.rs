//! The HTTP transport behind the client, as a trait so that tests (yours and ours) can answer
//! requests without a network.

use crate::error::{TransportError, TransportErrorKind};
pub use crate::wire::{HttpRequest, HttpResponse};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// A boxed future, as returned by the object-safe traits of this crate.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Sends requests. Implement it to answer requests in tests without a network.
pub trait Transport: Send + Sync + fmt::Debug {
    /// Sends `request` and reads the whole answer.
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>>;
}

/// Connect and read timeouts of the default transport.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// Time allowed to establish a connection (default 5 s, like the official SDKs).
    pub connect: Duration,
    /// Time allowed between reads of the answer (default 10 s, like the official SDKs).
    pub read: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            connect: Duration::from_secs(5),
            read: Duration::from_secs(10),
        }
    }
}

/// The default transport: reqwest over rustls, with a connection pool.
#[derive(Debug, Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
}

impl ReqwestTransport {
    /// A transport with `timeouts`.
    pub fn new(timeouts: Timeouts) -> Result<Self, TransportError> {
        let client = reqwest::Client::builder()
            .connect_timeout(timeouts.connect)
            .read_timeout(timeouts.read)
            .build()
            .map_err(|e| {
                TransportError::new(TransportErrorKind::Io, "building the HTTP client failed")
                    .with_source(e)
            })?;
        Ok(Self { client })
    }

    /// Wraps an existing reqwest client (its own timeouts and pool apply).
    pub fn from_client(client: reqwest::Client) -> Self {
        Self { client }
    }
}

impl Transport for ReqwestTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(async move {
            // The request as errors name it (no query string), formatted only on failure.
            let shown = |method: &http::Method, url: &str| {
                format!("{method} {}", url.split('?').next().unwrap_or_default())
            };
            let HttpRequest {
                method,
                url,
                headers,
                body,
            } = request;
            let fail = |e: reqwest::Error, method: &http::Method, url: &str| {
                classify(e, &shown(method, url))
            };
            let mut builder = self.client.request(method.clone(), url.as_str());
            for (k, v) in &headers {
                builder = builder.header(k.as_str(), v.as_str());
            }
            let mut response = builder
                .body(body)
                .send()
                .await
                .map_err(|e| fail(e, &method, &url))?;
            let status = response.status().as_u16();
            let headers = std::mem::take(response.headers_mut());
            let body = response.bytes().await.map_err(|e| fail(e, &method, &url))?;
            Ok(HttpResponse {
                status,
                headers,
                body,
            })
        })
    }
}

/// Classifies a reqwest error. The message names the request as `shown` (no query string: with
/// the legacy signature it carries the security token), never reqwest's URL; the reqwest error
/// (without its URL) is the source.
fn classify(e: reqwest::Error, shown: &str) -> TransportError {
    let e = e.without_url();
    let kind = if e.is_timeout() {
        TransportErrorKind::Timeout
    } else if e.is_connect() {
        TransportErrorKind::Connect
    } else {
        TransportErrorKind::Io
    };
    TransportError::new(kind, shown).with_source(e)
}
