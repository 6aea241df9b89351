//! The spec model: one official api-docs `apis` entry per operation file, plus the product file
//! and the extensions documented in `spec/README.md`. Unknown keys are rejected, so a key the
//! generator does not understand can never be ignored silently.

use indexmap::IndexMap;
use serde::de::{self, Deserializer};
use serde::Deserialize;
use std::collections::BTreeMap;

/// The crate version when `product.json` declares none.
pub const DEFAULT_CRATE_VERSION: &str = "0.1.0";

/// A scalar that official metadata writes as a string and hand-written specs may write as a
/// number or boolean (`example`, `default`, `enum` values, `minimum`, `maximum`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scalar(pub String);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match serde_json::Value::deserialize(d)? {
            serde_json::Value::String(s) => Ok(Scalar(s)),
            serde_json::Value::Number(n) => Ok(Scalar(n.to_string())),
            serde_json::Value::Bool(b) => Ok(Scalar(b.to_string())),
            other => Err(de::Error::invalid_type(
                unexpected(&other),
                &"a string, number or boolean",
            )),
        }
    }
}

fn unexpected(v: &serde_json::Value) -> de::Unexpected<'_> {
    match v {
        serde_json::Value::Null => de::Unexpected::Unit,
        serde_json::Value::Array(_) => de::Unexpected::Seq,
        serde_json::Value::Object(_) => de::Unexpected::Map,
        serde_json::Value::Bool(b) => de::Unexpected::Bool(*b),
        serde_json::Value::String(s) => de::Unexpected::Str(s),
        serde_json::Value::Number(_) => de::Unexpected::Other("number"),
    }
}

/// `product.json`: the top level of an official api-docs file without its `apis`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ProductSpec {
    /// Extension: the import front-end that wrote this file (`api-docs`, `darabonba`); absent
    /// in hand-written files. Imported files keep only facts ([`crate::facts`]).
    #[serde(default)]
    pub imported_from: Option<String>,
    /// Format version of the metadata (`1.0`).
    #[serde(default)]
    pub version: Option<String>,
    /// Product code, API version and style.
    pub info: ProductInfo,
    /// Region → endpoint table.
    #[serde(default)]
    pub endpoints: Vec<EndpointEntry>,
    /// Shared schemas that operations reach with `$ref`.
    #[serde(default)]
    pub components: Option<Components>,
    /// The documentation portal's grouping of operations (not used for code).
    #[serde(default)]
    pub directories: Option<serde_json::Value>,
    /// Extension: the generated crate's name (default `alibabacloud-<product><version digits>`).
    #[serde(default)]
    pub crate_name: Option<String>,
    /// Extension: a one-line English description of the product for the crate docs.
    #[serde(default)]
    pub title: Option<String>,
    /// Extension: the generated crate's version (semver; default `0.1.0`).
    #[serde(default)]
    pub crate_version: Option<String>,
    /// Extension: a hand-written English Markdown file beside `product.json` appended to the
    /// crate docs (its Rust code blocks are doctests).
    #[serde(default)]
    pub crate_docs: Option<String>,
    /// The contents of `crate_docs`, read by the loader.
    #[serde(skip)]
    pub crate_docs_text: Option<String>,
}

/// `info` of a product.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProductInfo {
    /// `RPC` or `ROA` (the styles generated).
    pub style: String,
    /// Product code, e.g. `Sas`.
    pub product: String,
    /// API version, e.g. `2018-12-03`.
    pub version: String,
}

/// One row of the endpoint table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct EndpointEntry {
    /// Region id.
    pub region_id: String,
    /// Host (official values may carry stray whitespace; it is trimmed).
    pub endpoint: String,
}

/// `components` of a product.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Components {
    /// Named schemas.
    #[serde(default)]
    pub schemas: IndexMap<String, Schema>,
}

/// One operation file: an official `apis` entry plus extensions.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct OperationSpec {
    /// Extension: the import front-end that wrote this file (`api-docs`, `darabonba`); absent
    /// in hand-written files. Imported files keep only facts ([`crate::facts`]).
    #[serde(default)]
    pub imported_from: Option<String>,
    /// Extension: the action name; must equal the file name. Official entries take their name
    /// from the file name when absent.
    #[serde(default)]
    pub action: Option<String>,
    /// One-line summary.
    #[serde(default)]
    pub summary: Option<String>,
    /// Extension: English summary (preferred for docs when present).
    #[serde(default)]
    pub summary_en: Option<String>,
    /// Title.
    #[serde(default)]
    pub title: Option<String>,
    /// Longer description.
    #[serde(default)]
    pub description: Option<String>,
    /// Extension: English description (preferred for docs when present).
    #[serde(default)]
    pub description_en: Option<String>,
    /// Allowed HTTP methods (`post`, `get`; ROA also `put`, `delete`, `patch`, `head`).
    #[serde(default)]
    pub methods: Vec<String>,
    /// ROA: the request path template (`/clusters/{ClusterId}`), whose `{Name}`s are the
    /// `in: path` parameters. Ignored for RPC products (their path is `/`).
    #[serde(default)]
    pub path: Option<String>,
    /// ROA: the request body media types (`application/json`); a JSON body is sent as
    /// `application/json` whatever this says.
    #[serde(default)]
    pub consumes: Vec<String>,
    /// ROA: the response media types (`application/json`); answers are read as JSON.
    #[serde(default)]
    pub produces: Vec<String>,
    /// Allowed schemes.
    #[serde(default)]
    pub schemes: Vec<String>,
    /// Authentication schemes; an empty list means an anonymous operation.
    #[serde(default)]
    pub security: Option<Vec<BTreeMap<String, Vec<String>>>>,
    /// `read`, `readAndWrite`, ….
    #[serde(default)]
    pub operation_type: Option<String>,
    /// Deprecated operations get `#[deprecated]`.
    #[serde(default)]
    pub deprecated: Option<bool>,
    /// Portal tags (not used for code).
    #[serde(default)]
    pub system_tags: Option<serde_json::Value>,
    /// Request parameters.
    #[serde(default)]
    pub parameters: Vec<Parameter>,
    /// Responses by HTTP status; `200` is decoded.
    #[serde(default)]
    pub responses: IndexMap<String, ResponseSpec>,
    /// Documented error codes by HTTP status.
    #[serde(default)]
    pub error_codes: IndexMap<String, Vec<ErrorCodeSpec>>,
    /// JSON-encoded list of examples: `[{"type":"json","example":"…","errorExample":"…"}]`.
    #[serde(default)]
    pub response_demo: Option<String>,
    /// Portal information (`returnType`, `substitutions`).
    #[serde(default)]
    pub static_info: Option<serde_json::Value>,
    /// Free text shown by the portal.
    #[serde(default)]
    pub extra_info: Option<String>,
    /// Free text about the response.
    #[serde(default)]
    pub response_params_description: Option<String>,
    /// Free text about the request.
    #[serde(default)]
    pub request_params_description: Option<String>,
    /// Extension: the change history from the documentation page.
    #[serde(default)]
    pub change_history: Vec<ChangeEntry>,
    /// Extension: how the operation pages (inferred by the import, or written by hand).
    #[serde(default)]
    pub pagination: Option<PaginationSpec>,
}

/// Extension: how an operation pages. Request members are parameter names; response members
/// are dotted member paths from the response root (`PageInfo.TotalCount`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PaginationSpec {
    /// The integer parameter holding the page number (1-based), for page-number paging.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_number: Option<String>,
    /// The integer parameter holding the page size, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_size: Option<String>,
    /// The string parameter holding the token, for token paging.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_token: Option<String>,
    /// The string member holding the next page's token (token paging).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_token: Option<String>,
    /// The integer member holding the total number of items, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<String>,
    /// The list member holding the page's items, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<String>,
}

/// One request parameter.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Parameter {
    /// Wire name (may contain dots).
    pub name: String,
    /// Where it goes.
    #[serde(rename = "in")]
    pub location: ParamLocation,
    /// How lists and objects are written.
    #[serde(default)]
    pub style: Option<ParamStyle>,
    /// Whether an empty value may be sent.
    #[serde(default)]
    pub allow_empty_value: Option<bool>,
    /// The value's schema (`required` sits inside it).
    pub schema: Schema,
}

/// `in` of a parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ParamLocation {
    /// Query string.
    Query,
    /// Form body.
    FormData,
    /// HTTP header.
    Header,
    /// ROA: a `{Name}` of the path template (percent-encoded into the path).
    Path,
    /// ROA: the request body, sent as JSON (at most one per operation).
    Body,
}

/// `style` of a parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ParamStyle {
    /// `Name.1=a`, recursive.
    RepeatList,
    /// Compact JSON.
    Json,
    /// `Name.Key=v`, recursive.
    Flat,
    /// Comma-joined.
    Simple,
}

/// The schema types of the format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SchemaType {
    /// Text.
    String,
    /// Whole number (`format` int32 or int64).
    Integer,
    /// Floating point (`format` float or double).
    Number,
    /// `true` / `false`.
    Boolean,
    /// A list (`items`).
    Array,
    /// An object (`properties`) or a map (`additionalProperties`).
    Object,
    /// Any JSON value.
    Any,
}

/// A schema node.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Schema {
    /// The type; may be absent only with `$ref`.
    #[serde(rename = "type", default)]
    pub ty: Option<SchemaType>,
    /// `int32`, `int64`, `float`, `double`, or a string format (kept in docs).
    #[serde(default)]
    pub format: Option<String>,
    /// A reference `#/components/schemas/Name`.
    #[serde(rename = "$ref", default)]
    pub reference: Option<String>,
    /// Short title.
    #[serde(default)]
    pub title: Option<String>,
    /// Description (markdown; valid values often listed as bullets).
    #[serde(default)]
    pub description: Option<String>,
    /// Extension: English description (preferred for docs when present).
    #[serde(default)]
    pub description_en: Option<String>,
    /// Example value.
    #[serde(default)]
    pub example: Option<Scalar>,
    /// Required (parameters only).
    #[serde(default)]
    pub required: Option<bool>,
    /// Shown as required by the portal (informational).
    #[serde(default)]
    pub doc_required: Option<bool>,
    /// Valid values: string enums become open Rust enums.
    #[serde(rename = "enum", default)]
    pub enum_values: Option<Vec<Scalar>>,
    /// Titles of the valid values.
    #[serde(default)]
    pub enum_value_titles: Option<IndexMap<String, String>>,
    /// Default value.
    #[serde(default)]
    pub default: Option<Scalar>,
    /// Minimum.
    #[serde(default)]
    pub minimum: Option<Scalar>,
    /// Maximum.
    #[serde(default)]
    pub maximum: Option<Scalar>,
    /// Whether the minimum is exclusive.
    #[serde(default)]
    pub exclusive_minimum: Option<bool>,
    /// Whether the maximum is exclusive.
    #[serde(default)]
    pub exclusive_maximum: Option<bool>,
    /// Minimum length of a string.
    #[serde(default)]
    pub min_length: Option<u64>,
    /// Maximum length of a string.
    #[serde(default)]
    pub max_length: Option<u64>,
    /// Regular expression a string must match.
    #[serde(default)]
    pub pattern: Option<String>,
    /// Minimum number of items.
    #[serde(default)]
    pub min_items: Option<u64>,
    /// Maximum number of items.
    #[serde(default)]
    pub max_items: Option<u64>,
    /// Whether the field is deprecated.
    #[serde(default)]
    pub deprecated: Option<bool>,
    /// Object members, in order.
    #[serde(default)]
    pub properties: Option<IndexMap<String, Schema>>,
    /// List items.
    #[serde(default)]
    pub items: Option<Box<Schema>>,
    /// Map values.
    #[serde(default)]
    pub additional_properties: Option<Box<Schema>>,
}

/// A response (only `200` is decoded).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseSpec {
    /// The body's schema.
    #[serde(default)]
    pub schema: Option<Schema>,
    /// Response headers (not used for code).
    #[serde(default)]
    pub headers: Option<serde_json::Value>,
}

/// One documented error code.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ErrorCodeSpec {
    /// The code as the service sends it (any characters).
    pub error_code: String,
    /// The message the service sends.
    #[serde(default)]
    pub error_message: Option<String>,
    /// Extension: what the error means (the documentation's Description column).
    #[serde(default)]
    pub description: Option<String>,
}

/// Extension: one row of the change history.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangeEntry {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Summary of changes.
    pub summary: String,
    /// The change items.
    #[serde(default)]
    pub changes: Vec<ChangeItem>,
}

/// Extension: one change item of a change-history row.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangeItem {
    /// What changed: `Error Codes`, `Input Parameters`, `Output Parameters`, ….
    pub item: String,
    /// The change content as documented.
    pub content: String,
    /// What was added (error codes by HTTP status or code, parameter names).
    #[serde(default)]
    pub added: Vec<String>,
    /// What was deleted (error codes by HTTP status or code, parameter names).
    #[serde(default)]
    pub deleted: Vec<String>,
}

impl Schema {
    /// The description to document: English when present.
    pub fn doc_text(&self) -> Option<&str> {
        self.description_en
            .as_deref()
            .or(self.description.as_deref())
            .or(self.title.as_deref())
            .filter(|s| !s.trim().is_empty())
    }
}

impl OperationSpec {
    /// The summary to document: English when present.
    pub fn summary_text(&self) -> Option<&str> {
        self.summary_en
            .as_deref()
            .or(self.summary.as_deref())
            .or(self.title.as_deref())
            .filter(|s| !s.trim().is_empty())
    }

    /// The description to document: English when present.
    pub fn description_text(&self) -> Option<&str> {
        self.description_en
            .as_deref()
            .or(self.description.as_deref())
            .filter(|s| !s.trim().is_empty())
    }
}
