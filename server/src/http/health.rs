//! Health checks for load balancers, orchestrators and operators: real checks, 503 when down.

use async_nats::connection::State as ConnectionState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::http::AppState;

/// `GET /metrics`: Prometheus text format.
#[utoipa::path(
    get,
    path = "/metrics",
    tag = "operations",
    responses((status = 200, description = "Prometheus text format", content_type = "text/plain", body = String))
)]
pub async fn metrics(State(app): State<AppState>) -> (StatusCode, String) {
    match &app.game.metrics {
        Some(handle) => (StatusCode::OK, handle.render()),
        None => (
            StatusCode::SERVICE_UNAVAILABLE,
            "metrics are not recorded in this process\n".into(),
        ),
    }
}

/// `GET /health/live`: the process is up and serving HTTP.
#[utoipa::path(get, path = "/health/live", tag = "operations", responses((status = 200, description = "The process serves HTTP")))]
pub async fn live() -> Json<Value> {
    Json(json!({ "status": "live" }))
}

/// `GET /health/ready`: PostgreSQL and NATS answer, so presses can be taken.
#[utoipa::path(
    get,
    path = "/health/ready",
    tag = "operations",
    responses(
        (status = 200, description = "PostgreSQL and NATS answer"),
        (status = 503, description = "A dependency is down"),
    )
)]
pub async fn ready(State(app): State<AppState>) -> (StatusCode, Json<Value>) {
    let (status, mut body) = checks(&app).await;
    body["status"] = json!(if status.is_success() {
        "ready"
    } else {
        "unavailable"
    });
    (status, Json(body))
}

/// `GET /health`: the checks of `/health/ready`, plus how far the reducer is behind the stream.
#[utoipa::path(
    get,
    path = "/health",
    tag = "operations",
    responses(
        (status = 200, description = "Dependencies, state id and reducer lag"),
        (status = 503, description = "A dependency is down"),
    )
)]
pub async fn health(State(app): State<AppState>) -> (StatusCode, Json<Value>) {
    let (status, mut body) = checks(&app).await;
    let applied = app.game.live.borrow().last_applied_seq;
    body["status"] = json!(if status.is_success() {
        "ok"
    } else {
        "unavailable"
    });
    body["state_id"] = json!(app.game.live.borrow().id);
    body["last_applied_seq"] = json!(applied);
    // Events in the stream past the last committed state (idle ticks are never committed, so a
    // few may linger while the button is CALM).
    body["reducer_lag"] = match app.game.events.last_sequence().await {
        Ok(last) => json!(last.saturating_sub(applied)),
        Err(_) => Value::Null,
    };
    (status, Json(body))
}

/// PostgreSQL and NATS, each `"ok"` or `{"error": …}`; 503 unless both are ok.
async fn checks(app: &AppState) -> (StatusCode, Value) {
    let postgres = postgres_ok(app).await;
    let nats = nats_ok(app);
    let status = if postgres.is_ok() && nats.is_ok() {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        json!({ "postgres": check(&postgres), "nats": check(&nats) }),
    )
}

async fn postgres_ok(app: &AppState) -> Result<(), String> {
    sqlx::query("SELECT 1")
        .execute(&app.game.pool)
        .await
        .map(drop)
        .map_err(|e| e.to_string())
}

fn nats_ok(app: &AppState) -> Result<(), String> {
    match app.game.nats.connection_state() {
        ConnectionState::Connected => Ok(()),
        other => Err(format!("{other:?}")),
    }
}

fn check(result: &Result<(), String>) -> Value {
    match result {
        Ok(()) => json!("ok"),
        Err(e) => json!({ "error": e }),
    }
}
