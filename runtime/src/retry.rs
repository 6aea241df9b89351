//! When and how long to wait before trying a failed call again.

use crate::error::{Error, TransportErrorKind};
use std::time::Duration;

/// Which failures are tried again, how often, and how long to wait in between.
///
/// Defaults: at most 3 attempts; exponential backoff with full jitter (a random wait between
/// zero and `min(max_delay, base_delay × 2^(retry − 1))`), base 200 ms, cap 10 s; retried are
/// service errors whose code starts with `Throttling` or `ServiceUnavailable`, HTTP 503 (also
/// without a JSON body), and transport errors of kind
/// [`Connect`](TransportErrorKind::Connect), where nothing was sent. Other 4xx answers, timeouts
/// and other I/O failures are not retried: the request may have been processed.
///
/// A throttled answer's `x-acs-retry-after` (milliseconds, as the official SDKs read it)
/// replaces the backoff for that wait; when it exceeds `max_delay` the call is not retried and
/// the error (with [`ServiceError::retry_after`](crate::ServiceError::retry_after)) is returned.
/// A wait that would pass the call's overall deadline is not started either.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    base_delay: Duration,
    max_delay: Duration,
    code_prefixes: Vec<String>,
    statuses: Vec<u16>,
    connect_errors: bool,
    timeouts: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(10),
            code_prefixes: vec!["Throttling".to_owned(), "ServiceUnavailable".to_owned()],
            statuses: vec![503],
            connect_errors: true,
            timeouts: false,
        }
    }
}

impl RetryPolicy {
    /// The default policy.
    pub fn new() -> Self {
        Self::default()
    }

    /// One attempt only.
    pub fn disabled() -> Self {
        Self::default().with_max_attempts(1)
    }

    /// At most `n` attempts in all (at least 1).
    #[must_use]
    pub fn with_max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n.max(1);
        self
    }

    /// The first backoff bound (doubled at each retry).
    #[must_use]
    pub fn with_base_delay(mut self, d: Duration) -> Self {
        self.base_delay = d;
        self
    }

    /// The longest wait.
    #[must_use]
    pub fn with_max_delay(mut self, d: Duration) -> Self {
        self.max_delay = d;
        self
    }

    /// Also retries service errors whose code starts with `prefix`.
    #[must_use]
    pub fn with_retry_code_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.code_prefixes.push(prefix.into());
        self
    }

    /// Also retries answers with HTTP `status` (for example 429 or 502).
    #[must_use]
    pub fn with_retry_status(mut self, status: u16) -> Self {
        self.statuses.push(status);
        self
    }

    /// Whether connection failures (nothing sent) are retried (default yes).
    #[must_use]
    pub fn with_retry_connect_errors(mut self, retry: bool) -> Self {
        self.connect_errors = retry;
        self
    }

    /// Whether timeouts of an attempt are retried (default no: the request may have been
    /// processed; enable it for read-only operations).
    #[must_use]
    pub fn with_retry_timeouts(mut self, retry: bool) -> Self {
        self.timeouts = retry;
        self
    }

    /// The most attempts a call makes.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The first backoff bound.
    pub fn base_delay(&self) -> Duration {
        self.base_delay
    }

    /// The longest wait.
    pub fn max_delay(&self) -> Duration {
        self.max_delay
    }

    /// Whether `error` is worth another attempt.
    pub fn is_retryable<K>(&self, error: &Error<K>) -> bool {
        match error {
            Error::Service(e) => {
                self.code_prefixes
                    .iter()
                    .any(|p| e.code.starts_with(p.as_str()))
                    || self.statuses.contains(&e.status)
            }
            Error::Response(e) => self.statuses.contains(&e.status),
            Error::Transport(e) => match e.kind {
                TransportErrorKind::Connect => self.connect_errors,
                TransportErrorKind::Timeout => self.timeouts,
                _ => false,
            },
            _ => false,
        }
    }

    /// The backoff bound before retry number `retry` (1 for the first retry).
    pub fn backoff_bound(&self, retry: u32) -> Duration {
        let factor = 1u32
            .checked_shl(retry.saturating_sub(1))
            .unwrap_or(u32::MAX);
        self.base_delay
            .checked_mul(factor)
            .unwrap_or(self.max_delay)
            .min(self.max_delay)
    }

    /// The wait before retry number `retry` after `error`, or `None` when the server asked for
    /// a longer wait than `max_delay`.
    pub(crate) fn delay<K>(&self, retry: u32, error: &Error<K>) -> Option<Duration> {
        if let Error::Service(e) = error {
            if let Some(ms) = e.retry_after.filter(|ms| *ms > 0) {
                let d = Duration::from_millis(ms);
                return (d <= self.max_delay).then_some(d);
            }
        }
        Some(jitter(self.backoff_bound(retry)))
    }
}

/// A uniformly random duration in `[0, bound]` ("full jitter").
fn jitter(bound: Duration) -> Duration {
    let mut buf = [0u8; 8];
    if !crate::wire::random_fill(&mut buf) {
        return bound;
    }
    let fraction = (u64::from_le_bytes(buf) >> 11) as f64 / (1u64 << 53) as f64;
    bound.mul_f64(fraction)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{AnyCode, ResponseError, ServiceError, TransportError};

    fn service(code: &str, status: u16, retry_after: Option<u64>) -> Error {
        Error::Service(Box::new(ServiceError {
            kind: AnyCode(code.to_owned()),
            status,
            code: code.to_owned(),
            message: None,
            request_id: None,
            host_id: None,
            recommend: None,
            access_denied_detail: None,
            retry_after,
            body: String::new(),
            body_len: 0,
        }))
    }

    #[test]
    fn default_classification() {
        let p = RetryPolicy::default();
        assert!(p.is_retryable(&service("Throttling.User", 400, None)));
        assert!(p.is_retryable(&service("ServiceUnavailable", 503, None)));
        assert!(p.is_retryable(&service("InternalError", 503, None)));
        assert!(!p.is_retryable(&service("InvalidParameter", 400, None)));
        assert!(!p.is_retryable(&service("Forbidden.RAM", 403, None)));
        assert!(!p.is_retryable(&service("InternalError", 500, None)));
        let html = |status| {
            Error::<AnyCode>::Response(ResponseError::new(status, None, String::new(), &[]))
        };
        assert!(p.is_retryable(&html(503)));
        assert!(!p.is_retryable(&html(404)));
        let transport = |kind| Error::<AnyCode>::Transport(TransportError::new(kind, "x"));
        assert!(p.is_retryable(&transport(TransportErrorKind::Connect)));
        assert!(!p.is_retryable(&transport(TransportErrorKind::Timeout)));
        assert!(!p.is_retryable(&transport(TransportErrorKind::Io)));
        let p = p.with_retry_timeouts(true).with_retry_status(429);
        assert!(p.is_retryable(&transport(TransportErrorKind::Timeout)));
        assert!(p.is_retryable(&service("TooMany", 429, None)));
    }

    #[test]
    fn backoff_doubles_up_to_the_cap_and_jitter_stays_below_it() {
        let p = RetryPolicy::default();
        assert_eq!(p.backoff_bound(1), Duration::from_millis(200));
        assert_eq!(p.backoff_bound(2), Duration::from_millis(400));
        assert_eq!(p.backoff_bound(6), Duration::from_millis(6400));
        assert_eq!(p.backoff_bound(7), Duration::from_secs(10));
        assert_eq!(p.backoff_bound(100), Duration::from_secs(10));
        for retry in 1..10 {
            let d = p.delay(retry, &service("Throttling", 400, None)).unwrap();
            assert!(d <= p.backoff_bound(retry));
        }
    }

    #[test]
    fn retry_after_is_milliseconds_and_bounded() {
        let p = RetryPolicy::default();
        assert_eq!(
            p.delay(1, &service("Throttling", 400, Some(1500))),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(p.delay(1, &service("Throttling", 400, Some(60_000))), None);
        let d = p.delay(1, &service("Throttling", 400, Some(0))).unwrap();
        assert!(d <= Duration::from_millis(200));
    }

    #[test]
    fn at_least_one_attempt() {
        assert_eq!(RetryPolicy::new().with_max_attempts(0).max_attempts(), 1);
        assert_eq!(RetryPolicy::disabled().max_attempts(), 1);
    }
}
