//! `the-button`: one binary for every role of the game.

use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};
use leptos::config::get_configuration;
use server::roles;
use server::settings::Settings;
use server::telemetry;
use tokio_util::sync::CancellationToken;

// mimalloc: glibc's malloc took ~14 % of the web server's time under load (perf).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The Button: one global button, pressed by everyone at once.
#[derive(Debug, Parser)]
#[command(name = "the-button", version, about)]
struct Cli {
    /// A TOML settings file (between the defaults and the environment).
    #[arg(long, env = "BUTTON_CONFIG", global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Clone, Subcommand)]
enum Command {
    /// Migrate, then run the reducer, the watcher and the web server in one process (default).
    All,
    /// The web server: server-rendered pages, the HTTP API and the live SSE stream.
    Serve,
    /// The reducer: the single writer of the state (a second one waits as a hot standby).
    Reducer,
    /// The watcher: ticks so that phases come down while nobody presses.
    Watcher,
    /// Apply the database migrations and install the configured rules.
    Migrate,
    /// Operators' commands, through a web server's admin API: pause, resume, season, rules,
    /// status.
    Admin(server::admin_cli::AdminArgs),
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    // The admin client needs none of the game's settings: only where and with which token.
    if let Some(Command::Admin(args)) = cli.command {
        return server::admin_cli::run(args).await;
    }
    let settings = Settings::load(cli.config.as_deref())?;
    telemetry::init(settings.log_json);
    let shutdown = server::shutdown::on_signal();
    match cli.command.unwrap_or(Command::All) {
        Command::Admin(_) => {}
        Command::Migrate => roles::migrate(&settings).await?,
        Command::Reducer => {
            metrics_endpoint(&settings, &shutdown).await?;
            roles::reducer(&settings, shutdown).await?;
        }
        Command::Watcher => {
            metrics_endpoint(&settings, &shutdown).await?;
            roles::watcher(&settings, shutdown).await?;
        }
        command @ (Command::Serve | Command::All) => {
            let leptos_options = server::http::assets::with_hashed_names(
                get_configuration(None)
                    .context("reading the Leptos configuration (LEPTOS_* variables)")?
                    .leptos_options,
            );
            let addr = leptos_options.site_addr;
            let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| {
                format!("binding {addr} (set LEPTOS_SITE_ADDR to use another address)")
            })?;
            if matches!(command, Command::All) {
                roles::all(&settings, leptos_options, listener, shutdown).await?;
            } else {
                roles::serve(&settings, leptos_options, listener, shutdown).await?;
            }
        }
    }
    tracing::info!("stopped");
    Ok(())
}

/// `/metrics` on `BUTTON_METRICS_ADDR` for a process without a web server, when configured.
async fn metrics_endpoint(settings: &Settings, shutdown: &CancellationToken) -> anyhow::Result<()> {
    if let Some(addr) = settings.metrics_addr {
        server::metrics::endpoint::spawn(addr, shutdown.clone())
            .await
            .with_context(|| format!("BUTTON_METRICS_ADDR: binding {addr}"))?;
    }
    Ok(())
}
