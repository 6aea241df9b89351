//! Typed test doubles for code that calls a generated client (feature `test-util`).
//!
//! [`Mock`] is a [`Transport`]: install it with `ClientBuilder::transport(mock.transport())`
//! and the code under test keeps using the generated `Client` unchanged. Rules say, per
//! request type, what to answer: a typed response ([`Rule::respond`], [`Rule::respond_with`])
//! or a service error code ([`Rule::fail_with`]), optionally only for requests matching a
//! predicate ([`Rule::matching`]) and only a number of times ([`Rule::times`]). Answers go
//! through the client's real decoding, error mapping and retry policy. [`Mock::requests`]
//! returns the typed requests sent (one per HTTP request: retries and pages included),
//! recorded as the client made them rather than decoded back from the wire, so they are
//! exactly the values the code under test built (with the paginator's page fields set).
//!
//! A complete example on a generated operation is in the generated crate's documentation.

use crate::client::Operation;
use crate::credentials::BoxFuture;
use crate::error::{ErrorCode, TransportError, TransportErrorKind};
use crate::json::ToJson;
use crate::transport::{HttpRequest, HttpResponse, Transport, TypedRequest};
use serde_json::Value;
use std::any::Any;
use std::fmt;
use std::marker::PhantomData;
use std::sync::{Arc, Mutex, MutexGuard};

type Matcher = Box<dyn Fn(&dyn Any) -> bool + Send + Sync>;
type Answer = Box<dyn Fn(&dyn Any) -> (u16, Value) + Send + Sync>;

struct RuleState {
    action: &'static str,
    matcher: Option<Matcher>,
    answer: Answer,
    /// Answers left (`None`: unlimited).
    left: Option<usize>,
}

#[derive(Default)]
struct State {
    rules: Vec<RuleState>,
    sent: Vec<TypedRequest>,
}

/// Answers typed calls by rules and records the typed requests; clones share both.
#[derive(Clone, Default)]
pub struct Mock {
    state: Arc<Mutex<State>>,
}

impl Mock {
    /// No rules yet: every call fails with a transport error naming its action.
    pub fn new() -> Self {
        Self::default()
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A rule for calls of operation `R` (finish it with `respond`, `respond_with` or
    /// `fail_with`). Rules are tried in the order they were finished; the first that matches
    /// and has answers left answers.
    pub fn on<R: Operation>(&self) -> Rule<'_, R> {
        Rule {
            mock: self,
            matcher: None,
            times: None,
            _r: PhantomData,
        }
    }

    /// The transport to give `ClientBuilder::transport`.
    pub fn transport(&self) -> Arc<dyn Transport> {
        Arc::new(self.clone())
    }

    /// Every request of type `R` sent so far, in order (one per HTTP request).
    pub fn requests<R: Operation>(&self) -> Vec<R> {
        self.state()
            .sent
            .iter()
            .filter_map(|t| t.downcast_ref::<R>().cloned())
            .collect()
    }

    /// How many requests were sent, of any operation.
    pub fn calls(&self) -> usize {
        self.state().sent.len()
    }

    fn answer(&self, typed: &TypedRequest) -> Result<HttpResponse, TransportError> {
        let mut s = self.state();
        s.sent.push(typed.clone());
        let n = s.sent.len();
        let value: &dyn Any = &*typed.value;
        let rule = s.rules.iter_mut().find(|r| {
            r.action == typed.action
                && r.left != Some(0)
                && r.matcher.as_ref().is_none_or(|m| m(value))
        });
        let Some(rule) = rule else {
            return Err(TransportError::new(
                TransportErrorKind::Io,
                format!("Mock: no rule answers {} (request {n})", typed.action),
            ));
        };
        if let Some(left) = &mut rule.left {
            *left -= 1;
        }
        let (status, mut body) = (rule.answer)(value);
        if let Value::Object(o) = &mut body {
            o.entry("RequestId")
                .or_insert_with(|| Value::String(format!("mock-{n}")));
        }
        let mut response = HttpResponse::new(status, body.to_string());
        response.headers.insert(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static("application/json"),
        );
        Ok(response)
    }
}

impl fmt::Debug for Mock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.state();
        f.debug_struct("Mock")
            .field("rules", &s.rules.len())
            .field("requests", &s.sent.len())
            .finish()
    }
}

impl Transport for Mock {
    fn send(&self, _request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(async {
            Err(TransportError::new(
                TransportErrorKind::Io,
                "Mock answers typed calls of a generated client only",
            ))
        })
    }

    fn wants_typed(&self) -> bool {
        true
    }

    fn send_typed(
        &self,
        _request: HttpRequest,
        typed: &TypedRequest,
    ) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        let answer = self.answer(typed);
        Box::pin(async move { answer })
    }
}

/// A rule being built for operation `R`.
#[must_use = "a rule does nothing until respond, respond_with or fail_with finishes it"]
pub struct Rule<'m, R> {
    mock: &'m Mock,
    matcher: Option<Matcher>,
    times: Option<usize>,
    _r: PhantomData<fn(R)>,
}

impl<R: Operation> Rule<'_, R> {
    /// Answers only requests for which `predicate` holds.
    pub fn matching(mut self, predicate: impl Fn(&R) -> bool + Send + Sync + 'static) -> Self {
        self.matcher = Some(Box::new(move |v| {
            v.downcast_ref::<R>().is_some_and(&predicate)
        }));
        self
    }

    /// Answers at most `n` times (then later rules answer).
    pub fn times(mut self, n: usize) -> Self {
        self.times = Some(n);
        self
    }

    /// Answers `response` (encoded as the service would send it).
    pub fn respond(self, response: R::Output)
    where
        R::Output: ToJson + Send + Sync + 'static,
    {
        self.finish(Box::new(move |_| (200, response.to_json())));
    }

    /// Answers what `f` makes of the request (pages that depend on the page number…).
    pub fn respond_with(self, f: impl Fn(&R) -> R::Output + Send + Sync + 'static)
    where
        R::Output: ToJson,
    {
        self.finish(Box::new(move |v| match v.downcast_ref::<R>() {
            Some(r) => (200, f(r).to_json()),
            None => (500, Value::Null),
        }));
    }

    /// Answers the service error `code` with HTTP 400.
    pub fn fail_with(self, code: R::ErrorCode) {
        self.fail_with_status(400, code);
    }

    /// Answers the service error `code` with HTTP `status`.
    pub fn fail_with_status(self, status: u16, code: R::ErrorCode) {
        let code = code.as_code().to_owned();
        self.finish(Box::new(move |_| {
            (
                status,
                serde_json::json!({"Code": code, "Message": format!("mock error {code}")}),
            )
        }));
    }

    fn finish(self, answer: Answer) {
        self.mock.state().rules.push(RuleState {
            action: R::ACTION,
            matcher: self.matcher,
            answer,
            left: self.times,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AnyCode, Client, ClientBuilder, Credentials, Error, Method, Params, Product};

    #[derive(Clone, Debug, PartialEq)]
    struct Get(Option<String>);

    impl Operation for Get {
        const ACTION: &'static str = "Get";
        const METHOD: Method = Method::Post;
        type Output = Value;
        type ErrorCode = AnyCode;
        fn write_params(&self, params: &mut Params) {
            params.put(
                "Id",
                crate::Location::Query,
                crate::Style::Plain,
                self.0.as_ref(),
            );
        }
    }

    static P: Product = Product {
        code: "X",
        version: "1",
        endpoints: &[],
    };

    fn client(mock: &Mock) -> Client {
        ClientBuilder::new(&P)
            .endpoint("https://example.invalid")
            .credentials(Credentials::new("id", "secret"))
            .retry_policy(crate::RetryPolicy::disabled())
            .transport(mock.transport())
            .build()
            .unwrap()
    }

    #[tokio::test]
    async fn rules_match_in_order_with_predicates_and_counts() {
        let mock = Mock::new();
        mock.on::<Get>()
            .matching(|r| r.0.as_deref() == Some("a"))
            .respond(serde_json::json!({"V": 1}));
        mock.on::<Get>()
            .times(1)
            .respond_with(|r| serde_json::json!({"Echo": r.0}));
        mock.on::<Get>().fail_with(AnyCode("NotFound".into()));
        let c = client(&mock);
        let a = c.call(&Get(Some("a".into()))).await.unwrap();
        assert_eq!(
            (a["V"].as_i64(), a["RequestId"].as_str()),
            (Some(1), Some("mock-1"))
        );
        let b = c.call(&Get(Some("b".into()))).await.unwrap();
        assert_eq!(b["Echo"], "b");
        let e = c.call(&Get(Some("b".into()))).await.unwrap_err();
        assert_eq!((e.code(), e.status()), (Some("NotFound"), Some(400)));
        assert_eq!(
            mock.requests::<Get>(),
            [
                Get(Some("a".into())),
                Get(Some("b".into())),
                Get(Some("b".into()))
            ]
        );
    }

    #[tokio::test]
    async fn a_call_without_a_rule_fails_naming_the_action() {
        let mock = Mock::new();
        let e = client(&mock).call(&Get(None)).await.unwrap_err();
        assert!(matches!(&e, Error::Transport(t) if t.to_string().contains("no rule answers Get")));
        assert_eq!(mock.calls(), 1);
    }
}
