//! The Button's server: the web server (SSR, HTTP API, SSE), the reducer and the watcher.
//!
//! # Layout, in the order a press travels
//!
//! - [`settings`], [`roles`], [`shutdown`], [`telemetry`]: what each role of `the-button` is
//!   configured with, how it starts and how it stops.
//! - [`http`]: the web server. [`http::connections`] accepts (with its limits), then the pages,
//!   the `/v1` API (a challenge from [`challenge`], a press keyed by [`client_key`]) and the
//!   health routes.
//! - [`bus`]: everything that talks to NATS: the connection, the press publisher, the events
//!   stream and the cooldown bucket. [`names`] names their subjects, streams and buckets.
//! - [`reducer`]: the single writer: reads the stream in order, applies the rules, commits to
//!   PostgreSQL through [`db`], acks, publishes the new state. [`retention`] trims the stream.
//! - [`watcher`]: the clock of the game: a tick when a phase's calm-down is due.
//! - [`live`]: each web server follows the published states and fans them out over SSE.
//! - [`metrics`], [`metrics_endpoint`], [`clock`]: what operators read, and the time.
//! - [`game`]: the web server's running game: the services its handlers share.

pub mod bus;
pub mod challenge;
pub mod client_key;
pub mod clock;
pub mod db;
pub mod game;
pub mod http;
pub mod live;
pub mod metrics;
pub mod metrics_endpoint;
pub mod names;
pub mod reducer;
pub mod retention;
pub mod roles;
pub mod settings;
pub mod shutdown;
pub mod telemetry;
pub mod watcher;
