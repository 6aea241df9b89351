//! Endpoints: an explicit URL or host, or the product's endpoint for a region.

use crate::error::RequestError;
use std::fmt;

/// A product's identity and endpoint table, as the spec gives them.
#[derive(Debug, Clone, Copy)]
pub struct Product {
    /// Product code (`Sas`).
    pub code: &'static str,
    /// API version (`2018-12-03`), sent as `x-acs-version`.
    pub version: &'static str,
    /// Region id → endpoint host, as the spec lists them (values may carry stray whitespace).
    pub endpoints: &'static [(&'static str, &'static str)],
}

impl Product {
    /// The endpoint host for `region`, trimmed; an error names the known regions.
    pub fn endpoint_for(&self, region: &str) -> Result<Endpoint, RequestError> {
        let region = region.trim();
        match self.endpoints.iter().find(|(r, _)| r.trim() == region) {
            Some((_, host)) => Endpoint::parse(host.trim()),
            None => {
                let mut known: Vec<&str> = self.endpoints.iter().map(|(r, _)| r.trim()).collect();
                known.sort_unstable();
                known.dedup();
                Err(RequestError(format!(
                    "{} has no endpoint for region {region:?}; known regions: {}; or set an explicit endpoint",
                    self.code,
                    known.join(", ")
                )))
            }
        }
    }
}

/// Where requests go: scheme and authority (`host[:port]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    scheme: &'static str,
    authority: String,
    host: String,
}

impl Endpoint {
    /// Parses `tds.aliyuncs.com`, `https://host[:port]` or, for loopback addresses only,
    /// `http://127.0.0.1:port`. Rejected: user info (`user:password@`), a port outside
    /// 1–65535, plain http to a non-loopback host, a path other than `/`, a query.
    pub fn parse(input: &str) -> Result<Self, RequestError> {
        let input = input.trim();
        // Errors never show user info: it may be a password.
        let shown = redact_user_info(input);
        let bad = |why: &str| RequestError(format!("invalid endpoint {shown:?}: {why}"));
        if input.is_empty() {
            return Err(bad("empty"));
        }
        let with_scheme = if input.contains("://") {
            input.to_owned()
        } else {
            format!("https://{input}")
        };
        let uri: http::Uri = with_scheme
            .parse()
            .map_err(|e: http::uri::InvalidUri| bad(&e.to_string()))?;
        let scheme = match uri.scheme_str() {
            Some("https") => "https",
            Some("http") => "http",
            _ => {
                return Err(bad(
                    "the scheme must be https (or http for a loopback address)",
                ))
            }
        };
        let authority = uri.authority().ok_or_else(|| bad("no host"))?;
        if authority.as_str().contains('@') {
            return Err(bad(
                "user info (user:password@) is not accepted; credentials are given to the client, \
                 and the host is what follows the @",
            ));
        }
        let host = authority.host().to_owned();
        if host.is_empty() {
            return Err(bad("no host"));
        }
        let port = &authority.as_str()[host.len()..];
        if let Some(port) = port.strip_prefix(':') {
            if !matches!(port.parse::<u16>(), Ok(1..)) || !port.bytes().all(|b| b.is_ascii_digit())
            {
                return Err(bad("the port must be a number from 1 to 65535"));
            }
        } else if !port.is_empty() {
            return Err(bad("unexpected text after the host"));
        }
        if !matches!(uri.path(), "" | "/") || uri.query().is_some() {
            return Err(bad("RPC endpoints take no path or query"));
        }
        if scheme == "http" && !is_loopback(&host) {
            return Err(bad(
                "plain http is accepted only for loopback addresses (127.0.0.0/8, ::1, localhost)",
            ));
        }
        Ok(Self {
            scheme,
            authority: authority.as_str().to_owned(),
            host,
        })
    }

    /// The `host` header value: host and port as given.
    pub fn authority(&self) -> &str {
        &self.authority
    }

    /// The host name or address alone.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// `https` or `http`.
    pub fn scheme(&self) -> &str {
        self.scheme
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://{}", self.scheme, self.authority)
    }
}

/// `input` with anything between `://` and an `@` of the authority replaced by `***`.
fn redact_user_info(input: &str) -> String {
    let (scheme, rest) = match input.split_once("://") {
        Some((s, r)) => (format!("{s}://"), r),
        None => (String::new(), input),
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..end].rfind('@') {
        Some(at) => format!("{scheme}***@{}", &rest[at + 1..]),
        None => input.to_owned(),
    }
}

fn is_loopback(host: &str) -> bool {
    let h = host.trim_start_matches('[').trim_end_matches(']');
    if h.eq_ignore_ascii_case("localhost") {
        return true;
    }
    h.parse::<std::net::IpAddr>()
        .map(|ip| ip.is_loopback())
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_host_is_https() {
        let e = Endpoint::parse("tds.aliyuncs.com").unwrap();
        assert_eq!(e.to_string(), "https://tds.aliyuncs.com");
        assert_eq!(e.authority(), "tds.aliyuncs.com");
    }

    #[test]
    fn http_only_for_loopback() {
        assert!(Endpoint::parse("http://127.0.0.1:8080").is_ok());
        assert!(Endpoint::parse("http://[::1]:8080").is_ok());
        assert!(Endpoint::parse("http://localhost:1").is_ok());
        let e = Endpoint::parse("http://tds.aliyuncs.com").unwrap_err();
        assert!(e.0.contains("loopback"), "{e}");
        assert!(Endpoint::parse("ftp://x").is_err());
        assert!(Endpoint::parse("https://x/path").is_err());
        assert!(Endpoint::parse("").is_err());
    }

    #[test]
    fn user_info_and_bad_ports_are_rejected_without_showing_the_password() {
        for input in [
            "http://user:hunter2@127.0.0.1:8080",
            "https://tds.aliyuncs.com:443@evil.example",
            "user:hunter2@tds.aliyuncs.com",
        ] {
            let e = Endpoint::parse(input).unwrap_err();
            assert!(e.0.contains("user info"), "{e}");
            assert!(!e.0.contains("hunter2"), "{e}");
        }
        for input in [
            "https://tds.aliyuncs.com:0",
            "https://tds.aliyuncs.com:65536",
            "https://tds.aliyuncs.com:99999",
            "https://tds.aliyuncs.com:+1",
            "https://tds.aliyuncs.com:",
        ] {
            let e = Endpoint::parse(input).unwrap_err();
            assert!(e.0.contains("port"), "{input}: {e}");
        }
        let ok = Endpoint::parse("https://tds.aliyuncs.com:8443").unwrap();
        assert_eq!(ok.authority(), "tds.aliyuncs.com:8443");
        assert_eq!(
            Endpoint::parse("http://[::1]:65535").unwrap().host(),
            "[::1]"
        );
    }

    #[test]
    fn region_lookup_trims_and_names_known_regions() {
        let p = Product {
            code: "Sas",
            version: "2018-12-03",
            endpoints: &[
                ("cn-hangzhou", "tds.aliyuncs.com\t"),
                ("ap-southeast-1", "tds.ap-southeast-1.aliyuncs.com"),
            ],
        };
        assert_eq!(
            p.endpoint_for("cn-hangzhou").unwrap().authority(),
            "tds.aliyuncs.com"
        );
        let e = p.endpoint_for("mars-1").unwrap_err();
        assert!(e.0.contains("ap-southeast-1, cn-hangzhou"), "{e}");
        assert!(e.0.contains("endpoint"), "{e}");
    }
}
