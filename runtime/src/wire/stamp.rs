//! The per-attempt values of a signature: the date and a fresh nonce.

/// The per-attempt values of a signature: time and nonce.
#[derive(Debug, Clone)]
pub struct SignContext {
    /// `x-acs-date` / `Timestamp`.
    pub date: String,
    /// `x-acs-signature-nonce` / `SignatureNonce`.
    pub nonce: String,
}

impl SignContext {
    /// The current time and a fresh nonce.
    pub fn now() -> Self {
        Self {
            date: now_iso8601(),
            nonce: nonce(),
        }
    }
}

/// The current UTC time as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn now_iso8601() -> String {
    format_iso8601(time::OffsetDateTime::now_utc())
}

/// `t` in UTC as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn format_iso8601(t: time::OffsetDateTime) -> String {
    const FORMAT: &[time::format_description::FormatItem<'static>] =
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    t.to_offset(time::UtcOffset::UTC)
        .format(FORMAT)
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".to_owned())
}

/// A fresh random nonce: 16 random bytes as hex.
pub fn nonce() -> String {
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
