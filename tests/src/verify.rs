//! Recomputes signature V3 from a request as received, independently of how the client built
//! it: the canonical query is rebuilt from the decoded query, headers from what arrived.

use crate::server::Received;
use alibabacloud_runtime::{percent, signer};

/// The parts of an `Authorization: ACS3-HMAC-SHA256 …` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization {
    /// Access key id.
    pub credential: String,
    /// Signed header names.
    pub signed_headers: Vec<String>,
    /// Hex signature.
    pub signature: String,
}

/// Parses an `Authorization` header of signature V3.
pub fn parse_authorization(value: &str) -> Result<Authorization, String> {
    let rest = value
        .strip_prefix("ACS3-HMAC-SHA256 ")
        .ok_or_else(|| format!("not ACS3-HMAC-SHA256: {value}"))?;
    let mut credential = None;
    let mut signed = None;
    let mut signature = None;
    for part in rest.split(',') {
        let (k, v) = part
            .trim()
            .split_once('=')
            .ok_or_else(|| format!("bad part {part:?}"))?;
        match k {
            "Credential" => credential = Some(v.to_owned()),
            "SignedHeaders" => signed = Some(v.split(';').map(str::to_owned).collect()),
            "Signature" => signature = Some(v.to_owned()),
            other => return Err(format!("unexpected part {other}")),
        }
    }
    Ok(Authorization {
        credential: credential.ok_or("no Credential")?,
        signed_headers: signed.ok_or("no SignedHeaders")?,
        signature: signature.ok_or("no Signature")?,
    })
}

/// Checks the signature of `r` with `secret`; returns the parsed header on success.
pub fn check_v3(r: &Received, secret: &str) -> Result<Authorization, String> {
    let auth = parse_authorization(r.header("authorization").ok_or("no authorization header")?)?;
    for required in [
        "host",
        "x-acs-action",
        "x-acs-version",
        "x-acs-date",
        "x-acs-signature-nonce",
        "x-acs-content-sha256",
    ] {
        if !auth.signed_headers.iter().any(|h| h == required) {
            return Err(format!("{required} is not signed"));
        }
    }
    for h in r.headers.iter().map(|(k, _)| k) {
        if (h.starts_with("x-acs-") || h == "content-type") && !auth.signed_headers.contains(h) {
            return Err(format!("{h} was sent but not signed"));
        }
    }
    let body_hash = signer::sha256_hex(&r.body);
    if r.header("x-acs-content-sha256") != Some(body_hash.as_str()) {
        return Err(format!(
            "x-acs-content-sha256 {:?} does not match the body's hash {body_hash}",
            r.header("x-acs-content-sha256")
        ));
    }
    let canonical_query = percent::canonical_query(&r.query_pairs());
    if canonical_query != r.query {
        return Err(format!(
            "the query was not sent canonically:\n  sent      {}\n  canonical {canonical_query}",
            r.query
        ));
    }
    let mut headers: Vec<(&str, &str)> = Vec::new();
    for name in &auth.signed_headers {
        let v = r
            .header(name)
            .ok_or_else(|| format!("signed header {name} was not sent"))?;
        headers.push((name.as_str(), v));
    }
    let expected = signer::sign_v3(
        &signer::V3Input {
            method: &r.method,
            path: &r.path,
            canonical_query: &canonical_query,
            headers: &headers,
            body_sha256: &body_hash,
        },
        secret,
    );
    if expected.signature != auth.signature {
        return Err(format!(
            "signature mismatch: got {}, expected {}\ncanonical request:\n{}",
            auth.signature, expected.signature, expected.canonical_request
        ));
    }
    Ok(auth)
}
