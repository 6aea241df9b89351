//! Load benchmark (run by `cargo xtask bench-load`, in release mode): client CPU per call and
//! calls per second of our Rust client next to the official Python SDK, against the same
//! loopback verifier (`tests/interop/verifier.py`) in the same run.
//!
//! Both clients send the seed operation, `CreateContainerScanTaskByAppName`, with the inputs of
//! the `seed` case of `tests/interop/cases.json`. The verifier runs in its own process, so its
//! CPU is not counted; client CPU is the client process's CPU time (all threads, user + system)
//! over the measured calls only, after a warm-up.
//!
//! `cargo run --release -p sas-tests --example bench_load -- --python .venv-interop/bin/python
//!  [--calls 1000] [--concurrency 64] [--rounds 3] [--markdown PATH]`

use alibabacloud_runtime::{Credentials, RetryPolicy, Value};
use alibabacloud_sas20181203 as sas;
use cpu_time::ProcessTime;
use sas_tests::interop::{self, Verifier};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// One measured run of `calls` calls.
#[derive(Debug, Clone, Copy)]
struct Round {
    calls: usize,
    errors: usize,
    cpu: Duration,
    wall: Duration,
    /// The verifier's CPU per request over the round.
    server_cpu_per_call: Duration,
}

impl Round {
    fn per_second(&self) -> f64 {
        self.calls as f64 / self.wall.as_secs_f64()
    }

    fn cpu_per_call(&self) -> Duration {
        self.cpu / self.calls.max(1) as u32
    }

    /// The share of the wall time the (single-core) verifier was computing.
    fn server_busy(&self) -> f64 {
        (self.server_cpu_per_call * self.calls as u32).as_secs_f64() / self.wall.as_secs_f64()
    }
}

/// The verifier's CPU per request between two `stats()` readings.
fn server_per_call(before: (Duration, u64), after: (Duration, u64)) -> Duration {
    let n = after.1.saturating_sub(before.1).max(1);
    after.0.saturating_sub(before.0) / n as u32
}

/// The median of each figure over the rounds.
struct Summary {
    label: String,
    concurrency: usize,
    calls: usize,
    errors: usize,
    per_second: f64,
    cpu_per_call: Duration,
    cpu: Duration,
    wall: Duration,
    server_cpu_per_call: Duration,
    server_busy: f64,
}

fn median<T: Copy + PartialOrd>(mut v: Vec<T>) -> T {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    v[v.len() / 2]
}

fn summarize(label: &str, concurrency: usize, rounds: &[Round]) -> Summary {
    Summary {
        label: label.to_owned(),
        concurrency,
        calls: rounds.first().map_or(0, |r| r.calls),
        errors: rounds.iter().map(|r| r.errors).sum(),
        per_second: median(rounds.iter().map(Round::per_second).collect()),
        cpu_per_call: median(rounds.iter().map(Round::cpu_per_call).collect()),
        cpu: median(rounds.iter().map(|r| r.cpu).collect()),
        wall: median(rounds.iter().map(|r| r.wall).collect()),
        server_cpu_per_call: median(rounds.iter().map(|r| r.server_cpu_per_call).collect()),
        server_busy: median(rounds.iter().map(Round::server_busy).collect()),
    }
}

fn seed_request() -> Result<(Credentials, sas::CreateContainerScanTaskByAppNameRequest), String> {
    let path = interop::interop_dir().join("cases.json");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let doc: Value = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let case = doc
        .get("cases")
        .and_then(Value::as_array)
        .and_then(|cs| {
            cs.iter()
                .find(|c| c.get("name").and_then(Value::as_str) == Some("seed"))
        })
        .ok_or("cases.json has no seed case")?;
    let p = |k: &str| {
        case.pointer(&format!("/params/{k}"))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let request = sas::CreateContainerScanTaskByAppNameRequest::new()
        .cluster_id(p("ClusterId"))
        .app_names(p("AppNames"))
        .lang(p("Lang").as_str());
    let c = doc
        .pointer("/credentials/ak")
        .ok_or("cases.json: no ak credentials")?;
    let f = |k: &str| c.get(k).and_then(Value::as_str).unwrap_or_default();
    Ok((
        Credentials::new(f("access_key_id"), f("access_key_secret")),
        request,
    ))
}

async fn rust_round(
    verifier: &Verifier,
    client: &sas::Client,
    request: &Arc<sas::CreateContainerScanTaskByAppNameRequest>,
    calls: usize,
    concurrency: usize,
) -> Round {
    let next = Arc::new(AtomicUsize::new(0));
    let errors = Arc::new(AtomicUsize::new(0));
    let server0 = verifier.stats();
    let cpu0 = ProcessTime::now();
    let t0 = Instant::now();
    let mut tasks = Vec::with_capacity(concurrency);
    for _ in 0..concurrency {
        let (client, request, next, errors) = (
            client.clone(),
            request.clone(),
            next.clone(),
            errors.clone(),
        );
        tasks.push(tokio::spawn(async move {
            while next.fetch_add(1, Ordering::Relaxed) < calls {
                if let Err(e) = client
                    .create_container_scan_task_by_app_name(&request)
                    .await
                {
                    if errors.fetch_add(1, Ordering::Relaxed) == 0 {
                        eprintln!("  first error of the round: {e}");
                    }
                }
            }
        }));
    }
    for t in tasks {
        if t.await.is_err() {
            errors.fetch_add(1, Ordering::Relaxed);
        }
    }
    let (wall, cpu) = (t0.elapsed(), cpu0.elapsed());
    let server_cpu_per_call = match (server0, verifier.stats()) {
        (Ok(a), Ok(b)) => server_per_call(a, b),
        _ => Duration::ZERO,
    };
    Round {
        calls,
        errors: errors.load(Ordering::Relaxed),
        wall,
        cpu,
        server_cpu_per_call,
    }
}

fn python_round(
    python: &Path,
    verifier: &Verifier,
    calls: usize,
    threads: usize,
) -> Result<Round, String> {
    let server0 = verifier.stats()?;
    let lines = interop::run_official(
        python,
        "bench",
        &[
            "--endpoint".into(),
            verifier.host_port(),
            "--case".into(),
            "seed".into(),
            "--calls".into(),
            calls.to_string(),
            "--threads".into(),
            threads.to_string(),
        ],
    )?;
    let line = lines.last().ok_or("the official SDK printed nothing")?;
    let v: Value = serde_json::from_str(line).map_err(|e| format!("{line:?}: {e}"))?;
    let secs = |k: &str| {
        v.get(k)
            .and_then(Value::as_f64)
            .map(Duration::from_secs_f64)
            .ok_or_else(|| format!("no {k} in {line}"))
    };
    Ok(Round {
        calls,
        errors: v.get("errors").and_then(Value::as_u64).unwrap_or(0) as usize,
        cpu: secs("cpu_s")?,
        wall: secs("wall_s")?,
        server_cpu_per_call: server_per_call(server0, verifier.stats()?),
    })
}

fn arg<T: std::str::FromStr>(args: &[String], name: &str, default: T) -> Result<T, String> {
    match args.iter().position(|a| a == name) {
        None => Ok(default),
        Some(i) => args
            .get(i + 1)
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| format!("{name}: expected a value")),
    }
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1e3)
}

fn markdown(rows: &[Summary], rounds: usize, python_version: &str) -> String {
    let mut s = String::new();
    s.push_str(&format!(
        "Release build. {} calls of `CreateContainerScanTaskByAppName` (the `seed` inputs of \
         `tests/interop/cases.json`) per round, median of {rounds} rounds, after a warm-up; the \
         rounds alternate (ours, official sequential, official threaded, then again), so a \
         change of load during the run falls on every client alike. Calls go \
         against the loopback verifier `tests/interop/verifier.py` (a separate process, so its \
         CPU is not counted; it checks every signature with the official library's code). \
         Client CPU is the client process's CPU time, all threads, user + system, over the \
         measured calls. Official SDK: {python_version}.\n\n",
        rows.first().map_or(0, |r| r.calls)
    ));
    s.push_str(
        "| client | in flight | calls/s | client CPU per call | client CPU | wall | \
         verifier CPU per call | verifier busy | errors |\n",
    );
    s.push_str("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for r in rows {
        s.push_str(&format!(
            "| {} | {} | {:.0} | {} | {:.3} s | {:.3} s | {} | {:.0}% | {} |\n",
            r.label,
            r.concurrency,
            r.per_second,
            ms(r.cpu_per_call),
            r.cpu.as_secs_f64(),
            r.wall.as_secs_f64(),
            ms(r.server_cpu_per_call),
            r.server_busy * 100.0,
            r.errors
        ));
    }
    if let (Some(ours), Some(seq)) = (rows.first(), rows.get(1)) {
        s.push_str(&format!(
            "\nOur client uses {:.1}x less CPU per call than the official SDK called \
             sequentially{}. Client CPU per call is the figure that compares the clients. Calls \
             per second measure the pair: the verifier is one Python process (at most one core, \
             because of its GIL) sharing the machine's cores with the client, and \
             \"verifier busy\" is its CPU time over the wall time. The machine is shared with \
             other builds, so wall-clock figures vary by tens of percent between runs; CPU \
             figures much less.\n",
            seq.cpu_per_call.as_secs_f64() / ours.cpu_per_call.as_secs_f64().max(1e-12),
            rows.get(2).map_or(String::new(), |t| format!(
                " and {:.1}x less than with {} threads",
                t.cpu_per_call.as_secs_f64() / ours.cpu_per_call.as_secs_f64().max(1e-12),
                t.concurrency
            ))
        ));
    }
    s
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let python = PathBuf::from(
        args.iter()
            .position(|a| a == "--python")
            .and_then(|i| args.get(i + 1))
            .ok_or("usage: bench_load --python PATH [--calls N] [--concurrency N] [--rounds N] [--markdown PATH]")?,
    );
    let calls: usize = arg(&args, "--calls", 1000)?;
    let concurrency: usize = arg(&args, "--concurrency", 64)?;
    let rounds: usize = arg::<usize>(&args, "--rounds", 3)?.max(1);
    let markdown_path: Option<PathBuf> = args
        .iter()
        .position(|a| a == "--markdown")
        .and_then(|i| args.get(i + 1))
        .map(PathBuf::from);
    if cfg!(debug_assertions) {
        eprintln!("bench_load: warning: a debug build; run it with --release (cargo xtask bench-load does)");
    }

    let verifier = Verifier::start(&python, false)?;
    let (credentials, request) = seed_request()?;
    let request = Arc::new(request);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("tokio: {e}"))?;
    let client: sas::Client = sas::Client::builder()
        .endpoint(verifier.url())
        .credentials(credentials)
        .retry_policy(RetryPolicy::disabled())
        .build()
        .map_err(|e| format!("client: {e}"))?;

    println!(
        "bench-load: verifier on {}; {calls} calls per round, {rounds} rounds",
        verifier.url()
    );
    // Warm-up: connections for every task, first-call allocations.
    rt.block_on(rust_round(
        &verifier,
        &client,
        &request,
        concurrency * 2,
        concurrency,
    ));
    // The clients take turns, round by round, so a change in the machine's load during the run
    // falls on all of them alike.
    let mut ours = Vec::new();
    let mut official_seq = Vec::new();
    let mut official_threads = Vec::new();
    for i in 0..rounds {
        let r = rt.block_on(rust_round(&verifier, &client, &request, calls, concurrency));
        println!(
            "  round {}: ours, {concurrency} tasks: {:.0} calls/s, {} CPU per call, {} errors",
            i + 1,
            r.per_second(),
            ms(r.cpu_per_call()),
            r.errors
        );
        ours.push(r);
        let r = python_round(&python, &verifier, calls, 1)?;
        println!(
            "  round {}: official, sequential: {:.0} calls/s, {} CPU per call, {} errors",
            i + 1,
            r.per_second(),
            ms(r.cpu_per_call()),
            r.errors
        );
        official_seq.push(r);
        let r = python_round(&python, &verifier, calls, concurrency)?;
        println!(
            "  round {}: official, {concurrency} threads: {:.0} calls/s, {} CPU per call, {} errors",
            i + 1,
            r.per_second(),
            ms(r.cpu_per_call()),
            r.errors
        );
        official_threads.push(r);
    }
    let rows = vec![
        summarize(
            &format!("ours (Rust, tokio multi-thread, {concurrency} tasks)"),
            concurrency,
            &ours,
        ),
        summarize("official Python SDK, sequential", 1, &official_seq),
        summarize(
            &format!("official Python SDK, {concurrency} threads"),
            concurrency,
            &official_threads,
        ),
    ];
    let version = std::process::Command::new(&python)
        .args([
            "-c",
            "import importlib.metadata as m, platform; \
             print(f\"alibabacloud-sas20181203 {m.version('alibabacloud_sas20181203')} \
             on Python {platform.python_version()}\")",
        ])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_else(|_| "unknown".into());
    let md = markdown(&rows, rounds, &version);
    println!("\n{md}");
    if let Some(path) = markdown_path {
        std::fs::write(&path, &md).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    let errors: usize = rows.iter().map(|r| r.errors).sum();
    if errors > 0 {
        return Err(format!("{errors} calls failed: the figures are not valid"));
    }
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench_load: {e}");
            ExitCode::FAILURE
        }
    }
}
