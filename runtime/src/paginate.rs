//! Pagination: one generic page loop for every paged operation.
//!
//! A generated crate implements [`Paged`] for the request of each paged operation (how to set
//! the page number or token, where the answer keeps the total, the next token and the item
//! count) and [`PagedItems`] where the item list is known; everything else lives here:
//!
//! - page numbers: pages 1, 2, … until a page is empty, the items seen reach the total, or a
//!   page is shorter than the page size (the request's, else the longest page seen);
//! - tokens: until the answer has no (or an empty) next token;
//! - guards: a token the server already gave, or more pages than [`Paginator::max_pages`]
//!   (default [`DEFAULT_MAX_PAGES`]), end the stream with [`Error::Pagination`];
//! - an error on a page is yielded and ends the stream; retries, timeouts and signing are the
//!   client's, per page, with the paginator's [`CallOptions`];
//! - streams are lazy: a page is requested only when the consumer asks for more.

use crate::client::{CallOptions, Client, Operation};
use crate::error::Error;
pub use crate::error::PaginationError;
use futures_util::stream::{self, Stream, TryStreamExt};
use std::collections::HashSet;

/// The page limit of a paginator unless [`Paginator::max_pages`] says otherwise.
pub const DEFAULT_MAX_PAGES: u32 = 10_000;

/// How a paged operation's request and answer carry the page (generated per operation).
pub trait Paged: Operation {
    /// Pages are chained by a token (else by page number).
    const BY_TOKEN: bool;
    /// Sets the page number (page-number operations).
    fn set_page_number(&mut self, _page: i32) {}
    /// Sets the token (token operations); `None` asks for the first page.
    fn set_token(&mut self, _token: Option<String>) {}
    /// The page size the request asks for, if set.
    fn page_size(&self) -> Option<i64> {
        None
    }
    /// The total number of items, if the answer gives one.
    fn total(_page: &Self::Output) -> Option<i64> {
        None
    }
    /// The token of the next page, if the answer gives one.
    fn next_token(_page: &Self::Output) -> Option<&str> {
        None
    }
    /// The number of items on the page, if the item list is known.
    fn item_count(_page: &Self::Output) -> Option<usize> {
        None
    }
}

/// A paged operation whose item list is known.
pub trait PagedItems: Paged {
    /// One item.
    type Item: Send + 'static;
    /// The page's items.
    fn items(page: Self::Output) -> Vec<Self::Item>;
}

/// The pages (or items) of one paged call: build it with the generated
/// `Client::<operation>_paginator`, then read [`pages`](Self::pages) or
/// [`items`](Self::items).
#[derive(Debug, Clone)]
#[must_use = "a paginator does nothing until its stream is read"]
pub struct Paginator<O> {
    client: Client,
    request: O,
    options: CallOptions,
    max_pages: u32,
}

/// What to do on the next poll.
enum Next {
    Page(i32),
    Token(Option<String>),
    Fail(PaginationError),
    Done,
}

struct State<O> {
    p: Paginator<O>,
    next: Next,
    pages: u32,
    seen: i64,
    longest: usize,
    tokens: HashSet<String>,
}

impl<O: Paged> Paginator<O> {
    /// A paginator over `request` (its page fields are set by the paginator).
    pub fn new(client: Client, request: O) -> Self {
        Self {
            client,
            request,
            options: CallOptions::default(),
            max_pages: DEFAULT_MAX_PAGES,
        }
    }

    /// Per-call options (timeouts, retries) for every page.
    pub fn options(mut self, options: CallOptions) -> Self {
        self.options = options;
        self
    }

    /// At most `limit` pages (at least 1); more ends the stream with
    /// [`PaginationError::TooManyPages`].
    pub fn max_pages(mut self, limit: u32) -> Self {
        self.max_pages = limit.clamp(1, i32::MAX as u32);
        self
    }

    /// The pages, in order; an error is yielded last.
    pub fn pages(
        self,
    ) -> impl Stream<Item = Result<O::Output, Error<O::ErrorCode>>> + Send + 'static
    where
        O::Output: Send,
    {
        let first = if O::BY_TOKEN {
            Next::Token(None)
        } else {
            Next::Page(1)
        };
        let state = State {
            p: self,
            next: first,
            pages: 0,
            seen: 0,
            longest: 0,
            tokens: HashSet::new(),
        };
        stream::unfold(state, |mut s| async move {
            let mut request = s.p.request.clone();
            match std::mem::replace(&mut s.next, Next::Done) {
                Next::Done => return None,
                Next::Fail(e) => return Some((Err(Error::Pagination(e)), s)),
                Next::Page(n) => request.set_page_number(n),
                Next::Token(t) => request.set_token(t),
            }
            match s.p.client.call_with(&request, &s.p.options).await {
                Ok(page) => {
                    s.pages += 1;
                    s.next = s.after(&request, &page);
                    Some((Ok(page), s))
                }
                Err(e) => Some((Err(e), s)),
            }
        })
    }

    /// The items of every page, in order; an error is yielded last.
    pub fn items(self) -> impl Stream<Item = Result<O::Item, Error<O::ErrorCode>>> + Send + 'static
    where
        O: PagedItems,
        O::Output: Send,
    {
        self.pages()
            .map_ok(|page| stream::iter(O::items(page).into_iter().map(Ok)))
            .try_flatten()
    }
}

impl<O: Paged> State<O> {
    /// What follows `page`, the answer to `request`.
    fn after(&mut self, request: &O, page: &O::Output) -> Next {
        let count = O::item_count(page);
        if let Some(n) = count {
            self.seen += n as i64;
            self.longest = self.longest.max(n);
        }
        let total_reached = O::total(page).is_some_and(|t| self.seen >= t);
        if count == Some(0) || total_reached {
            return Next::Done;
        }
        let more = if O::BY_TOKEN {
            match O::next_token(page).filter(|t| !t.is_empty()) {
                None => return Next::Done,
                Some(t) if !self.tokens.insert(t.to_owned()) => {
                    return Next::Fail(PaginationError::RepeatedToken {
                        action: O::ACTION,
                        pages: self.pages,
                    })
                }
                Some(t) => Next::Token(Some(t.to_owned())),
            }
        } else {
            // Without an item count the last page cannot be recognised: stop rather than guess.
            let Some(count) = count else {
                return Next::Done;
            };
            let size = request
                .page_size()
                .and_then(|s| usize::try_from(s).ok())
                .filter(|s| *s > 0)
                .unwrap_or(self.longest);
            if count < size {
                return Next::Done;
            }
            Next::Page(self.pages as i32 + 1)
        };
        if self.pages >= self.p.max_pages {
            return Next::Fail(PaginationError::TooManyPages {
                action: O::ACTION,
                limit: self.p.max_pages,
            });
        }
        more
    }
}
