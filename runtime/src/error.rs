//! Errors of a call: what the service answered, an answer that could not be understood, the
//! transport, credentials, or a request rejected before any network I/O.

use std::fmt;

/// The documented error codes of one operation, generated per operation. Every code the spec
/// does not list maps to the implementation's fallback variant, which keeps the code.
pub trait ErrorCode: Sized + fmt::Debug + Clone + PartialEq + Send + Sync + 'static {
    /// The variant for `code` (fallback for codes the spec does not list).
    fn from_code(code: &str) -> Self;
    /// The code as the service spells it.
    fn as_code(&self) -> &str;
}

/// The error code type of operations that document none: every code is kept as a string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnyCode(pub String);

impl ErrorCode for AnyCode {
    fn from_code(code: &str) -> Self {
        AnyCode(code.to_owned())
    }
    fn as_code(&self) -> &str {
        &self.0
    }
}

/// Everything a call can fail with. `K` is the operation's [`ErrorCode`].
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<K = AnyCode> {
    /// The service answered with an error code (HTTP status ≥ 400 and a JSON error body).
    /// Boxed, so that a `Result` stays small on the success path.
    Service(Box<ServiceError<K>>),
    /// The service's answer could not be understood: HTML from a gateway, a truncated or empty
    /// body, or a success body that is not JSON.
    Response(ResponseError),
    /// The request did not complete: connection, TLS, I/O, timeout, or a body over the cap.
    Transport(TransportError),
    /// The endpoint answered with a redirect (HTTP 3xx). Redirects are never followed: they
    /// would carry the signature and the security token to another origin.
    Redirect(RedirectError),
    /// No credentials could be obtained.
    Credentials(crate::credentials::CredentialsError),
    /// The request was rejected before any network I/O (configuration or parameters).
    Request(RequestError),
    /// A paginator stopped a server that would have it loop: a repeated token, or more pages
    /// than its limit.
    Pagination(crate::paginate::PaginationError),
}

impl<K: ErrorCode> Error<K> {
    /// The service error, if the service answered with one.
    pub fn as_service(&self) -> Option<&ServiceError<K>> {
        match self {
            Error::Service(e) => Some(e),
            _ => None,
        }
    }

    /// The documented error code, if the service answered with one.
    pub fn kind(&self) -> Option<&K> {
        self.as_service().map(|e| &e.kind)
    }

    /// The error code as the service sent it.
    pub fn code(&self) -> Option<&str> {
        self.as_service().map(|e| e.code.as_str())
    }

    /// The HTTP status, when the service answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Service(e) => Some(e.status),
            Error::Response(e) => Some(e.status),
            Error::Redirect(e) => Some(e.status),
            _ => None,
        }
    }

    /// The request id, when the service gave one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Service(e) => e.request_id.as_deref(),
            Error::Response(e) => e.request_id.as_deref(),
            Error::Redirect(e) => e.request_id.as_deref(),
            _ => None,
        }
    }

    /// Converts the error code type (used between the untyped core and typed operations).
    pub fn map_kind<L: ErrorCode>(self) -> Error<L> {
        match self {
            Error::Service(e) => Error::Service(Box::new(ServiceError {
                kind: L::from_code(&e.code),
                status: e.status,
                code: e.code,
                message: e.message,
                request_id: e.request_id,
                host_id: e.host_id,
                recommend: e.recommend,
                access_denied_detail: e.access_denied_detail,
                retry_after: e.retry_after,
                body: e.body,
                body_len: e.body_len,
            })),
            Error::Response(e) => Error::Response(e),
            Error::Transport(e) => Error::Transport(e),
            Error::Redirect(e) => Error::Redirect(e),
            Error::Credentials(e) => Error::Credentials(e),
            Error::Request(e) => Error::Request(e),
            Error::Pagination(e) => Error::Pagination(e),
        }
    }
}

impl<K: ErrorCode> fmt::Display for Error<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Service(e) => e.fmt(f),
            Error::Response(e) => e.fmt(f),
            Error::Transport(e) => e.fmt(f),
            Error::Redirect(e) => e.fmt(f),
            Error::Credentials(e) => e.fmt(f),
            Error::Request(e) => e.fmt(f),
            Error::Pagination(e) => e.fmt(f),
        }
    }
}

impl<K: ErrorCode> std::error::Error for Error<K> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(e) => Some(e),
            Error::Credentials(e) => Some(e),
            _ => None,
        }
    }
}

/// An error answer of the service.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ServiceError<K = AnyCode> {
    /// The documented code, or the fallback holding an undocumented one.
    pub kind: K,
    /// HTTP status.
    pub status: u16,
    /// The code as sent (`Code`).
    pub code: String,
    /// `Message`.
    pub message: Option<String>,
    /// `RequestId` (or the `x-acs-request-id` header).
    pub request_id: Option<String>,
    /// `HostId`.
    pub host_id: Option<String>,
    /// `Recommend`: a link to the diagnosis page.
    pub recommend: Option<String>,
    /// `AccessDeniedDetail`, when the service explains a denial.
    pub access_denied_detail: Option<serde_json::Value>,
    /// `x-acs-retry-after` in milliseconds, when the service asked to wait.
    pub retry_after: Option<u64>,
    /// The start of the raw body (at most [`ERROR_BODY_PREFIX`](crate::limits::ERROR_BODY_PREFIX)
    /// bytes, lossily decoded).
    pub body: String,
    /// The length of the whole body in bytes.
    pub body_len: usize,
}

impl<K> fmt::Display for ServiceError<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "service error {} (HTTP {})", self.code, self.status)?;
        if let Some(m) = &self.message {
            write!(f, ": {m}")?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " [request id {id}]")?;
        }
        if let Some(r) = &self.recommend {
            write!(f, " (see {r})")?;
        }
        Ok(())
    }
}

/// An answer that could not be understood.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ResponseError {
    /// HTTP status.
    pub status: u16,
    /// The request id from the `x-acs-request-id` header or the body, if any.
    pub request_id: Option<String>,
    /// What was wrong.
    pub reason: String,
    /// The start of the raw body (at most [`ERROR_BODY_PREFIX`](crate::limits::ERROR_BODY_PREFIX)
    /// bytes, lossily decoded).
    pub body: String,
    /// The length of the whole body in bytes.
    pub body_len: usize,
}

/// A redirect answer (HTTP 3xx), never followed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RedirectError {
    /// HTTP status (300–399).
    pub status: u16,
    /// The `Location` header, if any.
    pub location: Option<String>,
    /// The `x-acs-request-id` header, if any.
    pub request_id: Option<String>,
}

impl fmt::Display for RedirectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the endpoint answered HTTP {} (a redirect, not followed)",
            self.status
        )?;
        if let Some(l) = &self.location {
            // A redirect can echo the request's query, and with it the security token.
            write!(f, " to {}", crate::transport::redact_query_tokens(l))?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " [request id {id}]")?;
        }
        f.write_str("; check the endpoint")
    }
}

impl fmt::Display for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unexpected response (HTTP {}): {}",
            self.status, self.reason
        )?;
        if let Some(id) = &self.request_id {
            write!(f, " [request id {id}]")?;
        }
        let body = crate::json::truncate(&self.body, 200);
        if !body.is_empty() {
            write!(f, "; body starts: {body:?}")?;
        }
        Ok(())
    }
}

/// Why the request did not complete.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// Connecting failed (nothing was sent).
    Connect,
    /// A timeout elapsed (connect, read or the overall deadline).
    Timeout,
    /// Any other I/O or protocol failure after the request may have been sent.
    Io,
    /// The response body was larger than the transport's cap (`max_body_size`).
    BodyTooLarge,
}

/// A failure of the transport.
#[derive(Debug)]
pub struct TransportError {
    /// What kind of failure.
    pub kind: TransportErrorKind,
    /// Human-readable detail.
    pub message: String,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl TransportError {
    /// A transport error of `kind`.
    pub fn new(kind: TransportErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            source: None,
        }
    }

    /// Attaches the underlying error.
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(Box::new(source));
        self
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            TransportErrorKind::Connect => "connect failed",
            TransportErrorKind::Timeout => "timed out",
            TransportErrorKind::Io => "transport failed",
            TransportErrorKind::BodyTooLarge => "response too large",
        };
        write!(f, "{kind}: {}", self.message)
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// A request rejected before any network I/O.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestError(pub String);

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid request: {}", self.0)
    }
}

impl std::error::Error for RequestError {}
