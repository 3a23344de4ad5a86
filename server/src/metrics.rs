//! Prometheus metrics for operators: what the game does, as `/metrics` shows it.
//!
//! One recorder per process (the roles of `all` share it). Names:
//! - `button_presses_total{outcome}`: press requests by answer (`accepted` or the error code)
//! - `button_challenges_issued_total`
//! - `button_reducer_batch_size`, `button_reducer_commit_seconds`: per committed batch
//! - `button_reducer_lag`: events in the stream the reducer has not acknowledged yet
//! - `button_poison_messages_total`: undecodable events passed over
//! - `button_reducer_rereads_total`: times the reducer read again from the seq it expects
//! - `button_reducer_used_challenges_total`: presses skipped because their challenge was used
//! - `button_sse_clients`: open live streams on this web server
//! - `button_phase`, `button_state_id`: the state this web server knows

use std::sync::OnceLock;

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// Installs the process's recorder (once); `None` if another recorder was installed first.
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
            builder.install_recorder().ok()
        })
        .clone()
}

/// Counts a press request by its answer.
pub fn press_outcome(outcome: &'static str) {
    metrics::counter!("button_presses_total", "outcome" => outcome).increment(1);
}

/// Counts an issued challenge.
pub fn challenge_issued() {
    metrics::counter!("button_challenges_issued_total").increment(1);
}

/// Records a committed batch.
pub fn batch_committed(events: usize, commit_seconds: f64) {
    metrics::histogram!("button_reducer_batch_size").record(events as f64);
    metrics::histogram!("button_reducer_commit_seconds").record(commit_seconds);
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
}

/// Counts an open SSE stream while it lives.
pub struct SseClientGuard;

impl SseClientGuard {
    /// One more open stream.
    pub fn open() -> SseClientGuard {
        metrics::gauge!("button_sse_clients").increment(1.0);
        SseClientGuard
    }
}

impl Drop for SseClientGuard {
    fn drop(&mut self) {
        metrics::gauge!("button_sse_clients").decrement(1.0);
    }
}
