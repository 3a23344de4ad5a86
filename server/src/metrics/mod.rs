//! Prometheus metrics for operators: what the game does, as `/metrics` shows it.
//!
//! One recorder per process (the roles of `all` share it). Names:
//! - `button_presses_total{outcome}`: press requests by answer (`accepted` or the error code)
//! - `button_challenges_issued_total`
//! - `button_receipts_pushed_total`: receipts handed to the live stream of the page that pressed
//! - `button_reducer_batch_size`, `button_reducer_commit_seconds`: per committed batch
//! - `button_reducer_tallies_total`, `button_reducer_tallied_presses_total`: tallies written
//!   (leaderboards, countries, minutes' players) and the presses they summed
//! - `button_reducer_lag`: events in the stream the reducer has not acknowledged yet
//! - `button_poison_messages_total`: undecodable events passed over
//! - `button_events_removed_total`: applied events removed from the stream past the window
//! - `button_reducer_rereads_total`: times the reducer read again from the seq it expects
//! - `button_reducer_used_challenges_total`: presses skipped because their challenge was used
//! - `button_sse_clients`: open live streams on this web server
//! - `button_connections_refused_total`: connections closed at once at the connection cap
//! - `button_phase`, `button_state_id`: the state this web server knows
//!
//! A web server serves them on its own `/metrics`; a `reducer` or `watcher` process on a
//! listener of its own ([`endpoint`]).

pub mod endpoint;

use std::sync::OnceLock;
use std::time::Duration;

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use tracing::warn;

static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// How often the recorder folds what the histograms recorded into their buckets. A sample waits
/// in a queue until then, or until a scrape renders it: in a process nobody scrapes (a reducer
/// without `BUTTON_METRICS_ADDR`, or between two scrapes an hour apart), every committed batch
/// would otherwise stay in memory for good.
pub const UPKEEP_EVERY: Duration = Duration::from_secs(5);

/// Installs the process's recorder (once), with its upkeep every [`UPKEEP_EVERY`] on a thread
/// of its own; `None` if another recorder was installed first.
pub fn install() -> Option<PrometheusHandle> {
    HANDLE
        .get_or_init(|| {
            let builder = PrometheusBuilder::new()
                .set_buckets_for_metric(
                    Matcher::Full("button_reducer_commit_seconds".into()),
                    &[0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0],
                )
                .and_then(|b| {
                    b.set_buckets_for_metric(
                        Matcher::Full("button_reducer_batch_size".into()),
                        &[1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0],
                    )
                })
                .ok()?;
            let handle = builder.install_recorder().ok()?;
            spawn_upkeep(handle.clone());
            register_at_zero();
            Some(handle)
        })
        .clone()
}

/// The recorder's upkeep, for the life of the process. A thread rather than a task: the recorder
/// is the process's, not one runtime's (tests start and stop runtimes under it).
fn spawn_upkeep(handle: PrometheusHandle) {
    let spawned = std::thread::Builder::new()
        .name("metrics-upkeep".into())
        .spawn(move || upkeep_forever(&handle));
    if let Err(error) = spawned {
        warn!(%error, "no upkeep for the metrics: histograms grow until each scrape");
    }
}

fn upkeep_forever(handle: &PrometheusHandle) {
    loop {
        std::thread::sleep(UPKEEP_EVERY);
        handle.run_upkeep();
    }
}

/// Every counter and gauge exists from the start, at zero, as Prometheus expects (a series
/// that appears only with its first event breaks `rate()` and alerts on absence).
fn register_at_zero() {
    use app::wire::ErrorCode;
    let outcomes = [
        "accepted",
        ErrorCode::InvalidBody.as_str(),
        ErrorCode::BadSignature.as_str(),
        ErrorCode::Expired.as_str(),
        ErrorCode::InsufficientWork.as_str(),
        ErrorCode::Cooldown.as_str(),
        ErrorCode::RateLimited.as_str(),
        ErrorCode::ChallengeUsed.as_str(),
        ErrorCode::TooLarge.as_str(),
        ErrorCode::Timeout.as_str(),
        ErrorCode::Unavailable.as_str(),
        ErrorCode::Paused.as_str(),
        ErrorCode::Internal.as_str(),
    ];
    for outcome in outcomes {
        metrics::counter!("button_presses_total", "outcome" => outcome).increment(0);
    }
    for counter in [
        "button_challenges_issued_total",
        "button_receipts_pushed_total",
        "button_rate_limited_total",
        "button_poison_messages_total",
        "button_reducer_rereads_total",
        "button_reducer_used_challenges_total",
        "button_connections_refused_total",
        "button_events_removed_total",
        "button_admin_refused_total",
    ] {
        metrics::counter!(counter).increment(0);
    }
    for gauge in [
        "button_sse_clients",
        "button_reducer_lag",
        "button_rate_limited_players",
    ] {
        metrics::gauge!(gauge).set(0.0);
    }
}

/// Counts a press request by its answer.
pub fn press_outcome(outcome: &'static str) {
    metrics::counter!("button_presses_total", "outcome" => outcome).increment(1);
}

/// Counts an issued challenge.
pub fn challenge_issued() {
    metrics::counter!("button_challenges_issued_total").increment(1);
}

/// Counts a receipt handed to its page's live stream.
pub fn receipt_pushed() {
    metrics::counter!("button_receipts_pushed_total").increment(1);
}

/// Records a committed batch.
pub fn batch_committed(events: usize, commit_seconds: f64) {
    metrics::histogram!("button_reducer_batch_size").record(events as f64);
    metrics::histogram!("button_reducer_commit_seconds").record(commit_seconds);
}

/// Records a written tally of `presses` presses.
pub fn tally_written(presses: usize) {
    metrics::counter!("button_reducer_tallies_total").increment(1);
    metrics::counter!("button_reducer_tallied_presses_total").increment(presses as u64);
}

/// Events the reducer has yet to acknowledge.
pub fn reducer_lag(pending: u64) {
    metrics::gauge!("button_reducer_lag").set(pending as f64);
}

/// Counts a time the reducer read the events again from the seq it expects (a hole in a batch,
/// a reconnect, a stream holding events while none came).
pub fn reducer_reread() {
    metrics::counter!("button_reducer_rereads_total").increment(1);
}

/// Counts applied events removed from the stream past the duplicate window.
pub fn events_removed(removed: u64) {
    metrics::counter!("button_events_removed_total").increment(removed);
}

/// Counts a press skipped by the reducer because its challenge already bought a press.
pub fn used_challenge_skipped() {
    metrics::counter!("button_reducer_used_challenges_total").increment(1);
}

/// Counts a terminated undecodable event.
pub fn poison_message() {
    metrics::counter!("button_poison_messages_total").increment(1);
}

/// The state this web server knows.
pub fn state_seen(state: &app::game::State) {
    metrics::gauge!("button_phase").set(state.phase.index() as f64);
    metrics::gauge!("button_state_id").set(state.id as f64);
    metrics::gauge!("button_season").set(f64::from(state.season));
    metrics::gauge!("button_paused").set(if state.paused { 1.0 } else { 0.0 });
}

/// Counts a request to the admin API refused for its token (someone trying tokens shows here).
pub fn admin_refused() {
    metrics::counter!("button_admin_refused_total").increment(1);
}

/// Open live streams on this web server.
pub fn sse_clients(open: u32) {
    metrics::gauge!("button_sse_clients").set(f64::from(open));
}

/// Counts a connection closed at once because the connection cap was reached.
pub fn connection_refused() {
    metrics::counter!("button_connections_refused_total").increment(1);
}
