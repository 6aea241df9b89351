//! Header names and values are checked as a request is built: a CR, LF or NUL in a header
//! parameter, the user agent, an access key id or a token must be a request error, raised
//! before any network I/O, never a transport error after which the caller cannot tell whether
//! anything went out. A request holds an [`http::HeaderMap`], so what was checked once is sent
//! as it is.

use http::{HeaderName, HeaderValue};

/// The header name `name` (any case; a `HeaderName` is lower case).
pub(crate) fn header_name(name: &str) -> Result<HeaderName, String> {
    HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| format!("{name:?} is not a valid HTTP header name; nothing was sent"))
}

/// The value `value` of header `name`, copied.
pub(crate) fn header_value(name: &str, value: &str) -> Result<HeaderValue, String> {
    match HeaderValue::from_str(value) {
        Ok(v) => Ok(v),
        Err(_) => Err(bad_value(name, value)),
    }
}

/// The value `value` of header `name`, without copying it.
pub(crate) fn owned_header_value(name: &str, value: String) -> Result<HeaderValue, String> {
    // `HeaderValue`'s own test (no control character but the tab), without early exit so that
    // it runs without branches: `try_from` checks again; this only chooses the error.
    if value
        .bytes()
        .fold(true, |ok, b| ok & (b == b'\t' || (b >= 0x20 && b != 0x7f)))
    {
        if let Ok(v) = HeaderValue::try_from(value) {
            return Ok(v);
        }
        return Err(format!("the value of header {name} is not valid"));
    }
    Err(bad_value(name, &value))
}

/// A value known when the program is built (an action, an API version, a constant): shared,
/// never copied. A value with a control character is refused like any other.
pub(crate) fn static_header_value(name: &str, value: &'static str) -> Result<HeaderValue, String> {
    if value
        .bytes()
        .all(|b| b == b'\t' || (0x20..0x7f).contains(&b))
    {
        // The same test as `from_static`'s, which therefore cannot panic here.
        Ok(HeaderValue::from_static(value))
    } else {
        header_value(name, value)
    }
}

/// Checks one header value. The error names the header and the position of the first bad byte,
/// never the value (it may be a token or a signature).
pub(crate) fn check_value(name: &str, value: &str) -> Result<(), String> {
    if HeaderValue::from_str(value).is_ok() {
        return Ok(());
    }
    Err(bad_value(name, value))
}

/// Why `value` cannot be the value of header `name`: the header and the position of the first
/// bad byte, never the value.
fn bad_value(name: &str, value: &str) -> String {
    let at = value
        .bytes()
        .position(|b| (b < 0x20 && b != b'\t') || b == 0x7f)
        .unwrap_or_default();
    let origin = match name.to_ascii_lowercase().as_str() {
        "authorization" => " (it carries the access key id)",
        "x-acs-security-token" => " (the security token of the credentials)",
        "user-agent" => " (the user agent suffix)",
        _ => "",
    };
    format!(
        "the value of header {name}{origin} contains a control character (CR, LF, NUL or \
         similar) at byte {at}; nothing was sent"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_refused_without_echoing_the_value() {
        assert!(check_value("x-acs-a", "plain value\twith tab, ünïcode").is_ok());
        for bad in ["a\r\nInjected: 1", "a\nb", "nul\0", "del\x7f"] {
            let e = check_value("x-acs-security-token", bad).unwrap_err();
            assert!(e.contains("x-acs-security-token"), "{e}");
            assert!(!e.contains(bad), "{e}");
        }
        let e = check_value("x", "ab\ncd").unwrap_err();
        assert!(e.contains("at byte 2"), "{e}");
    }
}
