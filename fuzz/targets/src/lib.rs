//! Fuzz target bodies, shared by the cargo-fuzz harness in `fuzz/` (libFuzzer, nightly) and by
//! `cargo xtask fuzz-smoke` (stable, [`smoke`]).
//!
//! Each body takes arbitrary bytes and panics only on a finding:
//!
//! - [`spec_generate`]: bytes → a spec file → the generator. Any input may fail, but never with
//!   a panic, and every error names what was expected (never the generic "generated code that
//!   parses", which means a valid spec produced invalid Rust).
//! - [`response_decode`]: bytes → an HTTP answer → the client's interpretation and the seed
//!   operation's typed decoding, plus the runtime's lenient conversions. A value that decodes
//!   must re-encode to equivalent JSON (nothing lost); outcomes must match the status.
//! - [`canonical_query`]: bytes → key/value pairs → the canonical query: only unreserved
//!   characters and `%XX` (upper-case hex), sorted by encoded key, decoding back to the input.

pub mod smoke;

use alibabacloud_runtime::examples::equivalent;
use alibabacloud_runtime::json::Fields;
use alibabacloud_runtime::transport::HttpResponse;
use alibabacloud_runtime::{percent, Credentials, Error, FromJson, MockTransport, RetryPolicy};
use alibabacloud_runtime::{ToJson, Value};
use alibabacloud_sas20181203::{
    Client, CreateContainerScanTaskByAppNameRequest as Request,
    CreateContainerScanTaskByAppNameResponse as Response,
};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

/// A fuzz target body.
pub type Target = fn(&[u8]);

/// Every target by name.
pub const TARGETS: &[(&str, Target)] = &[
    ("spec_generate", spec_generate),
    ("response_decode", response_decode),
    ("canonical_query", canonical_query),
];

/// The target named `name`.
pub fn target(name: &str) -> Option<Target> {
    TARGETS.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

/// The seed product file, the product used when the input is an operation file.
pub const SEED_PRODUCT: &str = include_str!("../../../spec/sas/2018-12-03/product.json");
/// The seed operation file, the operation used when the input is a product file.
pub const SEED_OPERATION: &str =
    include_str!("../../../spec/sas/2018-12-03/operations/CreateContainerScanTaskByAppName.json");

// ---- spec_generate --------------------------------------------------------------------------

thread_local! {
    static SPEC_DIR: RefCell<Option<PathBuf>> = const { RefCell::new(None) };
}

/// A spec tree for this thread: `<tmp>/spec/fuzz/2020-01-01/`.
fn spec_dir() -> PathBuf {
    SPEC_DIR.with(|d| {
        d.borrow_mut()
            .get_or_insert_with(|| {
                use std::sync::atomic::{AtomicUsize, Ordering};
                static N: AtomicUsize = AtomicUsize::new(0);
                std::env::temp_dir().join(format!(
                    "sas-fuzz-{}-{}",
                    std::process::id(),
                    N.fetch_add(1, Ordering::SeqCst)
                ))
            })
            .clone()
    })
}

/// Removes this thread's spec tree (left by [`spec_generate`]).
pub fn cleanup() {
    SPEC_DIR.with(|d| {
        if let Some(dir) = d.borrow_mut().take() {
            let _ = std::fs::remove_dir_all(dir);
        }
    });
}

/// The file name an operation document asks for: its `action` when that is a plain name.
fn operation_file_name(text: &[u8]) -> String {
    let action = serde_json::from_slice::<Value>(text)
        .ok()
        .and_then(|v| v.get("action").and_then(Value::as_str).map(str::to_owned))
        .filter(|a| !a.is_empty() && a.len() <= 64 && a.chars().all(|c| c.is_ascii_alphanumeric()));
    format!("{}.json", action.as_deref().unwrap_or("Fuzz"))
}

/// First byte: bit 0 clear → the rest is an operation file (with the seed product); set → the
/// rest is `product.json` (with the seed operation).
pub fn spec_generate(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let root = spec_dir();
    let dir = root.join("spec").join("fuzz").join("2020-01-01");
    let ops = dir.join("operations");
    let _ = std::fs::remove_dir_all(&ops);
    if std::fs::create_dir_all(&ops).is_err() {
        return;
    }
    let (product, op_name, op): (&[u8], String, &[u8]) = if mode & 1 == 0 {
        (SEED_PRODUCT.as_bytes(), operation_file_name(rest), rest)
    } else {
        (
            rest,
            "CreateContainerScanTaskByAppName.json".to_owned(),
            SEED_OPERATION.as_bytes(),
        )
    };
    if std::fs::write(dir.join("product.json"), product).is_err()
        || std::fs::write(ops.join(op_name), op).is_err()
    {
        return;
    }
    check_generation(&root.join("spec"));
}

/// Runs the generator on `spec_root` and checks its errors are specific.
pub fn check_generation(spec_root: &std::path::Path) {
    match sas_codegen::generate(spec_root, &sas_codegen::Options::default()) {
        Ok(g) => assert!(!g.crates.is_empty(), "generation succeeded with no crate"),
        Err(errors) => {
            assert!(!errors.is_empty(), "generation failed without an error");
            for e in &errors {
                assert!(
                    !e.expected.contains("generated code that parses"),
                    "a spec that passed validation generated invalid Rust: {e}"
                );
                assert!(
                    e.expected.contains("expected"),
                    "an error that does not say what was expected: {e}"
                );
                assert!(e.path.starts_with('$'), "not a JSON path: {e}");
            }
        }
    }
}

// ---- response_decode ------------------------------------------------------------------------

thread_local! {
    static RUNTIME: Option<tokio::runtime::Runtime> = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .ok();
}

/// Bytes 0–1: the status (100–599); byte 2: bit 0 adds `x-acs-retry-after` (from byte 3),
/// bit 1 adds `x-acs-request-id`; the rest is the body.
pub fn response_decode(data: &[u8]) {
    if data.len() < 4 {
        return;
    }
    let status = 100 + u16::from_le_bytes([data[0], data[1]]) % 500;
    let flags = data[2];
    let body = &data[4..];

    if let Ok(value) = serde_json::from_slice::<Value>(body) {
        decode_value(&value);
    }

    let mut response = HttpResponse::new(status, body.to_vec());
    if flags & 1 != 0 {
        let v = http::HeaderValue::from(u32::from(data[3]) * 7);
        response.headers.insert("x-acs-retry-after", v);
    }
    if flags & 2 != 0 {
        response.headers.insert(
            "x-acs-request-id",
            http::HeaderValue::from_static("fuzz-request"),
        );
    }
    let mock = MockTransport::new();
    mock.push(response);
    let built = Client::builder()
        .endpoint("http://127.0.0.1:9")
        .credentials(Credentials::new("fuzz-id", "fuzz-secret"))
        .transport(Arc::new(mock))
        .retry_policy(RetryPolicy::disabled())
        .build();
    let client: Client = match built {
        Ok(c) => c,
        Err(e) => panic!("a client with a mock transport builds: {e}"),
    };
    let result = RUNTIME.with(|rt| {
        rt.as_ref()
            .map(|rt| rt.block_on(client.create_container_scan_task_by_app_name(&Request::new())))
    });
    let Some(result) = result else {
        return;
    };
    match &result {
        Ok(r) => {
            assert!(
                (200..300).contains(&status),
                "HTTP {status} decoded as {r:?}"
            );
            if let Ok(value) = serde_json::from_slice::<Value>(body) {
                assert_lossless(&value, &r.to_json(), "the seed response (client)");
            }
        }
        Err(Error::Service(e)) => {
            assert!(
                !(200..300).contains(&status),
                "HTTP {status} is a service error {e}"
            );
            assert_eq!(e.status, status);
            assert!(!e.code.is_empty() || body.windows(6).any(|w| w == b"\"Code\""));
        }
        Err(Error::Response(e)) => assert_eq!(e.status, status),
        Err(Error::Redirect(e)) => {
            assert!((300..400).contains(&status), "HTTP {status} is a redirect");
            assert_eq!(e.status, status);
        }
        Err(other) => panic!("a mock answer gave {other:?}"),
    }
    if let Err(e) = &result {
        let shown = e.to_string();
        assert!(!shown.contains("fuzz-secret"), "the secret leaked: {shown}");
        let _ = format!("{e:?}");
    }
}

/// Checks that `decoded` keeps everything of `original` (up to lossless conversions).
fn assert_lossless(original: &Value, decoded: &Value, what: &str) {
    if let Err(diff) = equivalent(original, decoded) {
        panic!("{what} lost data: {diff}\noriginal: {original}\ndecoded: {decoded}");
    }
}

fn roundtrip<T: FromJson + ToJson>(value: &Value, what: &str) {
    if let Ok(t) = T::from_json(value.clone()) {
        assert_lossless(value, &t.to_json(), what);
    }
}

/// The typed and lenient conversions of one JSON value.
pub fn decode_value(value: &Value) {
    roundtrip::<Response>(value, "the seed response");
    roundtrip::<String>(value, "String");
    roundtrip::<bool>(value, "bool");
    roundtrip::<i32>(value, "i32");
    roundtrip::<i64>(value, "i64");
    roundtrip::<u32>(value, "u32");
    roundtrip::<u64>(value, "u64");
    roundtrip::<f32>(value, "f32");
    roundtrip::<f64>(value, "f64");
    roundtrip::<Vec<i64>>(value, "Vec<i64>");
    roundtrip::<Vec<String>>(value, "Vec<String>");
    roundtrip::<BTreeMap<String, i32>>(value, "BTreeMap<String, i32>");
    roundtrip::<Vec<BTreeMap<String, bool>>>(value, "Vec<BTreeMap<String, bool>>");
    if let Ok(mut fields) = Fields::new(value.clone()) {
        let _: Option<i64> = fields.take("TotalCount");
        let _: Option<String> = fields.take("RequestId");
        let _ = fields.finish();
    }
    let _ = serde_json::to_string(&Response::from_json(value.clone()).ok());
}

// ---- canonical_query ------------------------------------------------------------------------

/// Splits `data` into pairs: `0x00` ends a pair, the first `0x01` of a pair ends its key.
pub fn pairs_of(data: &[u8]) -> Vec<(String, String)> {
    let text = String::from_utf8_lossy(data);
    if text.is_empty() {
        return Vec::new();
    }
    text.split('\u{0}')
        .map(|p| match p.split_once('\u{1}') {
            Some((k, v)) => (k.to_owned(), v.to_owned()),
            None => (p.to_owned(), String::new()),
        })
        .collect()
}

/// Bytes → pairs → the canonical query, checked against its definition.
pub fn canonical_query(data: &[u8]) {
    check_canonical_query(&pairs_of(data));
}

/// Percent-decodes `s` strictly: `%` must start two hex digits; the result must be UTF-8.
pub fn percent_decode(s: &str) -> Result<String, String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| format!("a bad escape at {i} in {s:?}"))?;
            out.push(hex);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|e| format!("{s:?} decodes to invalid UTF-8: {e}"))
}

/// The canonical query of `pairs` is its definition (see the crate docs).
pub fn check_canonical_query(pairs: &[(String, String)]) {
    let q = percent::canonical_query(pairs);
    if pairs.is_empty() {
        assert_eq!(q, "");
        return;
    }
    let bytes = q.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c == b'%' {
            let hex = bytes.get(i + 1..i + 3).unwrap_or_default();
            assert!(
                hex.len() == 2
                    && hex
                        .iter()
                        .all(|h| h.is_ascii_digit() || (b'A'..=b'F').contains(h)),
                "escape at {i} is not %XX with upper-case hex: {q}"
            );
            i += 3;
            continue;
        }
        assert!(
            c.is_ascii_alphanumeric() || b"-_.~=&".contains(&c),
            "{:?} is not unreserved: {q}",
            c as char
        );
        i += 1;
    }
    let parts: Vec<(&str, &str)> = q
        .split('&')
        .map(|p| p.split_once('=').unwrap_or((p, "")))
        .collect();
    assert_eq!(parts.len(), pairs.len(), "one pair per input pair: {q}");
    assert!(
        parts.windows(2).all(|w| w[0] <= w[1]),
        "not sorted by encoded key (then value): {q}"
    );
    let mut decoded: Vec<(String, String)> = parts
        .iter()
        .map(|(k, v)| match (percent_decode(k), percent_decode(v)) {
            (Ok(k), Ok(v)) => (k, v),
            (Err(e), _) | (_, Err(e)) => panic!("{e}"),
        })
        .collect();
    let mut expected = pairs.to_vec();
    decoded.sort();
    expected.sort();
    assert_eq!(decoded, expected, "does not decode to the input pairs: {q}");
    for (k, v) in pairs {
        let (ek, ev) = (percent::encode(k), percent::encode(v));
        assert_eq!(percent_decode(&ek).as_deref(), Ok(k.as_str()));
        assert_eq!(percent_decode(&ev).as_deref(), Ok(v.as_str()));
        for (raw, enc) in [(k, &ek), (v, &ev)] {
            assert_eq!(
                raw.matches(' ').count(),
                enc.matches("%20").count(),
                "space → %20"
            );
            assert_eq!(
                raw.matches('*').count(),
                enc.matches("%2A").count(),
                "* → %2A"
            );
            assert_eq!(
                raw.matches('~').count(),
                enc.matches('~').count(),
                "~ stays"
            );
        }
    }
}
