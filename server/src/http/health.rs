//! Health checks for load balancers and orchestrators.

use axum::Json;
use serde_json::{Value, json};

/// `GET /health/live`: the process is up and serving HTTP.
pub async fn live() -> Json<Value> {
    Json(json!({ "status": "live" }))
}
