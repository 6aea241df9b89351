//! A ready-made [`Transport`] for unit tests: canned answers in order, every request recorded.
//!
//! ```
//! use alibabacloud_runtime::mock::MockTransport;
//! use alibabacloud_runtime::{
//!     AnyCode, Client, ClientBuilder, Credentials, Error, Location, Method, Operation, Params,
//!     Product, Style, Value,
//! };
//! use std::sync::Arc;
//!
//! // An operation as a generated crate defines it.
//! #[derive(Clone)]
//! struct DescribeVersion {
//!     lang: Option<String>,
//! }
//!
//! impl Operation for DescribeVersion {
//!     const ACTION: &'static str = "DescribeVersionConfig";
//!     const METHOD: Method = Method::Post;
//!     type Output = Value;
//!     type ErrorCode = AnyCode;
//!     fn write_params(&self, params: &mut Params) {
//!         params.put("Lang", Location::Query, Style::Plain, self.lang.as_ref());
//!     }
//! }
//!
//! static SAS: Product = Product {
//!     code: "Sas",
//!     version: "2018-12-03",
//!     endpoints: &[("cn-shanghai", "tds.aliyuncs.com")],
//! };
//!
//! // The code under test: yours.
//! async fn version(client: &Client) -> Result<String, Error> {
//!     let answer = client.call(&DescribeVersion { lang: Some("en".into()) }).await?;
//!     Ok(answer["Version"].as_str().unwrap_or_default().to_owned())
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! let mock = MockTransport::new();
//! mock.push_json(200, &serde_json::json!({"RequestId": "r-1", "Version": "5.0"}));
//! mock.push_json(400, &serde_json::json!({"RequestId": "r-2", "Code": "InvalidParam"}));
//! let client: Client = ClientBuilder::new(&SAS)
//!     .region("cn-shanghai")
//!     .credentials(Credentials::new("id", "secret"))
//!     .transport(Arc::new(mock.clone()))
//!     .build()
//!     .unwrap();
//!
//! assert_eq!(version(&client).await.unwrap(), "5.0");
//! let err = version(&client).await.unwrap_err();
//! assert_eq!(err.code(), Some("InvalidParam"));
//!
//! let sent = mock.requests();
//! assert_eq!(sent.len(), 2);
//! assert_eq!(sent[0].header("x-acs-action"), Some("DescribeVersionConfig"));
//! assert!(sent[0].url.contains("Lang=en"));
//! # }
//! ```

use crate::error::{TransportError, TransportErrorKind};
use crate::transport::{BoxFuture, HttpRequest, HttpResponse, Transport};
use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};

/// Answers requests with canned responses, in the order they were pushed, and records every
/// request. Clones share the same queue and record, so keep one clone to inspect what was sent.
/// When the queue is empty it answers a transport error of kind `Io`.
#[derive(Clone, Default)]
pub struct MockTransport {
    state: Arc<Mutex<State>>,
}

#[derive(Default)]
struct State {
    answers: VecDeque<Result<HttpResponse, TransportError>>,
    requests: Vec<HttpRequest>,
}

impl MockTransport {
    /// No canned answers yet.
    pub fn new() -> Self {
        Self::default()
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Queues `response`.
    pub fn push(&self, response: HttpResponse) -> &Self {
        self.state().answers.push_back(Ok(response));
        self
    }

    /// Queues a JSON answer with `status` and a `content-type: application/json` header.
    pub fn push_json(&self, status: u16, body: &serde_json::Value) -> &Self {
        let mut response = HttpResponse::new(status, body.to_string());
        response.headers.insert(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static("application/json"),
        );
        self.push(response)
    }

    /// Queues a transport failure.
    pub fn push_error(&self, error: TransportError) -> &Self {
        self.state().answers.push_back(Err(error));
        self
    }

    /// Every request sent so far, in order.
    pub fn requests(&self) -> Vec<HttpRequest> {
        self.state().requests.clone()
    }

    /// How many canned answers are left.
    pub fn remaining(&self) -> usize {
        self.state().answers.len()
    }
}

impl fmt::Debug for MockTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.state();
        f.debug_struct("MockTransport")
            .field("remaining", &s.answers.len())
            .field("requests", &s.requests.len())
            .finish()
    }
}

impl Transport for MockTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        let answer = {
            let mut s = self.state();
            s.requests.push(request);
            s.answers.pop_front()
        };
        Box::pin(async move {
            answer.unwrap_or_else(|| {
                Err(TransportError::new(
                    TransportErrorKind::Io,
                    "MockTransport has no canned answer left",
                ))
            })
        })
    }
}
