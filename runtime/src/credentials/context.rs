//! What providers read from the outside world, injectable so that every provider can be tested
//! against a fake environment, a temporary home directory and loopback services.

use crate::transport::{ReqwestTransport, Timeouts, Transport};
use crate::transport_options::TransportOptions;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

pub(crate) use crate::env::nonempty;
pub use crate::env::{Env, MapEnv, ProcessEnv};
use crate::error::CredentialsError;

/// The ECS metadata service of every instance.
pub const DEFAULT_METADATA_ENDPOINT: &str = "http://100.100.100.200";
/// The global STS endpoint.
pub const DEFAULT_STS_HOST: &str = "sts.aliyuncs.com";

/// Everything a provider reads from outside: the environment (which also gives `HOME`), the
/// HTTP transport, and the STS and metadata service addresses. Cheap to clone.
#[derive(Clone, Debug)]
pub struct ProviderContext {
    env: Arc<dyn Env>,
    transport: Option<Arc<dyn Transport>>,
    transport_options: Option<TransportOptions>,
    sts_endpoint: Option<String>,
    metadata_endpoint: String,
}

impl Default for ProviderContext {
    fn default() -> Self {
        Self::new()
    }
}

impl ProviderContext {
    /// The process environment, the real services, and reqwest transports.
    pub fn new() -> Self {
        Self {
            env: Arc::new(ProcessEnv),
            transport: None,
            transport_options: None,
            sts_endpoint: None,
            metadata_endpoint: DEFAULT_METADATA_ENDPOINT.to_owned(),
        }
    }

    /// Reads variables (and `HOME`) from `env` instead of the process environment.
    #[must_use]
    pub fn with_env(mut self, env: Arc<dyn Env>) -> Self {
        self.env = env;
        self
    }

    /// Sends providers' HTTP requests through `transport` (default: reqwest with 5 s / 10 s
    /// timeouts for STS and credentials URIs, 1 s / 1 s for the metadata service).
    #[must_use]
    pub fn with_transport(mut self, transport: Arc<dyn Transport>) -> Self {
        self.transport = Some(transport);
        self
    }

    /// TLS roots, proxy and body cap of the providers' default transports (their timeouts stay
    /// their own). A client built without explicit options here passes on its own.
    #[must_use]
    pub fn with_transport_options(mut self, options: TransportOptions) -> Self {
        self.transport_options = Some(options);
        self
    }

    /// The transport options set with [`with_transport_options`](Self::with_transport_options).
    pub fn transport_options(&self) -> Option<&TransportOptions> {
        self.transport_options.as_ref()
    }

    /// Sends STS calls to `endpoint` (`host`, `https://host[:port]` or loopback `http://`),
    /// overriding `sts.aliyuncs.com` and any STS region.
    #[must_use]
    pub fn with_sts_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.sts_endpoint = Some(endpoint.into());
        self
    }

    /// The base URL of the ECS metadata service (default `http://100.100.100.200`).
    #[must_use]
    pub fn with_metadata_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.metadata_endpoint = endpoint.into().trim_end_matches('/').to_owned();
        self
    }

    /// The environment.
    pub fn env(&self) -> &Arc<dyn Env> {
        &self.env
    }

    /// The variable `name`, trimmed; `None` when unset or blank.
    pub fn var(&self, name: &str) -> Option<String> {
        nonempty(self.env.as_ref(), name)
    }

    /// Whether `name` is `true` (case-insensitive).
    pub fn flag(&self, name: &str) -> bool {
        self.var(name)
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    }

    /// The home directory: `HOME`, else `USERPROFILE`.
    pub fn home(&self) -> Option<PathBuf> {
        home(self.env.as_ref())
    }

    /// The STS endpoint override, if any.
    pub fn sts_endpoint(&self) -> Option<&str> {
        self.sts_endpoint.as_deref()
    }

    /// The metadata service base URL.
    pub fn metadata_endpoint(&self) -> &str {
        &self.metadata_endpoint
    }

    /// A provider's transport: the injected one, else a reqwest transport with the context's
    /// options, `timeouts`, and a deadline of `connect + 2 × read` per request.
    pub(crate) fn http(&self, timeouts: Timeouts) -> HttpSlot {
        self.slot(timeouts, false)
    }

    /// [`http`](Self::http) without any proxy: the metadata service is reached directly.
    pub(crate) fn http_direct(&self, timeouts: Timeouts) -> HttpSlot {
        self.slot(timeouts, true)
    }

    fn slot(&self, timeouts: Timeouts, direct: bool) -> HttpSlot {
        let mut options = self.transport_options.clone().unwrap_or_default();
        if direct {
            options.proxy = crate::transport_options::ProxyConfig::Disabled;
        }
        options.timeouts = timeouts;
        options.request_timeout = Some(timeouts.connect + timeouts.read * 2);
        HttpSlot {
            injected: self.transport.clone(),
            options,
            env: self.env.clone(),
            built: OnceLock::new(),
        }
    }
}

/// The home directory according to `env`.
pub(crate) fn home(env: &dyn Env) -> Option<PathBuf> {
    nonempty(env, "HOME")
        .or_else(|| nonempty(env, "USERPROFILE"))
        .map(PathBuf::from)
}

/// A provider's transport: the injected one, or a reqwest transport built on first use.
#[derive(Debug)]
pub(crate) struct HttpSlot {
    injected: Option<Arc<dyn Transport>>,
    options: TransportOptions,
    env: Arc<dyn Env>,
    built: OnceLock<Arc<dyn Transport>>,
}

impl HttpSlot {
    pub(crate) fn get(&self) -> Result<Arc<dyn Transport>, CredentialsError> {
        if let Some(t) = &self.injected {
            return Ok(t.clone());
        }
        if let Some(t) = self.built.get() {
            return Ok(t.clone());
        }
        let t: Arc<dyn Transport> = Arc::new(
            ReqwestTransport::with_env(&self.options, self.env.as_ref())
                .map_err(|e| CredentialsError::new(e.to_string()))?,
        );
        Ok(self.built.get_or_init(|| t).clone())
    }
}

/// Timeouts of STS and credentials-URI requests.
pub(crate) const STS_TIMEOUTS: Timeouts = Timeouts {
    connect: Duration::from_secs(5),
    read: Duration::from_secs(10),
};

/// Timeouts of metadata-service requests (short: off ECS the address does not answer).
pub(crate) const METADATA_TIMEOUTS: Timeouts = Timeouts {
    connect: Duration::from_secs(1),
    read: Duration::from_secs(1),
};
