//! Assumed-role credentials: STS `AssumeRole` signed with a source provider's credentials,
//! cached and refreshed before they expire.

use super::cache::CredentialsCache;
use super::context::{HttpSlot, ProviderContext, STS_TIMEOUTS};
use super::oidc::ROLE_SESSION_NAME;
use super::provider::{Credentials, ProvideCredentials, SharedProvider};
use super::sts::{self, AssumeRole, DEFAULT_DURATION_SECONDS};
use crate::error::CredentialsError;
use crate::transport::BoxFuture;

const WHAT: &str = "RAM role";

/// The role to assume and how.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RamRoleArnConfig {
    /// The role to assume (`acs:ram::<account>:role/<name>`).
    pub role_arn: String,
    /// The role session name (default: `ALIBABA_CLOUD_ROLE_SESSION_NAME`, else generated).
    pub session_name: Option<String>,
    /// Lifetime of the credentials in seconds (default 3600, at least 900).
    pub duration_seconds: Option<u32>,
    /// A policy further restricting the role.
    pub policy: Option<String>,
    /// The external id the role's trust policy may require.
    pub external_id: Option<String>,
    /// The STS region (default `ALIBABA_CLOUD_STS_REGION`, else the global endpoint).
    pub sts_region: Option<String>,
    /// Use the region's VPC STS endpoint.
    pub enable_vpc: bool,
}

/// Credentials of an assumed RAM role.
#[derive(Debug)]
pub struct RamRoleArnProvider {
    ctx: ProviderContext,
    source: SharedProvider,
    config: RamRoleArnConfig,
    http: HttpSlot,
    cache: CredentialsCache,
}

impl RamRoleArnProvider {
    /// Assumes `config.role_arn` with the credentials of `source`.
    pub fn new(ctx: ProviderContext, source: SharedProvider, config: RamRoleArnConfig) -> Self {
        Self {
            http: ctx.http(STS_TIMEOUTS),
            ctx,
            source,
            config,
            cache: CredentialsCache::new(),
        }
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let config = &self.config;
        if config.role_arn.trim().is_empty() {
            return Err(CredentialsError::new(format!("{WHAT}: no role ARN")));
        }
        let duration = config.duration_seconds.unwrap_or(DEFAULT_DURATION_SECONDS);
        if duration < 900 {
            return Err(CredentialsError::new(format!(
                "{WHAT}: DurationSeconds must be at least 900, not {duration}"
            )));
        }
        let source = self.source.credentials().await.map_err(|e| {
            CredentialsError::new(format!("{WHAT}: source credentials: {}", e.message))
        })?;
        let session_name = config
            .session_name
            .clone()
            .filter(|s| !s.trim().is_empty())
            .or_else(|| self.ctx.var(ROLE_SESSION_NAME))
            .unwrap_or_else(sts::default_session_name);
        let base = sts::sts_base(&self.ctx, config.sts_region.as_deref(), config.enable_vpc)?;
        let transport = self.http.get()?;
        sts::assume_role(
            transport.as_ref(),
            &base,
            &source,
            &AssumeRole {
                role_arn: config.role_arn.trim(),
                session_name: &session_name,
                duration_seconds: duration,
                policy: config.policy.as_deref(),
                external_id: config.external_id.as_deref(),
            },
        )
        .await
        .map_err(|e| e.context(&format!("{WHAT} {}", config.role_arn)))
    }
}

impl ProvideCredentials for RamRoleArnProvider {
    fn credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.cache.get_or_refresh(|| self.fetch()))
    }
}
