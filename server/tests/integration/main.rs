//! The server's integration tests, one binary (each test binary links the whole server): a
//! module per feature, each test a whole game on the real PostgreSQL and NATS JetStream with a
//! database and a namespace of its own, so that they run in parallel. Run one feature with
//! `cargo test -p server --test integration link_faults`.
//!
//! `/metrics` values are process-wide, so the test that checks exact counts is a binary of its
//! own (`tests/metrics.rs`).

#[path = "../common/mod.rs"]
mod common;

// A press, in the order it travels: the API, the reducer, the live states.
mod countries;
mod crowd;
mod difficulty;
mod export;
mod fanout;
mod memory;
mod openapi;
mod pipeline;
mod players;
mod press_api;
mod receipts;
mod web;

// What goes wrong: limits against strangers, broken links, killed processes.
mod cluster;
mod crash_safety;
mod failover;
mod limits;
mod link_faults;
mod secure_links;

// The other roles and tools.
mod admin;
mod binary;
mod load_generator;
mod metrics_endpoint;
mod rules_store;
mod watcher;
