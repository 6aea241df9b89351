//! Errors of a call: what the service answered, an answer that could not be understood, the
//! transport, credentials, or a request rejected before any network I/O.

use crate::wire::Failure;
pub use crate::wire::{AnyCode, ErrorCode, RedirectError, ResponseError, ServiceError};
use std::fmt;
use std::sync::Arc;

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
    Credentials(CredentialsError),
    /// The request was rejected before any network I/O (configuration or parameters).
    Request(RequestError),
    /// A paginator stopped a server that would have it loop: a repeated token, or more pages
    /// than its limit.
    Pagination(PaginationError),
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

impl From<Failure> for Error {
    fn from(f: Failure) -> Self {
        match f {
            Failure::Service(e) => Error::Service(e),
            Failure::Response(e) => Error::Response(e),
            Failure::Redirect(e) => Error::Redirect(e),
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
    /// The cause of the inner error: `Error` displays as the inner error itself, so the chain
    /// does not repeat it.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Service(_) | Error::Request(_) | Error::Redirect(_) | Error::Pagination(_) => {
                None
            }
            Error::Response(e) => std::error::Error::source(e),
            Error::Transport(e) => std::error::Error::source(e),
            Error::Credentials(e) => std::error::Error::source(e),
        }
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

/// Why no credentials could be obtained. Never holds a secret; the underlying error (a
/// transport failure, the service's error answer) stays reachable through
/// [`std::error::Error::source`].
#[derive(Debug, Clone)]
pub struct CredentialsError {
    /// What went wrong (for a chain: every provider tried and why it failed).
    pub message: String,
    invalid: bool,
    source: Option<Arc<dyn std::error::Error + Send + Sync>>,
}

impl CredentialsError {
    /// An error with `message`.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            invalid: false,
            source: None,
        }
    }

    /// An error of a configuration that exists but is wrong (a malformed or unsafe file, a
    /// field of the wrong type): a chain that goes on to a later provider still reports it.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self {
            invalid: true,
            ..Self::new(message)
        }
    }

    /// Whether the configuration exists but is wrong (see [`invalid`](Self::invalid)).
    pub fn is_invalid(&self) -> bool {
        self.invalid
    }

    /// Attaches the underlying error.
    #[must_use]
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(Arc::new(source));
        self
    }

    /// Prefixes the message with what was being done (`STS AssumeRole …`), keeping the source.
    #[must_use]
    pub fn context(mut self, what: &str) -> Self {
        self.message = format!("{what}: {}", self.message);
        self
    }
}

impl PartialEq for CredentialsError {
    /// Same message and kind, and both with or both without a source.
    fn eq(&self, other: &Self) -> bool {
        self.message == other.message
            && self.invalid == other.invalid
            && self.source.is_some() == other.source.is_some()
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "no credentials: {}", self.message)
    }
}

impl std::error::Error for CredentialsError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// `e` and its sources, joined by `: ` (where several errors are gathered into one message).
pub(crate) fn with_sources(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

/// Why a paginator stopped a server.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PaginationError {
    /// The server gave a next token it had already given: following it would loop.
    RepeatedToken {
        /// The action.
        action: &'static str,
        /// Pages read.
        pages: u32,
    },
    /// The server kept answering full pages past the paginator's limit.
    TooManyPages {
        /// The action.
        action: &'static str,
        /// The limit.
        limit: u32,
    },
}

impl fmt::Display for PaginationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::RepeatedToken { action, pages } => write!(
                f,
                "{action}: page {pages} repeats a next token given before; stopped instead of looping"
            ),
            Self::TooManyPages { action, limit } => write!(
                f,
                "{action}: more than {limit} pages; stopped (raise the limit with max_pages)"
            ),
        }
    }
}

impl std::error::Error for PaginationError {}
