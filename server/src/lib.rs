//! The Button's server: the web server (SSR, HTTP API, SSE), the reducer and the watcher.
//!
//! # Layout, in the order a press travels
//!
//! - [`settings`], [`roles`], [`shutdown`], [`telemetry`]: what each role of `the-button` is
//!   configured with, how it starts (one `Foundation` for all) and how it stops.
//! - [`http`]: the web server. [`http::connections`] accepts (with its limits), then the pages,
//!   the `/v1` API (a file per resource in `http/api/`: a challenge signed by [`challenge`], a
//!   press from a network keyed by [`client_key`], its work set by [`difficulty`], by a player keyed by [`player_key`], from a
//!   country told by [`geo`]) and the health routes; [`http::Services`] is what its handlers share.
//! - [`bus`]: everything that talks to NATS, a module per stream, subject or bucket: the
//!   cooldowns a press reserves, the events stream it is published to, the live states with the
//!   feed, the receipts for the pages that pressed, the web servers' presence. [`names`] names their subjects, streams and buckets.
//! - [`reducer`]: the single writer: reads the stream in order, then decode → apply → commit to
//!   PostgreSQL through [`db`] → ack → publish the new state and its presses' receipts; while a
//!   backlog waits it sums the leaderboards, the countries and the minutes' players across
//!   batches and writes them every few seconds (the tally, [`db::Tally`]), and it trims the
//!   stream of what it applied.
//! - [`watcher`]: the clock of the game: a tick when a phase's calm-down is due.
//! - [`live`]: each web server follows the published states and the feed, counts the crowd, and
//!   fans them out over SSE at the pace the clients take them; it hands each receipt to the
//!   stream of the page that pressed.
//! - [`metrics`], [`clock`]: what operators read, and the time.
//! - [`admin_token`], [`admin_cli`]: the operators' side: the admin API's tokens (its routes are
//!   `http/api/admin.rs`, its commands events like presses) and `the-button admin`, its client.

pub mod admin_cli;
pub mod admin_token;
pub mod bus;
pub mod challenge;
pub mod client_key;
pub mod clock;
pub mod db;
pub mod difficulty;
pub mod geo;
pub mod http;
pub mod live;
pub mod metrics;
pub mod names;
pub mod player_key;
pub mod reducer;
pub mod roles;
pub mod settings;
pub mod shutdown;
pub mod telemetry;
pub mod watcher;
