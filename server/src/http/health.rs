//! Health checks for load balancers, orchestrators and operators: real checks, 503 when presses
//! cannot be taken. The checks run at most about once a second, whatever the probes' rate, so
//! health stays cheap under load.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use async_nats::connection::State as ConnectionState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::http::AppState;

/// How long one round of checks is reused.
const FRESH_FOR: Duration = Duration::from_secs(1);
/// How long one check may take before it counts as down.
const CHECK_TIMEOUT: Duration = Duration::from_secs(2);

/// The newest round of checks, shared by every probe.
#[derive(Debug, Default)]
pub struct HealthCache {
    last: Mutex<Option<(Instant, Checks)>>,
    /// One round at a time: probes that come meanwhile wait for it.
    running: tokio::sync::Mutex<()>,
}

/// What one round found.
#[derive(Debug, Clone)]
struct Checks {
    ready: bool,
    body: Value,
}

/// What `/health` and `/health/ready` answer (described for the OpenAPI document; the handlers
/// build it as JSON).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)] // never built: it only describes the JSON
pub struct HealthReport {
    /// `ok` (`ready` for `/health/ready`), `unavailable` or `shutting_down`.
    status: String,
    /// `"ok"` or `{"error": text}`.
    #[schema(value_type = Value)]
    postgres: (),
    /// `"ok"` or `{"error": text}`.
    #[schema(value_type = Value)]
    nats: (),
    /// The events stream: `"ok"` or `{"error": text}`.
    #[schema(value_type = Value)]
    jetstream: (),
    /// The cooldown bucket: `"ok"` or `{"error": text}`.
    #[schema(value_type = Value)]
    cooldowns: (),
    /// `/health` only: the state this server knows.
    state_id: Option<u64>,
    /// `/health` only.
    last_applied_seq: Option<u64>,
    /// `/health` only: events in the stream not yet applied (null if unknown).
    reducer_lag: Option<u64>,
    /// `/health` only: how long ago the reducer last committed (null before any commit).
    last_commit_age_ms: Option<i64>,
}

/// What `/health/live` answers.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)] // never built: it only describes the JSON
pub struct Liveness {
    /// Always `live`.
    status: String,
}

/// `GET /metrics`: Prometheus text format.
#[utoipa::path(
    get,
    path = "/metrics",
    tag = "operations",
    responses(
        (status = 200, description = "Prometheus text format", content_type = "text/plain", body = String),
        (status = 503, description = "This process records no metrics", content_type = "text/plain", body = String),
    )
)]
pub async fn metrics(State(app): State<AppState>) -> (StatusCode, String) {
    match &app.services.metrics {
        Some(handle) => (StatusCode::OK, handle.render()),
        None => (
            StatusCode::SERVICE_UNAVAILABLE,
            "metrics are not recorded in this process\n".into(),
        ),
    }
}

/// `GET /health/live`: the process is up and serving HTTP.
#[utoipa::path(get, path = "/health/live", tag = "operations", responses((status = 200, description = "The process serves HTTP", body = Liveness)))]
pub async fn live() -> Json<Value> {
    Json(json!({ "status": "live" }))
}

/// `GET /health/ready`: presses can be taken (PostgreSQL, NATS, the JetStream stream and the
/// cooldown bucket answer) and the server is not shutting down.
#[utoipa::path(
    get,
    path = "/health/ready",
    tag = "operations",
    responses(
        (status = 200, description = "Presses can be taken", body = HealthReport),
        (status = 503, description = "A dependency is down, or the server is shutting down", body = HealthReport),
    )
)]
pub async fn ready(State(app): State<AppState>) -> (StatusCode, Json<Value>) {
    let checks = checks(&app).await;
    let mut body = json!({
        "postgres": checks.body["postgres"],
        "nats": checks.body["nats"],
        "jetstream": checks.body["jetstream"],
        "cooldowns": checks.body["cooldowns"],
    });
    let (status, word) = answer(&app, &checks, "ready");
    body["status"] = json!(word);
    (status, Json(body))
}

/// `GET /health`: the checks of `/health/ready`, plus the reducer's progress: how many events
/// it has yet to apply, and how long ago it last committed.
#[utoipa::path(
    get,
    path = "/health",
    tag = "operations",
    responses(
        (status = 200, description = "Dependencies, state id and the reducer's progress", body = HealthReport),
        (status = 503, description = "A dependency is down, or the server is shutting down", body = HealthReport),
    )
)]
pub async fn health(State(app): State<AppState>) -> (StatusCode, Json<Value>) {
    let checks = checks(&app).await;
    let mut body = checks.body.clone();
    let (status, word) = answer(&app, &checks, "ok");
    body["status"] = json!(word);
    (status, Json(body))
}

fn answer(app: &AppState, checks: &Checks, up: &'static str) -> (StatusCode, &'static str) {
    if app.services.shutdown.is_cancelled() {
        (StatusCode::SERVICE_UNAVAILABLE, "shutting_down")
    } else if checks.ready {
        (StatusCode::OK, up)
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "unavailable")
    }
}

/// The newest round of checks, run again if older than [`FRESH_FOR`].
async fn checks(app: &AppState) -> Checks {
    let cache = &app.services.health;
    let fresh = |cache: &HealthCache| {
        cache
            .last
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .as_ref()
            .filter(|(at, _)| at.elapsed() < FRESH_FOR)
            .map(|(_, checks)| checks.clone())
    };
    if let Some(checks) = fresh(cache) {
        return checks;
    }
    let _one_round = cache.running.lock().await;
    if let Some(checks) = fresh(cache) {
        return checks;
    }
    let checks = run_checks(app).await;
    *cache
        .last
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner) =
        Some((Instant::now(), checks.clone()));
    checks
}

async fn run_checks(app: &AppState) -> Checks {
    let services = &app.services;
    let postgres = bounded(async {
        sqlx::query_scalar::<_, Option<f64>>(
            "SELECT (extract(epoch FROM now() - max(committed_at)) * 1000)::float8 FROM states",
        )
        .fetch_one(&services.pool)
        .await
    })
    .await;
    let nats = match services.nats.connection_state() {
        ConnectionState::Connected => Ok(()),
        other => Err(anyhow::anyhow!("{other:?}")),
    };
    // JetStream is asked only while connected: otherwise each request would wait its timeout.
    let (last_sequence, cooldowns) = if nats.is_ok() {
        (
            bounded(services.events.last_sequence()).await,
            bounded(services.cooldowns.check()).await,
        )
    } else {
        let down = "NATS is not connected";
        (Err(anyhow::anyhow!(down)), Err(anyhow::anyhow!(down)))
    };
    let ready = postgres.is_ok() && nats.is_ok() && last_sequence.is_ok() && cooldowns.is_ok();
    let live = services.live.borrow().state;
    let applied = live.last_applied_seq;
    let body = json!({
        "postgres": check(&postgres),
        "nats": check(&nats),
        "jetstream": check(&last_sequence),
        "cooldowns": check(&cooldowns),
        "state_id": live.id,
        "last_applied_seq": applied,
        // Events in the stream past the last committed state (idle ticks are never committed,
        // so a few may linger while the button is CALM).
        "reducer_lag": last_sequence.as_ref().ok().map(|last| last.saturating_sub(applied)),
        "last_commit_age_ms": postgres.as_ref().ok().copied().flatten().map(|ms| ms.round() as i64),
    });
    Checks { ready, body }
}

/// A check's answer, or why there is none (its error, or no answer in time).
async fn bounded<T, E>(check: impl Future<Output = Result<T, E>>) -> anyhow::Result<T>
where
    E: std::error::Error + Send + Sync + 'static,
{
    match tokio::time::timeout(CHECK_TIMEOUT, check).await {
        Ok(answer) => Ok(answer?),
        Err(_) => Err(anyhow::anyhow!("no answer within {CHECK_TIMEOUT:?}")),
    }
}

fn check<T>(result: &anyhow::Result<T>) -> Value {
    match result {
        Ok(_) => json!("ok"),
        Err(e) => json!({ "error": e.to_string() }),
    }
}
