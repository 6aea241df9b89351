//! The API change report (`cargo xtask api-diff`): what changed between two spec trees at the
//! API level, each change classified for the generated Rust API and for the wire by the single
//! table in [`rules`].
//!
//! [`surface`] reduces a product's specs to the facts that shape the API; [`compare`] lists
//! the differences of two surfaces; [`render`] prints them as text, Markdown, JSON, a one-line
//! summary or a changelog section; [`source`] reads the old side from a directory, a git
//! revision or a release baseline; [`release`] checks the crate version against the changes.

pub mod compare;
pub mod release;
pub mod render;
pub mod rules;
pub mod source;
pub mod surface;

pub use compare::{compare, Change};
pub use rules::{Class, Group, Kind};
pub use surface::ProductSurface;

/// A comparison and what it compared.
#[derive(Debug, Clone)]
pub struct Report {
    /// The old side as the user named it (`HEAD`, a directory, `the release baselines`).
    pub base: String,
    /// The new side (`the working tree`, a directory).
    pub head: String,
    /// The changes, by product, then operation.
    pub changes: Vec<Change>,
}

impl Report {
    /// Compares `old` with `new`.
    pub fn new(
        base: impl Into<String>,
        head: impl Into<String>,
        old: &[ProductSurface],
        new: &[ProductSurface],
    ) -> Self {
        Self {
            base: base.into(),
            head: head.into(),
            changes: compare(old, new),
        }
    }

    /// The changes of one product (`Sas 2018-12-03`).
    pub fn of_product<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a Change> + 'a {
        self.changes.iter().filter(move |c| c.product == key)
    }
}
