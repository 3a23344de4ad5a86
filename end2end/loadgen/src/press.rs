//! `loadgen press`: real presses over HTTP with real proof of work, at a target rate (open loop)
//! from many virtual players, made the way the page makes them: a player's first press asks for
//! a challenge, each next one uses the challenge its last 202 brought (one request a press), and
//! names the player's viewer so the reducer publishes its receipt. Reports accepted/s, answers by
//! status, requests per press, the 202's latency, and press → SSE delivery of the state that
//! contains it; then checks PostgreSQL for every 202.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::{Duration, Instant};

use app::wire::{Challenge, ErrorBody, ErrorCode, PressAccepted, PressRequest};
use futures::StreamExt;
use tokio::sync::{Mutex, Semaphore};

use server::settings::Settings;

use crate::frames::Frames;
use crate::{LoadgenError, PressArgs, deadline, stats::Latencies};

#[derive(Default)]
struct Results {
    statuses: HashMap<u16, u64>,
    /// HTTP requests made for presses (challenges and presses).
    requests: u64,
    accepted: Vec<(uuid::Uuid, Instant)>,
    accept_latency: Latencies,
    skipped: u64,
    /// Challenges of presses the server refused (4xx, 503 `unavailable`): none may have been
    /// taken.
    refused: Vec<String>,
    /// Challenges of presses sent without an answer, or answered 503 `unconfirmed`: taken or
    /// not, nobody was told.
    unanswered: Vec<String>,
}

/// What became of one press.
struct Attempt {
    /// 0: no answer.
    status: u16,
    /// The challenge, once the press was sent.
    challenge_id: Option<String>,
    accepted: Option<(uuid::Uuid, Instant)>,
    latency: Duration,
    /// Answered 503 `unconfirmed`: it may have been taken.
    unconfirmed: bool,
    /// Requests it took (1 with a challenge in hand, 2 without).
    requests: u64,
    /// The challenge for the player's next press, from the 202.
    next_challenge: Option<Challenge>,
}

/// The address of virtual player `n`, sent as `X-Forwarded-For` (a header only: all traffic goes
/// to the loopback target). 198.18.0.0/15 is the range set aside for benchmarks.
pub(crate) fn player_address(n: u32) -> String {
    let n = n % 131_072;
    format!("198.{}.{}.{}", 18 + n / 65_536, (n / 256) % 256, n % 256)
}

/// The player token of virtual player `n`: each presses as a player of its own, so that the
/// players' totals are loaded too.
pub(crate) fn player_token(n: u32) -> String {
    format!("loadgen-player-{n:08}")
}

/// The viewer id of virtual player `n`'s page: its presses' receipts are published for it.
pub(crate) fn player_viewer(n: u32) -> String {
    format!("{n:032x}")
}

/// What `loadgen press` measured.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PressReport {
    /// Presses started.
    pub started: u64,
    /// Seconds from the first start to the last answer.
    pub seconds: f64,
    /// Starts skipped because `in_flight` presses were under way.
    pub skipped: u64,
    /// Presses answered 202.
    pub accepted: u64,
    /// Answers by HTTP status (0: no answer).
    pub statuses: BTreeMap<u16, u64>,
    /// HTTP requests per press started (a challenge and the press for a player's first press,
    /// the press alone after it).
    pub requests_per_press: f64,
    /// Sent → 202.
    pub accept_latency: Latencies,
    /// 202 → the first state containing the press reaching a live client.
    pub to_sse: Latencies,
    /// Accepted presses per second.
    pub accepted_per_second: f64,
    /// Presses refused (4xx, 503 `unavailable`): none of them may be taken.
    pub refused: Taken,
    /// Presses sent without an answer, or answered 503 `unconfirmed`: each may be taken, once.
    pub unanswered: Taken,
}

/// Presses of one kind, and how many of them PostgreSQL holds.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Taken {
    /// How many were sent.
    pub presses: usize,
    /// How many of them were applied.
    pub taken: i64,
}

impl std::fmt::Display for PressReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "press: {} presses started in {:.2} s ({} skipped: too many under way)",
            self.started, self.seconds, self.skipped
        )?;
        writeln!(
            f,
            "press: {} accepted, {:.0} accepted/s",
            self.accepted, self.accepted_per_second
        )?;
        writeln!(
            f,
            "press: answers by status {:?} (0 = no answer); {:.2} requests per press",
            self.statuses, self.requests_per_press
        )?;
        writeln!(f, "press: 202 latency {}", self.accept_latency.summary())?;
        writeln!(f, "press: 202 → state on SSE {}", self.to_sse.summary())?;
        writeln!(
            f,
            "press: {} refused presses, {} of them taken; {} presses got no answer, {} of them taken",
            self.refused.presses,
            self.refused.taken,
            self.unanswered.presses,
            self.unanswered.taken
        )?;
        write!(
            f,
            "press: every one of the {} accepted presses is in PostgreSQL exactly once",
            self.accepted
        )
    }
}

/// Runs the load; fails if a 202 is missing from PostgreSQL or a refused press was taken.
pub async fn run(args: &PressArgs, settings: &Settings) -> Result<PressReport, LoadgenError> {
    let setup = |e: &dyn std::fmt::Display| LoadgenError::Setup(e.to_string());
    let base = args.url.trim_end_matches('/').to_owned();
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(args.in_flight)
        .timeout(Duration::from_secs(30))
        .build()
        .map_err(|e| setup(&e))?;

    // One live client: when does each state reach a browser?
    let arrivals: Arc<Mutex<HashMap<u64, Instant>>> = Arc::default();
    let watch_until = deadline(args.seconds + 15);
    let watcher = tokio::spawn(watch_states(
        http.clone(),
        base.clone(),
        arrivals.clone(),
        watch_until,
    ));

    let results: Arc<Mutex<Results>> = Arc::default();
    // Each player's next challenge, from its last 202.
    let ahead: Arc<std::sync::Mutex<HashMap<u32, Challenge>>> = Arc::default();
    let slots = Arc::new(Semaphore::new(args.in_flight.max(1)));
    let stop = deadline(args.seconds);
    let mut ticker = tokio::time::interval(Duration::from_secs_f64(1.0 / args.rate.max(1) as f64));
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let started = Instant::now();
    let mut started_presses = 0u64;
    while started_presses < args.count && tokio::time::Instant::now() < stop {
        ticker.tick().await;
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            results.lock().await.skipped += 1;
            continue;
        };
        let n = (started_presses % u64::from(args.players.max(1))) as u32;
        let (address, token) = (player_address(n), player_token(n));
        started_presses += 1;
        let (http, base, results, ahead) =
            (http.clone(), base.clone(), results.clone(), ahead.clone());
        tokio::spawn(async move {
            let _slot = slot;
            let in_hand = ahead
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .remove(&n);
            let player = (address.as_str(), token.as_str(), player_viewer(n));
            let mut attempt = press_once(&http, &base, player, in_hand).await;
            if let Some(next) = attempt.next_challenge.take() {
                ahead
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .insert(n, next);
            }
            let mut results = results.lock().await;
            results.requests += attempt.requests;
            *results.statuses.entry(attempt.status).or_default() += 1;
            match (attempt.accepted, attempt.challenge_id) {
                (Some(press), _) => {
                    results.accepted.push(press);
                    results.accept_latency.record(attempt.latency);
                }
                (None, Some(challenge)) if attempt.status == 0 || attempt.unconfirmed => {
                    results.unanswered.push(challenge)
                }
                (None, Some(challenge)) => results.refused.push(challenge),
                (None, None) => {}
            }
        });
    }
    // Wait for the presses under way.
    let _all = slots.acquire_many(args.in_flight.max(1) as u32).await;
    let elapsed = started.elapsed().as_secs_f64();

    let results = std::mem::take(&mut *results.lock().await);

    // Every 202 must be in PostgreSQL exactly once (the reducer may need a moment).
    let pool = server::db::connect(&settings.database_url)
        .await
        .map_err(|e| setup(&e))?;
    let ids: Vec<uuid::Uuid> = results.accepted.iter().map(|(id, _)| *id).collect();
    let mut applied: Vec<(uuid::Uuid, i64)> = Vec::new();
    for _ in 0..60 {
        applied = sqlx::query_as("SELECT press_id, state_id FROM presses WHERE press_id = ANY($1)")
            .bind(&ids)
            .fetch_all(&pool)
            .await
            .map_err(|e| setup(&e))?;
        if applied.len() == ids.len() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let _ = tokio::time::timeout(Duration::from_secs(3), watcher).await;

    // A live client may skip states (it gets the newest): a press reached it with the first
    // state at or after the one that contains it.
    let arrivals: BTreeMap<u64, Instant> = arrivals
        .lock()
        .await
        .iter()
        .map(|(k, v)| (*k, *v))
        .collect();
    let accepted_at: HashMap<uuid::Uuid, Instant> = results.accepted.iter().copied().collect();
    let mut to_sse = Latencies::default();
    for (press_id, state_id) in &applied {
        let seen = arrivals.range(*state_id as u64..).map(|(_, at)| *at).min();
        let (Some(at), Some(seen)) = (accepted_at.get(press_id), seen) else {
            continue;
        };
        to_sse.record(seen.saturating_duration_since(*at));
    }
    // A refused press (4xx, 503) must not have been taken; an unanswered one may have been.
    let taken = |challenges: Vec<String>| {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(
                "SELECT count(*) FROM presses WHERE challenge_id = ANY($1)",
            )
            .bind(challenges)
            .fetch_one(&pool)
            .await
        }
    };
    let refused_taken = taken(results.refused.clone())
        .await
        .map_err(|e| setup(&e))?;
    let unanswered_taken = taken(results.unanswered.clone())
        .await
        .map_err(|e| setup(&e))?;
    if refused_taken > 0 {
        return Err(LoadgenError::RefusedTaken(refused_taken));
    }
    let missing = ids.len().saturating_sub(applied.len());
    if missing == 0 {
        Ok(PressReport {
            started: started_presses,
            seconds: elapsed,
            skipped: results.skipped,
            accepted: ids.len() as u64,
            statuses: results.statuses.into_iter().collect(),
            requests_per_press: results.requests as f64 / started_presses.max(1) as f64,
            accept_latency: results.accept_latency,
            to_sse,
            accepted_per_second: ids.len() as f64 / elapsed.max(1e-9),
            refused: Taken {
                presses: results.refused.len(),
                taken: refused_taken,
            },
            unanswered: Taken {
                presses: results.unanswered.len(),
                taken: unanswered_taken,
            },
        })
    } else {
        Err(LoadgenError::Lost {
            missing,
            accepted: ids.len(),
        })
    }
}

/// (Challenge,) solve, press: the challenge in hand if it has not expired, else a new one.
async fn press_once(
    http: &reqwest::Client,
    base: &str,
    (address, token, viewer): (&str, &str, String),
    in_hand: Option<Challenge>,
) -> Attempt {
    let mut attempt = Attempt {
        status: 0,
        challenge_id: None,
        accepted: None,
        latency: Duration::ZERO,
        unconfirmed: false,
        requests: 0,
        next_challenge: None,
    };
    let fresh = |challenge: &Challenge| challenge.expires_at > server::clock::now_ms() + 2_000;
    let challenge = match in_hand.filter(fresh) {
        Some(challenge) => Some(challenge),
        None => {
            attempt.requests += 1;
            match http
                .get(format!("{base}/v1/challenge"))
                .header("x-forwarded-for", address)
                .send()
                .await
            {
                Ok(response) if response.status().is_success() => {
                    response.json::<Challenge>().await.ok()
                }
                Ok(response) => {
                    attempt.status = response.status().as_u16();
                    return attempt;
                }
                Err(_) => None,
            }
        }
    };
    // No challenge: no press was sent.
    let Some(challenge) = challenge else {
        return attempt;
    };
    attempt.challenge_id = Some(challenge.challenge_id.clone());
    let (id, bits) = (challenge.challenge_id.clone(), challenge.difficulty);
    let solve = move || match pow_wasm::solve(&id, bits, 0, u64::MAX) {
        pow_wasm::Solve::Found { nonce, .. } => nonce,
        pow_wasm::Solve::NotFound { .. } => 0,
    };
    // Easy challenges are solved in microseconds; hard ones off the async threads.
    let nonce = if bits <= 12 {
        solve()
    } else {
        tokio::task::spawn_blocking(solve).await.unwrap_or(0)
    };
    let sent = Instant::now();
    attempt.requests += 1;
    let Ok(response) = http
        .post(format!("{base}/v1/events/press"))
        .header("x-forwarded-for", address)
        .json(
            &PressRequest::new(challenge, nonce)
                .by(token)
                .seen_by(viewer),
        )
        .send()
        .await
    else {
        return attempt; // sent, but no answer
    };
    attempt.latency = sent.elapsed();
    let status = response.status().as_u16();
    if status == 202 {
        // A 202 whose body got lost is still an answer we cannot tie to a press id.
        let Ok(accepted) = response.json::<PressAccepted>().await else {
            return attempt;
        };
        attempt.accepted = Some((accepted.press_id.0, Instant::now()));
        attempt.next_challenge = accepted.next_challenge;
    } else if status == 503 {
        // Unreadable: as good as no answer, so it may have been taken.
        attempt.unconfirmed = response
            .json::<ErrorBody>()
            .await
            .map_or(true, |body| body.error == ErrorCode::Unconfirmed);
    }
    attempt.status = status;
    attempt
}

/// Records when each state id first reaches an SSE client.
async fn watch_states(
    http: reqwest::Client,
    base: String,
    arrivals: Arc<Mutex<HashMap<u64, Instant>>>,
    until: tokio::time::Instant,
) {
    let Ok(response) = http
        .get(format!("{base}/v1/states/stream"))
        .timeout(Duration::from_secs(3_600))
        .send()
        .await
    else {
        return;
    };
    let mut body = response.bytes_stream();
    let mut frames = Frames::default();
    while let Ok(Some(Ok(chunk))) = tokio::time::timeout_at(until, body.next()).await {
        frames.push(&chunk);
        while let Some(frame) = frames.next_frame() {
            if let Some(id) = frame.numeric_id() {
                arrivals.lock().await.entry(id).or_insert_with(Instant::now);
            }
        }
    }
}
