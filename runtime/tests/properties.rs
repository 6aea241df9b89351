//! Properties of the runtime on arbitrary input:
//!
//! - the canonical query of arbitrary Unicode keys and values is its definition: only
//!   unreserved characters and `%XX` escapes with upper-case hex (space `%20`, `*` `%2A`, `~`
//!   kept), pairs sorted by encoded key, and it decodes back to the same multiset of pairs;
//! - interpreting an arbitrary HTTP answer (status, headers, body bytes) never panics and gives
//!   the outcome its status calls for;
//! - the lenient conversions never panic, and whatever converts re-encodes to equivalent JSON.

mod common;

use alibabacloud_runtime::examples::equivalent;
use alibabacloud_runtime::transport::HttpResponse;
use alibabacloud_runtime::{
    percent, Client, ClientBuilder, Credentials, Error, FromJson, MockTransport, RetryPolicy,
    ToJson, Value,
};
use common::{Describe, SAS};
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

fn cases(default: u32) -> ProptestConfig {
    let n = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    ProptestConfig::with_cases(n)
}

// ---- canonical query -------------------------------------------------------------------------

/// Strictly percent-decodes `s`: `%` must start two hex digits; the result must be UTF-8.
fn percent_decode(s: &str) -> Result<String, String> {
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

/// Text with the characters that matter to encoding, and arbitrary Unicode.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[ *~%&=+/?#.a-zA-Z0-9_-]{0,12}",
        "\\PC{0,8}",
        Just(String::new()),
    ]
}

fn pairs() -> impl Strategy<Value = Vec<(String, String)>> {
    let key = prop_oneof![
        text(),
        proptest::sample::select(vec!["k", "K", "k.1", "a b", "~"]).prop_map(str::to_owned)
    ];
    prop::collection::vec((key, text()), 0..8)
}

proptest! {
    #![proptest_config(cases(512))]

    #[test]
    fn the_canonical_query_is_sorted_unreserved_and_decodes_to_its_pairs(pairs in pairs()) {
        let q = percent::canonical_query(&pairs);
        if pairs.is_empty() {
            prop_assert_eq!(q, "");
            return Ok(());
        }
        let bytes = q.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' {
                let hex = bytes.get(i + 1..i + 3).unwrap_or_default();
                prop_assert!(
                    hex.len() == 2 && hex.iter().all(|h| h.is_ascii_digit() || (b'A'..=b'F').contains(h)),
                    "escape at {} is not %XX in upper-case hex: {}", i, q
                );
                i += 3;
            } else {
                prop_assert!(
                    bytes[i].is_ascii_alphanumeric() || b"-_.~=&".contains(&bytes[i]),
                    "{:?} is not unreserved: {}", bytes[i] as char, q
                );
                i += 1;
            }
        }
        let parts: Vec<(&str, &str)> = q
            .split('&')
            .map(|p| p.split_once('=').unwrap_or((p, "")))
            .collect();
        prop_assert_eq!(parts.len(), pairs.len());
        prop_assert!(parts.windows(2).all(|w| w[0].0 <= w[1].0), "not sorted by encoded key: {}", q);
        let mut decoded = Vec::new();
        for (k, v) in &parts {
            decoded.push((
                percent_decode(k).map_err(TestCaseError::fail)?,
                percent_decode(v).map_err(TestCaseError::fail)?,
            ));
        }
        let mut expected = pairs.clone();
        decoded.sort();
        expected.sort();
        prop_assert_eq!(decoded, expected);
    }

    #[test]
    fn encoding_keeps_tilde_and_writes_space_and_star_as_escapes(s in text()) {
        let e = percent::encode(&s);
        prop_assert_eq!(percent_decode(&e).map_err(TestCaseError::fail)?, s.clone());
        prop_assert_eq!(s.matches(' ').count(), e.matches("%20").count());
        prop_assert_eq!(s.matches('*').count(), e.matches("%2A").count());
        prop_assert_eq!(s.matches('~').count(), e.matches('~').count());
        prop_assert!(!e.contains('+') && !e.contains(' ') && !e.contains('*'));
    }
}

// ---- interpreting answers --------------------------------------------------------------------

fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime")
    })
}

/// Small JSON values, with the shapes and quirks answers have.
fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        // Few significant bits: whole numbers an f32 holds exactly, and their neighbours.
        (any::<u32>(), 0u64..3).prop_map(|(n, d)| Value::from((u64::from(n) & !0xff) + d)),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        any::<f32>().prop_map(|f| {
            serde_json::Number::from_f64(f64::from(f)).map_or(Value::Null, Value::Number)
        }),
        prop_oneof![
            "[-+]?[0-9]{1,20}(\\.[0-9]{0,3})?([eE][-+]?[0-9]{1,3})?",
            "(?i)true|false| 1 |0x1F|NaN|inf|-0",
            "\\PC{0,6}",
        ]
        .prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 5, |inner| {
        let key = proptest::sample::select(vec![
            "RequestId",
            "Code",
            "Message",
            "HostId",
            "Recommend",
            "Data",
            "TotalCount",
            "x",
        ]);
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(key, inner, 0..5).prop_map(|m| {
                Value::Object(m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
            }),
        ]
    })
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..128),
        json().prop_map(|v| v.to_string().into_bytes()),
        (json(), any::<prop::sample::Index>()).prop_map(|(v, cut)| {
            let s = v.to_string().into_bytes();
            let n = cut.index(s.len() + 1);
            s[..n].to_vec()
        }),
        "\\{\"RequestId\":\"r\",\"Code\":\"[A-Za-z.%s 0-9]{0,12}\"\\}".prop_map(String::into_bytes),
    ]
}

proptest! {
    #![proptest_config(cases(512))]

    #[test]
    fn any_answer_is_interpreted_by_its_status_without_panicking(
        status in 100u16..600,
        body in body(),
        retry_after in prop::option::of("[0-9]{0,25}|[ a-z-]{0,5}"),
    ) {
        let mut response = HttpResponse::new(status, body.clone());
        if let Some(v) = &retry_after {
            if let Ok(v) = http::HeaderValue::from_str(v) {
                response.headers.insert("x-acs-retry-after", v);
            }
        }
        let mock = MockTransport::new();
        mock.push(response);
        let client: Client = ClientBuilder::new(&SAS)
            .endpoint("http://127.0.0.1:9")
            .credentials(Credentials::new("prop-id", "prop-secret"))
            .transport(Arc::new(mock))
            .retry_policy(RetryPolicy::disabled())
            .build()
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let result = runtime().block_on(client.call(&Describe::new()));
        let parsed = serde_json::from_slice::<Value>(&body).ok();
        let success = (200..300).contains(&status);
        match &result {
            Ok(v) => {
                prop_assert!(success, "HTTP {} succeeded", status);
                prop_assert_eq!(Some(v), parsed.as_ref());
            }
            Err(Error::Service(e)) => {
                prop_assert!(!success);
                prop_assert_eq!(e.status, status);
                prop_assert!(parsed.as_ref().and_then(|p| p.get("Code")).is_some());
                let expected_wait = retry_after
                    .as_deref()
                    .and_then(|v| v.trim().parse::<u64>().ok());
                prop_assert_eq!(e.retry_after, expected_wait);
            }
            Err(Error::Redirect(e)) => {
                prop_assert!((300..400).contains(&status));
                prop_assert_eq!(e.status, status);
            }
            Err(Error::Response(e)) => {
                prop_assert!(!(300..400).contains(&status), "a 3xx is a redirect error");
                prop_assert_eq!(e.status, status);
                let cut = body.len().min(alibabacloud_runtime::limits::ERROR_BODY_PREFIX);
                prop_assert_eq!(&e.body, &String::from_utf8_lossy(&body[..cut]));
                prop_assert_eq!(e.body_len, body.len());
                prop_assert!(
                    !success || parsed.is_none(),
                    "a 2xx JSON body is a success for an operation whose output is any JSON value"
                );
            }
            Err(other) => prop_assert!(false, "unexpected {:?}", other),
        }
        if let Err(e) = &result {
            let shown = e.to_string();
            prop_assert!(!shown.contains("prop-secret"));
            let _ = format!("{e:?}");
        }
    }
}

// ---- lenient conversions ---------------------------------------------------------------------

fn lossless<T: FromJson + ToJson>(v: &Value) -> Result<(), TestCaseError> {
    if let Ok(t) = T::from_json(v.clone()) {
        let back = t.to_json();
        if let Err(diff) = equivalent(v, &back) {
            return Err(TestCaseError::fail(format!(
                "{} lost data: {diff}: {v} became {back}",
                std::any::type_name::<T>()
            )));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(cases(1024))]

    #[test]
    fn whatever_converts_reencodes_to_equivalent_json(v in json()) {
        lossless::<String>(&v)?;
        lossless::<bool>(&v)?;
        lossless::<i32>(&v)?;
        lossless::<i64>(&v)?;
        lossless::<u32>(&v)?;
        lossless::<u64>(&v)?;
        lossless::<f32>(&v)?;
        lossless::<f64>(&v)?;
        lossless::<Value>(&v)?;
        lossless::<Vec<i64>>(&v)?;
        lossless::<Vec<String>>(&v)?;
        lossless::<Vec<Vec<f64>>>(&v)?;
        lossless::<BTreeMap<String, i32>>(&v)?;
        lossless::<BTreeMap<String, Vec<bool>>>(&v)?;
    }

    #[test]
    fn decoding_arbitrary_bytes_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        if let Ok(v) = serde_json::from_slice::<Value>(&bytes) {
            lossless::<Vec<i64>>(&v)?;
            lossless::<BTreeMap<String, f64>>(&v)?;
        }
    }
}
