//! Schemas → Rust types, each named after its place in the schema.
//!
//! Naming rule (what keeps names stable): the types an object needs for its members live in
//! that object's own child module, named after the members' wire names. The request's nested
//! types live in `request`, the response's in `response`; the members of a nested object `Data`
//! in `response::data`, and so on. A name therefore depends only on the path from the operation
//! to the type: adding, removing or retyping one member never renames another type. The only
//! exception is two wire names of one object that map to the same Rust name (`Status` and
//! `status`): the later one in spec order gets a numeric suffix.

use super::RESERVED_TYPES;
use crate::diag::{join, SpecError};
use crate::docs;
use crate::ir::*;
use crate::naming::{self, Scope};
use crate::spec::{Schema, SchemaType};
use std::collections::BTreeMap;
use std::path::Path;

/// The name of the map that keeps unknown and unconvertible response fields.
pub(super) const EXTRA_FIELDS: &str = "extra_fields";

/// Module names a child module must not take: the runtime alias used in every module.
const RESERVED_MODULES: &[&str] = &["rt", "types", "client", "operations"];

/// Method names a setter must not take (inherent and trait methods of request types).
const RESERVED_METHODS: &[&str] = &[
    "new",
    "clone",
    "fmt",
    "eq",
    "ne",
    "default",
    "to_json",
    "write_params",
    "from_json",
];

/// A module being filled: its types and children, with the names already taken in it.
#[derive(Debug)]
pub struct ModuleBuilder {
    /// The module so far.
    pub module: ModuleIr,
    types: Scope,
    modules: Scope,
}

impl ModuleBuilder {
    /// An empty module named `name` (an identifier).
    pub fn new(name: &str, doc: Vec<String>) -> Self {
        Self {
            module: ModuleIr {
                name: name.to_owned(),
                doc,
                types: Vec::new(),
                children: Vec::new(),
            },
            types: Scope::with_reserved(RESERVED_TYPES),
            modules: Scope::with_reserved(RESERVED_MODULES),
        }
    }

    /// Claims a type name derived from `wire`.
    pub fn claim_type(&mut self, wire: &str) -> String {
        let base = naming::pascal(wire);
        let base = if base.is_empty() {
            "Item".to_owned()
        } else {
            base
        };
        self.types.claim(&base, "")
    }

    /// Claims a type name exactly (the companion of a struct); numbered on a collision.
    pub fn claim_exact(&mut self, name: &str) -> String {
        self.types.claim(name, "")
    }

    /// Claims a child module name derived from `wire`. Modules share the type namespace: a name
    /// without case (`名前`) would be both the type and the module, so its module gets a `_`.
    pub fn claim_module(&mut self, wire: &str) -> String {
        let snake = naming::snake(wire);
        let base = if snake == naming::pascal(wire) {
            format!("{snake}_")
        } else {
            snake
        };
        module_ident(&self.modules.claim(&base, "_"))
    }

    /// The module, or `None` when nothing was defined in it.
    pub fn finish(self) -> Option<ModuleIr> {
        (!self.module.types.is_empty() || !self.module.children.is_empty()).then_some(self.module)
    }
}

/// A module identifier: keywords that can be raw are raw (inline modules may be), the others
/// get a trailing `_`.
pub fn module_ident(snake: &str) -> String {
    naming::field_ident(snake)
}

/// Lowers schemas of one operation (or of the shared components) to types.
pub struct TypeCx<'a> {
    /// The spec file, for errors.
    pub file: &'a Path,
    /// Component schema name → Rust name in `types`.
    pub shared: &'a BTreeMap<String, String>,
    /// Component schemas.
    pub components: &'a indexmap::IndexMap<String, Schema>,
    /// What the structs made are for.
    pub kind: StructKind,
    /// Component schemas being lowered (a reference back to one of them is boxed).
    pub stack: Vec<String>,
    /// Errors found.
    pub errors: &'a mut Vec<SpecError>,
}

impl TypeCx<'_> {
    fn err(&mut self, path: &str, expected: impl Into<String>) {
        self.errors.push(SpecError::new(self.file, path, expected));
    }

    /// The type of the member `wire` with schema `schema`; types it needs are defined in `m`.
    pub fn lower(
        &mut self,
        schema: &Schema,
        wire: &str,
        m: &mut ModuleBuilder,
        path: &str,
    ) -> TypeRef {
        if let Some(r) = &schema.reference {
            return self.reference(r, wire, m, path);
        }
        let Some(ty) = schema.ty else {
            if schema.properties.is_some() {
                return self.nested_object(schema, wire, m, path);
            }
            self.err(&join(path, "type"), "expected a type: one of string, integer, number, boolean, array, object, any (or a $ref)");
            return TypeRef::Any;
        };
        match ty {
            SchemaType::String => match &schema.enum_values {
                Some(values) if !values.is_empty() => self.string_enum(schema, wire, m, path),
                _ => TypeRef::String,
            },
            SchemaType::Integer => match schema.format.as_deref().map(str::trim) {
                Some("int32" | "int" | "integer" | "int16" | "int8") => TypeRef::I32,
                Some("int64" | "long") | None | Some("") => TypeRef::I64,
                Some(other) => {
                    self.err(
                        &join(path, "format"),
                        format!("expected int32 or int64 for an integer, found {other:?}"),
                    );
                    TypeRef::I64
                }
            },
            SchemaType::Number => match schema.format.as_deref().map(str::trim) {
                Some("float") => TypeRef::F32,
                Some("double") | None | Some("") => TypeRef::F64,
                Some(other) => {
                    self.err(
                        &join(path, "format"),
                        format!("expected float or double for a number, found {other:?}"),
                    );
                    TypeRef::F64
                }
            },
            SchemaType::Boolean => TypeRef::Bool,
            SchemaType::Any => TypeRef::Any,
            SchemaType::Array => match &schema.items {
                Some(items) => {
                    // A list already breaks recursion: no `Box` inside it.
                    let inner = unbox(self.lower(items, wire, m, &join(path, "items")));
                    TypeRef::List(Box::new(inner))
                }
                None => {
                    self.err(&join(path, "items"), "expected `items` for an array");
                    TypeRef::List(Box::new(TypeRef::Any))
                }
            },
            SchemaType::Object => {
                if schema.properties.is_some() {
                    self.nested_object(schema, wire, m, path)
                } else if let Some(ap) = &schema.additional_properties {
                    let inner = unbox(self.lower(ap, wire, m, &join(path, "additionalProperties")));
                    TypeRef::Map(Box::new(inner))
                } else {
                    TypeRef::Any
                }
            }
        }
    }

    fn reference(&mut self, r: &str, wire: &str, m: &mut ModuleBuilder, path: &str) -> TypeRef {
        let Some(name) = r.strip_prefix("#/components/schemas/") else {
            self.err(
                &join(path, "$ref"),
                format!("expected \"#/components/schemas/<Name>\", found {r:?}"),
            );
            return TypeRef::Any;
        };
        let Some(rust) = self.shared.get(name) else {
            self.err(&join(path, "$ref"), format!("expected a schema named {name:?} in product.json components.schemas (the reference dangles)"));
            return TypeRef::Any;
        };
        match self.components.get(name) {
            Some(t) if is_struct(t) => {
                let ty = TypeRef::Shared(rust.clone());
                if self.stack.iter().any(|s| s == name) {
                    TypeRef::Boxed(Box::new(ty))
                } else {
                    ty
                }
            }
            // A reference to a non-object schema is that schema's type, lowered in place.
            Some(t) => {
                if self.stack.iter().any(|s| s == name) {
                    self.err(path, format!("expected a reference cycle to pass through an object; {name:?} refers to itself directly"));
                    return TypeRef::Any;
                }
                self.stack.push(name.to_owned());
                let t = t.clone();
                let ty = self.lower(&t, wire, m, &join("$.components.schemas", name));
                self.stack.pop();
                ty
            }
            None => TypeRef::Any,
        }
    }

    fn nested_object(
        &mut self,
        schema: &Schema,
        wire: &str,
        m: &mut ModuleBuilder,
        path: &str,
    ) -> TypeRef {
        let name = m.claim_type(wire);
        let module = m.claim_module(wire);
        self.named_object(schema, wire, &name, &module, m, path);
        TypeRef::Nested {
            module: m.module.name.clone(),
            name,
        }
    }

    /// Lowers the object schema of member (or component) `wire` to a struct `name` defined in
    /// `m`, whose members' types go to the child module `module`.
    pub fn named_object(
        &mut self,
        schema: &Schema,
        wire: &str,
        name: &str,
        module: &str,
        m: &mut ModuleBuilder,
        path: &str,
    ) {
        if !is_struct(schema) {
            // A component that is not an object: references lower in place.
            return;
        }
        let mut child =
            ModuleBuilder::new(module, vec![format!("Types of the members of [`{name}`].")]);
        let fields = self.fields(schema, &mut child, path);
        let required_struct = (self.kind == StructKind::RequestObject
            && fields.iter().any(|f| f.required))
        .then(|| m.claim_exact(&format!("{name}Required")));
        let mut doc = schema.doc_text().map(docs::text).unwrap_or_default();
        docs::paragraph(&mut doc, vec![docs::object_facts(wire)]);
        m.module.types.push(TypeDef::Struct(StructDef {
            name: name.to_owned(),
            doc,
            fields,
            kind: self.kind,
            required_struct,
            extra_field: (self.kind == StructKind::Response).then(|| EXTRA_FIELDS.to_owned()),
        }));
        if let Some(c) = child.finish() {
            m.module.children.push(c);
        }
    }

    /// The fields of an object schema; their types go to `m`.
    pub fn fields(&mut self, schema: &Schema, m: &mut ModuleBuilder, path: &str) -> Vec<FieldDef> {
        let mut out = Vec::new();
        let response = self.kind == StructKind::Response;
        let mut names = Scope::with_reserved(if response { &[EXTRA_FIELDS] } else { &[] });
        let mut setters = Scope::with_reserved(RESERVED_METHODS);
        let empty = indexmap::IndexMap::new();
        let props = schema.properties.as_ref().unwrap_or(&empty);
        let props_path = join(path, "properties");
        for (wire, prop) in props {
            let p = join(&props_path, wire);
            if wire.trim().is_empty() || !naming::has_identifier(wire) {
                self.err(
                    &p,
                    format!("expected a property name with letters or digits, found {wire:?}"),
                );
                continue;
            }
            let ty = self.lower(prop, wire, m, &p);
            let required = self.kind == StructKind::RequestObject && prop.required == Some(true);
            out.push(field(
                wire,
                ty,
                required,
                prop,
                None,
                &mut names,
                &mut setters,
                !response,
            ));
        }
        out
    }

    fn string_enum(
        &mut self,
        schema: &Schema,
        wire: &str,
        m: &mut ModuleBuilder,
        path: &str,
    ) -> TypeRef {
        let name = m.claim_type(wire);
        let mut variants: Vec<VariantDef> = Vec::new();
        let mut scope = Scope::with_reserved(&["Unknown", "Self"]);
        let bullets = schema
            .description
            .as_deref()
            .map(crate::values::bullet_docs)
            .unwrap_or_default();
        let titles = schema.enum_value_titles.as_ref();
        let values = schema.enum_values.as_deref().unwrap_or_default();
        for (i, v) in values.iter().enumerate() {
            if variants.iter().any(|x| x.wire == v.0) {
                continue;
            }
            let base = naming::pascal(&v.0);
            let base = if base.is_empty() {
                if v.0.is_empty() {
                    "Empty".to_owned()
                } else {
                    format!("Value{}", i + 1)
                }
            } else {
                base
            };
            let ident = scope.claim(&base, "");
            let mut doc = docs::code(&v.0);
            if let Some(t) = titles
                .and_then(|t| t.get(&v.0))
                .map(|t| docs::one_line(t))
                .or_else(|| bullets.get(&v.0).cloned())
            {
                if !t.is_empty() {
                    doc = vec![format!("{}: {t}", doc.join(" "))];
                }
            }
            variants.push(VariantDef {
                ident,
                wire: v.0.clone(),
                doc,
            });
        }
        if variants.is_empty() {
            self.err(&join(path, "enum"), "expected at least one valid value");
        }
        let mut doc = schema.doc_text().map(docs::text).unwrap_or_default();
        docs::paragraph(&mut doc, vec![docs::enum_facts(wire)]);
        m.module.types.push(TypeDef::Enum(EnumDef {
            name: name.clone(),
            doc,
            variants,
        }));
        TypeRef::Nested {
            module: m.module.name.clone(),
            name,
        }
    }
}

/// A field of a struct: its identifier and setter claimed in `names`/`setters`, its docs from
/// the schema's facts (and prose, for hand-written specs).
#[allow(clippy::too_many_arguments)] // one call per struct kind; a struct would only rename them
pub fn field(
    wire: &str,
    ty: TypeRef,
    required: bool,
    schema: &Schema,
    param: Option<ParamIr>,
    names: &mut Scope,
    setters: &mut Scope,
    request: bool,
) -> FieldDef {
    let ident = naming::field_ident(&names.claim(&naming::snake(wire), "_"));
    let setter = (request && !required).then(|| {
        let bare = ident.trim_start_matches("r#");
        if RESERVED_METHODS.contains(&bare) {
            setters.claim(&format!("set_{bare}"), "_")
        } else {
            setters.insert(&ident);
            ident.clone()
        }
    });
    let secret = request && is_secret(wire);
    FieldDef {
        wire: wire.to_owned(),
        doc: docs::field(wire, &ty, required, param, schema, secret),
        ident,
        ty,
        required,
        param,
        deprecated: schema.deprecated == Some(true),
        setter,
        secret,
    }
}

/// Whether a request parameter named `wire` carries a secret that `Debug` must not print: a
/// password, a secret (key), a private key, or a bare token (`Token`, `SecurityToken`; not
/// `NextToken` or `ClientToken`, which are cursors and idempotency keys).
fn is_secret(wire: &str) -> bool {
    let name = wire.to_ascii_lowercase();
    [
        "password",
        "secret",
        "secretkey",
        "privatekey",
        "accesskeysecret",
    ]
    .iter()
    .any(|s| name.ends_with(s))
        || name == "token"
        || name == "securitytoken"
}

fn unbox(t: TypeRef) -> TypeRef {
    match t {
        TypeRef::Boxed(inner) => *inner,
        other => other,
    }
}

/// Whether a schema becomes a struct (an object with members, or an object without
/// `additionalProperties`).
pub fn is_struct(s: &Schema) -> bool {
    s.reference.is_none()
        && (s.properties.is_some()
            || (s.ty == Some(SchemaType::Object) && s.additional_properties.is_none()))
}
