//! The web server as a player's browser and an orchestrator see it.

use std::net::SocketAddr;

use leptos::config::LeptosOptions;
use server::http::{AppState, router};

/// Serves the app on a free port and returns its base URL.
async fn spawn_app() -> String {
    let leptos_options = LeptosOptions::builder()
        .output_name("the-button")
        .site_root("target/site")
        .build();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("binding a free port: {e}"));
    let addr = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
    let app = router(AppState { leptos_options });
    tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
    });
    format!("http://{addr}")
}

#[tokio::test]
async fn liveness_answers_200_with_json() {
    let base = spawn_app().await;
    let response = reqwest::get(format!("{base}/health/live"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(body, serde_json::json!({ "status": "live" }));
}

#[tokio::test]
async fn the_home_page_is_rendered_on_the_server_with_its_hydration_scripts() {
    let base = spawn_app().await;
    let response = reqwest::get(&base).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap_or_else(|e| panic!("{e}"));
    assert!(html.contains("<h1>The Button</h1>"), "{html}");
    assert!(html.contains("<noscript>"), "{html}");
    assert!(
        html.contains("/pkg/the-button.js"),
        "hydration script missing: {html}"
    );
    assert!(
        html.contains(r#"href="/pkg/the-button.css""#),
        "stylesheet missing: {html}"
    );
}

#[tokio::test]
async fn an_unknown_page_is_a_404() {
    let base = spawn_app().await;
    let response = reqwest::get(format!("{base}/no/such/page"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(response.status(), 404);
}
