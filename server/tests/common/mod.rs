//! The test harness: a whole game per test, on the real PostgreSQL and NATS JetStream, with its
//! own database and namespace so that tests run in parallel.
#![allow(dead_code)]

pub mod load;
pub mod nats;
pub mod proxy;
pub mod sse;

use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, LazyLock};
use std::time::{Duration, Instant};

use app::game::{RulesSpec, State};
use app::wire::{Challenge, CurrentState, PressRequest};
use leptos::config::LeptosOptions;
use server::challenge::ChallengeKey;
use server::names::Names;
use server::roles;
use server::settings::Settings;
use sqlx::{Connection, Executor, PgConnection, PgPool};
use tokio::sync::{OwnedRwLockReadGuard, OwnedRwLockWriteGuard, RwLock};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// The URL of PostgreSQL's `database`: where scripts/services.sh says PostgreSQL is
/// (`BUTTON_PG_URL`, without a database name), else on 127.0.0.1:5432.
pub fn pg_url(database: &str) -> String {
    let base = std::env::var("BUTTON_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
    format!("{}/{database}", base.trim_end_matches('/'))
}

/// The tests' NATS as `host:port` (from `NATS_URL`, else 127.0.0.1:4222), for a test that puts
/// something between the game and NATS.
pub fn nats_address() -> String {
    let url = nats_url(Settings::default().nats_url);
    let first = url.split(',').next().unwrap_or_default().trim();
    first
        .split_once("://")
        .map_or(first, |(_, rest)| rest)
        .to_owned()
}

/// The tests' NATS: `NATS_URL` when it is set (scripts/services.sh says where NATS runs) and the
/// test kept the default; what the test chose otherwise.
fn nats_url(chosen: String) -> String {
    match std::env::var("NATS_URL") {
        Ok(url) if chosen == Settings::default().nats_url => url,
        _ => chosen,
    }
}

/// Rules that make tests quick: tiny proof of work, no cooldown, phases that move fast.
pub fn quick_rules() -> RulesSpec {
    RulesSpec {
        entropy_half_life_ms: 60_000,
        press_gain: 0.2,
        phase_enter: vec![0.0, 0.3, 0.5, 0.7],
        calm_down_ms: vec![0, 60_000, 60_000, 60_000],
        press_cooldown_ms: vec![0, 0, 0, 0],
        pow_difficulty_bits: vec![4, 4, 4, 4],
        reveal_ms: vec![0, 1_000, 1_000, 1_000],
        challenge_ttl_ms: 60_000,
    }
}

/// How a test's game is set up.
pub struct TestOptions {
    pub rules: RulesSpec,
    /// Run a reducer inside the test process.
    pub reducer: bool,
    /// Run a watcher inside the test process.
    pub watcher: bool,
    /// `Settings { field: value, ..Settings::for_tests() }`; the database, the namespace and
    /// the rules file are the test's own whatever they say.
    pub settings: Settings,
    /// The test loads the machine: it runs alone (see [`machine`]).
    pub alone: bool,
    /// Where the page's files are served from (default: the build's `target/site`).
    pub site_root: Option<std::path::PathBuf>,
}

impl TestOptions {
    /// A game with `settings` (`Settings { field: value, ..Settings::for_tests() }`).
    pub fn with_settings(settings: Settings) -> TestOptions {
        TestOptions {
            settings,
            ..TestOptions::default()
        }
    }

    /// A game whose reducer the test starts (and stops) itself, or never.
    pub fn without_reducer() -> TestOptions {
        TestOptions {
            reducer: false,
            ..TestOptions::default()
        }
    }
}

impl Default for TestOptions {
    fn default() -> Self {
        TestOptions {
            rules: quick_rules(),
            reducer: true,
            watcher: false,
            settings: Settings::for_tests(),
            alone: false,
            site_root: None,
        }
    }
}

/// One running game.
pub struct TestApp {
    pub base: String,
    pub settings: Settings,
    pub names: Names,
    pub pool: PgPool,
    pub http: reqwest::Client,
    pub shutdown: CancellationToken,
    pub rules_dir: tempfile::TempDir,
    tasks: Vec<JoinHandle<()>>,
    /// This game's share of the machine, for as long as it lives.
    machine: Option<MachineShare>,
}

/// Tests share the machine with each other, except those that load it (many presses while
/// processes die or links break), which run alone: beside them, a test of a timeout would
/// measure the other test's load rather than the server.
static MACHINE: LazyLock<Arc<RwLock<()>>> = LazyLock::new(Arc::default);

/// A test's share of the machine: held while its game runs.
pub enum MachineShare {
    Shared(#[allow(dead_code)] OwnedRwLockReadGuard<()>),
    Alone(#[allow(dead_code)] OwnedRwLockWriteGuard<()>),
}

/// Waits for the machine: beside other tests, or `alone`.
pub async fn machine(alone: bool) -> MachineShare {
    if alone {
        MachineShare::Alone(MACHINE.clone().write_owned().await)
    } else {
        MachineShare::Shared(MACHINE.clone().read_owned().await)
    }
}

fn unique(prefix: &str) -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    format!("{prefix}{secs}_{:08x}", rand::random::<u32>())
}

/// Drops test databases older than an hour (left by tests that panicked before `stop`).
async fn sweep_old_databases(admin: &mut PgConnection) {
    let names: Vec<String> =
        sqlx::query_scalar("SELECT datname FROM pg_database WHERE datname LIKE 'button_test_%'")
            .fetch_all(&mut *admin)
            .await
            .unwrap_or_default();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    for name in names {
        let created: Option<u64> = name
            .strip_prefix("button_test_")
            .and_then(|rest| rest.split('_').next())
            .and_then(|secs| secs.parse().ok());
        if created.is_some_and(|secs| secs + 3_600 < now) {
            let _ = admin
                .execute(format!(r#"DROP DATABASE IF EXISTS "{name}" WITH (FORCE)"#).as_str())
                .await;
        }
    }
}

/// Starts a game: a fresh database, a fresh namespace, the web server on a free port.
pub async fn spawn_app(options: TestOptions) -> TestApp {
    let machine = machine(options.alone).await;
    let database = unique("button_test_");
    let mut admin = PgConnection::connect(&pg_url("postgres"))
        .await
        .expect("PostgreSQL must run on 127.0.0.1:5432 (or at BUTTON_PG_URL)");
    sweep_old_databases(&mut admin).await;
    admin
        .execute(format!(r#"CREATE DATABASE "{database}""#).as_str())
        .await
        .unwrap_or_else(|e| panic!("creating {database}: {e}"));

    let rules_dir = tempfile::tempdir().expect("a temporary directory");
    let rules_path = rules_dir.path().join("rules.json");
    std::fs::write(
        &rules_path,
        serde_json::to_string(&options.rules).unwrap_or_default(),
    )
    .expect("writing the file");

    let settings = Settings {
        database_url: pg_url(&database),
        namespace: unique("t"),
        rules: Some(rules_path),
        nats_url: nats_url(options.settings.nats_url),
        ..options.settings
    };
    roles::migrate(&settings).await.expect("migrating");
    let pool = server::db::connect(&settings.database_url)
        .await
        .expect("the test's database");

    let site_root = options.site_root.unwrap_or_else(|| "target/site".into());
    let (base, shutdown, tasks) =
        start_roles(&settings, options.reducer, options.watcher, &site_root).await;
    let app = TestApp {
        base,
        names: Names::new(&settings.namespace),
        settings,
        pool,
        http: reqwest::Client::builder()
            .timeout(Duration::from_secs(15))
            .build()
            .expect("an HTTP client"),
        shutdown,
        rules_dir,
        tasks,
        machine: Some(machine),
    };
    app.wait_until_ready().await;
    app
}

/// Starts a web server (and, if asked, a reducer and a watcher) for `settings`.
async fn start_roles(
    settings: &Settings,
    reducer: bool,
    watcher: bool,
    site_root: &std::path::Path,
) -> (String, CancellationToken, Vec<JoinHandle<()>>) {
    let shutdown = CancellationToken::new();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a free port");
    let addr: SocketAddr = listener.local_addr().expect("the local address");
    let leptos_options = LeptosOptions::builder()
        .output_name("the-button")
        .site_root(site_root.to_string_lossy().as_ref())
        .build();
    let mut tasks = Vec::new();
    tasks.push(tokio::spawn({
        let (settings, shutdown) = (settings.clone(), shutdown.clone());
        async move {
            if let Err(e) = roles::serve(&settings, leptos_options, listener, shutdown).await {
                panic!("serve failed: {e}");
            }
        }
    }));
    if reducer {
        tasks.push(tokio::spawn({
            let (settings, shutdown) = (settings.clone(), shutdown.clone());
            async move {
                let _ = roles::reducer(&settings, shutdown).await;
            }
        }));
    }
    if watcher {
        tasks.push(tokio::spawn({
            let (settings, shutdown) = (settings.clone(), shutdown.clone());
            async move {
                let _ = roles::watcher(&settings, shutdown).await;
            }
        }));
    }
    (format!("http://{addr}"), shutdown, tasks)
}

/// Another web server of the same game (same database and namespace).
pub async fn spawn_server_for(app: &TestApp) -> TestApp {
    let (base, shutdown, tasks) =
        start_roles(&app.settings, false, false, "target/site".as_ref()).await;
    let other = TestApp {
        base,
        settings: app.settings.clone(),
        names: app.names.clone(),
        pool: app.pool.clone(),
        http: app.http.clone(),
        shutdown,
        rules_dir: tempfile::tempdir().expect("a temporary directory"),
        tasks,
        // The first server's test holds the machine for both.
        machine: None,
    };
    other.wait_until_ready().await;
    other
}

/// Two players' tokens, as their browsers would send them.
pub const AMBER: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
pub const BASIL: &str = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

/// An address for the n-th simulated player (sent as `X-Forwarded-For` by the trusted test peer).
pub fn player(n: u32) -> String {
    format!("198.51.{}.{}", (n / 250) % 250, n % 250 + 1)
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn wait_until_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(r) = self.http.get(self.url("/health/ready")).send().await
                && r.status() == 200
            {
                return;
            }
            assert!(Instant::now() < deadline, "the game did not become ready");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// `/metrics` as Prometheus text.
    pub async fn metrics_text(&self) -> String {
        self.http
            .get(self.url("/metrics"))
            .send()
            .await
            .expect("GET /metrics")
            .text()
            .await
            .expect("the metrics text")
    }

    /// A reducer of this game inside the test process, reaching NATS at `nats_url` (the game's
    /// own when `None`); it runs until the token is cancelled.
    pub fn start_reducer(&self, nats_url: Option<String>) -> RunningReducer {
        let settings = Settings {
            nats_url: nats_url.unwrap_or_else(|| self.settings.nats_url.clone()),
            ..self.settings.clone()
        };
        let stop = CancellationToken::new();
        let task = tokio::spawn({
            let stop = stop.clone();
            async move {
                let _ = roles::reducer(&settings, stop).await;
            }
        });
        RunningReducer { stop, task }
    }

    /// `GET path`, decoded.
    pub async fn get_json<T: serde::de::DeserializeOwned>(&self, path: &str) -> T {
        self.http
            .get(self.url(path))
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {e}"))
            .json()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {e}"))
    }

    pub async fn challenge(&self) -> Challenge {
        self.get_json("/v1/challenge").await
    }

    /// A challenge, or why none came (a status other than 200, or no answer).
    pub async fn try_challenge(&self) -> Result<Challenge, String> {
        let response = self
            .http
            .get(self.url("/v1/challenge"))
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if response.status() != 200 {
            return Err(format!("status {}", response.status()));
        }
        response.json().await.map_err(|e| e.to_string())
    }

    /// The status of a press and, for an error, its code; or the error if no answer came.
    pub async fn try_post_press(
        &self,
        player: &str,
        body: &serde_json::Value,
    ) -> Result<(u16, Option<app::wire::ErrorCode>), reqwest::Error> {
        let response = self
            .http
            .post(self.url("/v1/events/press"))
            .header("x-forwarded-for", player)
            .json(body)
            .send()
            .await?;
        let status = response.status().as_u16();
        if status == 202 {
            return Ok((status, None));
        }
        let code = response
            .json::<app::wire::ErrorBody>()
            .await
            .ok()
            .map(|body| body.error);
        Ok((status, code))
    }

    /// A press that solves `challenge`.
    pub fn solve(challenge: Challenge) -> PressRequest {
        let nonce =
            match pow_wasm::solve(&challenge.challenge_id, challenge.difficulty, 0, u64::MAX) {
                pow_wasm::Solve::Found { nonce, .. } => nonce,
                pow_wasm::Solve::NotFound { .. } => panic!("no nonce found"),
            };
        PressRequest::new(challenge, nonce)
    }

    /// A challenge signed with the test secret, for cases the server would never issue.
    pub fn forge(challenge_id: &str, difficulty: u32, expires_at: i64) -> Challenge {
        let secret = Settings::for_tests().pow_secret.expect("the tests' secret");
        ChallengeKey::new(secret.as_bytes())
            .expect("a key of the tests' secret")
            .issue_with_id(challenge_id.into(), difficulty, expires_at)
    }

    /// `GET path`, from the tests' own address.
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http
            .get(self.url(path))
            .send()
            .await
            .expect("an answer")
    }

    pub async fn post_press(&self, player: &str, body: &serde_json::Value) -> reqwest::Response {
        self.http
            .post(self.url("/v1/events/press"))
            .header("x-forwarded-for", player)
            .json(body)
            .send()
            .await
            .expect("an answer")
    }

    /// Gets a challenge, solves it, presses as `player`.
    pub async fn press(&self, player: &str) -> reqwest::Response {
        let request = Self::solve(self.challenge().await);
        self.post_press(player, &serde_json::to_value(&request).unwrap_or_default())
            .await
    }

    /// Gets a challenge, solves it, presses from the address `player` with the player token
    /// `token`: the 202's body (it panics on any other answer).
    pub async fn press_as(&self, player: &str, token: &str) -> app::wire::PressAccepted {
        let request = Self::solve(self.challenge().await).by(token);
        let response = self
            .post_press(player, &serde_json::to_value(&request).unwrap_or_default())
            .await;
        assert_eq!(response.status(), 202, "a press by {token}");
        response.json().await.expect("a 202's body")
    }

    /// The receipt of `press_id`.
    pub async fn receipt(&self, press_id: app::game::PressId) -> app::wire::Receipt {
        self.get_json(&format!("/v1/presses/{press_id}")).await
    }

    pub async fn current(&self) -> CurrentState {
        self.get_json("/v1/states/current").await
    }

    /// The committed state in PostgreSQL (initial values before any commit).
    pub async fn committed(&self) -> Option<State> {
        server::db::current_state(&self.pool)
            .await
            .expect("the committed state")
    }

    /// Waits until the committed counter reaches `counter`.
    pub async fn wait_for_counter(&self, counter: u64, within: Duration) -> State {
        let deadline = Instant::now() + within;
        loop {
            if let Some(state) = self.committed().await
                && state.counter >= counter
            {
                return state;
            }
            let seen = self.committed().await.map(|s| s.counter);
            assert!(
                Instant::now() < deadline,
                "counter did not reach {counter} (at {seen:?})"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until the reducer has written the tally of every stored press (the leaderboards,
    /// the countries and the minutes' players follow the presses by at most a few seconds, and
    /// by about 100 ms once the game is quiet).
    pub async fn wait_until_tallied(&self) {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let untallied: i64 = sqlx::query_scalar(
                "SELECT count(*) FROM presses WHERE seq > (SELECT through_seq FROM tallied)",
            )
            .fetch_one(&self.pool)
            .await
            .expect("querying the tally");
            if untallied == 0 {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "{untallied} presses still untallied"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn presses_rows(&self) -> i64 {
        sqlx::query_scalar("SELECT count(*) FROM presses")
            .fetch_one(&self.pool)
            .await
            .expect("the query runs")
    }

    pub async fn distinct_seqs(&self) -> i64 {
        sqlx::query_scalar("SELECT count(DISTINCT seq) FROM presses")
            .fetch_one(&self.pool)
            .await
            .expect("the query runs")
    }

    /// How many messages the events stream holds.
    pub async fn stream_messages(&self) -> u64 {
        let client = async_nats::connect(
            server::bus::server_addrs(&self.settings.nats_url).expect("NATS URLs"),
        )
        .await
        .expect("connecting to NATS");
        let js = async_nats::jetstream::new(client);
        let mut stream = js
            .get_stream(self.names.events_stream())
            .await
            .expect("the events stream");
        stream
            .info()
            .await
            .map(|info| info.state.messages)
            .expect("the events stream's info")
    }

    /// Runs `the-button reducer` as a child process of this test.
    pub fn spawn_reducer_process(&self) -> ReducerProcess {
        let mut command = Command::new(env!("CARGO_BIN_EXE_the-button"));
        command
            .arg("reducer")
            .env("DATABASE_URL", &self.settings.database_url)
            .env("NATS_URL", &self.settings.nats_url)
            .env("BUTTON_NAMESPACE", &self.settings.namespace)
            .env(
                "BUTTON_STREAM_REPLICAS",
                self.settings.stream_replicas.to_string(),
            )
            .env("BUTTON_REDUCER_BATCH_WAIT_MS", "10")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit());
        if let Some(rules) = &self.settings.rules {
            command.env("BUTTON_RULES", rules);
        }
        ReducerProcess(command.spawn().expect("starting a reducer"))
    }

    /// Stops this process's roles only (the game's data stays).
    pub async fn stop_server(self) {
        self.shutdown.cancel();
        for task in self.tasks {
            let _ = tokio::time::timeout(Duration::from_secs(10), task).await;
        }
    }

    /// Stops the game and drops its database and stream.
    pub async fn stop(mut self) {
        self.shutdown.cancel();
        for task in std::mem::take(&mut self.tasks) {
            let _ = tokio::time::timeout(Duration::from_secs(10), task).await;
        }
        self.pool.close().await;
        if let Ok(client) = async_nats::connect(
            server::bus::server_addrs(&self.settings.nats_url).expect("NATS URLs"),
        )
        .await
        {
            let js = async_nats::jetstream::new(client);
            let _ = js.delete_stream(self.names.events_stream()).await;
            let _ = js.delete_key_value(self.names.cooldown_bucket()).await;
        }
        if let Ok(mut admin) = PgConnection::connect(&pg_url("postgres")).await {
            let database = self
                .settings
                .database_url
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_owned();
            let _ = admin
                .execute(format!(r#"DROP DATABASE IF EXISTS "{database}" WITH (FORCE)"#).as_str())
                .await;
        }
    }
}

/// A reducer started by [`TestApp::start_reducer`].
pub struct RunningReducer {
    stop: CancellationToken,
    task: JoinHandle<()>,
}

impl RunningReducer {
    /// Stops it as a shutdown would, and waits for it.
    pub async fn stop(self) {
        self.stop.cancel();
        let _ = self.task.await;
    }
}

/// A reducer process of the test's own. Killed when dropped: a test that fails must not leave
/// one behind (it would hold the test run's output open, and the run would never end).
pub struct ReducerProcess(Child);

impl std::ops::Deref for ReducerProcess {
    type Target = Child;

    fn deref(&self) -> &Child {
        &self.0
    }
}

impl std::ops::DerefMut for ReducerProcess {
    fn deref_mut(&mut self) -> &mut Child {
        &mut self.0
    }
}

impl Drop for ReducerProcess {
    fn drop(&mut self) {
        if matches!(self.0.try_wait(), Ok(None)) {
            kill_9(&mut self.0);
        }
    }
}

/// Sends SIGKILL (no clean-up, as a crash would).
pub fn kill_9(child: &mut Child) {
    let _ = Command::new("kill")
        .args(["-KILL", &child.id().to_string()])
        .status();
    let _ = child.wait();
}
