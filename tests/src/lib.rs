//! Test support shared by the cross-crate tests: a loopback HTTP server that records what it
//! receives and answers from a script, and an independent check of signature V3 recomputed from
//! the bytes the server received.

/// The README's usage example, compiled as a doctest so that it stays true.
#[doc = include_str!("../../README.md")]
pub mod readme {}

pub mod interop;
pub mod server;
pub mod verify;
