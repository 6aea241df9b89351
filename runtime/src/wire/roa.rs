//! ROA requests: a path with parameters, a query, headers and a JSON or form body, signed with
//! signature V3 over the canonical path (the official SDKs' default for ROA as for RPC; the
//! legacy ROA signature is used by no product generated here, so it is not implemented).
//!
//! The canonical URI is the path as sent: the template's literal parts percent-encoded except
//! `/` (`:` is `%3A`, as the official SDKs' generator writes it), each `{Name}` replaced by its
//! value percent-encoded (RFC 3986, so `/` in a value is `%2F`). The
//! body is hashed into `x-acs-content-sha256`; a JSON body is sent as
//! `application/json; charset=utf-8`, a form body as `application/x-www-form-urlencoded`.
//! A JSON body is compact, non-ASCII kept as it is, with object members sorted by name at
//! every level: the official SDKs' models list members alphabetically, so the bytes are theirs.

use super::build::{Call, SigningKey};
use super::http::HttpRequest;
use super::percent;
use super::stamp::SignContext;

/// The body of a ROA request.
#[derive(Debug, Clone, Copy)]
pub enum RoaBody<'a> {
    /// Form pairs, not yet encoded (none: no body).
    Form(&'a [(String, String)]),
    /// JSON text.
    Json(&'a [u8]),
}

/// The bytes of a ROA JSON body holding `value`: a string is sent as it is (as the official
/// SDKs send a string body); anything else as compact JSON with members sorted by name.
pub fn json_body(value: &serde_json::Value) -> Vec<u8> {
    match value {
        serde_json::Value::String(s) => s.as_bytes().to_vec(),
        other => serde_json::to_vec(&sorted(other)).unwrap_or_default(),
    }
}

/// `value` with the members of every object sorted by name.
fn sorted(value: &serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            let mut members: Vec<(&String, &Value)> = map.iter().collect();
            members.sort_by(|a, b| a.0.cmp(b.0));
            Value::Object(
                members
                    .into_iter()
                    .map(|(k, v)| (k.clone(), sorted(v)))
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
        other => other.clone(),
    }
}

/// The path of `template` with every `{Name}` replaced by the encoded value of parameter
/// `Name`; an error names a placeholder without a value (nothing is sent then).
pub fn expand_path(template: &str, params: &[(String, String)]) -> Result<String, String> {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            break;
        };
        literal(&mut out, &rest[..open]);
        let name = &rest[open + 1..close];
        let value = params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
            .ok_or_else(|| format!("path parameter {name:?} has no value; nothing was sent"))?;
        percent::encode_into(&mut out, value);
        rest = &rest[close + 1..];
    }
    literal(&mut out, rest);
    Ok(out)
}

/// Every ASCII character except RFC 3986's unreserved set and `/`.
const PATH_LITERAL: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b'/');

/// Appends a literal part of a path template, encoded as the official SDKs' generator writes
/// it (`resource-plan:asyncGenerate` → `resource-plan%3AasyncGenerate`).
fn literal(out: &mut String, part: &str) {
    for chunk in percent_encoding::utf8_percent_encode(part, PATH_LITERAL) {
        out.push_str(chunk);
    }
}

/// Builds the V3-signed request of a ROA `call` to `path` (from [`expand_path`]) with `body`;
/// `call.form` is not used (a form body comes as [`RoaBody::Form`]). Without a key (an
/// anonymous operation) the same headers go out without `authorization`. Header names and
/// values are checked as for RPC requests: an error names the header, and nothing is sent.
pub fn build_roa_request(
    call: &Call<'_>,
    path: &str,
    body: RoaBody<'_>,
    key: Option<&SigningKey<'_>>,
    ctx: SignContext,
) -> Result<HttpRequest, String> {
    let (body, content_type) = match body {
        RoaBody::Form([]) => (Vec::new(), None),
        RoaBody::Form(pairs) => (
            percent::canonical_query(pairs).into_bytes(),
            Some("application/x-www-form-urlencoded"),
        ),
        RoaBody::Json(bytes) => (bytes.to_vec(), Some("application/json; charset=utf-8")),
    };
    super::build::signed_v3(call, path, body, content_type, key, ctx)
}

#[cfg(test)]
mod tests {
    use super::super::signer;
    use super::*;

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect()
    }

    #[test]
    fn json_bodies_sort_members_and_send_strings_as_they_are() {
        let v: serde_json::Value =
            serde_json::from_str(r#"{"b":1,"a":{"d":[{"z":1,"y":"é"}],"c":null}}"#).unwrap();
        assert_eq!(
            String::from_utf8(json_body(&v)).unwrap(),
            r#"{"a":{"c":null,"d":[{"y":"é","z":1}]},"b":1}"#
        );
        assert_eq!(
            json_body(&serde_json::Value::String("raw {".into())),
            b"raw {"
        );
    }

    #[test]
    fn path_values_are_encoded_and_missing_ones_refused() {
        let p = pairs(&[("Id", "a b/c~"), ("N", "7")]);
        assert_eq!(
            expand_path("/x/{Id}/y/{N}", &p).as_deref(),
            Ok("/x/a%20b%2Fc~/y/7")
        );
        assert_eq!(expand_path("/plain", &[]).as_deref(), Ok("/plain"));
        assert_eq!(
            expand_path("/d/{N}/plan:generate", &p).as_deref(),
            Ok("/d/7/plan%3Agenerate")
        );
        assert!(expand_path("/x/{Gone}", &p).unwrap_err().contains("Gone"));
    }

    #[test]
    fn the_signature_covers_the_path_and_the_json_body() {
        let method = http::Method::PUT;
        let query = pairs(&[("type", "offline")]);
        let host = super::super::build::host_header("tingwu.cn-beijing.aliyuncs.com").unwrap();
        let ua = super::super::build::user_agent_header("ua").unwrap();
        let call = Call {
            method: &method,
            base_url: "https://tingwu.cn-beijing.aliyuncs.com",
            host: &host,
            action: "CreateTask",
            version: "2023-09-30",
            user_agent: &ua,
            query: &query,
            form: &[],
            headers: &[],
        };
        let key = SigningKey {
            access_key_id: "id",
            secret: "secret",
            security_token: None,
        };
        let ctx = SignContext {
            date: "2024-01-01T00:00:00Z".to_owned(),
            nonce: "n".to_owned(),
        };
        let body = br#"{"AppKey":"k"}"#;
        let r = build_roa_request(
            &call,
            "/openapi/tasks",
            RoaBody::Json(body),
            Some(&key),
            ctx.clone(),
        )
        .unwrap();
        assert_eq!(
            r.url,
            "https://tingwu.cn-beijing.aliyuncs.com/openapi/tasks?type=offline"
        );
        assert_eq!(r.body, body);
        assert_eq!(
            r.header("content-type"),
            Some("application/json; charset=utf-8")
        );
        assert_eq!(
            r.header("x-acs-content-sha256"),
            Some(signer::sha256_hex(body).as_str())
        );
        // The same request to another path is signed differently.
        let other = build_roa_request(
            &call,
            "/openapi/other",
            RoaBody::Json(body),
            Some(&key),
            ctx.clone(),
        )
        .unwrap();
        assert_ne!(r.header("authorization"), other.header("authorization"));
        let canonical = signer::sign_v3(
            &signer::V3Input {
                method: "PUT",
                path: "/openapi/tasks",
                canonical_query: "type=offline",
                headers: &[
                    ("host", "tingwu.cn-beijing.aliyuncs.com"),
                    ("x-acs-action", "CreateTask"),
                    ("x-acs-version", "2023-09-30"),
                    ("x-acs-date", "2024-01-01T00:00:00Z"),
                    ("x-acs-signature-nonce", "n"),
                    ("x-acs-content-sha256", &signer::sha256_hex(body)),
                    ("content-type", "application/json; charset=utf-8"),
                ],
                body_sha256: &signer::sha256_hex(body),
            },
            "secret",
        );
        assert_eq!(
            r.header("authorization"),
            Some(canonical.authorization("id").as_str())
        );
        assert!(canonical
            .canonical_request
            .starts_with("PUT\n/openapi/tasks\ntype=offline\n"));
    }
}
