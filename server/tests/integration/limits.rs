//! A public server holds against strangers: bodies too big, requests too slow, headers that
//! never end, clients that hold streams or stop reading, too many connections. Each refusal is
//! the API's JSON error and changes nothing.

use std::time::Duration;

use crate::common::{TestOptions, player, quick_rules, spawn_app};
use app::game::RulesSpec;
use app::wire::{ErrorBody, ErrorCode};
use server::settings::Settings;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

fn addr_of(base: &str) -> std::net::SocketAddr {
    base.trim_start_matches("http://")
        .parse()
        .expect("the test server's address")
}

/// A raw connection to the test server that has sent `bytes`, and perhaps never sends more.
async fn send_raw(base: &str, bytes: &[u8]) -> TcpStream {
    let mut stream = TcpStream::connect(addr_of(base)).await.expect("connect");
    stream.write_all(bytes).await.expect("send");
    stream
}

/// A press whose body never arrives whole.
const UNFINISHED_PRESS: &[u8] = b"POST /v1/events/press HTTP/1.1\r\nhost: x\r\n\
    content-type: application/json\r\ncontent-length: 300\r\n\r\n{\"challenge_id\":";

/// Reads until the server closes the connection; `None` if it is still open after `within`.
async fn closed_within(stream: &mut TcpStream, within: Duration) -> Option<Vec<u8>> {
    let mut seen = Vec::new();
    let deadline = tokio::time::Instant::now() + within;
    let mut buf = [0u8; 16 * 1024];
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut buf)).await {
            Err(_) => return None,
            Ok(Ok(0)) | Ok(Err(_)) => return Some(seen),
            Ok(Ok(n)) => seen.extend_from_slice(&buf[..n]),
        }
    }
}

#[tokio::test]
async fn a_body_larger_than_any_press_is_413_with_the_json_error() {
    let app = spawn_app(TestOptions::default()).await;
    let huge = serde_json::json!({ "challenge_id": "a".repeat(4_000) });
    let response = app.post_press(&player(1), &huge).await;
    assert_eq!(response.status(), 413);
    assert_eq!(
        response
            .headers()
            .get("cache-control")
            .and_then(|v| v.to_str().ok()),
        Some("no-store")
    );
    let body: ErrorBody = response.json().await.expect("the JSON error");
    assert_eq!(body.error, ErrorCode::TooLarge);
    assert_eq!(app.stream_messages().await, 0, "nothing was taken");
    app.stop().await;
}

#[tokio::test]
async fn a_request_whose_body_never_ends_is_408_with_the_json_error() {
    let app = spawn_app(TestOptions::with_settings(Settings {
        request_timeout_ms: 300,
        ..Settings::for_tests()
    }))
    .await;
    let mut stream = send_raw(&app.base, UNFINISHED_PRESS).await;
    let answer = closed_within(&mut stream, Duration::from_secs(5))
        .await
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .unwrap_or_default();
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("\"error\":\"timeout\""), "{answer}");
    app.stop().await;
}

#[tokio::test]
async fn headers_that_never_end_are_cut_off() {
    let app = spawn_app(TestOptions::with_settings(Settings {
        header_read_timeout_ms: 300,
        ..Settings::for_tests()
    }))
    .await;
    let mut stream = send_raw(&app.base, b"GET / HTTP/1.1\r\nhost: x\r\n").await;
    assert!(
        closed_within(&mut stream, Duration::from_secs(5))
            .await
            .is_some(),
        "a slow-loris connection stayed open"
    );
    app.stop().await;
}

#[tokio::test]
async fn shutdown_waits_for_open_requests_no_longer_than_its_grace() {
    // The request deadline (10 s) would free the server only much later.
    let app = spawn_app(TestOptions::with_settings(Settings {
        shutdown_grace_ms: 500,
        ..Settings::for_tests()
    }))
    .await;
    let mut stream = send_raw(&app.base, UNFINISHED_PRESS).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let started = std::time::Instant::now();
    app.stop().await;
    let took = started.elapsed();
    assert!(
        took < Duration::from_secs(4),
        "a request that never ends held the shutdown for {took:?}"
    );
    assert!(
        closed_within(&mut stream, Duration::from_secs(1))
            .await
            .is_some(),
        "the held connection was closed"
    );
}

#[tokio::test]
async fn connections_past_the_cap_are_closed_at_once_and_room_comes_back() {
    let app = spawn_app(TestOptions::with_settings(Settings {
        max_connections: 4,
        ..Settings::for_tests()
    }))
    .await;
    let addr = addr_of(&app.base);
    let mut held = Vec::new();
    let mut refused = false;
    for _ in 0..8 {
        let mut stream = TcpStream::connect(addr).await.expect("the kernel accepts");
        if closed_within(&mut stream, Duration::from_millis(300))
            .await
            .is_some()
        {
            refused = true;
            break;
        }
        held.push(stream);
    }
    assert!(refused, "no connection was refused past the cap of 4");
    assert!(
        held.len() <= 4,
        "{} connections held past a cap of 4",
        held.len()
    );
    drop(held);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let fresh = reqwest::get(app.url("/health/live"))
        .await
        .expect("room again");
    assert_eq!(fresh.status(), 200);
    app.stop().await;
}

#[tokio::test]
async fn live_streams_are_capped_per_client_with_429() {
    let app = spawn_app(TestOptions::with_settings(Settings {
        live_streams_per_client: 2,
        ..Settings::for_tests()
    }))
    .await;
    let open = |who: String| {
        let url = app.url("/v1/states/stream");
        async move {
            reqwest::Client::new()
                .get(url)
                .header("x-forwarded-for", who)
                .send()
                .await
                .expect("an answer")
        }
    };
    let first = open(player(1)).await;
    let second = open(player(1)).await;
    assert_eq!(
        (first.status().as_u16(), second.status().as_u16()),
        (200, 200)
    );
    let third = open(player(1)).await;
    assert_eq!(third.status(), 429);
    assert!(third.headers().contains_key("retry-after"));
    let body: ErrorBody = third.json().await.expect("the JSON error");
    assert_eq!(body.error, ErrorCode::RateLimited);
    assert!(body.message.contains("live streams"), "{}", body.message);
    // Another player is not held back, and a closed stream gives its slot back.
    assert_eq!(open(player(2)).await.status(), 200);
    drop(first);
    let mut again = 0;
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(20)).await;
        again = open(player(1)).await.status().as_u16();
        if again == 200 {
            break;
        }
    }
    assert_eq!(again, 200, "the slot came back when the stream closed");
    drop(second);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_live_client_that_stops_reading_is_dropped() {
    let app = spawn_app(TestOptions::with_settings(Settings {
        write_stall_timeout_ms: 500,
        live_streams_per_client: 1,
        ..Settings::for_tests()
    }))
    .await;
    // A client with a tiny receive window that reads nothing after its request.
    let socket = TcpSocket::new_v4().expect("a socket");
    socket.set_recv_buffer_size(2_048).expect("a small window");
    let mut silent = socket.connect(addr_of(&app.base)).await.expect("connect");
    silent
        .write_all(
            format!(
                "GET /v1/states/stream HTTP/1.1\r\nhost: x\r\nx-forwarded-for: {}\r\n\
                 accept: text/event-stream\r\n\r\n",
                player(7)
            )
            .as_bytes(),
        )
        .await
        .expect("send");
    // States pile up faster than it reads (it does not read at all).
    for n in 0..400 {
        let status = app.press(&player(1_000 + n)).await.status();
        assert_eq!(status, 202);
    }
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    // Dropped: what was buffered reads out, then the connection ends.
    assert!(
        closed_within(&mut silent, Duration::from_secs(5))
            .await
            .is_some(),
        "a client that stopped reading still held its stream"
    );
    // And its slot is free again.
    let response = reqwest::Client::new()
        .get(app.url("/v1/states/stream"))
        .header("x-forwarded-for", player(7))
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status(), 200);
    drop(response);
    app.stop().await;
}

#[tokio::test]
async fn documents_carry_the_security_headers_and_api_answers_are_never_sniffed_nor_cached() {
    let app = spawn_app(TestOptions::default()).await;
    for path in ["/v1/challenge", "/v1/states/current", "/v1/no-such-route"] {
        let response = reqwest::get(app.url(path)).await.expect("an answer");
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        assert_eq!(
            header("x-content-type-options").as_deref(),
            Some("nosniff"),
            "{path}"
        );
        assert_eq!(
            header("cache-control").as_deref(),
            Some("no-store"),
            "{path}"
        );
    }
    for path in ["/", "/docs/", "/health", "/openapi.json", "/no-such-page"] {
        let response = reqwest::get(app.url(path)).await.expect("an answer");
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned()
        };
        assert_eq!(header("x-content-type-options"), "nosniff", "{path}");
        assert!(
            header("content-security-policy").contains("frame-ancestors 'none'"),
            "{path}"
        );
        assert_eq!(header("x-frame-options"), "DENY", "{path}");
        assert_eq!(
            header("referrer-policy"),
            "strict-origin-when-cross-origin",
            "{path}"
        );
    }
    app.stop().await;
}

fn rules_with_cooldown() -> RulesSpec {
    RulesSpec {
        press_cooldown_ms: vec![60_000, 60_000, 60_000, 60_000],
        ..quick_rules()
    }
}

#[tokio::test]
async fn one_ipv6_slash_64_is_one_player_for_the_cooldown() {
    let app = spawn_app(TestOptions {
        rules: rules_with_cooldown(),
        ..TestOptions::default()
    })
    .await;
    // The first press: it must reach the state so the cooldown is known (cooldown_ms follows
    // the phase; the server reads it from the live state).
    assert_eq!(app.press("2001:db8:0:1::1").await.status(), 202);
    // Another address of the same /64, written with a port as some proxies do.
    let again = app.press("[2001:db8:0:1:ffff::2]:443").await;
    assert_eq!(again.status(), 429);
    let body: ErrorBody = again.json().await.expect("the JSON error");
    assert_eq!(body.error, ErrorCode::Cooldown);
    // The next /64 is another player.
    assert_eq!(app.press("2001:db8:0:2::1").await.status(), 202);
    app.stop().await;
}

#[tokio::test]
async fn the_page_allows_scripts_only_from_this_site_or_with_its_nonce() {
    let app = spawn_app(TestOptions::default()).await;
    let html = reqwest::get(app.url("/"))
        .await
        .expect("the page")
        .text()
        .await
        .expect("its HTML");
    let policy_at = html
        .find("http-equiv=\"Content-Security-Policy\"")
        .expect("a CSP in the page");
    let head_script = html.find("<script").expect("the hydration script");
    assert!(
        policy_at < head_script,
        "the policy comes before every script"
    );
    let nonce = html
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce in the policy");
    assert!(nonce.len() >= 16, "a nonce worth the name: {nonce}");
    assert!(html.contains("'wasm-unsafe-eval'") && html.contains("worker-src 'self'"));
    // Every inline script carries it.
    for script in html.split("<script").skip(1) {
        let tag = script.split('>').next().unwrap_or_default();
        if !tag.contains("src=") {
            assert!(tag.contains(&format!("nonce=\"{nonce}\"")), "<script{tag}>");
        }
    }
    // A new nonce for every page.
    let again = reqwest::get(app.url("/"))
        .await
        .expect("the page")
        .text()
        .await
        .expect("HTML");
    assert!(!again.contains(nonce), "the nonce was reused");
    app.stop().await;
}
