//! ROA operations: the HTTP method and the path template, checked against the `in: path`
//! parameters, and where the body comes from.
//!
//! Rules: the method is the one the entry lists (POST, then GET, when it lists several, as for
//! RPC); the path starts with `/` and each `{Name}` names an `in: path` parameter, and each
//! such parameter appears in it; path parameters are required whatever their schema says (no
//! request can be sent without them); at most one `in: body` parameter, and not beside
//! `formData` parameters (one body per request).

use crate::diag::SpecError;
use crate::ir::RoaIr;
use crate::spec::{OperationSpec, ParamLocation};
use std::path::Path;

/// The methods a ROA operation may use, as the runtime names them.
const METHODS: &[(&str, &str)] = &[
    ("post", "Post"),
    ("get", "Get"),
    ("put", "Put"),
    ("delete", "Delete"),
    ("patch", "Patch"),
    ("head", "Head"),
];

/// The ROA facts of `spec`, or errors.
pub(super) fn lower(file: &Path, spec: &OperationSpec, errors: &mut Vec<SpecError>) -> RoaIr {
    let listed: Vec<String> = spec
        .methods
        .iter()
        .map(|m| m.to_ascii_lowercase())
        .collect();
    let mut method = None;
    for (i, m) in listed.iter().enumerate() {
        if !METHODS.iter().any(|(w, _)| w == m) {
            errors.push(SpecError::new(
                file,
                format!("$.methods[{i}]"),
                format!("expected get, post, put, delete, patch or head, found {m:?}"),
            ));
        }
    }
    for (wire, rust) in METHODS {
        if method.is_none() && listed.iter().any(|m| m == wire) {
            method = Some(*rust);
        }
    }
    if listed.is_empty() {
        errors.push(SpecError::new(
            file,
            "$.methods",
            "expected the HTTP method of a ROA operation",
        ));
    }
    let path = spec.path.clone().unwrap_or_default();
    if !path.starts_with('/') {
        errors.push(SpecError::new(
            file,
            "$.path",
            format!("expected a ROA path starting with '/', found {path:?}"),
        ));
    }
    let mut names = Vec::new();
    let mut rest = path.as_str();
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            errors.push(SpecError::new(
                file,
                "$.path",
                "expected '}' after '{' in the path",
            ));
            break;
        };
        names.push(rest[open + 1..open + close].to_owned());
        rest = &rest[open + close + 1..];
    }
    for n in &names {
        let declared = spec
            .parameters
            .iter()
            .any(|p| p.location == ParamLocation::Path && &p.name == n);
        if !declared {
            errors.push(SpecError::new(
                file,
                "$.path",
                format!("expected an `in: path` parameter named {n:?} (the path names it)"),
            ));
        }
    }
    let mut bodies = 0;
    for (i, p) in spec.parameters.iter().enumerate() {
        match p.location {
            ParamLocation::Path if !names.contains(&p.name) => errors.push(SpecError::new(
                file,
                format!("$.parameters[{i}]"),
                format!("expected {{{}}} in the path of this path parameter", p.name),
            )),
            ParamLocation::Body => {
                bodies += 1;
                if bodies > 1 {
                    errors.push(SpecError::new(
                        file,
                        format!("$.parameters[{i}]"),
                        "expected at most one `in: body` parameter",
                    ));
                }
            }
            _ => {}
        }
    }
    let form = spec
        .parameters
        .iter()
        .any(|p| p.location == ParamLocation::FormData);
    if bodies > 0 && form {
        errors.push(SpecError::new(
            file,
            "$.parameters",
            "expected either an `in: body` parameter or `formData` parameters (one body per request)",
        ));
    }
    RoaIr {
        method: method.unwrap_or("Post").to_owned(),
        path,
    }
}
