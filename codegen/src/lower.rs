//! Spec → IR: validates what serde cannot (names, references, formats, duplicates), names every
//! type and field, and renders docs.

use crate::diag::{join, SpecError, Warning};
use crate::docs;
use crate::ir::*;
use crate::naming::{self, Scope};
use crate::spec::{OperationSpec, ParamLocation, ParamStyle, ProductSpec, Schema, SchemaType};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Names a module must not give its own types: the prelude and what generated code uses.
const RESERVED_TYPES: &[&str] = &[
    "Option",
    "Result",
    "Vec",
    "String",
    "Box",
    "Some",
    "None",
    "Ok",
    "Err",
    "Self",
    "Value",
    "Map",
    "BTreeMap",
    "Client",
    "Fields",
    "ObjectWriter",
    "FromJson",
    "ToJson",
    "Params",
    "Location",
    "Style",
    "Operation",
    "Method",
    "ErrorCode",
    "Default",
    "Clone",
    "Debug",
    "PartialEq",
    "Send",
    "Sync",
    "Sized",
    "Copy",
    "Eq",
    "Hash",
    "From",
    "Into",
    "Iterator",
    "IntoIterator",
    "ToString",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "AsRef",
    "AsMut",
    "Ord",
    "PartialOrd",
    "Extend",
    "Unpin",
    "Error",
    "Types",
];

/// The name of the map that keeps unknown and unconvertible response fields.
pub const EXTRA_FIELDS: &str = "extra_fields";

/// One parsed operation file.
#[derive(Debug, Clone)]
pub struct OperationFile {
    /// Path of the file (as shown in errors).
    pub path: PathBuf,
    /// Path relative to the spec root (for headers).
    pub relative: String,
    /// Action name from the file name.
    pub stem: String,
    /// The spec.
    pub spec: OperationSpec,
}

/// The output of lowering.
#[derive(Debug)]
pub struct Lowered {
    /// The crate.
    pub ir: CrateIr,
    /// Inconsistencies worth a look.
    pub warnings: Vec<Warning>,
}

/// Lowers a product and its operations.
pub fn lower(
    product_path: &Path,
    product: &ProductSpec,
    ops: &[OperationFile],
) -> Result<Lowered, Vec<SpecError>> {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    if !product.info.style.eq_ignore_ascii_case("rpc") {
        errors.push(SpecError::new(
            product_path,
            "$.info.style",
            format!(
                "expected \"RPC\" (the only style generated), found {:?}",
                product.info.style
            ),
        ));
    }
    let code = product.info.product.trim();
    if !naming::has_identifier(code) {
        errors.push(SpecError::new(
            product_path,
            "$.info.product",
            "expected a product code with letters or digits",
        ));
    }
    let version = product.info.version.trim();
    let version_digits: String = version.chars().filter(char::is_ascii_digit).collect();
    if version.is_empty() || version_digits.is_empty() {
        errors.push(SpecError::new(
            product_path,
            "$.info.version",
            "expected an API version such as 2018-12-03",
        ));
    }
    let dir_name = format!(
        "{}{}",
        code.chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_lowercase(),
        version_digits
    );
    let crate_name = product
        .crate_name
        .clone()
        .unwrap_or_else(|| format!("alibabacloud-{dir_name}"));
    if crate_name.is_empty()
        || !crate_name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        errors.push(SpecError::new(
            product_path,
            "$.crateName",
            "expected a Cargo package name (letters, digits, - and _)",
        ));
    }
    let mut endpoints = Vec::new();
    for (i, e) in product.endpoints.iter().enumerate() {
        let (region, host) = (e.region_id.trim(), e.endpoint.trim());
        if region.is_empty() || host.is_empty() || host.contains(char::is_whitespace) {
            errors.push(SpecError::new(
                product_path,
                format!("$.endpoints[{i}]"),
                "expected a region id and a host name",
            ));
            continue;
        }
        if e.endpoint != host || e.region_id != region {
            warnings.push(Warning {
                file: product_path.to_owned(),
                path: format!("$.endpoints[{i}]"),
                message: format!("whitespace around {host:?} trimmed"),
            });
        }
        endpoints.push((region.to_owned(), host.to_owned()));
    }

    // Shared types from components.
    let mut shared = SharedTypes::default();
    if let Some(c) = &product.components {
        let mut scope = Scope::with_reserved(RESERVED_TYPES);
        for name in c.schemas.keys() {
            if !naming::has_identifier(name) {
                errors.push(SpecError::new(
                    product_path,
                    join("$.components.schemas", name),
                    "expected a schema name with letters or digits",
                ));
                continue;
            }
            let rust = scope.claim(&naming::pascal(name), "");
            shared.names.insert(name.clone(), rust);
        }
        for (name, schema) in &c.schemas {
            let Some(rust) = shared.names.get(name).cloned() else {
                continue;
            };
            let mut cx = TypeCx {
                file: product_path,
                scope: &mut scope,
                types: &mut shared.defs,
                shared: &shared.names,
                components: &c.schemas,
                kind: StructKind::Response,
                stack: vec![name.clone()],
                errors: &mut errors,
            };
            let path = join("$.components.schemas", name);
            cx.named_object(schema, &rust, &path);
        }
    }

    let empty = indexmap::IndexMap::new();
    let components = product.components.as_ref().map_or(&empty, |c| &c.schemas);
    let mut operations = Vec::new();
    let mut modules = Scope::with_reserved(&["types", "client"]);
    let mut methods = Scope::with_reserved(&["new", "builder", "runtime", "from", "clone", "fmt"]);
    for op in ops {
        match lower_operation(
            op,
            &shared.names,
            components,
            &mut modules,
            &mut methods,
            &mut warnings,
        ) {
            Ok(o) => operations.push(o),
            Err(mut e) => errors.append(&mut e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Lowered {
        ir: CrateIr {
            product: ProductIr {
                code: code.to_owned(),
                version: version.to_owned(),
                crate_name,
                dir_name,
                title: product.title.clone(),
                endpoints,
            },
            operations,
            shared_types: shared.defs,
        },
        warnings,
    })
}

#[derive(Default)]
struct SharedTypes {
    names: BTreeMap<String, String>,
    defs: Vec<TypeDef>,
}

fn lower_operation(
    op: &OperationFile,
    shared: &BTreeMap<String, String>,
    components: &indexmap::IndexMap<String, Schema>,
    modules: &mut Scope,
    methods: &mut Scope,
    warnings: &mut Vec<Warning>,
) -> Result<OperationIr, Vec<SpecError>> {
    let file = op.path.as_path();
    let spec = &op.spec;
    let mut errors = Vec::new();
    let action = match &spec.action {
        Some(a) if a != &op.stem => {
            errors.push(SpecError::new(
                file,
                "$.action",
                format!("expected {:?} (the file name), found {a:?}", op.stem),
            ));
            a.clone()
        }
        Some(a) => a.clone(),
        None => op.stem.clone(),
    };
    if !naming::has_identifier(&action)
        || !action
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        errors.push(SpecError::new(
            file,
            "$.action",
            format!("expected an action name of ASCII letters and digits, found {action:?}"),
        ));
        return Err(errors);
    }
    let snake = naming::snake(&action);
    // A module cannot be a raw identifier (its file is named after it): `type` → `type_`.
    let module_base = match naming::field_ident(&snake) {
        m if m.starts_with("r#") => format!("{}_", m.trim_start_matches("r#")),
        m => m,
    };
    let module = modules.claim(&module_base, "_");
    let method_name = methods.claim(&naming::field_ident(&snake), "_");
    let type_base = naming::pascal(&action);
    let request_name = format!("{type_base}Request");
    let response_name = format!("{type_base}Response");
    let error_name = format!("{type_base}ErrorCode");
    let mut reserved: Vec<&str> = RESERVED_TYPES.to_vec();
    let alias_name = format!("{type_base}Error");
    reserved.extend([
        request_name.as_str(),
        response_name.as_str(),
        error_name.as_str(),
        alias_name.as_str(),
    ]);
    let mut scope = Scope::with_reserved(&reserved);
    let mut types = Vec::new();

    // Methods: GET only when POST is not allowed.
    let methods_l: Vec<String> = spec
        .methods
        .iter()
        .map(|m| m.to_ascii_lowercase())
        .collect();
    for (i, m) in methods_l.iter().enumerate() {
        if m != "get" && m != "post" {
            errors.push(SpecError::new(
                file,
                format!("$.methods[{i}]"),
                format!("expected \"get\" or \"post\", found {m:?}"),
            ));
        }
    }
    let get = !methods_l.is_empty() && !methods_l.iter().any(|m| m == "post");

    // Request.
    let mut fields = Vec::new();
    let mut field_scope = Scope::with_reserved(&[]);
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for (i, p) in spec.parameters.iter().enumerate() {
        let path = format!("$.parameters[{i}]");
        if p.name.trim().is_empty() {
            errors.push(SpecError::new(
                file,
                join(&path, "name"),
                "expected a non-empty parameter name",
            ));
            continue;
        }
        if !naming::has_identifier(&p.name) {
            errors.push(SpecError::new(
                file,
                join(&path, "name"),
                format!("expected a name with letters or digits, found {:?}", p.name),
            ));
            continue;
        }
        // Only a repeated name is compared (formatting every schema is costly on big products).
        let fingerprint =
            |p: &crate::spec::Parameter| format!("{:?}|{:?}|{:?}", p.location, p.style, p.schema);
        if let Some(&first) = seen.get(&p.name) {
            let same = spec
                .parameters
                .get(first)
                .is_some_and(|f| fingerprint(f) == fingerprint(p));
            if same {
                warnings.push(Warning {
                    file: file.to_owned(),
                    path: path.clone(),
                    message: format!("parameter {:?} repeats $.parameters[{first}] identically; the repeat is ignored", p.name),
                });
            } else {
                errors.push(SpecError::new(
                    file,
                    path.clone(),
                    format!("expected parameter {:?} once, or repeated identically; it conflicts with $.parameters[{first}]", p.name),
                ));
            }
            continue;
        }
        seen.insert(p.name.clone(), i);
        let mut cx = TypeCx {
            file,
            scope: &mut scope,
            types: &mut types,
            shared,
            components,
            kind: StructKind::RequestObject,
            stack: Vec::new(),
            errors: &mut errors,
        };
        let schema_path = join(&path, "schema");
        let ty = cx.lower(
            &p.schema,
            &naming::pascal(&p.name),
            &request_name,
            &schema_path,
        );
        let style = match (p.style, p.location) {
            (Some(ParamStyle::RepeatList), _) => "RepeatList",
            (Some(ParamStyle::Flat), _) => "Flat",
            (Some(ParamStyle::Json), _) => "Json",
            (Some(ParamStyle::Simple), _) => "Simple",
            (None, _) => "Plain",
        };
        let location = match p.location {
            ParamLocation::Query => "Query",
            ParamLocation::FormData => "Form",
            ParamLocation::Header => "Header",
        };
        let ident = naming::field_ident(&field_scope.claim(&naming::snake(&p.name), "_"));
        fields.push(FieldDef {
            wire: p.name.clone(),
            ident,
            ty,
            required: p.schema.required == Some(true),
            doc: docs::field(&p.schema),
            param: Some(ParamIr { location, style }),
            deprecated: p.schema.deprecated == Some(true),
        });
    }
    let mut doc = Vec::new();
    if let Some(s) = spec.summary_text() {
        docs::paragraph(&mut doc, docs::text(s));
    }
    if let Some(d) = spec.description_text() {
        docs::paragraph(&mut doc, docs::text(d));
    }
    let request_doc = {
        let mut d = vec![format!(
            "Request of [`Client::{method_name}`](crate::Client::{method_name}): `{action}`."
        )];
        if let Some(s) = spec.summary_text() {
            docs::paragraph(&mut d, docs::text(s));
        }
        d
    };
    let request = StructDef {
        name: request_name.clone(),
        doc: request_doc,
        fields,
        kind: StructKind::Request,
    };

    // Response.
    let response_schema = spec.responses.get("200").and_then(|r| r.schema.as_ref());
    let response = {
        let mut cx = TypeCx {
            file,
            scope: &mut scope,
            types: &mut types,
            shared,
            components,
            kind: StructKind::Response,
            stack: Vec::new(),
            errors: &mut errors,
        };
        let rdoc = vec![format!(
            "Response of [`Client::{method_name}`](crate::Client::{method_name}): `{action}`."
        )];
        match response_schema {
            None => ResponseIr::Struct(StructDef {
                name: response_name.clone(),
                doc: rdoc,
                fields: Vec::new(),
                kind: StructKind::Response,
            }),
            Some(s) if is_struct(s) => {
                let fields = cx.fields(s, &response_name, "$.responses.200.schema");
                ResponseIr::Struct(StructDef {
                    name: response_name.clone(),
                    doc: rdoc,
                    fields,
                    kind: StructKind::Response,
                })
            }
            Some(s) => {
                let ty = cx.lower(s, "Body", &response_name, "$.responses.200.schema");
                ResponseIr::Alias {
                    name: response_name.clone(),
                    doc: rdoc,
                    ty,
                }
            }
        }
    };

    // Errors.
    // `Self` is the one keyword in Pascal case.
    let mut err_scope = Scope::with_reserved(&["Undocumented", "Self"]);
    let mut variants: Vec<VariantDef> = Vec::new();
    let mut by_code: BTreeMap<String, usize> = BTreeMap::new();
    for (status, list) in &spec.error_codes {
        for (j, e) in list.iter().enumerate() {
            if e.error_code.is_empty() {
                errors.push(SpecError::new(
                    file,
                    format!("{}[{j}].errorCode", join("$.errorCodes", status)),
                    "expected a non-empty error code",
                ));
                continue;
            }
            let line = format!(
                "HTTP {status}: {}",
                e.description
                    .as_deref()
                    .or(e.error_message.as_deref())
                    .map(docs::one_line)
                    .unwrap_or_default()
            );
            if let Some(&k) = by_code.get(&e.error_code) {
                variants[k].doc.push(String::new());
                variants[k].doc.push(line);
                continue;
            }
            let base = naming::pascal(&e.error_code);
            let base = if base.is_empty() {
                "Code".to_owned()
            } else {
                base
            };
            let ident = err_scope.claim(&base, "");
            by_code.insert(e.error_code.clone(), variants.len());
            variants.push(VariantDef {
                ident,
                wire: e.error_code.clone(),
                doc: vec![
                    format!("`{}`", e.error_code.replace('`', "'")),
                    String::new(),
                    line,
                ],
            });
        }
    }
    let mut error_doc = vec![format!(
        "The documented error codes of `{action}`; any other code is kept in `Undocumented`."
    )];
    docs::paragraph(&mut error_doc, docs::error_table(&spec.error_codes));

    // Method docs: summary, description, errors, change history.
    let table = docs::error_table(&spec.error_codes);
    if !table.is_empty() {
        docs::paragraph(&mut doc, vec!["# Errors".to_owned()]);
        docs::paragraph(&mut doc, table);
    }
    let history = docs::change_history(&spec.change_history);
    if !history.is_empty() {
        docs::paragraph(&mut doc, vec!["# Change history".to_owned()]);
        docs::paragraph(&mut doc, history);
    }
    lint_history(file, spec, warnings);
    lint_demo(file, spec, warnings);
    if spec.deprecated == Some(true) && doc.is_empty() {
        doc.push(format!("`{action}` (deprecated)."));
    }

    if !errors.is_empty() {
        return Err(errors);
    }
    let anonymous = matches!(&spec.security, Some(s) if s.is_empty());
    Ok(OperationIr {
        action: action.clone(),
        module,
        method_name,
        doc,
        deprecated: (spec.deprecated == Some(true))
            .then(|| format!("{action} is deprecated by the service")),
        get,
        anonymous,
        request,
        response,
        types,
        errors: ErrorEnum {
            name: error_name,
            doc: error_doc,
            variants,
        },
        source: op.relative.clone(),
    })
}

fn unbox(t: TypeRef) -> TypeRef {
    match t {
        TypeRef::Boxed(inner) => *inner,
        other => other,
    }
}

fn is_struct(s: &Schema) -> bool {
    s.reference.is_none()
        && (s.properties.is_some()
            || (s.ty == Some(SchemaType::Object) && s.additional_properties.is_none()))
}

/// Warns where the change history contradicts the current spec.
fn lint_history(file: &Path, spec: &OperationSpec, warnings: &mut Vec<Warning>) {
    for (i, entry) in spec.change_history.iter().enumerate() {
        for (j, change) in entry.changes.iter().enumerate() {
            let path = format!("$.changeHistory[{i}].changes[{j}]");
            let item = change.item.to_ascii_lowercase();
            if item.contains("error") {
                for deleted in &change.deleted {
                    let by_status = spec.error_codes.get(deleted).is_some_and(|l| !l.is_empty());
                    let by_code = spec
                        .error_codes
                        .values()
                        .flatten()
                        .any(|e| &e.error_code == deleted);
                    if by_status || by_code {
                        warnings.push(Warning {
                            file: file.to_owned(),
                            path: path.clone(),
                            message: format!(
                                "the change history says error {deleted} was deleted on {}, but $.errorCodes still lists it",
                                entry.date
                            ),
                        });
                    }
                }
            } else if item.contains("param") {
                let names: Vec<&str> = spec.parameters.iter().map(|p| p.name.as_str()).collect();
                let request = item.contains("request") || item.contains("input");
                for deleted in &change.deleted {
                    if request && names.contains(&deleted.as_str()) {
                        warnings.push(Warning {
                            file: file.to_owned(),
                            path: path.clone(),
                            message: format!("the change history says parameter {deleted} was deleted on {}, but $.parameters still has it", entry.date),
                        });
                    }
                }
                for added in &change.added {
                    if request && !names.contains(&added.as_str()) {
                        warnings.push(Warning {
                            file: file.to_owned(),
                            path: path.clone(),
                            message: format!("the change history says parameter {added} was added on {}, but $.parameters lacks it", entry.date),
                        });
                    }
                }
            }
        }
    }
}

/// Warns when the response example cannot be read.
fn lint_demo(file: &Path, spec: &OperationSpec, warnings: &mut Vec<Warning>) {
    if let Some(demo) = &spec.response_demo {
        if crate::examples::parse_demo(demo).is_err() {
            warnings.push(Warning {
                file: file.to_owned(),
                path: "$.responseDemo".to_owned(),
                message: "expected a JSON-encoded list of {\"type\",\"example\",\"errorExample\"}"
                    .to_owned(),
            });
        }
    }
}

/// Lowers schemas to types, naming nested structs and enums in one module scope.
struct TypeCx<'a> {
    file: &'a Path,
    scope: &'a mut Scope,
    types: &'a mut Vec<TypeDef>,
    shared: &'a BTreeMap<String, String>,
    components: &'a indexmap::IndexMap<String, Schema>,
    kind: StructKind,
    /// Component schemas being lowered (a reference back to one of them is boxed).
    stack: Vec<String>,
    errors: &'a mut Vec<SpecError>,
}

impl TypeCx<'_> {
    fn err(&mut self, path: &str, expected: impl Into<String>) {
        self.errors.push(SpecError::new(self.file, path, expected));
    }

    /// The type of `schema`; `hint` names a nested type, `parent` disambiguates it.
    fn lower(&mut self, schema: &Schema, hint: &str, parent: &str, path: &str) -> TypeRef {
        if let Some(r) = &schema.reference {
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
            let target = self.components.get(name);
            return match target {
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
                    let ty = self.lower(&t, hint, parent, &join("$.components.schemas", name));
                    self.stack.pop();
                    ty
                }
                None => TypeRef::Any,
            };
        }
        let Some(ty) = schema.ty else {
            if schema.properties.is_some() {
                return self.nested_object(schema, hint, parent, path);
            }
            self.err(&join(path, "type"), "expected a type: one of string, integer, number, boolean, array, object, any (or a $ref)");
            return TypeRef::Any;
        };
        match ty {
            SchemaType::String => match &schema.enum_values {
                Some(values) if !values.is_empty() => self.string_enum(schema, hint, parent, path),
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
                    let inner = unbox(self.lower(items, hint, parent, &join(path, "items")));
                    TypeRef::List(Box::new(inner))
                }
                None => {
                    self.err(&join(path, "items"), "expected `items` for an array");
                    TypeRef::List(Box::new(TypeRef::Any))
                }
            },
            SchemaType::Object => {
                if schema.properties.is_some() {
                    self.nested_object(schema, hint, parent, path)
                } else if let Some(ap) = &schema.additional_properties {
                    let inner =
                        unbox(self.lower(ap, hint, parent, &join(path, "additionalProperties")));
                    TypeRef::Map(Box::new(inner))
                } else {
                    TypeRef::Any
                }
            }
        }
    }

    fn type_name(&mut self, hint: &str, parent: &str) -> String {
        let base = if hint.is_empty() {
            "Item".to_owned()
        } else {
            hint.to_owned()
        };
        if !self.scope.contains(&base) {
            self.scope.insert(&base);
            return base;
        }
        let parent_short = parent
            .strip_suffix("Response")
            .or_else(|| parent.strip_suffix("Request"))
            .filter(|p| !p.is_empty())
            .unwrap_or(parent);
        let qualified = if parent_short.len() > 40 {
            base.clone()
        } else {
            format!("{parent_short}{base}")
        };
        self.scope.claim(&qualified, "")
    }

    fn nested_object(&mut self, schema: &Schema, hint: &str, parent: &str, path: &str) -> TypeRef {
        let name = self.type_name(hint, parent);
        self.named_object(schema, &name, path);
        TypeRef::Local(name)
    }

    /// Lowers an object schema to a struct named `name` and records it.
    fn named_object(&mut self, schema: &Schema, name: &str, path: &str) {
        if !is_struct(schema) {
            // A component that is not an object: an alias is not needed, references lower in place.
            return;
        }
        let index = self.types.len();
        self.types.push(TypeDef::Struct(StructDef {
            name: name.to_owned(),
            doc: Vec::new(),
            fields: Vec::new(),
            kind: self.kind,
        }));
        let fields = self.fields(schema, name, path);
        let mut doc = schema.doc_text().map(docs::text).unwrap_or_default();
        if doc.is_empty() {
            doc.push(format!("`{name}`."));
        }
        if let Some(TypeDef::Struct(s)) = self.types.get_mut(index) {
            s.fields = fields;
            s.doc = doc;
        }
    }

    fn fields(&mut self, schema: &Schema, parent: &str, path: &str) -> Vec<FieldDef> {
        let mut out = Vec::new();
        let mut names = Scope::with_reserved(if self.kind == StructKind::Response {
            &[EXTRA_FIELDS]
        } else {
            &[]
        });
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
            let ty = self.lower(prop, &naming::pascal(wire), parent, &p);
            let ident = naming::field_ident(&names.claim(&naming::snake(wire), "_"));
            out.push(FieldDef {
                wire: wire.clone(),
                ident,
                ty,
                required: self.kind == StructKind::RequestObject && prop.required == Some(true),
                doc: docs::field(prop),
                param: None,
                deprecated: prop.deprecated == Some(true),
            });
        }
        out
    }

    fn string_enum(&mut self, schema: &Schema, hint: &str, parent: &str, path: &str) -> TypeRef {
        let name = self.type_name(hint, parent);
        let mut variants: Vec<VariantDef> = Vec::new();
        let mut scope = Scope::with_reserved(&["Unknown", "Self"]);
        let bullets = schema
            .description
            .as_deref()
            .map(bullet_docs)
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
        if doc.is_empty() {
            doc.push(format!("Valid values of `{hint}`."));
        }
        docs::paragraph(
            &mut doc,
            vec!["Values this version does not know are kept in `Unknown`.".to_owned()],
        );
        self.types.push(TypeDef::Enum(EnumDef {
            name: name.clone(),
            doc,
            variants,
        }));
        TypeRef::Local(name)
    }
}

/// `- **VALUE**: text` bullets of a description, value → text (full-width colons too).
pub fn bullet_docs(description: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for b in crate::values::bullets(description) {
        out.entry(b.value).or_insert(b.text);
    }
    out
}
