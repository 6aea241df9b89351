//! Credentials of the RAM role attached to an ECS instance, from the instance metadata service
//! (IMDS), in hardened mode (a session token) when the service grants one.

use super::cache::CredentialsCache;
use super::context::{HttpSlot, ProviderContext, METADATA_TIMEOUTS};
use super::http::{error_summary, headers, json_answer, send, temporary_credentials};
use super::provider::{Credentials, ProvideCredentials, Secret};
use crate::error::CredentialsError;
use crate::transport::BoxFuture;
use crate::transport::{HttpRequest, HttpResponse, Transport};
use serde_json::Value;

/// The role name; when unset, the provider asks the metadata service for it.
pub const ECS_METADATA: &str = "ALIBABA_CLOUD_ECS_METADATA";
/// `true` disables the metadata service provider.
pub const ECS_METADATA_DISABLED: &str = "ALIBABA_CLOUD_ECS_METADATA_DISABLED";
/// `true` forbids falling back to requests without a metadata token.
pub const IMDSV1_DISABLED: &str = "ALIBABA_CLOUD_IMDSV1_DISABLED";
/// Lifetime asked for the metadata token, in seconds (6 hours, as the official libraries ask).
pub const METADATA_TOKEN_TTL_SECONDS: u32 = 21_600;

const WHAT: &str = "ECS metadata";
const CREDENTIALS_PATH: &str = "/latest/meta-data/ram/security-credentials/";

/// Credentials of the instance's RAM role, cached and refreshed 3 minutes before they expire.
#[derive(Debug)]
pub struct EcsRamRoleProvider {
    ctx: ProviderContext,
    role_name: Option<String>,
    imdsv1_disabled: Option<bool>,
    http: HttpSlot,
    cache: CredentialsCache,
}

impl EcsRamRoleProvider {
    /// A provider configured by the environment of `ctx` (`ALIBABA_CLOUD_ECS_METADATA`,
    /// `ALIBABA_CLOUD_ECS_METADATA_DISABLED`, `ALIBABA_CLOUD_IMDSV1_DISABLED`).
    pub fn new(ctx: ProviderContext) -> Self {
        Self {
            http: ctx.http_direct(METADATA_TIMEOUTS),
            ctx,
            role_name: None,
            imdsv1_disabled: None,
            cache: CredentialsCache::new(),
        }
    }

    /// Uses `role` instead of `ALIBABA_CLOUD_ECS_METADATA` or asking the service.
    #[must_use]
    pub fn with_role_name(mut self, role: impl Into<String>) -> Self {
        let role = role.into();
        self.role_name = Some(role.trim().to_owned()).filter(|r| !r.is_empty());
        self
    }

    /// Requires a metadata token (no tokenless fallback), overriding
    /// `ALIBABA_CLOUD_IMDSV1_DISABLED`.
    #[must_use]
    pub fn with_imdsv1_disabled(mut self, disabled: bool) -> Self {
        self.imdsv1_disabled = Some(disabled);
        self
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.ctx.metadata_endpoint())
    }

    /// `PUT /latest/api/token`; `None` when the service grants none and tokenless requests are
    /// allowed.
    async fn token(
        &self,
        transport: &dyn Transport,
        imdsv1_disabled: bool,
    ) -> Result<Option<Secret>, CredentialsError> {
        let ttl = METADATA_TOKEN_TTL_SECONDS.to_string();
        let request = HttpRequest {
            method: http::Method::PUT,
            url: self.url("/latest/api/token"),
            headers: headers(&[("X-aliyun-ecs-metadata-token-ttl-seconds", &ttl)], WHAT)?,
            body: Vec::new(),
        };
        let failure = match send(transport, request, WHAT).await {
            Ok(r) if r.status == 200 => {
                let token = String::from_utf8_lossy(&r.body).trim().to_owned();
                if !token.is_empty() {
                    return Ok(Some(Secret::new(token)));
                }
                "the token answer is empty".to_owned()
            }
            Ok(r) => format!("the token request answered {}", error_summary(&r)),
            Err(e) => e.message,
        };
        if imdsv1_disabled {
            Err(CredentialsError::new(format!(
                "{WHAT}: no metadata token and {IMDSV1_DISABLED} is true: {failure}"
            )))
        } else {
            tracing::debug!(reason = %failure, "no ECS metadata token; using tokenless requests");
            Ok(None)
        }
    }

    /// `GET path` with the token; without it when that fails and tokenless requests are allowed.
    async fn get(
        &self,
        transport: &dyn Transport,
        path: &str,
        token: Option<&Secret>,
        imdsv1_disabled: bool,
    ) -> Result<HttpResponse, CredentialsError> {
        let request = |token: Option<&Secret>| {
            let pairs: &[(&str, &str)] = match token {
                Some(t) => &[("X-aliyun-ecs-metadata-token", t.expose())],
                None => &[],
            };
            Ok::<_, CredentialsError>(HttpRequest {
                method: http::Method::GET,
                url: self.url(path),
                headers: headers(pairs, WHAT)?,
                body: Vec::new(),
            })
        };
        let first = match request(token) {
            Ok(r) => send(transport, r, WHAT).await,
            Err(e) => Err(e),
        };
        let failed = !matches!(&first, Ok(r) if r.status == 200);
        if failed && token.is_some() && !imdsv1_disabled {
            return send(transport, request(None)?, WHAT).await;
        }
        first
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        if self.ctx.flag(ECS_METADATA_DISABLED) {
            return Err(CredentialsError::new(format!(
                "{WHAT}: disabled by {ECS_METADATA_DISABLED}=true"
            )));
        }
        let imdsv1_disabled = self
            .imdsv1_disabled
            .unwrap_or_else(|| self.ctx.flag(IMDSV1_DISABLED));
        let transport = self.http.get()?;
        let transport = transport.as_ref();
        let token = self.token(transport, imdsv1_disabled).await?;
        let role = match self
            .role_name
            .clone()
            .or_else(|| self.ctx.var(ECS_METADATA))
        {
            Some(r) => r,
            None => {
                let r = self
                    .get(transport, CREDENTIALS_PATH, token.as_ref(), imdsv1_disabled)
                    .await?;
                if r.status != 200 {
                    return Err(CredentialsError::new(format!(
                        "{WHAT}: finding the role name failed: {}",
                        error_summary(&r)
                    )));
                }
                String::from_utf8_lossy(&r.body)
                    .lines()
                    .map(str::trim)
                    .find(|l| !l.is_empty())
                    .map(str::to_owned)
                    .ok_or_else(|| {
                        CredentialsError::new(format!(
                            "{WHAT}: no RAM role is attached to this instance"
                        ))
                    })?
            }
        };
        let path = format!("{CREDENTIALS_PATH}{}", crate::wire::percent::encode(&role));
        let what = format!("{WHAT} (role {role})");
        let response = self
            .get(transport, &path, token.as_ref(), imdsv1_disabled)
            .await?;
        let json = json_answer(&response, &what)?;
        match json.get("Code").and_then(Value::as_str) {
            Some("Success") => temporary_credentials(&json, &what),
            Some(code) => Err(CredentialsError::new(format!(
                "{what}: Code is {code}, not Success"
            ))),
            None => Err(CredentialsError::new(format!(
                "{what}: the answer has no Code"
            ))),
        }
    }
}

impl ProvideCredentials for EcsRamRoleProvider {
    fn credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.cache.get_or_refresh(|| self.fetch()))
    }
}
