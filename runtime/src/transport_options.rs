//! Options of the default HTTP transport: timeouts, trust roots, TLS backend, proxies and the
//! response body cap. The types are the runtime's own, so that no reqwest type is part of the
//! public API and reqwest can be upgraded without breaking users.

use crate::env::Env;
use crate::error::RequestError;
use std::fmt;
use std::time::Duration;

/// Connect and read timeouts of the default transport.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// Time allowed to establish a connection (default 5 s, like the official SDKs).
    pub connect: Duration,
    /// Time allowed between reads of the answer (default 10 s, like the official SDKs).
    pub read: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            connect: Duration::from_secs(5),
            read: Duration::from_secs(10),
        }
    }
}

/// The default cap on a response body: 32 MiB. A larger answer is a transport error of kind
/// [`BodyTooLarge`](crate::error::TransportErrorKind::BodyTooLarge).
pub const DEFAULT_MAX_BODY_SIZE: usize = 32 * 1024 * 1024;

/// Which certificate authorities the default transport trusts. `Debug` shows a bundle's size,
/// not its content.
#[derive(Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum TlsRoots {
    /// Every root set compiled in: Mozilla's (feature `webpki-roots`, on by default) and the
    /// operating system's store (feature `native-roots`); with [`TlsBackend::NativeTls`], the
    /// operating system's store.
    #[default]
    Builtin,
    /// Mozilla's roots only (feature `webpki-roots`).
    WebPki,
    /// The operating system's trust store only (feature `native-roots`, or the `native-tls`
    /// backend).
    Native,
    /// Only the certificates of this PEM bundle (one or more `BEGIN CERTIFICATE` blocks), for
    /// a private CA or a TLS-inspecting proxy.
    PemBundle(Vec<u8>),
}

impl fmt::Debug for TlsRoots {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TlsRoots::Builtin => f.write_str("Builtin"),
            TlsRoots::WebPki => f.write_str("WebPki"),
            TlsRoots::Native => f.write_str("Native"),
            TlsRoots::PemBundle(pem) => write!(f, "PemBundle(<{} bytes>)", pem.len()),
        }
    }
}

/// The TLS implementation of the default transport.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum TlsBackend {
    /// rustls (always built in).
    #[default]
    Rustls,
    /// The operating system's TLS library (feature `native-tls`).
    NativeTls,
}

/// Where the default transport finds its proxy.
#[derive(Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProxyConfig {
    /// From the environment the client reads (its [`Env`]): `HTTPS_PROXY` / `https_proxy` for
    /// https endpoints, `http_proxy` / `HTTP_PROXY` for http ones (`HTTP_PROXY` ignored when
    /// `REQUEST_METHOD` is set, as in a CGI program), `ALL_PROXY` / `all_proxy` for both, and
    /// `NO_PROXY` / `no_proxy` (comma-separated hosts, domains, IPs or CIDRs) to go direct. The
    /// default.
    #[default]
    Environment,
    /// No proxy, whatever the environment says.
    Disabled,
    /// Every request through `url` (`http://[user:password@]host:port`), except those to the
    /// hosts of `no_proxy` (same syntax as `NO_PROXY`).
    Fixed {
        /// The proxy URL.
        url: String,
        /// Hosts reached directly.
        no_proxy: Option<String>,
    },
}

impl ProxyConfig {
    /// Every request through `url`.
    pub fn url(url: impl Into<String>) -> Self {
        ProxyConfig::Fixed {
            url: url.into(),
            no_proxy: None,
        }
    }

    /// Hosts reached directly (only for [`ProxyConfig::Fixed`]; ignored otherwise).
    #[must_use]
    pub fn with_no_proxy(self, hosts: impl Into<String>) -> Self {
        match self {
            ProxyConfig::Fixed { url, .. } => ProxyConfig::Fixed {
                url,
                no_proxy: Some(hosts.into()),
            },
            other => other,
        }
    }
}

impl fmt::Debug for ProxyConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProxyConfig::Environment => f.write_str("Environment"),
            ProxyConfig::Disabled => f.write_str("Disabled"),
            ProxyConfig::Fixed { url, no_proxy } => f
                .debug_struct("Fixed")
                .field("url", &without_user_info(url))
                .field("no_proxy", no_proxy)
                .finish(),
        }
    }
}

/// `url` with any `user:password@` replaced by `***@` (proxy URLs may carry a password).
fn without_user_info(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let authority_end = rest.find('/').unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}://***@{}", &rest[at + 1..]),
        None => url.to_owned(),
    }
}

/// Everything the default transport can be configured with.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TransportOptions {
    /// Connect and read timeouts.
    pub timeouts: Timeouts,
    /// A deadline for each request, from connecting to the end of the body (none by default:
    /// the client bounds each attempt itself).
    pub request_timeout: Option<Duration>,
    /// Trusted certificate authorities.
    pub tls_roots: TlsRoots,
    /// TLS implementation.
    pub tls_backend: TlsBackend,
    /// Proxy selection.
    pub proxy: ProxyConfig,
    /// The largest response body accepted, in bytes ([`DEFAULT_MAX_BODY_SIZE`]).
    pub max_body_size: usize,
}

impl Default for TransportOptions {
    fn default() -> Self {
        Self {
            timeouts: Timeouts::default(),
            request_timeout: None,
            tls_roots: TlsRoots::default(),
            tls_backend: TlsBackend::default(),
            proxy: ProxyConfig::default(),
            max_body_size: DEFAULT_MAX_BODY_SIZE,
        }
    }
}

impl TransportOptions {
    /// The defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the connect and read timeouts.
    #[must_use]
    pub fn with_timeouts(mut self, timeouts: Timeouts) -> Self {
        self.timeouts = timeouts;
        self
    }

    /// Sets a per-request deadline.
    #[must_use]
    pub fn with_request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = Some(timeout);
        self
    }

    /// Sets the trusted certificate authorities.
    #[must_use]
    pub fn with_tls_roots(mut self, roots: TlsRoots) -> Self {
        self.tls_roots = roots;
        self
    }

    /// Sets the TLS implementation.
    #[must_use]
    pub fn with_tls_backend(mut self, backend: TlsBackend) -> Self {
        self.tls_backend = backend;
        self
    }

    /// Sets the proxy selection.
    #[must_use]
    pub fn with_proxy(mut self, proxy: ProxyConfig) -> Self {
        self.proxy = proxy;
        self
    }

    /// Sets the response body cap.
    #[must_use]
    pub fn with_max_body_size(mut self, bytes: usize) -> Self {
        self.max_body_size = bytes;
        self
    }

    /// A reqwest client with these options. Redirects are never followed and no `Referer` is
    /// sent: a redirect would carry the signature and the security token to another origin.
    pub(crate) fn build_client(&self, env: &dyn Env) -> Result<reqwest::Client, RequestError> {
        let bad = |why: String| RequestError(format!("HTTP transport: {why}"));
        let mut builder = reqwest::Client::builder()
            .connect_timeout(self.timeouts.connect)
            .read_timeout(self.timeouts.read)
            .redirect(reqwest::redirect::Policy::none())
            .referer(false)
            .no_proxy();
        if let Some(t) = self.request_timeout {
            builder = builder.timeout(t);
        }
        builder = match self.tls_backend {
            TlsBackend::Rustls => builder.use_rustls_tls(),
            #[cfg(feature = "native-tls")]
            TlsBackend::NativeTls => builder.use_native_tls(),
            #[cfg(not(feature = "native-tls"))]
            TlsBackend::NativeTls => {
                return Err(bad(
                    "TlsBackend::NativeTls needs the runtime's `native-tls` feature".to_owned(),
                ))
            }
        };
        builder = self.roots(builder).map_err(bad)?;
        for proxy in self.proxies(env)? {
            builder = builder.proxy(proxy);
        }
        builder
            .build()
            .map_err(|e| bad(format!("building the HTTP client failed: {e}")))
    }

    fn roots(&self, builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder, String> {
        let native_tls = self.tls_backend == TlsBackend::NativeTls;
        match &self.tls_roots {
            TlsRoots::Builtin => Ok(builder),
            TlsRoots::WebPki if native_tls => {
                Err("TlsRoots::WebPki needs the rustls backend".to_owned())
            }
            #[cfg(feature = "webpki-roots")]
            TlsRoots::WebPki => Ok(only_webpki(builder)),
            #[cfg(not(feature = "webpki-roots"))]
            TlsRoots::WebPki => Err("TlsRoots::WebPki needs the runtime's `webpki-roots` feature".to_owned()),
            TlsRoots::Native if native_tls => Ok(builder),
            #[cfg(feature = "native-roots")]
            TlsRoots::Native => Ok(only_native(builder)),
            #[cfg(not(feature = "native-roots"))]
            TlsRoots::Native => Err(
                "TlsRoots::Native needs the runtime's `native-roots` feature (or the `native-tls` backend)"
                    .to_owned(),
            ),
            TlsRoots::PemBundle(pem) => {
                let certs = reqwest::Certificate::from_pem_bundle(pem)
                    .map_err(|e| format!("the CA bundle is not valid PEM: {e}"))?;
                if certs.is_empty() {
                    return Err("the CA bundle holds no certificate".to_owned());
                }
                Ok(certs
                    .into_iter()
                    .fold(builder.tls_built_in_root_certs(false), |b, c| {
                        b.add_root_certificate(c)
                    }))
            }
        }
    }

    /// The proxies to install (none: direct). Errors name the variable, never its value (a
    /// proxy URL can hold a password).
    fn proxies(&self, env: &dyn Env) -> Result<Vec<reqwest::Proxy>, RequestError> {
        let bad = |source: &str, e: reqwest::Error| {
            RequestError(format!(
                "HTTP transport: the proxy URL of {source} is invalid: {}",
                e.without_url()
            ))
        };
        match &self.proxy {
            ProxyConfig::Disabled => Ok(Vec::new()),
            ProxyConfig::Fixed { url, no_proxy } => {
                let p =
                    reqwest::Proxy::all(url.as_str()).map_err(|e| bad("ProxyConfig::Fixed", e))?;
                Ok(vec![p.no_proxy(
                    no_proxy.as_deref().and_then(reqwest::NoProxy::from_string),
                )])
            }
            ProxyConfig::Environment => {
                let var = |names: &[&'static str]| {
                    names
                        .iter()
                        .find_map(|n| crate::env::nonempty(env, n).map(|v| (*n, v)))
                };
                let no_proxy = var(&["NO_PROXY", "no_proxy"]).map(|(_, v)| v);
                let no_proxy = || no_proxy.as_deref().and_then(reqwest::NoProxy::from_string);
                let mut out = Vec::new();
                if let Some((name, url)) = var(&["HTTPS_PROXY", "https_proxy"]) {
                    out.push(
                        reqwest::Proxy::https(url)
                            .map_err(|e| bad(name, e))?
                            .no_proxy(no_proxy()),
                    );
                }
                // In a CGI program `HTTP_PROXY` can come from a request's `Proxy:` header
                // ("httpoxy"): only the lowercase name counts there, as in curl and reqwest.
                let cgi = crate::env::nonempty(env, "REQUEST_METHOD").is_some();
                let http_names: &[&'static str] = if cgi {
                    &["http_proxy"]
                } else {
                    &["http_proxy", "HTTP_PROXY"]
                };
                if let Some((name, url)) = var(http_names) {
                    out.push(
                        reqwest::Proxy::http(url)
                            .map_err(|e| bad(name, e))?
                            .no_proxy(no_proxy()),
                    );
                }
                if let Some((name, url)) = var(&["ALL_PROXY", "all_proxy"]) {
                    out.push(
                        reqwest::Proxy::all(url)
                            .map_err(|e| bad(name, e))?
                            .no_proxy(no_proxy()),
                    );
                }
                Ok(out)
            }
        }
    }
}

#[cfg(feature = "webpki-roots")]
fn only_webpki(builder: reqwest::ClientBuilder) -> reqwest::ClientBuilder {
    let builder = builder.tls_built_in_webpki_certs(true);
    #[cfg(feature = "native-roots")]
    let builder = builder.tls_built_in_native_certs(false);
    builder
}

#[cfg(feature = "native-roots")]
fn only_native(builder: reqwest::ClientBuilder) -> reqwest::ClientBuilder {
    let builder = builder.tls_built_in_native_certs(true);
    #[cfg(feature = "webpki-roots")]
    let builder = builder.tls_built_in_webpki_certs(false);
    builder
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::env::MapEnv;

    #[test]
    fn proxy_debug_hides_the_password() {
        let p = ProxyConfig::url("http://user:hunter2@proxy.internal:3128").with_no_proxy("a,b");
        let shown = format!("{p:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("proxy.internal:3128"), "{shown}");
    }

    #[test]
    fn invalid_options_are_build_errors_that_name_the_source_only() {
        let env = MapEnv::new().with("HTTPS_PROXY", "http://u:hunter2@[bad");
        let e = TransportOptions::new().build_client(&env).unwrap_err();
        assert!(e.0.contains("HTTPS_PROXY"), "{e}");
        assert!(!e.0.contains("hunter2"), "{e}");
        let opts = TransportOptions::new().with_tls_roots(TlsRoots::PemBundle(b"not pem".to_vec()));
        let e = opts.build_client(&MapEnv::new()).unwrap_err();
        assert!(e.0.contains("CA bundle"), "{e}");
        assert!(TransportOptions::new().build_client(&MapEnv::new()).is_ok());
    }
}
