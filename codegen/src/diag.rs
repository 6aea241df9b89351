//! Diagnostics: spec errors that stop generation and lint warnings that do not.

use std::fmt;
use std::path::PathBuf;

/// A broken spec: which file, where in it (a JSON path such as `$.parameters[2].schema.type`),
/// and what was expected there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError {
    /// The file.
    pub file: PathBuf,
    /// JSON path inside the file (`$` for the whole file).
    pub path: String,
    /// What was expected, and what was found where known.
    pub expected: String,
}

impl SpecError {
    /// An error in `file` at `path`.
    pub fn new(
        file: impl Into<PathBuf>,
        path: impl Into<String>,
        expected: impl Into<String>,
    ) -> Self {
        Self {
            file: file.into(),
            path: path.into(),
            expected: expected.into(),
        }
    }
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: at {}: {}",
            self.file.display(),
            self.path,
            self.expected
        )
    }
}

impl std::error::Error for SpecError {}

/// A spec inconsistency that does not stop generation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The file.
    pub file: PathBuf,
    /// JSON path inside the file.
    pub path: String,
    /// What is inconsistent.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "warning: {}: at {}: {}",
            self.file.display(),
            self.path,
            self.message
        )
    }
}

/// Joins a JSON path and a key: `$.a` + `b` → `$.a.b`; keys that are not plain identifiers are
/// quoted (`$.properties["Dns.Name"]`).
pub fn join(path: &str, key: &str) -> String {
    if !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
    {
        format!("{path}.{key}")
    } else {
        format!("{path}[{}]", serde_json::Value::String(key.to_owned()))
    }
}

/// Converts a `serde_path_to_error` path (`a.b[2].c`) to the `$`-rooted form.
pub fn from_serde_path(p: &serde_path_to_error::Path) -> String {
    let s = p.to_string();
    if s == "." || s.is_empty() {
        "$".to_owned()
    } else if s.starts_with('[') {
        format!("${s}")
    } else {
        format!("$.{s}")
    }
}
