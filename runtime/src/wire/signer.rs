//! Request signatures: V3 (`ACS3-HMAC-SHA256`, the default) and the legacy RPC signature
//! (HMAC-SHA1, `SignatureVersion=1.0`).

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::borrow::Cow;

/// The algorithm name of signature V3.
pub const ACS3_HMAC_SHA256: &str = "ACS3-HMAC-SHA256";

/// Hex SHA-256 of the empty body.
pub(crate) const EMPTY_SHA256: &str =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// Hex SHA-256 of `bytes`, as used for `x-acs-content-sha256` and the canonical request.
pub fn sha256_hex(bytes: &[u8]) -> String {
    if bytes.is_empty() {
        return EMPTY_SHA256.to_owned();
    }
    hex(&Sha256::digest(bytes))
}

/// Lower-case hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    push_hex(&mut out, bytes);
    out
}

const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";

/// Appends the lower-case hex of `bytes` to `out`.
pub(crate) fn push_hex(out: &mut String, bytes: &[u8]) {
    for b in bytes {
        out.push(char::from(HEX_DIGITS[usize::from(b >> 4)]));
        out.push(char::from(HEX_DIGITS[usize::from(b & 0xf)]));
    }
}

/// The lower-case hex of a SHA-256 digest, on the stack.
fn hex32(digest: &[u8]) -> [u8; 64] {
    let mut out = [0u8; 64];
    for (pair, b) in out.chunks_exact_mut(2).zip(digest) {
        pair[0] = HEX_DIGITS[usize::from(b >> 4)];
        pair[1] = HEX_DIGITS[usize::from(b & 0xf)];
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

/// The headers of `input` as signed: lower-case names, trimmed values, sorted.
fn sorted_headers<'a>(input: &V3Input<'a>) -> Vec<(Cow<'a, str>, &'a str)> {
    let mut headers: Vec<(Cow<'a, str>, &'a str)> = input
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
    headers
}

/// Appends the signed header names of `headers` (sorted) joined by `;`.
fn push_signed_headers(out: &mut String, headers: &[(Cow<'_, str>, &str)]) {
    for (i, (k, _)) in headers.iter().enumerate() {
        if i > 0 {
            out.push(';');
        }
        out.push_str(k);
    }
}

/// Writes the canonical request of `input` to `sink`, piece by piece: the one definition that
/// both [`sign_v3`] (which keeps the text) and [`authorization_v3`] (which only hashes it) use.
fn canonical_request(
    input: &V3Input<'_>,
    headers: &[(Cow<'_, str>, &str)],
    signed_headers: &str,
    sink: &mut impl FnMut(&str),
) {
    for piece in [
        input.method,
        "\n",
        input.path,
        "\n",
        input.canonical_query,
        "\n",
    ] {
        sink(piece);
    }
    for (k, v) in headers {
        for piece in [k.as_ref(), ":", v, "\n"] {
            sink(piece);
        }
    }
    for piece in ["\n", signed_headers, "\n", input.body_sha256] {
        sink(piece);
    }
}

/// The hex signature of a canonical request whose SHA-256 is `digest`.
fn signature_of(digest: &[u8], secret: &str) -> [u8; 64] {
    let mut mac = match Hmac::<Sha256>::new_from_slice(secret.as_bytes()) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC takes keys of any length"),
    };
    mac.update(ACS3_HMAC_SHA256.as_bytes());
    mac.update(b"\n");
    mac.update(&hex32(digest));
    hex32(&mac.finalize().into_bytes())
}

/// Computes signature V3 of `input` with `secret`, keeping the canonical request.
pub fn sign_v3(input: &V3Input<'_>, secret: &str) -> V3Signature {
    let headers = sorted_headers(input);
    let mut signed_headers = String::with_capacity(128);
    push_signed_headers(&mut signed_headers, &headers);
    let mut canonical = String::with_capacity(512);
    canonical_request(input, &headers, &signed_headers, &mut |p| {
        canonical.push_str(p)
    });
    let signature = signature_of(&Sha256::digest(canonical.as_bytes()), secret);
    V3Signature {
        signed_headers,
        signature: signature.iter().map(|&b| char::from(b)).collect(),
        canonical_request: canonical,
    }
}

/// The `Authorization` header of signature V3 of `input`, the same text as
/// `sign_v3(input, secret).authorization(access_key_id)`, computed without building the canonical
/// request: it is hashed as it is written.
pub fn authorization_v3(input: &V3Input<'_>, access_key_id: &str, secret: &str) -> String {
    let headers = sorted_headers(input);
    let mut out = String::with_capacity(
        ACS3_HMAC_SHA256.len() + access_key_id.len() + 64 + 40 + 24 * headers.len(),
    );
    out.push_str(ACS3_HMAC_SHA256);
    out.push_str(" Credential=");
    out.push_str(access_key_id);
    out.push_str(",SignedHeaders=");
    let start = out.len();
    push_signed_headers(&mut out, &headers);
    let mut hasher = Sha256::new();
    canonical_request(input, &headers, &out[start..], &mut |p| {
        hasher.update(p.as_bytes())
    });
    let signature = signature_of(&hasher.finalize(), secret);
    out.push_str(",Signature=");
    out.extend(signature.iter().map(|&b| char::from(b)));
    out
}

/// Computes the legacy RPC signature (HMAC-SHA1, `SignatureVersion=1.0`): the string to sign is
/// `METHOD&%2F&` + percent-encode(canonical query), the key is `secret&`, the result Base64.
/// `pairs` are all query parameters except `Signature`.
pub fn sign_v1<K: AsRef<str>, V: AsRef<str>>(
    method: &str,
    pairs: &[(K, V)],
    secret: &str,
) -> String {
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
        let input = V3Input {
            method: "POST",
            path: "/",
            canonical_query:
                "ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai",
            headers: &headers,
            body_sha256: &empty,
        };
        let sig = sign_v3(&input, "YourAccessKeySecret");
        assert_eq!(
            sig.signed_headers,
            "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version"
        );
        assert_eq!(
            sig.signature,
            "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
        );
        assert_eq!(
            authorization_v3(&input, "YourAccessKeyId", "YourAccessKeySecret"),
            sig.authorization("YourAccessKeyId")
        );
        assert_eq!(
            sig.authorization("YourAccessKeyId"),
            "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
        );
    }

    #[test]
    fn the_streamed_authorization_is_the_signature_s() {
        let headers = [
            ("host", "h.example.com"),
            ("X-Acs-Action", " A "),
            ("x-acs-version", "2018-12-03"),
            ("content-type", "application/x-www-form-urlencoded"),
            ("x-acs-b", ""),
        ];
        let input = V3Input {
            method: "POST",
            path: "/",
            canonical_query: "A=1&b=%20",
            headers: &headers,
            body_sha256: EMPTY_SHA256,
        };
        assert_eq!(
            authorization_v3(&input, "id", "secret"),
            sign_v3(&input, "secret").authorization("id")
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
