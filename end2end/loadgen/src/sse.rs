//! `loadgen sse`: many live clients on one web server; the delay from a state's commit in
//! PostgreSQL to each client receiving it. With `--publish`, the load generator publishes the
//! states itself to a pub/sub server (nginx's nchan), and the same clients measure that server:
//! one client program for both sides of a comparison.

use std::collections::HashMap;
use std::time::Duration;

use app::game::{Rules, State};
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
    /// The deliveries a client that skipped no state would have had: for each client, the
    /// states after its first up to the newest any client received.
    pub expected: usize,
    /// States the load generator published (with `--publish`).
    pub published: Option<u64>,
    /// Publish (the commit, or the load generator's POST) → client delay of each delivery.
    pub delays: Latencies,
}

impl std::fmt::Display for SseReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "sse: {} of {} clients connected, {} held to the end; {} state deliveries of {} \
             ({:.1} %)",
            self.connected,
            self.clients,
            self.held,
            self.deliveries,
            self.expected,
            100.0 * self.deliveries as f64 / self.expected.max(1) as f64
        )?;
        if let Some(published) = self.published {
            writeln!(f, "sse: {published} states published")?;
        }
        write!(f, "sse: publish → client {}", self.delays.summary())
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
    let publisher = args.publish.clone().map(|publish| {
        tokio::spawn(publish_states(
            http.clone(),
            publish,
            args.rate,
            args.seconds,
        ))
    });
    let clients: Vec<_> = (0..args.clients)
        .map(|n| tokio::spawn(hold(http.clone(), url.clone(), n, stop)))
        .collect();
    let (mut connected, mut held) = (0, 0);
    let mut received = Vec::new();
    let mut firsts = Vec::new();
    for client in clients {
        let Ok(client) = client.await else { continue };
        connected += usize::from(client.connected);
        held += usize::from(client.held);
        firsts.extend(client.first);
        received.extend(client.received);
    }
    let newest = received.iter().map(|(id, _)| *id).max().unwrap_or(0);
    let expected = firsts
        .iter()
        .map(|first| usize::try_from(newest.saturating_sub(*first)).unwrap_or(usize::MAX))
        .sum();

    let (published, sent_at) = match publisher {
        Some(publisher) => {
            let sent_at = publisher.await.map_err(|e| setup(&e))?;
            (Some(sent_at.len() as u64), sent_at)
        }
        None => (None, committed_at(settings, &received).await?),
    };
    let mut delays = Latencies::default();
    for (id, at) in &received {
        if let Some(sent) = sent_at.get(id) {
            delays.record(Duration::from_millis(u64::try_from(at - sent).unwrap_or(0)));
        }
    }
    Ok(SseReport {
        clients: args.clients,
        connected,
        held,
        deliveries: received.len(),
        expected,
        published,
        delays,
    })
}

/// When each received state was committed, as PostgreSQL says (wall-clock ms).
async fn committed_at(
    settings: &Settings,
    received: &[(u64, i64)],
) -> Result<HashMap<u64, i64>, LoadgenError> {
    let setup = |e: &dyn std::fmt::Display| LoadgenError::Setup(e.to_string());
    let mut ids: Vec<i64> = received.iter().map(|(id, _)| *id as i64).collect();
    ids.sort_unstable();
    ids.dedup();
    let pool = server::db::connect(&settings.database_url)
        .await
        .map_err(|e| setup(&e))?;
    Ok(sqlx::query_as::<_, (i64, i64)>(
        "SELECT id, (extract(epoch FROM committed_at) * 1000)::bigint FROM states WHERE id = ANY($1)",
    )
    .bind(&ids)
    .fetch_all(&pool)
    .await
    .map_err(|e| setup(&e))?
    .into_iter()
    .map(|(id, at)| (id as u64, at))
    .collect())
}

/// Publishes `rate` states a second to `url` (an nchan publisher location) from the run's second
/// 3 to two seconds before its end: real states of the game's size, ids 1, 2, …; when each was
/// sent (wall-clock ms, taken just before its POST).
async fn publish_states(
    http: reqwest::Client,
    url: String,
    rate: u32,
    seconds: u64,
) -> HashMap<u64, i64> {
    let mut sent_at = HashMap::new();
    let start = tokio::time::Instant::now() + Duration::from_secs(3);
    let stop = deadline(seconds.saturating_sub(2));
    let mut every =
        tokio::time::interval_at(start, Duration::from_secs_f64(1.0 / f64::from(rate.max(1))));
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let template = State::initial(&Rules::default());
    for id in 1.. {
        every.tick().await;
        if tokio::time::Instant::now() >= stop {
            break;
        }
        let now = now_ms();
        let state = State {
            id,
            counter: id,
            last_applied_seq: id,
            updated_at_ms: now,
            last_press_at_ms: Some(now),
            ..template
        };
        let Ok(body) = serde_json::to_vec(&state) else {
            break;
        };
        sent_at.insert(id, now);
        // A publish that failed is a state no client gets: it shows as a delivery missed.
        let _ = http.post(&url).body(body).send().await;
    }
    sent_at
}

/// What one client saw.
#[derive(Debug, Default)]
struct Held {
    connected: bool,
    /// The stream was still open when the run ended.
    held: bool,
    /// The first state received (the one it connected to, for a game).
    first: Option<u64>,
    /// `(state id, wall-clock ms)` of every state received after the first.
    received: Vec<(u64, i64)>,
}

/// One client, until `stop`. Each is a viewer of its own (`X-Forwarded-For`, as for presses):
/// a server holds only so many streams per address.
async fn hold(http: reqwest::Client, url: String, n: usize, stop: tokio::time::Instant) -> Held {
    let mut client = Held::default();
    let address = crate::press::player_address(u32::try_from(n).unwrap_or(u32::MAX));
    // As a browser's EventSource asks (nchan serves its event stream only to those who do).
    let request = http
        .get(&url)
        .header("accept", "text/event-stream")
        .header("x-forwarded-for", address);
    let Ok(Ok(response)) = tokio::time::timeout_at(stop, request.send()).await else {
        return client;
    };
    if !response.status().is_success() {
        return client;
    }
    client.connected = true;
    let mut body = response.bytes_stream();
    let mut frames = Frames::default();
    loop {
        match tokio::time::timeout_at(stop, body.next()).await {
            Ok(Some(Ok(chunk))) => {
                let at = now_ms();
                frames.push(&chunk);
                while let Some(frame) = frames.next_frame() {
                    // Only the id is read: the client must cost little next to the server.
                    let Some(id) = frame.state_id() else {
                        continue; // a keep-alive, the feed, the crowd
                    };
                    // The first event is the state the client connected to, not a new commit.
                    if client.first.is_none() {
                        client.first = Some(id);
                    } else {
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
