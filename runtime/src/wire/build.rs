//! Building one signed request: signature V3 (signed `x-acs-*` headers) or the legacy RPC
//! signature (common parameters and an HMAC-SHA1 signature in the query).

use super::http::HttpRequest;
use super::percent;
use super::signer;
use super::stamp::SignContext;

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

/// Everything one request is built from.
#[derive(Debug, Clone, Copy)]
pub struct Call<'a> {
    /// The HTTP method.
    pub method: &'a http::Method,
    /// `scheme://authority`, without a trailing slash.
    pub base_url: &'a str,
    /// `host[:port]`, sent as `host` (and signed with V3).
    pub authority: &'a str,
    /// The action.
    pub action: &'a str,
    /// The API version.
    pub version: &'a str,
    /// The user agent.
    pub user_agent: &'a str,
    /// Query-string pairs, not yet encoded.
    pub query: &'a [(String, String)],
    /// Form-body pairs, not yet encoded.
    pub form: &'a [(String, String)],
    /// Header parameters.
    pub headers: &'a [(String, String)],
}

/// Builds the request of `call`, signed with `key` as `version` says; without a key (an
/// anonymous operation) it goes out unsigned.
pub fn build_request(
    version: SignatureVersion,
    call: &Call<'_>,
    key: Option<&SigningKey<'_>>,
    ctx: &SignContext,
) -> HttpRequest {
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
    ctx: &SignContext,
) -> HttpRequest {
    let query = percent::canonical_query(call.query);
    let body = if call.form.is_empty() {
        Vec::new()
    } else {
        percent::canonical_query(call.form).into_bytes()
    };
    let body_hash = signer::sha256_hex(&body);
    let mut headers: Vec<(&str, &str)> = vec![
        ("host", call.authority),
        ("x-acs-action", call.action),
        ("x-acs-version", call.version),
        ("x-acs-date", &ctx.date),
        ("x-acs-signature-nonce", &ctx.nonce),
        ("x-acs-content-sha256", &body_hash),
    ];
    if !body.is_empty() {
        headers.push(("content-type", "application/x-www-form-urlencoded"));
    }
    if let Some(token) = key.and_then(|k| k.security_token) {
        headers.push(("x-acs-security-token", token));
    }
    // Header parameters (`in: header`): `x-acs-*` ones are signed like ours, the rest are sent
    // unsigned. A parameter never replaces a header the client sets itself.
    let mut unsigned: Vec<(String, String)> = Vec::new();
    for (name, value) in call.headers {
        let reserved = headers.iter().any(|(k, _)| k.eq_ignore_ascii_case(name))
            || ["authorization", "user-agent", "accept"]
                .iter()
                .any(|k| k.eq_ignore_ascii_case(name));
        if reserved {
            continue;
        }
        if name.to_ascii_lowercase().starts_with("x-acs-") {
            headers.push((name.as_str(), value.as_str()));
        } else {
            unsigned.push((name.clone(), value.clone()));
        }
    }
    let mut out_headers: Vec<(String, String)> =
        Vec::with_capacity(headers.len() + 3 + unsigned.len());
    out_headers.extend(
        headers
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
    );
    if let Some(key) = key {
        let signature = signer::sign_v3(
            &signer::V3Input {
                method: call.method.as_str(),
                path: "/",
                canonical_query: &query,
                headers: &headers,
                body_sha256: &body_hash,
            },
            key.secret,
        );
        out_headers.push((
            "authorization".to_owned(),
            signature.authorization(key.access_key_id),
        ));
    }
    out_headers.push(("user-agent".to_owned(), call.user_agent.to_owned()));
    out_headers.push(("accept".to_owned(), "application/json".to_owned()));
    out_headers.extend(unsigned);
    let mut url = format!("{}/", call.base_url);
    if !query.is_empty() {
        url.push('?');
        url.push_str(&query);
    }
    HttpRequest {
        method: call.method.clone(),
        url,
        headers: out_headers,
        body,
    }
}

/// The legacy signature: common parameters and the HMAC-SHA1 signature in the query string.
/// The signature covers the query and the form body. Without a key (an anonymous operation)
/// only `Action`, `Version`, `Format`, `SignatureNonce` and `Timestamp` are added.
fn build_request_v1(
    call: &Call<'_>,
    key: Option<&SigningKey<'_>>,
    ctx: &SignContext,
) -> HttpRequest {
    let mut query = call.query.to_vec();
    for (k, v) in [
        ("Action", call.action),
        ("Version", call.version),
        ("Format", "JSON"),
        ("SignatureNonce", ctx.nonce.as_str()),
        ("Timestamp", ctx.date.as_str()),
    ] {
        query.push((k.to_owned(), v.to_owned()));
    }
    if let Some(key) = key {
        for (k, v) in [
            ("AccessKeyId", key.access_key_id),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureVersion", "1.0"),
        ] {
            query.push((k.to_owned(), v.to_owned()));
        }
        if let Some(token) = key.security_token {
            query.push(("SecurityToken".to_owned(), token.to_owned()));
        }
        let mut signed = query.clone();
        signed.extend(call.form.iter().cloned());
        let signature = signer::sign_v1(call.method.as_str(), &signed, key.secret);
        query.push(("Signature".to_owned(), signature));
    }
    let mut headers = vec![
        ("host".to_owned(), call.authority.to_owned()),
        ("user-agent".to_owned(), call.user_agent.to_owned()),
        ("accept".to_owned(), "application/json".to_owned()),
    ];
    let body = if call.form.is_empty() {
        Vec::new()
    } else {
        headers.push((
            "content-type".to_owned(),
            "application/x-www-form-urlencoded".to_owned(),
        ));
        percent::canonical_query(call.form).into_bytes()
    };
    // Header parameters travel unsigned (the legacy signature covers parameters only).
    for (name, value) in call.headers {
        if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case(name)) {
            headers.push((name.clone(), value.clone()));
        }
    }
    HttpRequest {
        method: call.method.clone(),
        url: format!("{}/?{}", call.base_url, percent::canonical_query(&query)),
        headers,
        body,
    }
}
