//! The HTTP face of the game: the Leptos pages (and their files, [`assets`]), the `/v1` API,
//! and the health checks.

mod api;
pub mod assets;
pub mod connections;
mod deadline;
pub mod error;
pub mod health;
pub mod openapi;
mod rate_limit;
mod security_headers;
mod services;

pub use services::Services;

use std::sync::Arc;

use app::state_source::{MemorySource, PageStart, PressSource, StateSource};
use app::wire::CurrentState;
use app::{App, shell};
use axum::extract::DefaultBodyLimit;
use axum::{Router, extract::FromRef};
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list};
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_axum::{router::OpenApiRouter, routes};
use utoipa_swagger_ui::SwaggerUi;

use crate::clock::now_ms;
use openapi::ApiDoc;

/// What every handler can reach. Cheap to clone (two `Arc`s): axum clones the state with the
/// route's service on every request, and `LeptosOptions` is a dozen strings (cloning it showed
/// as ~3 % of the web server's CPU under load).
#[derive(Clone)]
pub struct AppState {
    /// Where the site's files are and how the page is rendered.
    pub leptos_options: Arc<LeptosOptions>,
    /// The web server's services.
    pub services: Arc<Services>,
}

/// For the pages and the file handler of `leptos_axum`, which take the options by value.
impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> LeptosOptions {
        (*state.leptos_options).clone()
    }
}

impl FromRef<AppState> for Arc<Services> {
    fn from_ref(state: &AppState) -> Arc<Services> {
        state.services.clone()
    }
}

/// The whole web application.
pub fn router(state: AppState) -> Router {
    let (app, _) = router_and_openapi(state);
    app
}

/// The game's memory for the pages the server renders, read as the API reads it.
fn memory_source(services: &Arc<Services>) -> MemorySource {
    let (for_history, for_moments, for_boards, for_countries) = (
        services.clone(),
        services.clone(),
        services.clone(),
        services.clone(),
    );
    MemorySource {
        history: Arc::new(move |range| {
            let services = for_history.clone();
            Box::pin(async move {
                let now = now_ms();
                let since_commit = services.time_since_commit(now);
                crate::db::history(&services.pool, range, now, &since_commit)
                    .await
                    .map_err(|error| error.to_string())
            })
        }),
        moments: Arc::new(move || {
            let services = for_moments.clone();
            Box::pin(async move {
                crate::db::newest_moments(&services.pool, None, app::wire::Moments::LEN as i64)
                    .await
                    .map_err(|error| error.to_string())
            })
        }),
        leaderboard: Arc::new(move |board, period| {
            let services = for_boards.clone();
            Box::pin(async move {
                let mut conn = services
                    .pool
                    .acquire()
                    .await
                    .map_err(|error| error.to_string())?;
                crate::db::leaderboard(&mut conn, board, period, now_ms())
                    .await
                    .map_err(|error| error.to_string())
            })
        }),
        countries: Arc::new(move |period| {
            let services = for_countries.clone();
            Box::pin(async move {
                crate::db::countries(&services.pool, period, services.country_k, now_ms())
                    .await
                    .map_err(|error| error.to_string())
            })
        }),
    }
}

/// The web application and the OpenAPI description of exactly the routes it serves.
pub fn router_and_openapi(state: AppState) -> (Router, utoipa::openapi::OpenApi) {
    let services = &state.services;
    // Requests that read a body or wait on PostgreSQL and NATS: a small body and a deadline.
    // (The others answer from memory at once: a timer per request would only cost CPU; their
    // headers have a deadline of their own, and a client that stops reading is dropped.)
    let bounded = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(api::events::post_press))
        .routes(routes!(api::presses::get_receipt))
        .routes(routes!(api::presses::get_press_log))
        .routes(routes!(api::players::get_player))
        .routes(routes!(api::memory::get_history))
        .routes(routes!(api::memory::get_moments))
        .routes(routes!(api::memory::get_leaderboard))
        .routes(routes!(api::memory::get_countries))
        .routes(routes!(api::admin::pause))
        .routes(routes!(api::admin::resume))
        .routes(routes!(api::admin::new_season))
        .routes(routes!(api::admin::change_rules))
        .routes(routes!(api::admin::status))
        .layer(DefaultBodyLimit::max(error::MAX_BODY_BYTES))
        .layer(deadline::layer(services.request_timeout));
    let answered = bounded
        .routes(routes!(api::challenge::get_challenge))
        .routes(routes!(api::states::get_current_state));
    // The live stream stays open: no deadline (a client that stops reading is dropped by the
    // connection's write deadline instead).
    let streamed = OpenApiRouter::new().routes(routes!(api::states::stream_states));
    let (mut v1, mut api) = answered.merge(streamed).split_for_parts();
    // Anything else under /v1 is the API's JSON 404, not the page's.
    v1 = v1.route("/v1/{*rest}", axum::routing::any(error::no_such_route));
    if let Some(limit) = rate_limit::layer(
        services.rate_limit_per_second,
        services.rate_limit_burst,
        services.trusted_proxies.clone(),
        services.shutdown.clone(),
    ) {
        v1 = v1.layer(limit);
    }
    // Answers of the API are never cached nor sniffed.
    v1 = v1.layer(security_headers::api_layer());
    let (operations, operations_api) = OpenApiRouter::new()
        .routes(routes!(health::health))
        .routes(routes!(health::live))
        .routes(routes!(health::ready))
        .routes(routes!(health::metrics))
        .split_for_parts();
    api.merge(operations_api);

    let routes = generate_route_list(App);
    let options = (*state.leptos_options).clone();
    // Pages (through the `load_page_start` server function) are rendered with the latest state,
    // crowd and feed; a press's page with its press, from PostgreSQL.
    let (live, crowd) = (state.services.live.clone(), state.services.crowd.clone());
    let source = StateSource(Arc::new(move || {
        let live = live.borrow();
        PageStart {
            current: CurrentState {
                state: live.state,
                server_time_ms: now_ms(),
                crowd: crowd.borrow().crowd,
            },
            feed: live.feed.feed.entries.clone(),
            moments: live.feed.moments.moments.clone(),
        }
    }));
    let pool = state.services.pool.clone();
    let presses = PressSource(Arc::new(move |press_id| {
        let pool = pool.clone();
        Box::pin(async move {
            crate::db::press_entry(&pool, press_id)
                .await
                .map_err(|error| error.to_string())
        })
    }));
    let memory = memory_source(&state.services);
    // (Each `layer` wraps the routes present when it is called, and is cloned with them per
    // request: the pages' body limit and the documents' headers go on the pages, the docs and
    // the operations' routes; the API, merged last, has its own.)
    let app = Router::new()
        .leptos_routes_with_context(
            &state,
            routes,
            move || {
                provide_context(source.clone());
                provide_context(presses.clone());
                provide_context(memory.clone());
            },
            move || shell(options.clone()),
        )
        .fallback({
            let files = leptos_axum::file_and_error_handler::<AppState, _>(shell);
            move |uri: axum::http::Uri, state: axum::extract::State<AppState>, request| {
                let files = files.clone();
                async move {
                    let mut response = files(uri.clone(), state, request).await;
                    assets::cache(uri.path(), &mut response);
                    assets::vary_by_encoding(&mut response);
                    response
                }
            }
        })
        .layer(assets::compression())
        .layer(DefaultBodyLimit::max(PAGE_BODY_BYTES))
        .merge(operations)
        .with_state(state.clone())
        .merge(SwaggerUi::new("/docs").url("/openapi.json", api.clone()))
        .layer(security_headers::layer())
        .merge(v1.with_state(state));
    // A span per request, only when someone reads them (`RUST_LOG=tower_http=debug` at start):
    // filtered out, the layer still costs every request its futures and clock reads.
    let app = if tracing::enabled!(target: "tower_http::trace", tracing::Level::DEBUG) {
        app.layer(TraceLayer::new_for_http())
    } else {
        app
    };
    (app, api)
}

/// The most bytes any other request's body may have (the page's server functions).
const PAGE_BODY_BYTES: usize = 16 * 1_024;
