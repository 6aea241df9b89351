//! Building one signed request: signature V3 (signed `x-acs-*` headers) or the legacy RPC
//! signature (common parameters and an HMAC-SHA1 signature in the query).

use super::header_check::{header_name, header_value, owned_header_value, static_header_value};
use super::http::HttpRequest;
use super::percent;
use super::signer;
use super::stamp::SignContext;
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HOST, USER_AGENT};
use http::{HeaderMap, HeaderName, HeaderValue};

/// How requests are signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SignatureVersion {
    /// Signature V3 (`ACS3-HMAC-SHA256`) in headers: the default.
    #[default]
    V3,
    /// The legacy RPC signature (HMAC-SHA1, `SignatureVersion=1.0`): common parameters
    /// (`Action`, `Version`, `Format=JSON`, `AccessKeyId`, `SignatureMethod`,
    /// `SignatureVersion`, `SignatureNonce`, `Timestamp`, `SecurityToken` with STS credentials,
    /// `Signature`) travel in the query string.
    V1,
}

/// The user agent of every request, the client's and the credentials providers' STS calls:
/// `alibabacloud-rust-runtime/<version> <product>/<api version>`.
pub fn user_agent(product: &str, api_version: &str) -> String {
    format!(
        "alibabacloud-rust-runtime/{} {product}/{api_version}",
        env!("CARGO_PKG_VERSION")
    )
}

/// The key a request is signed with.
#[derive(Debug, Clone, Copy)]
pub struct SigningKey<'a> {
    /// The access key id.
    pub access_key_id: &'a str,
    /// The access key secret.
    pub secret: &'a str,
    /// The STS security token of temporary credentials.
    pub security_token: Option<&'a str>,
}

/// Everything one request is built from. The host and the user agent are header values
/// prepared once per client ([`host_header`], [`user_agent_header`]), so a request shares them
/// rather than copying them.
#[derive(Debug, Clone, Copy)]
pub struct Call<'a> {
    /// The HTTP method.
    pub method: &'a http::Method,
    /// `scheme://authority`, without a trailing slash.
    pub base_url: &'a str,
    /// `host[:port]`, sent as `host` (and signed with V3).
    pub host: &'a HeaderValue,
    /// The action.
    pub action: &'static str,
    /// The API version.
    pub version: &'static str,
    /// The user agent.
    pub user_agent: &'a HeaderValue,
    /// Query-string pairs, not yet encoded.
    pub query: &'a [(String, String)],
    /// Form-body pairs, not yet encoded.
    pub form: &'a [(String, String)],
    /// Header parameters.
    pub headers: &'a [(String, String)],
}

/// The `host` header of `authority` (`host[:port]`); an error names what is wrong, never the
/// value.
pub fn host_header(authority: &str) -> Result<HeaderValue, String> {
    header_value("host", authority)
}

/// The `user-agent` header of `user_agent`; an error names the position of a control character.
pub fn user_agent_header(user_agent: &str) -> Result<HeaderValue, String> {
    header_value("user-agent", user_agent)
}

const X_ACS_ACTION: HeaderName = HeaderName::from_static("x-acs-action");
const X_ACS_VERSION: HeaderName = HeaderName::from_static("x-acs-version");
const X_ACS_DATE: HeaderName = HeaderName::from_static("x-acs-date");
const X_ACS_SIGNATURE_NONCE: HeaderName = HeaderName::from_static("x-acs-signature-nonce");
const X_ACS_CONTENT_SHA256: HeaderName = HeaderName::from_static("x-acs-content-sha256");
const X_ACS_SECURITY_TOKEN: HeaderName = HeaderName::from_static("x-acs-security-token");
const FORM: &str = "application/x-www-form-urlencoded";
const JSON: &str = "application/json";

/// Builds the request of `call`, signed with `key` as `version` says; without a key (an
/// anonymous operation) it goes out unsigned. Every header name and value is checked here: a
/// control character in a header parameter, a key id or a token is an error (naming the
/// header, never the value), and nothing is sent.
pub fn build_request(
    version: SignatureVersion,
    call: &Call<'_>,
    key: Option<&SigningKey<'_>>,
    ctx: SignContext,
) -> Result<HttpRequest, String> {
    match version {
        SignatureVersion::V3 => build_request_v3(call, key, ctx),
        SignatureVersion::V1 => build_request_v1(call, key, ctx),
    }
}

/// Signature V3: everything but the business parameters in signed `x-acs-*` headers. Without
/// a key (an anonymous operation) the same headers go out without `authorization`.
fn build_request_v3(
    call: &Call<'_>,
    key: Option<&SigningKey<'_>>,
    ctx: SignContext,
) -> Result<HttpRequest, String> {
    let body = if call.form.is_empty() {
        Vec::new()
    } else {
        percent::canonical_query(call.form).into_bytes()
    };
    let content_type = (!body.is_empty()).then_some(FORM);
    signed_v3(call, "/", body, content_type, key, ctx)
}

/// A V3-signed request of `call` to `path` (already encoded, starting with `/`: `/` for RPC, the
/// expanded template for ROA) with `body` of `content_type`; RPC and ROA requests differ only in
/// these. The steps below borrow what they need and move every value made into its header:
/// nothing is made twice.
pub(super) fn signed_v3(
    call: &Call<'_>,
    path: &str,
    body: Vec<u8>,
    content_type: Option<&'static str>,
    key: Option<&SigningKey<'_>>,
    ctx: SignContext,
) -> Result<HttpRequest, String> {
    let (url, query_start) = url_with_canonical_query(call, path);
    let values = V3Values::new(call, &body, key, ctx)?;
    let mut signed = values.signed(call, content_type, key)?;
    let (params, unsigned) = header_params(call.headers, &mut signed)?;
    let authorization = match key {
        Some(key) => {
            let query = &url[query_start..];
            Some(authorization_v3(call, path, query, &signed, &values, key)?)
        }
        None => None,
    };
    drop(signed);
    let headers = v3_headers(call, values, content_type, params, unsigned, authorization);
    Ok(HttpRequest {
        method: call.method.clone(),
        url,
        headers,
        body,
    })
}

/// The URL: `base_url`, `path`, and the canonical query (which is signed as it is sent); with
/// where the query starts.
#[inline]
fn url_with_canonical_query(call: &Call<'_>, path: &str) -> (String, usize) {
    let mut url =
        String::with_capacity(call.base_url.len() + path.len() + 1 + 24 * call.query.len());
    url.push_str(call.base_url);
    url.push_str(path);
    if !call.query.is_empty() {
        url.push('?');
    }
    let query_start = url.len();
    percent::push_canonical_query(&mut url, call.query);
    (url, query_start)
}

/// The values of the `x-acs-*` headers the client sets: made once, signed as they are sent,
/// then moved into their headers.
struct V3Values {
    body_hash: HeaderValue,
    date: HeaderValue,
    nonce: HeaderValue,
    action: HeaderValue,
    version: HeaderValue,
    token: Option<HeaderValue>,
}

impl V3Values {
    /// Checks and makes the values; the date and the nonce of `ctx` are moved, not copied.
    #[inline]
    fn new(
        call: &Call<'_>,
        body: &[u8],
        key: Option<&SigningKey<'_>>,
        ctx: SignContext,
    ) -> Result<Self, String> {
        let body_hash = if body.is_empty() {
            HeaderValue::from_static(signer::EMPTY_SHA256)
        } else {
            owned_header_value("x-acs-content-sha256", signer::sha256_hex(body))?
        };
        let date = owned_header_value("x-acs-date", ctx.date)?;
        let nonce = owned_header_value("x-acs-signature-nonce", ctx.nonce)?;
        let action = static_header_value("x-acs-action", call.action)?;
        let version = static_header_value("x-acs-version", call.version)?;
        let token = match key.and_then(|k| k.security_token) {
            Some(t) => Some(header_value("x-acs-security-token", t)?),
            None => None,
        };
        Ok(V3Values {
            body_hash,
            date,
            nonce,
            action,
            version,
            token,
        })
    }

    /// The headers the client signs, borrowed from these values, `call` and `key`; room is
    /// left for the signed header parameters.
    #[inline]
    fn signed<'a>(
        &'a self,
        call: &Call<'a>,
        content_type: Option<&'static str>,
        key: Option<&SigningKey<'a>>,
    ) -> Result<Vec<(&'a str, &'a str)>, String> {
        let mut signed: Vec<(&str, &str)> = Vec::with_capacity(8 + call.headers.len());
        signed.extend([
            ("host", text("host", call.host)?),
            ("x-acs-action", call.action),
            ("x-acs-version", call.version),
            ("x-acs-date", text("x-acs-date", &self.date)?),
            (
                "x-acs-signature-nonce",
                text("x-acs-signature-nonce", &self.nonce)?,
            ),
            (
                "x-acs-content-sha256",
                text("x-acs-content-sha256", &self.body_hash)?,
            ),
        ]);
        if let Some(ct) = content_type {
            signed.push(("content-type", ct));
        }
        if let Some(t) = key.and_then(|k| k.security_token) {
            signed.push(("x-acs-security-token", t));
        }
        Ok(signed)
    }
}

/// Checked header names and values.
type Headers = Vec<(HeaderName, HeaderValue)>;

/// Header parameters (`in: header`), checked: `x-acs-*` ones are signed like the client's own
/// (added to `signed`) and returned first, the rest are sent unsigned and returned second. A
/// parameter never replaces a header the client sets itself.
#[inline]
fn header_params<'a>(
    headers: &'a [(String, String)],
    signed: &mut Vec<(&'a str, &'a str)>,
) -> Result<(Headers, Headers), String> {
    let mut params = Vec::new();
    let mut unsigned = Vec::new();
    for (name, value) in headers {
        let reserved = signed.iter().any(|(k, _)| k.eq_ignore_ascii_case(name))
            || ["authorization", "user-agent", "accept"]
                .iter()
                .any(|k| k.eq_ignore_ascii_case(name));
        if reserved {
            continue;
        }
        let header = (header_name(name)?, header_value(name, value)?);
        if header.0.as_str().starts_with("x-acs-") {
            signed.push((name.as_str(), value.as_str()));
            params.push(header);
        } else {
            unsigned.push(header);
        }
    }
    Ok((params, unsigned))
}

/// The `authorization` header: signature V3 over `signed` with `key`.
#[inline]
fn authorization_v3(
    call: &Call<'_>,
    path: &str,
    canonical_query: &str,
    signed: &[(&str, &str)],
    values: &V3Values,
    key: &SigningKey<'_>,
) -> Result<HeaderValue, String> {
    owned_header_value(
        "authorization",
        signer::authorization_v3(
            &signer::V3Input {
                method: call.method.as_str(),
                path,
                canonical_query,
                headers: signed,
                body_sha256: text("x-acs-content-sha256", &values.body_hash)?,
            },
            key.access_key_id,
            key.secret,
        ),
    )
}

/// The headers of a V3 request, in the order they are sent, every value moved in.
#[inline]
fn v3_headers(
    call: &Call<'_>,
    values: V3Values,
    content_type: Option<&'static str>,
    params: Headers,
    unsigned: Headers,
    authorization: Option<HeaderValue>,
) -> HeaderMap {
    let mut headers = HeaderMap::with_capacity(12 + call.headers.len());
    headers.append(HOST, call.host.clone());
    headers.append(X_ACS_ACTION, values.action);
    headers.append(X_ACS_VERSION, values.version);
    headers.append(X_ACS_DATE, values.date);
    headers.append(X_ACS_SIGNATURE_NONCE, values.nonce);
    headers.append(X_ACS_CONTENT_SHA256, values.body_hash);
    if let Some(ct) = content_type {
        headers.append(CONTENT_TYPE, HeaderValue::from_static(ct));
    }
    if let Some(token) = values.token {
        headers.append(X_ACS_SECURITY_TOKEN, token);
    }
    for (name, value) in params {
        headers.append(name, value);
    }
    if let Some(authorization) = authorization {
        headers.append(AUTHORIZATION, authorization);
    }
    headers.append(USER_AGENT, call.user_agent.clone());
    headers.append(ACCEPT, HeaderValue::from_static(JSON));
    for (name, value) in unsigned {
        headers.append(name, value);
    }
    headers
}

/// A signed header's value as text: visible ASCII, as every value the client signs is (a host
/// with other bytes is refused, never signed as something else).
fn text<'a>(name: &str, value: &'a HeaderValue) -> Result<&'a str, String> {
    value
        .to_str()
        .map_err(|_| format!("the value of header {name} is not visible ASCII; nothing was sent"))
}

/// The legacy signature: common parameters and the HMAC-SHA1 signature in the query string.
/// The signature covers the query and the form body. Without a key (an anonymous operation)
/// only `Action`, `Version`, `Format`, `SignatureNonce` and `Timestamp` are added.
fn build_request_v1(
    call: &Call<'_>,
    key: Option<&SigningKey<'_>>,
    ctx: SignContext,
) -> Result<HttpRequest, String> {
    let mut query: Vec<(&str, &str)> = call
        .query
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    query.extend([
        ("Action", call.action),
        ("Version", call.version),
        ("Format", "JSON"),
        ("SignatureNonce", ctx.nonce.as_str()),
        ("Timestamp", ctx.date.as_str()),
    ]);
    let signature;
    if let Some(key) = key {
        query.extend([
            ("AccessKeyId", key.access_key_id),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureVersion", "1.0"),
        ]);
        if let Some(token) = key.security_token {
            query.push(("SecurityToken", token));
        }
        let mut signed = query.clone();
        signed.extend(call.form.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        signature = signer::sign_v1(call.method.as_str(), &signed, key.secret);
        query.push(("Signature", signature.as_str()));
    }
    let mut headers = HeaderMap::with_capacity(4 + call.headers.len());
    headers.append(HOST, call.host.clone());
    headers.append(USER_AGENT, call.user_agent.clone());
    headers.append(ACCEPT, HeaderValue::from_static(JSON));
    let body = if call.form.is_empty() {
        Vec::new()
    } else {
        headers.append(CONTENT_TYPE, HeaderValue::from_static(FORM));
        percent::canonical_query(call.form).into_bytes()
    };
    // Header parameters travel unsigned (the legacy signature covers parameters only).
    for (name, value) in call.headers {
        let name = header_name(name)?;
        if !headers.contains_key(&name) {
            let value = header_value(name.as_str(), value)?;
            headers.append(name, value);
        }
    }
    let mut url = String::with_capacity(call.base_url.len() + 2 + 32 * query.len());
    url.push_str(call.base_url);
    url.push_str("/?");
    percent::push_canonical_query(&mut url, &query);
    Ok(HttpRequest {
        method: call.method.clone(),
        url,
        headers,
        body,
    })
}
