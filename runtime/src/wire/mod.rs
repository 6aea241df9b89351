//! The request path, a leaf with no dependency inside the crate: building and signing one
//! request (signature V3 or the legacy V1; ROA requests with V3 over their path), and interpreting its answer. The client's calls and
//! the credentials providers' STS calls both go through it.

mod answer;
mod build;
mod header_check;
mod http;
pub mod percent;
mod roa;
pub mod signer;
mod stamp;

pub(crate) use answer::{interpret, json_kind, truncate, Answer, Failure};
pub use answer::{
    AnyCode, ErrorCode, RedirectError, ResponseError, ServiceError, ERROR_BODY_PREFIX,
};
pub use build::{
    build_request, host_header, user_agent, user_agent_header, Call, SignatureVersion, SigningKey,
};
pub(crate) use header_check::{check_value as check_header_value, header_name, header_value};
pub use http::{HttpRequest, HttpResponse};
pub use roa::{build_roa_request, expand_path, json_body, RoaBody};
pub use stamp::{format_iso8601, random_fill, SignContext};
