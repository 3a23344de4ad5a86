//! `loadgen sse`: many live clients on one web server; the delay from a state's commit in
//! PostgreSQL to each client receiving it.

use std::collections::HashMap;
use std::time::Duration;

use futures::StreamExt;

use server::clock::now_ms;
use server::settings::Settings;

use crate::frames::Frames;
use crate::{LoadgenError, SseArgs, deadline, stats::Latencies};

/// What `loadgen sse` measured.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SseReport {
    /// Clients asked for.
    pub clients: usize,
    /// Clients whose stream opened.
    pub connected: usize,
    /// Clients whose stream stayed open to the end.
    pub held: usize,
    /// States received, all clients together (each client's first, the state it connected
    /// to, not counted).
    pub deliveries: usize,
    /// Commit → client delay of each delivery whose commit time PostgreSQL knows.
    pub delays: Latencies,
}

impl std::fmt::Display for SseReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "sse: {} of {} clients connected, {} held to the end; {} state deliveries",
            self.connected, self.clients, self.held, self.deliveries
        )?;
        write!(f, "sse: commit → client {}", self.delays.summary())
    }
}

/// Holds `clients` streams for `seconds`, then asks PostgreSQL when each received state was
/// committed.
pub async fn run(args: &SseArgs, settings: &Settings) -> Result<SseReport, LoadgenError> {
    let setup = |e: &dyn std::fmt::Display| LoadgenError::Setup(e.to_string());
    let url = format!("{}/v1/states/stream", args.url.trim_end_matches('/'));
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(args.clients)
        .build()
        .map_err(|e| setup(&e))?;
    let stop = deadline(args.seconds);
    let clients: Vec<_> = (0..args.clients)
        .map(|n| tokio::spawn(hold(http.clone(), url.clone(), n, stop)))
        .collect();
    let (mut connected, mut held) = (0, 0);
    let mut received = Vec::new();
    for client in clients {
        let Ok(client) = client.await else { continue };
        connected += usize::from(client.connected);
        held += usize::from(client.held);
        received.extend(client.received);
    }

    let mut ids: Vec<i64> = received.iter().map(|(id, _)| *id as i64).collect();
    ids.sort_unstable();
    ids.dedup();
    let pool = server::db::connect(&settings.database_url)
        .await
        .map_err(|e| setup(&e))?;
    let committed: HashMap<u64, i64> = sqlx::query_as::<_, (i64, i64)>(
        "SELECT id, (extract(epoch FROM committed_at) * 1000)::bigint FROM states WHERE id = ANY($1)",
    )
    .bind(&ids)
    .fetch_all(&pool)
    .await
    .map_err(|e| setup(&e))?
    .into_iter()
    .map(|(id, at)| (id as u64, at))
    .collect();
    let mut delays = Latencies::default();
    for (id, at) in &received {
        if let Some(commit) = committed.get(id) {
            delays.record(Duration::from_millis(
                u64::try_from(at - commit).unwrap_or(0),
            ));
        }
    }
    Ok(SseReport {
        clients: args.clients,
        connected,
        held,
        deliveries: received.len(),
        delays,
    })
}

/// What one client saw.
#[derive(Debug, Default)]
struct Held {
    connected: bool,
    /// The stream was still open when the run ended.
    held: bool,
    /// `(state id, wall-clock ms)` of every state received after the first.
    received: Vec<(u64, i64)>,
}

/// One client, until `stop`. Each is a viewer of its own (`X-Forwarded-For`, as for presses):
/// a server holds only so many streams per address.
async fn hold(http: reqwest::Client, url: String, n: usize, stop: tokio::time::Instant) -> Held {
    let mut client = Held::default();
    let address = crate::press::player_address(u32::try_from(n).unwrap_or(u32::MAX));
    let request = http.get(&url).header("x-forwarded-for", address);
    let Ok(Ok(response)) = tokio::time::timeout_at(stop, request.send()).await else {
        return client;
    };
    if !response.status().is_success() {
        return client;
    }
    client.connected = true;
    let mut body = response.bytes_stream();
    let mut frames = Frames::default();
    let mut first = true;
    loop {
        match tokio::time::timeout_at(stop, body.next()).await {
            Ok(Some(Ok(chunk))) => {
                let at = now_ms();
                frames.push(&chunk);
                while let Some(frame) = frames.next_frame() {
                    // Only the id is read: the client must cost little next to the server.
                    let Some(id) = frame.numeric_id() else {
                        continue; // a keep-alive
                    };
                    // The first event is the state the client connected to, not a new commit.
                    if !std::mem::take(&mut first) {
                        client.received.push((id, at));
                    }
                }
            }
            // The run is over with the stream still open.
            Err(_) => {
                client.held = true;
                break;
            }
            Ok(_) => break,
        }
    }
    client
}
