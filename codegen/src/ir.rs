//! The intermediate representation between the spec and the emitter: Rust-shaped, with every
//! name resolved, every type decided and every doc line rendered.

/// A whole generated crate.
#[derive(Debug, Clone)]
pub struct CrateIr {
    /// Product identity and endpoints.
    pub product: ProductIr,
    /// Operations, sorted by action.
    pub operations: Vec<OperationIr>,
    /// Types from `components.schemas`, shared by operations (module `types`), if any.
    pub shared_types: Option<ModuleIr>,
}

/// Product identity.
#[derive(Debug, Clone)]
pub struct ProductIr {
    /// Product code (`Sas`).
    pub code: String,
    /// API version (`2018-12-03`).
    pub version: String,
    /// Cargo package name (`alibabacloud-sas20181203`).
    pub crate_name: String,
    /// Cargo package version (`crateVersion` in `product.json`, default `0.1.0`).
    pub crate_version: String,
    /// Directory under `generated/` (`sas20181203`).
    pub dir_name: String,
    /// Crate-level description.
    pub title: Option<String>,
    /// Region → endpoint, trimmed, in spec order.
    pub endpoints: Vec<(String, String)>,
    /// Hand-written Markdown lines appended to the crate docs (`crateDocs`).
    pub docs: Vec<String>,
}

/// One operation.
#[derive(Debug, Clone)]
pub struct OperationIr {
    /// Action name.
    pub action: String,
    /// Module name (snake case of the action).
    pub module: String,
    /// Client method name (a valid identifier).
    pub method_name: String,
    /// Doc lines of the client method.
    pub doc: Vec<String>,
    /// Doc lines of the operation module.
    pub module_doc: Vec<String>,
    /// `Some(note)` when deprecated.
    pub deprecated: Option<String>,
    /// Whether the operation is called with GET (only GET allowed).
    pub get: bool,
    /// Whether the operation is anonymous (sent unsigned).
    pub anonymous: bool,
    /// The request struct (with its companion of required parameters, if any).
    pub request: StructDef,
    /// The response: a struct named `<Action>Response`, or an alias when the body is not an
    /// object.
    pub response: ResponseIr,
    /// Nested types of this operation, in the child modules `request` and `response` of the
    /// operation module (one more module level per nested object).
    pub modules: Vec<ModuleIr>,
    /// The error-code enum.
    pub errors: ErrorEnum,
    /// The source file, relative to the spec root, for the header.
    pub source: String,
    /// How the operation pages, when its spec says so.
    pub pagination: Option<PaginationIr>,
    /// ROA operations: method and path (RPC operations: `None`, path `/`, method from `get`).
    pub roa: Option<RoaIr>,
}

/// The HTTP facts of a ROA operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoaIr {
    /// The runtime's `Method` variant (`Put`).
    pub method: String,
    /// The path template (`/clusters/{ClusterId}`).
    pub path: String,
}

/// How a paged operation pages, resolved to Rust fields: the runtime's `Paged` (and
/// `PagedItems`) implementation and the client's `<method>_paginator`.
#[derive(Debug, Clone)]
pub struct PaginationIr {
    /// The client method returning the paginator.
    pub method_name: String,
    /// Chained by token (else by page number).
    pub by_token: bool,
    /// The request field the paginator sets: the page number or the token.
    pub cursor: RequestField,
    /// The request field holding the page size, if any.
    pub page_size: Option<RequestField>,
    /// The response member holding the total, if any.
    pub total: Option<MemberPath>,
    /// The response member holding the next token (token paging).
    pub next_token: Option<MemberPath>,
    /// The response list holding the items, if known.
    pub items: Option<ItemsIr>,
}

/// A top-level request field.
#[derive(Debug, Clone)]
pub struct RequestField {
    /// Rust identifier.
    pub ident: String,
    /// Required fields are not `Option`.
    pub required: bool,
    /// Its type (`I32`, `I64` or `String`).
    pub ty: TypeRef,
}

/// A response member reached through optional objects from the response root.
#[derive(Debug, Clone)]
pub struct MemberPath {
    /// The Rust field of each step, from the root.
    pub idents: Vec<String>,
    /// The member's type (unboxed).
    pub ty: TypeRef,
}

/// The item list of a paged answer.
#[derive(Debug, Clone)]
pub struct ItemsIr {
    /// The list member.
    pub path: MemberPath,
    /// The type of one item, as written in the module `scope`.
    pub item: TypeRef,
    /// The module path, from the operation module, in which `item` is written (`response`,
    /// `data`…).
    pub scope: Vec<String>,
}

/// A module of nested types: the children of one object (or of the request or response).
#[derive(Debug, Clone, Default)]
pub struct ModuleIr {
    /// Module identifier (possibly raw).
    pub name: String,
    /// Doc lines.
    pub doc: Vec<String>,
    /// Types defined here, in spec order.
    pub types: Vec<TypeDef>,
    /// Child modules (the children of the objects defined here), in spec order.
    pub children: Vec<ModuleIr>,
}

/// The success response type.
#[derive(Debug, Clone)]
pub enum ResponseIr {
    /// A struct.
    Struct(StructDef),
    /// `pub type <name> = <ty>;` for bodies that are not objects.
    Alias {
        /// Alias name.
        name: String,
        /// Doc lines.
        doc: Vec<String>,
        /// Target type.
        ty: TypeRef,
    },
}

/// A named type.
#[derive(Debug, Clone)]
pub enum TypeDef {
    /// A struct.
    Struct(StructDef),
    /// An open string enum.
    Enum(EnumDef),
}

/// A struct.
#[derive(Debug, Clone)]
pub struct StructDef {
    /// Type name.
    pub name: String,
    /// Doc lines.
    pub doc: Vec<String>,
    /// Fields in spec order.
    pub fields: Vec<FieldDef>,
    /// Whether this is a request (parameters, builder, no extra-field map) or a response type.
    pub kind: StructKind,
    /// For request structs with required fields: the name of the companion struct that holds
    /// them (an argument of `new`), in the same module.
    pub required_struct: Option<String>,
    /// For response structs: the name of the map member that keeps what the spec does not
    /// declare and what did not convert (`extra_fields`, a name no declared member takes).
    pub extra_field: Option<String>,
}

/// What a struct is used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StructKind {
    /// The top-level request of an operation.
    Request,
    /// A nested object inside request parameters.
    RequestObject,
    /// A response object (lenient decoding, keeps extra fields).
    Response,
}

/// A struct field.
#[derive(Debug, Clone)]
pub struct FieldDef {
    /// Wire name.
    pub wire: String,
    /// Rust identifier (possibly raw, `r#type`).
    pub ident: String,
    /// Type (without the `Option` of optional fields).
    pub ty: TypeRef,
    /// Required fields are not `Option` and are arguments of `new`.
    pub required: bool,
    /// Doc lines.
    pub doc: Vec<String>,
    /// Parameter placement for the fields of a top-level request.
    pub param: Option<ParamIr>,
    /// Whether the field is deprecated.
    pub deprecated: bool,
    /// The setter of an optional request field (`None` for required and response fields).
    pub setter: Option<String>,
    /// A request field that holds a secret (a password, secret key or token): the struct's
    /// `Debug` shows `***` instead of its value.
    pub secret: bool,
}

/// Where and how a request field is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParamIr {
    /// Where the parameter goes.
    pub location: Location,
    /// How lists and objects are written.
    pub style: Style,
}

/// Where a parameter goes (the runtime's `Location`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// Query string.
    Query,
    /// Form body.
    Form,
    /// HTTP header.
    Header,
    /// ROA: a `{Name}` of the path.
    Path,
    /// ROA: the JSON body.
    Body,
}

/// How a parameter is written (the runtime's `Style`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// A scalar as text.
    Plain,
    /// `Name.1=a`, recursive.
    RepeatList,
    /// `Name.Key=v`, recursive.
    Flat,
    /// Compact JSON.
    Json,
    /// Comma-joined.
    Simple,
}

/// A Rust type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeRef {
    /// `String`.
    String,
    /// `bool`.
    Bool,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `f32`.
    F32,
    /// `f64`.
    F64,
    /// `Value` (any JSON).
    Any,
    /// `Vec<T>`.
    List(Box<TypeRef>),
    /// `BTreeMap<String, T>`.
    Map(Box<TypeRef>),
    /// A type of a child module of the module being printed: `module::Name`.
    Nested {
        /// The child module (an identifier, possibly raw).
        module: String,
        /// The type name.
        name: String,
    },
    /// A type of the crate's `types` module.
    Shared(String),
    /// `Box<T>` (breaks recursion).
    Boxed(Box<TypeRef>),
}

/// An open string enum.
#[derive(Debug, Clone)]
pub struct EnumDef {
    /// Type name.
    pub name: String,
    /// Doc lines.
    pub doc: Vec<String>,
    /// Known values.
    pub variants: Vec<VariantDef>,
}

/// One enum value.
#[derive(Debug, Clone)]
pub struct VariantDef {
    /// Variant identifier.
    pub ident: String,
    /// The value on the wire.
    pub wire: String,
    /// Doc lines.
    pub doc: Vec<String>,
}

/// The error codes of an operation.
#[derive(Debug, Clone)]
pub struct ErrorEnum {
    /// Type name (`<Action>ErrorCode`).
    pub name: String,
    /// Name of the error alias (`<Action>Error` = `rt::Error<<Action>ErrorCode>`).
    pub alias: String,
    /// Doc lines (the error table).
    pub doc: Vec<String>,
    /// One per distinct code.
    pub variants: Vec<VariantDef>,
}

impl CrateIr {
    /// The path of every public type of the crate, from the crate root
    /// (`operations::<op>::response::data::Status`): what a user can name, and what must not
    /// change when an unrelated member of the spec changes.
    pub fn public_type_paths(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(t) = &self.shared_types {
            module_paths(t, "", &mut out);
        }
        for op in &self.operations {
            let base = format!("operations::{}", op.module);
            out.push(format!("{base}::{}", op.request.name));
            if let Some(r) = &op.request.required_struct {
                out.push(format!("{base}::{r}"));
            }
            out.push(format!(
                "{base}::{}",
                match &op.response {
                    ResponseIr::Struct(s) => &s.name,
                    ResponseIr::Alias { name, .. } => name,
                }
            ));
            out.push(format!("{base}::{}", op.errors.name));
            out.push(format!("{base}::{}", op.errors.alias));
            for m in &op.modules {
                module_paths(m, &base, &mut out);
            }
        }
        out.sort();
        out
    }
}

fn module_paths(m: &ModuleIr, parent: &str, out: &mut Vec<String>) {
    let here = if parent.is_empty() {
        m.name.clone()
    } else {
        format!("{parent}::{}", m.name)
    };
    for t in &m.types {
        match t {
            TypeDef::Struct(s) => {
                out.push(format!("{here}::{}", s.name));
                if let Some(r) = &s.required_struct {
                    out.push(format!("{here}::{r}"));
                }
            }
            TypeDef::Enum(e) => out.push(format!("{here}::{}", e.name)),
        }
    }
    for c in &m.children {
        module_paths(c, &here, out);
    }
}
