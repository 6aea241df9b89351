//! Driver of `cargo xtask interop-surface` (copied as `src/main.rs` of a crate the command
//! writes under `target/interop-surface/`, next to the generated `src/requests.rs`): sends every
//! operation with every parameter set, once with our Rust client and once with the official
//! Python SDK (`official_client.py surface`), to the verifier, whose signature check is the
//! official library's own; compares what the verifier decoded from each request.
//!
//! Usage: `driver --python PY --values values.json --known surface_known.json [--sdk NAME]`
//! (`--sdk`: another product's official SDK, e.g. the ROA product `tingwu20230930`).

mod requests;

use alibabacloud_runtime::Credentials;
use sas_tests::interop::{self, compare, Diff, KnownKind, Verifier};
use serde_json::Value;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

fn arg(args: &[String], name: &str) -> Option<String> {
    let i = args.iter().position(|a| a == name)?;
    args.get(i + 1).cloned()
}

fn outcome(r: &Result<(), String>) -> String {
    match r {
        Ok(()) => "ok".to_owned(),
        Err(e) => e.clone(),
    }
}

/// The differences the comparison forgives, each checked to be of its kind.
fn known(d: &Diff) -> Option<&'static str> {
    if KnownKind::SameJson.accepts(d) {
        Some("same JSON value, spelled differently")
    } else if KnownKind::FloatFormat.accepts(d) {
        Some("same number, spelled differently")
    } else {
        None
    }
}

/// A header value with non-ASCII text: we send its UTF-8 bytes, the official SDK (Python's
/// `http.client`) its Latin-1 bytes; the verifier reads both as Latin-1. The same text, in two
/// charsets (HTTP defines none for header values).
fn header_charset(d: &Diff) -> bool {
    let Diff::Value { ours, official } = d else {
        return false;
    };
    let bytes: Option<Vec<u8>> = ours.chars().map(|c| u8::try_from(u32::from(c)).ok()).collect();
    bytes.and_then(|b| String::from_utf8(b).ok()).as_deref() == Some(official.as_str())
        && ours != official
}

fn show(key: &str, d: &Diff) -> String {
    match d {
        Diff::OnlyOurs(v) => format!("{key}: only ours sends it ({v:?})"),
        Diff::OnlyOfficial(v) => format!("{key}: only the official SDK sends it ({v:?})"),
        Diff::Value { ours, official } => format!("{key}: ours {ours:?}, official {official:?}"),
    }
}

async fn run() -> Result<bool, String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let python = PathBuf::from(arg(&args, "--python").ok_or("--python PATH")?);
    let values = arg(&args, "--values").ok_or("--values FILE")?;
    let known_file = arg(&args, "--known").ok_or("--known FILE")?;
    let known_doc: Value = std::fs::read_to_string(&known_file)
        .map_err(|e| format!("{known_file}: {e}"))
        .and_then(|t| serde_json::from_str(&t).map_err(|e| format!("{known_file}: {e}")))?;
    let moved: Vec<String> = known_doc
        .get("known")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter(|(_, v)| v.get("kind").and_then(Value::as_str) == Some("moved"))
                .map(|(k, _)| k.clone())
                .collect()
        })
        .unwrap_or_default();
    let verifier = Verifier::start(&python, true)?;
    let calls = requests::calls();
    println!("interop-surface: {} operation(s), verifier on {}", calls.len(), verifier.url());
    let creds = Credentials::new("LTAI5tInteropAccessKeyId", "interop-secret-value");
    let client = requests::client(&verifier.url(), creds)?;
    let mut ours = Vec::new();
    for (action, call) in &calls {
        let r = tokio::time::timeout(Duration::from_secs(30), call(&client))
            .await
            .map_err(|_| format!("{action}: our call timed out"))?;
        let mut recs = verifier.drain()?;
        if recs.len() != 1 {
            return Err(format!("{action}: the verifier saw {} requests from us", recs.len()));
        }
        ours.push((outcome(&r), recs.remove(0)));
    }
    let mut official_args = vec!["--endpoint".into(), verifier.host_port(), "--values".into(), values];
    if let Some(sdk) = arg(&args, "--sdk") {
        official_args.extend(["--sdk".to_owned(), sdk]);
    }
    let lines = interop::run_official(&python, "surface", &official_args)?;
    let mut records = verifier.drain()?.into_iter();
    let mut failed = Vec::new();
    let mut known_count = 0usize;
    let mut moved_seen = Vec::new();
    // Operations the official SDK lacks (gone from the API): ours is still checked by the
    // verifier, but there is nothing to compare with.
    let mut not_in_sdk = Vec::new();
    for (((action, _), (our_out, r)), line) in calls.iter().zip(&ours).zip(&lines) {
        let v: Value = serde_json::from_str(line).map_err(|e| format!("{line:?}: {e}"))?;
        if v.get("case").and_then(Value::as_str) != Some(*action) {
            return Err(format!("official output out of order at {action}: {line}"));
        }
        let mut problems = Vec::new();
        let official_out = if v.get("ok").and_then(Value::as_bool) == Some(true) {
            "ok".to_owned()
        } else {
            v.get("code").and_then(Value::as_str).unwrap_or("?").to_owned()
        };
        if our_out != "ok" || !r.accepted {
            problems.push(format!(
                "ours: {our_out} (verifier: {})",
                r.message.as_deref().unwrap_or("accepted")
            ));
        }
        // The official SDK sends nothing when it cannot build the request.
        let o = if official_out == "NotInOfficialSdk" {
            None
        } else {
            records.next()
        };
        match o {
            None => not_in_sdk.push(action.to_string()),
            Some(o) => {
                if official_out != "ok" || !o.accepted {
                    problems.push(format!(
                        "official: {official_out} (verifier: {}) {}",
                        o.message.as_deref().unwrap_or("accepted"),
                        v.get("message").and_then(Value::as_str).unwrap_or("")
                    ));
                }
                if o.action != *action {
                    return Err(format!("{action}: official record is for {}", o.action));
                }
                if r.method != o.method {
                    problems.push(format!("method: ours {}, official {}", r.method, o.method));
                }
                // ROA: the path as sent, the content type, header parameters, and a JSON body byte for
                // byte.
                if r.path != o.path {
                    problems.push(format!("path: ours {:?}, official {:?}", r.path, o.path));
                }
                if r.content_type != o.content_type {
                    problems.push(format!(
                        "content type: ours {:?}, official {:?}",
                        r.content_type, o.content_type
                    ));
                }
                for (key, d) in compare(&r.other_headers, &o.other_headers) {
                    if header_charset(&d) {
                        known_count += 1;
                    } else {
                        problems.push(format!("header {}", show(&key, &d)));
                    }
                }
                let json_body = |x: &interop::Record| {
                    x.content_type.as_deref().is_some_and(|c| c.starts_with("application/json"))
                };
                if (json_body(r) || json_body(&o)) && r.raw_body != o.raw_body {
                    problems.push(format!(
                        "JSON body: ours {:?}, official {:?}",
                        r.raw_body, o.raw_body
                    ));
                }
                let wire_differs = r.query != o.query || r.body != o.body;
                if moved.iter().any(|m| m == action) && wire_differs {
                    // Declared `moved`: the query and body together must be equal.
                    let all = |x: &interop::Record| {
                        let mut m = x.query.clone();
                        m.extend(x.body.clone());
                        m
                    };
                    let d = compare(&all(r), &all(&o));
                    if d.is_empty() {
                        moved_seen.push(action.to_string());
                        known_count += 1;
                    } else {
                        for (key, d) in d {
                            problems.push(format!("{} (declared moved)", show(&key, &d)));
                        }
                    }
                } else if moved.iter().any(|m| m == action) {
                    problems.push(
                        "declared `moved` but both sides now agree: remove it from surface_known.json"
                            .to_owned(),
                    );
                }
                let parts = if moved.iter().any(|m| m == action) {
                    Vec::new()
                } else {
                    vec![("query", &r.query, &o.query), ("body", &r.body, &o.body)]
                };
                for (part, a, b) in parts {
                    for (key, d) in compare(a, b) {
                        match known(&d) {
                            Some(_) => known_count += 1,
                            None => problems.push(format!("{part} {}", show(&key, &d))),
                        }
                    }
                }
            }
        }
        if !problems.is_empty() {
            failed.push((action.to_string(), problems));
        }
    }
    if lines.len() != calls.len() {
        return Err(format!(
            "the official SDK answered for {} of {} operations",
            lines.len(),
            calls.len()
        ));
    }
    for (action, problems) in &failed {
        for p in problems {
            println!("  DIFFERS  {action}: {p}");
        }
    }
    for a in &not_in_sdk {
        println!("  SKIPPED  {a}: not in the official SDK (nothing to compare; ours accepted unless listed above)");
    }
    for a in &moved_seen {
        println!("  known    {a}: the same parameters, in the query on one side and in the body on the other (tests/interop/surface_known.json)");
    }
    let compared = calls.len() - not_in_sdk.len();
    let failed_compared = failed.iter().filter(|(a, _)| !not_in_sdk.contains(a)).count();
    println!(
        "\ninterop-surface: {} of {} operation(s) accepted and equal on the wire, {} differ, {} not in the official SDK; {} known difference(s) (same JSON or number spelled differently, a non-ASCII header value in another charset, or declared in surface_known.json)",
        compared - failed_compared,
        calls.len(),
        failed.len(),
        not_in_sdk.len(),
        known_count
    );
    Ok(failed.is_empty())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    match run().await {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("interop-surface: {e}");
            ExitCode::FAILURE
        }
    }
}
