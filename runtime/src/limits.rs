//! Bounds on what the runtime keeps from a response: the body cap of the default transport and
//! the prefix of a body that errors keep.

use crate::error::{TransportError, TransportErrorKind};

/// How much of a body an error keeps ([`ServiceError::body`](crate::ServiceError::body),
/// [`ResponseError::body`](crate::ResponseError::body)): 8 KiB. The errors also carry the total
/// length.
pub const ERROR_BODY_PREFIX: usize = 8 * 1024;

/// The first [`ERROR_BODY_PREFIX`] bytes of `body`, lossily decoded as UTF-8.
pub(crate) fn body_prefix(body: &[u8]) -> String {
    String::from_utf8_lossy(&body[..body.len().min(ERROR_BODY_PREFIX)]).into_owned()
}

/// Reads the whole body of `response`, failing as soon as it passes `cap` bytes (or announces
/// more with `Content-Length`). `shown` names the request in errors.
pub(crate) async fn read_capped(
    mut response: reqwest::Response,
    cap: usize,
    shown: &str,
) -> Result<bytes::Bytes, TransportError> {
    let too_large = |seen: String| {
        TransportError::new(
            TransportErrorKind::BodyTooLarge,
            format!(
                "{shown}: the response body ({seen}) exceeds the limit of {cap} bytes \
                 (TransportOptions::max_body_size / ClientBuilder::max_body_size)"
            ),
        )
    };
    if let Some(len) = response.content_length() {
        if len > cap as u64 {
            return Err(too_large(format!("Content-Length {len}")));
        }
    }
    let mut body = bytes::BytesMut::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| crate::transport::classify(e, shown))?
    {
        if body.len() + chunk.len() > cap {
            return Err(too_large(format!(
                "more than {} bytes",
                body.len() + chunk.len()
            )));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_prefix_is_bounded_and_lossy() {
        let big = vec![b'a'; ERROR_BODY_PREFIX * 3];
        assert_eq!(body_prefix(&big).len(), ERROR_BODY_PREFIX);
        assert_eq!(body_prefix(b"{\"Code\":1}"), "{\"Code\":1}");
        assert_eq!(body_prefix(&[0xff, b'x']), "\u{fffd}x");
    }
}
