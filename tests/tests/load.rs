//! Load: many concurrent calls through one client against the loopback server all succeed,
//! share a small pool of connections, and leave memory flat.

use alibabacloud_runtime::Credentials;
use alibabacloud_sas20181203::{Client, CreateContainerScanTaskByAppNameRequest as Request};
use sas_tests::server::{Reply, Server};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

const TASKS: usize = 64;
const CALLS: usize = 1_000;

const OK: &str = r#"{"RequestId":"req-load","Data":{"TaskId":"t","TotalCount":"5","Status":"SUCCESS","CanCreate":true},"HttpStatusCode":200}"#;

/// The resident set size of this process in KiB (`VmRSS` of `/proc/self/status`).
fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS in /proc/self/status")
}

/// `CALLS` calls from `TASKS` tasks sharing `client`; returns how many succeeded.
async fn round(client: &Client) -> usize {
    let next = Arc::new(AtomicUsize::new(0));
    let ok = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::with_capacity(TASKS);
    for t in 0..TASKS {
        let (client, next, ok) = (client.clone(), next.clone(), ok.clone());
        tasks.push(tokio::spawn(async move {
            while next.fetch_add(1, Ordering::SeqCst) < CALLS {
                let request = Request::new().cluster_id(format!("c-{t}"));
                match client
                    .create_container_scan_task_by_app_name(&request)
                    .await
                {
                    Ok(r) if r.request_id.as_deref() == Some("req-load") => {
                        ok.fetch_add(1, Ordering::SeqCst);
                    }
                    Ok(r) => panic!("unexpected answer {r:?}"),
                    Err(e) => panic!("call failed under load: {e}"),
                }
            }
        }));
    }
    for t in tasks {
        t.await.expect("task");
    }
    ok.load(Ordering::SeqCst)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_calls_succeed_on_few_connections_with_flat_memory() {
    let server = Server::start(Reply::json(200, OK)).await;
    let client = Client::builder()
        .endpoint(server.url())
        .credentials(Credentials::new("load-id", "load-secret"))
        .build()
        .expect("client");
    let guard = Duration::from_secs(120);

    // Warm-up: the pool, the allocator's arenas and lazily initialised state settle.
    let ok = tokio::time::timeout(guard, round(&client))
        .await
        .expect("no hang");
    assert_eq!(ok, CALLS);
    let connections_after_warmup = server.connections();
    let rss_before = rss_kib();

    let ok = tokio::time::timeout(guard, round(&client))
        .await
        .expect("no hang");
    assert_eq!(ok, CALLS);
    let rss_after = rss_kib();

    assert_eq!(server.received().len(), 2 * CALLS);
    let connections = server.connections();
    // Up to one connection per concurrent task, plus some for the race between a connection
    // going back to the pool and the next request asking for one (typically 64–75 here).
    assert!(
        connections <= 2 * TASKS,
        "{connections} connections for {} calls from {TASKS} tasks: the pool is not reused",
        2 * CALLS
    );
    assert!(
        connections - connections_after_warmup < TASKS,
        "the second round opened {} new connections",
        connections - connections_after_warmup
    );
    // Generous: the server keeps every request it received (about 1 KiB each) in memory too.
    let growth_kib = rss_after.saturating_sub(rss_before);
    assert!(
        growth_kib < 20 * 1024,
        "RSS grew by {growth_kib} KiB over {CALLS} calls ({rss_before} → {rss_after} KiB)"
    );
    println!(
        "{} calls, {connections} connections, RSS {rss_before} → {rss_after} KiB",
        2 * CALLS
    );
}
