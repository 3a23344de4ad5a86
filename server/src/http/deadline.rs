//! The request deadline of the routes that read a body or wait on PostgreSQL and NATS: 408 with
//! the API's JSON error once a request has taken too long.
//!
//! A plain map of the route's future, not `HandleError` + `Timeout`: axum clones a route's layers
//! for every request, and those two box a future each (callgrind showed the difference on the
//! press path; see BENCHMARKS.md).

use std::convert::Infallible;
use std::future::Future;
use std::time::Duration;

use axum::extract::Request;
use axum::response::{IntoResponse, Response};
use axum::routing::Route;
use axum::routing::future::RouteFuture;
use tower::util::MapFutureLayer;
use tower::{Layer, Service};

use super::error::ApiError;

/// The layer: a route's answer, or 408 `timeout` after `limit`.
pub fn layer(
    limit: Duration,
) -> impl Layer<
    Route,
    Service = impl Service<
        Request,
        Response = Response,
        Error = Infallible,
        Future = impl Future<Output = Result<Response, Infallible>> + Send + 'static,
    > + Clone
              + Send
              + Sync
              + 'static,
> + Clone
+ Send
+ Sync
+ 'static {
    MapFutureLayer::new(move |answer: RouteFuture<Infallible>| async move {
        match tokio::time::timeout(limit, answer).await {
            Ok(answered) => answered,
            Err(_) => Ok(ApiError::Timeout.into_response()),
        }
    })
}
