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

#[tokio::test]
async fn the_pages_files_compressed_at_build_time_go_as_they_are() {
    // A release build made with `--precompress` has each of the page's files beside its brotli
    // and gzip forms: a visitor who accepts one gets those bytes, never compressed again per
    // request (the WASM is a megabyte: that would cost every first visit tens of milliseconds
    // of the server's CPU).
    let site = tempfile::tempdir().expect("a temporary directory");
    let pkg = site.path().join("pkg");
    std::fs::create_dir_all(&pkg).expect("pkg/");
    let wasm = "the-button.Zx3b9_Q2aN-4kLm0PqRsTu.wasm";
    std::fs::write(pkg.join(wasm), b"\0asm the page's WASM").expect("the file");
    std::fs::write(pkg.join(format!("{wasm}.br")), b"its brotli form").expect("the .br");
    std::fs::write(pkg.join(format!("{wasm}.gz")), b"its gzip form").expect("the .gz");
    let app = spawn_app(TestOptions {
        site_root: Some(site.path().to_path_buf()),
        reducer: false,
        ..TestOptions::default()
    })
    .await;

    for (accepts, encoding, body) in [
        (
            Some("gzip, deflate, br, zstd"),
            Some("br"),
            &b"its brotli form"[..],
        ),
        (Some("gzip"), Some("gzip"), &b"its gzip form"[..]),
        (None, None, &b"\0asm the page's WASM"[..]),
    ] {
        let mut request = app.http.get(format!("{}/pkg/{wasm}", app.base));
        if let Some(accepts) = accepts {
            request = request.header("accept-encoding", accepts);
        }
        let response = request.send().await.expect("an answer");
        assert_eq!(response.status(), 200, "{accepts:?}");
        let headers = response.headers().clone();
        let header = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        assert_eq!(
            header("content-encoding").as_deref(),
            encoding,
            "{accepts:?}"
        );
        assert_eq!(
            header("content-type").as_deref(),
            Some("application/wasm"),
            "{accepts:?}"
        );
        assert!(
            header("cache-control").is_some_and(|c| c.contains("immutable")),
            "a hashed file is kept: {headers:?}"
        );
        assert!(
            header("vary").is_some_and(|v| v.to_ascii_lowercase().contains("accept-encoding")),
            "caches keep one form per encoding: {headers:?}"
        );
        assert_eq!(
            &response.bytes().await.expect("the body")[..],
            body,
            "{accepts:?}"
        );
    }
    app.stop().await;
}
