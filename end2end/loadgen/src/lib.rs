//! The Button's load generator, QA's tool: `loadgen raw|press|sse` (`--json` for scripts).
//! Loopback targets only; every mode is bounded in count and in time and stops by itself.
//!
//! # Layout, in the order a press travels
//!
//! - `raw`: press messages straight to JetStream, the pipeline's ceiling.
//! - `press`: real presses over HTTP with real proof of work, each 202 checked in PostgreSQL.
//! - `sse`: many live clients, and the delay from a state's commit (or its publish to a peer
//!   such as nginx's nchan) to each of them.
//! - [`frames`]: reading an SSE stream's events, for the load generator and the server's tests.
//! - `stats`: latency percentiles for the reports.

pub mod frames;
mod press;
mod raw;
mod sse;
mod stats;

use std::net::IpAddr;
use std::time::Duration;

use clap::{Args, Subcommand};

pub use press::PressReport;
pub use raw::RawReport;
pub use sse::SseReport;
pub use stats::Latencies;

use server::settings::Settings;

/// What to load.
#[derive(Debug, Clone, Subcommand)]
pub enum Mode {
    /// Publish press payloads straight to JetStream (the pipeline's ceiling).
    Raw(RawArgs),
    /// Real presses over HTTP with real proof of work, from many virtual players.
    Press(PressArgs),
    /// Hold many SSE clients and measure commit → client delay.
    Sse(SseArgs),
}

/// `loadgen raw`.
#[derive(Debug, Clone, Args)]
pub struct RawArgs {
    /// How many messages at most.
    #[arg(long, default_value_t = 100_000)]
    pub count: u64,
    /// How long at most, in seconds.
    #[arg(long, default_value_t = 30)]
    pub seconds: u64,
    /// Acks awaited at once.
    #[arg(long, default_value_t = 1_000)]
    pub in_flight: usize,
    /// Presses by this many players, each from one of a few countries (0: anonymous presses of
    /// no known country, as before players existed): what the reducer's memory keeps per player.
    #[arg(long, default_value_t = 0)]
    pub players: u32,
}

/// `loadgen press`.
#[derive(Debug, Clone, Args)]
pub struct PressArgs {
    /// The web server (loopback only).
    #[arg(long, default_value = "http://127.0.0.1:3000")]
    pub url: String,
    /// Presses per second to start (open loop).
    #[arg(long, default_value_t = 100)]
    pub rate: u64,
    /// Virtual players, each its own client address (through X-Forwarded-For: make the load
    /// generator's address a trusted proxy of the server).
    #[arg(long, default_value_t = 1_000)]
    pub players: u32,
    /// How many presses at most.
    #[arg(long, default_value_t = 10_000)]
    pub count: u64,
    /// How long at most, in seconds.
    #[arg(long, default_value_t = 10)]
    pub seconds: u64,
    /// Requests under way at most (beyond, starts are skipped and counted).
    #[arg(long, default_value_t = 2_000)]
    pub in_flight: usize,
}

/// `loadgen sse`.
#[derive(Debug, Clone, Args)]
pub struct SseArgs {
    /// The web server (loopback only).
    #[arg(long, default_value = "http://127.0.0.1:3000")]
    pub url: String,
    /// Concurrent SSE clients.
    #[arg(long, default_value_t = 1_000)]
    pub clients: usize,
    /// How long to hold them, in seconds.
    #[arg(long, default_value_t = 10)]
    pub seconds: u64,
    /// Publish the states to this URL (a pub/sub server's publisher location, such as nginx's
    /// nchan) instead of measuring a game: the same clients then measure another server, the
    /// delay counted from each publish. States are published from the run's second 3 to two
    /// seconds before its end.
    #[arg(long)]
    pub publish: Option<String>,
    /// States published per second, with `--publish`.
    #[arg(long, default_value_t = 10)]
    pub rate: u32,
}

/// Why a run could not be made.
#[derive(Debug, thiserror::Error)]
pub enum LoadgenError {
    /// The target is not on this machine.
    #[error("{0}: the load generator only targets loopback addresses")]
    NotLoopback(String),
    /// Setting up, or reading the results back, failed.
    #[error("{0}")]
    Setup(String),
    /// Presses answered 202 are not in PostgreSQL: the game's promise is broken.
    #[error("{missing} of {accepted} accepted presses are missing from PostgreSQL")]
    Lost {
        /// Accepted, not applied.
        missing: usize,
        /// Accepted in all.
        accepted: usize,
    },
    /// Presses the server refused were applied all the same.
    #[error("{0} presses the server refused were taken anyway")]
    RefusedTaken(i64),
}

/// What a run measured: printed as text, or as JSON (`--json`, tagged by `mode`) for scripts.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(tag = "mode", rename_all = "lowercase")]
pub enum Report {
    /// `loadgen raw`.
    Raw(RawReport),
    /// `loadgen press`.
    Press(PressReport),
    /// `loadgen sse`.
    Sse(SseReport),
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Report::Raw(report) => report.fmt(f),
            Report::Press(report) => report.fmt(f),
            Report::Sse(report) => report.fmt(f),
        }
    }
}

/// Runs one mode; its report says what it measured.
pub async fn run(mode: Mode, settings: &Settings) -> Result<Report, LoadgenError> {
    match mode {
        Mode::Raw(args) => raw::run(&args, settings).await.map(Report::Raw),
        Mode::Press(args) => {
            ensure_loopback(&args.url)?;
            press::run(&args, settings).await.map(Report::Press)
        }
        Mode::Sse(args) => {
            ensure_loopback(&args.url)?;
            if let Some(publish) = &args.publish {
                ensure_loopback(publish)?;
            }
            sse::run(&args, settings).await.map(Report::Sse)
        }
    }
}

/// Refuses anything but loopback: loads go to this machine only.
pub fn ensure_loopback(url: &str) -> Result<(), LoadgenError> {
    let host = url
        .split("://")
        .nth(1)
        .and_then(|rest| rest.split(['/', '?']).next())
        .map(|authority| {
            if let Some(v6) = authority.strip_prefix('[') {
                v6.split(']').next().unwrap_or_default().to_owned()
            } else {
                authority
                    .rsplit_once(':')
                    .map_or(authority, |(h, _)| h)
                    .to_owned()
            }
        })
        .unwrap_or_default();
    let loopback = host == "localhost" || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback());
    if loopback {
        Ok(())
    } else {
        Err(LoadgenError::NotLoopback(url.to_owned()))
    }
}

fn deadline(seconds: u64) -> tokio::time::Instant {
    tokio::time::Instant::now() + Duration::from_secs(seconds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_targets_are_accepted() {
        for ok in [
            "http://127.0.0.1:3000",
            "http://localhost:3000/x",
            "http://[::1]:3000",
            "http://127.9.9.9",
        ] {
            assert!(ensure_loopback(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://10.0.0.1:3000",
            "http://example.com",
            "http://192.168.1.2",
            "nonsense",
        ] {
            assert!(ensure_loopback(bad).is_err(), "{bad}");
        }
    }
}
