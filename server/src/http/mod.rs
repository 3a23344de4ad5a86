//! The HTTP face of the game: the Leptos pages, the `/v1` API, and the health checks.

mod api;
pub mod error;
mod health;
mod rate_limit;

use std::sync::Arc;

use app::api::CurrentState;
use app::state_source::StateSource;
use app::{App, shell};
use axum::{
    Router,
    extract::FromRef,
    routing::{get, post},
};
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list};
use tower_http::trace::TraceLayer;

use crate::clock::now_ms;
use crate::game::Game;

/// What every handler can reach.
#[derive(Clone, FromRef)]
pub struct AppState {
    /// Where the site's files are and how the page is rendered.
    pub leptos_options: LeptosOptions,
    /// The running game.
    pub game: Arc<Game>,
}

/// The whole web application.
pub fn router(state: AppState) -> Router {
    let game = &state.game;
    let mut v1 = Router::new()
        .route("/v1/challenge", get(api::get_challenge))
        .route("/v1/events/press", post(api::post_press))
        .route("/v1/states/current", get(api::get_current_state))
        .route("/v1/states/stream", get(api::stream_states))
        .route("/v1/presses/{press_id}", get(api::get_receipt));
    if let Some(limit) = rate_limit::layer(
        game.rate_limit_per_second,
        game.rate_limit_burst,
        game.trusted_proxies.clone(),
    ) {
        v1 = v1.layer(limit);
    }
    let routes = generate_route_list(App);
    let options = state.leptos_options.clone();
    // Pages (and the `load_current_state` server function) are rendered with the latest state.
    let live = state.game.live.clone();
    let source = StateSource(Arc::new(move || CurrentState {
        state: *live.borrow(),
        server_time_ms: now_ms(),
    }));
    Router::new()
        .merge(v1)
        .route("/health", get(health::health))
        .route("/health/live", get(health::live))
        .route("/health/ready", get(health::ready))
        .route("/metrics", get(health::metrics))
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_context(source.clone()),
            move || shell(options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
