//! Support for the interop check and the load benchmark against the official Python SDK: start
//! the Python verifier server (`tests/interop/verifier.py`), read what it recorded, and run the
//! official SDK driver (`tests/interop/official_client.py`).
//!
//! The verifier checks every request with the official library's own signature code; see the
//! module documentation of `verifier.py`. Everything here talks to 127.0.0.1 only.

use serde_json::Value;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// The folder holding the Python side (`tests/interop/`).
pub fn interop_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("interop")
}

/// The spec folder of the fixture product, which the official driver reads to learn each
/// parameter's location and style.
pub fn fixture_spec_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/golden/spec/fixture/2020-01-01")
}

/// A running `verifier.py`; killed (by its own process id) and reaped when dropped. It also
/// exits by itself when its standard input closes, so it never outlives this process.
pub struct Verifier {
    child: Child,
    _stdin: ChildStdin,
    addr: SocketAddr,
}

impl Verifier {
    /// Starts the verifier with `python`; `record` keeps what each request carried (off for
    /// load runs).
    pub fn start(python: &Path, record: bool) -> Result<Self, String> {
        let script = interop_dir().join("verifier.py");
        let mut cmd = Command::new(python);
        cmd.arg(&script)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        if !record {
            cmd.arg("--no-record");
        }
        let mut child = cmd.spawn().map_err(|e| {
            format!(
                "cannot start {} {}: {e}",
                python.display(),
                script.display()
            )
        })?;
        let stdin = child.stdin.take().ok_or("verifier: no stdin")?;
        let stdout = child.stdout.take().ok_or("verifier: no stdout")?;
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let mut reader = BufReader::new(stdout);
            let _ = tx.send(reader.read_line(&mut line).map(|_| line));
            // Keep draining so the child never blocks on a full pipe.
            let _ = std::io::copy(&mut reader, &mut std::io::sink());
        });
        let line = match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(Ok(line)) => line,
            Ok(Err(e)) => return Err(kill(child, format!("verifier: {e}"))),
            Err(_) => return Err(kill(child, "verifier did not start within 60 s".into())),
        };
        let Some(addr) = line.trim().strip_prefix("LISTENING ") else {
            return Err(kill(
                child,
                format!("verifier: unexpected first line {line:?} (see its error output above)"),
            ));
        };
        let addr: SocketAddr = match addr.parse() {
            Ok(a) => a,
            Err(e) => return Err(kill(child, format!("verifier address {addr:?}: {e}"))),
        };
        if !addr.ip().is_loopback() {
            return Err(kill(child, format!("verifier is not on loopback: {addr}")));
        }
        Ok(Self {
            child,
            _stdin: stdin,
            addr,
        })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// `127.0.0.1:PORT`, the form the official SDK's `endpoint` takes.
    pub fn host_port(&self) -> String {
        self.addr.to_string()
    }

    /// The requests recorded since the last call, in arrival order; the server forgets them.
    pub fn drain(&self) -> Result<Vec<Record>, String> {
        let body = http_get(self.addr, "/__interop/log")?;
        let v: Value = serde_json::from_slice(&body).map_err(|e| format!("log: {e}"))?;
        v.get("records")
            .and_then(Value::as_array)
            .ok_or("log: no records")?
            .iter()
            .map(Record::from_json)
            .collect()
    }
}

impl Verifier {
    /// The verifier's own CPU time so far and how many API requests it has answered.
    pub fn stats(&self) -> Result<(Duration, u64), String> {
        let body = http_get(self.addr, "/__interop/stats")?;
        let v: Value = serde_json::from_slice(&body).map_err(|e| format!("stats: {e}"))?;
        let cpu = v
            .get("cpu_s")
            .and_then(Value::as_f64)
            .ok_or("stats: no cpu_s")?;
        let requests = v
            .get("requests")
            .and_then(Value::as_u64)
            .ok_or("stats: no requests")?;
        Ok((Duration::from_secs_f64(cpu), requests))
    }
}

impl Drop for Verifier {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn kill(mut child: Child, message: String) -> String {
    let _ = child.kill();
    let _ = child.wait();
    message
}

/// A minimal HTTP/1.1 GET on loopback (the control paths of the verifier).
fn http_get(addr: SocketAddr, path: &str) -> Result<Vec<u8>, String> {
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(5))
        .map_err(|e| format!("connect {addr}: {e}"))?;
    s.set_read_timeout(Some(Duration::from_secs(30)))
        .map_err(|e| e.to_string())?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nhost: {addr}\r\nconnection: close\r\n\r\n"
    )
    .map_err(|e| format!("send: {e}"))?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).map_err(|e| format!("read: {e}"))?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("no end of headers")?;
    let head = String::from_utf8_lossy(&raw[..split]);
    if !head.starts_with("HTTP/1.1 200") {
        return Err(format!("GET {path}: {}", head.lines().next().unwrap_or("")));
    }
    Ok(raw[split + 4..].to_vec())
}

/// What the verifier saw of one request.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// `x-acs-action`.
    pub action: String,
    /// HTTP method.
    pub method: String,
    /// The request path.
    pub path: String,
    /// `x-acs-version`.
    pub version: Option<String>,
    /// `content-type`, when sent.
    pub content_type: Option<String>,
    /// The query as it arrived on the wire.
    pub raw_query: String,
    /// The body as it arrived on the wire (UTF-8, invalid bytes replaced).
    pub raw_body: String,
    /// The decoded query.
    pub query: BTreeMap<String, String>,
    /// The decoded form body.
    pub body: BTreeMap<String, String>,
    /// Header parameters (`x-acs-fixture-*`).
    pub header_params: BTreeMap<String, String>,
    /// Every other header that is not one the clients always send (ROA header parameters).
    pub other_headers: BTreeMap<String, String>,
    /// `x-acs-security-token`.
    pub security_token: Option<String>,
    /// Whether it carried a signature that the official check accepted.
    pub signed: bool,
    /// Whether the verifier accepted the request.
    pub accepted: bool,
    /// The error code the verifier answered with, when it rejected the request.
    pub code: Option<String>,
    /// Why it was rejected.
    pub message: Option<String>,
}

impl Record {
    fn from_json(v: &Value) -> Result<Self, String> {
        let s = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
        let map = |k: &str| -> Result<BTreeMap<String, String>, String> {
            v.get(k)
                .and_then(Value::as_object)
                .ok_or_else(|| format!("record has no {k}"))?
                .iter()
                .map(|(k, v)| match v {
                    Value::String(s) => Ok((k.clone(), s.clone())),
                    other => Err(format!("record field {k} is {other}")),
                })
                .collect()
        };
        Ok(Self {
            action: s("action").unwrap_or_default(),
            method: s("method").unwrap_or_default(),
            path: s("path").unwrap_or_default(),
            version: s("version"),
            content_type: s("content_type"),
            raw_query: s("raw_query").unwrap_or_default(),
            raw_body: s("raw_body").unwrap_or_default(),
            query: map("query")?,
            body: map("body")?,
            header_params: map("header_params")?,
            other_headers: map("other_headers")?,
            security_token: s("security_token"),
            signed: v.get("signed").and_then(Value::as_bool).unwrap_or(false),
            accepted: v.get("accepted").and_then(Value::as_bool).unwrap_or(false),
            code: s("code"),
            message: s("message"),
        })
    }
}

/// Runs `official_client.py` with `args` (after the mode) and returns its standard output lines.
pub fn run_official(python: &Path, mode: &str, args: &[String]) -> Result<Vec<String>, String> {
    let script = interop_dir().join("official_client.py");
    let out = Command::new(python)
        .arg(&script)
        .arg(mode)
        .arg("--cases")
        .arg(interop_dir().join("cases.json"))
        .arg("--spec-dir")
        .arg(fixture_spec_dir())
        .args(args)
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", script.display()))?;
    if !out.status.success() {
        return Err(format!(
            "{} {mode} failed: {}",
            script.display(),
            out.status
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_owned)
        .collect())
}

/// The `key=value` pairs of a query string or form body as sent (still percent-encoded), keyed
/// by the encoded key; a pair without `=` has an empty value. Sorting is the map's: the order the
/// pairs were sent in is not compared (the signature canonicalises it), their bytes are.
pub fn raw_pairs(raw: &str) -> BTreeMap<String, String> {
    raw.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (k.to_owned(), v.to_owned()),
            None => (p.to_owned(), String::new()),
        })
        .collect()
}

/// The official SDK's pairs as sent, with a space written `%20` instead of `+`: the Python SDK
/// form-encodes (`quote_plus`), we percent-encode as RFC 3986 and the signature's canonical form
/// do. A literal `+` is `%2B` on both sides, so a `+` on the wire is always a space and this is
/// the one raw-byte difference forgiven; every other byte must be the same.
pub fn official_raw_pairs(raw: &str) -> BTreeMap<String, String> {
    raw_pairs(raw)
        .into_iter()
        .map(|(k, v)| (k.replace('+', "%20"), v.replace('+', "%20")))
        .collect()
}

/// Percent-decodes a query or form key (`+` is a space, as the verifier decodes).
pub fn decode_key(key: &str) -> String {
    let spaced = key.replace('+', " ");
    percent_encoding::percent_decode_str(&spaced)
        .decode_utf8_lossy()
        .into_owned()
}

/// Python writes booleans as `True`/`False` where we write `true`/`false`: the one difference
/// the comparison forgives. Applies to whole values and to the items of comma-joined lists.
pub fn normalize_python_bool(value: &str) -> String {
    value
        .split(',')
        .map(|item| match item {
            "True" => "true",
            "False" => "false",
            other => other,
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// How one parameter compares between our client and the official SDK.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Diff {
    /// Sent by us only.
    OnlyOurs(String),
    /// Sent by the official SDK only.
    OnlyOfficial(String),
    /// Sent by both with different values (after the boolean normalisation).
    Value {
        /// Ours.
        ours: String,
        /// The official SDK's.
        official: String,
    },
}

/// Compares two decoded parameter maps; the official side's booleans are normalised first.
pub fn compare(
    ours: &BTreeMap<String, String>,
    official: &BTreeMap<String, String>,
) -> BTreeMap<String, Diff> {
    let mut out = BTreeMap::new();
    for (k, v) in ours {
        match official.get(k) {
            None => {
                out.insert(k.clone(), Diff::OnlyOurs(v.clone()));
            }
            Some(o) => {
                let o = normalize_python_bool(o);
                if *v != o {
                    out.insert(
                        k.clone(),
                        Diff::Value {
                            ours: v.clone(),
                            official: o,
                        },
                    );
                }
            }
        }
    }
    for (k, v) in official {
        if !ours.contains_key(k) {
            out.insert(k.clone(), Diff::OnlyOfficial(v.clone()));
        }
    }
    out
}

/// A difference a case declares as known (`known_differences` in `cases.json`, each with the
/// reason). Each kind is checked: a declared difference of another shape is still a mismatch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KnownKind {
    /// Both values are JSON and parse to the same value (object member order, number
    /// spelling): the server reads the same thing.
    SameJson,
    /// Both values are the same floating-point number spelled differently (`1e21`/`1e+21`).
    FloatFormat,
    /// The official SDK sends `null` where we send the value (a value the official SDK drops).
    OfficialNull,
    /// A parameter only one side sends.
    Extra,
}

impl KnownKind {
    /// Parses the kind named in `cases.json`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "same-json" => Some(Self::SameJson),
            "float-format" => Some(Self::FloatFormat),
            "official-null" => Some(Self::OfficialNull),
            "extra" => Some(Self::Extra),
            _ => None,
        }
    }

    /// Whether `diff`, between values as sent (percent-encoded), is a difference of this kind
    /// once both values are decoded.
    pub fn accepts_encoded(self, diff: &Diff) -> bool {
        let decoded = match diff {
            Diff::Value { ours, official } => Diff::Value {
                ours: decode_key(ours),
                official: decode_key(official),
            },
            Diff::OnlyOurs(v) => Diff::OnlyOurs(decode_key(v)),
            Diff::OnlyOfficial(v) => Diff::OnlyOfficial(decode_key(v)),
        };
        self.accepts(&decoded)
    }

    /// Whether `diff` is a difference of this kind.
    pub fn accepts(self, diff: &Diff) -> bool {
        match (self, diff) {
            (Self::SameJson, Diff::Value { ours, official }) => {
                match (
                    serde_json::from_str::<Value>(ours),
                    serde_json::from_str::<Value>(official),
                ) {
                    (Ok(a), Ok(b)) => a == b && (a.is_object() || a.is_array()),
                    _ => false,
                }
            }
            (Self::FloatFormat, Diff::Value { ours, official }) => {
                match (ours.parse::<f64>(), official.parse::<f64>()) {
                    (Ok(a), Ok(b)) => a == b,
                    _ => false,
                }
            }
            (Self::OfficialNull, Diff::Value { ours, official }) => {
                official == "null" && ours != "null"
            }
            (Self::Extra, Diff::OnlyOurs(_) | Diff::OnlyOfficial(_)) => true,
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn only_python_booleans_are_normalised() {
        assert_eq!(normalize_python_bool("True"), "true");
        assert_eq!(normalize_python_bool("a,False,b"), "a,false,b");
        assert_eq!(normalize_python_bool("\"True\""), "\"True\"");
        assert_eq!(normalize_python_bool("TRUE"), "TRUE");
        let d = compare(
            &m(&[("A", "true"), ("B", "x")]),
            &m(&[("A", "True"), ("C", "y")]),
        );
        assert_eq!(
            d.into_iter().collect::<Vec<_>>(),
            vec![
                ("B".to_owned(), Diff::OnlyOurs("x".into())),
                ("C".to_owned(), Diff::OnlyOfficial("y".into())),
            ]
        );
    }

    #[test]
    fn raw_pairs_keep_the_encoding_and_sort() {
        let p = raw_pairs("b=2%203&a=x+y&flag&c=");
        assert_eq!(
            p.into_iter().collect::<Vec<_>>(),
            vec![
                ("a".to_owned(), "x+y".to_owned()),
                ("b".to_owned(), "2%203".to_owned()),
                ("c".to_owned(), String::new()),
                ("flag".to_owned(), String::new()),
            ]
        );
        assert!(raw_pairs("").is_empty());
        assert_eq!(decode_key("Dns%2EConfig+x"), "Dns.Config x");
        let official = official_raw_pairs("a+b=x+y%2Bz");
        assert_eq!(official.get("a%20b").map(String::as_str), Some("x%20y%2Bz"));
    }

    #[test]
    fn known_kinds_accept_only_harmless_differences() {
        let v = |a: &str, b: &str| Diff::Value {
            ours: a.into(),
            official: b.into(),
        };
        let json = KnownKind::SameJson;
        assert!(json.accepts(&v(r#"{"a":1,"b":2}"#, r#"{"b":2,"a":1}"#)));
        assert!(json.accepts(&v("[1e-7]", "[1e-07]")));
        assert!(!json.accepts(&v(r#"{"a":1}"#, r#"{"a":2}"#)));
        assert!(!json.accepts(&v("x", "y")));
        let float = KnownKind::FloatFormat;
        assert!(float.accepts(&v("1e21", "1e+21")));
        assert!(!float.accepts(&v("1e21", "1e+22")));
        assert!(KnownKind::OfficialNull.accepts(&v("text", "null")));
        assert!(!KnownKind::OfficialNull.accepts(&v("null", "text")));
        assert!(KnownKind::Extra.accepts(&Diff::OnlyOfficial("json".into())));
        assert!(float.accepts_encoded(&v("2.5e-8", "2.5e-08")));
        assert!(json.accepts_encoded(&v("%5B1e-7%5D", "%5B1e-07%5D")));
        assert!(!json.accepts_encoded(&v("%5B1%5D", "%5B2%5D")));
        assert!(!KnownKind::Extra.accepts(&v("a", "b")));
    }
}
