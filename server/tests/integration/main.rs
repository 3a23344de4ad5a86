//! The server's integration tests, one binary (each test binary links the whole server): every
//! feature a module, each test a whole game on the real PostgreSQL and NATS JetStream, with a
//! database and a namespace of its own, so that they run in parallel.
//!
//! `/metrics` values are process-wide, so the test that checks exact counts runs in a binary of
//! its own (`tests/metrics.rs`).

#[path = "../common/mod.rs"]
mod common;

// The press, from the API to the live state.
mod fanout;
mod loadgen;
mod metrics_endpoint;
mod openapi;
mod pipeline;
mod press_api;
mod rules_store;
mod watcher;
mod web;

// What a public server and an operator need.
mod binary;
mod limits;
mod secure_links;

// Faults, as they happen.
mod crash_safety;
mod failover;
mod link_faults;
