//! The ROA parts of an operation's `Operation` impl: its method and path template.

use crate::ir::RoaIr;
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

/// `rt::Method::<Variant>` of a ROA operation.
pub(super) fn method(r: &RoaIr) -> TokenStream {
    let variant = Ident::new(&r.method, Span::call_site());
    quote!(rt::Method::#variant)
}

/// The `PATH` constant of a ROA operation.
pub(super) fn path(r: &RoaIr) -> TokenStream {
    let path = &r.path;
    // `Option` and `Some` are never shadowed by generated types (lowering's reserved names).
    quote!(const PATH: Option<&'static str> = Some(#path);)
}
