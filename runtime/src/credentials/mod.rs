//! Credentials: the access key pair (plus an STS token) and the providers that find them.
//!
//! Providers read the environment, files under `HOME` and the STS and metadata services through
//! a [`ProviderContext`], so that each can be pointed at a fake environment, a temporary home
//! directory and loopback services. Temporary credentials are cached and refreshed
//! [`REFRESH_BEFORE_EXPIRY`] before they expire, with one refresh in flight however many calls
//! wait. No `Debug`, `Display` or error of this module shows a secret.

mod cache;
mod chain;
pub mod cli_profile;
mod context;
pub mod ecs;
mod env;
mod external;
mod file_guard;
mod http;
pub mod oidc;
pub mod profile_file;
pub mod ram_role_arn;
mod sts;
pub mod uri;

pub use cache::REFRESH_BEFORE_EXPIRY;
pub use chain::ChainProvider;
pub use cli_profile::{cli_profile_region, CliProfileProvider};
pub(crate) use context::nonempty as nonempty_var;
pub use context::{
    Env, MapEnv, ProcessEnv, ProviderContext, DEFAULT_METADATA_ENDPOINT, DEFAULT_STS_HOST,
};
pub use ecs::EcsRamRoleProvider;
pub use env::{EnvironmentProvider, ACCESS_KEY_ID, ACCESS_KEY_SECRET, SECURITY_TOKEN};
pub use external::{ExternalProvider, EXTERNAL_OUTPUT_LIMIT, EXTERNAL_TIMEOUT};
pub use file_guard::MAX_FILE_SIZE;
pub use oidc::{OidcConfig, OidcProvider};
pub use profile_file::ProfileFileProvider;
pub use ram_role_arn::{RamRoleArnConfig, RamRoleArnProvider};
pub use uri::CredentialsUriProvider;

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// A secret string that never shows in `Debug` or `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps `value`.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret itself; call only where it is used (signing, a header).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(\"***\")")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// An access key pair, with a security token for STS credentials. `Debug` shows the id and the
/// expiry only.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// The access key id (not secret: it appears in the `Authorization` header).
    pub access_key_id: String,
    /// The access key secret.
    pub access_key_secret: Secret,
    /// The STS security token of temporary credentials.
    pub security_token: Option<Secret>,
    /// When temporary credentials expire.
    pub expiration: Option<std::time::SystemTime>,
}

impl Credentials {
    /// Long-term credentials.
    pub fn new(access_key_id: impl Into<String>, access_key_secret: impl Into<String>) -> Self {
        Self {
            access_key_id: access_key_id.into(),
            access_key_secret: Secret::new(access_key_secret),
            security_token: None,
            expiration: None,
        }
    }

    /// Adds an STS security token.
    pub fn with_security_token(mut self, token: impl Into<String>) -> Self {
        self.security_token = Some(Secret::new(token));
        self
    }

    /// Sets the expiry of temporary credentials.
    pub fn with_expiration(mut self, expiration: std::time::SystemTime) -> Self {
        self.expiration = Some(expiration);
        self
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("access_key_secret", &self.access_key_secret)
            .field("security_token", &self.security_token)
            .field("expiration", &self.expiration.map(format_time))
            .finish()
    }
}

/// `t` as `YYYY-MM-DDTHH:MM:SSZ` (for `Debug` output).
pub(crate) fn format_time(t: std::time::SystemTime) -> String {
    crate::client::format_iso8601(time::OffsetDateTime::from(t))
}

/// Why no credentials could be obtained. Never holds a secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialsError {
    /// What went wrong (for a chain: every provider tried and why it failed).
    pub message: String,
    invalid: bool,
}

impl CredentialsError {
    /// An error with `message`.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            invalid: false,
        }
    }

    /// An error of a configuration that exists but is wrong (a malformed or unsafe file, a
    /// field of the wrong type): a chain that goes on to a later provider still reports it.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            invalid: true,
        }
    }

    /// Whether the configuration exists but is wrong (see [`invalid`](Self::invalid)).
    pub fn is_invalid(&self) -> bool {
        self.invalid
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "no credentials: {}", self.message)
    }
}

impl std::error::Error for CredentialsError {}

/// A boxed future, as returned by the object-safe traits of this crate.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A source of credentials.
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    /// Current credentials (cached and refreshed by the provider as it sees fit).
    fn credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>>;
}

/// Fixed credentials given in code.
#[derive(Clone, Debug)]
pub struct StaticProvider(Credentials);

impl StaticProvider {
    /// Always answers `credentials`.
    pub fn new(credentials: Credentials) -> Self {
        Self(credentials)
    }
}

impl ProvideCredentials for StaticProvider {
    fn credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        let c = self.0.clone();
        Box::pin(async move { Ok(c) })
    }
}

/// A shared credentials provider.
pub type SharedProvider = Arc<dyn ProvideCredentials>;

/// The provider used when the client is given none: [`ChainProvider::default_chain`] over the
/// process environment and the real services.
pub fn default_provider() -> SharedProvider {
    default_provider_with(ProviderContext::new())
}

/// The default chain over `ctx` (a fake environment, home directory or services).
pub fn default_provider_with(ctx: ProviderContext) -> SharedProvider {
    Arc::new(ChainProvider::default_chain(ctx))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_do_not_show() {
        let c = Credentials::new("id", "s3cr3t-value").with_security_token("t0k3n-value");
        let shown = format!("{c:?} {}", c.access_key_secret);
        assert!(!shown.contains("s3cr3t-value"), "{shown}");
        assert!(!shown.contains("t0k3n-value"), "{shown}");
        assert!(shown.contains("id"));
    }
}
