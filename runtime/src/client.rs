//! The client core shared by every generated crate: configuration, signing and sending a call,
//! and turning the answer into a typed result.

use crate::credentials::{self, Credentials, Env, ProviderContext, SharedProvider};
use crate::endpoint::{Endpoint, Product};
use crate::error::{
    Error, ErrorCode, RequestError, ResponseError, ServiceError, TransportError, TransportErrorKind,
};
use crate::json::FromJson;
use crate::params::Params;
use crate::percent;
use crate::retry::RetryPolicy;
use crate::signer;
use crate::transport::{HttpRequest, HttpResponse, ReqwestTransport, Transport, TypedRequest};
use crate::transport_options::TransportOptions;
use serde_json::Value;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tracing::field::Empty;
use tracing::Instrument as _;

/// One API operation: generated for each action of a product. Requests are plain owned values
/// (so that paginators and typed test doubles can keep copies).
pub trait Operation: Clone + Send + Sync + 'static {
    /// The action name, sent as `x-acs-action`.
    const ACTION: &'static str;
    /// The HTTP method the operation is called with.
    const METHOD: Method;
    /// Whether the operation is anonymous: sent without credentials or signature.
    const ANONYMOUS: bool = false;
    /// The decoded success answer.
    type Output: FromJson;
    /// The documented error codes.
    type ErrorCode: ErrorCode;
    /// Writes the request's parameters.
    fn write_params(&self, params: &mut Params);
}

/// The HTTP methods RPC operations use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
}

impl Method {
    fn as_http(self) -> http::Method {
        match self {
            Method::Get => http::Method::GET,
            Method::Post => http::Method::POST,
        }
    }
}

/// The default deadline of each attempt: 60 s.
pub const DEFAULT_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(60);

/// Environment variable naming the default region.
pub const REGION_ENV: &str = "ALIBABA_CLOUD_REGION_ID";

/// How requests are signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SignatureVersion {
    /// Signature V3 (`ACS3-HMAC-SHA256`) in headers: the default.
    #[default]
    V3,
    /// The legacy RPC signature (HMAC-SHA1, `SignatureVersion=1.0`): common parameters
    /// (`Action`, `Version`, `Format=JSON`, `AccessKeyId`, `SignatureMethod`,
    /// `SignatureVersion`, `SignatureNonce`, `Timestamp`, `SecurityToken` with STS credentials,
    /// `Signature`) travel in the query string.
    V1,
}

/// Per-call settings that override the client's.
///
/// There is no per-call read timeout: the read timeout belongs to the connection pool of the
/// transport. Bound a call with [`timeout`](Self::timeout) (overall, retries and waits
/// included) and each attempt with [`attempt_timeout`](Self::attempt_timeout).
#[derive(Debug, Clone, Default)]
pub struct CallOptions {
    /// Overall deadline of this call, retries and waits included.
    pub timeout: Option<Duration>,
    /// Deadline of each attempt.
    pub attempt_timeout: Option<Duration>,
    /// The retry policy of this call.
    pub retry: Option<RetryPolicy>,
}

impl CallOptions {
    /// The client's settings.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the overall deadline.
    #[must_use]
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sets the deadline of each attempt.
    #[must_use]
    pub fn with_attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = Some(timeout);
        self
    }

    /// Sets the retry policy.
    #[must_use]
    pub fn with_retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }
}

/// Builds a client. `C` is the generated client type that wraps [`Client`].
#[derive(Debug)]
#[must_use]
pub struct ClientBuilder<C = Client> {
    product: &'static Product,
    endpoint: Option<String>,
    region: Option<String>,
    credentials: Option<SharedProvider>,
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
        self.credentials = Some(Arc::new(credentials::StaticProvider::new(credentials)));
        self
    }

    /// A credentials provider (default: [`credentials::default_provider`], the chain of the
    /// official libraries).
    pub fn credentials_provider(mut self, provider: SharedProvider) -> Self {
        self.credentials = Some(provider);
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
        let context = crate::transport_options::inherit(context, &self.transport_options);
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
        let mut user_agent = format!(
            "alibabacloud-rust-runtime/{} {}/{}",
            env!("CARGO_PKG_VERSION"),
            self.product.code,
            self.product.version
        );
        if let Some(s) = self.user_agent_suffix.as_deref().map(str::trim) {
            crate::header_check::check_value("user-agent", s).map_err(Error::Request)?;
            if !s.is_empty() {
                user_agent.push(' ');
                user_agent.push_str(s);
            }
        }
        let inner = Inner {
            product: self.product,
            endpoint,
            credentials: self
                .credentials
                .unwrap_or_else(|| credentials::default_provider_with(context)),
            transport,
            timeout: self.timeout,
            attempt_timeout: self.attempt_timeout,
            retry: self.retry,
            signature: self.signature,
            user_agent,
        };
        Ok(C::from(Client {
            inner: Arc::new(inner),
        }))
    }
}

/// A configured client for one product; cheap to clone (shared connection pool).
#[derive(Debug, Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    product: &'static Product,
    endpoint: Endpoint,
    credentials: SharedProvider,
    transport: Arc<dyn Transport>,
    timeout: Option<Duration>,
    attempt_timeout: Option<Duration>,
    retry: RetryPolicy,
    signature: SignatureVersion,
    user_agent: String,
}

/// A successful answer before typed decoding.
struct RawAnswer {
    status: u16,
    request_id: Option<String>,
    body: bytes::Bytes,
    json: Value,
}

impl Client {
    /// The endpoint calls go to.
    pub fn endpoint(&self) -> &Endpoint {
        &self.inner.endpoint
    }

    /// The product this client calls.
    pub fn product(&self) -> &'static Product {
        self.inner.product
    }

    /// The user agent sent with every call.
    pub fn user_agent(&self) -> &str {
        &self.inner.user_agent
    }

    /// Calls operation `O` with `request`.
    pub async fn call<O: Operation>(&self, request: &O) -> Result<O::Output, Error<O::ErrorCode>> {
        self.call_with(request, &CallOptions::default()).await
    }

    /// Calls operation `O` with `request` and per-call `options`.
    pub async fn call_with<O: Operation>(
        &self,
        request: &O,
        options: &CallOptions,
    ) -> Result<O::Output, Error<O::ErrorCode>> {
        let mut params = Params::new();
        request.write_params(&mut params);
        // Only test doubles see typed requests; nothing is copied otherwise.
        let typed = self
            .inner
            .transport
            .wants_typed()
            .then(|| TypedRequest::new(O::ACTION, request.clone()));
        let raw = self
            .call_raw(
                CallSpec {
                    action: O::ACTION,
                    method: O::METHOD,
                    anonymous: O::ANONYMOUS,
                    typed: typed.as_ref(),
                },
                params,
                options,
            )
            .await
            .map_err(Error::map_kind)?;
        O::Output::from_json(raw.json).map_err(|value| {
            Error::Response(ResponseError {
                status: raw.status,
                request_id: raw.request_id,
                reason: format!(
                    "expected a JSON object for {}, got {}",
                    O::ACTION,
                    json_kind(&value)
                ),
                body: crate::limits::body_prefix(&raw.body),
                body_len: raw.body.len(),
            })
        })
    }

    /// Signs and sends one call, retrying as the policy allows; everything here is the same
    /// for every operation, so it is compiled once rather than per operation.
    ///
    /// Each call runs in a `tracing` span `alibabacloud_call` with the fields `product`,
    /// `action`, `attempt` (attempts made), `status`, `request_id`, `error_code` and
    /// `duration_ms`; no secret is ever recorded.
    async fn call_raw(
        &self,
        spec: CallSpec<'_>,
        params: Params,
        options: &CallOptions,
    ) -> Result<RawAnswer, Error> {
        let action = spec.action;
        let span = tracing::info_span!(
            "alibabacloud_call",
            product = self.inner.product.code,
            action,
            attempt = Empty,
            status = Empty,
            request_id = Empty,
            error_code = Empty,
            duration_ms = Empty,
        );
        let started = Instant::now();
        let result = self
            .retry_loop(spec, &params, options, &span, started)
            .instrument(span.clone())
            .await;
        match &result {
            Ok(raw) => {
                span.record("status", raw.status);
                if let Some(id) = &raw.request_id {
                    span.record("request_id", id.as_str());
                }
            }
            Err(e) => {
                if let Some(status) = e.status() {
                    span.record("status", status);
                }
                if let Some(id) = e.request_id() {
                    span.record("request_id", id);
                }
                if let Some(code) = e.code() {
                    span.record("error_code", code);
                }
            }
        }
        span.record("duration_ms", started.elapsed().as_millis() as u64);
        result
    }

    async fn retry_loop(
        &self,
        spec: CallSpec<'_>,
        params: &Params,
        options: &CallOptions,
        span: &tracing::Span,
        started: Instant,
    ) -> Result<RawAnswer, Error> {
        let policy = options.retry.as_ref().unwrap_or(&self.inner.retry);
        let overall = options.timeout.or(self.inner.timeout);
        let deadline = overall.map(|d| started + d);
        let per_attempt = options.attempt_timeout.or(self.inner.attempt_timeout);
        let action = spec.action;
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            span.record("attempt", attempt);
            let remaining = deadline.map(|d| d.saturating_duration_since(Instant::now()));
            let limit = match (remaining, per_attempt) {
                (Some(r), Some(a)) if a < r => Some((a, false)),
                (Some(r), _) => Some((r, true)),
                (None, Some(a)) => Some((a, false)),
                (None, None) => None,
            };
            let result = match limit {
                Some((d, is_overall)) => {
                    match tokio::time::timeout(d, self.attempt(spec, params)).await {
                        Ok(r) => r,
                        Err(_) if is_overall => {
                            let total = overall.unwrap_or(d);
                            return Err(timeout_error(format!(
                                "{action} did not complete within {total:?}"
                            )));
                        }
                        Err(_) => Err(timeout_error(format!(
                            "{action} attempt {attempt} did not complete within {d:?}"
                        ))),
                    }
                }
                None => self.attempt(spec, params).await,
            };
            let error = match result {
                Ok(raw) => return Ok(raw),
                Err(e) => e,
            };
            if attempt >= policy.max_attempts() || !policy.is_retryable(&error) {
                return Err(error);
            }
            let Some(delay) = policy.delay(attempt, &error) else {
                tracing::debug!(attempt, error = %error, "not retrying: the server asked for a longer wait than the policy's max_delay");
                return Err(error);
            };
            if deadline.is_some_and(|d| Instant::now() + delay >= d) {
                tracing::debug!(attempt, error = %error, "not retrying: the wait would pass the deadline");
                return Err(error);
            }
            tracing::debug!(
                attempt,
                delay_ms = delay.as_millis() as u64,
                error = %error,
                "attempt failed; retrying"
            );
            tokio::time::sleep(delay).await;
        }
    }

    /// One attempt: fresh credentials, a fresh signature (new nonce and date), one request.
    /// Anonymous operations ask for no credentials and are sent unsigned.
    async fn attempt(&self, spec: CallSpec<'_>, params: &Params) -> Result<RawAnswer, Error> {
        let credentials = if spec.anonymous {
            None
        } else {
            Some(
                self.inner
                    .credentials
                    .credentials()
                    .await
                    .map_err(Error::Credentials)?,
            )
        };
        let request = build_request(
            &self.inner,
            spec.action,
            spec.method,
            params,
            credentials.as_ref(),
            &SignContext::now(),
        );
        // A value with CR, LF or NUL (a key id, token or header parameter) is refused here,
        // before anything is sent.
        crate::header_check::check(&request).map_err(Error::Request)?;
        let response = match spec.typed {
            Some(typed) => self.inner.transport.send_typed(request, typed),
            None => self.inner.transport.send(request),
        }
        .await
        .map_err(Error::Transport)?;
        interpret(response)
    }
}

/// What the untyped core needs to know about an operation.
#[derive(Debug, Clone, Copy)]
struct CallSpec<'a> {
    action: &'static str,
    method: Method,
    anonymous: bool,
    typed: Option<&'a TypedRequest>,
}

fn timeout_error(message: String) -> Error {
    Error::Transport(TransportError::new(TransportErrorKind::Timeout, message))
}

/// The per-attempt values of a signature: time and nonce.
#[derive(Debug, Clone)]
pub(crate) struct SignContext {
    pub(crate) date: String,
    pub(crate) nonce: String,
}

impl SignContext {
    pub(crate) fn now() -> Self {
        Self {
            date: now_iso8601(),
            nonce: nonce(),
        }
    }
}

fn build_request(
    inner: &Inner,
    action: &str,
    method: Method,
    params: &Params,
    credentials: Option<&Credentials>,
    ctx: &SignContext,
) -> HttpRequest {
    // A GET carries no body: its form parameters travel in the query, as the official SDKs
    // generate such operations (`ListHoneypotAlarmEvents`); a body would be dropped on the way.
    let merged;
    let params = if method == Method::Get && !params.form.is_empty() {
        let mut p = params.clone();
        let form = std::mem::take(&mut p.form);
        p.query.extend(form);
        merged = p;
        &merged
    } else {
        params
    };
    match inner.signature {
        SignatureVersion::V3 => build_request_v3(inner, action, method, params, credentials, ctx),
        SignatureVersion::V1 => build_request_v1(inner, action, method, params, credentials, ctx),
    }
}

/// Signature V3: everything but the business parameters in signed `x-acs-*` headers. Without
/// credentials (an anonymous operation) the same headers go out without `authorization`.
fn build_request_v3(
    inner: &Inner,
    action: &str,
    method: Method,
    params: &Params,
    credentials: Option<&Credentials>,
    ctx: &SignContext,
) -> HttpRequest {
    let query = percent::canonical_query(&params.query);
    let body = if params.form.is_empty() {
        Vec::new()
    } else {
        percent::canonical_query(&params.form).into_bytes()
    };
    let body_hash = signer::sha256_hex(&body);
    let mut headers: Vec<(&str, &str)> = vec![
        ("host", inner.endpoint.authority()),
        ("x-acs-action", action),
        ("x-acs-version", inner.product.version),
        ("x-acs-date", &ctx.date),
        ("x-acs-signature-nonce", &ctx.nonce),
        ("x-acs-content-sha256", &body_hash),
    ];
    if !body.is_empty() {
        headers.push(("content-type", "application/x-www-form-urlencoded"));
    }
    if let Some(token) = credentials.and_then(|c| c.security_token.as_ref()) {
        headers.push(("x-acs-security-token", token.expose()));
    }
    // Header parameters (`in: header`): `x-acs-*` ones are signed like ours, the rest are sent
    // unsigned. A parameter never replaces a header the client sets itself.
    let mut unsigned: Vec<(String, String)> = Vec::new();
    for (name, value) in &params.headers {
        let reserved = headers.iter().any(|(k, _)| k.eq_ignore_ascii_case(name))
            || ["authorization", "user-agent", "accept"]
                .iter()
                .any(|k| k.eq_ignore_ascii_case(name));
        if reserved {
            continue;
        }
        if name.to_ascii_lowercase().starts_with("x-acs-") {
            headers.push((name.as_str(), value.as_str()));
        } else {
            unsigned.push((name.clone(), value.clone()));
        }
    }
    let method_str = method.as_http();
    let mut out_headers: Vec<(String, String)> = headers
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    if let Some(credentials) = credentials {
        let signature = signer::sign_v3(
            &signer::V3Input {
                method: method_str.as_str(),
                path: "/",
                canonical_query: &query,
                headers: &headers,
                body_sha256: &body_hash,
            },
            credentials.access_key_secret.expose(),
        );
        out_headers.push((
            "authorization".to_owned(),
            signature.authorization(&credentials.access_key_id),
        ));
    }
    out_headers.push(("user-agent".to_owned(), inner.user_agent.clone()));
    out_headers.push(("accept".to_owned(), "application/json".to_owned()));
    out_headers.extend(unsigned);
    let mut url = format!("{}/", inner.endpoint);
    if !query.is_empty() {
        url.push('?');
        url.push_str(&query);
    }
    HttpRequest {
        method: method_str,
        url,
        headers: out_headers,
        body,
    }
}

/// The legacy signature: common parameters and the HMAC-SHA1 signature in the query string.
/// The signature covers the query and the form body. Without credentials (an anonymous
/// operation) only `Action`, `Version`, `Format`, `SignatureNonce` and `Timestamp` are added.
fn build_request_v1(
    inner: &Inner,
    action: &str,
    method: Method,
    params: &Params,
    credentials: Option<&Credentials>,
    ctx: &SignContext,
) -> HttpRequest {
    let method_http = method.as_http();
    let mut query = params.query.clone();
    for (k, v) in [
        ("Action", action),
        ("Version", inner.product.version),
        ("Format", "JSON"),
        ("SignatureNonce", ctx.nonce.as_str()),
        ("Timestamp", ctx.date.as_str()),
    ] {
        query.push((k.to_owned(), v.to_owned()));
    }
    if let Some(credentials) = credentials {
        for (k, v) in [
            ("AccessKeyId", credentials.access_key_id.as_str()),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureVersion", "1.0"),
        ] {
            query.push((k.to_owned(), v.to_owned()));
        }
        if let Some(token) = &credentials.security_token {
            query.push(("SecurityToken".to_owned(), token.expose().to_owned()));
        }
        let mut signed = query.clone();
        signed.extend(params.form.iter().cloned());
        let signature = signer::sign_v1(
            method_http.as_str(),
            &signed,
            credentials.access_key_secret.expose(),
        );
        query.push(("Signature".to_owned(), signature));
    }
    let mut headers = vec![
        ("host".to_owned(), inner.endpoint.authority().to_owned()),
        ("user-agent".to_owned(), inner.user_agent.clone()),
        ("accept".to_owned(), "application/json".to_owned()),
    ];
    let body = if params.form.is_empty() {
        Vec::new()
    } else {
        headers.push((
            "content-type".to_owned(),
            "application/x-www-form-urlencoded".to_owned(),
        ));
        percent::canonical_query(&params.form).into_bytes()
    };
    // Header parameters travel unsigned (the legacy signature covers parameters only).
    for (name, value) in &params.headers {
        if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case(name)) {
            headers.push((name.clone(), value.clone()));
        }
    }
    HttpRequest {
        method: method_http,
        url: format!("{}/?{}", inner.endpoint, percent::canonical_query(&query)),
        headers,
        body,
    }
}

/// Turns an HTTP answer into JSON or a typed error.
fn interpret(response: HttpResponse) -> Result<RawAnswer, Error> {
    let status = response.status;
    let header_request_id = response.header("x-acs-request-id").map(str::to_owned);
    if (300..400).contains(&status) {
        return Err(Error::Redirect(crate::error::RedirectError {
            status,
            location: response.header("location").map(str::to_owned),
            request_id: header_request_id,
        }));
    }
    let parsed: Result<Value, _> = serde_json::from_slice(&response.body);
    let body_text = || crate::limits::body_prefix(&response.body);
    let body_len = response.body.len();
    if (200..300).contains(&status) {
        return match parsed {
            Ok(json) => Ok(RawAnswer {
                status,
                request_id: header_request_id.or_else(|| string_field(&json, "RequestId")),
                body: response.body.clone(),
                json,
            }),
            Err(e) => Err(Error::Response(ResponseError {
                status,
                request_id: header_request_id,
                reason: if response.body.is_empty() {
                    "empty body".to_owned()
                } else {
                    format!("body is not JSON: {e}")
                },
                body: body_text(),
                body_len,
            })),
        };
    }
    let retry_after = response
        .header("x-acs-retry-after")
        .and_then(|v| v.trim().parse::<u64>().ok());
    match parsed {
        Ok(json) if string_field(&json, "Code").is_some() => {
            let code = string_field(&json, "Code").unwrap_or_default();
            Err(Error::Service(Box::new(ServiceError {
                kind: crate::error::AnyCode(code.clone()),
                status,
                code,
                message: string_field(&json, "Message"),
                request_id: string_field(&json, "RequestId").or(header_request_id),
                host_id: string_field(&json, "HostId"),
                recommend: string_field(&json, "Recommend"),
                access_denied_detail: json.get("AccessDeniedDetail").cloned(),
                retry_after,
                body: body_text(),
                body_len,
            })))
        }
        Ok(json) => Err(Error::Response(ResponseError {
            status,
            request_id: string_field(&json, "RequestId").or(header_request_id),
            reason: format!("HTTP {status} with a JSON body that has no error Code"),
            body: body_text(),
            body_len,
        })),
        Err(e) => Err(Error::Response(ResponseError {
            status,
            request_id: header_request_id,
            reason: if response.body.is_empty() {
                format!("HTTP {status} with an empty body")
            } else {
                format!("HTTP {status} with a body that is not JSON ({e})")
            },
            body: body_text(),
            body_len,
        })),
    }
}

fn string_field(json: &Value, key: &str) -> Option<String> {
    match json.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object that does not convert",
    }
}

/// The current UTC time as `YYYY-MM-DDTHH:MM:SSZ`.
pub(crate) fn now_iso8601() -> String {
    format_iso8601(time::OffsetDateTime::now_utc())
}

/// `t` in UTC as `YYYY-MM-DDTHH:MM:SSZ`.
pub(crate) fn format_iso8601(t: time::OffsetDateTime) -> String {
    const FORMAT: &[time::format_description::FormatItem<'static>] =
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    t.to_offset(time::UtcOffset::UTC)
        .format(FORMAT)
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".to_owned())
}

/// A fresh random nonce: 16 random bytes as hex.
pub(crate) fn nonce() -> String {
    let mut buf = [0u8; 16];
    if getrandom::fill(&mut buf).is_err() {
        // No OS randomness: fall back to time and a process-wide counter, still unique per attempt.
        use std::sync::atomic::{AtomicU64, Ordering};
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        buf[..8].copy_from_slice(&(t as u64).to_le_bytes());
        buf[8..].copy_from_slice(&COUNTER.fetch_add(1, Ordering::Relaxed).to_le_bytes());
    }
    hex::encode(buf)
}
