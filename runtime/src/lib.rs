//! Runtime shared by the generated Alibaba Cloud crates (RPC style): signature V3, credentials,
//! endpoints, transport, errors, parameter encoding and lenient JSON decoding.
//!
//! Generated crates hold only types and a few lines per operation; everything that is the same
//! for every operation lives here, compiled once.
//!
//! See `README.md` beside this crate for the credentials chain, retries, timeouts, tracing and
//! the test seam (`MockTransport`, with the `test-util` feature).

pub mod client;
pub mod credentials;
pub mod endpoint;
pub mod enums;
mod env;
pub mod error;
#[cfg(feature = "test-util")]
pub mod examples;
pub mod json;
pub mod limits;
#[cfg(feature = "test-util")]
pub mod mock;
pub mod paginate;
pub mod params;
pub mod retry;
mod tables;
#[cfg(feature = "test-util")]
pub mod test_util;
pub mod transport;
pub mod transport_options;
mod wire;

pub use wire::{percent, signer};

pub use client::{CallOptions, Client, ClientBuilder, Method, Operation, SignatureVersion};
pub use credentials::{Credentials, Secret};
pub use endpoint::{Endpoint, Product};
pub use enums::WireEnum;
pub use error::{
    AnyCode, Error, ErrorCode, RedirectError, RequestError, ResponseError, ServiceError,
    TransportError,
};
pub use json::{Fields, FromJson, Members, ObjectWriter, ToJson};
#[cfg(feature = "test-util")]
pub use mock::MockTransport;
pub use paginate::{Paged, PagedItems, PaginationError, Paginator};
pub use params::{Location, Params, Style};
pub use retry::RetryPolicy;
pub use serde_json::{Map, Value};
pub use transport::TypedRequest;

/// What consuming a paginator's streams needs: `futures_util`'s `Stream` traits.
pub mod stream {
    pub use futures_util::stream::{Stream, StreamExt, TryStreamExt};
}
pub use transport_options::{ProxyConfig, TlsBackend, TlsRoots, TransportOptions};

#[doc(hidden)]
pub mod __private {
    pub use serde;
}
