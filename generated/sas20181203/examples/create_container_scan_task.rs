//! Calls `CreateContainerScanTaskByAppName` and prints the typed response as JSON.
//!
//! ```text
//! cargo run -p alibabacloud-sas20181203 --example create_container_scan_task -- \
//!     --endpoint <URL> [--app-names <names>] [--cluster-id <id>] [--lang en|zh]
//! ```
//!
//! Credentials come from `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET` and,
//! for STS credentials, `ALIBABA_CLOUD_SECURITY_TOKEN` (or the rest of the default chain).
//! This directory is hand-written: `cargo xtask gen` keeps `examples/` as it is.

// The wire JSON of a response, without the crate's `serde` feature.
use alibabacloud_sas20181203::runtime::ToJson as _;
use alibabacloud_sas20181203::{Client, CreateContainerScanTaskByAppNameRequest};
use std::process::ExitCode;

const USAGE: &str = "usage: create_container_scan_task --endpoint <URL> [--app-names <names>] [--cluster-id <id>] [--lang en|zh]";

struct Args {
    endpoint: String,
    request: CreateContainerScanTaskByAppNameRequest,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut endpoint = None;
    let mut request = CreateContainerScanTaskByAppNameRequest::new();
    while let Some(flag) = args.next() {
        let mut value = || {
            args.next()
                .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))
        };
        match flag.as_str() {
            "--endpoint" => endpoint = Some(value()?),
            "--app-names" => request = request.app_names(value()?),
            "--cluster-id" => request = request.cluster_id(value()?),
            "--lang" => match value()?.as_str() {
                lang @ ("en" | "zh") => request = request.lang(lang),
                other => return Err(format!("--lang must be en or zh, not {other:?}\n{USAGE}")),
            },
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
    }
    let endpoint = endpoint.ok_or_else(|| format!("--endpoint is required\n{USAGE}"))?;
    Ok(Args { endpoint, request })
}

#[tokio::main]
async fn main() -> ExitCode {
    // `args_os`: a non-UTF-8 argument is a usage error, not a panic.
    let args = std::env::args_os()
        .skip(1)
        .map(|a| {
            a.into_string()
                .map_err(|a| format!("argument {a:?} is not valid UTF-8\n{USAGE}"))
        })
        .collect::<Result<Vec<String>, String>>()
        .and_then(|args| parse_args(args.into_iter()));
    let args = match args {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let client: Client = match Client::builder().endpoint(&args.endpoint).build() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    match client
        .create_container_scan_task_by_app_name(&args.request)
        .await
    {
        Ok(response) => match serde_json::to_string_pretty(&response.to_json()) {
            Ok(json) => {
                println!("{json}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: cannot print the response: {e}");
                ExitCode::FAILURE
            }
        },
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
