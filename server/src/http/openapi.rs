//! The API's OpenAPI description: served as JSON at `/openapi.json` and browsable at `/docs`
//! (Swagger UI, vendored into the binary: nothing is fetched at build or run time).

use utoipa::OpenApi;

/// The document's header; the paths come from the routes themselves (`utoipa-axum`).
#[derive(OpenApi)]
#[openapi(
    info(
        title = "The Button",
        description = "One global button, pressed by everyone at once. Every error is \
            `{\"error\": code, \"message\": text}` with a stable code."
    ),
    tags(
        (name = "presses", description = "Challenges, presses and their receipts"),
        (name = "players", description = "Players by handle: presses, tips, flair"),
        (name = "states", description = "The global state, current and live"),
        (name = "memory", description = "The game's memory: history, moments, leaderboards"),
        (name = "operations", description = "Health and metrics"),
        (name = "admin", description = "The operators' commands (bearer token; 404 when none is configured)"),
    ),
    modifiers(&AdminTokenScheme)
)]
pub struct ApiDoc;

/// The admin routes' `security`: a bearer token (`BUTTON_ADMIN_TOKEN`).
struct AdminTokenScheme;

impl utoipa::Modify for AdminTokenScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme(
                "admin_token",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
    }
}
