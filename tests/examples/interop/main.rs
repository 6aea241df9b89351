//! Interop with the official Python SDK (run by `cargo xtask interop`, which prepares the
//! virtualenv and passes its interpreter):
//!
//! 1. starts `tests/interop/verifier.py`, whose signature check is the official library's own;
//! 2. sends every case of `tests/interop/cases.json` with our Rust clients: the generated Sas
//!    crate for every Security Center operation (the seed here, the others in `real.rs`), the
//!    fixture crate for the shapes Security Center lacks;
//! 3. sends the same cases with the official Python SDK (`official_client.py`): the real
//!    generated `alibabacloud_sas20181203` client for every Security Center case;
//! 4. compares, per case, what the verifier saw of each: method, path, `x-acs-version`,
//!    content type, the query and body pairs as sent (still encoded, sorted) and decoded, header
//!    parameters, security token, whether it was signed and accepted; prints a table and exits
//!    non-zero on any mismatch.
//!
//! `cargo run -p sas-tests --example interop -- --python .venv-interop/bin/python`

use alibabacloud_fixture20200101 as fixture;
use alibabacloud_runtime::{Credentials, Error, ErrorCode, FromJson, RetryPolicy, Value};
use alibabacloud_sas20181203 as sas;

mod real;
use fixture::operations::echo_params::request::config::Nested;
use fixture::operations::echo_params::request::filters::Limits;
use fixture::operations::echo_params::request::{Config, Filters, FiltersRequired};
use fixture::operations::echo_params::EchoParamsRequired;
use sas_tests::interop::{
    self, compare, decode_key, official_raw_pairs, raw_pairs, Diff, KnownKind, Record, Verifier,
};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// One case of `cases.json`.
struct Case {
    name: String,
    shape: String,
    product: String,
    operation: String,
    credentials: Option<Credentials>,
    params: serde_json::Map<String, Value>,
    expect: Option<String>,
    known: BTreeMap<String, KnownKind>,
}

/// The outcome of one call as the client saw it.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Ok,
    Code(String),
}

impl Outcome {
    fn show(&self) -> String {
        match self {
            Outcome::Ok => "ok".into(),
            Outcome::Code(c) => c.clone(),
        }
    }
}

fn load_cases() -> Result<Vec<Case>, String> {
    let path = interop::interop_dir().join("cases.json");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let doc: Value = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let creds = doc
        .get("credentials")
        .and_then(Value::as_object)
        .ok_or("cases.json: no credentials")?;
    let mut out = Vec::new();
    for c in doc
        .get("cases")
        .and_then(Value::as_array)
        .ok_or("cases.json: no cases")?
    {
        let s = |k: &str| -> Result<String, String> {
            c.get(k)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| format!("cases.json: a case has no {k}: {c}"))
        };
        let name = s("name")?;
        let cred_name = s("credentials")?;
        let credentials = match creds.get(&cred_name) {
            Some(Value::Null) => None,
            Some(v) => {
                let f = |k: &str| v.get(k).and_then(Value::as_str);
                let mut cr = Credentials::new(
                    f("access_key_id").ok_or("credentials: no access_key_id")?,
                    f("access_key_secret").ok_or("credentials: no access_key_secret")?,
                );
                if let Some(t) = f("security_token") {
                    cr = cr.with_security_token(t);
                }
                Some(cr)
            }
            None => return Err(format!("{name}: unknown credentials {cred_name:?}")),
        };
        let mut known = BTreeMap::new();
        if let Some(k) = c.get("known_differences").and_then(Value::as_object) {
            for (param, v) in k {
                let kind = v
                    .get("kind")
                    .and_then(Value::as_str)
                    .and_then(KnownKind::parse)
                    .ok_or_else(|| format!("{name}: known difference {param}: bad kind"))?;
                known.insert(param.clone(), kind);
            }
        }
        out.push(Case {
            shape: s("style")?,
            product: s("product")?,
            operation: s("operation")?,
            params: c
                .get("params")
                .and_then(Value::as_object)
                .cloned()
                .ok_or_else(|| format!("{name}: no params"))?,
            expect: c.get("expect").and_then(Value::as_str).map(str::to_owned),
            credentials,
            known,
            name,
        });
    }
    Ok(out)
}

fn strings(v: &Value) -> Result<Vec<String>, String> {
    v.as_array()
        .ok_or_else(|| format!("expected a list of strings: {v}"))?
        .iter()
        .map(|x| {
            x.as_str()
                .map(str::to_owned)
                .ok_or_else(|| format!("expected a string: {x}"))
        })
        .collect()
}

fn string(v: &Value) -> Result<String, String> {
    v.as_str()
        .map(str::to_owned)
        .ok_or_else(|| format!("expected a string: {v}"))
}

fn int<T: TryFrom<i64>>(v: &Value) -> Result<T, String> {
    v.as_i64()
        .and_then(|i| T::try_from(i).ok())
        .ok_or_else(|| format!("expected an integer in range: {v}"))
}

fn filters(v: &Value) -> Result<Vec<Filters>, String> {
    let mut out = Vec::new();
    for f in v.as_array().ok_or("Filters: expected a list")? {
        let mut item = Filters::new(FiltersRequired {
            key: string(f.get("Key").ok_or("Filters: no Key")?)?,
        });
        if let Some(values) = f.get("Values") {
            item = item.values(strings(values)?);
        }
        if let Some(limits) = f.get("Limits") {
            let mut ls = Vec::new();
            for l in limits.as_array().ok_or("Limits: expected a list")? {
                let mut limit = Limits::new();
                if let Some(m) = l.get("Max") {
                    limit = limit.max(int::<i32>(m)?);
                }
                ls.push(limit);
            }
            item = item.limits(ls);
        }
        out.push(item);
    }
    Ok(out)
}

fn config(v: &Value) -> Result<Config, String> {
    let mut c = Config::new();
    if let Some(r) = v.get("Region") {
        c = c.region(string(r)?);
    }
    if let Some(s) = v.get("Size") {
        c = c.size(int::<i64>(s)?);
    }
    if let Some(n) = v.get("Nested") {
        let mut nested = Nested::new();
        if let Some(d) = n.get("Deep") {
            nested = nested.deep(d.as_bool().ok_or("Deep: expected a boolean")?);
        }
        c = c.nested(nested);
    }
    Ok(c)
}

/// The typed `EchoParams` request for the case's parameters (wire names), built through the
/// generated crate's public API.
fn echo_request(p: &serde_json::Map<String, Value>) -> Result<fixture::EchoParamsRequest, String> {
    let mut r = fixture::EchoParamsRequest::new(EchoParamsRequired {
        name: string(p.get("Name").ok_or("Name is required")?)?,
        total: int::<i64>(p.get("Total").ok_or("Total is required")?)?,
    });
    for (k, v) in p {
        r = match k.as_str() {
            "Name" | "Total" => r,
            "Count" => r.count(int::<i32>(v)?),
            "Ratio" => r.ratio(v.as_f64().ok_or("Ratio: expected a number")? as f32),
            "Score" => r.score(v.as_f64().ok_or("Score: expected a number")?),
            "Enabled" => r.enabled(v.as_bool().ok_or("Enabled: expected a boolean")?),
            "Mode" => r.mode(string(v)?.as_str()),
            "Level" => r.level(int::<i32>(v)?),
            "Tags" => r.tags(strings(v)?),
            "Filters" => r.filters(filters(v)?),
            "Matrix" => {
                let rows = v.as_array().ok_or("Matrix: expected a list")?;
                let mut m = Vec::new();
                for row in rows {
                    let row = row.as_array().ok_or("Matrix: expected lists")?;
                    m.push(row.iter().map(int::<i32>).collect::<Result<Vec<_>, _>>()?);
                }
                r.matrix(m)
            }
            "Config" => r.config(config(v)?),
            "Labels" => {
                let mut labels = BTreeMap::new();
                for (lk, lv) in v.as_object().ok_or("Labels: expected an object")? {
                    labels.insert(lk.clone(), string(lv)?);
                }
                r.labels(labels)
            }
            "Ids" => r.ids(strings(v)?),
            "Payload" => r.payload(v.clone()),
            "type" => r.r#type(string(v)?),
            "DnsConfig.NameServer" => r.dns_config_name_server(string(v)?),
            "InstanceIDs" => r.instance_ids(strings(v)?),
            "Tree" => r.tree(
                fixture::types::Node::from_json(v.clone())
                    .map_err(|v| format!("Tree: not a Node: {v}"))?,
            ),
            "Note" => r.note(string(v)?),
            "Attachments" => r.attachments(strings(v)?),
            "x-acs-fixture-trace" => r.x_acs_fixture_trace(string(v)?),
            other => return Err(format!("EchoParams has no parameter {other:?}")),
        };
    }
    Ok(r)
}

fn outcome<K: ErrorCode>(r: Result<(), Error<K>>) -> Outcome {
    match r {
        Ok(()) => Outcome::Ok,
        Err(e) => Outcome::Code(
            e.code()
                .map(str::to_owned)
                .unwrap_or_else(|| format!("error: {e}")),
        ),
    }
}

/// Sends `case` with our Rust client.
async fn call_rust(case: &Case, url: &str) -> Result<Outcome, String> {
    // Credentials are always explicit: never the default chain (which could look beyond
    // loopback). Anonymous operations must not use them.
    let credentials = case
        .credentials
        .clone()
        .unwrap_or_else(|| Credentials::new("unused-anonymous", "unused-anonymous"));
    let p = &case.params;
    match (case.product.as_str(), case.operation.as_str()) {
        ("sas", op) => {
            let client: sas::Client = sas::Client::builder()
                .endpoint(url)
                .credentials(credentials)
                .retry_policy(RetryPolicy::disabled())
                .build()
                .map_err(|e| format!("client: {e}"))?;
            if op != SEED {
                return real::call(&client, op, p).await;
            }
            let mut r = sas::CreateContainerScanTaskByAppNameRequest::new();
            for (k, v) in p {
                r = match k.as_str() {
                    "ClusterId" => r.cluster_id(string(v)?),
                    "AppNames" => r.app_names(string(v)?),
                    "Lang" => r.lang(string(v)?.as_str()),
                    other => return Err(format!("seed: no parameter {other:?}")),
                };
            }
            Ok(outcome(
                client
                    .create_container_scan_task_by_app_name(&r)
                    .await
                    .map(|_| ()),
            ))
        }
        ("fixture", op) => {
            let client: fixture::Client = fixture::Client::builder()
                .endpoint(url)
                .credentials(credentials)
                .retry_policy(RetryPolicy::disabled())
                .build()
                .map_err(|e| format!("client: {e}"))?;
            match op {
                "EchoParams" => Ok(outcome(
                    client.echo_params(&echo_request(p)?).await.map(|_| ()),
                )),
                "AnonymousHello" => {
                    let mut r = fixture::AnonymousHelloRequest::new();
                    if let Some(g) = p.get("Greeting") {
                        r = r.greeting(string(g)?);
                    }
                    Ok(outcome(client.anonymous_hello(&r).await.map(|_| ())))
                }
                other => Err(format!("fixture operation {other} is not wired")),
            }
        }
        (product, op) => Err(format!("unknown product/operation {product}/{op}")),
    }
}

/// The seed operation, written by hand from its documentation page; the other Security Center
/// cases are in `real.rs`.
const SEED: &str = "CreateContainerScanTaskByAppName";

/// The comparison of one case.
struct Row {
    name: String,
    shape: String,
    ours: Outcome,
    official: Outcome,
    /// Problems that fail the run.
    problems: Vec<String>,
    /// Differences declared known (and checked harmless).
    known: Vec<String>,
}

fn show_diff(key: &str, d: &Diff) -> String {
    match d {
        Diff::OnlyOurs(v) => format!("{key}: only ours sends it ({v:?})"),
        Diff::OnlyOfficial(v) => format!("{key}: only the official SDK sends it ({v:?})"),
        Diff::Value { ours, official } => {
            format!("{key}: ours {ours:?}, official {official:?}")
        }
    }
}

fn compare_case(case: &Case, ours: (&Outcome, &Record), official: (&Outcome, &Record)) -> Row {
    let mut problems = Vec::new();
    let mut known = Vec::new();
    let (our_outcome, r) = ours;
    let (official_outcome, o) = official;
    let expected = match &case.expect {
        Some(code) => Outcome::Code(code.clone()),
        None => Outcome::Ok,
    };
    for (who, out, rec) in [("ours", our_outcome, r), ("official", official_outcome, o)] {
        if *out != expected {
            problems.push(format!(
                "{who}: expected {}, the client got {} (verifier: {})",
                expected.show(),
                out.show(),
                rec.message.as_deref().unwrap_or("accepted")
            ));
        }
        if rec.accepted != case.expect.is_none() {
            problems.push(format!(
                "{who}: the verifier {} the request{}",
                if rec.accepted { "accepted" } else { "rejected" },
                rec.message
                    .as_deref()
                    .map(|m| format!(": {m}"))
                    .unwrap_or_default()
            ));
        }
        if rec.action != case.operation {
            problems.push(format!(
                "{who}: the verifier saw action {:?}, not {}",
                rec.action, case.operation
            ));
        }
    }
    if r.signed != o.signed {
        problems.push(format!("signed: ours {}, official {}", r.signed, o.signed));
    }
    if r.security_token != o.security_token {
        problems.push(format!(
            "security token: ours {:?}, official {:?}",
            r.security_token, o.security_token
        ));
    }
    for (what, ours, official) in [
        ("method", Some(&r.method), Some(&o.method)),
        ("path", Some(&r.path), Some(&o.path)),
        ("x-acs-version", r.version.as_ref(), o.version.as_ref()),
        (
            "content type",
            r.content_type.as_ref(),
            o.content_type.as_ref(),
        ),
    ] {
        if ours != official {
            problems.push(format!("{what}: ours {ours:?}, official {official:?}"));
        }
    }
    let mut seen_known = Vec::new();
    // Decoded first, then the pairs as sent: the same parameters must also be the same bytes.
    let (raw_query, raw_body) = (
        (raw_pairs(&r.raw_query), official_raw_pairs(&o.raw_query)),
        (raw_pairs(&r.raw_body), official_raw_pairs(&o.raw_body)),
    );
    for (part, a, b) in [
        ("query", &r.query, &o.query),
        ("body", &r.body, &o.body),
        ("header", &r.header_params, &o.header_params),
        ("raw query", &raw_query.0, &raw_query.1),
        ("raw body", &raw_body.0, &raw_body.1),
    ] {
        let raw = part.starts_with("raw");
        for (key, d) in compare(a, b) {
            let name = if raw { decode_key(&key) } else { key.clone() };
            match case.known.get(&name) {
                Some(kind) if kind.accepts(&d) || (raw && kind.accepts_encoded(&d)) => {
                    seen_known.push(name.clone());
                    known.push(format!("{part} {}", show_diff(&key, &d)));
                }
                Some(kind) => problems.push(format!(
                    "{part} {} (declared known as {kind:?}, but it is not that kind)",
                    show_diff(&key, &d)
                )),
                None => problems.push(format!("{part} {}", show_diff(&key, &d))),
            }
        }
    }
    for key in case.known.keys() {
        if !seen_known.contains(key) {
            problems.push(format!(
                "{key}: declared as a known difference but both sides now agree: \
                 remove it from cases.json"
            ));
        }
    }
    Row {
        name: case.name.clone(),
        shape: case.shape.clone(),
        ours: our_outcome.clone(),
        official: official_outcome.clone(),
        problems,
        known,
    }
}

fn print_table(rows: &[Row]) {
    let w_name = rows.iter().map(|r| r.name.len()).max().unwrap_or(4).max(4);
    let w_shape = rows
        .iter()
        .map(|r| r.shape.chars().count())
        .max()
        .unwrap_or(5)
        .max(5);
    let w_out = rows
        .iter()
        .flat_map(|r| [r.ours.show().len(), r.official.show().len()])
        .max()
        .unwrap_or(4)
        .max(8);
    println!(
        "\n{:<w_name$}  {:<w_shape$}  {:<w_out$}  {:<w_out$}  wire (query, body, headers)",
        "case", "shape", "ours", "official"
    );
    println!(
        "{}  {}  {}  {}  {}",
        "-".repeat(w_name),
        "-".repeat(w_shape),
        "-".repeat(w_out),
        "-".repeat(w_out),
        "-".repeat(27)
    );
    for r in rows {
        let verdict = if !r.problems.is_empty() {
            "MISMATCH".to_owned()
        } else if !r.known.is_empty() {
            format!("equal, {} known difference(s)", r.known.len())
        } else {
            "equal".to_owned()
        };
        let pad = w_shape - r.shape.chars().count();
        println!(
            "{:<w_name$}  {}{}  {:<w_out$}  {:<w_out$}  {verdict}",
            r.name,
            r.shape,
            " ".repeat(pad),
            r.ours.show(),
            r.official.show()
        );
    }
    for r in rows {
        for k in &r.known {
            println!("  known    {}: {k}", r.name);
        }
        for p in &r.problems {
            println!("  PROBLEM  {}: {p}", r.name);
        }
    }
}

fn arg_value(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

async fn run() -> Result<bool, String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let python = PathBuf::from(
        arg_value(&args, "--python")
            .ok_or("usage: interop --python PATH (the virtualenv's interpreter)")?,
    );
    let started = Instant::now();
    let cases = load_cases()?;
    let verifier = Verifier::start(&python, true)?;
    println!(
        "interop: verifier on {} ({} cases)",
        verifier.url(),
        cases.len()
    );

    // (2) our Rust clients, one case at a time so that each record belongs to its case.
    let mut ours = Vec::new();
    for case in &cases {
        let out = tokio::time::timeout(Duration::from_secs(30), call_rust(case, &verifier.url()))
            .await
            .map_err(|_| format!("{}: our call timed out", case.name))??;
        let mut recs = verifier.drain()?;
        if recs.len() != 1 {
            return Err(format!(
                "{}: the verifier saw {} requests from our client, expected 1",
                case.name,
                recs.len()
            ));
        }
        ours.push((out, recs.remove(0)));
    }
    let rust_done = started.elapsed();

    // (3) the official SDK, all cases in one process, in the same order.
    let names: Vec<&str> = cases.iter().map(|c| c.name.as_str()).collect();
    let lines = interop::run_official(
        &python,
        "cases",
        &[
            "--endpoint".into(),
            verifier.host_port(),
            "--only".into(),
            names.join(","),
        ],
    )?;
    let records = verifier.drain()?;
    if lines.len() != cases.len() || records.len() != cases.len() {
        return Err(format!(
            "the official SDK ran {} of {} cases and the verifier saw {} of its requests",
            lines.len(),
            cases.len(),
            records.len()
        ));
    }
    let mut official = Vec::new();
    for ((line, rec), case) in lines.iter().zip(records).zip(&cases) {
        let v: Value =
            serde_json::from_str(line).map_err(|e| format!("official output {line:?}: {e}"))?;
        if v.get("case").and_then(Value::as_str) != Some(case.name.as_str()) {
            return Err(format!(
                "official output out of order at {}: {line}",
                case.name
            ));
        }
        let out = if v.get("ok").and_then(Value::as_bool) == Some(true) {
            Outcome::Ok
        } else {
            Outcome::Code(
                v.get("code")
                    .and_then(Value::as_str)
                    .unwrap_or("?")
                    .to_owned(),
            )
        };
        official.push((out, rec));
    }

    // (4) compare.
    let rows: Vec<Row> = cases
        .iter()
        .zip(&ours)
        .zip(&official)
        .map(|((c, (oo, or)), (po, pr))| compare_case(c, (oo, or), (po, pr)))
        .collect();
    print_table(&rows);
    let failed = rows.iter().filter(|r| !r.problems.is_empty()).count();
    println!(
        "\ninterop: {} passed, {} failed ({} cases; our calls {:.1} s, total {:.1} s)",
        rows.len() - failed,
        failed,
        rows.len(),
        rust_done.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    Ok(failed == 0)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    match run().await {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("interop: {e}");
            ExitCode::FAILURE
        }
    }
}
