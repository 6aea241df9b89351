//! What providers read from the outside world, injectable so that every provider can be tested
//! against a fake environment, a temporary home directory and loopback services.

use crate::error::TransportError;
use crate::transport::{ReqwestTransport, Timeouts, Transport};
use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use crate::error::CredentialsError;

/// A source of environment variables.
pub trait Env: Send + Sync + fmt::Debug {
    /// The value of `name`, if set.
    fn var(&self, name: &str) -> Option<String>;
}

/// The process environment.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProcessEnv;

impl Env for ProcessEnv {
    fn var(&self, name: &str) -> Option<String> {
        std::env::var(name).ok()
    }
}

/// A fixed set of variables (for tests, or to isolate a client from the process environment).
/// `Debug` shows the names only, never the values.
#[derive(Clone, Default)]
pub struct MapEnv(BTreeMap<String, String>);

impl MapEnv {
    /// No variables.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds (or replaces) `name`.
    #[must_use]
    pub fn with(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.0.insert(name.into(), value.into());
        self
    }

    /// Adds (or replaces) `name` in place.
    pub fn set(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.0.insert(name.into(), value.into());
    }
}

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for MapEnv {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        Self(
            iter.into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )
    }
}

impl fmt::Debug for MapEnv {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("MapEnv")
            .field(&self.0.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl Env for MapEnv {
    fn var(&self, name: &str) -> Option<String> {
        self.0.get(name).cloned()
    }
}

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

    pub(crate) fn http(&self, timeouts: Timeouts) -> HttpSlot {
        HttpSlot {
            injected: self.transport.clone(),
            timeouts,
            built: OnceLock::new(),
        }
    }
}

/// `name` from `env`, trimmed, when set and not blank.
pub(crate) fn nonempty(env: &dyn Env, name: &str) -> Option<String> {
    env.var(name)
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
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
    timeouts: Timeouts,
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
            ReqwestTransport::new(self.timeouts)
                .map_err(|e: TransportError| CredentialsError::new(e.to_string()))?,
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
