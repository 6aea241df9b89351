//! The HTTP transport behind the client, as a trait so that tests (yours and ours) can answer
//! requests without a network.

use crate::env::Env;
use crate::error::{RequestError, TransportError, TransportErrorKind};
pub use crate::transport_options::Timeouts;
use crate::transport_options::TransportOptions;
pub use crate::wire::{HttpRequest, HttpResponse};
use std::fmt;
use std::future::Future;
use std::pin::Pin;

/// A boxed future, as returned by the object-safe traits of this crate.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Sends requests. Implement it to answer requests in tests without a network.
pub trait Transport: Send + Sync + fmt::Debug {
    /// Sends `request` and reads the whole answer.
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>>;

    /// Whether the transport wants each call's typed request ([`send_typed`](Self::send_typed)):
    /// typed test doubles do; by default no request is copied.
    fn wants_typed(&self) -> bool {
        false
    }

    /// Sends `request`, made from the typed request `typed` (only called when
    /// [`wants_typed`](Self::wants_typed)); by default the same as [`send`](Self::send).
    fn send_typed(
        &self,
        request: HttpRequest,
        typed: &TypedRequest,
    ) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        let _ = typed;
        self.send(request)
    }
}

/// The typed request an HTTP request was made from: the operation's action and a copy of the
/// request value (downcast it to the generated request type).
#[derive(Clone)]
pub struct TypedRequest {
    /// The action.
    pub action: &'static str,
    /// The request value.
    pub value: std::sync::Arc<dyn std::any::Any + Send + Sync>,
}

impl TypedRequest {
    /// Wraps a copy of `value`.
    pub fn new<T: std::any::Any + Send + Sync>(action: &'static str, value: T) -> Self {
        Self {
            action,
            value: std::sync::Arc::new(value),
        }
    }

    /// The request as `T`, if it is one.
    pub fn downcast_ref<T: std::any::Any>(&self) -> Option<&T> {
        self.value.downcast_ref()
    }
}

impl fmt::Debug for TypedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TypedRequest")
            .field("action", &self.action)
            .finish_non_exhaustive()
    }
}

/// The default transport: reqwest (rustls unless [`TlsBackend::NativeTls`] is chosen), with a
/// connection pool. It never follows a redirect nor sends a `Referer`, sends `Content-Length: 0`
/// with an empty `POST` (as the official SDKs do), and stops reading a body at the cap of its
/// [`TransportOptions`].
///
/// [`TlsBackend::NativeTls`]: crate::transport_options::TlsBackend::NativeTls
#[derive(Debug, Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
    max_body_size: usize,
}

impl ReqwestTransport {
    /// A transport with `options`; proxies from the process environment when the options say
    /// [`ProxyConfig::Environment`](crate::transport_options::ProxyConfig::Environment).
    pub fn new(options: &TransportOptions) -> Result<Self, RequestError> {
        Self::with_env(options, &crate::env::ProcessEnv)
    }

    /// A transport with `options`, reading proxy variables from `env`.
    pub fn with_env(options: &TransportOptions, env: &dyn Env) -> Result<Self, RequestError> {
        Ok(Self {
            client: options.build_client(env)?,
            max_body_size: options.max_body_size,
        })
    }
}

impl Transport for ReqwestTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(async move {
            let HttpRequest {
                method,
                url,
                headers,
                body,
            } = request;
            // The request as errors name it (no query string), formatted only on failure.
            let shown = || format!("{method} {}", url.split('?').next().unwrap_or_default());
            let empty_post = method == http::Method::POST
                && body.is_empty()
                && !headers
                    .iter()
                    .any(|(k, _)| k.eq_ignore_ascii_case("content-length"));
            let mut builder = self.client.request(method.clone(), url.as_str());
            for (k, v) in &headers {
                builder = builder.header(k.as_str(), v.as_str());
            }
            if empty_post {
                builder = builder.header(http::header::CONTENT_LENGTH, "0");
            }
            let mut response = builder
                .body(body)
                .send()
                .await
                .map_err(|e| classify(e, &shown()))?;
            let status = response.status().as_u16();
            let headers = std::mem::take(response.headers_mut());
            let body = read_capped(response, self.max_body_size, &shown).await?;
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

/// Reads the whole body of `response`, failing as soon as it passes `cap` bytes (or announces
/// more with `Content-Length`). `shown` names the request in errors (formatted only on failure).
async fn read_capped(
    mut response: reqwest::Response,
    cap: usize,
    shown: &(dyn Fn() -> String + Sync),
) -> Result<bytes::Bytes, TransportError> {
    let too_large = |seen: String| {
        TransportError::new(
            TransportErrorKind::BodyTooLarge,
            format!(
                "{}: the response body ({seen}) exceeds the limit of {cap} bytes \
                 (TransportOptions::max_body_size / ClientBuilder::max_body_size)",
                shown()
            ),
        )
    };
    if let Some(len) = response.content_length() {
        if len > cap as u64 {
            return Err(too_large(format!("Content-Length {len}")));
        }
    }
    let mut body = bytes::BytesMut::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| classify(e, &shown()))? {
        if body.len() + chunk.len() > cap {
            return Err(too_large(format!(
                "more than {} bytes",
                body.len() + chunk.len()
            )));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}
