//! `loadgen`: loads a game on this machine and reports what it measured, as text or, with
//! `--json`, as one JSON object for scripts. Loopback targets only.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use loadgen::Mode;
use server::settings::Settings;

/// The Button's load generator: raw JetStream publishes, real presses, live SSE clients.
///
/// NATS, PostgreSQL and the namespace come from the game's own settings (`NATS_URL`,
/// `DATABASE_URL`, `BUTTON_NAMESPACE`, or `--config`): the load is checked against them.
#[derive(Debug, Parser)]
#[command(name = "loadgen", version, about)]
struct Cli {
    /// The game's TOML settings file (between the defaults and the environment).
    #[arg(long, env = "BUTTON_CONFIG", global = true)]
    config: Option<PathBuf>,
    /// Print the report as one JSON object (tagged by `mode`) instead of text.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    mode: Mode,
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli).await {
        Ok(report) => {
            println!("{report}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("loadgen: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// The report, as asked for.
async fn run(cli: &Cli) -> anyhow::Result<String> {
    let settings = Settings::load(cli.config.as_deref()).context("loading the game's settings")?;
    let report = loadgen::run(cli.mode.clone(), &settings).await?;
    if cli.json {
        serde_json::to_string(&report).context("writing the report as JSON")
    } else {
        Ok(report.to_string())
    }
}
