//! Warnings about specs that contradict themselves (they are printed by `cargo xtask gen`).

use crate::diag::Warning;
use crate::spec::OperationSpec;
use std::path::Path;

/// Warns where the change history contradicts the current spec.
pub(super) fn history(file: &Path, spec: &OperationSpec, warnings: &mut Vec<Warning>) {
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
pub(super) fn demo(file: &Path, spec: &OperationSpec, warnings: &mut Vec<Warning>) {
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
