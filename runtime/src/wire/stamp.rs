//! The per-attempt values of a signature: the date and a fresh nonce.

use rand::rngs::{StdRng, SysRng};
use rand::{Rng as _, SeedableRng as _};
use std::cell::RefCell;

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
    thread_local! {
        /// The last second formatted on this thread: the text changes once a second.
        static LAST: RefCell<(i64, String)> = const { RefCell::new((i64::MIN, String::new())) };
    }
    let now = time::OffsetDateTime::now_utc();
    let second = now.unix_timestamp();
    LAST.with(|last| {
        let mut last = last.borrow_mut();
        if last.0 != second {
            *last = (second, format_iso8601(now));
        }
        last.1.clone()
    })
}

/// `t` in UTC as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn format_iso8601(t: time::OffsetDateTime) -> String {
    const FORMAT: &[time::format_description::FormatItem<'static>] =
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    t.to_offset(time::UtcOffset::UTC)
        .format(FORMAT)
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".to_owned())
}

thread_local! {
    /// This thread's generator: ChaCha12 seeded once from the OS (`None` when the OS had no
    /// randomness to give).
    static RNG: RefCell<Option<StdRng>> = RefCell::new(StdRng::try_from_rng(&mut SysRng).ok());
}

/// Fills `buf` with random bytes from this thread's generator; `false` when there is none.
pub fn random_fill(buf: &mut [u8]) -> bool {
    RNG.with(|rng| match rng.borrow_mut().as_mut() {
        Some(rng) => {
            rng.fill_bytes(buf);
            true
        }
        None => false,
    })
}

/// A fresh random nonce: 16 random bytes as hex.
pub fn nonce() -> String {
    let mut buf = [0u8; 16];
    if !random_fill(&mut buf) {
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
    super::signer::hex(&buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonces_are_fresh_hex() {
        let nonces: std::collections::BTreeSet<String> = (0..1000).map(|_| nonce()).collect();
        assert_eq!(nonces.len(), 1000);
        assert!(nonces.iter().all(|n| n.len() == 32
            && n.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))));
        let other = std::thread::spawn(nonce).join().unwrap();
        assert!(!nonces.contains(&other));
    }

    #[test]
    fn the_date_is_the_current_second() {
        let before = time::OffsetDateTime::now_utc().unix_timestamp();
        let date = now_iso8601();
        let after = time::OffsetDateTime::now_utc().unix_timestamp();
        let parsed =
            time::OffsetDateTime::parse(&date, &time::format_description::well_known::Rfc3339)
                .unwrap()
                .unix_timestamp();
        assert!((before..=after).contains(&parsed), "{date}");
    }
}
