//! A chain of providers tried in order, and the default chain of the official libraries.

use super::cli_profile::CliProfileProvider;
use super::context::ProviderContext;
use super::ecs::EcsRamRoleProvider;
use super::env::EnvironmentProvider;
use super::oidc::OidcProvider;
use super::profile_file::ProfileFileProvider;
use super::provider::{Credentials, ProvideCredentials, SharedProvider};
use super::uri::CredentialsUriProvider;
use crate::error::CredentialsError;
use crate::transport::BoxFuture;
use std::sync::{Arc, Mutex};

/// Tries providers in order; the first that answers is remembered and used alone from then on
/// (as the official libraries do), so a later failure of that provider is reported as it is
/// rather than silently switching identity. When none answers, the error lists every provider
/// tried and why each failed. When one answers after a provider whose configuration exists but
/// is wrong ([`CredentialsError::is_invalid`]: a malformed or unsafe file), that error is kept
/// in [`skipped`](Self::skipped) and logged as a `warn` event.
#[derive(Debug)]
pub struct ChainProvider {
    providers: Vec<(&'static str, SharedProvider)>,
    last_used: Mutex<Option<usize>>,
    skipped: Mutex<Vec<(&'static str, CredentialsError)>>,
}

impl ChainProvider {
    /// A chain of named providers, tried in the given order.
    pub fn new(providers: Vec<(&'static str, SharedProvider)>) -> Self {
        Self {
            providers,
            last_used: Mutex::new(None),
            skipped: Mutex::new(Vec::new()),
        }
    }

    /// The default chain, in the official libraries' order:
    /// 1. environment (`ALIBABA_CLOUD_ACCESS_KEY_ID`, `..._SECRET`, `..._SECURITY_TOKEN`);
    /// 2. OIDC (`ALIBABA_CLOUD_ROLE_ARN`, `ALIBABA_CLOUD_OIDC_PROVIDER_ARN`,
    ///    `ALIBABA_CLOUD_OIDC_TOKEN_FILE`);
    /// 3. the CLI's `~/.aliyun/config.json` (unless `ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true`);
    /// 4. `~/.alibabacloud/credentials` (or `ALIBABA_CLOUD_CREDENTIALS_FILE`);
    /// 5. the ECS metadata service (unless `ALIBABA_CLOUD_ECS_METADATA_DISABLED=true`);
    /// 6. `ALIBABA_CLOUD_CREDENTIALS_URI`.
    ///
    /// Every provider reads its configuration when the chain first asks it, not here.
    pub fn default_chain(ctx: ProviderContext) -> Self {
        Self::new(vec![
            (
                "environment",
                Arc::new(EnvironmentProvider::from_context(&ctx)),
            ),
            ("OIDC", Arc::new(OidcProvider::new(ctx.clone()))),
            (
                "CLI profile",
                Arc::new(CliProfileProvider::new(ctx.clone())),
            ),
            (
                "credentials file",
                Arc::new(ProfileFileProvider::new(ctx.clone())),
            ),
            (
                "ECS metadata",
                Arc::new(EcsRamRoleProvider::new(ctx.clone())),
            ),
            (
                "credentials URI",
                Arc::new(CredentialsUriProvider::new(ctx)),
            ),
        ])
    }

    /// The name of the provider that answered last, if any did.
    pub fn last_used(&self) -> Option<&'static str> {
        let i = (*self.last_used.lock().unwrap_or_else(|p| p.into_inner()))?;
        self.providers.get(i).map(|(name, _)| *name)
    }

    /// The providers tried before the one that answered, with why each failed (empty until one
    /// answers).
    pub fn skipped(&self) -> Vec<(&'static str, CredentialsError)> {
        self.skipped
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    async fn resolve(&self) -> Result<Credentials, CredentialsError> {
        let last = *self.last_used.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((_, p)) = last.and_then(|i| self.providers.get(i)) {
            return p.credentials().await;
        }
        let mut failures: Vec<(&'static str, CredentialsError)> =
            Vec::with_capacity(self.providers.len());
        for (i, (name, provider)) in self.providers.iter().enumerate() {
            match provider.credentials().await {
                Ok(c) => {
                    for (skipped, e) in failures.iter().filter(|(_, e)| e.is_invalid()) {
                        tracing::warn!(
                            provider = *skipped,
                            used = *name,
                            error = %e.message,
                            "a credentials configuration is invalid; a later provider answered"
                        );
                    }
                    *self.skipped.lock().unwrap_or_else(|p| p.into_inner()) = failures;
                    *self.last_used.lock().unwrap_or_else(|p| p.into_inner()) = Some(i);
                    tracing::debug!(provider = name, "credentials found");
                    return Ok(c);
                }
                Err(e) => failures.push((name, e)),
            }
        }
        let listed: Vec<String> = failures
            .iter()
            .map(|(name, e)| format!("[{name}] {}", provider_failure(e)))
            .collect();
        let message = format!(
            "tried {} providers: {}",
            self.providers.len(),
            listed.join("; ")
        );
        Err(if failures.iter().any(|(_, e)| e.is_invalid()) {
            CredentialsError::invalid(message)
        } else {
            CredentialsError::new(message)
        })
    }
}

impl ProvideCredentials for ChainProvider {
    fn credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.resolve())
    }
}

/// The provider used when the client is given none: [`ChainProvider::default_chain`] over the
/// process environment and the real services.
pub fn default_provider() -> SharedProvider {
    default_provider_with(ProviderContext::new())
}

/// The default chain over `ctx` (a fake environment, home directory or services).
pub fn default_provider_with(ctx: ProviderContext) -> SharedProvider {
    Arc::new(ChainProvider::default_chain(ctx))
}

/// One provider's failure in the chain's message: its message and the causes behind it (the
/// chain gathers several errors, so it cannot keep them all as its source).
fn provider_failure(e: &CredentialsError) -> String {
    match std::error::Error::source(e) {
        Some(s) => format!("{}: {}", e.message, crate::error::with_sources(s)),
        None => e.message.clone(),
    }
}
