//! `pagination` → [`PaginationIr`]: checks the named members against the lowered request and
//! response (they exist, with the types paging needs) and resolves them to Rust fields.

use crate::diag::{join, SpecError};
use crate::ir::*;
use crate::naming::Scope;
use crate::spec::PaginationSpec;
use std::path::Path;

const AT: &str = "$.pagination";

/// What pagination is resolved against: the operation's lowered request and response.
pub(super) struct Target<'a> {
    pub file: &'a Path,
    pub request: &'a StructDef,
    pub response: &'a ResponseIr,
    /// The operation's modules of nested types (`request`, `response`).
    pub modules: &'a [ModuleIr],
    /// The client method of the operation.
    pub method: &'a str,
}

/// Resolves `spec` for `t`; the paginator's method name is claimed in `methods`.
///
/// Slightly over 100 lines: one check per member of the `pagination` key, each with its own
/// located error, in the order of spec/README.md.
pub(super) fn lower(
    t: &Target<'_>,
    spec: &PaginationSpec,
    methods: &mut Scope,
    errors: &mut Vec<SpecError>,
) -> Option<PaginationIr> {
    let before = errors.len();
    let err = |errors: &mut Vec<SpecError>, key: &str, msg: String| {
        errors.push(SpecError::new(t.file, join(AT, key), msg));
    };
    let by_token = match (&spec.page_number, &spec.input_token) {
        (Some(_), None) => false,
        (None, Some(_)) => true,
        _ => {
            errors.push(SpecError::new(
                t.file,
                AT,
                "expected exactly one of `pageNumber` (page-number paging) and `inputToken` (token paging)",
            ));
            return None;
        }
    };
    let cursor = if by_token {
        request_field(
            t,
            spec.input_token.as_deref(),
            "inputToken",
            &[TypeRef::String],
            errors,
        )
    } else {
        request_field(
            t,
            spec.page_number.as_deref(),
            "pageNumber",
            NUMBERS,
            errors,
        )
    };
    let page_size = spec
        .page_size
        .as_deref()
        .and_then(|n| request_field(t, Some(n), "pageSize", NUMBERS, errors));
    let total = spec
        .total
        .as_deref()
        .and_then(|p| member(t, p, "total", errors))
        .filter(|m| {
            let ok = INTEGERS.contains(&m.ty);
            if !ok {
                err(
                    errors,
                    "total",
                    format!("expected an integer member, found {:?}", m.ty),
                );
            }
            ok
        });
    let next_token = spec
        .output_token
        .as_deref()
        .and_then(|p| member(t, p, "outputToken", errors))
        .filter(|m| {
            let ok = m.ty == TypeRef::String;
            if !ok {
                err(
                    errors,
                    "outputToken",
                    format!("expected a string member, found {:?}", m.ty),
                );
            }
            ok
        });
    let items = spec.items.as_deref().and_then(|p| items(t, p, errors));
    if by_token && spec.output_token.is_none() {
        err(
            errors,
            "outputToken",
            "expected the response member holding the next token (token paging needs it)".into(),
        );
    }
    if !by_token && spec.output_token.is_some() {
        err(
            errors,
            "outputToken",
            "expected no output token with page-number paging".into(),
        );
    }
    if !by_token && spec.items.is_none() {
        err(errors, "items", "expected the response list holding the items (page-number paging recognises the last page by its item count)".into());
    }
    if errors.len() > before {
        return None;
    }
    Some(PaginationIr {
        method_name: methods.claim(&format!("{}_paginator", t.method), "_"),
        by_token,
        cursor: cursor?,
        page_size,
        total,
        next_token,
        items,
    })
}

const INTEGERS: &[TypeRef] = &[TypeRef::I32, TypeRef::I64];
/// Page numbers and sizes: integers, or decimal text (some operations declare strings).
const NUMBERS: &[TypeRef] = &[TypeRef::I32, TypeRef::I64, TypeRef::String];

fn request_field(
    t: &Target<'_>,
    name: Option<&str>,
    key: &str,
    types: &[TypeRef],
    errors: &mut Vec<SpecError>,
) -> Option<RequestField> {
    let name = name?;
    let Some(f) = t.request.fields.iter().find(|f| f.wire == name) else {
        errors.push(SpecError::new(
            t.file,
            join(AT, key),
            format!("expected the name of a request parameter, found {name:?}"),
        ));
        return None;
    };
    if !types.contains(&f.ty) {
        errors.push(SpecError::new(
            t.file,
            join(AT, key),
            format!(
                "expected parameter {name:?} to be {}, found {:?}",
                if types == NUMBERS {
                    "an integer or a string"
                } else {
                    "a string"
                },
                f.ty
            ),
        ));
        return None;
    }
    Some(RequestField {
        ident: f.ident.clone(),
        required: f.required,
        ty: f.ty.clone(),
    })
}

/// Walks a dotted path through the response's objects; returns the member and the module path
/// (from the operation module) of the struct holding it.
fn walk(
    t: &Target<'_>,
    path: &str,
    key: &str,
    errors: &mut Vec<SpecError>,
) -> Option<(MemberPath, Vec<String>)> {
    let fail = |errors: &mut Vec<SpecError>, msg: String| {
        errors.push(SpecError::new(t.file, join(AT, key), msg));
        None
    };
    let ResponseIr::Struct(root) = t.response else {
        return fail(errors, "expected an object response".into());
    };
    let mut fields = &root.fields;
    let mut node: Vec<&ModuleIr> = Vec::new();
    let mut scope: Vec<String> = Vec::new();
    let mut idents = Vec::new();
    let segments: Vec<&str> = path.split('.').collect();
    for (i, seg) in segments.iter().enumerate() {
        let Some(f) = fields.iter().find(|f| f.wire == *seg) else {
            return fail(
                errors,
                format!(
                    "expected a member path of the response, found {path:?} (no member {seg:?})"
                ),
            );
        };
        idents.push(f.ident.clone());
        let ty = match &f.ty {
            TypeRef::Boxed(inner) => (**inner).clone(),
            other => other.clone(),
        };
        if i + 1 == segments.len() {
            return Some((MemberPath { idents, ty }, scope));
        }
        let TypeRef::Nested { module, name } = &ty else {
            return fail(
                errors,
                format!("expected {seg:?} in {path:?} to be an object of this operation (not a list, map or shared schema)"),
            );
        };
        let children = match node.last() {
            Some(m) => &m.children,
            None => t.modules,
        };
        let Some(child) = children.iter().find(|m| &m.name == module) else {
            return fail(errors, format!("expected the module of {seg:?}"));
        };
        let Some(TypeDef::Struct(s)) = child.types.iter().find(|d| match d {
            TypeDef::Struct(s) => &s.name == name,
            TypeDef::Enum(_) => false,
        }) else {
            return fail(errors, format!("expected the struct of {seg:?}"));
        };
        node.push(child);
        scope.push(module.clone());
        fields = &s.fields;
    }
    fail(errors, "expected a non-empty member path".into())
}

fn member(
    t: &Target<'_>,
    path: &str,
    key: &str,
    errors: &mut Vec<SpecError>,
) -> Option<MemberPath> {
    walk(t, path, key, errors).map(|(m, _)| m)
}

fn items(t: &Target<'_>, path: &str, errors: &mut Vec<SpecError>) -> Option<ItemsIr> {
    let (m, scope) = walk(t, path, "items", errors)?;
    let TypeRef::List(item) = &m.ty else {
        errors.push(SpecError::new(
            t.file,
            join(AT, "items"),
            format!("expected a list member, found {:?}", m.ty),
        ));
        return None;
    };
    Some(ItemsIr {
        item: (**item).clone(),
        path: m,
        scope,
    })
}
