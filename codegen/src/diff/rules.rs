//! The classification table: for each kind of spec change, what it does to the generated Rust
//! API and to the wire, and where the changelog lists it. [`RULES`] is the only place these
//! decisions are made; `spec/README.md` shows the same table ([`markdown_table`]), and a test
//! keeps the two equal.

use serde::Serialize;

/// What a change does to one surface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Class {
    /// Code or clients written against the old spec can stop compiling or working.
    Breaking,
    /// Something new; what worked keeps working.
    Additive,
    /// No effect on this surface.
    None,
}

/// The changelog section a change belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Group {
    /// `### Breaking`.
    Breaking,
    /// `### Added`.
    Added,
    /// `### Deprecated`.
    Deprecated,
    /// `### Fixed`: the crate now follows the service; its Rust API is unchanged.
    Fixed,
}

macro_rules! kinds {
    ($($kind:ident => $id:literal, $what:literal, $rust:ident, $wire:ident, $group:ident, $why:literal;)*) => {
        /// A kind of change between two specs.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        pub enum Kind {
            $(#[doc = $what] #[serde(rename = $id)] $kind,)*
        }

        /// Every kind with its classification, in table order.
        pub const RULES: &[Rule] = &[$(Kind::$kind.rule(),)*];

        impl Kind {
            /// The row of this kind.
            pub const fn rule(self) -> Rule {
                match self {
                    $(Kind::$kind => Rule { kind: Kind::$kind, id: $id, what: $what, rust: Class::$rust, wire: Class::$wire, group: Group::$group, why: $why },)*
                }
            }
        }
    };
}

/// One row of the table.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// The kind.
    pub kind: Kind,
    /// Its id in JSON output.
    pub id: &'static str,
    /// What changed.
    pub what: &'static str,
    /// Effect on the generated Rust API.
    pub rust: Class,
    /// Effect on the wire (a client built from the old spec talking to a service that follows
    /// the new one).
    pub wire: Class,
    /// Changelog section.
    pub group: Group,
    /// Why.
    pub why: &'static str,
}

kinds! {
    OperationAdded => "operation-added", "operation added", Additive, Additive, Added,
        "a new method, request, response and error enum";
    OperationRemoved => "operation-removed", "operation removed", Breaking, Breaking, Breaking,
        "the method and its types disappear";
    OperationDeprecated => "operation-deprecated", "operation deprecated", Additive, None, Deprecated,
        "`#[deprecated]` warns, code still compiles";
    OperationUndeprecated => "operation-undeprecated", "operation no longer deprecated", Additive, None, Fixed,
        "the warning goes away";
    MethodChanged => "method-changed", "HTTP method changed", None, Breaking, Fixed,
        "same Rust signature; the request is sent differently";
    AuthChanged => "auth-changed", "signed ↔ anonymous", None, Breaking, Fixed,
        "same Rust signature; the request is signed differently";
    PaginatorAdded => "paginator-added", "paginator added", Additive, None, Added,
        "a new `<method>_paginator` method; each call is sent as before";
    PaginatorRemoved => "paginator-removed", "paginator removed", Breaking, None, Breaking,
        "the `<method>_paginator` method disappears";
    PaginatorChanged => "paginator-changed", "paginator cursor changed (page number ↔ token)", None, Breaking, Fixed,
        "same method; an old paginator asks for pages in a way the service no longer follows";
    EndpointAdded => "endpoint-added", "endpoint added", Additive, Additive, Added,
        "one more region resolves";
    EndpointRemoved => "endpoint-removed", "endpoint removed", Breaking, Breaking, Breaking,
        "building a client for that region now fails";
    EndpointChanged => "endpoint-changed", "endpoint host changed", None, Breaking, Fixed,
        "same region, calls go to another host";
    CrateRenamed => "crate-renamed", "crate renamed", Breaking, None, Breaking,
        "dependents name the package";
    OptionalFieldAdded => "request-optional-added", "optional request parameter or member added", Additive, Additive, Added,
        "a new setter on a `#[non_exhaustive]` struct";
    RequiredFieldAdded => "request-required-added", "required request parameter or member added", Breaking, Breaking, Breaking,
        "a new field of `<Action>Required` (or of `new`); old clients omit it";
    RequestFieldRemoved => "request-field-removed", "request parameter or member removed", Breaking, Breaking, Breaking,
        "its setter or field disappears; the service no longer reads it";
    NowRequired => "request-now-required", "request parameter or member optional → required", Breaking, Breaking, Breaking,
        "the setter becomes a field of `<Action>Required`; old clients may omit it";
    NowOptional => "request-now-optional", "request parameter or member required → optional", Breaking, Additive, Breaking,
        "the field of `<Action>Required` becomes a setter; old clients still send it";
    LocationChanged => "location-changed", "parameter location changed (query, formData, header)", None, Breaking, Fixed,
        "same Rust field; the value is sent elsewhere";
    StyleChanged => "style-changed", "parameter style changed (repeatList, flat, json, simple)", None, Breaking, Fixed,
        "same Rust field; the value is encoded differently";
    ResponseFieldAdded => "response-field-added", "response field added", Additive, Additive, Added,
        "an `Option` field on a `#[non_exhaustive]` struct; old clients keep it in `extra_fields`";
    ResponseFieldRemoved => "response-field-removed", "response field removed", Breaking, Breaking, Breaking,
        "the field disappears; old clients read `None`";
    TypeChanged => "type-changed", "type changed", Breaking, Breaking, Breaking,
        "the field's Rust type changes; the value is written or read differently";
    FormatChanged => "format-changed", "format changed (int32 ↔ int64, float ↔ double)", Breaking, Breaking, Breaking,
        "the field's Rust type changes; values may not fit the old type";
    EnumIntroduced => "enum-introduced", "string → enum", Breaking, None, Breaking,
        "`String` becomes an enum type; the wire text is the same";
    EnumDropped => "enum-dropped", "enum → string", Breaking, None, Breaking,
        "the enum type becomes `String`; the wire text is the same";
    RequestEnumValueAdded => "request-enum-value-added", "request enum value added", Additive, Additive, Added,
        "a new variant of a `#[non_exhaustive]` enum";
    RequestEnumValueRemoved => "request-enum-value-removed", "request enum value removed", Breaking, Breaking, Breaking,
        "the variant disappears; old clients may send a value the service refuses";
    ResponseEnumValueAdded => "response-enum-value-added", "response enum value added", Additive, Additive, Added,
        "a new variant; old clients read it as `Unknown(…)`";
    ResponseEnumValueRemoved => "response-enum-value-removed", "response enum value removed", Breaking, None, Breaking,
        "the variant disappears; the service no longer sends it";
    TypeRenamed => "type-renamed", "Rust type renamed (shared schema renamed, or inline ↔ shared)", Breaking, None, Breaking,
        "type names come from schema paths; the wire is the same";
    FieldDeprecated => "field-deprecated", "parameter or field deprecated", Additive, None, Deprecated,
        "`#[deprecated]` warns, code still compiles";
    FieldUndeprecated => "field-undeprecated", "parameter or field no longer deprecated", Additive, None, Fixed,
        "the warning goes away";
    ErrorCodeAdded => "error-code-added", "error code added", Additive, Additive, Added,
        "a new variant of the `#[non_exhaustive]` `<Action>ErrorCode`; old clients see `Undocumented`";
    ErrorCodeRemoved => "error-code-removed", "error code removed", Breaking, None, Breaking,
        "the variant disappears; the service no longer sends it";
    ErrorStatusChanged => "error-status-changed", "error code documented under another HTTP status", None, None, Fixed,
        "variants are keyed by code; only the docs change";
}

impl Class {
    /// `breaking`, `additive`, `none`.
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Breaking => "breaking",
            Class::Additive => "additive",
            Class::None => "none",
        }
    }
}

impl Group {
    /// The changelog heading.
    pub fn heading(self) -> &'static str {
        match self {
            Group::Breaking => "Breaking",
            Group::Added => "Added",
            Group::Deprecated => "Deprecated",
            Group::Fixed => "Fixed",
        }
    }

    /// All groups in changelog order.
    pub const ALL: [Group; 4] = [
        Group::Breaking,
        Group::Added,
        Group::Deprecated,
        Group::Fixed,
    ];
}

/// The table as Markdown, as `spec/README.md` shows it.
pub fn markdown_table() -> String {
    let mut out = String::from(
        "| change | id | Rust API | wire | changelog | why |\n| --- | --- | --- | --- | --- | --- |\n",
    );
    for r in RULES {
        out.push_str(&format!(
            "| {} | `{}` | {} | {} | {} | {} |\n",
            r.what,
            r.id,
            r.rust.as_str(),
            r.wire.as_str(),
            r.group.heading(),
            r.why
        ));
    }
    out
}
