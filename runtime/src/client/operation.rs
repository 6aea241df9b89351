//! The operation trait every generated request implements.

use crate::error::ErrorCode;
use crate::json::FromJson;
use crate::params::Params;

/// One API operation: generated for each action of a product. Requests are plain owned values
/// (so that paginators and typed test doubles can keep copies).
pub trait Operation: Clone + Send + Sync + 'static {
    /// The action name, sent as `x-acs-action`.
    const ACTION: &'static str;
    /// The HTTP method the operation is called with.
    const METHOD: Method;
    /// Whether the operation is anonymous: sent without credentials or signature.
    const ANONYMOUS: bool = false;
    /// The decoded success answer.
    type Output: FromJson;
    /// The documented error codes.
    type ErrorCode: ErrorCode;
    /// Writes the request's parameters.
    fn write_params(&self, params: &mut Params);
}

/// The HTTP methods RPC operations use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
}

impl Method {
    pub(crate) fn as_http(self) -> http::Method {
        match self {
            Method::Get => http::Method::GET,
            Method::Post => http::Method::POST,
        }
    }
}
