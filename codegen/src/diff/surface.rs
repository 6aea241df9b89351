//! The API surface of a product: the facts of its specs that decide the generated Rust API and
//! the wire (names, types, formats, locations, styles, requiredness, enum values, error codes,
//! endpoints), without any prose. It is what [`super::compare`] compares, and what a release
//! baseline (`api-baseline.json`) records.

use crate::load::ProductDir;
use crate::spec::{ParamLocation, ParamStyle, Schema, SchemaType};
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub use crate::spec::DEFAULT_CRATE_VERSION;

/// One product and API version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProductSurface {
    /// Product code (`Sas`).
    pub product: String,
    /// API version (`2018-12-03`).
    pub version: String,
    /// Cargo package name of the generated crate.
    pub crate_name: String,
    /// Version of the generated crate (`crateVersion` in `product.json`).
    pub crate_version: String,
    /// Region → endpoint host (trimmed).
    pub endpoints: BTreeMap<String, String>,
    /// Operations by action.
    pub operations: BTreeMap<String, OperationSurface>,
}

/// One operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OperationSurface {
    /// `#[deprecated]` on the client method.
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
    /// `POST` or `GET`.
    pub method: String,
    /// Sent unsigned.
    #[serde(default, skip_serializing_if = "is_false")]
    pub anonymous: bool,
    /// Request parameters by wire name, in spec order.
    pub parameters: IndexMap<String, ParamSurface>,
    /// The success body, when declared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<Shape>,
    /// Error code → HTTP statuses documenting it.
    pub error_codes: BTreeMap<String, Vec<String>>,
    /// How the client's paginator asks for pages (`page number` or `token`), when the
    /// operation has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paginator: Option<String>,
}

/// One request parameter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ParamSurface {
    /// `query`, `formData`, `header`.
    pub location: String,
    /// `plain`, `repeatList`, `flat`, `json`, `simple`.
    pub style: String,
    /// A field of the required parameters rather than a setter.
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    /// `#[deprecated]` on the setter.
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
    /// The value.
    pub shape: Shape,
}

/// The type of a value, as the generator maps it to Rust.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Shape {
    /// The type.
    #[serde(flatten)]
    pub ty: Ty,
    /// The shared schema (`components.schemas`) whose struct this is, when it is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub component: Option<String>,
}

/// A value type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Ty {
    /// `String`.
    String,
    /// An open enum of string values.
    Enum {
        /// The listed values, in spec order.
        values: Vec<String>,
    },
    /// `i32`.
    Int32,
    /// `i64`.
    Int64,
    /// `f32`.
    Float,
    /// `f64`.
    Double,
    /// `bool`.
    Boolean,
    /// Any JSON value.
    Any,
    /// `Vec<T>`.
    List {
        /// The items.
        items: Box<Shape>,
    },
    /// `BTreeMap<String, T>`.
    Map {
        /// The values.
        values: Box<Shape>,
    },
    /// A struct.
    Object {
        /// Members by wire name, in spec order.
        members: IndexMap<String, Member>,
    },
    /// A reference back into a shared schema being described (not expanded again).
    Recursive,
}

/// A member of an object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Member {
    /// Required (request objects only; response members are all optional).
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    /// `#[deprecated]`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
    /// The value.
    pub shape: Shape,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl Ty {
    /// A short name of the type for reports (`string`, `int32`, `list`, …).
    pub fn name(&self) -> &'static str {
        match self {
            Ty::String => "string",
            Ty::Enum { .. } => "enum",
            Ty::Int32 => "int32",
            Ty::Int64 => "int64",
            Ty::Float => "float",
            Ty::Double => "double",
            Ty::Boolean => "boolean",
            Ty::Any => "any",
            Ty::List { .. } => "list",
            Ty::Map { .. } => "map",
            Ty::Object { .. } => "object",
            Ty::Recursive => "recursive reference",
        }
    }
}

impl ProductSurface {
    /// The surface of a loaded product directory. Specs are read as the generator reads them;
    /// what the generator would reject (an unknown format, a dangling reference) is described as
    /// closely as it can be rather than refused, so an old revision can always be compared.
    pub fn from_dir(dir: &ProductDir) -> Self {
        let p = &dir.product;
        let code = p.info.product.trim();
        let version = p.info.version.trim();
        let dir_name = crate_dir(code, version);
        let components = p
            .components
            .as_ref()
            .map(|c| &c.schemas)
            .cloned()
            .unwrap_or_default();
        let mut operations = BTreeMap::new();
        for op in &dir.operations {
            let s = &op.spec;
            let action = s.action.clone().unwrap_or_else(|| op.stem.clone());
            let cx = Cx {
                components: &components,
            };
            let mut parameters = IndexMap::new();
            for param in &s.parameters {
                if parameters.contains_key(&param.name) {
                    continue;
                }
                let mut stack = Vec::new();
                parameters.insert(
                    param.name.clone(),
                    ParamSurface {
                        location: location(param.location).to_owned(),
                        style: style(param.style).to_owned(),
                        required: param.schema.required == Some(true),
                        deprecated: param.schema.deprecated == Some(true),
                        shape: cx.shape(&param.schema, true, &mut stack),
                    },
                );
            }
            let response = s
                .responses
                .get("200")
                .and_then(|r| r.schema.as_ref())
                .map(|schema| cx.shape(schema, false, &mut Vec::new()));
            let mut error_codes: BTreeMap<String, Vec<String>> = BTreeMap::new();
            for (status, codes) in &s.error_codes {
                for c in codes {
                    let statuses = error_codes.entry(c.error_code.clone()).or_default();
                    if !statuses.contains(status) {
                        statuses.push(status.clone());
                        statuses.sort();
                    }
                }
            }
            let methods: Vec<String> = s.methods.iter().map(|m| m.to_ascii_lowercase()).collect();
            let get = !methods.is_empty() && !methods.iter().any(|m| m == "post");
            operations.insert(
                action,
                OperationSurface {
                    deprecated: s.deprecated == Some(true),
                    method: if get { "GET" } else { "POST" }.to_owned(),
                    anonymous: s.security.as_ref().is_some_and(Vec::is_empty),
                    parameters,
                    response,
                    error_codes,
                    paginator: s.pagination.as_ref().map(|p| {
                        if p.input_token.is_some() {
                            "token"
                        } else {
                            "page number"
                        }
                        .to_owned()
                    }),
                },
            );
        }
        ProductSurface {
            product: code.to_owned(),
            version: version.to_owned(),
            crate_name: p
                .crate_name
                .clone()
                .unwrap_or_else(|| format!("alibabacloud-{dir_name}")),
            crate_version: p
                .crate_version
                .clone()
                .unwrap_or_else(|| DEFAULT_CRATE_VERSION.to_owned()),
            endpoints: p
                .endpoints
                .iter()
                .map(|e| (e.region_id.trim().to_owned(), e.endpoint.trim().to_owned()))
                .collect(),
            operations,
        }
    }

    /// `Sas 2018-12-03`.
    pub fn key(&self) -> String {
        format!("{} {}", self.product, self.version)
    }

    /// The generated crate's directory under `generated/` (`sas20181203`).
    pub fn crate_dir(&self) -> String {
        crate_dir(&self.product, &self.version)
    }
}

/// `generated/<this>`: the product code's letters and digits in lower case, then the API
/// version's digits (as the generator names it).
fn crate_dir(code: &str, version: &str) -> String {
    let digits: String = version.chars().filter(char::is_ascii_digit).collect();
    let code: String = code.chars().filter(char::is_ascii_alphanumeric).collect();
    format!("{}{digits}", code.to_lowercase())
}

fn location(l: ParamLocation) -> &'static str {
    match l {
        ParamLocation::Query => "query",
        ParamLocation::FormData => "formData",
        ParamLocation::Header => "header",
        ParamLocation::Path => "path",
        ParamLocation::Body => "body",
    }
}

fn style(s: Option<ParamStyle>) -> &'static str {
    match s {
        None => "plain",
        Some(ParamStyle::RepeatList) => "repeatList",
        Some(ParamStyle::Flat) => "flat",
        Some(ParamStyle::Json) => "json",
        Some(ParamStyle::Simple) => "simple",
    }
}

struct Cx<'a> {
    components: &'a IndexMap<String, Schema>,
}

impl Cx<'_> {
    /// The shape of `schema`; `request` says whether members can be required. `stack` holds
    /// the shared schemas being expanded, so recursive references end.
    fn shape(&self, schema: &Schema, request: bool, stack: &mut Vec<String>) -> Shape {
        if let Some(r) = &schema.reference {
            let name = r.strip_prefix("#/components/schemas/").unwrap_or(r);
            let Some(target) = self.components.get(name) else {
                return plain(Ty::Any);
            };
            let component = is_struct(target).then(|| name.to_owned());
            if stack.iter().any(|s| s == name) {
                return Shape {
                    ty: Ty::Recursive,
                    component,
                };
            }
            stack.push(name.to_owned());
            let mut shape = self.shape(target, request, stack);
            stack.pop();
            shape.component = component;
            return shape;
        }
        let ty = match schema.ty {
            None if schema.properties.is_some() => self.object(schema, request, stack),
            None => Ty::Any,
            Some(SchemaType::String) => match &schema.enum_values {
                Some(values) if !values.is_empty() => {
                    let mut out: Vec<String> = Vec::new();
                    for v in values {
                        if !out.contains(&v.0) {
                            out.push(v.0.clone());
                        }
                    }
                    Ty::Enum { values: out }
                }
                _ => Ty::String,
            },
            Some(SchemaType::Integer) => match schema.format.as_deref().map(str::trim) {
                Some("int32" | "int" | "integer" | "int16" | "int8") => Ty::Int32,
                _ => Ty::Int64,
            },
            Some(SchemaType::Number) => match schema.format.as_deref().map(str::trim) {
                Some("float") => Ty::Float,
                _ => Ty::Double,
            },
            Some(SchemaType::Boolean) => Ty::Boolean,
            Some(SchemaType::Any) => Ty::Any,
            Some(SchemaType::Array) => Ty::List {
                items: Box::new(match &schema.items {
                    Some(items) => self.shape(items, request, stack),
                    None => plain(Ty::Any),
                }),
            },
            Some(SchemaType::Object) => {
                if schema.properties.is_some() {
                    self.object(schema, request, stack)
                } else if let Some(ap) = &schema.additional_properties {
                    Ty::Map {
                        values: Box::new(self.shape(ap, request, stack)),
                    }
                } else {
                    Ty::Any
                }
            }
        };
        plain(ty)
    }

    fn object(&self, schema: &Schema, request: bool, stack: &mut Vec<String>) -> Ty {
        let mut members = IndexMap::new();
        for (wire, prop) in schema.properties.iter().flatten() {
            members.insert(
                wire.clone(),
                Member {
                    required: request && prop.required == Some(true),
                    deprecated: prop.deprecated == Some(true),
                    shape: self.shape(prop, request, stack),
                },
            );
        }
        Ty::Object { members }
    }
}

fn plain(ty: Ty) -> Shape {
    Shape {
        ty,
        component: None,
    }
}

/// Whether a shared schema becomes a struct of its own (as the generator decides).
fn is_struct(s: &Schema) -> bool {
    s.reference.is_none()
        && (s.properties.is_some()
            || (s.ty == Some(SchemaType::Object) && s.additional_properties.is_none()))
}
