//! `loadgen sse`: many live clients on one web server; the delay from a state's commit in
//! PostgreSQL to each client receiving it.

use std::collections::HashMap;
use std::time::Duration;

use futures::StreamExt;

use super::{LoadgenError, SseArgs, deadline, stats::Latencies};
use crate::clock::now_ms;
use crate::settings::Settings;

/// What `loadgen sse` measured.
#[derive(Debug, Clone)]
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
    let pool = crate::db::connect(&settings.database_url)
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
    let address = super::press::player_address(u32::try_from(n).unwrap_or(u32::MAX));
    let request = http.get(&url).header("x-forwarded-for", address);
    let Ok(Ok(response)) = tokio::time::timeout_at(stop, request.send()).await else {
        return client;
    };
    if !response.status().is_success() {
        return client;
    }
    client.connected = true;
    let mut body = response.bytes_stream();
    let mut events = EventIds::default();
    let mut first = true;
    loop {
        match tokio::time::timeout_at(stop, body.next()).await {
            Ok(Some(Ok(chunk))) => {
                let at = now_ms();
                events.push(&chunk, |id| {
                    // The first event is the state the client connected to, not a new commit.
                    if !std::mem::take(&mut first) {
                        client.received.push((id, at));
                    }
                });
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

/// Splits an SSE byte stream into events and reads each one's `id:` (and nothing else: the
/// client side must cost little next to the server it measures).
#[derive(Debug, Default)]
pub struct EventIds {
    buffer: Vec<u8>,
}

impl EventIds {
    /// Adds `chunk`; calls `on_id` with the id of each event it completes.
    pub fn push(&mut self, chunk: &[u8], mut on_id: impl FnMut(u64)) {
        self.buffer.extend_from_slice(chunk);
        let mut start = 0;
        while let Some(end) = find(&self.buffer[start..], b"\n\n") {
            let event = &self.buffer[start..start + end];
            if let Some(id) = event
                .split(|b| *b == b'\n')
                .find_map(|line| line.strip_prefix(b"id:"))
                .and_then(|v| std::str::from_utf8(v).ok())
                .and_then(|v| v.trim().parse().ok())
            {
                on_id(id);
            }
            start += end + 2;
        }
        self.buffer.drain(..start);
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_read_across_chunk_boundaries() {
        let stream = b"event: state_update\nid: 7\ndata: {\"a\":1}\n\n: keep-alive\n\nid:8\ndata: x\n\nid: 9\n";
        for split in 0..stream.len() {
            let mut events = EventIds::default();
            let mut ids = Vec::new();
            events.push(&stream[..split], |id| ids.push(id));
            events.push(&stream[split..], |id| ids.push(id));
            assert_eq!(ids, [7, 8], "split at {split}");
        }
    }
}
