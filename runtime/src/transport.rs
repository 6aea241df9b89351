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
                mut headers,
                body,
            } = request;
            // The request as errors name it (no query string), formatted only on failure.
            let shown = || format!("{method} {}", url.split('?').next().unwrap_or_default());
            let parsed = parse_url(&url).map_err(|e| {
                TransportError::new(TransportErrorKind::Io, format!("{}: invalid URL", shown()))
                    .with_source(e)
            })?;
            if method == http::Method::POST
                && body.is_empty()
                && !headers.contains_key(http::header::CONTENT_LENGTH)
            {
                headers.append(
                    http::header::CONTENT_LENGTH,
                    http::HeaderValue::from_static("0"),
                );
            }
            // The headers were checked when the request was built: they are handed over as
            // they are, not parsed again.
            let mut outgoing = reqwest::Request::new(method.clone(), parsed);
            *outgoing.headers_mut() = headers;
            *outgoing.body_mut() = Some(body.into());
            let mut response = self
                .client
                .execute(outgoing)
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

/// Parses `url`. A request URL is `<base>/?<canonical query>`, and a client sends every call to
/// the same base: the base is parsed once per thread and the query set on a copy, which gives
/// the same URL as parsing the whole text (the query holds only characters that the URL parser
/// keeps as they are), without parsing the scheme and host again on every call.
fn parse_url(url: &str) -> Result<reqwest::Url, impl std::error::Error + Send + Sync + 'static> {
    thread_local! {
        static LAST_BASE: std::cell::RefCell<Option<reqwest::Url>> =
            const { std::cell::RefCell::new(None) };
    }
    let Some((base, query)) = url.split_once("/?") else {
        return reqwest::Url::parse(url);
    };
    let plain = |s: &str| {
        s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.~%=&".contains(&b))
    };
    if !plain(query) || base.contains(['?', '#']) {
        return reqwest::Url::parse(url);
    }
    let base = &url[..base.len() + 1];
    LAST_BASE.with(|last| {
        let mut last = last.borrow_mut();
        let mut parsed = match last.as_ref() {
            Some(cached) if cached.as_str() == base => cached.clone(),
            _ => {
                let fresh = reqwest::Url::parse(base)?;
                if fresh.as_str() != base {
                    // Not in its normal form: parse the whole text, as the parser would.
                    return reqwest::Url::parse(url);
                }
                *last = Some(fresh.clone());
                fresh
            }
        };
        parsed.set_query(Some(query));
        Ok(parsed)
    })
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
    // A body that arrives in one chunk (the common case) is kept as it is, not copied.
    let mut first: Option<bytes::Bytes> = None;
    let mut body = bytes::BytesMut::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| classify(e, &shown()))? {
        let seen = first.as_ref().map_or(0, bytes::Bytes::len) + body.len();
        if seen + chunk.len() > cap {
            return Err(too_large(format!("more than {} bytes", seen + chunk.len())));
        }
        match first.take() {
            None if body.is_empty() => first = Some(chunk),
            None => body.extend_from_slice(&chunk),
            Some(earlier) => {
                body.extend_from_slice(&earlier);
                body.extend_from_slice(&chunk);
            }
        }
    }
    Ok(first.unwrap_or_else(|| body.freeze()))
}

#[cfg(test)]
mod tests {
    use super::parse_url;

    #[test]
    fn a_url_parsed_from_its_base_is_the_url_parsed_whole() {
        for url in [
            "http://127.0.0.1:8080/?A=1&B=x%20y",
            "https://tds.cn-shanghai.aliyuncs.com/?Action=A&Lang=en",
            "https://tds.cn-shanghai.aliyuncs.com/?Action=B",
            "https://TDS.example.com:443/?A=1",
            "http://h/p/?q=1",
            "http://h/#f/?q=1",
            "http://h/?q=a b",
            "http://h/",
            "http://h",
        ] {
            for _ in 0..2 {
                let whole = reqwest::Url::parse(url).unwrap();
                assert_eq!(parse_url(url).unwrap(), whole, "{url}");
                assert_eq!(parse_url(url).unwrap().as_str(), whole.as_str(), "{url}");
            }
        }
        assert!(parse_url("not a url/?a=1").is_err());
    }
}
