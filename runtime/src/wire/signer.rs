//! Request signatures: V3 (`ACS3-HMAC-SHA256`, the default) and the legacy RPC signature
//! (HMAC-SHA1, `SignatureVersion=1.0`).

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::borrow::Cow;

/// The algorithm name of signature V3.
pub const ACS3_HMAC_SHA256: &str = "ACS3-HMAC-SHA256";

/// Hex SHA-256 of the empty body.
const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// Hex SHA-256 of `bytes`, as used for `x-acs-content-sha256` and the canonical request.
pub fn sha256_hex(bytes: &[u8]) -> String {
    if bytes.is_empty() {
        return EMPTY_SHA256.to_owned();
    }
    hex(&Sha256::digest(bytes))
}

/// Lower-case hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    out
}

/// What signature V3 signs. `headers` are the headers to sign (names in any case); the canonical
/// request lower-cases and sorts them.
#[derive(Debug, Clone, Copy)]
pub struct V3Input<'a> {
    /// HTTP method, upper case.
    pub method: &'a str,
    /// Canonical URI, `/` for RPC.
    pub path: &'a str,
    /// The canonical query string, exactly as it is sent.
    pub canonical_query: &'a str,
    /// Headers to sign.
    pub headers: &'a [(&'a str, &'a str)],
    /// Hex SHA-256 of the body.
    pub body_sha256: &'a str,
}

/// The output of signature V3.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct V3Signature {
    /// Signed header names joined by `;`.
    pub signed_headers: String,
    /// Hex signature.
    pub signature: String,
    /// The canonical request that was hashed (useful when a server disagrees).
    pub canonical_request: String,
}

impl V3Signature {
    /// The value of the `Authorization` header.
    pub fn authorization(&self, access_key_id: &str) -> String {
        format!(
            "{ACS3_HMAC_SHA256} Credential={access_key_id},SignedHeaders={},Signature={}",
            self.signed_headers, self.signature
        )
    }
}

/// Computes signature V3 of `input` with `secret`.
pub fn sign_v3(input: &V3Input<'_>, secret: &str) -> V3Signature {
    let mut headers: Vec<(Cow<'_, str>, &str)> = input
        .headers
        .iter()
        .map(|(k, v)| {
            let name = if k.bytes().any(|b| b.is_ascii_uppercase()) {
                Cow::Owned(k.to_ascii_lowercase())
            } else {
                Cow::Borrowed(*k)
            };
            (name, v.trim())
        })
        .collect();
    headers.sort_unstable();
    let mut signed_headers = String::with_capacity(128);
    for (i, (k, _)) in headers.iter().enumerate() {
        if i > 0 {
            signed_headers.push(';');
        }
        signed_headers.push_str(k);
    }
    let mut canonical_request = String::with_capacity(512);
    canonical_request.push_str(input.method);
    canonical_request.push('\n');
    canonical_request.push_str(input.path);
    canonical_request.push('\n');
    canonical_request.push_str(input.canonical_query);
    canonical_request.push('\n');
    for (k, v) in &headers {
        canonical_request.push_str(k);
        canonical_request.push(':');
        canonical_request.push_str(v);
        canonical_request.push('\n');
    }
    canonical_request.push('\n');
    canonical_request.push_str(&signed_headers);
    canonical_request.push('\n');
    canonical_request.push_str(input.body_sha256);
    let mut string_to_sign = String::with_capacity(ACS3_HMAC_SHA256.len() + 65);
    string_to_sign.push_str(ACS3_HMAC_SHA256);
    string_to_sign.push('\n');
    string_to_sign.push_str(&hex(&Sha256::digest(canonical_request.as_bytes())));
    let signature = hex(&hmac_sha256(secret.as_bytes(), string_to_sign.as_bytes()));
    V3Signature {
        signed_headers,
        signature,
        canonical_request,
    }
}

fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    // HMAC accepts keys of any length, so `new_from_slice` cannot fail here.
    let mut mac = match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC takes keys of any length"),
    };
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// Computes the legacy RPC signature (HMAC-SHA1, `SignatureVersion=1.0`): the string to sign is
/// `METHOD&%2F&` + percent-encode(canonical query), the key is `secret&`, the result Base64.
/// `pairs` are all query parameters except `Signature`.
pub fn sign_v1(method: &str, pairs: &[(String, String)], secret: &str) -> String {
    let canonical = super::percent::canonical_query(pairs);
    let string_to_sign = format!("{method}&%2F&{}", super::percent::encode(&canonical));
    let key = format!("{secret}&");
    let mut mac = match Hmac::<sha1::Sha1>::new_from_slice(key.as_bytes()) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC takes keys of any length"),
    };
    mac.update(string_to_sign.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The worked example of Alibaba's signature V3 documentation.
    #[test]
    fn v3_matches_the_published_vector() {
        let empty = sha256_hex(b"");
        assert_eq!(
            empty,
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        let headers = [
            ("host", "ecs.cn-shanghai.aliyuncs.com"),
            ("x-acs-action", "RunInstances"),
            ("x-acs-version", "2014-05-26"),
            ("x-acs-date", "2023-10-26T10:22:32Z"),
            ("x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d"),
            ("x-acs-content-sha256", empty.as_str()),
        ];
        let sig = sign_v3(
            &V3Input {
                method: "POST",
                path: "/",
                canonical_query:
                    "ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai",
                headers: &headers,
                body_sha256: &empty,
            },
            "YourAccessKeySecret",
        );
        assert_eq!(
            sig.signed_headers,
            "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version"
        );
        assert_eq!(
            sig.signature,
            "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
        );
        assert_eq!(
            sig.authorization("YourAccessKeyId"),
            "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
        );
    }

    /// The worked example of Alibaba's RPC signature (version 1.0) documentation.
    #[test]
    fn v1_matches_the_published_vector() {
        let pairs: Vec<(String, String)> = [
            ("AccessKeyId", "testid"),
            ("Action", "DescribeRegions"),
            ("Format", "XML"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"),
            ("SignatureVersion", "1.0"),
            ("Timestamp", "2016-02-23T12:46:24Z"),
            ("Version", "2014-05-26"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        assert_eq!(
            sign_v1("GET", &pairs, "testsecret"),
            "OLeaidS1JvxuMvnyHOwuJ+uX5qY="
        );
    }
}
