//! The two STS calls the providers make: `AssumeRole` (signed with the legacy RPC signature, as
//! the official credentials libraries do) and `AssumeRoleWithOIDC` (anonymous).

use super::context::{ProviderContext, DEFAULT_STS_HOST};
use super::http::{json_answer, send, temporary_credentials};
use super::provider::Credentials;
use crate::endpoint::Endpoint;
use crate::error::CredentialsError;
use crate::transport::{HttpRequest, Transport};
use crate::wire::{nonce, now_iso8601, percent, signer};

/// The STS API version.
const STS_VERSION: &str = "2015-04-01";

/// Default lifetime of assumed-role credentials, in seconds.
pub(crate) const DEFAULT_DURATION_SECONDS: u32 = 3600;

/// Where STS calls go, as a base URL without a trailing slash.
///
/// Order: the context's override; `sts-vpc.<region>` or `sts.<region>.aliyuncs.com` from
/// `region` (a profile's `sts_region`) else `ALIBABA_CLOUD_STS_REGION`; else
/// `sts.aliyuncs.com`. `vpc` (or `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED=true`) picks the VPC
/// endpoint of the region.
pub(crate) fn sts_base(
    ctx: &ProviderContext,
    region: Option<&str>,
    vpc: bool,
) -> Result<String, CredentialsError> {
    let host = match ctx.sts_endpoint() {
        Some(e) => e.to_owned(),
        None => {
            let region = region
                .map(str::trim)
                .filter(|r| !r.is_empty())
                .map(str::to_owned)
                .or_else(|| ctx.var("ALIBABA_CLOUD_STS_REGION"));
            let vpc = vpc || ctx.flag("ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED");
            match region {
                Some(r) if vpc => format!("sts-vpc.{r}.aliyuncs.com"),
                Some(r) => format!("sts.{r}.aliyuncs.com"),
                None => DEFAULT_STS_HOST.to_owned(),
            }
        }
    };
    Endpoint::parse(&host)
        .map(|e| e.to_string())
        .map_err(|e| CredentialsError::new(format!("STS endpoint: {}", e.0)))
}

/// A role session name when none is configured.
pub(crate) fn default_session_name() -> String {
    let millis = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or_default();
    format!("alibabacloud-rust-{millis}")
}

/// The business parameters of `AssumeRole`.
#[derive(Debug, Clone)]
pub(crate) struct AssumeRole<'a> {
    pub(crate) role_arn: &'a str,
    pub(crate) session_name: &'a str,
    pub(crate) duration_seconds: u32,
    pub(crate) policy: Option<&'a str>,
    pub(crate) external_id: Option<&'a str>,
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn request(base: &str, query: &[(String, String)], form: &[(String, String)]) -> HttpRequest {
    HttpRequest {
        method: http::Method::POST,
        url: format!("{base}/?{}", percent::canonical_query(query)),
        headers: vec![
            (
                "content-type".to_owned(),
                "application/x-www-form-urlencoded".to_owned(),
            ),
            ("accept".to_owned(), "application/json".to_owned()),
            (
                "user-agent".to_owned(),
                format!("alibabacloud-rust-runtime/{}", env!("CARGO_PKG_VERSION")),
            ),
        ],
        body: percent::canonical_query(form).into_bytes(),
    }
}

/// Calls `AssumeRole` signed with `source`: common parameters (and the signature) in the query,
/// business parameters in the form body, as the official libraries send them.
pub(crate) async fn assume_role(
    transport: &dyn Transport,
    base: &str,
    source: &Credentials,
    input: &AssumeRole<'_>,
) -> Result<Credentials, CredentialsError> {
    const WHAT: &str = "STS AssumeRole";
    let timestamp = now_iso8601();
    let nonce = nonce();
    let mut query = pairs(&[
        ("Action", "AssumeRole"),
        ("Version", STS_VERSION),
        ("Format", "JSON"),
        ("Timestamp", &timestamp),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureVersion", "1.0"),
        ("SignatureNonce", &nonce),
        ("AccessKeyId", &source.access_key_id),
    ]);
    if let Some(token) = &source.security_token {
        query.push(("SecurityToken".to_owned(), token.expose().to_owned()));
    }
    let duration = input.duration_seconds.to_string();
    let mut form = pairs(&[
        ("RoleArn", input.role_arn),
        ("RoleSessionName", input.session_name),
        ("DurationSeconds", &duration),
    ]);
    if let Some(p) = input.policy {
        form.push(("Policy".to_owned(), p.to_owned()));
    }
    if let Some(x) = input.external_id {
        form.push(("ExternalId".to_owned(), x.to_owned()));
    }
    let mut signed = query.clone();
    signed.extend(form.iter().cloned());
    let signature = signer::sign_v1("POST", &signed, source.access_key_secret.expose());
    query.push(("Signature".to_owned(), signature));
    let response = send(transport, request(base, &query, &form), WHAT).await?;
    let json = json_answer(&response, WHAT)?;
    let creds = json
        .get("Credentials")
        .ok_or_else(|| CredentialsError::new(format!("{WHAT}: the answer has no Credentials")))?;
    temporary_credentials(creds, WHAT)
}

/// The parameters of `AssumeRoleWithOIDC`.
#[derive(Debug, Clone)]
pub(crate) struct AssumeRoleWithOidc<'a> {
    pub(crate) role_arn: &'a str,
    pub(crate) provider_arn: &'a str,
    pub(crate) session_name: &'a str,
    pub(crate) duration_seconds: u32,
    pub(crate) policy: Option<&'a str>,
}

/// Calls `AssumeRoleWithOIDC`: anonymous (no signature), the token in the form body so that it
/// never appears in a URL.
pub(crate) async fn assume_role_with_oidc(
    transport: &dyn Transport,
    base: &str,
    token: &str,
    input: &AssumeRoleWithOidc<'_>,
) -> Result<Credentials, CredentialsError> {
    const WHAT: &str = "STS AssumeRoleWithOIDC";
    let timestamp = now_iso8601();
    let query = pairs(&[
        ("Action", "AssumeRoleWithOIDC"),
        ("Version", STS_VERSION),
        ("Format", "JSON"),
        ("Timestamp", &timestamp),
    ]);
    let duration = input.duration_seconds.to_string();
    let mut form = pairs(&[
        ("RoleArn", input.role_arn),
        ("OIDCProviderArn", input.provider_arn),
        ("OIDCToken", token),
        ("RoleSessionName", input.session_name),
        ("DurationSeconds", &duration),
    ]);
    if let Some(p) = input.policy {
        form.push(("Policy".to_owned(), p.to_owned()));
    }
    let response = send(transport, request(base, &query, &form), WHAT).await?;
    let json = json_answer(&response, WHAT)?;
    let creds = json
        .get("Credentials")
        .ok_or_else(|| CredentialsError::new(format!("{WHAT}: the answer has no Credentials")))?;
    temporary_credentials(creds, WHAT)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::MapEnv;
    use std::sync::Arc;

    #[test]
    fn endpoint_order() {
        let ctx = ProviderContext::new().with_env(Arc::new(MapEnv::new()));
        assert_eq!(
            sts_base(&ctx, None, false).unwrap(),
            "https://sts.aliyuncs.com"
        );
        assert_eq!(
            sts_base(&ctx, Some("cn-shanghai"), false).unwrap(),
            "https://sts.cn-shanghai.aliyuncs.com"
        );
        assert_eq!(
            sts_base(&ctx, Some("cn-shanghai"), true).unwrap(),
            "https://sts-vpc.cn-shanghai.aliyuncs.com"
        );
        let ctx = ctx.with_env(Arc::new(
            MapEnv::new()
                .with("ALIBABA_CLOUD_STS_REGION", "cn-beijing")
                .with("ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED", "TRUE"),
        ));
        assert_eq!(
            sts_base(&ctx, None, false).unwrap(),
            "https://sts-vpc.cn-beijing.aliyuncs.com"
        );
        let ctx = ctx.with_sts_endpoint("http://127.0.0.1:9");
        assert_eq!(
            sts_base(&ctx, Some("x"), true).unwrap(),
            "http://127.0.0.1:9"
        );
    }
}
