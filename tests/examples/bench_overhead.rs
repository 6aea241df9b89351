//! Overhead benchmark (run by `cargo xtask bench-overhead`, in release mode): client CPU per call
//! of the generated client next to a bare reqwest POST of the same shape, in one process run,
//! against the same loopback keep-alive server, at 1 and at 64 calls in flight.
//!
//! The server runs in a child process (this binary with `--serve`), so the process CPU time
//! measured here is the clients' alone. It answers every request with the seed operation's
//! documented response. The bare request is what any Rust program calling this API would at
//! least pay: the same URL, query, header names and value lengths (fixed values: no signing;
//! `content-length: 0` as the generated client sends it), so the same bytes count on the wire,
//! the whole body read, nothing decoded. Rounds alternate between the two clients (and which goes first), and
//! each figure is the median over the rounds.
//!
//! `cargo run --release -p sas-tests --example bench_overhead -- [--calls 2000] [--rounds 7]
//!  [--markdown PATH] [--profile generated|bare|local|transport]` (`--profile`: only that client,
//! for `perf record`; `local` is the generated client over a transport that answers at once: the
//! client's own cost without HTTP; `transport` is the runtime's default transport sending one
//! request built in advance (copied per call), in alternating rounds with the bare request, and
//! prints their ratio: what the HTTP part of the generated client costs next to the bare POST).

use alibabacloud_runtime::transport::{HttpRequest, ReqwestTransport, Transport as _};
use alibabacloud_runtime::{Credentials, RetryPolicy, TransportOptions, Value};
use alibabacloud_sas20181203 as sas;
use cpu_time::ProcessTime;
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

const CONCURRENCY: [usize; 2] = [1, 64];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = if args.first().map(String::as_str) == Some("--serve") {
        serve()
    } else {
        run(&args)
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench_overhead: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The seed operation's documented response, from its spec file.
fn sample_response() -> Result<String, String> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../spec/sas/2018-12-03/operations/CreateContainerScanTaskByAppName.json");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let spec: Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    // `responseDemo` is JSON text holding a list of examples.
    let demo: Value = match spec.get("responseDemo") {
        Some(Value::String(s)) => {
            serde_json::from_str(s).map_err(|e| format!("responseDemo: {e}"))?
        }
        Some(v) => v.clone(),
        None => Value::Null,
    };
    let example = demo
        .pointer("/0/example")
        .and_then(Value::as_str)
        .ok_or("the seed spec has no responseDemo example")?;
    let json: Value = serde_json::from_str(example).map_err(|e| format!("the example: {e}"))?;
    Ok(json.to_string())
}

/// The server (child process): HTTP/1.1 keep-alive on a loopback port, printed on stdout.
fn serve() -> Result<(), String> {
    use http_body_util::Full;
    use hyper::service::service_fn;
    use hyper_util::rt::TokioIo;
    let body = bytes::Bytes::from(sample_response()?);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| e.to_string())?;
        let port = listener.local_addr().map_err(|e| e.to_string())?.port();
        println!("{port}");
        std::io::stdout().flush().map_err(|e| e.to_string())?;
        loop {
            let (stream, _) = listener.accept().await.map_err(|e| e.to_string())?;
            let _ = stream.set_nodelay(true);
            let body = body.clone();
            tokio::spawn(async move {
                let service = service_fn(move |_req| {
                    let body = body.clone();
                    async move {
                        hyper::Response::builder()
                            .header("content-type", "application/json;charset=utf-8")
                            .header("x-acs-request-id", "1EE7B150-D67E-53FD-A52D-3E8E669A0000")
                            .body(Full::new(body))
                    }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .keep_alive(true)
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    })
}

/// The server child, killed when dropped.
struct Server(Child, u16);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_server() -> Result<Server, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut child = Command::new(exe)
        .arg("--serve")
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("starting the server: {e}"))?;
    let stdout = child.stdout.take().ok_or("the server has no stdout")?;
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .map_err(|e| format!("reading the server's port: {e}"))?;
    let port = line
        .trim()
        .parse()
        .map_err(|_| format!("the server printed {line:?}, not a port"))?;
    Ok(Server(child, port))
}

/// A transport that answers every request with the same body and request id header, without
/// I/O.
#[derive(Debug)]
struct Fixed(bytes::Bytes);

impl alibabacloud_runtime::transport::Transport for Fixed {
    fn send(
        &self,
        _request: alibabacloud_runtime::transport::HttpRequest,
    ) -> alibabacloud_runtime::transport::BoxFuture<
        '_,
        Result<alibabacloud_runtime::transport::HttpResponse, alibabacloud_runtime::TransportError>,
    > {
        let mut response = alibabacloud_runtime::transport::HttpResponse::new(200, self.0.clone());
        // As the loopback server (and the service) send it.
        response.headers.insert(
            "x-acs-request-id",
            reqwest::header::HeaderValue::from_static("1EE7B150-D67E-53FD-A52D-3E8E669A0000"),
        );
        Box::pin(async move { Ok(response) })
    }
}

/// A client under test: one call.
#[derive(Clone)]
enum Subject {
    Generated(
        sas::Client,
        Arc<sas::CreateContainerScanTaskByAppNameRequest>,
    ),
    Bare(reqwest::Client, Arc<str>),
    /// The default transport alone, sending a copy of a request built once.
    Transport(Arc<ReqwestTransport>, Arc<HttpRequest>),
}

impl Subject {
    async fn call(&self) -> bool {
        match self {
            Subject::Generated(client, request) => client
                .create_container_scan_task_by_app_name(request)
                .await
                .is_ok_and(|r| r.data.is_some()),
            Subject::Bare(client, url) => bare_post(client, url).await.is_ok_and(|b| !b.is_empty()),
            Subject::Transport(transport, request) => transport
                .send(HttpRequest::clone(request))
                .await
                .is_ok_and(|r| !r.body.is_empty()),
        }
    }
}

/// The bare request: the generated client's URL, query, header names and value lengths (fixed
/// values: no signing), so that both put the same number of bytes on the wire.
async fn bare_post(client: &reqwest::Client, url: &str) -> Result<bytes::Bytes, reqwest::Error> {
    client
        .post(url)
        .header("x-acs-action", "CreateContainerScanTaskByAppName")
        .header("x-acs-version", "2018-12-03")
        .header("x-acs-date", "2026-01-01T00:00:00Z")
        .header("x-acs-signature-nonce", "0123456789abcdef0123456789abcdef")
        .header(
            "x-acs-content-sha256",
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        )
        .header(
            "authorization",
            "ACS3-HMAC-SHA256 Credential=bench-id,SignedHeaders=host;x-acs-action;x-acs-content-sha256;\
             x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=00000000000000000000000000\
             00000000000000000000000000000000000000",
        )
        .header(
            "user-agent",
            "alibabacloud-rust-runtime/0.1.0 Sas/2018-12-03",
        )
        .header("accept", "application/json")
        // As the generated client (and the official SDKs) send an empty POST.
        .header("content-length", "0")
        .send()
        .await?
        .bytes()
        .await
}

/// The request the generated client sends, built in advance: the same method, URL and headers
/// (fixed values of the same lengths, as the bare request's).
fn prebuilt_request(base: &str) -> Result<HttpRequest, String> {
    let mut headers = reqwest::header::HeaderMap::new();
    let authority = base.trim_start_matches("http://");
    for (name, value) in [
        ("host", authority),
        ("x-acs-action", "CreateContainerScanTaskByAppName"),
        ("x-acs-version", "2018-12-03"),
        ("x-acs-date", "2026-01-01T00:00:00Z"),
        ("x-acs-signature-nonce", "0123456789abcdef0123456789abcdef"),
        (
            "x-acs-content-sha256",
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        ),
        (
            "authorization",
            "ACS3-HMAC-SHA256 Credential=bench-id,SignedHeaders=host;x-acs-action;\
             x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=\
             0000000000000000000000000000000000000000000000000000000000000000",
        ),
        (
            "user-agent",
            "alibabacloud-rust-runtime/0.1.0 Sas/2018-12-03",
        ),
        ("accept", "application/json"),
    ] {
        let value = reqwest::header::HeaderValue::from_str(value).map_err(|e| e.to_string())?;
        headers.append(reqwest::header::HeaderName::from_static(name), value);
    }
    Ok(HttpRequest {
        method: reqwest::Method::POST,
        url: format!("{base}/?AppNames=app-centos-01&ClusterId=c1a2b3c4d5e6f7&Lang=en"),
        headers,
        body: Vec::new(),
    })
}

/// CPU per call of `calls` calls, `concurrency` in flight.
async fn round(subject: &Subject, calls: usize, concurrency: usize) -> Result<Duration, String> {
    let next = Arc::new(AtomicUsize::new(0));
    let failed = Arc::new(AtomicUsize::new(0));
    let cpu0 = ProcessTime::now();
    let mut tasks = Vec::with_capacity(concurrency);
    for _ in 0..concurrency {
        let (subject, next, failed) = (subject.clone(), next.clone(), failed.clone());
        tasks.push(tokio::spawn(async move {
            while next.fetch_add(1, Ordering::Relaxed) < calls {
                if !subject.call().await {
                    failed.fetch_add(1, Ordering::Relaxed);
                }
            }
        }));
    }
    for t in tasks {
        t.await.map_err(|e| e.to_string())?;
    }
    let cpu = cpu0.elapsed();
    match failed.load(Ordering::Relaxed) {
        0 => Ok(cpu / calls as u32),
        n => Err(format!("{n} of {calls} calls failed")),
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

struct Row {
    concurrency: usize,
    generated: f64,
    bare: f64,
    ratio: f64,
}

fn run(args: &[String]) -> Result<(), String> {
    let mut calls = 2000usize;
    let mut rounds = 7usize;
    let mut markdown: Option<PathBuf> = None;
    let mut profile: Option<String> = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = || it.next().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--calls" => calls = value()?.parse().map_err(|_| "--calls: not a number")?,
            "--rounds" => rounds = value()?.parse().map_err(|_| "--rounds: not a number")?,
            "--markdown" => markdown = Some(PathBuf::from(value()?)),
            "--profile" => profile = Some(value()?.clone()),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    let server = start_server()?;
    let base = format!("http://127.0.0.1:{}", server.1);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let rows = rt.block_on(async {
        let generated = Subject::Generated(
            sas::Client::builder()
                .endpoint(base.clone())
                .credentials(Credentials::new("bench-id", "bench-secret"))
                .retry_policy(RetryPolicy::disabled())
                .build()
                .map_err(|e| e.to_string())?,
            Arc::new(
                sas::CreateContainerScanTaskByAppNameRequest::new()
                    .cluster_id("c1a2b3c4d5e6f7")
                    .app_names("app-centos-01")
                    .lang("en"),
            ),
        );
        let bare = Subject::Bare(
            reqwest::Client::builder()
                .connect_timeout(Duration::from_secs(5))
                .read_timeout(Duration::from_secs(10))
                .build()
                .map_err(|e| e.to_string())?,
            format!("{base}/?AppNames=app-centos-01&ClusterId=c1a2b3c4d5e6f7&Lang=en").into(),
        );
        if profile.as_deref() == Some("transport") {
            let transport = Subject::Transport(
                Arc::new(
                    ReqwestTransport::new(&TransportOptions::default())
                        .map_err(|e| e.to_string())?,
                ),
                Arc::new(prebuilt_request(&base)?),
            );
            for concurrency in CONCURRENCY {
                round(&transport, calls / 4, concurrency).await?;
                round(&bare, calls / 4, concurrency).await?;
                let mut ratios = Vec::new();
                for i in 0..rounds {
                    let (first, second) = if i % 2 == 0 {
                        (&transport, &bare)
                    } else {
                        (&bare, &transport)
                    };
                    let x = round(first, calls, concurrency).await?.as_secs_f64();
                    let y = round(second, calls, concurrency).await?.as_secs_f64();
                    ratios.push(if i % 2 == 0 { x / y } else { y / x });
                }
                println!(
                    "{concurrency:>3} in flight: transport alone / bare reqwest {:.2}×",
                    median(ratios)
                );
            }
            return Ok(Vec::new());
        }
        if let Some(which) = &profile {
            let subject = if which == "bare" { &bare } else { &generated };
            if which == "local" {
                // Everything but HTTP: the generated client over a transport that answers at once.
                let answer = sample_response()?;
                let client = sas::Client::builder()
                    .endpoint(base.clone())
                    .credentials(Credentials::new("bench-id", "bench-secret"))
                    .retry_policy(RetryPolicy::disabled())
                    .transport(Arc::new(Fixed(answer.into())))
                    .build()
                    .map_err(|e| e.to_string())?;
                let request = match &generated {
                    Subject::Generated(_, r) => r.clone(),
                    _ => unreachable!(),
                };
                let local = Subject::Generated(client, request);
                let us = round(&local, calls * rounds, 1).await?.as_secs_f64() * 1e6;
                println!("local (no HTTP): {us:.2} µs/call");
                return Ok(Vec::new());
            }
            let us = round(subject, calls * rounds, 1).await?.as_secs_f64() * 1e6;
            println!("{which}: {us:.1} µs/call");
            return Ok(Vec::new());
        }
        let mut rows = Vec::new();
        for concurrency in CONCURRENCY {
            // Warm-up: connections, allocator, caches.
            round(&generated, calls / 4, concurrency).await?;
            round(&bare, calls / 4, concurrency).await?;
            let (mut g, mut b, mut r) = (Vec::new(), Vec::new(), Vec::new());
            for i in 0..rounds {
                let (first, second) = if i % 2 == 0 {
                    (&generated, &bare)
                } else {
                    (&bare, &generated)
                };
                let x = round(first, calls, concurrency).await?.as_secs_f64() * 1e6;
                let y = round(second, calls, concurrency).await?.as_secs_f64() * 1e6;
                let (gen_us, bare_us) = if i % 2 == 0 { (x, y) } else { (y, x) };
                g.push(gen_us);
                b.push(bare_us);
                r.push(gen_us / bare_us);
            }
            let row = Row {
                concurrency,
                generated: median(g),
                bare: median(b),
                ratio: median(r),
            };
            println!(
                "{:>3} in flight: generated {:6.1} µs/call, bare reqwest {:6.1} µs/call, ratio {:.2}×",
                row.concurrency, row.generated, row.bare, row.ratio
            );
            rows.push(row);
        }
        Ok::<_, String>(rows)
    })?;
    drop(server);
    if let Some(path) = markdown {
        std::fs::write(&path, section(&rows, calls, rounds))
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}

/// The BENCHMARKS.md section: figures, command line, date and machine load.
fn section(rows: &[Row], calls: usize, rounds: usize) -> String {
    let load = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| {
            let f: Vec<&str> = l.split_whitespace().take(3).collect();
            (f.len() == 3).then(|| f.join(" "))
        })
        .unwrap_or_else(|| "unknown".to_owned());
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let date = date_utc();
    let mut out = String::new();
    out.push_str(&format!(
        "Command: `cargo xtask bench-overhead` (release; {calls} calls per round, {rounds} \
         rounds per client, alternating; medians). Date: {date}. Machine: {cores} cores, load \
         average {load} at the end of the run.\n\n"
    ));
    out.push_str("| in flight | generated client (µs CPU/call) | bare reqwest POST (µs CPU/call) | ratio |\n");
    out.push_str("| ---: | ---: | ---: | ---: |\n");
    for r in rows {
        out.push_str(&format!(
            "| {} | {:.1} | {:.1} | {:.2}× |\n",
            r.concurrency, r.generated, r.bare, r.ratio
        ));
    }
    out
}

fn date_utc() -> String {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
    time::OffsetDateTime::now_utc()
        .format(format)
        .unwrap_or_else(|_| "unknown".to_owned())
}
