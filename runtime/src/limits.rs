//! Bounds on what the runtime keeps from a response: the body cap of the default transport and
//! the prefix of a body that errors keep.

pub use crate::wire::ERROR_BODY_PREFIX;
