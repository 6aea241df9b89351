//! Credentials served over HTTP at `ALIBABA_CLOUD_CREDENTIALS_URI` (a sidecar or a local agent).

use super::cache::CredentialsCache;
use super::context::{HttpSlot, ProviderContext, STS_TIMEOUTS};
use super::http::{headers, json_answer, send, temporary_credentials};
use super::provider::{Credentials, ProvideCredentials};
use crate::error::CredentialsError;
use crate::transport::BoxFuture;
use crate::transport::HttpRequest;
use serde_json::Value;
use std::fmt;

/// The URI to `GET`.
pub const CREDENTIALS_URI: &str = "ALIBABA_CLOUD_CREDENTIALS_URI";

const WHAT: &str = "credentials URI";

/// `GET`s the URI, which answers `{"Code":"Success","AccessKeyId","AccessKeySecret",
/// "SecurityToken","Expiration"}`; cached and refreshed 3 minutes before expiry. Errors show the
/// URI without its query string; so does `Debug`.
pub struct CredentialsUriProvider {
    ctx: ProviderContext,
    uri: Option<String>,
    http: HttpSlot,
    cache: CredentialsCache,
}

impl fmt::Debug for CredentialsUriProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialsUriProvider")
            .field("ctx", &self.ctx)
            .field(
                "uri",
                &self
                    .uri
                    .as_deref()
                    .map(|u| u.split('?').next().unwrap_or_default()),
            )
            .field("cache", &self.cache)
            .finish_non_exhaustive()
    }
}

impl CredentialsUriProvider {
    /// A provider reading `ALIBABA_CLOUD_CREDENTIALS_URI` from the environment of `ctx`.
    pub fn new(ctx: ProviderContext) -> Self {
        Self {
            http: ctx.http(STS_TIMEOUTS),
            ctx,
            uri: None,
            cache: CredentialsCache::new(),
        }
    }

    /// Uses `uri` instead of the environment variable.
    #[must_use]
    pub fn with_uri(mut self, uri: impl Into<String>) -> Self {
        self.uri = Some(uri.into().trim().to_owned());
        self
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let uri = self
            .uri
            .clone()
            .or_else(|| self.ctx.var(CREDENTIALS_URI))
            .ok_or_else(|| {
                CredentialsError::new(format!("{WHAT}: {CREDENTIALS_URI} is not set"))
            })?;
        if !(uri.starts_with("http://") || uri.starts_with("https://")) {
            return Err(CredentialsError::new(format!(
                "{WHAT}: {CREDENTIALS_URI} must be an http:// or https:// URL"
            )));
        }
        let request = HttpRequest {
            method: http::Method::GET,
            url: uri,
            headers: headers(&[("accept", "application/json")], WHAT)?,
            body: Vec::new(),
        };
        let transport = self.http.get()?;
        let response = send(transport.as_ref(), request, WHAT).await?;
        let json = json_answer(&response, WHAT)?;
        match json.get("Code").and_then(Value::as_str) {
            None | Some("Success") => temporary_credentials(&json, WHAT),
            Some(code) => Err(CredentialsError::new(format!(
                "{WHAT}: Code is {code}, not Success"
            ))),
        }
    }
}

impl ProvideCredentials for CredentialsUriProvider {
    fn credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.cache.get_or_refresh(|| self.fetch()))
    }
}
