//! Inferring the `pagination` extension from an official metadata entry (used by the import).
//!
//! Request side: a page number (`CurrentPage`, `PageNumber`, `PageNo`, `PageIndex`; integer, or
//! string as five Security Center operations declare it)
//! means page-number paging, which wins when the operation also takes a `NextToken` (Security
//! Center's operations with both need a `UseNextToken` switch for tokens, and page numbers work
//! without it); else a `NextToken` string means token paging. The page size is `PageSize` or
//! `MaxResults` (integer or string), if present.
//!
//! Response side, walking objects from the root (never into lists or shared schemas): the total
//! is the shallowest integer `TotalCount` (else `Total`), the next token the shallowest string
//! `NextToken`, the items the only list. Anything ambiguous is left out; an operation whose
//! shape is not recognised (page-number paging without one item list, token paging without a
//! next token) gets no pagination and a reason, never a guess.

use crate::spec::PaginationSpec;
use serde_json::Value as Json;

/// What the inference concluded about one entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inferred {
    /// The operation takes no page number or token.
    NotPaged,
    /// How it pages.
    Paged(PaginationSpec),
    /// It takes page parameters, but its answer's shape is not recognised: why.
    Unrecognised(String),
}

const PAGE_NUMBERS: &[&str] = &["CurrentPage", "PageNumber", "PageNo", "PageIndex"];
const PAGE_SIZES: &[&str] = &["PageSize", "MaxResults"];
const TOKEN: &str = "NextToken";
const TOTALS: &[&str] = &["TotalCount", "Total"];

/// Infers how the official entry `op` pages.
pub fn infer(op: &Json) -> Inferred {
    let params: Vec<(&str, &str)> = match op.get("parameters") {
        Some(Json::Array(list)) => list
            .iter()
            .filter_map(|p| {
                let name = p.get("name")?.as_str()?;
                let schema = p.get("schema");
                // A string with listed values becomes an enum type: not a number.
                if schema.and_then(|s| s.get("enum")).is_some() {
                    return Some((name, "enum"));
                }
                let ty = schema.and_then(|s| s.get("type")).and_then(Json::as_str);
                Some((name, ty.unwrap_or_default()))
            })
            .collect(),
        _ => Vec::new(),
    };
    let param = |names: &[&str], types: &[&str]| {
        names
            .iter()
            .find(|n| params.iter().any(|(p, t)| p == *n && types.contains(t)))
            .map(|n| (*n).to_owned())
    };
    // Some operations take page numbers as strings (sent as decimal text, like integers).
    let numeric = ["integer", "string"];
    let page_number = param(PAGE_NUMBERS, &numeric);
    let input_token = param(&[TOKEN], &["string"]);
    if page_number.is_none() && input_token.is_none() {
        return Inferred::NotPaged;
    }
    let mut members = Vec::new();
    if let Some(s) = op
        .get("responses")
        .and_then(|r| r.get("200"))
        .and_then(|r| r.get("schema"))
    {
        collect(s, "", 0, &mut members);
    }
    let shallowest = |names: &[&str], ty: &str| -> Option<String> {
        names.iter().find_map(|n| {
            let found: Vec<&Member> = members
                .iter()
                .filter(|m| m.name == *n && m.ty == ty)
                .collect();
            let depth = found.iter().map(|m| m.depth).min()?;
            let top: Vec<&&Member> = found.iter().filter(|m| m.depth == depth).collect();
            (top.len() == 1).then(|| top[0].path.clone())
        })
    };
    let lists: Vec<&Member> = members.iter().filter(|m| m.ty == "array").collect();
    let items = (lists.len() == 1).then(|| lists[0].path.clone());
    let mut spec = PaginationSpec {
        page_size: param(PAGE_SIZES, &numeric),
        total: shallowest(TOTALS, "integer"),
        items,
        ..PaginationSpec::default()
    };
    if page_number.is_some() {
        if spec.items.is_none() {
            return Inferred::Unrecognised(format!(
                "page-number paging needs one item list in the response; it has {}",
                lists.len()
            ));
        }
        spec.page_number = page_number;
    } else {
        let Some(out) = shallowest(&[TOKEN], "string") else {
            return Inferred::Unrecognised(
                "token paging needs a NextToken string in the response".to_owned(),
            );
        };
        spec.input_token = input_token;
        spec.output_token = Some(out);
    }
    Inferred::Paged(spec)
}

struct Member {
    name: String,
    path: String,
    ty: String,
    depth: usize,
}

/// Every member reachable through objects (at most four levels deep).
fn collect(schema: &Json, prefix: &str, depth: usize, out: &mut Vec<Member>) {
    let Some(Json::Object(props)) = schema.get("properties") else {
        return;
    };
    for (name, s) in props {
        let path = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}.{name}")
        };
        let ty = s.get("type").and_then(Json::as_str).unwrap_or_default();
        if s.get("$ref").is_some() {
            continue;
        }
        if (ty == "object" || ty.is_empty()) && depth < 3 {
            collect(s, &path, depth + 1, out);
        }
        out.push(Member {
            name: name.clone(),
            path,
            ty: ty.to_owned(),
            depth,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(params: &str, response: &str) -> Json {
        serde_json::from_str(&format!(
            r#"{{"parameters": [{params}], "responses": {{"200": {{"schema": {response}}}}}}}"#
        ))
        .unwrap()
    }

    const PAGE: &str = r#"{"name": "CurrentPage", "in": "query", "schema": {"type": "integer"}},
        {"name": "PageSize", "in": "query", "schema": {"type": "integer"}}"#;

    #[test]
    fn page_info_and_one_list() {
        let op = entry(
            PAGE,
            r#"{"type": "object", "properties": {"PageInfo": {"type": "object", "properties":
                {"TotalCount": {"type": "integer"}, "Count": {"type": "integer"}}},
                "Items": {"type": "array", "items": {"type": "string"}}}}"#,
        );
        assert_eq!(
            infer(&op),
            Inferred::Paged(PaginationSpec {
                page_number: Some("CurrentPage".into()),
                page_size: Some("PageSize".into()),
                total: Some("PageInfo.TotalCount".into()),
                items: Some("Items".into()),
                ..Default::default()
            })
        );
    }

    #[test]
    fn nested_list_and_top_level_total() {
        let op = entry(
            PAGE,
            r#"{"type": "object", "properties": {"TotalCount": {"type": "integer"},
                "Data": {"type": "object", "properties": {"List": {"type": "array"}}}}}"#,
        );
        let Inferred::Paged(p) = infer(&op) else {
            panic!("{:?}", infer(&op))
        };
        assert_eq!(p.total.as_deref(), Some("TotalCount"));
        assert_eq!(p.items.as_deref(), Some("Data.List"));
    }

    #[test]
    fn several_lists_or_none_are_not_guessed() {
        let two = entry(
            PAGE,
            r#"{"type": "object", "properties": {"A": {"type": "array"}, "B": {"type": "array"}}}"#,
        );
        assert!(matches!(infer(&two), Inferred::Unrecognised(r) if r.contains("has 2")));
        let none = entry(
            PAGE,
            r#"{"type": "object", "properties": {"Id": {"type": "string"}}}"#,
        );
        assert!(matches!(infer(&none), Inferred::Unrecognised(_)));
    }

    #[test]
    fn tokens_and_hybrids() {
        let token = entry(
            r#"{"name": "NextToken", "in": "query", "schema": {"type": "string"}},
               {"name": "MaxResults", "in": "query", "schema": {"type": "integer"}}"#,
            r#"{"type": "object", "properties": {"NextToken": {"type": "string"},
                "Rows": {"type": "array"}}}"#,
        );
        assert_eq!(
            infer(&token),
            Inferred::Paged(PaginationSpec {
                input_token: Some("NextToken".into()),
                output_token: Some("NextToken".into()),
                page_size: Some("MaxResults".into()),
                items: Some("Rows".into()),
                ..Default::default()
            })
        );
        let hybrid = entry(
            &format!(
                r#"{PAGE}, {{"name": "NextToken", "in": "query", "schema": {{"type": "string"}}}}"#
            ),
            r#"{"type": "object", "properties": {"NextToken": {"type": "string"},
                "Rows": {"type": "array"}}}"#,
        );
        let Inferred::Paged(p) = infer(&hybrid) else {
            panic!()
        };
        assert_eq!(p.page_number.as_deref(), Some("CurrentPage"));
        assert_eq!(p.input_token, None);
        let no_out = entry(
            r#"{"name": "NextToken", "in": "query", "schema": {"type": "string"}}"#,
            r#"{"type": "object", "properties": {"Rows": {"type": "array"}}}"#,
        );
        assert!(matches!(infer(&no_out), Inferred::Unrecognised(_)));
        assert_eq!(infer(&entry("", "{}")), Inferred::NotPaged);
    }
}
