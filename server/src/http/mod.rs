//! The HTTP face of the game: the Leptos pages, the `/v1` API, and the health checks.

mod api;
pub mod error;
mod health;
pub mod openapi;
mod rate_limit;

use std::sync::Arc;

use app::api::CurrentState;
use app::state_source::StateSource;
use app::{App, shell};
use axum::{Router, extract::FromRef};
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list};
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_axum::{router::OpenApiRouter, routes};
use utoipa_swagger_ui::SwaggerUi;

use crate::clock::now_ms;
use crate::game::Game;
use openapi::ApiDoc;

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
    let (app, _) = router_and_openapi(state);
    app
}

/// The web application and the OpenAPI description of exactly the routes it serves.
pub fn router_and_openapi(state: AppState) -> (Router, utoipa::openapi::OpenApi) {
    let game = &state.game;
    let (mut v1, mut api) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(api::challenge::get_challenge))
        .routes(routes!(api::press::post_press))
        .routes(routes!(api::states::get_current_state))
        .routes(routes!(api::states::stream_states))
        .routes(routes!(api::receipt::get_receipt))
        .split_for_parts();
    if let Some(limit) = rate_limit::layer(
        game.rate_limit_per_second,
        game.rate_limit_burst,
        game.trusted_proxies.clone(),
    ) {
        v1 = v1.layer(limit);
    }
    let (operations, operations_api) = OpenApiRouter::new()
        .routes(routes!(health::health))
        .routes(routes!(health::live))
        .routes(routes!(health::ready))
        .routes(routes!(health::metrics))
        .split_for_parts();
    api.merge(operations_api);

    let routes = generate_route_list(App);
    let options = state.leptos_options.clone();
    // Pages (and the `load_current_state` server function) are rendered with the latest state.
    let live = state.game.live.clone();
    let source = StateSource(Arc::new(move || CurrentState {
        state: live.borrow().state,
        server_time_ms: now_ms(),
    }));
    let app = Router::new()
        .merge(v1)
        .merge(operations)
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_context(source.clone()),
            move || shell(options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .with_state(state)
        .merge(SwaggerUi::new("/docs").url("/openapi.json", api.clone()))
        .layer(TraceLayer::new_for_http());
    (app, api)
}
