//! Credentials from the environment variables of the official SDKs.

use super::context::{Env, ProcessEnv, ProviderContext};
use super::provider::{Credentials, ProvideCredentials};
use crate::error::CredentialsError;
use crate::transport::BoxFuture;
use std::sync::Arc;

/// The access key id variable.
pub const ACCESS_KEY_ID: &str = "ALIBABA_CLOUD_ACCESS_KEY_ID";
/// The access key secret variable.
pub const ACCESS_KEY_SECRET: &str = "ALIBABA_CLOUD_ACCESS_KEY_SECRET";
/// The STS security token variable.
pub const SECURITY_TOKEN: &str = "ALIBABA_CLOUD_SECURITY_TOKEN";

/// Reads `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET` and, if set,
/// `ALIBABA_CLOUD_SECURITY_TOKEN` at each call.
#[derive(Debug, Clone)]
pub struct EnvironmentProvider {
    env: Arc<dyn Env>,
}

impl Default for EnvironmentProvider {
    fn default() -> Self {
        Self::new()
    }
}

impl EnvironmentProvider {
    /// The provider, reading the process environment.
    pub fn new() -> Self {
        Self {
            env: Arc::new(ProcessEnv),
        }
    }

    /// The provider, reading `env`.
    pub fn with_env(env: Arc<dyn Env>) -> Self {
        Self { env }
    }

    /// The provider, reading the environment of `ctx`.
    pub fn from_context(ctx: &ProviderContext) -> Self {
        Self::with_env(ctx.env().clone())
    }

    /// Reads the variables through `get` (the process environment in [`ProvideCredentials`]).
    pub fn read(get: impl Fn(&str) -> Option<String>) -> Result<Credentials, CredentialsError> {
        let nonempty = |name: &str| get(name).filter(|v| !v.trim().is_empty());
        let id = nonempty(ACCESS_KEY_ID);
        let secret = nonempty(ACCESS_KEY_SECRET);
        match (id, secret) {
            (Some(id), Some(secret)) => {
                let mut c = Credentials::new(id, secret);
                if let Some(token) = nonempty(SECURITY_TOKEN) {
                    c = c.with_security_token(token);
                }
                Ok(c)
            }
            (None, _) => Err(CredentialsError::new(format!(
                "environment: {ACCESS_KEY_ID} is not set"
            ))),
            (Some(_), None) => Err(CredentialsError::new(format!(
                "environment: {ACCESS_KEY_ID} is set but {ACCESS_KEY_SECRET} is not"
            ))),
        }
    }
}

impl ProvideCredentials for EnvironmentProvider {
    fn credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move { Self::read(|k| self.env.var(k)) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn read(vars: &[(&str, &str)]) -> Result<Credentials, CredentialsError> {
        let m: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        EnvironmentProvider::read(|k| m.get(k).cloned())
    }

    #[test]
    fn reads_the_pair_and_the_token() {
        let c = read(&[
            (ACCESS_KEY_ID, "id"),
            (ACCESS_KEY_SECRET, "secret"),
            (SECURITY_TOKEN, "tok"),
        ])
        .unwrap();
        assert_eq!(c.access_key_id, "id");
        assert_eq!(c.access_key_secret.expose(), "secret");
        assert_eq!(c.security_token.unwrap().expose(), "tok");
    }

    #[test]
    fn says_what_is_missing() {
        let e = read(&[(ACCESS_KEY_ID, "id")]).unwrap_err();
        assert!(e.message.contains(ACCESS_KEY_SECRET), "{e}");
        let e = read(&[]).unwrap_err();
        assert!(e.message.contains(ACCESS_KEY_ID), "{e}");
    }
}
