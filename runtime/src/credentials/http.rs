//! HTTP helpers shared by the providers that fetch temporary credentials. Nothing here puts a
//! response body, a query string or a header value into an error: those can hold secrets.

use super::provider::Credentials;
use crate::error::CredentialsError;
use crate::transport::{HttpRequest, HttpResponse, Transport};
use serde_json::Value;
use std::time::SystemTime;

/// Headers of `pairs`, checked: a value with CR or LF (a metadata token from a hostile answer)
/// is an error prefixed with `what` (naming the header, never the value), and nothing is sent.
pub(crate) fn headers(
    pairs: &[(&str, &str)],
    what: &str,
) -> Result<http::HeaderMap, CredentialsError> {
    let mut map = http::HeaderMap::with_capacity(pairs.len());
    for (name, value) in pairs {
        let header = crate::wire::header_name(name)
            .and_then(|n| Ok((n, crate::wire::header_value(name, value)?)))
            .map_err(|e| CredentialsError::new(format!("{what}: {e}")))?;
        map.append(header.0, header.1);
    }
    Ok(map)
}

/// Sends `request`; a transport failure becomes an error prefixed with `what` (the default
/// transport's messages name the URL without its query string).
pub(crate) async fn send(
    transport: &dyn Transport,
    request: HttpRequest,
    what: &str,
) -> Result<HttpResponse, CredentialsError> {
    transport
        .send(request)
        .await
        .map_err(|e| CredentialsError::new(format!("{what}: the request failed")).with_source(e))
}

/// A summary of an error answer: status, and `Code`, `Message` and `RequestId` when the body is
/// a JSON object; never the raw body.
pub(crate) fn error_summary(response: &HttpResponse) -> String {
    let mut out = format!("HTTP {}", response.status);
    match serde_json::from_slice::<Value>(&response.body) {
        Ok(json) => {
            for key in ["Code", "Message", "RequestId"] {
                if let Some(v) = json.get(key).and_then(Value::as_str) {
                    out.push_str(&format!(", {key}: {v}"));
                }
            }
        }
        Err(_) => out.push_str(&format!(
            " with a body of {} bytes that is not JSON",
            response.body.len()
        )),
    }
    out
}

/// Parses `2021-10-20T04:27:09Z` (RFC 3339).
pub(crate) fn parse_expiration(s: &str) -> Option<SystemTime> {
    time::OffsetDateTime::parse(s.trim(), &time::format_description::well_known::Rfc3339)
        .ok()
        .map(SystemTime::from)
}

/// Reads `AccessKeyId`, `AccessKeySecret`, `SecurityToken` and `Expiration` from `obj`; an error
/// names the missing field, never a value.
pub(crate) fn temporary_credentials(
    obj: &Value,
    what: &str,
) -> Result<Credentials, CredentialsError> {
    let field = |key: &str| {
        obj.get(key)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .ok_or_else(|| CredentialsError::new(format!("{what}: the answer has no {key}")))
    };
    let id = field("AccessKeyId")?;
    let secret = field("AccessKeySecret")?;
    let token = field("SecurityToken")?;
    let expiration = field("Expiration")?;
    let expiration = parse_expiration(expiration).ok_or_else(|| {
        CredentialsError::new(format!(
            "{what}: Expiration {expiration:?} is not a UTC time like 2021-10-20T04:27:09Z"
        ))
    })?;
    Ok(Credentials::new(id, secret)
        .with_security_token(token)
        .with_expiration(expiration))
}

/// The body of a 2xx answer as JSON; otherwise an error that summarises the answer.
pub(crate) fn json_answer(response: &HttpResponse, what: &str) -> Result<Value, CredentialsError> {
    if !(200..300).contains(&response.status) {
        return Err(CredentialsError::new(format!(
            "{what}: {}",
            error_summary(response)
        )));
    }
    serde_json::from_slice::<Value>(&response.body).map_err(|e| {
        // serde_json's syntax errors give a position, never the text.
        CredentialsError::new(format!(
            "{what}: HTTP {} with a body that is not JSON ({e})",
            response.status
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiration_parses_the_sts_format() {
        let t = parse_expiration("2021-10-20T04:27:09Z").unwrap();
        let secs = t.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs();
        assert_eq!(secs, 1_634_704_029);
        assert!(parse_expiration("tomorrow").is_none());
    }

    #[test]
    fn missing_fields_are_named_without_values() {
        let v = serde_json::json!({"AccessKeyId": "id", "AccessKeySecret": "hush-hush"});
        let e = temporary_credentials(&v, "test").unwrap_err();
        assert!(e.message.contains("SecurityToken"), "{e}");
        assert!(!e.message.contains("hush-hush"), "{e}");
    }
}
