//! The second import front-end: Alibaba's Darabonba/Tea SDK specs → facts-only spec files.
//!
//! The official SDKs are generated from these specs, so they describe the current API surface.
//! Two files are read: the async Darabonba client (`*.dara`: `@handler.do('RPC', …)` per
//! operation, `position=` and `shrink=` on request fields) gives the surface and every fact it
//! has; the classic Tea client (`*.tea`, optional: `query['X'] = …`, `body['X'] = …` and
//! `arrayToStringWithSpecifiedStyle(…, 'json')` per operation) gives locations and styles only
//! where the Darabonba file lacks them, and disagreements are noted. [`merge`] then combines the
//! result with the older api-docs metadata (error codes) and reports every difference.
//!
//! [`lex`] and [`parse`] read the subset of the language these files use; anything else is an
//! error naming the file, the line and what was expected, never a panic.

pub mod build;
pub mod client;
pub mod lex;
pub mod merge;
pub mod parse;

use crate::diag::SpecError;
use indexmap::IndexMap;
use std::path::Path;

pub use merge::{merge, MergeReport};

/// The current surface as the Darabonba spec describes it.
#[derive(Debug, Clone)]
pub struct Surface {
    /// Product code (`@product`; `Sas`).
    pub product: String,
    /// API version (`@version`; `2018-12-03`).
    pub version: String,
    /// `@endpointMap`: region → host, in file order.
    pub endpoints: Vec<(String, String)>,
    /// Action → facts, sorted by action.
    pub operations: IndexMap<String, build::BuiltOp>,
    /// Operations of the Darabonba file that the Tea file lacks (their facts come from the
    /// Darabonba file alone).
    pub not_in_tea: Vec<String>,
    /// Operations of the Tea file that the Darabonba file lacks (not imported).
    pub only_in_tea: Vec<String>,
}

/// Lexes and parses one file, errors located by line.
pub fn parse_file(file: &Path, text: &str) -> Result<parse::Module, SpecError> {
    let lexed = lex::lex(text).map_err(|e| at(file, e.line, e.expected))?;
    parse::module(&lexed).map_err(|e| at(file, e.line, e.expected))
}

fn at(file: &Path, line: usize, expected: impl Into<String>) -> SpecError {
    let where_ = if line == 0 {
        "end of file".to_owned()
    } else {
        format!("line {line}")
    };
    SpecError::new(file, where_, expected)
}

/// Reads the Darabonba file (and the classic Tea file when given) into the current surface.
pub fn read(dara: (&Path, &str), tea: Option<(&Path, &str)>) -> Result<Surface, Vec<SpecError>> {
    let (file, text) = dara;
    let module = parse_file(file, text).map_err(|e| vec![e])?;
    let ops = client::operations(&module).map_err(|(l, e)| vec![at(file, l, e)])?;
    let tea_parsed = match tea {
        Some((tf, tt)) => {
            let m = parse_file(tf, tt).map_err(|e| vec![e])?;
            let ops = client::operations(&m).map_err(|(l, e)| vec![at(tf, l, e)])?;
            Some((m, ops))
        }
        None => None,
    };
    let (product, version, endpoints) = build::init_facts(&module);
    let mut errors = Vec::new();
    let product = product.unwrap_or_default();
    let version = version.unwrap_or_default();
    if product.is_empty() || version.is_empty() {
        errors.push(SpecError::new(
            file,
            "init",
            "expected `@product = '…'` and `@version = '…'` in init",
        ));
    }
    let mut operations = IndexMap::new();
    let mut not_in_tea = Vec::new();
    for op in &ops {
        let tea_op = tea_parsed
            .as_ref()
            .and_then(|(m, list)| list.iter().find(|t| t.action == op.action).map(|t| (t, m)));
        if tea_parsed.is_some() && tea_op.is_none() {
            not_in_tea.push(op.action.clone());
        }
        if operations.contains_key(&op.action) {
            errors.push(at(
                file,
                op.line,
                format!("one client function for {} (it has two)", op.action),
            ));
            continue;
        }
        match build::operation(op, &module, tea_op) {
            Ok(b) => {
                operations.insert(op.action.clone(), b);
            }
            Err(e) => errors.push(at(file, op.line, format!("{}: {e}", op.action))),
        }
    }
    operations.sort_keys();
    not_in_tea.sort();
    let mut only_in_tea: Vec<String> = tea_parsed
        .iter()
        .flat_map(|(_, list)| list.iter())
        .filter(|t| !operations.contains_key(&t.action))
        .map(|t| t.action.clone())
        .collect();
    only_in_tea.sort();
    if errors.is_empty() {
        Ok(Surface {
            product,
            version,
            endpoints,
            operations,
            not_in_tea,
            only_in_tea,
        })
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests;
