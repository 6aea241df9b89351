//! The error-code enum of an operation: one variant per distinct documented code.

use crate::diag::{join, SpecError};
use crate::docs;
use crate::ir::{ErrorEnum, VariantDef};
use crate::naming::{self, Scope};
use crate::spec::OperationSpec;
use std::collections::BTreeMap;
use std::path::Path;

/// The error-code enum `name` (with its alias `alias`) of `spec`.
pub(super) fn error_enum(
    file: &Path,
    spec: &OperationSpec,
    action: &str,
    name: &str,
    alias: &str,
    errors: &mut Vec<SpecError>,
) -> ErrorEnum {
    // `Self` is the one keyword in Pascal case.
    let mut scope = Scope::with_reserved(&["Undocumented", "Self"]);
    let mut variants: Vec<VariantDef> = Vec::new();
    let mut by_code: BTreeMap<&str, usize> = BTreeMap::new();
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
            let text = e
                .description
                .as_deref()
                .or(e.error_message.as_deref())
                .map(docs::one_line)
                .unwrap_or_default();
            let line = if text.is_empty() {
                format!("HTTP {status}.")
            } else {
                format!("HTTP {status}: {text}")
            };
            if let Some(&k) = by_code.get(e.error_code.as_str()) {
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
            by_code.insert(&e.error_code, variants.len());
            variants.push(VariantDef {
                ident: scope.claim(&base, ""),
                wire: e.error_code.clone(),
                doc: vec![
                    format!("`{}`", e.error_code.replace('`', "'")),
                    String::new(),
                    line,
                ],
            });
        }
    }
    let mut doc = vec![format!(
        "The documented error codes of `{action}`; any other code is kept in `Undocumented`."
    )];
    docs::paragraph(&mut doc, docs::error_table(&spec.error_codes));
    ErrorEnum {
        name: name.to_owned(),
        alias: alias.to_owned(),
        doc,
        variants,
    }
}
