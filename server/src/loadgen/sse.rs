//! `loadgen sse`: many live clients on one web server; the delay from a state's commit in
//! PostgreSQL to each client receiving it.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use futures::StreamExt;
use tokio::sync::Mutex;

use super::{LoadgenError, SseArgs, deadline, stats::Latencies};
use crate::clock::now_ms;
use crate::settings::Settings;

/// Holds `clients` streams for `seconds`; prints connections held and commit → client delays.
pub async fn run(args: &SseArgs, settings: &Settings) -> Result<(), LoadgenError> {
    let url = format!("{}/v1/states/stream", args.url.trim_end_matches('/'));
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(args.clients)
        .build()
        .map_err(|e| LoadgenError::Setup(e.to_string()))?;
    let connected = Arc::new(AtomicUsize::new(0));
    // (state id, wall-clock ms when a client got it)
    let received: Arc<Mutex<Vec<(u64, i64)>>> = Arc::new(Mutex::new(Vec::new()));
    let stop = deadline(args.seconds);
    let mut clients = Vec::with_capacity(args.clients);
    for _ in 0..args.clients {
        let (http, url, connected, received) = (
            http.clone(),
            url.clone(),
            connected.clone(),
            received.clone(),
        );
        clients.push(tokio::spawn(async move {
            let Ok(response) = http.get(&url).send().await else {
                return;
            };
            if !response.status().is_success() {
                return;
            }
            connected.fetch_add(1, Ordering::Relaxed);
            let mut body = response.bytes_stream();
            let mut buffer = String::new();
            let mut first = true;
            while let Ok(Some(Ok(chunk))) = tokio::time::timeout_at(stop, body.next()).await {
                buffer.push_str(&String::from_utf8_lossy(&chunk));
                while let Some(end) = buffer.find("\n\n") {
                    let block: String = buffer.drain(..end + 2).collect();
                    let id = block
                        .lines()
                        .find_map(|l| l.strip_prefix("id:"))
                        .and_then(|v| v.trim().parse::<u64>().ok());
                    // The first event is the state the client connected to, not a new commit.
                    if let Some(id) = id {
                        if !first {
                            received.lock().await.push((id, now_ms()));
                        }
                        first = false;
                    }
                }
            }
        }));
    }
    // Count connections held a moment after they opened.
    tokio::time::sleep(Duration::from_secs(2).min(Duration::from_secs(args.seconds))).await;
    let held = connected.load(Ordering::Relaxed);
    for client in clients {
        let _ = client.await;
    }

    let received = received.lock().await.clone();
    let ids: Vec<i64> = received.iter().map(|(id, _)| *id as i64).collect();
    let pool = crate::db::connect(&settings.database_url)
        .await
        .map_err(|e| LoadgenError::Setup(e.to_string()))?;
    let committed: HashMap<i64, i64> = sqlx::query_as::<_, (i64, i64)>(
        "SELECT id, (extract(epoch FROM committed_at) * 1000)::bigint FROM states WHERE id = ANY($1)",
    )
    .bind(&ids)
    .fetch_all(&pool)
    .await
    .map_err(|e| LoadgenError::Setup(e.to_string()))?
    .into_iter()
    .collect();
    let mut delays = Latencies::default();
    for (id, at) in &received {
        if let Some(commit) = committed.get(&(*id as i64)) {
            delays.record(Duration::from_millis(
                u64::try_from(at - commit).unwrap_or(0),
            ));
        }
    }
    println!(
        "sse: {held} of {} clients connected; {} state deliveries",
        args.clients,
        received.len()
    );
    println!("sse: commit → client {}", delays.summary());
    Ok(())
}
