//! The press log, exported: anyone can rebuild the game's history from `GET /v1/presses`, a page
//! at a time, and it never holds a network address or a token.

use std::time::Duration;

use crate::common::{AMBER, TestApp, TestOptions, player, spawn_app};
use app::wire::{ErrorBody, ErrorCode, FeedEntry};

async fn page(app: &TestApp, query: &str) -> Vec<FeedEntry> {
    let response = app.get(&format!("/v1/presses{query}")).await;
    assert_eq!(response.status(), 200, "{query}");
    assert_eq!(
        response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/x-ndjson")
    );
    let body = response.text().await.expect("a body");
    assert!(
        !body.contains("198.51.") && !body.contains(AMBER) && !body.contains("client_key"),
        "no address, no token: {body}"
    );
    body.lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect()
}

#[tokio::test]
async fn the_press_log_pages_through_every_applied_press_in_order() {
    let app = spawn_app(TestOptions::default()).await;
    let first = app.press_as(&player(1), AMBER).await;
    assert_eq!(app.press(&player(2)).await.status(), 202);
    app.press_as(&player(3), AMBER).await;
    app.wait_for_counter(3, Duration::from_secs(10)).await;

    let all = page(&app, "").await;
    assert_eq!(all.iter().map(|p| p.counter).collect::<Vec<_>>(), [1, 2, 3]);
    assert!(all.windows(2).all(|w| w[0].seq < w[1].seq), "oldest first");
    assert_eq!(all[0].press_id, first.press_id);
    assert_eq!(all[0].handle, first.handle);
    assert_eq!(all[1].handle, None, "an anonymous press");
    assert!(all.iter().all(|p| !p.flair.is_empty()));

    // Page by page: after the last line's seq, until a short page.
    let one = page(&app, "?limit=1").await;
    assert_eq!(one, all[..1]);
    let rest = page(&app, &format!("?after_seq={}&limit=2", one[0].seq)).await;
    assert_eq!(rest, all[1..]);
    assert!(
        page(&app, &format!("?after_seq={}", all[2].seq))
            .await
            .is_empty()
    );
    app.stop().await;
}

#[tokio::test]
async fn a_bad_page_is_a_400_saying_what_is_wrong() {
    let app = spawn_app(TestOptions::default()).await;
    for (query, says) in [
        ("?limit=0", "limit"),
        ("?limit=10001", "limit"),
        ("?limit=ten", "limit"),
        ("?after_seq=-1", "after_seq"),
        ("?after_seq=9223372036854775808", "after_seq"),
        ("?since=5", "since"),
    ] {
        let response = app.get(&format!("/v1/presses{query}")).await;
        assert_eq!(response.status(), 400, "{query}");
        let body: ErrorBody = response.json().await.expect("an error body");
        assert_eq!(body.error, ErrorCode::InvalidQuery, "{query}");
        assert!(body.message.contains(says), "{query}: {}", body.message);
    }
    app.stop().await;
}
