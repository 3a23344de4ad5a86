//! The OpenAPI description matches the routes the server serves, and `/docs` shows it.

use crate::common::{TestOptions, spawn_app};
use serde_json::Value;

/// Every route of the HTTP API (the pages aside).
const ROUTES: [(&str, &str); 20] = [
    ("get", "/v1/challenge"),
    ("post", "/v1/events/press"),
    ("get", "/v1/states/current"),
    ("get", "/v1/states/stream"),
    ("get", "/v1/presses/{press_id}"),
    ("get", "/v1/players/{handle}"),
    ("get", "/v1/presses"),
    ("get", "/v1/history"),
    ("get", "/v1/moments"),
    ("get", "/v1/leaderboard"),
    ("get", "/v1/countries"),
    ("post", "/v1/admin/pause"),
    ("post", "/v1/admin/resume"),
    ("post", "/v1/admin/season"),
    ("put", "/v1/admin/rules"),
    ("get", "/v1/admin/status"),
    ("get", "/health"),
    ("get", "/health/live"),
    ("get", "/health/ready"),
    ("get", "/metrics"),
];

#[tokio::test]
async fn every_route_is_in_the_spec_and_every_spec_path_is_served() {
    // With an admin token, so that the admin routes exist (without one they answer 404).
    let app = spawn_app(TestOptions::with_settings(server::settings::Settings {
        admin_token: Some("openapi-test-admin-token".into()),
        ..server::settings::Settings::for_tests()
    }))
    .await;
    let response = app.get("/openapi.json").await;
    assert_eq!(response.status(), 200);
    let spec: Value = response.json().await.expect("a JSON body");
    assert!(
        spec["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3.")),
        "{spec}"
    );

    let paths = spec["paths"].as_object().cloned().unwrap_or_default();
    for (method, path) in ROUTES {
        assert!(
            paths.get(path).and_then(|p| p.get(method)).is_some(),
            "{method} {path} is missing from the spec"
        );
    }
    let documented: usize = paths
        .values()
        .map(|p| p.as_object().map_or(0, |m| m.len()))
        .sum();
    assert_eq!(
        documented,
        ROUTES.len(),
        "the spec documents a route the test does not know"
    );

    // And the other way round: each documented path answers (not 404 / 405).
    for (path, methods) in &paths {
        let url = app.url(
            &path
                .replace("{press_id}", "00000000-0000-4000-8000-000000000000")
                .replace("{handle}", "amber-otter-42"),
        );
        for method in methods
            .as_object()
            .map(|m| m.keys().cloned().collect::<Vec<_>>())
            .unwrap_or_default()
        {
            if path == "/v1/states/stream" {
                continue; // an endless stream; covered by the pipeline tests
            }
            let request = match method.as_str() {
                "post" => app.http.post(&url).json(&serde_json::json!({})),
                "put" => app.http.put(&url).json(&serde_json::json!({})),
                _ => app.http.get(&url),
            };
            let status = request.send().await.expect("an answer").status().as_u16();
            assert!(status != 405, "{method} {path} → {status}");
            assert!(
                status != 404 || path.contains("{press_id}") || path.contains("{handle}"),
                "{method} {path} → {status}"
            );
        }
    }

    // The error body and the wire types are described.
    let schemas = spec["components"]["schemas"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    for schema in [
        "ErrorBody",
        "ErrorCode",
        "Challenge",
        "PressRequest",
        "PressAccepted",
        "Receipt",
        "PlayerProfile",
        "ShelfItem",
        "FeedEntry",
        "CurrentState",
        "State",
        "Phase",
    ] {
        assert!(schemas.contains_key(schema), "schema {schema} is missing");
    }
    app.stop().await;
}

#[tokio::test]
async fn the_docs_page_is_served_from_the_binary() {
    let app = spawn_app(TestOptions::default()).await;
    let response = app.get("/docs/").await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap_or_default();
    assert!(html.contains("swagger-ui"), "{html}");
    let script = app.get("/docs/swagger-ui-bundle.js").await;
    assert_eq!(script.status(), 200);
    app.stop().await;
}

#[tokio::test]
async fn unknown_api_paths_and_malformed_path_parameters_answer_the_json_error() {
    let app = spawn_app(TestOptions::default()).await;
    for path in [
        "/v1/nothing-here",
        "/v1/presses/not-a-uuid",
        "/v1/presses/%FF%FE",
        "/v1/presses/",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 404, "{path}");
        let body: app::wire::ErrorBody = response.json().await.expect("the JSON error");
        assert_eq!(body.error, app::wire::ErrorCode::NotFound, "{path}");
    }
    app.stop().await;
}
