//! `the-button admin …`: the operators' client of the admin API. It talks to a web server (the
//! admin routes are the one way in, so every command is checked, published and audited the same
//! way) and prints the answer as JSON.

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, bail};
use app::wire::{AdminMessage, ErrorBody, RulesChange, routes};
use clap::{Args, Subcommand};

/// `the-button admin`'s arguments.
#[derive(Debug, Clone, Args)]
pub struct AdminArgs {
    /// The web server to ask (a port-forward to one, in a cluster).
    #[arg(
        long,
        env = "BUTTON_ADMIN_URL",
        default_value = "http://127.0.0.1:3000"
    )]
    pub url: String,
    /// The admin token: the secret, or `name:secret` (the first of a list).
    #[arg(long, env = "BUTTON_ADMIN_TOKEN", hide_env_values = true)]
    pub token: String,
    /// What to do.
    #[command(subcommand)]
    pub action: AdminAction,
}

/// What an operator can do.
#[derive(Debug, Clone, Subcommand)]
pub enum AdminAction {
    /// Pause the game: presses answer 503 `paused` until `resume`.
    Pause {
        /// What to tell the players.
        #[arg(long)]
        message: Option<String>,
    },
    /// Take presses again.
    Resume,
    /// Start a new season: the counter, the phase and the entropy start again.
    Season {
        /// What to tell the players.
        #[arg(long)]
        message: Option<String>,
    },
    /// Change the rules to those of a rules JSON file (validated first).
    Rules {
        /// The rules file.
        file: PathBuf,
        /// What to tell the players.
        #[arg(long)]
        message: Option<String>,
    },
    /// The newest state, the rules in force and the newest commands.
    Status,
}

/// The secret of the first token, whichever way the variable gives it.
fn secret(token: &str) -> &str {
    let first = token.split(',').next().unwrap_or_default().trim();
    first
        .split_once(':')
        .map_or(first, |(_, secret)| secret.trim())
}

/// Runs one admin command against `args.url`; the answer is printed as JSON.
pub async fn run(args: AdminArgs) -> anyhow::Result<()> {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(15))
        .build()
        .context("building the HTTP client")?;
    let base = args.url.trim_end_matches('/');
    let request = match &args.action {
        AdminAction::Pause { message } => client
            .post(format!("{base}{}", routes::ADMIN_PAUSE))
            .json(&AdminMessage {
                message: message.clone(),
            }),
        AdminAction::Resume => client.post(format!("{base}{}", routes::ADMIN_RESUME)),
        AdminAction::Season { message } => client
            .post(format!("{base}{}", routes::ADMIN_SEASON))
            .json(&AdminMessage {
                message: message.clone(),
            }),
        AdminAction::Rules { file, message } => {
            let json = std::fs::read_to_string(file)
                .with_context(|| format!("reading {}", file.display()))?;
            let rules = serde_json::from_str(&json)
                .with_context(|| format!("{} is not a rules file", file.display()))?;
            client
                .put(format!("{base}{}", routes::ADMIN_RULES))
                .json(&RulesChange {
                    rules,
                    message: message.clone(),
                })
        }
        AdminAction::Status => client.get(format!("{base}{}", routes::ADMIN_STATUS)),
    };
    let response = request
        .bearer_auth(secret(&args.token))
        .send()
        .await
        .with_context(|| format!("reaching {base}"))?;
    let status = response.status();
    let body: serde_json::Value = response
        .json()
        .await
        .with_context(|| format!("reading the answer ({status})"))?;
    if !status.is_success() {
        let said = serde_json::from_value::<ErrorBody>(body.clone())
            .map(|error| format!("{}: {}", error.error.as_str(), error.message))
            .unwrap_or_else(|_| body.to_string());
        bail!("{status}: {said}");
    }
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", serde_json::to_string_pretty(&body)?).context("writing the answer")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::secret;

    #[test]
    fn the_secret_is_taken_from_either_form() {
        assert_eq!(secret("0123456789abcdef"), "0123456789abcdef");
        assert_eq!(secret("ops:0123456789abcdef"), "0123456789abcdef");
        assert_eq!(
            secret("ops:0123456789abcdef, bob:fedcba9876543210"),
            "0123456789abcdef"
        );
    }
}
