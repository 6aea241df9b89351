//! OIDC role credentials (RRSA on Kubernetes): the token file's content is exchanged for STS
//! credentials with the anonymous `AssumeRoleWithOIDC` call, and refreshed before expiry.

use super::cache::CredentialsCache;
use super::context::{HttpSlot, ProviderContext, STS_TIMEOUTS};
use super::provider::{Credentials, ProvideCredentials};
use super::sts::{self, AssumeRoleWithOidc, DEFAULT_DURATION_SECONDS};
use crate::error::CredentialsError;
use crate::transport::BoxFuture;
use std::path::PathBuf;

/// The role to assume.
pub const ROLE_ARN: &str = "ALIBABA_CLOUD_ROLE_ARN";
/// The OIDC identity provider.
pub const OIDC_PROVIDER_ARN: &str = "ALIBABA_CLOUD_OIDC_PROVIDER_ARN";
/// The file holding the OIDC token (re-read at each refresh: it rotates).
pub const OIDC_TOKEN_FILE: &str = "ALIBABA_CLOUD_OIDC_TOKEN_FILE";
/// The role session name (optional).
pub const ROLE_SESSION_NAME: &str = "ALIBABA_CLOUD_ROLE_SESSION_NAME";

const WHAT: &str = "OIDC";

/// What an OIDC provider needs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OidcConfig {
    /// The role to assume (`acs:ram::<account>:role/<name>`).
    pub role_arn: String,
    /// The OIDC identity provider (`acs:ram::<account>:oidc-provider/<name>`).
    pub provider_arn: String,
    /// The file holding the OIDC token.
    pub token_file: PathBuf,
    /// The role session name (default: `ALIBABA_CLOUD_ROLE_SESSION_NAME`, else generated).
    pub session_name: Option<String>,
    /// Lifetime of the credentials in seconds (default 3600, at least 900).
    pub duration_seconds: Option<u32>,
    /// A policy further restricting the role.
    pub policy: Option<String>,
    /// The STS region (default `ALIBABA_CLOUD_STS_REGION`, else the global endpoint).
    pub sts_region: Option<String>,
    /// Use the region's VPC STS endpoint.
    pub enable_vpc: bool,
}

impl OidcConfig {
    /// The configuration from `ALIBABA_CLOUD_ROLE_ARN`, `ALIBABA_CLOUD_OIDC_PROVIDER_ARN`,
    /// `ALIBABA_CLOUD_OIDC_TOKEN_FILE` and (optional) `ALIBABA_CLOUD_ROLE_SESSION_NAME`.
    pub fn from_env(ctx: &ProviderContext) -> Result<Self, CredentialsError> {
        let role_arn = ctx.var(ROLE_ARN);
        let provider_arn = ctx.var(OIDC_PROVIDER_ARN);
        let token_file = ctx.var(OIDC_TOKEN_FILE);
        match (role_arn, provider_arn, token_file) {
            (Some(role_arn), Some(provider_arn), Some(token_file)) => Ok(Self {
                role_arn,
                provider_arn,
                token_file: PathBuf::from(token_file),
                session_name: ctx.var(ROLE_SESSION_NAME),
                ..Self::default()
            }),
            (r, p, t) => {
                let missing: Vec<&str> =
                    [(r, ROLE_ARN), (p, OIDC_PROVIDER_ARN), (t, OIDC_TOKEN_FILE)]
                        .into_iter()
                        .filter(|(v, _)| v.is_none())
                        .map(|(_, name)| name)
                        .collect();
                Err(CredentialsError::new(format!(
                    "{WHAT}: {} not set",
                    missing.join(", ")
                )))
            }
        }
    }
}

/// Credentials from `AssumeRoleWithOIDC`, cached and refreshed 3 minutes before they expire.
#[derive(Debug)]
pub struct OidcProvider {
    ctx: ProviderContext,
    config: Option<OidcConfig>,
    http: HttpSlot,
    cache: CredentialsCache,
}

impl OidcProvider {
    /// A provider configured by the environment of `ctx` (read at each refresh).
    pub fn new(ctx: ProviderContext) -> Self {
        Self {
            http: ctx.http(STS_TIMEOUTS),
            ctx,
            config: None,
            cache: CredentialsCache::new(),
        }
    }

    /// A provider with an explicit configuration.
    pub fn with_config(ctx: ProviderContext, config: OidcConfig) -> Self {
        Self {
            config: Some(config),
            ..Self::new(ctx)
        }
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let config = match &self.config {
            Some(c) => c.clone(),
            None => OidcConfig::from_env(&self.ctx)?,
        };
        let duration = config.duration_seconds.unwrap_or(DEFAULT_DURATION_SECONDS);
        if duration < 900 {
            return Err(CredentialsError::new(format!(
                "{WHAT}: DurationSeconds must be at least 900, not {duration}"
            )));
        }
        let bytes = super::file_guard::read(
            &config.token_file,
            &format!("{WHAT} token file"),
            super::file_guard::Holds::Token,
        )?;
        let token = String::from_utf8_lossy(&bytes);
        let token = token.trim();
        if token.is_empty() {
            return Err(CredentialsError::new(format!(
                "{WHAT}: the token file {} is empty",
                config.token_file.display()
            )));
        }
        let session_name = config
            .session_name
            .clone()
            .or_else(|| self.ctx.var(ROLE_SESSION_NAME))
            .unwrap_or_else(sts::default_session_name);
        let base = sts::sts_base(&self.ctx, config.sts_region.as_deref(), config.enable_vpc)?;
        let transport = self.http.get()?;
        sts::assume_role_with_oidc(
            transport.as_ref(),
            &base,
            token,
            &AssumeRoleWithOidc {
                role_arn: &config.role_arn,
                provider_arn: &config.provider_arn,
                session_name: &session_name,
                duration_seconds: duration,
                policy: config.policy.as_deref(),
            },
        )
        .await
        .map_err(|e| e.context(WHAT))
    }
}

impl ProvideCredentials for OidcProvider {
    fn credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.cache.get_or_refresh(|| self.fetch()))
    }
}
