//! The Button's server: the web server (SSR, HTTP API, SSE), the reducer and the watcher.

pub mod bus;
pub mod challenge;
pub mod client_key;
pub mod clock;
pub mod db;
pub mod game;
pub mod http;
pub mod live;
pub mod loadgen;
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
