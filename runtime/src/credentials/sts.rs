//! The two STS calls the providers make: `AssumeRole` (signed with the legacy RPC signature, as
//! the official credentials libraries do) and `AssumeRoleWithOIDC` (anonymous). Both go through
//! the client's request path ([`crate::wire`]): same builder, signer, user agent and answer
//! interpretation.

use super::context::{ProviderContext, DEFAULT_STS_HOST};
use super::http::{send, temporary_credentials};
use super::provider::Credentials;
use crate::endpoint::Endpoint;
use crate::error::CredentialsError;
use crate::transport::Transport;
use crate::wire::{
    build_request, host_header, interpret, user_agent, user_agent_header, Call, Failure,
    SignContext, SignatureVersion, SigningKey,
};
use serde_json::Value;

/// The STS API version.
const STS_VERSION: &str = "2015-04-01";

/// Default lifetime of assumed-role credentials, in seconds.
pub(crate) const DEFAULT_DURATION_SECONDS: u32 = 3600;

/// Where STS calls go.
///
/// Order: the context's override; `sts-vpc.<region>` or `sts.<region>.aliyuncs.com` from
/// `region` (a profile's `sts_region`) else `ALIBABA_CLOUD_STS_REGION`; else
/// `sts.aliyuncs.com`. `vpc` (or `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED=true`) picks the VPC
/// endpoint of the region.
pub(crate) fn sts_base(
    ctx: &ProviderContext,
    region: Option<&str>,
    vpc: bool,
) -> Result<Endpoint, CredentialsError> {
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
    Endpoint::parse(&host).map_err(|e| CredentialsError::new("STS endpoint").with_source(e))
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

/// Sends one STS call through the request path and reads the `Credentials` of its answer.
/// Errors summarise the answer (status, code, message, request id), never its body.
async fn call(
    transport: &dyn Transport,
    sts: &Endpoint,
    action: &'static str,
    form: &[(String, String)],
    key: Option<&SigningKey<'_>>,
) -> Result<Credentials, CredentialsError> {
    let what = format!("STS {action}");
    let base_url = sts.to_string();
    let prepared = host_header(sts.authority())
        .and_then(|host| Ok((host, user_agent_header(&user_agent("Sts", STS_VERSION))?)));
    let (host, agent) = prepared.map_err(|e| CredentialsError::new(format!("{what}: {e}")))?;
    let call = Call {
        method: &http::Method::POST,
        base_url: &base_url,
        host: &host,
        action,
        version: STS_VERSION,
        user_agent: &agent,
        query: &[],
        form,
        headers: &[],
    };
    let request = build_request(SignatureVersion::V1, &call, key, SignContext::now())
        .map_err(|e| CredentialsError::new(format!("{what}: {e}")))?;
    let response = send(transport, request, &what).await?;
    let json = match interpret(response) {
        Ok(answer) => answer.json,
        Err(Failure::Service(mut e)) => {
            let mut summary = format!("{what}: HTTP {}, Code: {}", e.status, e.code);
            if let Some(m) = &e.message {
                summary.push_str(&format!(", Message: {m}"));
            }
            if let Some(id) = &e.request_id {
                summary.push_str(&format!(", RequestId: {id}"));
            }
            // The typed error stays reachable as the source, without the raw body.
            e.body.clear();
            return Err(CredentialsError::new(summary).with_source(*e));
        }
        Err(Failure::Response(e)) => {
            let mut summary = format!(
                "{what}: HTTP {} with an answer that is not a JSON object",
                e.status
            );
            if let Some(id) = &e.request_id {
                summary.push_str(&format!(", RequestId: {id}"));
            }
            return Err(CredentialsError::new(summary));
        }
        Err(Failure::Redirect(e)) => {
            return Err(CredentialsError::new(format!("{what}: {e}")).with_source(e));
        }
    };
    let creds = json
        .get("Credentials")
        .filter(|c| matches!(c, Value::Object(_)))
        .ok_or_else(|| CredentialsError::new(format!("{what}: the answer has no Credentials")))?;
    temporary_credentials(creds, &what)
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// Calls `AssumeRole` signed with `source`: common parameters (and the signature) in the query,
/// business parameters in the form body, as the official libraries send them.
pub(crate) async fn assume_role(
    transport: &dyn Transport,
    sts: &Endpoint,
    source: &Credentials,
    input: &AssumeRole<'_>,
) -> Result<Credentials, CredentialsError> {
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
    let key = SigningKey {
        access_key_id: &source.access_key_id,
        secret: source.access_key_secret.expose(),
        security_token: source.security_token.as_ref().map(|t| t.expose()),
    };
    call(transport, sts, "AssumeRole", &form, Some(&key)).await
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
    sts: &Endpoint,
    token: &str,
    input: &AssumeRoleWithOidc<'_>,
) -> Result<Credentials, CredentialsError> {
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
    call(transport, sts, "AssumeRoleWithOIDC", &form, None).await
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
            sts_base(&ctx, None, false).unwrap().to_string(),
            "https://sts.aliyuncs.com"
        );
        assert_eq!(
            sts_base(&ctx, Some("cn-shanghai"), false)
                .unwrap()
                .to_string(),
            "https://sts.cn-shanghai.aliyuncs.com"
        );
        assert_eq!(
            sts_base(&ctx, Some("cn-shanghai"), true)
                .unwrap()
                .to_string(),
            "https://sts-vpc.cn-shanghai.aliyuncs.com"
        );
        let ctx = ctx.with_env(Arc::new(
            MapEnv::new()
                .with("ALIBABA_CLOUD_STS_REGION", "cn-beijing")
                .with("ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED", "TRUE"),
        ));
        assert_eq!(
            sts_base(&ctx, None, false).unwrap().to_string(),
            "https://sts-vpc.cn-beijing.aliyuncs.com"
        );
        let ctx = ctx.with_sts_endpoint("http://127.0.0.1:9");
        assert_eq!(
            sts_base(&ctx, Some("x"), true).unwrap().to_string(),
            "http://127.0.0.1:9"
        );
    }
}
