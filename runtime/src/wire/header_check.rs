//! Header names and values are checked before a request is sent: a CR, LF or NUL in a header
//! parameter, the user agent, an access key id or a token must be a request error, raised
//! before any network I/O, never a transport error after which the caller cannot tell whether
//! anything went out.

use super::http::HttpRequest;

/// Checks every header of `request`.
pub(crate) fn check_headers(request: &HttpRequest) -> Result<(), String> {
    for (name, value) in &request.headers {
        if http::HeaderName::from_bytes(name.as_bytes()).is_err() {
            return Err(format!(
                "{name:?} is not a valid HTTP header name; nothing was sent"
            ));
        }
        check_value(name, value)?;
    }
    Ok(())
}

/// Checks one header value. The error names the header and the position of the first bad byte,
/// never the value (it may be a token or a signature).
pub(crate) fn check_value(name: &str, value: &str) -> Result<(), String> {
    if http::HeaderValue::from_str(value).is_ok() {
        return Ok(());
    }
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
    Err(format!(
        "the value of header {name}{origin} contains a control character (CR, LF, NUL or \
         similar) at byte {at}; nothing was sent"
    ))
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
