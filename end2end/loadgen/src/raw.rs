//! `loadgen raw`: press payloads straight to JetStream, with the API's ack discipline (each
//! message has its own `Nats-Msg-Id` and counts only once JetStream acknowledged it).

use std::sync::Arc;
use std::time::{Duration, Instant};

use app::game::{Country, Player, PressId};
use async_nats::jetstream::{self, message::PublishMessage};
use futures::StreamExt;
use tokio::sync::Notify;

use server::bus::{self, EventMessage};
use server::names::Names;
use server::settings::Settings;

use crate::{LoadgenError, RawArgs, deadline};

/// What `loadgen raw` measured.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RawReport {
    /// Publishes JetStream acknowledged.
    pub acked: u64,
    /// Publishes that failed or got no ack.
    pub failed: u64,
    /// Seconds the run took.
    pub seconds: f64,
    /// Acknowledged publishes per second.
    pub acked_per_second: f64,
}

impl std::fmt::Display for RawReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "raw: {} publishes acknowledged, {} failed, in {:.2} s",
            self.acked, self.failed, self.seconds
        )?;
        write!(
            f,
            "raw: {:.0} acknowledged publishes/s",
            self.acked_per_second
        )
    }
}

/// Publishes until `count` or `seconds`, counting acknowledged messages.
pub async fn run(args: &RawArgs, settings: &Settings) -> Result<RawReport, LoadgenError> {
    let setup = |e: &dyn std::fmt::Display| LoadgenError::Setup(e.to_string());
    let names = Names::new(&settings.namespace);
    let client = bus::connect(&settings.nats(), "loadgen raw", Arc::new(Notify::new()))
        .await
        .map_err(|e| setup(&e))?;
    let js = jetstream::new(client);
    bus::ensure_events_stream(
        &js,
        &names,
        Duration::from_secs(60),
        settings.stream_replicas,
    )
    .await
    .map_err(|e| setup(&e))?;

    let stop = deadline(args.seconds);
    let started = Instant::now();
    let (mut acked, mut failed) = (0u64, 0u64);
    let players = args.players;
    let publishes = futures::stream::iter(0..args.count)
        .take_while(|_| futures::future::ready(tokio::time::Instant::now() < stop))
        .map(|_| {
            let js = js.clone();
            let names = names.clone();
            async move {
                let press_id = PressId(uuid::Uuid::new_v4());
                let (player, country) = presser(players);
                let message = EventMessage::Press {
                    press_id,
                    challenge_id: format!("{:032x}", rand::random::<u128>()),
                    client_key: "loadgen-raw".into(),
                    player,
                    country,
                    at_ms: server::clock::now_ms(),
                    viewer: None,
                };
                let payload = serde_json::to_vec(&message).unwrap_or_default();
                let id = press_id.to_string();
                let ack = js
                    .send_publish(
                        names.press_subject(press_id),
                        PublishMessage::build()
                            .payload(payload.into())
                            .message_id(&id),
                    )
                    .await;
                match ack {
                    Ok(ack) => ack.await.is_ok(),
                    Err(_) => false,
                }
            }
        })
        .buffer_unordered(args.in_flight.max(1));
    tokio::pin!(publishes);
    while let Some(ok) = publishes.next().await {
        if ok {
            acked += 1;
        } else {
            failed += 1;
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    Ok(RawReport {
        acked,
        failed,
        seconds,
        acked_per_second: acked as f64 / seconds.max(1e-9),
    })
}

/// The countries raw presses come from, when they come from players.
const COUNTRIES: [&str; 5] = ["US", "DE", "JP", "BR", "IN"];

/// A random one of `players` players (none when 0), and its country.
fn presser(players: u32) -> (Option<Player>, Option<Country>) {
    if players == 0 {
        return (None, None);
    }
    let n = rand::random::<u32>() % players;
    // A player's 16 bytes from its number: any fixed spread of the numbers will do.
    let bytes =
        (u128::from(n).wrapping_mul(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c835)).to_be_bytes();
    let country = COUNTRIES[n as usize % COUNTRIES.len()].parse().ok();
    (Some(Player(bytes)), country)
}
