//! The web server as a player's browser and an orchestrator see it.

use crate::common::{TestOptions, spawn_app};

#[tokio::test]
async fn liveness_and_readiness_answer_200_with_json() {
    let app = spawn_app(TestOptions::default()).await;
    for (path, status) in [("/health/live", "live"), ("/health/ready", "ready")] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        let body: serde_json::Value = response.json().await.expect("a JSON body");
        assert_eq!(body["status"], status, "{path}");
    }
    app.stop().await;
}

#[tokio::test]
async fn the_home_page_is_rendered_on_the_server_with_its_hydration_scripts() {
    let app = spawn_app(TestOptions::default()).await;
    let response = app.get("/").await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.expect("a body");
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
    app.stop().await;
}

#[tokio::test]
async fn an_unknown_page_is_a_404() {
    let app = spawn_app(TestOptions::default()).await;
    let response = app.get("/no/such/page").await;
    assert_eq!(response.status(), 404);
    app.stop().await;
}
