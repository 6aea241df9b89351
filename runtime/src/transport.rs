//! The HTTP transport behind the client, as a trait so that tests (yours and ours) can answer
//! requests without a network.

use crate::credentials::{BoxFuture, Env};
use crate::error::{RequestError, TransportError, TransportErrorKind};
use crate::transport_options::TransportOptions;
use std::fmt;
use std::time::Duration;

/// A signed request, ready to send. `Debug` hides token headers, token query parameters and
/// the body (which can hold an OIDC token).
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// `GET` or `POST`.
    pub method: http::Method,
    /// The full URL, query included, exactly as signed.
    pub url: String,
    /// Headers in the order they were set.
    pub headers: Vec<(String, String)>,
    /// The body (empty unless the operation has `formData` parameters).
    pub body: Vec<u8>,
}

impl HttpRequest {
    /// The first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(k, v)| {
                let hidden = k.to_ascii_lowercase().contains("token");
                (k.as_str(), if hidden { "***" } else { v.as_str() })
            })
            .collect();
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &redact_query_tokens(&self.url))
            .field("headers", &headers)
            .field("body", &format_args!("<{} bytes>", self.body.len()))
            .finish()
    }
}

/// `url` with the values of query parameters whose name contains `Token` replaced by `***`.
pub(crate) fn redact_query_tokens(url: &str) -> String {
    let Some((base, query)) = url.split_once('?') else {
        return url.to_owned();
    };
    let pairs: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, _)) if k.to_ascii_lowercase().contains("token") => format!("{k}=***"),
            _ => pair.to_owned(),
        })
        .collect();
    format!("{base}?{}", pairs.join("&"))
}

/// What the server answered.
#[derive(Debug, Clone)]
pub struct HttpResponse {
    /// HTTP status.
    pub status: u16,
    /// Response headers.
    pub headers: http::HeaderMap,
    /// The whole body.
    pub body: bytes::Bytes,
}

impl HttpResponse {
    /// A response with `status` and `body` and no headers (for canned answers in tests).
    pub fn new(status: u16, body: impl Into<bytes::Bytes>) -> Self {
        Self {
            status,
            headers: http::HeaderMap::new(),
            body: body.into(),
        }
    }

    /// The header `name` as text, if present and valid.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

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
        Self::with_env(options, &crate::credentials::ProcessEnv)
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
            let shown = format!(
                "{} {}",
                request.method,
                request.url.split('?').next().unwrap_or_default()
            );
            let fail = |e: reqwest::Error| classify(e, &shown);
            let empty_post = request.method == http::Method::POST
                && request.body.is_empty()
                && request.header("content-length").is_none();
            let mut builder = self.client.request(request.method, &request.url);
            for (k, v) in &request.headers {
                builder = builder.header(k, v);
            }
            if empty_post {
                builder = builder.header(http::header::CONTENT_LENGTH, "0");
            }
            let response = builder.body(request.body).send().await.map_err(fail)?;
            let status = response.status().as_u16();
            let headers = response.headers().clone();
            let body = crate::limits::read_capped(response, self.max_body_size, &shown).await?;
            Ok(HttpResponse {
                status,
                headers,
                body,
            })
        })
    }
}

/// Classifies a reqwest error. The message names the request as `shown` (no query string: with
/// the legacy signature it carries the security token), never reqwest's URL.
pub(crate) fn classify(e: reqwest::Error, shown: &str) -> TransportError {
    let e = e.without_url();
    let kind = if e.is_timeout() {
        TransportErrorKind::Timeout
    } else if e.is_connect() {
        TransportErrorKind::Connect
    } else {
        TransportErrorKind::Io
    };
    let mut message = format!("{shown}: {e}");
    let mut source: Option<&dyn std::error::Error> = std::error::Error::source(&e);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    TransportError::new(kind, message).with_source(e)
}
