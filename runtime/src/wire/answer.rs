//! Interpreting an HTTP answer: a JSON success, an error answer of the service, or an answer
//! that cannot be understood.

use super::http::{redact_query_tokens, HttpResponse};
use serde_json::Value;
use std::fmt;
use std::sync::Arc;

/// The documented error codes of one operation, generated per operation. Every code the spec
/// does not list maps to the implementation's fallback variant, which keeps the code.
pub trait ErrorCode: Sized + fmt::Debug + Clone + PartialEq + Send + Sync + 'static {
    /// The variant for `code` (fallback for codes the spec does not list).
    fn from_code(code: &str) -> Self;
    /// The code as the service spells it.
    fn as_code(&self) -> &str;
}

/// The error code type of operations that document none: every code is kept as a string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnyCode(pub String);

impl ErrorCode for AnyCode {
    fn from_code(code: &str) -> Self {
        AnyCode(code.to_owned())
    }
    fn as_code(&self) -> &str {
        &self.0
    }
}

/// An error answer of the service.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ServiceError<K = AnyCode> {
    /// The documented code, or the fallback holding an undocumented one.
    pub kind: K,
    /// HTTP status.
    pub status: u16,
    /// The code as sent (`Code`).
    pub code: String,
    /// `Message`.
    pub message: Option<String>,
    /// `RequestId` (or the `x-acs-request-id` header).
    pub request_id: Option<String>,
    /// `HostId`.
    pub host_id: Option<String>,
    /// `Recommend`: a link to the diagnosis page.
    pub recommend: Option<String>,
    /// `AccessDeniedDetail`, when the service explains a denial.
    pub access_denied_detail: Option<serde_json::Value>,
    /// `x-acs-retry-after` in milliseconds, when the service asked to wait.
    pub retry_after: Option<u64>,
    /// The start of the raw body (at most [`ERROR_BODY_PREFIX`] bytes, lossily decoded).
    pub body: String,
    /// The length of the whole body in bytes.
    pub body_len: usize,
}

impl<K> fmt::Display for ServiceError<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "service error {} (HTTP {})", self.code, self.status)?;
        if let Some(m) = &self.message {
            write!(f, ": {m}")?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " [request id {id}]")?;
        }
        if let Some(r) = &self.recommend {
            write!(f, " (see {r})")?;
        }
        Ok(())
    }
}

impl<K: fmt::Debug> std::error::Error for ServiceError<K> {}

/// An answer that could not be understood. The parse error, when there is one, is the
/// [`std::error::Error::source`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ResponseError {
    /// HTTP status.
    pub status: u16,
    /// The request id from the `x-acs-request-id` header or the body, if any.
    pub request_id: Option<String>,
    /// What was wrong.
    pub reason: String,
    /// The start of the raw body (at most [`ERROR_BODY_PREFIX`] bytes, lossily decoded).
    pub body: String,
    /// The length of the whole body in bytes.
    pub body_len: usize,
    source: Option<Arc<serde_json::Error>>,
}

impl ResponseError {
    /// An answer with `status` that could not be understood for `reason`.
    pub(crate) fn new(
        status: u16,
        request_id: Option<String>,
        reason: String,
        body: &[u8],
    ) -> Self {
        Self {
            status,
            request_id,
            reason,
            body: body_prefix(body),
            body_len: body.len(),
            source: None,
        }
    }

    fn with_source(mut self, e: serde_json::Error) -> Self {
        self.source = Some(Arc::new(e));
        self
    }
}

impl PartialEq for ResponseError {
    /// Same fields (the parse error, if any, is not compared).
    fn eq(&self, other: &Self) -> bool {
        (
            self.status,
            &self.request_id,
            &self.reason,
            &self.body,
            self.body_len,
        ) == (
            other.status,
            &other.request_id,
            &other.reason,
            &other.body,
            other.body_len,
        )
    }
}

impl Eq for ResponseError {}

impl std::error::Error for ResponseError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

impl fmt::Display for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unexpected response (HTTP {}): {}",
            self.status, self.reason
        )?;
        if let Some(id) = &self.request_id {
            write!(f, " [request id {id}]")?;
        }
        let body = truncate(&self.body, 200);
        if !body.is_empty() {
            write!(f, "; body starts: {body:?}")?;
        }
        Ok(())
    }
}

/// A redirect answer (HTTP 3xx), never followed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RedirectError {
    /// HTTP status (300–399).
    pub status: u16,
    /// The `Location` header, if any.
    pub location: Option<String>,
    /// The `x-acs-request-id` header, if any.
    pub request_id: Option<String>,
}

impl fmt::Display for RedirectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the endpoint answered HTTP {} (a redirect, not followed)",
            self.status
        )?;
        if let Some(l) = &self.location {
            // A redirect can echo the request's query, and with it the security token.
            write!(f, " to {}", redact_query_tokens(l))?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " [request id {id}]")?;
        }
        f.write_str("; check the endpoint")
    }
}

impl std::error::Error for RedirectError {}

/// How many bytes of an error answer's body are kept (8 KiB): enough for any error document,
/// bounded for a gateway that answers megabytes of HTML.
pub const ERROR_BODY_PREFIX: usize = 8 * 1024;

/// The start of `body` (at most [`ERROR_BODY_PREFIX`] bytes), lossily decoded.
pub(crate) fn body_prefix(body: &[u8]) -> String {
    String::from_utf8_lossy(&body[..body.len().min(ERROR_BODY_PREFIX)]).into_owned()
}

/// A successful answer before typed decoding.
#[derive(Debug)]
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) request_id: Option<String>,
    pub(crate) body: bytes::Bytes,
    pub(crate) json: Value,
}

/// Why an answer is not a success.
#[derive(Debug)]
pub(crate) enum Failure {
    /// The service answered with an error code.
    Service(Box<ServiceError>),
    /// The answer could not be understood.
    Response(ResponseError),
    /// The endpoint answered with a redirect.
    Redirect(RedirectError),
}

/// Turns an HTTP answer into JSON or a typed error.
pub(crate) fn interpret(response: HttpResponse) -> Result<Answer, Failure> {
    let status = response.status;
    let header_request_id = response.header("x-acs-request-id").map(str::to_owned);
    if (300..400).contains(&status) {
        return Err(Failure::Redirect(RedirectError {
            status,
            location: response.header("location").map(str::to_owned),
            request_id: header_request_id,
        }));
    }
    let parsed = parse_json(&response.body);
    if (200..300).contains(&status) {
        return match parsed {
            Ok(json) => Ok(Answer {
                status,
                request_id: header_request_id.or_else(|| string_field(&json, "RequestId")),
                body: response.body.clone(),
                json,
            }),
            Err(_) if response.body.is_empty() => Err(Failure::Response(ResponseError::new(
                status,
                header_request_id,
                "empty body".to_owned(),
                &[],
            ))),
            Err(e) => Err(Failure::Response(
                ResponseError::new(
                    status,
                    header_request_id,
                    "body is not JSON".to_owned(),
                    &response.body,
                )
                .with_source(e),
            )),
        };
    }
    let retry_after = response
        .header("x-acs-retry-after")
        .and_then(|v| v.trim().parse::<u64>().ok());
    match parsed {
        Ok(json) if string_field(&json, "Code").is_some() => {
            let code = string_field(&json, "Code").unwrap_or_default();
            Err(Failure::Service(Box::new(ServiceError {
                kind: AnyCode(code.clone()),
                status,
                code,
                message: string_field(&json, "Message"),
                request_id: string_field(&json, "RequestId").or(header_request_id),
                host_id: string_field(&json, "HostId"),
                recommend: string_field(&json, "Recommend"),
                access_denied_detail: json.get("AccessDeniedDetail").cloned(),
                retry_after,
                body: body_prefix(&response.body),
                body_len: response.body.len(),
            })))
        }
        Ok(json) => Err(Failure::Response(ResponseError::new(
            status,
            string_field(&json, "RequestId").or(header_request_id),
            format!("HTTP {status} with a JSON body that has no error Code"),
            &response.body,
        ))),
        Err(_) if response.body.is_empty() => Err(Failure::Response(ResponseError::new(
            status,
            header_request_id,
            format!("HTTP {status} with an empty body"),
            &[],
        ))),
        Err(e) => Err(Failure::Response(
            ResponseError::new(
                status,
                header_request_id,
                format!("HTTP {status} with a body that is not JSON"),
                &response.body,
            )
            .with_source(e),
        )),
    }
}

/// Parses `body` into a [`Value`], the same value as `serde_json::from_slice` gives (members in
/// order, a repeated member's last value in its first place), with each object and array built
/// at its final size: their members are gathered on one stack, reused by every call on the
/// thread, instead of growing (and rehashing) each map member by member.
pub(crate) fn parse_json(body: &[u8]) -> Result<Value, serde_json::Error> {
    thread_local! {
        static STACKS: std::cell::Cell<Stacks> = std::cell::Cell::new(Stacks::default());
    }
    let mut stacks = STACKS.with(std::cell::Cell::take);
    let mut de = serde_json::Deserializer::from_slice(body);
    let parsed = serde::de::DeserializeSeed::deserialize(ValueSeed(&mut stacks), &mut de)
        .and_then(|v| de.end().map(|()| v));
    // Whatever an error left behind is dropped; the capacity is kept for the next call.
    stacks.members.clear();
    stacks.items.clear();
    STACKS.with(|s| s.set(stacks));
    parsed
}

/// The members and items of the objects and arrays being parsed, innermost last.
#[derive(Default)]
struct Stacks {
    members: Vec<(String, Value)>,
    items: Vec<Value>,
}

/// Parses one value, gathering the members of its objects and arrays on the stacks.
struct ValueSeed<'a>(&'a mut Stacks);

impl<'de> serde::de::DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for ValueSeed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let stacks = self.0;
        let start = stacks.items.len();
        while let Some(item) = seq.next_element_seed(ValueSeed(stacks))? {
            stacks.items.push(item);
        }
        Ok(Value::Array(stacks.items.drain(start..).collect()))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let stacks = self.0;
        let start = stacks.members.len();
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(ValueSeed(stacks))?;
            stacks.members.push((key, value));
        }
        Ok(Value::Object(stacks.members.drain(start..).collect()))
    }
}

/// Member `key` (`Code`) as text; ROA services write their error members in lower camel case
/// (`code`, `message`, `requestId`), as the official SDKs also read them.
fn string_field(json: &Value, key: &str) -> Option<String> {
    let value = json.get(key).or_else(|| {
        let mut chars = key.chars();
        let first = chars.next()?.to_ascii_lowercase();
        json.get(format!("{first}{}", chars.as_str()).as_str())
    })?;
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// What JSON type `v` is, for messages that must not quote the value.
pub(crate) fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Shortens `s` to at most `max` bytes on a character boundary, for error messages.
pub(crate) fn truncate(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests {

    #[test]
    fn roa_errors_in_lower_camel_case_are_service_errors() {
        let body = r#"{"code":"InvalidTaskId","message":"no such task","requestId":"r-1"}"#;
        match interpret(HttpResponse::new(404, body)) {
            Err(Failure::Service(e)) => {
                assert_eq!(e.code, "InvalidTaskId");
                assert_eq!(e.message.as_deref(), Some("no such task"));
                assert_eq!(e.request_id.as_deref(), Some("r-1"));
            }
            other => panic!("expected a service error, got {other:?}"),
        }
    }

    use super::*;

    #[test]
    fn the_prefix_is_bounded_and_lossy() {
        let big = vec![b'a'; ERROR_BODY_PREFIX * 3];
        assert_eq!(body_prefix(&big).len(), ERROR_BODY_PREFIX);
        assert_eq!(body_prefix(b"{\"Code\":1}"), "{\"Code\":1}");
        assert_eq!(body_prefix(&[0xff, b'x']), "\u{fffd}x");
    }

    #[test]
    fn parsing_gives_serde_json_s_value() {
        for text in [
            r#"{"Data":{"TaskId":"t","TotalCount":5,"Ok":true,"N":null},"RequestId":"r"}"#,
            r#"{"b":1,"a":2,"b":3}"#,
            r#"[1,-2,3.5,1e300,18446744073709551615,-9223372036854775808,"\u00e9\n",[],{},[[{"x":[1,{"y":[]}]}]]]"#,
            r#"  "just a string"  "#,
            "0.1",
            "{}",
        ] {
            let ours = parse_json(text.as_bytes()).unwrap();
            let theirs: Value = serde_json::from_str(text).unwrap();
            assert_eq!(ours, theirs, "{text}");
            assert_eq!(ours.to_string(), theirs.to_string(), "{text}: member order");
        }
        for bad in [
            "",
            "{",
            r#"{"a":1,}"#,
            "[1,2",
            "{} x",
            r#"{"a":[1,{"b":}]}"#,
        ] {
            assert!(parse_json(bad.as_bytes()).is_err(), "{bad:?}");
        }
        // What a failed parse left on the stacks does not leak into the next one.
        assert_eq!(
            parse_json(br#"{"k":[1]}"#).unwrap(),
            serde_json::json!({"k": [1]})
        );
    }

    #[test]
    fn a_body_that_is_not_json_keeps_the_parse_error_as_the_source() {
        let Err(Failure::Response(e)) = interpret(HttpResponse::new(200, "<html>")) else {
            panic!("expected an unreadable answer");
        };
        let source = std::error::Error::source(&e).expect("the parse error");
        assert!(source.downcast_ref::<serde_json::Error>().is_some());
        assert_eq!(e.reason, "body is not JSON");
        let Err(Failure::Service(e)) =
            interpret(HttpResponse::new(400, r#"{"Code":"Bad","RequestId":"r"}"#))
        else {
            panic!("expected a service error");
        };
        assert_eq!(
            (e.code.as_str(), e.request_id.as_deref()),
            ("Bad", Some("r"))
        );
    }
}
