//! The client shared by every generated crate: the [`Operation`] trait generated requests
//! implement, the [`ClientBuilder`], and the [`Client`] that runs calls (retries, deadlines,
//! tracing) over the request path and the transport.

mod builder;
mod call;
mod operation;

pub use crate::wire::SignatureVersion;
pub use builder::{ClientBuilder, DEFAULT_ATTEMPT_TIMEOUT, REGION_ENV};
pub use call::{CallOptions, Client};
pub use operation::{Method, Operation};
