//! The intermediate representation between the spec and the emitter: Rust-shaped, with every
//! name resolved, every type decided and every doc line rendered.

/// A whole generated crate.
#[derive(Debug, Clone)]
pub struct CrateIr {
    /// Product identity and endpoints.
    pub product: ProductIr,
    /// Operations, sorted by action.
    pub operations: Vec<OperationIr>,
    /// Types from `components.schemas`, shared by operations (module `types`).
    pub shared_types: Vec<TypeDef>,
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
    /// Directory under `generated/` (`sas20181203`).
    pub dir_name: String,
    /// Crate-level description.
    pub title: Option<String>,
    /// Region → endpoint, trimmed, in spec order.
    pub endpoints: Vec<(String, String)>,
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
    /// Doc lines of the client method and request.
    pub doc: Vec<String>,
    /// `Some(note)` when deprecated.
    pub deprecated: Option<String>,
    /// Whether the operation is called with GET (only GET allowed).
    pub get: bool,
    /// Whether the operation is anonymous (sent unsigned).
    pub anonymous: bool,
    /// The request struct.
    pub request: StructDef,
    /// The response: a struct named `<Action>Response`, or an alias when the body is not an
    /// object.
    pub response: ResponseIr,
    /// Nested types of this operation.
    pub types: Vec<TypeDef>,
    /// The error-code enum.
    pub errors: ErrorEnum,
    /// The source file, relative to the spec root, for the header.
    pub source: String,
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
    /// Parameter placement for request fields.
    pub param: Option<ParamIr>,
    /// Whether the field is deprecated.
    pub deprecated: bool,
}

/// Where and how a request field is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParamIr {
    /// `Query`, `Form` or `Header`.
    pub location: &'static str,
    /// `Plain`, `RepeatList`, `Flat`, `Json` or `Simple`.
    pub style: &'static str,
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
    /// A type of the operation's module.
    Local(String),
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
    /// Doc lines (the error table).
    pub doc: Vec<String>,
    /// One per distinct code.
    pub variants: Vec<VariantDef>,
}
