//! The cache of temporary credentials: refreshed before they expire, with one refresh in flight
//! however many callers wait.

use super::provider::Credentials;
use crate::error::CredentialsError;
use std::fmt;
use std::future::Future;
use std::time::{Duration, SystemTime};

/// Temporary credentials are refreshed this long before they expire (as the official libraries
/// do).
pub const REFRESH_BEFORE_EXPIRY: Duration = Duration::from_secs(180);

/// Holds the current credentials behind an async mutex: the caller that finds them stale
/// refreshes them while holding the lock, and every other caller waits for that refresh and
/// then reads its result, so exactly one request is in flight.
pub(crate) struct CredentialsCache {
    state: tokio::sync::Mutex<Option<Credentials>>,
    refresh_before: Duration,
}

impl CredentialsCache {
    pub(crate) fn new() -> Self {
        Self {
            state: tokio::sync::Mutex::new(None),
            refresh_before: REFRESH_BEFORE_EXPIRY,
        }
    }

    /// The cached credentials while they are fresh; otherwise those `fetch` returns. When a
    /// refresh fails but the cached credentials have not expired yet, they are still returned.
    pub(crate) async fn get_or_refresh<F, Fut>(
        &self,
        fetch: F,
    ) -> Result<Credentials, CredentialsError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Credentials, CredentialsError>>,
    {
        let mut guard = self.state.lock().await;
        let now = SystemTime::now();
        if let Some(c) = guard.as_ref() {
            if is_fresh(c, now, self.refresh_before) {
                return Ok(c.clone());
            }
        }
        match fetch().await {
            Ok(c) => {
                *guard = Some(c.clone());
                Ok(c)
            }
            Err(e) => match guard.as_ref() {
                Some(c) if is_fresh(c, SystemTime::now(), Duration::ZERO) => {
                    tracing::warn!(error = %e, "refreshing credentials failed; using the current ones until they expire");
                    Ok(c.clone())
                }
                _ => Err(e),
            },
        }
    }
}

impl fmt::Debug for CredentialsCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("CredentialsCache");
        match self.state.try_lock() {
            Ok(g) => d.field(
                "expiration",
                &g.as_ref()
                    .map(|c| c.expiration.map(super::provider::format_time)),
            ),
            Err(_) => d.field("expiration", &"<refreshing>"),
        };
        d.finish()
    }
}

/// Whether `c` is still usable `margin` from `now`. Credentials without an expiry never expire.
fn is_fresh(c: &Credentials, now: SystemTime, margin: Duration) -> bool {
    match c.expiration {
        None => true,
        Some(exp) => exp.duration_since(now).is_ok_and(|left| left > margin),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn freshness_uses_the_margin() {
        let now = SystemTime::now();
        let c = Credentials::new("a", "b").with_expiration(now + Duration::from_secs(120));
        assert!(is_fresh(&c, now, Duration::ZERO));
        assert!(!is_fresh(&c, now, REFRESH_BEFORE_EXPIRY));
        let c = c.with_expiration(now + Duration::from_secs(3600));
        assert!(is_fresh(&c, now, REFRESH_BEFORE_EXPIRY));
        let c = c.with_expiration(now - Duration::from_secs(1));
        assert!(!is_fresh(&c, now, Duration::ZERO));
        assert!(is_fresh(
            &Credentials::new("a", "b"),
            now,
            REFRESH_BEFORE_EXPIRY
        ));
    }
}
