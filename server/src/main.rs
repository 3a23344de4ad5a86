//! `the-button`: one binary for every role of the game.

use std::net::SocketAddr;

use anyhow::Context;
use clap::{Parser, Subcommand};
use leptos::config::get_configuration;
use server::http::{AppState, router};
use server::{shutdown, telemetry};
use tracing::info;

/// The Button: one global button, pressed by everyone at once.
#[derive(Debug, Parser)]
#[command(name = "the-button", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the web app: server-rendered pages and the HTTP API (the default).
    Serve,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    telemetry::init();
    let cli = Cli::parse();
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve().await,
    }
}

async fn serve() -> anyhow::Result<()> {
    let config = get_configuration(None).context("reading the Leptos configuration")?;
    let leptos_options = config.leptos_options;
    let addr = leptos_options.site_addr;
    let app = router(AppState { leptos_options });
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("binding {addr} (set LEPTOS_SITE_ADDR to use another address)"))?;
    info!("serving The Button on http://{addr}");
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown::signal())
    .await
    .context("serving HTTP")?;
    info!("stopped");
    Ok(())
}
