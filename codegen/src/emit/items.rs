//! Tokens for types, operations and the client.
//!
//! Every non-generic function of generated code is `#[inline]`. That is for compile time, not
//! speed: rustc compiles a library's non-generic, non-inline functions to machine code whether
//! or not anything calls them, while an `#[inline]` function is compiled only in the crates that
//! use it. A build of the generated crate is then type checking only (measured on the 679
//! operations of Security Center: half the wall time of the same code without it), and a program
//! pays code generation for the operations it calls. Derives (`Clone`, `PartialEq`, `Default`)
//! already mark their methods `#[inline]`.

use crate::ir::*;
use proc_macro2::{Delimiter, Group, Ident, Span, TokenStream, TokenTree};
use quote::quote;

/// An identifier, raw when written `r#name`.
pub fn ident(s: &str) -> Ident {
    match s.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(s, Span::call_site()),
    }
}

/// `#[doc = "…"]` attributes, one per line (prettyplease prints them as `///`).
pub fn doc_attrs(lines: &[String]) -> TokenStream {
    let lines = lines.iter().map(|l| {
        let text = if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        };
        quote!(#[doc = #text])
    });
    quote!(#(#lines)*)
}

/// The Rust type of a field (without the `Option` of optional fields).
pub fn type_tokens(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String => quote!(String),
        TypeRef::Bool => quote!(bool),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::F32 => quote!(f32),
        TypeRef::F64 => quote!(f64),
        TypeRef::Any => quote!(rt::Value),
        TypeRef::List(t) => {
            let t = type_tokens(t);
            quote!(Vec<#t>)
        }
        TypeRef::Map(t) => {
            let t = type_tokens(t);
            quote!(::std::collections::BTreeMap<String, #t>)
        }
        TypeRef::Nested { module, name } => {
            let m = ident(module);
            let n = ident(name);
            quote!(#m::#n)
        }
        TypeRef::Shared(n) => {
            let n = ident(n);
            quote!(crate::types::#n)
        }
        TypeRef::Boxed(t) => {
            let t = type_tokens(t);
            quote!(Box<#t>)
        }
    }
}

/// A struct with its conversions.
pub fn struct_tokens(s: &StructDef) -> TokenStream {
    let name = ident(&s.name);
    let doc = doc_attrs(&s.doc);
    let response = s.kind == StructKind::Response;
    let any_required = s.fields.iter().any(|f| f.required);
    let fields = s.fields.iter().map(|f| {
        let id = ident(&f.ident);
        let ty = type_tokens(&f.ty);
        let doc = doc_attrs(&f.doc);
        let dep = f
            .deprecated
            .then(|| quote!(#[deprecated(note = "deprecated by the service")]));
        if f.required {
            quote!(#doc #dep pub #id: #ty,)
        } else {
            quote!(#doc #dep pub #id: Option<#ty>,)
        }
    });
    let extra = s.extra_field.as_deref().map(|name| {
        let extra_ident = ident(name);
        quote! {
            #[doc = " Fields the spec does not declare, and declared fields whose value did not convert"]
            #[doc = " to their type: nothing the server sent is dropped."]
            pub #extra_ident: rt::Map<String, rt::Value>,
        }
    });
    let derive_default = (!any_required).then(|| quote!(Default,));
    let fields_ref: Vec<&FieldDef> = s.fields.iter().collect();
    let (derive_debug, debug_impl) = debug_tokens(&s.name, &fields_ref);
    let mut out = quote! {
        #doc
        #[derive(#derive_debug Clone, #derive_default PartialEq)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            #extra
        }
        #debug_impl
    };
    // The conversions are the runtime's macros over a table of (field, wire name).
    if response {
        let table = s.fields.iter().map(|f| {
            let id = ident(&f.ident);
            let wire = &f.wire;
            quote!(#id = #wire)
        });
        out.extend(quote! {
            rt::response_json!(#name { #(#table),* });
            #[cfg(feature = "serde")]
            rt::impl_serde!(#name);
        });
    } else if s.kind == StructKind::RequestObject {
        let table = s.fields.iter().map(|f| {
            let id = ident(&f.ident);
            let wire = &f.wire;
            let required = f.required.then(|| quote!(required));
            quote!(#id = #wire #required)
        });
        out.extend(quote!(rt::object_json!(#name { #(#table),* });));
    }
    if s.kind == StructKind::Request || (s.kind == StructKind::RequestObject) {
        out.extend(builder_tokens(s));
    }
    out
}

/// `Debug` of a struct with `fields`: derived (the first tokens, for the derive list), unless a
/// field is secret, when it is written out with `***` for the secrets' values (the second).
fn debug_tokens(name: &str, fields: &[&FieldDef]) -> (Option<TokenStream>, Option<TokenStream>) {
    if !fields.iter().any(|f| f.secret) {
        return (Some(quote!(Debug,)), None);
    }
    let rows = fields.iter().map(|f| {
        let id = ident(&f.ident);
        let label = f.ident.trim_start_matches("r#");
        match (f.secret, f.required) {
            (false, _) => quote!(.field(#label, &self.#id)),
            (true, true) => quote!(.field(#label, &"***")),
            (true, false) => quote!(.field(#label, &self.#id.as_ref().map(|_| "***"))),
        }
    });
    let ty = ident(name);
    let allow_dep = fields
        .iter()
        .any(|f| f.deprecated)
        .then(|| quote!(#[allow(deprecated)]));
    let body = quote! {
        #allow_dep
        impl ::core::fmt::Debug for #ty {
            #[inline]
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.debug_struct(#name) #(#rows)* .finish()
            }
        }
    };
    (None, Some(body))
}

/// `new` (taking the companion struct of required fields, if any) and one setter per optional
/// field, named as lowering decided.
fn builder_tokens(s: &StructDef) -> TokenStream {
    let name = ident(&s.name);
    let allow_dep = s
        .fields
        .iter()
        .any(|f| f.deprecated)
        .then(|| quote!(#[allow(deprecated)]));
    let inits = s.fields.iter().map(|f| {
        let id = ident(&f.ident);
        if f.required {
            quote!(#id: required.#id,)
        } else {
            quote!(#id: None,)
        }
    });
    let mut out = TokenStream::new();
    let new_fn = match &s.required_struct {
        Some(req_name) => {
            let req = ident(req_name);
            let required: Vec<&FieldDef> = s.fields.iter().filter(|f| f.required).collect();
            let fields = required.iter().map(|f| {
                let id = ident(&f.ident);
                let ty = type_tokens(&f.ty);
                let doc = doc_attrs(&f.doc);
                quote!(#doc pub #id: #ty,)
            });
            let doc = format!(
                " The required fields of [`{}`], by name: build it with a struct literal, so that a missing one does not compile.",
                s.name
            );
            let (derive_debug, debug_impl) = debug_tokens(req_name, &required);
            out.extend(quote! {
                #[doc = #doc]
                #[derive(#derive_debug Clone, PartialEq)]
                pub struct #req {
                    #(#fields)*
                }
                #debug_impl
            });
            quote! {
                #[doc = " A value with its required fields; set optional ones with the methods below."]
                #[inline]
                pub fn new(required: #req) -> Self {
                    Self { #(#inits)* }
                }
            }
        }
        // Without required fields the struct derives `Default`.
        None => quote! {
            #[doc = " An empty value; set fields with the methods below."]
            #[inline]
            pub fn new() -> Self {
                Self::default()
            }
        },
    };
    // One row per optional field for `rt::setters!`: `name(Type) = "Wire"`, followed by
    // `in field` when the method is not named like its field.
    let rows: Vec<TokenStream> = s
        .fields
        .iter()
        .filter_map(|f| {
            let setter = f.setter.as_deref()?;
            let method = ident(setter);
            let field = (setter != f.ident).then(|| {
                let id = ident(&f.ident);
                quote!(in #id)
            });
            let ty = type_tokens(&f.ty);
            let wire = f.wire.replace('`', "'");
            let dep = f
                .deprecated
                .then(|| quote!(#[deprecated(note = "deprecated by the service")]));
            Some(quote!(#dep #method(#ty) = #wire #field))
        })
        .collect();
    out.extend(quote! {
        #allow_dep
        impl #name {
            #new_fn
        }
    });
    if !rows.is_empty() {
        out.extend(quote!(rt::setters!(#name { #(#rows),* });));
    }
    out
}

/// The documented variant declarations of a wire-valued enum, and its table for
/// `rt::wire_enum!` / `rt::error_codes!` (`Variant = "text"`): the conversions themselves are
/// the runtime's, the same code for every enum.
fn variant_parts(variants: &[VariantDef]) -> (Vec<TokenStream>, Vec<TokenStream>) {
    variants
        .iter()
        .map(|v| {
            let id = ident(&v.ident);
            let d = doc_attrs(&v.doc);
            let w = &v.wire;
            (quote!(#d #id,), quote!(#id = #w))
        })
        .unzip()
}

/// FNV-1a, 64 bits, over strings each ended by a byte that UTF-8 never holds: stable across
/// platforms and releases (unlike `DefaultHasher`).
#[derive(Debug)]
struct Fnv(u64);

impl Fnv {
    fn new() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
    fn eat(&mut self, s: &str) {
        for b in s.bytes().chain([0xff]) {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
    fn variants(&mut self, variants: &[VariantDef]) {
        for v in variants {
            self.eat(&v.ident);
            self.eat(&v.wire);
            v.doc.iter().for_each(|l| self.eat(l));
            self.eat("");
        }
    }
    /// `prefix` and the hash's top 32 bits in hexadecimal.
    fn name(&self, prefix: &str) -> String {
        format!("{}{:08X}", prefix.trim_start_matches("r#"), self.0 >> 32)
    }
}

/// The name of `e`'s one definition in the crate's `enums` module: its own name and a hash of
/// everything it declares (name, docs, variants), so that identical enums of different
/// operations are one type, and the name depends on nothing but the enum itself.
pub fn shared_enum_name(e: &EnumDef) -> String {
    let mut h = Fnv::new();
    h.eat(&e.name);
    e.doc.iter().for_each(|l| h.eat(l));
    h.variants(&e.variants);
    h.name(&e.name)
}

/// The name of the one definition of an operation's error codes in `enums`: `ErrorCode` and a
/// hash of its variants (codes, names, documented HTTP statuses). 505 of Security Center's 679
/// operations document exactly `NoPermission` (403) and `ServerError` (500).
pub fn shared_error_name(e: &ErrorEnum) -> String {
    let mut h = Fnv::new();
    h.eat("error codes");
    h.variants(&e.variants);
    h.name("ErrorCode")
}

/// The error-code enum of one or more operations, in the crate's `enums` module.
pub fn error_enum_tokens(e: &ErrorEnum) -> TokenStream {
    let name = ident(&shared_error_name(e));
    let (variants, table) = variant_parts(&e.variants);
    let codes = e
        .variants
        .iter()
        .map(|v| format!("`{}`", v.wire.replace('`', "'")))
        .collect::<Vec<_>>();
    let doc = if codes.is_empty() {
        " Error codes of operations that document none: every code is kept in `Undocumented`."
            .to_owned()
    } else {
        format!(
            " Error codes {}; any other code is kept in `Undocumented`.",
            codes.join(", ")
        )
    };
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            #[doc = " A code the spec does not document, kept as sent."]
            Undocumented(String),
        }
        rt::error_codes!(#name { #(#table),* });
    }
}

/// An open string enum, in the crate's `enums` module, with its conversions.
pub fn enum_tokens(e: &EnumDef) -> TokenStream {
    let name = ident(&shared_enum_name(e));
    // The definition is shared by every parameter with these values: it carries the facts
    // line, and a parameter's own prose (hand-written specs) stays on its alias.
    let facts = e
        .doc
        .iter()
        .position(|l| l.trim_start().starts_with("Valid values of"))
        .unwrap_or(0);
    let doc = doc_attrs(&e.doc[facts..]);
    let (variants, table) = variant_parts(&e.variants);
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            #[doc = " A value this version does not know, kept as sent."]
            Unknown(String),
        }
        rt::wire_enum!(#name { #(#table),* });
        #[cfg(feature = "serde")]
        rt::impl_serde!(#name);
    }
}

/// Where an enum is declared: an alias of its one definition in `crate::enums`.
fn enum_alias_tokens(e: &EnumDef) -> TokenStream {
    let name = ident(&e.name);
    let shared = ident(&shared_enum_name(e));
    let doc = doc_attrs(&e.doc);
    quote! {
        #doc
        pub type #name = crate::enums::#shared;
    }
}

/// A type definition.
pub fn typedef_tokens(t: &TypeDef) -> TokenStream {
    match t {
        TypeDef::Struct(s) => struct_tokens(s),
        TypeDef::Enum(e) => enum_alias_tokens(e),
    }
}

/// The items of a module of nested types (its types, then its child modules).
///
/// Streams are moved into their parent with `extend`, not interpolated with `quote!`:
/// interpolation copies every token of the child once per level of nesting.
pub fn module_items(m: &ModuleIr) -> TokenStream {
    let mut out = TokenStream::new();
    out.extend(m.types.iter().map(typedef_tokens));
    out.extend(m.children.iter().map(module_tokens));
    out
}

/// Whether the items of `m` itself (not its children) name the runtime: structs do, enums
/// (aliases) do not.
pub fn uses_runtime(m: &ModuleIr) -> bool {
    m.types.iter().any(|t| matches!(t, TypeDef::Struct(_)))
}

/// Every enum declared in `m` and its children.
pub fn collect_enums<'a>(m: &'a ModuleIr, out: &mut Vec<&'a EnumDef>) {
    for t in &m.types {
        if let TypeDef::Enum(e) = t {
            out.push(e);
        }
    }
    for c in &m.children {
        collect_enums(c, out);
    }
}

/// A module of nested types, inline.
pub fn module_tokens(m: &ModuleIr) -> TokenStream {
    let name = ident(&m.name);
    let mut out = doc_attrs(&m.doc);
    let mut inner = if uses_runtime(m) {
        quote!(
            use alibabacloud_runtime as rt;
        )
    } else {
        TokenStream::new()
    };
    inner.extend(module_items(m));
    out.extend(quote!(pub mod #name));
    out.extend([TokenTree::Group(Group::new(Delimiter::Brace, inner))]);
    out
}

/// The error-code alias (of its definition in `crate::enums`) and the error alias of an
/// operation.
pub fn errors_tokens(op: &OperationIr) -> TokenStream {
    let e = &op.errors;
    let name = ident(&e.name);
    let shared = ident(&shared_error_name(e));
    let doc = doc_attrs(&e.doc);
    let alias = ident(&e.alias);
    let alias_doc = format!(" The error of `{}`: a [`{}`] for service errors, or a transport, credentials or response error.", op.action, e.name);
    quote! {
        #doc
        pub type #name = crate::enums::#shared;
        #[doc = #alias_doc]
        pub type #alias = rt::Error<#name>;
    }
}

/// The `Operation` impl and the client method of an operation.
pub fn operation_tokens(op: &OperationIr) -> TokenStream {
    let req = ident(&op.request.name);
    let resp_name = match &op.response {
        ResponseIr::Struct(s) => &s.name,
        ResponseIr::Alias { name, .. } => name,
    };
    let resp = ident(resp_name);
    let errs = ident(&op.errors.name);
    let alias = ident(&op.errors.alias);
    let action = &op.action;
    let method = match &op.roa {
        Some(r) => super::roa::method(r),
        None if op.get => quote!(rt::Method::Get),
        None => quote!(rt::Method::Post),
    };
    let roa_path = op.roa.as_ref().map(super::roa::path);
    let anonymous = op.anonymous.then(|| {
        quote!(
            const ANONYMOUS: bool = true;
        )
    });
    // One row per parameter for `rt::put_params!`; `(Query, Plain)`, the common case, is left
    // implicit.
    let rows = op.request.fields.iter().map(|f| {
        let id = ident(&f.ident);
        let wire = &f.wire;
        let p = f.param.unwrap_or(ParamIr {
            location: Location::Query,
            style: Style::Plain,
        });
        let loc = match p.location {
            Location::Query => quote!(Query),
            Location::Form => quote!(Form),
            Location::Header => quote!(Header),
            Location::Path => quote!(Path),
            Location::Body => quote!(Body),
        };
        let style = match p.style {
            Style::Plain => quote!(Plain),
            Style::RepeatList => quote!(RepeatList),
            Style::Flat => quote!(Flat),
            Style::Json => quote!(Json),
            Style::Simple => quote!(Simple),
        };
        let place = (!matches!((p.location, p.style), (Location::Query, Style::Plain)))
            .then(|| quote!((#loc, #style)));
        let required = f.required.then(|| quote!(required));
        quote!(#id = #wire #place #required)
    });
    let puts = (!op.request.fields.is_empty())
        .then(|| quote!(rt::put_params!(params, self, { #(#rows),* });));
    let params_arg = if op.request.fields.is_empty() {
        quote!(_params)
    } else {
        quote!(params)
    };
    let fn_name = ident(&op.method_name);
    let doc = doc_attrs(&op.doc);
    let deprecated = op
        .deprecated
        .as_ref()
        .map(|note| quote!(#[deprecated(note = #note)]));
    quote! {
        impl rt::Operation for #req {
            const ACTION: &'static str = #action;
            const METHOD: rt::Method = #method;
            #roa_path
            #anonymous
            type Output = #resp;
            type ErrorCode = #errs;
            #[inline]
            fn write_params(&self, #params_arg: &mut rt::Params) {
                #puts
            }
        }
        impl crate::Client {
            #doc
            #deprecated
            #[inline]
            pub fn #fn_name<'a>(&'a self, request: &'a #req) -> impl ::core::future::Future<Output = ::core::result::Result<#resp, #alias>> + 'a {
                self.runtime().call(request)
            }
        }
    }
}

/// The response type (struct or alias).
pub fn response_tokens(r: &ResponseIr) -> TokenStream {
    match r {
        ResponseIr::Struct(s) => struct_tokens(s),
        ResponseIr::Alias { name, doc, ty } => {
            let n = ident(name);
            let d = doc_attrs(doc);
            let t = type_tokens(ty);
            quote!(#d pub type #n = #t;)
        }
    }
}

/// `rt::Paged` (and `rt::PagedItems`) for a paged operation's request, and the client's
/// paginator method.
pub fn pagination_tokens(op: &OperationIr, p: &PaginationIr) -> TokenStream {
    let req = ident(&op.request.name);
    let by_token = p.by_token;
    let set = cursor_setter_tokens(p);
    let size = p.page_size.as_ref().map(page_size_tokens);
    let total = p.total.as_ref().map(total_tokens);
    let next = p.next_token.as_ref().map(|m| {
        let chain = member_chain(&m.idents);
        quote! {
            #[inline]
            fn next_token(page: &Self::Output) -> Option<&str> {
                #chain.map(String::as_str)
            }
        }
    });
    let (count, items_impl) = match &p.items {
        Some(items) => {
            let (count, items_impl) = items_tokens(&req, items);
            (Some(count), Some(items_impl))
        }
        None => (None, None),
    };
    let method = paginator_method_tokens(op, p);
    quote! {
        impl rt::Paged for #req {
            const BY_TOKEN: bool = #by_token;
            #set
            #size
            #total
            #next
            #count
        }
        #items_impl
        #method
    }
}

/// `set_token` or `set_page_number`: the paginator writes its cursor into the request.
fn cursor_setter_tokens(p: &PaginationIr) -> TokenStream {
    let cursor = ident(&p.cursor.ident);
    if p.by_token {
        let value = if p.cursor.required {
            quote!(token.unwrap_or_default())
        } else {
            quote!(token)
        };
        return quote! {
            #[inline]
            fn set_token(&mut self, token: Option<String>) {
                self.#cursor = #value;
            }
        };
    }
    let page = match p.cursor.ty {
        TypeRef::String => quote!(page.to_string()),
        TypeRef::I64 => quote!(i64::from(page)),
        _ => quote!(page),
    };
    let value = if p.cursor.required {
        page
    } else {
        quote!(Some(#page))
    };
    quote! {
        #[inline]
        fn set_page_number(&mut self, page: i32) {
            self.#cursor = #value;
        }
    }
}

/// `page_size`: the request's page size as a number, whatever its declared type.
fn page_size_tokens(f: &RequestField) -> TokenStream {
    let id = ident(&f.ident);
    let value = match (f.required, &f.ty) {
        (true, TypeRef::String) => quote!(self.#id.trim().parse().ok()),
        (false, TypeRef::String) => {
            quote!(self.#id.as_deref().and_then(|s| s.trim().parse().ok()))
        }
        (true, TypeRef::I64) => quote!(Some(self.#id)),
        (false, TypeRef::I64) => quote!(self.#id),
        (true, _) => quote!(Some(i64::from(self.#id))),
        (false, _) => quote!(self.#id.map(i64::from)),
    };
    quote! {
        #[inline]
        fn page_size(&self) -> Option<i64> {
            #value
        }
    }
}

/// `total`: the total the page reports, as a number.
fn total_tokens(m: &MemberPath) -> TokenStream {
    let chain = member_chain(&m.idents);
    let convert = if m.ty == TypeRef::I64 {
        quote!(.copied())
    } else {
        quote!(.map(|v| i64::from(*v)))
    };
    quote! {
        #[inline]
        fn total(page: &Self::Output) -> Option<i64> {
            #chain #convert
        }
    }
}

/// `item_count` for `rt::Paged`, and the `rt::PagedItems` impl that takes the items out of a
/// page.
fn items_tokens(req: &Ident, items: &ItemsIr) -> (TokenStream, TokenStream) {
    let chain = member_chain(&items.path.idents);
    let item = scoped_type_tokens(&items.scope, &items.item);
    let mut take = quote!(page);
    for (i, id) in items.path.idents.iter().enumerate() {
        let id = ident(id);
        take = if i == 0 {
            quote!(#take.#id)
        } else {
            quote!(#take.and_then(|v| v.#id))
        };
    }
    let count = quote! {
        #[inline]
        fn item_count(page: &Self::Output) -> Option<usize> {
            Some(#chain.map_or(0, Vec::len))
        }
    };
    let items_impl = quote! {
        impl rt::PagedItems for #req {
            type Item = #item;
            #[inline]
            fn items(page: Self::Output) -> Vec<Self::Item> {
                #take.unwrap_or_default()
            }
        }
    };
    (count, items_impl)
}

/// The client's `<operation>_paginator` method.
fn paginator_method_tokens(op: &OperationIr, p: &PaginationIr) -> TokenStream {
    let req = ident(&op.request.name);
    let method = ident(&p.method_name);
    let call = ident(&op.method_name);
    let doc = format!(
        " The pages of [`{call}`](Self::{call}) as a stream (the paginator sets the {}): see [`rt::Paginator`].",
        if p.by_token { "token" } else { "page number" }
    );
    let deprecated = op
        .deprecated
        .as_ref()
        .map(|note| quote!(#[deprecated(note = #note)]));
    quote! {
        impl crate::Client {
            #[doc = #doc]
            #deprecated
            #[inline]
            pub fn #method(&self, request: &#req) -> rt::Paginator<#req> {
                rt::Paginator::new(self.runtime().clone(), request.clone())
            }
        }
    }
}

/// `page.a.as_ref().and_then(|v| v.b.as_ref())…`: an optional reference to a nested member.
fn member_chain(idents: &[String]) -> TokenStream {
    let mut out = quote!(page);
    for (i, id) in idents.iter().enumerate() {
        let id = ident(id);
        out = if i == 0 {
            quote!(#out.#id.as_ref())
        } else {
            quote!(#out.and_then(|v| v.#id.as_ref()))
        };
    }
    out
}

/// A type written in module `scope` (relative to the operation module), as seen from the
/// operation module.
fn scoped_type_tokens(scope: &[String], ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::Nested { module, name } => {
            let path = scope.iter().chain([module]).map(|m| ident(m));
            let n = ident(name);
            quote!(#(#path::)* #n)
        }
        TypeRef::List(t) => {
            let t = scoped_type_tokens(scope, t);
            quote!(Vec<#t>)
        }
        TypeRef::Map(t) => {
            let t = scoped_type_tokens(scope, t);
            quote!(::std::collections::BTreeMap<String, #t>)
        }
        TypeRef::Boxed(t) => {
            let t = scoped_type_tokens(scope, t);
            quote!(Box<#t>)
        }
        other => type_tokens(other),
    }
}
