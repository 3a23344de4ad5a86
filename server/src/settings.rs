//! The server's configuration: one typed `Settings`, loaded once from defaults, an optional TOML
//! file, then environment variables, and passed down.

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use ipnet::IpNet;
use serde::{Deserialize, Deserializer, Serialize};

/// What a press's request needs beyond its publish deadline: the cooldown's reservation and its
/// release (each bounded in `bus::cooldowns`) and the answer.
pub const PRESS_MARGIN_MS: u64 = 2_000;

/// The secret used in development when `BUTTON_POW_SECRET` is not set (never in production).
pub const DEV_POW_SECRET: &str =
    "the-button development secret: set BUTTON_POW_SECRET in production";

/// Everything the roles of `the-button` can be configured with.
///
/// Environment: `DATABASE_URL`, `NATS_URL`, and `BUTTON_<FIELD>` for every other field
/// (`BUTTON_POW_SECRET`, `BUTTON_NAMESPACE`, `BUTTON_RULES`, `BUTTON_TRUSTED_PROXIES`, …).
/// The web server's address is Leptos's `LEPTOS_SITE_ADDR`.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// PostgreSQL connection URL.
    pub database_url: String,
    /// NATS server URL(s), comma-separated. `nats://user:password@host` works too; `tls://`
    /// asks for TLS.
    pub nats_url: String,
    /// NATS user (with `nats_password`).
    pub nats_user: Option<String>,
    /// NATS password.
    pub nats_password: Option<String>,
    /// NATS token.
    pub nats_token: Option<String>,
    /// A NATS credentials file (JWT and NKey seed, as `nsc` writes it).
    pub nats_creds_file: Option<PathBuf>,
    /// Require TLS to NATS.
    pub nats_tls_required: bool,
    /// A CA certificate (PEM) that NATS's certificate must chain to, beside the usual roots.
    pub nats_tls_ca_file: Option<PathBuf>,
    /// A client certificate (PEM) for NATS, with `nats_tls_key_file`.
    pub nats_tls_cert_file: Option<PathBuf>,
    /// The client certificate's key (PEM).
    pub nats_tls_key_file: Option<PathBuf>,
    /// Prefix of every stream, consumer, subject and KV bucket name.
    pub namespace: String,
    /// How many NATS nodes keep each copy of the events stream and the cooldown bucket: 1 on
    /// one NATS server, 3 (or 5) on a JetStream cluster, so that losing a node loses nothing.
    pub stream_replicas: usize,
    /// Secret for signing challenges and salting client keys. Required outside development.
    pub pow_secret: Option<String>,
    /// The admin API's bearer tokens: one secret (named `admin`), or `name:secret,…`; each at
    /// least 16 bytes. Unset: the admin routes answer 404.
    pub admin_token: Option<String>,
    /// A rules JSON file to install and use; GAME.md's defaults when unset.
    pub rules: Option<PathBuf>,
    /// Peers whose `X-Forwarded-For` is believed: addresses or CIDR networks, comma-separated.
    #[serde(deserialize_with = "comma_separated_nets")]
    pub trusted_proxies: Vec<IpNet>,
    /// Requests per second one client IP may make to the API, sustained.
    pub rate_limit_per_second: u64,
    /// Requests one client IP may make in a burst.
    pub rate_limit_burst: u32,
    /// The most events the reducer applies in one transaction.
    pub reducer_batch_size: usize,
    /// The most events it applies in one transaction when more than a batch waits in the
    /// stream (after a restart, a burst): fewer, bigger commits catch up sooner.
    pub reducer_backlog_batch_size: usize,
    /// How long the reducer waits to fill a batch, in milliseconds.
    pub reducer_batch_wait_ms: u64,
    /// How often, at most, the reducer writes the tally (leaderboards, countries, each minute's
    /// players) while presses keep coming, in milliseconds; it also writes it once the stream
    /// falls quiet. 0 writes it with every batch.
    pub reducer_tally_every_ms: u64,
    /// How often the watcher looks at the state, in milliseconds.
    pub watcher_interval_ms: u64,
    /// How long a press may wait for JetStream to store it before the API answers 503.
    pub publish_timeout_ms: u64,
    /// The longest a new state waits for the live clients to take the last one, in milliseconds
    /// (a state goes out as soon as they took it; clients that stopped reading do not hold it
    /// back longer than this).
    pub fanout_max_wait_ms: u64,
    /// Where the `reducer` and `watcher` processes serve `/metrics` (the web server serves it on
    /// its own address); none when unset.
    pub metrics_addr: Option<std::net::SocketAddr>,
    /// Log as JSON lines instead of text.
    pub log_json: bool,
    /// Connections one web server keeps open at once; past it new ones are closed at once.
    pub max_connections: usize,
    /// How long a client may take to send a request's headers, in milliseconds.
    pub header_read_timeout_ms: u64,
    /// How long a request (all but the live stream) may take, in milliseconds: 408 past it.
    pub request_timeout_ms: u64,
    /// How long a write may wait for a client that stopped reading before its connection is
    /// dropped (a live stream nobody reads), in milliseconds.
    pub write_stall_timeout_ms: u64,
    /// Live streams one client (an IPv4 address, an IPv6 /64) may hold at once.
    pub live_streams_per_client: u32,
    /// Live streams one web server holds at once, all clients together.
    pub live_streams_total: u32,
    /// How long graceful shutdown waits for open requests before closing them, in milliseconds.
    pub shutdown_grace_ms: u64,
    /// The country database (MaxMind DB format) the web server looks client addresses up in;
    /// without one every press counts as of an unknown country. The default is where
    /// `scripts/setup.sh` installs npm's `@ip-location-db/geo-whois-asn-country-mmdb`.
    pub geo_database: Option<PathBuf>,
    /// A country with fewer presses than this in a day is counted as "other" that day, so that
    /// nobody is singled out by the countries panel.
    pub country_k: u64,
    /// Extra proof-of-work bits by the whole game's presses in the last minute:
    /// `presses:bits,…`, the highest level reached counts (empty: none).
    pub difficulty_game_levels: String,
    /// Extra bits by one network's (an IPv4 /24, an IPv6 /48) presses in the last minute, on top.
    pub difficulty_network_levels: String,
    /// The most bits the levels raise a challenge to (never below its phase's).
    pub difficulty_max_bits: u32,
}

/// Where `scripts/setup.sh` installs the country database, from the repository's root.
pub const GEO_DATABASE: &str =
    "end2end/node_modules/@ip-location-db/geo-whois-asn-country-mmdb/geo-whois-asn-country.mmdb";

impl Default for Settings {
    fn default() -> Self {
        Settings {
            database_url: "postgres://postgres@127.0.0.1:5432/button".into(),
            nats_url: "nats://127.0.0.1:4222".into(),
            nats_user: None,
            nats_password: None,
            nats_token: None,
            nats_creds_file: None,
            nats_tls_required: false,
            nats_tls_ca_file: None,
            nats_tls_cert_file: None,
            nats_tls_key_file: None,
            namespace: "button".into(),
            stream_replicas: 1,
            pow_secret: None,
            admin_token: None,
            rules: None,
            trusted_proxies: Vec::new(),
            rate_limit_per_second: 20,
            rate_limit_burst: 40,
            reducer_batch_size: 500,
            reducer_backlog_batch_size: 4_000,
            reducer_batch_wait_ms: 5,
            reducer_tally_every_ms: 5_000,
            watcher_interval_ms: 1_000,
            publish_timeout_ms: 5_000,
            fanout_max_wait_ms: 100,
            metrics_addr: None,
            log_json: false,
            max_connections: 25_000,
            header_read_timeout_ms: 10_000,
            request_timeout_ms: 10_000,
            write_stall_timeout_ms: 30_000,
            live_streams_per_client: 16,
            live_streams_total: 20_000,
            shutdown_grace_ms: 10_000,
            geo_database: Some(PathBuf::from(GEO_DATABASE)),
            country_k: 5,
            difficulty_game_levels: "2000:1,10000:2,50000:3".into(),
            difficulty_network_levels: "30:1,60:2,120:3,240:4,600:6".into(),
            difficulty_max_bits: 26,
        }
    }
}

/// Configuration that cannot be used. The message names the setting.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// A value could not be read (wrong type, unreadable file).
    #[error("invalid configuration: {0}")]
    Load(String),
    /// A value was read but is not usable.
    #[error("invalid configuration: {setting} {problem}")]
    Invalid {
        /// The environment variable (or file key) at fault.
        setting: &'static str,
        /// What is wrong with it.
        problem: String,
    },
}

fn invalid(setting: &'static str, problem: impl Into<String>) -> SettingsError {
    SettingsError::Invalid {
        setting,
        problem: problem.into(),
    }
}

impl Settings {
    /// A game for a test on this machine's PostgreSQL and NATS: a secret of its own, quick
    /// batches and ticks, the loopback peer trusted (a test plays many players through
    /// `X-Forwarded-For`) and rate limits out of the way. A test changes what it tests with
    /// `Settings { field: value, ..Settings::for_tests() }`; the harness gives each test its own
    /// database, namespace and rules. The difficulty policy adds nothing.
    pub fn for_tests() -> Settings {
        Settings {
            pow_secret: Some("integration tests' secret, not for production".into()),
            trusted_proxies: vec![IpNet::from(IpAddr::from([127, 0, 0, 1]))],
            rate_limit_per_second: 10_000,
            rate_limit_burst: 10_000,
            reducer_batch_wait_ms: 10,
            watcher_interval_ms: 100,
            // Tests press thousands of times from a few networks; the difficulty's tests say
            // which levels they want.
            difficulty_game_levels: String::new(),
            difficulty_network_levels: String::new(),
            ..Settings::default()
        }
    }

    /// Defaults, then `file` (TOML, if given), then the environment; validated.
    pub fn load(file: Option<&Path>) -> Result<Settings, SettingsError> {
        let mut figment = Figment::from(Serialized::defaults(Settings::default()));
        if let Some(file) = file {
            figment = figment.merge(Toml::file_exact(file));
        }
        let settings: Settings = figment
            .merge(Env::prefixed("BUTTON_").ignore(&["config"]))
            .merge(Env::raw().only(&["DATABASE_URL", "NATS_URL"]))
            .extract()
            .map_err(describe)?;
        settings.validate()?;
        Ok(settings)
    }

    /// Checks the values that parse but cannot work.
    pub fn validate(&self) -> Result<(), SettingsError> {
        let ns_ok = !self.namespace.is_empty()
            && self.namespace.len() <= 32
            && self
                .namespace
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        if !ns_ok {
            return Err(invalid(
                "BUTTON_NAMESPACE",
                "must be 1 to 32 letters, digits, '_' or '-' (it prefixes NATS names)",
            ));
        }
        if !(self.database_url.starts_with("postgres://")
            || self.database_url.starts_with("postgresql://"))
        {
            return Err(invalid("DATABASE_URL", "must be a postgres:// URL"));
        }
        if ![1, 3, 5].contains(&self.stream_replicas) {
            return Err(invalid(
                "BUTTON_STREAM_REPLICAS",
                "must be 1 (one NATS server), 3 or 5 (a JetStream cluster of at least as many nodes)",
            ));
        }
        if self.nats_url.trim().is_empty() {
            return Err(invalid("NATS_URL", "must not be empty"));
        }
        let ways = [
            self.nats_user.is_some(),
            self.nats_token.is_some(),
            self.nats_creds_file.is_some(),
        ];
        if ways.iter().filter(|&&way| way).count() > 1 {
            return Err(invalid(
                "BUTTON_NATS_USER",
                "BUTTON_NATS_USER, BUTTON_NATS_TOKEN and BUTTON_NATS_CREDS_FILE are three ways to \
                 sign in: set one",
            ));
        }
        if self.nats_password.is_some() != self.nats_user.is_some() {
            return Err(invalid(
                "BUTTON_NATS_PASSWORD",
                "goes with BUTTON_NATS_USER: set both or neither",
            ));
        }
        if self.nats_tls_cert_file.is_some() != self.nats_tls_key_file.is_some() {
            return Err(invalid(
                "BUTTON_NATS_TLS_KEY_FILE",
                "goes with BUTTON_NATS_TLS_CERT_FILE: set both or neither",
            ));
        }
        if let Some(secret) = &self.pow_secret
            && secret.len() < 16
        {
            return Err(invalid(
                "BUTTON_POW_SECRET",
                "must be at least 16 bytes long",
            ));
        }
        crate::admin_token::AdminTokens::parse(self.admin_token.as_deref())
            .map_err(|problem| invalid("BUTTON_ADMIN_TOKEN", problem))?;
        self.difficulty_policy()?;
        if self.rate_limit_per_second == 0 {
            return Err(invalid("BUTTON_RATE_LIMIT_PER_SECOND", "must be above 0"));
        }
        if self.rate_limit_burst == 0 {
            return Err(invalid("BUTTON_RATE_LIMIT_BURST", "must be above 0"));
        }
        if !(1..=10_000).contains(&self.reducer_batch_size) {
            return Err(invalid(
                "BUTTON_REDUCER_BATCH_SIZE",
                "must be between 1 and 10000",
            ));
        }
        if !(self.reducer_batch_size..=10_000).contains(&self.reducer_backlog_batch_size) {
            return Err(invalid(
                "BUTTON_REDUCER_BACKLOG_BATCH_SIZE",
                "must be between BUTTON_REDUCER_BATCH_SIZE and 10000",
            ));
        }
        if self.reducer_batch_wait_ms == 0 {
            return Err(invalid("BUTTON_REDUCER_BATCH_WAIT_MS", "must be above 0"));
        }
        if self.reducer_tally_every_ms > 60_000 {
            return Err(invalid(
                "BUTTON_REDUCER_TALLY_EVERY_MS",
                "must be between 0 and 60000",
            ));
        }
        if self.watcher_interval_ms == 0 {
            return Err(invalid("BUTTON_WATCHER_INTERVAL_MS", "must be above 0"));
        }
        if self.publish_timeout_ms == 0 {
            return Err(invalid("BUTTON_PUBLISH_TIMEOUT_MS", "must be above 0"));
        }
        if self.fanout_max_wait_ms == 0 {
            return Err(invalid("BUTTON_FANOUT_MAX_WAIT_MS", "must be above 0"));
        }
        // A press cut off by the request deadline while JetStream may be storing it would be
        // answered 408 "try again" although it may count: the publish gives up first, and says
        // the truth (`unconfirmed`).
        if self.request_timeout_ms < self.publish_timeout_ms.saturating_add(PRESS_MARGIN_MS) {
            return Err(invalid(
                "BUTTON_REQUEST_TIMEOUT_MS",
                format!(
                    "must be at least BUTTON_PUBLISH_TIMEOUT_MS + {PRESS_MARGIN_MS} ms (a press's \
                     publish must give up before its request does)"
                ),
            ));
        }
        for (setting, value) in [
            ("BUTTON_MAX_CONNECTIONS", self.max_connections as u64),
            ("BUTTON_HEADER_READ_TIMEOUT_MS", self.header_read_timeout_ms),
            ("BUTTON_REQUEST_TIMEOUT_MS", self.request_timeout_ms),
            ("BUTTON_WRITE_STALL_TIMEOUT_MS", self.write_stall_timeout_ms),
            (
                "BUTTON_LIVE_STREAMS_PER_CLIENT",
                u64::from(self.live_streams_per_client),
            ),
            (
                "BUTTON_LIVE_STREAMS_TOTAL",
                u64::from(self.live_streams_total),
            ),
            ("BUTTON_SHUTDOWN_GRACE_MS", self.shutdown_grace_ms),
        ] {
            if value == 0 {
                return Err(invalid(setting, "must be above 0"));
            }
        }
        Ok(())
    }

    /// The secret for challenges and client keys: the configured one, or in development a fixed
    /// one (the caller warns). Outside development a missing secret is an error: `development`
    /// must be said explicitly (see [`explicitly_development`]).
    pub fn pow_secret_or_dev(&self, development: bool) -> Result<(&str, bool), SettingsError> {
        match (&self.pow_secret, development) {
            (Some(secret), _) => Ok((secret, false)),
            (None, true) => Ok((DEV_POW_SECRET, true)),
            (None, false) => Err(invalid(
                "BUTTON_POW_SECRET",
                "is not set: it signs challenges and must be a long random secret shared by \
                 every web server (a development run says so with LEPTOS_ENV=DEV)",
            )),
        }
    }

    /// The proof-of-work difficulty policy the levels describe.
    pub fn difficulty_policy(&self) -> Result<crate::difficulty::DifficultyPolicy, SettingsError> {
        if !(1..=32).contains(&self.difficulty_max_bits) {
            return Err(invalid(
                "BUTTON_DIFFICULTY_MAX_BITS",
                "must be from 1 to 32",
            ));
        }
        Ok(crate::difficulty::DifficultyPolicy {
            game: self
                .difficulty_game_levels
                .parse()
                .map_err(|problem| invalid("BUTTON_DIFFICULTY_GAME_LEVELS", problem))?,
            network: self
                .difficulty_network_levels
                .parse()
                .map_err(|problem| invalid("BUTTON_DIFFICULTY_NETWORK_LEVELS", problem))?,
            max_bits: self.difficulty_max_bits,
        })
    }

    /// Whether `ip` is a trusted proxy.
    pub fn is_trusted_proxy(&self, ip: IpAddr) -> bool {
        self.trusted_proxies.iter().any(|net| net.contains(&ip))
    }

    /// `reducer_batch_wait_ms` as a duration.
    pub fn reducer_batch_wait(&self) -> Duration {
        Duration::from_millis(self.reducer_batch_wait_ms)
    }

    /// `reducer_tally_every_ms` as a duration.
    pub fn reducer_tally_every(&self) -> Duration {
        Duration::from_millis(self.reducer_tally_every_ms)
    }

    /// `fanout_max_wait_ms` as a duration.
    pub fn fanout_max_wait(&self) -> Duration {
        Duration::from_millis(self.fanout_max_wait_ms)
    }

    /// `watcher_interval_ms` as a duration.
    pub fn watcher_interval(&self) -> Duration {
        Duration::from_millis(self.watcher_interval_ms)
    }

    /// How to reach NATS.
    pub fn nats(&self) -> crate::bus::NatsConfig {
        crate::bus::NatsConfig {
            url: self.nats_url.clone(),
            user: self.nats_user.clone(),
            password: self.nats_password.clone(),
            token: self.nats_token.clone(),
            creds_file: self.nats_creds_file.clone(),
            tls_required: self.nats_tls_required,
            tls_ca_file: self.nats_tls_ca_file.clone(),
            tls_cert_file: self.nats_tls_cert_file.clone(),
            tls_key_file: self.nats_tls_key_file.clone(),
        }
    }

    /// The limits of the web server's connections.
    pub fn connection_limits(&self) -> crate::http::connections::ConnectionLimits {
        crate::http::connections::ConnectionLimits {
            max_connections: self.max_connections,
            header_read_timeout: Duration::from_millis(self.header_read_timeout_ms),
            write_stall_timeout: Duration::from_millis(self.write_stall_timeout_ms),
            shutdown_grace: Duration::from_millis(self.shutdown_grace_ms),
        }
    }

    /// `request_timeout_ms` as a duration.
    pub fn request_timeout(&self) -> Duration {
        Duration::from_millis(self.request_timeout_ms)
    }

    /// `publish_timeout_ms` as a duration.
    pub fn publish_timeout(&self) -> Duration {
        Duration::from_millis(self.publish_timeout_ms)
    }
}

/// Never prints a secret: the challenge secret, passwords and tokens show as `***`, and URLs
/// without their credentials.
impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let hidden = |secret: &Option<String>| secret.as_ref().map(|_| "***");
        f.debug_struct("Settings")
            .field("database_url", &redacted_url(&self.database_url))
            .field("nats_url", &redacted_url(&self.nats_url))
            .field("nats_user", &self.nats_user)
            .field("nats_password", &hidden(&self.nats_password))
            .field("nats_token", &hidden(&self.nats_token))
            .field("nats_creds_file", &self.nats_creds_file)
            .field("nats_tls_required", &self.nats_tls_required)
            .field("pow_secret", &hidden(&self.pow_secret))
            .field("admin_token", &hidden(&self.admin_token))
            .field("namespace", &self.namespace)
            .field("rules", &self.rules)
            .finish_non_exhaustive()
    }
}

/// `url` (or a comma-separated list of URLs) without passwords or tokens:
/// `postgres://button:s3cret@db/button` → `postgres://button:***@db/button`,
/// `nats://t0ken@bus:4222` → `nats://***@bus:4222`.
pub fn redacted_url(url: &str) -> String {
    url.split(',')
        .map(|one| {
            let Some((scheme, rest)) = one.split_once("://") else {
                return one.to_owned();
            };
            let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
            match rest[..authority_end].rfind('@') {
                Some(at) => {
                    let userinfo = &rest[..at];
                    let shown = match userinfo.split_once(':') {
                        Some((user, _)) => format!("{user}:***"),
                        None => "***".to_owned(),
                    };
                    format!("{scheme}://{shown}{}", &rest[at..])
                }
                None => one.to_owned(),
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// Whether this process was explicitly started for development: `LEPTOS_ENV=DEV` (or
/// `development`), or `cargo leptos watch` (which sets `LEPTOS_WATCH`). Leptos itself takes an
/// unset `LEPTOS_ENV` for development; a binary started by hand must not, or it would sign
/// challenges with the public development secret.
pub fn explicitly_development() -> bool {
    is_development(
        std::env::var("LEPTOS_ENV").ok().as_deref(),
        std::env::var_os("LEPTOS_WATCH").is_some(),
    )
}

fn is_development(leptos_env: Option<&str>, watching: bool) -> bool {
    watching
        || leptos_env.is_some_and(|env| {
            env.eq_ignore_ascii_case("dev") || env.eq_ignore_ascii_case("development")
        })
}

/// Names each failing setting by its environment variable (the file uses the lower-case key).
fn describe(error: figment::Error) -> SettingsError {
    let problems: Vec<String> = error
        .into_iter()
        .map(|e| {
            let key = e.path.join(".");
            let variable = match key.as_str() {
                "" => String::new(),
                "database_url" | "nats_url" => key.to_uppercase(),
                _ => format!("BUTTON_{}", key.to_uppercase()),
            };
            let source = e
                .metadata
                .as_ref()
                .map(|m| format!(" (from {})", m.name))
                .unwrap_or_default();
            if variable.is_empty() {
                format!("{}{source}", e.kind)
            } else {
                format!("{variable}: {}{source}", e.kind)
            }
        })
        .collect();
    SettingsError::Load(problems.join("; "))
}

/// Accepts a list, or one string of comma-separated addresses and networks (as env vars give).
fn comma_separated_nets<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<IpNet>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Nets {
        List(Vec<String>),
        One(String),
    }
    let items = match Nets::deserialize(deserializer)? {
        Nets::List(items) => items,
        Nets::One(s) => s.split(',').map(str::to_owned).collect(),
    };
    items
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<IpNet>()
                .or_else(|_| s.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| {
                    serde::de::Error::custom(format!("`{s}` is not an IP address or CIDR network"))
                })
        })
        .collect()
}

#[cfg(test)]
// figment's `Jail` takes closures returning `figment::Result`, whose error is large by design.
#[allow(clippy::result_large_err)]
mod tests {
    use super::*;
    use figment::Jail;

    fn load_in(
        jail_setup: impl FnOnce(&mut Jail) -> figment::Result<()>,
    ) -> Result<Settings, SettingsError> {
        let mut result = None;
        Jail::expect_with(|jail| {
            // The jail does not hide the process's own variables (the test command may set
            // `NATS_URL` to a private NATS): each test says all it sets.
            jail.clear_env();
            jail_setup(jail)?;
            result = Some(Settings::load(None));
            Ok(())
        });
        result.expect("the jail ran")
    }

    #[test]
    fn defaults_are_valid_and_point_at_localhost() {
        let settings = load_in(|_| Ok(())).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(settings, Settings::default());
    }

    #[test]
    fn environment_variables_override_defaults() {
        let settings = load_in(|jail| {
            jail.set_env("DATABASE_URL", "postgres://db.example/button");
            jail.set_env("NATS_URL", "nats://bus.example:4222");
            jail.set_env("BUTTON_NAMESPACE", "staging");
            jail.set_env("BUTTON_REDUCER_BATCH_SIZE", "100");
            jail.set_env("BUTTON_TRUSTED_PROXIES", "10.0.0.0/8, 127.0.0.1");
            jail.set_env("BUTTON_METRICS_ADDR", "127.0.0.1:9464");
            jail.set_env("BUTTON_FANOUT_MAX_WAIT_MS", "250");
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            settings.metrics_addr,
            Some(std::net::SocketAddr::from(([127, 0, 0, 1], 9464)))
        );
        assert_eq!(settings.fanout_max_wait(), Duration::from_millis(250));
        assert_eq!(settings.database_url, "postgres://db.example/button");
        assert_eq!(settings.nats_url, "nats://bus.example:4222");
        assert_eq!(settings.namespace, "staging");
        assert_eq!(settings.reducer_batch_size, 100);
        assert!(
            settings.is_trusted_proxy("10.1.2.3".parse().unwrap_or(IpAddr::from([0, 0, 0, 0])))
        );
        assert!(settings.is_trusted_proxy(IpAddr::from([127, 0, 0, 1])));
        assert!(!settings.is_trusted_proxy(IpAddr::from([192, 0, 2, 1])));
    }

    #[test]
    fn a_file_sits_between_defaults_and_environment() {
        Jail::expect_with(|jail| {
            jail.create_file(
                "button.toml",
                "namespace = \"from-file\"\nwatcher_interval_ms = 250\n",
            )?;
            jail.set_env("BUTTON_WATCHER_INTERVAL_MS", "500");
            let settings = Settings::load(Some(Path::new("button.toml")))
                .map_err(|e| figment::Error::from(e.to_string()))?;
            assert_eq!(settings.namespace, "from-file");
            assert_eq!(settings.watcher_interval_ms, 500);
            Ok(())
        });
    }

    #[test]
    fn a_value_of_the_wrong_type_names_its_variable() {
        let err = load_in(|jail| {
            jail.set_env("BUTTON_REDUCER_BATCH_SIZE", "lots");
            Ok(())
        })
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
        assert!(err.contains("BUTTON_REDUCER_BATCH_SIZE"), "{err}");
    }

    #[test]
    fn unusable_values_name_their_setting() {
        for (var, value) in [
            ("BUTTON_NAMESPACE", "has.dots"),
            ("BUTTON_REDUCER_BATCH_SIZE", "0"),
            ("BUTTON_REDUCER_BACKLOG_BATCH_SIZE", "10"),
            ("BUTTON_POW_SECRET", "short"),
            ("DATABASE_URL", "mysql://nope"),
            ("BUTTON_WATCHER_INTERVAL_MS", "0"),
            ("BUTTON_FANOUT_MAX_WAIT_MS", "0"),
            ("BUTTON_METRICS_ADDR", "not-an-address"),
            ("BUTTON_MAX_CONNECTIONS", "0"),
            ("BUTTON_LIVE_STREAMS_PER_CLIENT", "0"),
            ("BUTTON_WRITE_STALL_TIMEOUT_MS", "0"),
            // Below the publish deadline (5 s) and its margin: a 408 could hide a stored press.
            ("BUTTON_REQUEST_TIMEOUT_MS", "6000"),
        ] {
            let err = load_in(|jail| {
                jail.set_env(var, value);
                Ok(())
            })
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
            assert!(err.contains(var), "{var}={value}: {err}");
        }
        let err = load_in(|jail| {
            jail.set_env("BUTTON_TRUSTED_PROXIES", "10.0.0.0/8,not-an-ip");
            Ok(())
        })
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
        assert!(
            err.contains("not-an-ip") && err.contains("TRUSTED_PROXIES"),
            "{err}"
        );
    }

    #[test]
    fn the_secret_is_required_outside_development() {
        let settings = Settings::default();
        assert!(matches!(
            settings.pow_secret_or_dev(true),
            Ok((DEV_POW_SECRET, true))
        ));
        let err = settings
            .pow_secret_or_dev(false)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("BUTTON_POW_SECRET"), "{err}");
    }

    #[test]
    fn development_must_be_said_explicitly() {
        assert!(!is_development(None, false), "unset is not development");
        assert!(!is_development(Some("PROD"), false));
        assert!(!is_development(Some(""), false));
        assert!(is_development(Some("DEV"), false));
        assert!(is_development(Some("development"), false));
        assert!(is_development(None, true), "cargo leptos watch");
    }

    #[test]
    fn urls_lose_their_credentials_and_settings_never_print_a_secret() {
        assert_eq!(
            redacted_url("postgres://button:s3cret@db.example:5432/button?sslmode=require"),
            "postgres://button:***@db.example:5432/button?sslmode=require"
        );
        assert_eq!(
            redacted_url("nats://t0ken@a:4222,nats://u:p@b:4222,nats://c:4222"),
            "nats://***@a:4222,nats://u:***@b:4222,nats://c:4222"
        );
        assert_eq!(
            redacted_url("nats://127.0.0.1:4222"),
            "nats://127.0.0.1:4222"
        );
        let settings = Settings {
            database_url: "postgres://button:s3cret@db/button".into(),
            nats_url: "nats://u:natspass@bus:4222".into(),
            pow_secret: Some("a very secret secret".into()),
            nats_token: Some("t0ken-value".into()),
            ..Settings::default()
        };
        let printed = format!("{settings:?}");
        for secret in ["s3cret", "natspass", "a very secret secret", "t0ken-value"] {
            assert!(!printed.contains(secret), "{secret} in {printed}");
        }
    }

    #[test]
    fn one_way_to_sign_in_to_nats() {
        for (pairs, named) in [
            (
                vec![("BUTTON_NATS_USER", "u"), ("BUTTON_NATS_TOKEN", "t")],
                "BUTTON_NATS_USER",
            ),
            (vec![("BUTTON_NATS_USER", "u")], "BUTTON_NATS_PASSWORD"),
            (
                vec![("BUTTON_NATS_TLS_CERT_FILE", "c.pem")],
                "BUTTON_NATS_TLS_KEY_FILE",
            ),
        ] {
            let err = load_in(|jail| {
                for (var, value) in &pairs {
                    jail.set_env(var, value);
                }
                Ok(())
            })
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
            assert!(err.contains(named), "{pairs:?}: {err}");
        }
    }
}
