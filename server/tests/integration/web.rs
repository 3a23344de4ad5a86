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

#[tokio::test]
async fn the_home_page_shows_the_crowd_and_the_newest_presses_before_any_script() {
    let app = spawn_app(TestOptions::default()).await;
    let pressed = app
        .press_as(&crate::common::player(1), crate::common::AMBER)
        .await;
    let handle = pressed.handle.expect("a handle");
    // The web server's feed follows the published states.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let html = loop {
        let html = app.get("/").await.text().await.expect("a body");
        if html.contains(&handle) || std::time::Instant::now() > deadline {
            break html;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    assert!(html.contains(&handle), "the feed shows who pressed: {html}");
    assert!(html.contains("watching"), "{html}");
    assert!(html.contains("in the last minute"), "{html}");
    assert!(
        html.contains(&format!("/p/{}", pressed.press_id)),
        "the feed links to the press's page: {html}"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_press_has_a_page_that_unfurls_and_needs_no_script() {
    let app = spawn_app(TestOptions::default()).await;
    let pressed = app
        .press_as(&crate::common::player(1), crate::common::AMBER)
        .await;
    let handle = pressed.handle.expect("a handle");
    app.wait_for_counter(1, std::time::Duration::from_secs(10))
        .await;
    let app::wire::Receipt::Applied { line, .. } = app.receipt(pressed.press_id).await else {
        panic!("applied");
    };
    let response = app.get(&format!("/p/{}", pressed.press_id)).await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.expect("a body");
    for expected in [
        format!("Press #1 by {handle}"),
        r#"property="og:title""#.to_owned(),
        r#"property="og:description""#.to_owned(),
        r#"name="twitter:card""#.to_owned(),
        html_escape(&line),
        "CALM".to_owned(),
        "Milestone".to_owned(),
        " UTC".to_owned(),
    ] {
        assert!(html.contains(&expected), "{expected} missing from {html}");
    }

    for unknown in ["00000000-0000-4000-8000-000000000000", "not-a-press"] {
        let html = app
            .get(&format!("/p/{unknown}"))
            .await
            .text()
            .await
            .expect("a body");
        assert!(html.contains("No such press"), "{unknown}: {html}");
    }
    app.stop().await;
}

/// As the page renders text.
fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\'', "&#x27;")
}
