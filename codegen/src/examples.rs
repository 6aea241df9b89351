//! The documented response examples (`responseDemo`: a JSON-encoded list).

use serde::Deserialize;

/// One documented example.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Demo {
    /// `json` or `xml`.
    #[serde(rename = "type", default)]
    pub kind: String,
    /// The success example.
    #[serde(default)]
    pub example: String,
    /// The error example.
    #[serde(default)]
    pub error_example: String,
}

/// Parses a `responseDemo` string.
pub fn parse_demo(s: &str) -> Result<Vec<Demo>, serde_json::Error> {
    if s.trim().is_empty() {
        return Ok(Vec::new());
    }
    serde_json::from_str(s)
}

/// The non-empty JSON success example of `responseDemo`, if any.
pub fn json_example(demo: Option<&str>) -> Option<String> {
    let list = parse_demo(demo?).ok()?;
    list.into_iter()
        .find(|d| {
            (d.kind.is_empty() || d.kind.eq_ignore_ascii_case("json"))
                && !d.example.trim().is_empty()
        })
        .map(|d| d.example)
}
