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
pub mod error;
#[cfg(feature = "test-util")]
pub mod examples;
pub mod json;
#[cfg(feature = "test-util")]
pub mod mock;
pub mod params;
pub mod retry;
pub mod transport;
mod wire;

pub use wire::{percent, signer};

pub use client::{CallOptions, Client, ClientBuilder, Method, Operation, SignatureVersion};
pub use credentials::{Credentials, Secret};
pub use endpoint::{Endpoint, Product};
pub use error::{
    AnyCode, Error, ErrorCode, RequestError, ResponseError, ServiceError, TransportError,
};
pub use json::{Fields, FromJson, Members, ObjectWriter, ToJson};
#[cfg(feature = "test-util")]
pub use mock::MockTransport;
pub use params::{Location, Params, Style};
pub use retry::RetryPolicy;
pub use serde_json::{Map, Value};

#[doc(hidden)]
pub mod __private {
    pub use serde;
}
