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
    /// ROA operations: the path template (`/clusters/{ClusterId}`), whose `{Name}`s are filled
    /// from the `Location::Path` parameters. `None` (RPC): the path is `/`.
    const PATH: Option<&'static str> = None;
    /// Whether the operation is anonymous: sent without credentials or signature.
    const ANONYMOUS: bool = false;
    /// The decoded success answer.
    type Output: FromJson;
    /// The documented error codes.
    type ErrorCode: ErrorCode;
    /// Writes the request's parameters.
    fn write_params(&self, params: &mut Params);
}

/// The HTTP methods operations use: RPC operations GET or POST, ROA operations any of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
    /// `PUT` (ROA).
    Put,
    /// `DELETE` (ROA).
    Delete,
    /// `PATCH` (ROA).
    Patch,
    /// `HEAD` (ROA).
    Head,
}

impl Method {
    pub(crate) fn as_http(self) -> http::Method {
        match self {
            Method::Get => http::Method::GET,
            Method::Post => http::Method::POST,
            Method::Put => http::Method::PUT,
            Method::Delete => http::Method::DELETE,
            Method::Patch => http::Method::PATCH,
            Method::Head => http::Method::HEAD,
        }
    }
}
