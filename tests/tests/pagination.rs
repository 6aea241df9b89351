//! Paginators against a loopback server that pages: page numbers (with and without a total),
//! tokens, stop conditions, loop guards, errors, retries, early stops.

use alibabacloud_fixture20200101::{Client as FixtureClient, ListPagesRequest};
use alibabacloud_runtime::stream::{StreamExt, TryStreamExt};
use alibabacloud_runtime::{CallOptions, Credentials, Error, PaginationError, RetryPolicy};
use alibabacloud_sas20181203::operations::describe_container_tags::request::FieldName;
use alibabacloud_sas20181203::{
    Client, DescribeCloudCenterInstancesRequest, DescribeContainerTagsRequest,
    DescribeContainerTagsRequired,
};
use sas_tests::server::{Reply, Server};
use std::time::Duration;

fn client(server: &Server) -> Client {
    Client::builder()
        .endpoint(server.url())
        .credentials(Credentials::new("id", "secret"))
        .build()
        .expect("client")
}

/// A page of `DescribeCloudCenterInstances`: `n` instances numbered from `first`, and the total.
fn instances(first: usize, n: usize, total: usize) -> Reply {
    let list: Vec<String> = (first..first + n)
        .map(|i| format!(r#"{{"InstanceId": "i-{i}"}}"#))
        .collect();
    Reply::json(
        200,
        &format!(
            r#"{{"RequestId": "r", "PageInfo": {{"TotalCount": {total}, "Count": {n}}}, "Instances": [{}]}}"#,
            list.join(",")
        ),
    )
}

/// A page of `DescribeContainerTags` (no total): `n` tag values.
fn tags(n: usize) -> Reply {
    let list: Vec<String> = (0..n).map(|i| format!(r#""t{i}""#)).collect();
    Reply::json(
        200,
        &format!(r#"{{"RequestId": "r", "TagValues": [{}]}}"#, list.join(",")),
    )
}

fn tags_request(size: i32) -> DescribeContainerTagsRequest {
    DescribeContainerTagsRequest::new(DescribeContainerTagsRequired {
        field_name: FieldName::from("clusterId"),
        current_page: 99,
        page_size: size,
    })
}

/// The value of `name` in each request's query.
fn sent(server: &Server, name: &str) -> Vec<String> {
    server
        .received()
        .iter()
        .map(|r| {
            r.query_pairs()
                .into_iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v)
                .unwrap_or_default()
        })
        .collect()
}

#[tokio::test]
async fn three_full_pages_and_a_short_one_by_total() {
    let server = Server::start(Reply::json(500, "{}")).await;
    for (first, n) in [(0, 2), (2, 2), (4, 2), (6, 1)] {
        server.push(instances(first, n, 7));
    }
    let request = DescribeCloudCenterInstancesRequest::new().page_size(2);
    let ids: Vec<String> = client(&server)
        .describe_cloud_center_instances_paginator(&request)
        .items()
        .map_ok(|i| i.instance_id.unwrap_or_default())
        .try_collect()
        .await
        .expect("every page");
    assert_eq!(ids, ["i-0", "i-1", "i-2", "i-3", "i-4", "i-5", "i-6"]);
    assert_eq!(sent(&server, "CurrentPage"), ["1", "2", "3", "4"]);
    assert_eq!(sent(&server, "PageSize"), ["2", "2", "2", "2"]);
}

#[tokio::test]
async fn a_short_page_ends_when_there_is_no_total() {
    let server = Server::start(Reply::json(500, "{}")).await;
    for n in [3, 3, 3, 1] {
        server.push(tags(n));
    }
    let pages: Vec<_> = client(&server)
        .describe_container_tags_paginator(&tags_request(3))
        .pages()
        .try_collect()
        .await
        .expect("every page");
    assert_eq!(pages.len(), 4);
    // The paginator replaced the request's page number, starting at 1.
    assert_eq!(sent(&server, "CurrentPage"), ["1", "2", "3", "4"]);
}

#[tokio::test]
async fn an_exact_multiple_ends_at_the_total_or_at_an_empty_page() {
    let server = Server::start(Reply::json(500, "{}")).await;
    for first in [0, 2, 4] {
        server.push(instances(first, 2, 6));
    }
    let request = DescribeCloudCenterInstancesRequest::new().page_size(2);
    let n = client(&server)
        .describe_cloud_center_instances_paginator(&request)
        .items()
        .try_fold(0, |n, _| async move { Ok(n + 1) })
        .await
        .expect("every page");
    assert_eq!((n, server.received().len()), (6, 3));

    // Without a total, one more (empty) page is read.
    let server = Server::start(Reply::json(500, "{}")).await;
    for n in [2, 2, 2, 0] {
        server.push(tags(n));
    }
    let items: Vec<String> = client(&server)
        .describe_container_tags_paginator(&tags_request(2))
        .items()
        .try_collect()
        .await
        .expect("every page");
    assert_eq!((items.len(), server.received().len()), (6, 4));
}

#[tokio::test]
async fn zero_items_is_one_request() {
    let server = Server::start(Reply::json(500, "{}")).await;
    server.push(instances(0, 0, 0));
    let pages: Vec<_> = client(&server)
        .describe_cloud_center_instances_paginator(&DescribeCloudCenterInstancesRequest::new())
        .pages()
        .try_collect()
        .await
        .expect("one page");
    assert_eq!((pages.len(), server.received().len()), (1, 1));
}

#[tokio::test]
async fn an_error_on_page_two_is_yielded_and_ends_the_stream() {
    let server = Server::start(Reply::json(500, "{}")).await;
    server.push(instances(0, 2, 10));
    server.push(Reply::json(
        400,
        r#"{"RequestId": "r2", "Code": "InvalidParameter", "Message": "m"}"#,
    ));
    let results: Vec<_> = client(&server)
        .describe_cloud_center_instances_paginator(
            &DescribeCloudCenterInstancesRequest::new().page_size(2),
        )
        .pages()
        .collect()
        .await;
    assert_eq!(results.len(), 2);
    assert!(results[0].is_ok());
    assert_eq!(
        results[1].as_ref().err().and_then(|e| e.code()),
        Some("InvalidParameter")
    );
    assert_eq!(server.received().len(), 2);
}

#[tokio::test]
async fn a_throttled_page_is_retried_with_the_paginators_options() {
    let server = Server::start(Reply::json(500, "{}")).await;
    server.push(instances(0, 2, 3));
    server.push(Reply::json(
        400,
        r#"{"RequestId": "r2", "Code": "Throttling.User", "Message": "slow down"}"#,
    ));
    server.push(instances(2, 1, 3));
    let options = CallOptions::new()
        .with_timeout(Duration::from_secs(10))
        .with_retry(RetryPolicy::new().with_base_delay(Duration::from_millis(1)));
    let n = client(&server)
        .describe_cloud_center_instances_paginator(
            &DescribeCloudCenterInstancesRequest::new().page_size(2),
        )
        .options(options)
        .items()
        .try_fold(0, |n, _| async move { Ok(n + 1) })
        .await
        .expect("the retry succeeds");
    assert_eq!(n, 3);
    assert_eq!(sent(&server, "CurrentPage"), ["1", "2", "2"]);

    // With retries off, the throttled page is the stream's last item.
    let server = Server::start(Reply::json(500, "{}")).await;
    server.push(instances(0, 2, 3));
    server.push(Reply::json(400, r#"{"Code": "Throttling.User"}"#));
    let results: Vec<_> = client(&server)
        .describe_cloud_center_instances_paginator(
            &DescribeCloudCenterInstancesRequest::new().page_size(2),
        )
        .options(CallOptions::new().with_retry(RetryPolicy::disabled()))
        .pages()
        .collect()
        .await;
    assert_eq!(results.len(), 2);
    assert_eq!(server.received().len(), 2);
}

#[tokio::test]
async fn a_consumer_that_stops_early_sends_no_further_request() {
    let server = Server::start(Reply::json(500, "{}")).await;
    for first in [0, 2, 4] {
        server.push(instances(first, 2, 100));
    }
    let first3: Vec<_> = client(&server)
        .describe_cloud_center_instances_paginator(
            &DescribeCloudCenterInstancesRequest::new().page_size(2),
        )
        .items()
        .take(3)
        .try_collect()
        .await
        .expect("three items");
    assert_eq!(first3.len(), 3);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(server.received().len(), 2);
}

#[tokio::test]
async fn full_pages_forever_end_with_a_typed_error() {
    // No total and always a full page: only the page limit stops it.
    let server = Server::start(tags(2)).await;
    let results: Vec<_> = client(&server)
        .describe_container_tags_paginator(&tags_request(2))
        .max_pages(5)
        .pages()
        .collect()
        .await;
    assert_eq!(results.len(), 6);
    assert!(results[..5].iter().all(Result::is_ok));
    assert!(matches!(
        &results[5],
        Err(Error::Pagination(PaginationError::TooManyPages {
            limit: 5,
            ..
        }))
    ));
    assert_eq!(server.received().len(), 5);
}

fn fixture(server: &Server) -> FixtureClient {
    FixtureClient::builder()
        .endpoint(server.url())
        .credentials(Credentials::new("id", "secret"))
        .build()
        .expect("client")
}

fn token_page(rows: &[&str], next: Option<&str>) -> Reply {
    let rows: Vec<String> = rows.iter().map(|r| format!(r#"{{"Id": "{r}"}}"#)).collect();
    let next = next.map_or(String::new(), |t| format!(r#""NextToken": "{t}", "#));
    Reply::json(
        200,
        &format!(r#"{{"Page": {{{next}"Rows": [{}]}}}}"#, rows.join(",")),
    )
}

#[tokio::test]
async fn tokens_chain_until_there_is_none() {
    let server = Server::start(Reply::json(500, "{}")).await;
    server.push(token_page(&["a", "b"], Some("t1")));
    server.push(token_page(&["c"], Some("t2")));
    server.push(token_page(&["d"], Some("")));
    let request = ListPagesRequest::new().next_token("ignored").max_results(2);
    let ids: Vec<String> = fixture(&server)
        .list_pages_paginator(&request)
        .items()
        .map_ok(|r| r.id.unwrap_or_default())
        .try_collect()
        .await
        .expect("every page");
    assert_eq!(ids, ["a", "b", "c", "d"]);
    assert_eq!(sent(&server, "NextToken"), ["", "t1", "t2"]);
    assert_eq!(sent(&server, "MaxResults"), ["2", "2", "2"]);
}

#[tokio::test]
async fn a_repeated_token_ends_with_a_typed_error() {
    let server = Server::start(Reply::json(500, "{}")).await;
    server.push(token_page(&["a"], Some("t1")));
    server.push(token_page(&["b"], Some("t2")));
    server.push(token_page(&["c"], Some("t1")));
    let results: Vec<_> = fixture(&server)
        .list_pages_paginator(&ListPagesRequest::new())
        .pages()
        .collect()
        .await;
    assert_eq!(results.len(), 4);
    assert!(matches!(
        &results[3],
        Err(Error::Pagination(PaginationError::RepeatedToken {
            pages: 3,
            ..
        }))
    ));
    assert_eq!(server.received().len(), 3);
}
