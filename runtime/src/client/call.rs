//! The orchestrator: one call, its retries, deadlines and tracing span, over the request path
//! of [`crate::wire`] and the transport.

use super::operation::{Method, Operation};
use crate::credentials::{Credentials, Secret, SharedProvider};
use crate::endpoint::{Endpoint, Product};
use crate::error::{Error, RequestError, ResponseError, TransportError, TransportErrorKind};
use crate::json::FromJson;
use crate::params::Params;
use crate::retry::RetryPolicy;
use crate::transport::{Transport, TypedRequest};
use crate::wire::{
    build_request, build_roa_request, expand_path, interpret, json_body, json_kind, Answer, Call,
    RoaBody, SignContext, SignatureVersion, SigningKey,
};
use http::HeaderValue;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tracing::field::Empty;
use tracing::Instrument as _;

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

/// A configured client for one product; cheap to clone (shared connection pool).
#[derive(Debug, Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

/// What a client holds; built by [`super::ClientBuilder`].
#[derive(Debug)]
pub(super) struct Inner {
    pub(super) product: &'static Product,
    pub(super) endpoint: Endpoint,
    /// `scheme://authority`, computed once.
    pub(super) base_url: String,
    /// The `host` header, prepared once.
    pub(super) host: HeaderValue,
    pub(super) credentials: CredentialSource,
    pub(super) transport: Arc<dyn Transport>,
    pub(super) timeout: Option<Duration>,
    pub(super) attempt_timeout: Option<Duration>,
    pub(super) retry: RetryPolicy,
    pub(super) signature: SignatureVersion,
    pub(super) user_agent: String,
    /// The `user-agent` header, prepared once.
    pub(super) user_agent_header: HeaderValue,
}

/// Where a client's credentials come from.
#[derive(Debug)]
pub(super) enum CredentialSource {
    /// Fixed credentials ([`super::ClientBuilder::credentials`]): borrowed by every call, never
    /// copied.
    Fixed(Credentials),
    /// A provider, asked at every attempt.
    Provider(SharedProvider),
}

impl Client {
    pub(super) fn from_inner(inner: Inner) -> Self {
        Self {
            inner: Arc::new(inner),
        }
    }

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
                    path: O::PATH,
                    anonymous: O::ANONYMOUS,
                    typed: typed.as_ref(),
                },
                params,
                options,
            )
            .await
            .map_err(Error::map_kind)?;
        O::Output::from_json(raw.json).map_err(|value| {
            Error::Response(ResponseError::new(
                raw.status,
                raw.request_id,
                format!(
                    "expected a JSON object for {}, got {}",
                    O::ACTION,
                    json_kind(&value)
                ),
                &raw.body,
            ))
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
    ) -> Result<Answer, Error> {
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
    ) -> Result<Answer, Error> {
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
    async fn attempt(&self, spec: CallSpec<'_>, params: &Params) -> Result<Answer, Error> {
        let inner = &self.inner;
        let fetched;
        let credentials = match &inner.credentials {
            _ if spec.anonymous => None,
            CredentialSource::Fixed(c) => Some(c),
            CredentialSource::Provider(p) => {
                fetched = p.credentials().await.map_err(Error::Credentials)?;
                Some(&fetched)
            }
        };
        let method = spec.method.as_http();
        // A GET carries no body: its form parameters travel in the query, as the official SDKs
        // generate such operations (`ListHoneypotAlarmEvents`); a body would be dropped on the way.
        let merged;
        let (query, form): (Pairs<'_>, Pairs<'_>) =
            if spec.method == Method::Get && !params.form.is_empty() {
                merged = [params.query.as_slice(), params.form.as_slice()].concat();
                (&merged, &[])
            } else {
                (&params.query, &params.form)
            };
        let call = Call {
            method: &method,
            base_url: &inner.base_url,
            host: &inner.host,
            action: spec.action,
            version: inner.product.version,
            user_agent: &inner.user_agent_header,
            query,
            form,
            headers: &params.headers,
        };
        let key = credentials.map(|c| SigningKey {
            access_key_id: &c.access_key_id,
            secret: c.access_key_secret.expose(),
            security_token: c.security_token.as_ref().map(Secret::expose),
        });
        let request = match spec.path {
            None => build_request(inner.signature, &call, key.as_ref(), SignContext::now()),
            // ROA: always signature V3 (see `wire::roa`).
            Some(template) => {
                let path = expand_path(template, &params.path)
                    .map_err(|e| Error::Request(RequestError(e)))?;
                let json = params.body.as_ref().map(json_body);
                let body = match &json {
                    Some(bytes) => RoaBody::Json(bytes),
                    None => RoaBody::Form(form),
                };
                build_roa_request(&call, &path, body, key.as_ref(), SignContext::now())
            }
        }
        .map_err(|e| Error::Request(RequestError(e)))?;
        // A value with CR, LF or NUL (a key id, token or header parameter) is refused here,
        // before anything is sent.
        let response = match spec.typed {
            Some(typed) => inner.transport.send_typed(request, typed),
            None => inner.transport.send(request),
        }
        .await
        .map_err(Error::Transport)?;
        interpret(response).map_err(Error::from)
    }
}

/// Parameter pairs, not yet encoded.
type Pairs<'a> = &'a [(String, String)];

/// What the untyped core needs to know about an operation.
#[derive(Debug, Clone, Copy)]
struct CallSpec<'a> {
    action: &'static str,
    method: Method,
    /// ROA: the path template.
    path: Option<&'static str>,
    anonymous: bool,
    typed: Option<&'a TypedRequest>,
}

fn timeout_error(message: String) -> Error {
    Error::Transport(TransportError::new(TransportErrorKind::Timeout, message))
}
