//! The HTTP request and response of one call, as the transport sends and receives them.

use std::fmt;

/// A signed request, ready to send. `Debug` hides token headers, token query parameters and
/// the body (which can hold an OIDC token).
///
/// The headers are an [`http::HeaderMap`], built once with checked names and values, so that a
/// transport sends them without parsing them again; they go out in the order they were added.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// `GET` or `POST`.
    pub method: http::Method,
    /// The full URL, query included, exactly as signed.
    pub url: String,
    /// Headers in the order they were added.
    pub headers: http::HeaderMap,
    /// The body (empty unless the operation has `formData` parameters).
    pub body: Vec<u8>,
}

impl HttpRequest {
    /// The first header named `name` (case-insensitive) as text, if present and visible ASCII.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(k, v)| {
                // Names are lower case in a `HeaderMap`.
                let shown = if k.as_str().contains("token") {
                    "***"
                } else {
                    v.to_str().unwrap_or("<not visible ASCII>")
                };
                (k.as_str(), shown)
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
