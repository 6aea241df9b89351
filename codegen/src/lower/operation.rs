//! One operation → [`OperationIr`]: names, methods, the request (and its companion of required
//! parameters), the response and the docs of the client method.

use super::types::{field, is_struct, module_ident, ModuleBuilder, TypeCx, EXTRA_FIELDS};
use super::{errors, lint, pagination, RESERVED_TYPES};
use crate::diag::{join, SpecError, Warning};
use crate::docs;
use crate::ir::*;
use crate::load::OperationFile;
use crate::naming::{self, Scope};
use crate::spec::{OperationSpec, ParamLocation, ParamStyle, Parameter, Schema};
use std::collections::BTreeMap;
use std::path::Path;

/// The names of one operation, decided before anything else.
struct Names {
    action: String,
    module: String,
    method: String,
    request: String,
    required: String,
    response: String,
    error_code: String,
    error_alias: String,
}

/// Lowers one operation; `product` is (code, version).
///
/// Slightly over 100 lines: the steps of one operation (names, parameters, response, errors,
/// docs) in order; each decision lives in the function it calls.
pub(super) fn lower_operation(
    op: &OperationFile,
    product: &super::ProductCx,
    shared: &BTreeMap<String, String>,
    components: &indexmap::IndexMap<String, Schema>,
    modules: &mut Scope,
    methods: &mut Scope,
    warnings: &mut Vec<Warning>,
) -> Result<OperationIr, Vec<SpecError>> {
    let file = op.path.as_path();
    let spec = &op.spec;
    let mut errors = Vec::new();
    let names = names(op, modules, methods, &mut errors)?;
    let (get, roa) = if product.roa {
        (false, Some(super::roa::lower(file, spec, &mut errors)))
    } else {
        (http_get(file, spec, &mut errors), None)
    };
    let mut cx = TypeCx {
        file,
        shared,
        components,
        kind: StructKind::RequestObject,
        stack: Vec::new(),
        errors: &mut errors,
    };
    let mut request_types = ModuleBuilder::new(
        "request",
        // An outer doc of a module resolves links in the parent's scope.
        vec![format!("Types of the parameters of [`{}`].", names.request)],
    );
    let fields = request_fields(&mut cx, spec, &mut request_types, warnings, roa.is_some());
    cx.kind = StructKind::Response;
    let mut response_types = ModuleBuilder::new(
        "response",
        vec![format!("Types of the members of [`{}`].", names.response)],
    );
    let response = response(&mut cx, spec, &names, &mut response_types);
    let error_enum = errors::error_enum(
        file,
        spec,
        &names.action,
        &names.error_code,
        &names.error_alias,
        &mut errors,
    );
    lint::history(file, spec, warnings);
    lint::demo(file, spec, warnings);
    if !errors.is_empty() {
        return Err(errors);
    }
    let any_required = fields.iter().any(|f| f.required);
    let paged = docs::paging(spec);
    let facts = docs::OperationFacts {
        product: &product.code,
        version: &product.version,
        action: &names.action,
        get,
        roa: roa.as_ref().map(|r| (r.method.as_str(), r.path.as_str())),
        deprecated: spec.deprecated == Some(true),
        paged: paged.as_deref(),
    };
    let request = StructDef {
        name: names.request.clone(),
        doc: docs::request(spec, &facts, &names.method),
        fields,
        kind: StructKind::Request,
        required_struct: any_required.then(|| names.required.clone()),
        extra_field: None,
    };
    let modules: Vec<ModuleIr> = [request_types.finish(), response_types.finish()]
        .into_iter()
        .flatten()
        .collect();
    let pagination = match &spec.pagination {
        Some(p) => {
            let target = pagination::Target {
                file,
                request: &request,
                response: &response,
                modules: &modules,
                method: &names.method,
            };
            let ir = pagination::lower(&target, p, methods, &mut errors);
            if !errors.is_empty() {
                return Err(errors);
            }
            ir
        }
        None => None,
    };
    Ok(OperationIr {
        doc: docs::operation(spec, &facts),
        module_doc: vec![format!(
            "`{}`: request, response, nested types and error codes.",
            names.action
        )],
        deprecated: (spec.deprecated == Some(true))
            .then(|| format!("{} is deprecated by the service", names.action)),
        get,
        anonymous: matches!(&spec.security, Some(s) if s.is_empty()),
        request,
        response,
        modules,
        errors: error_enum,
        pagination,
        roa,
        source: op.relative.clone(),
        action: names.action,
        module: names.module,
        method_name: names.method,
    })
}

/// The action (checked against the file name) and every name derived from it.
fn names(
    op: &OperationFile,
    modules: &mut Scope,
    methods: &mut Scope,
    errors: &mut Vec<SpecError>,
) -> Result<Names, Vec<SpecError>> {
    let file = op.path.as_path();
    let action = match &op.spec.action {
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
        return Err(std::mem::take(errors));
    }
    let snake = naming::snake(&action);
    // A module file cannot be named by a raw identifier: `type` → `type_`.
    let module_base = match module_ident(&snake) {
        m if m.starts_with("r#") => format!("{}_", m.trim_start_matches("r#")),
        m => m,
    };
    let base = naming::pascal(&action);
    let names = Names {
        module: modules.claim(&module_base, "_"),
        method: methods.claim(&naming::field_ident(&snake), "_"),
        request: format!("{base}Request"),
        required: format!("{base}Required"),
        response: format!("{base}Response"),
        error_code: format!("{base}ErrorCode"),
        error_alias: format!("{base}Error"),
        action,
    };
    // The operation module holds only these names and the child modules, so nothing else can
    // collide with them; a reserved prelude name would (an action named `Option`…).
    if RESERVED_TYPES.contains(&names.request.as_str()) {
        errors.push(SpecError::new(
            file,
            "$.action",
            "expected an action whose type names do not shadow the prelude",
        ));
    }
    Ok(names)
}

/// GET only when POST is not allowed; other methods are errors.
fn http_get(file: &Path, spec: &OperationSpec, errors: &mut Vec<SpecError>) -> bool {
    let methods: Vec<String> = spec
        .methods
        .iter()
        .map(|m| m.to_ascii_lowercase())
        .collect();
    for (i, m) in methods.iter().enumerate() {
        if m != "get" && m != "post" {
            errors.push(SpecError::new(
                file,
                format!("$.methods[{i}]"),
                format!("expected \"get\" or \"post\", found {m:?}"),
            ));
        }
    }
    !methods.is_empty() && !methods.iter().any(|m| m == "post")
}

/// The request's fields, one per distinct parameter; their types go to `m` (`request`).
fn request_fields(
    cx: &mut TypeCx<'_>,
    spec: &OperationSpec,
    m: &mut ModuleBuilder,
    warnings: &mut Vec<Warning>,
    roa: bool,
) -> Vec<FieldDef> {
    let mut fields = Vec::new();
    let mut names = Scope::with_reserved(&[]);
    let mut setters = Scope::with_reserved(&[]);
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, p) in spec.parameters.iter().enumerate() {
        let path = format!("$.parameters[{i}]");
        if p.name.trim().is_empty() {
            cx.errors.push(SpecError::new(
                cx.file,
                join(&path, "name"),
                "expected a non-empty parameter name",
            ));
            continue;
        }
        if !naming::has_identifier(&p.name) {
            cx.errors.push(SpecError::new(
                cx.file,
                join(&path, "name"),
                format!("expected a name with letters or digits, found {:?}", p.name),
            ));
            continue;
        }
        if let Some(&first) = seen.get(p.name.as_str()) {
            repeated(cx, spec, first, i, warnings);
            continue;
        }
        seen.insert(&p.name, i);
        if !roa && matches!(p.location, ParamLocation::Path | ParamLocation::Body) {
            cx.errors.push(SpecError::new(
                cx.file,
                join(&path, "in"),
                "expected query, formData or header (path and body parameters are ROA's)",
            ));
            continue;
        }
        let ty = cx.lower(&p.schema, &p.name, m, &join(&path, "schema"));
        let param = ParamIr {
            location: match p.location {
                ParamLocation::Query => Location::Query,
                ParamLocation::FormData => Location::Form,
                ParamLocation::Header => Location::Header,
                ParamLocation::Path => Location::Path,
                ParamLocation::Body => Location::Body,
            },
            style: match p.style {
                Some(ParamStyle::RepeatList) => Style::RepeatList,
                Some(ParamStyle::Flat) => Style::Flat,
                Some(ParamStyle::Json) => Style::Json,
                Some(ParamStyle::Simple) => Style::Simple,
                None => Style::Plain,
            },
        };
        // A path parameter is required whatever its schema says: the path needs it.
        let required = p.schema.required == Some(true) || p.location == ParamLocation::Path;
        fields.push(field(
            &p.name,
            ty,
            required,
            &p.schema,
            Some(param),
            &mut names,
            &mut setters,
            true,
        ));
    }
    fields
}

/// A parameter named twice: identical repeats are ignored with a warning, others are errors.
fn repeated(
    cx: &mut TypeCx<'_>,
    spec: &OperationSpec,
    first: usize,
    i: usize,
    warnings: &mut Vec<Warning>,
) {
    // Only a repeated name is compared (formatting every schema is costly on big products).
    let fingerprint = |p: &Parameter| format!("{:?}|{:?}|{:?}", p.location, p.style, p.schema);
    let (Some(a), Some(b)) = (spec.parameters.get(first), spec.parameters.get(i)) else {
        return;
    };
    let path = format!("$.parameters[{i}]");
    if fingerprint(a) == fingerprint(b) {
        warnings.push(Warning {
            file: cx.file.to_owned(),
            path,
            message: format!(
                "parameter {:?} repeats $.parameters[{first}] identically; the repeat is ignored",
                b.name
            ),
        });
    } else {
        cx.errors.push(SpecError::new(
            cx.file,
            path,
            format!("expected parameter {:?} once, or repeated identically; it conflicts with $.parameters[{first}]", b.name),
        ));
    }
}

/// The success response: a struct, or an alias when the body is not an object.
fn response(
    cx: &mut TypeCx<'_>,
    spec: &OperationSpec,
    names: &Names,
    m: &mut ModuleBuilder,
) -> ResponseIr {
    let doc = vec![format!(
        "Response of [`Client::{0}`](crate::Client::{0}): `{1}`.",
        names.method, names.action
    )];
    let path = "$.responses.200.schema";
    let schema = spec.responses.get("200").and_then(|r| r.schema.as_ref());
    match schema {
        None => ResponseIr::Struct(StructDef {
            name: names.response.clone(),
            doc,
            fields: Vec::new(),
            kind: StructKind::Response,
            required_struct: None,
            extra_field: Some(EXTRA_FIELDS.to_owned()),
        }),
        Some(s) if is_struct(s) => ResponseIr::Struct(StructDef {
            name: names.response.clone(),
            doc,
            fields: cx.fields(s, m, path),
            kind: StructKind::Response,
            required_struct: None,
            extra_field: Some(EXTRA_FIELDS.to_owned()),
        }),
        Some(s) => ResponseIr::Alias {
            name: names.response.clone(),
            doc,
            ty: cx.lower(s, "Body", m, path),
        },
    }
}
