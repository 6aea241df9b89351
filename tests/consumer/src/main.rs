//! A user's program: calls three Security Center operations (the seed, one with required
//! parameters, one paged to the end) against a loopback server that answers like the service,
//! and exits non-zero when anything is off. Built outside the workspace, by path, as a user
//! project would be.

use alibabacloud_sas20181203::operations::create_container_scan_task_by_app_name::request::Lang;
use alibabacloud_sas20181203::runtime::Credentials;
use alibabacloud_sas20181203::{
    Client, CreateContainerScanTaskByAppNameRequest, DescribeExcludeSystemPathRequest,
    DescribeExcludeSystemPathRequired,
    GetOnceTaskResultInfoRequest, GetOnceTaskResultInfoRequired,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Paths the paged operation lists: 5 items, 2 a page.
const PATHS: [&str; 5] = ["/a", "/b", "/c", "/d", "/e"];

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(serve(listener));

    let client: Client = Client::builder()
        .endpoint(format!("http://{addr}"))
        .credentials(Credentials::new("consumer-id", "consumer-secret"))
        .build()?;

    // 1. The seed operation.
    let seed = client
        .create_container_scan_task_by_app_name(
            &CreateContainerScanTaskByAppNameRequest::new()
                .app_names("app-centos-01")
                .lang(Lang::En),
        )
        .await?;
    let task = seed.data.and_then(|d| d.task_id).ok_or("no task id")?;
    assert_eq!(task, "task-1");

    // 2. Required parameters, named: swapping two strings cannot compile silently.
    let request = GetOnceTaskResultInfoRequest::new(GetOnceTaskResultInfoRequired {
        task_type: "ASSETS_COLLECTION".into(),
        task_name: "ASSETS_COLLECTION".into(),
        task_id: task.clone(),
    });
    let info = client.get_once_task_result_info(&request).await?;
    assert_eq!(info.request_id.as_deref(), Some("req-info"));

    // 3. A paged operation, to the last page.
    let mut seen = Vec::new();
    let mut page = 1;
    loop {
        let r = client
            .describe_exclude_system_path(
                &DescribeExcludeSystemPathRequest::new(DescribeExcludeSystemPathRequired {
                    current_page: page,
                    page_size: 2,
                }),
            )
            .await?;
        let items = r.exclude_paths.unwrap_or_default();
        let total = r.page_info.and_then(|p| p.total_count).unwrap_or(0);
        seen.extend(items.into_iter().filter_map(|p| p.path));
        if seen.len() as i64 >= i64::from(total) || page > 10 {
            break;
        }
        page += 1;
    }
    assert_eq!(seen, PATHS);
    println!("consumer: 3 operations called, {} pages read: 1 passed, 0 failed", page);
    Ok(())
}

/// Answers each request by its `x-acs-action` header, like the service would.
async fn serve(listener: TcpListener) {
    loop {
        let Ok((mut socket, _)) = listener.accept().await else {
            return;
        };
        tokio::spawn(async move {
            let mut buf = Vec::new();
            let mut chunk = [0u8; 4096];
            // Requests of these calls have empty bodies: the head is the whole request.
            while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                match socket.read(&mut chunk).await {
                    Ok(0) | Err(_) => return,
                    Ok(n) => buf.extend_from_slice(&chunk[..n]),
                }
            }
            let head = String::from_utf8_lossy(&buf).to_lowercase();
            let action = head
                .lines()
                .find_map(|l| l.strip_prefix("x-acs-action:"))
                .map(str::trim)
                .unwrap_or_default()
                .to_owned();
            let query = head.split_whitespace().nth(1).unwrap_or_default().to_owned();
            let body = answer(&action, &query);
            let reply = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = socket.write_all(reply.as_bytes()).await;
        });
    }
}

fn answer(action: &str, query: &str) -> String {
    match action {
        "createcontainerscantaskbyappname" => {
            r#"{"RequestId":"req-seed","Data":{"TaskId":"task-1","Status":"INIT"}}"#.to_owned()
        }
        "getoncetaskresultinfo" if query.contains("taskid=task-1") => {
            r#"{"RequestId":"req-info","TaskInfo":{"Status":2}}"#.to_owned()
        }
        "describeexcludesystempath" => {
            let page: usize = query
                .split(['?', '&'])
                .find_map(|kv| kv.strip_prefix("currentpage="))
                .and_then(|v| v.parse().ok())
                .unwrap_or(1);
            let items: Vec<String> = PATHS
                .iter()
                .skip((page - 1) * 2)
                .take(2)
                .map(|p| format!(r#"{{"Path":"{p}","Os":"linux"}}"#))
                .collect();
            format!(
                r#"{{"RequestId":"req-{page}","PageInfo":{{"CurrentPage":{page},"PageSize":2,"TotalCount":5,"Count":{}}},"ExcludePaths":[{}]}}"#,
                items.len(),
                items.join(",")
            )
        }
        _ => r#"{"RequestId":"unexpected"}"#.to_owned(),
    }
}
