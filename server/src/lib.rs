//! The Button's server: the web server (SSR, HTTP API), and later the reducer and the watcher.

pub mod challenge;
pub mod clock;
pub mod http;
pub mod shutdown;
pub mod telemetry;
