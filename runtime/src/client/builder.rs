//! Configuring a client: endpoint, credentials, transport, timeouts, retries, signature.

use super::call::CredentialSource;
use super::call::{Client, Inner};
use crate::credentials::{self, Credentials, Env, ProviderContext, SharedProvider};
use crate::endpoint::{Endpoint, Product};
use crate::error::{Error, RequestError};
use crate::retry::RetryPolicy;
use crate::transport::{ReqwestTransport, Transport};
use crate::transport_options::{ProxyConfig, TlsBackend, TlsRoots, TransportOptions};
use crate::wire::{
    check_header_value, host_header, user_agent, user_agent_header, SignatureVersion,
};
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

/// The default deadline of each attempt: 60 s.
pub const DEFAULT_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(60);

/// Environment variable naming the default region.
pub const REGION_ENV: &str = "ALIBABA_CLOUD_REGION_ID";

/// Builds a client. `C` is the generated client type that wraps [`Client`].
#[derive(Debug)]
#[must_use]
pub struct ClientBuilder<C = Client> {
    product: &'static Product,
    endpoint: Option<String>,
    region: Option<String>,
    credentials: Option<CredentialSource>,
    transport: Option<Arc<dyn Transport>>,
    pub(crate) transport_options: TransportOptions,
    timeout: Option<Duration>,
    attempt_timeout: Option<Duration>,
    retry: RetryPolicy,
    signature: SignatureVersion,
    context: Option<ProviderContext>,
    user_agent_suffix: Option<String>,
    _client: PhantomData<fn() -> C>,
}

impl<C: From<Client>> ClientBuilder<C> {
    /// A builder for `product`'s client.
    pub fn new(product: &'static Product) -> Self {
        Self {
            product,
            endpoint: None,
            region: None,
            credentials: None,
            transport: None,
            transport_options: TransportOptions::default(),
            timeout: None,
            attempt_timeout: Some(DEFAULT_ATTEMPT_TIMEOUT),
            retry: RetryPolicy::default(),
            signature: SignatureVersion::V3,
            context: None,
            user_agent_suffix: None,
            _client: PhantomData,
        }
    }

    /// Sends every call to `endpoint` (`host`, `https://host[:port]`, or `http://` for
    /// loopback), overriding the region's endpoint.
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// The region whose endpoint the product's table gives (else `ALIBABA_CLOUD_REGION_ID`,
    /// else the `region_id` of the CLI profile in `~/.aliyun/config.json`).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Fixed credentials.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(CredentialSource::Fixed(credentials));
        self
    }

    /// A credentials provider (default: [`credentials::default_provider`], the chain of the
    /// official libraries).
    pub fn credentials_provider(mut self, provider: SharedProvider) -> Self {
        self.credentials = Some(CredentialSource::Provider(provider));
        self
    }

    /// A transport other than the default reqwest one (for tests, or a tuned HTTP client).
    pub fn transport(mut self, transport: Arc<dyn Transport>) -> Self {
        self.transport = Some(transport);
        self
    }

    /// Connect timeout of the default transport (default 5 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.transport_options.timeouts.connect = timeout;
        self
    }

    /// Read timeout of the default transport (default 10 s).
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.transport_options.timeouts.read = timeout;
        self
    }

    /// Overall deadline of each call, retries and waits included (none by default).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Deadline of each attempt of a call (default [`DEFAULT_ATTEMPT_TIMEOUT`], 60 s): it bounds a
    /// server that trickles its answer, which the read timeout (between reads) does not.
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = Some(timeout);
        self
    }

    /// The retry policy (default [`RetryPolicy::default`]: 3 attempts, exponential backoff).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// How requests are signed (default [`SignatureVersion::V3`]).
    pub fn signature_version(mut self, version: SignatureVersion) -> Self {
        self.signature = version;
        self
    }

    /// Reads `ALIBABA_CLOUD_REGION_ID`, `HOME` and the default chain's variables from `env`
    /// instead of the process environment.
    pub fn env(mut self, env: Arc<dyn Env>) -> Self {
        self.context = Some(self.context.take().unwrap_or_default().with_env(env));
        self
    }

    /// The environment, transport and service addresses the region lookup and the default
    /// credentials chain use (default: [`ProviderContext::new`]).
    pub fn provider_context(mut self, context: ProviderContext) -> Self {
        self.context = Some(context);
        self
    }

    /// Text appended to the user agent.
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    /// Builds the client; fails when no endpoint can be determined or the transport cannot start.
    ///
    /// The endpoint is the explicit one, else the product's endpoint for the region: the
    /// builder's, else `ALIBABA_CLOUD_REGION_ID`, else the CLI profile's `region_id`.
    pub fn build(self) -> Result<C, Error> {
        let context = self.context.unwrap_or_default();
        let context = inherit(context, &self.transport_options);
        let endpoint = match (&self.endpoint, &self.region) {
            (Some(e), _) => Endpoint::parse(e),
            (None, Some(r)) => self.product.endpoint_for(r),
            (None, None) => match context
                .var(REGION_ENV)
                .or_else(|| credentials::cli_profile_region(&context))
            {
                Some(r) => self.product.endpoint_for(&r),
                None => Err(RequestError(format!(
                    "no endpoint: set one with .endpoint(..), or a region with .region(..), \
                     {REGION_ENV} or the region_id of the CLI profile in ~/.aliyun/config.json"
                ))),
            },
        }
        .map_err(Error::Request)?;
        let transport: Arc<dyn Transport> = match self.transport {
            Some(t) => t,
            None => Arc::new(
                ReqwestTransport::with_env(&self.transport_options, context.env().as_ref())
                    .map_err(Error::Request)?,
            ),
        };
        let mut user_agent = user_agent(self.product.code, self.product.version);
        if let Some(s) = self.user_agent_suffix.as_deref().map(str::trim) {
            check_header_value("user-agent", s).map_err(|e| Error::Request(RequestError(e)))?;
            if !s.is_empty() {
                user_agent.push(' ');
                user_agent.push_str(s);
            }
        }
        let request_error = |e: String| Error::Request(RequestError(e));
        let inner = Inner {
            product: self.product,
            base_url: endpoint.to_string(),
            host: host_header(endpoint.authority()).map_err(request_error)?,
            user_agent_header: user_agent_header(&user_agent).map_err(request_error)?,
            endpoint,
            credentials: self.credentials.unwrap_or_else(|| {
                CredentialSource::Provider(credentials::default_provider_with(context))
            }),
            transport,
            timeout: self.timeout,
            attempt_timeout: self.attempt_timeout,
            retry: self.retry,
            signature: self.signature,
            user_agent,
        };
        Ok(C::from(Client::from_inner(inner)))
    }
}

/// Transport settings of [`ClientBuilder`]: they apply to the default transport and, unless
/// the provider context has its own, to the default credentials chain's.
impl<C> ClientBuilder<C> {
    /// Every transport option at once (replaces the connect and read timeouts too).
    pub fn transport_options(mut self, options: TransportOptions) -> Self {
        self.transport_options = options;
        self
    }

    /// Trusted certificate authorities (default [`TlsRoots::Builtin`]).
    pub fn tls_roots(mut self, roots: TlsRoots) -> Self {
        self.transport_options.tls_roots = roots;
        self
    }

    /// TLS implementation (default [`TlsBackend::Rustls`]).
    pub fn tls_backend(mut self, backend: TlsBackend) -> Self {
        self.transport_options.tls_backend = backend;
        self
    }

    /// Proxy selection (default [`ProxyConfig::Environment`], read from the client's [`Env`]).
    pub fn proxy(mut self, proxy: ProxyConfig) -> Self {
        self.transport_options.proxy = proxy;
        self
    }

    /// The largest response body accepted (default [`DEFAULT_MAX_BODY_SIZE`](crate::transport_options::DEFAULT_MAX_BODY_SIZE), 32 MiB).
    pub fn max_body_size(mut self, bytes: usize) -> Self {
        self.transport_options.max_body_size = bytes;
        self
    }
}

/// `context` with `options` for its providers' transports, unless it has options of its own.
fn inherit(context: ProviderContext, options: &TransportOptions) -> ProviderContext {
    if context.transport_options().is_some() {
        context
    } else {
        context.with_transport_options(options.clone())
    }
}
