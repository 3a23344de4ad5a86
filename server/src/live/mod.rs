//! The web server's copy of the live state: one NATS subscription per process, the newest state,
//! the feed of the newest presses and the newest moments in a `watch` channel that every SSE client reads (so a slow
//! client skips to the newest state instead of queueing a backlog), handed over at the [`Pace`]
//! the clients take them at; beside it, the [`crowd`]: who is watching, how many pressed lately;
//! and the [`viewers`]: the streams whose pages wait for their presses' receipts.

pub mod crowd;
pub mod frame;
mod pace;
mod streams;
pub mod viewers;

use std::ops::Deref;
use std::sync::Arc;
use std::time::Duration;

use app::game::State;
use app::wire::routes::{FEED_EVENT, FEED_NEW_EVENT, MOMENT_EVENT, NOTICE_EVENT, STATE_EVENT};
use app::wire::{Feed, FeedEntry, MomentEntry, Moments, Notice};
use bytes::Bytes;
use sqlx::PgPool;
use tokio::sync::{Notify, watch};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;
use tracing::{debug, warn};

pub use self::pace::{Handover, Pace, SLACK_PERCENT};
pub use self::streams::{LiveStreams, StreamRefused, StreamSlot};
use crate::names::Names;
use crate::{bus, db};

/// How often the state is reloaded from PostgreSQL even without news: states are published
/// best effort, PostgreSQL is the truth.
const RELOAD_EVERY: Duration = Duration::from_secs(5);

/// The newest state, and its SSE frame, encoded once for every client that streams it; and the
/// feed.
#[derive(Debug, Clone)]
pub struct LiveState {
    /// The state.
    pub state: State,
    /// `state` as the live stream sends it (`event: state_update`, `id:`, the JSON).
    pub frame: Bytes,
    /// `frame` followed by the feed's new presses (`event: feed_new`), when there are some: what
    /// nearly every client is sent, as one buffer (one reference to take and give back per
    /// client, one chunk on its socket).
    pub frame_and_new: Option<Bytes>,
    /// The newest presses (shared: a new state does not copy an unchanged feed).
    pub feed: Arc<LiveFeed>,
    /// How many live clients took this state: each says so once (see [`Pace`]).
    pub handover: Arc<Handover>,
}

impl LiveState {
    /// Encodes `state` once, with `feed`, to be handed over by `handover`.
    pub fn new(state: State, feed: Arc<LiveFeed>, handover: Arc<Handover>) -> LiveState {
        let json = serde_json::to_string(&state).unwrap_or_default();
        let frame = frame::frame(STATE_EVENT, Some(state.id), &json);
        let frame_and_new = feed
            .new_frame
            .as_ref()
            .filter(|new| !new.is_empty())
            .map(|new| frame::joined(&frame, new));
        LiveState {
            state,
            frame,
            frame_and_new,
            feed,
            handover,
        }
    }
}

/// What just happened: the feed and the newest moments (each newest first), and their SSE
/// frames, encoded once for every client.
#[derive(Debug, Default)]
pub struct LiveFeed {
    /// The newest presses.
    pub feed: Feed,
    /// `event: feed`: `feed.entries`.
    pub frame: Bytes,
    /// The newest moments, at most [`MOMENTS_LEN`].
    pub moments: Moments,
    /// `event: moment`: `moments.moments`.
    pub moments_frame: Bytes,
    /// What players are told of the newest operator's command, if any.
    pub notice: Option<Notice>,
    /// `event: notice` (empty without one).
    pub notice_frame: Bytes,
    /// One more than the feed it follows: a client that has the one before needs only
    /// [`LiveFeed::new_frame`].
    pub generation: u64,
    /// `event: feed_new`: the entries newer than the feed before, newest first (empty when there
    /// are none); `None` when this feed replaces the one before (reloaded from PostgreSQL)
    /// rather than adding to it.
    pub new_frame: Option<Bytes>,
}

/// How many of the newest moments the live stream carries: a client that missed some finds the
/// rest on the Moments page.
pub const MOMENTS_LEN: usize = 5;

impl LiveFeed {
    /// The feed after `before`, `feed` adding the presses newer than its own (each encoded once).
    pub fn after(
        before: &LiveFeed,
        feed: Feed,
        moments: Moments,
        notice: Option<Notice>,
    ) -> Arc<LiveFeed> {
        let newest = before.feed.newest_seq();
        let added: Vec<&FeedEntry> = feed.entries.iter().filter(|e| e.seq > newest).collect();
        let new_frame = if added.is_empty() {
            Bytes::new()
        } else {
            let json = serde_json::to_string(&added).unwrap_or_default();
            frame::frame(FEED_NEW_EVENT, None, &json)
        };
        let mut next = LiveFeed::build(feed, moments, notice);
        next.generation = before.generation + 1;
        next.new_frame = Some(new_frame);
        Arc::new(next)
    }

    /// The feed replacing `before` (a client gets it whole).
    pub fn replacing(
        before: &LiveFeed,
        feed: Feed,
        moments: Moments,
        notice: Option<Notice>,
    ) -> Arc<LiveFeed> {
        let mut next = LiveFeed::build(feed, moments, notice);
        next.generation = before.generation + 1;
        Arc::new(next)
    }

    /// Whether a client that was sent `sent` needs only this feed's new entries.
    pub fn follows(&self, sent: &LiveFeed) -> bool {
        self.new_frame.is_some() && self.generation == sent.generation + 1
    }

    /// Encodes `feed`, `moments` and `notice` once.
    fn build(feed: Feed, moments: Moments, notice: Option<Notice>) -> LiveFeed {
        let json = serde_json::to_string(&feed.entries).unwrap_or_default();
        let moments_json = serde_json::to_string(&moments.moments).unwrap_or_default();
        let notice_frame = notice
            .as_ref()
            .and_then(|notice| serde_json::to_string(notice).ok())
            .map_or_else(Bytes::new, |json| frame::frame(NOTICE_EVENT, None, &json));
        LiveFeed {
            frame: frame::frame(FEED_EVENT, None, &json),
            moments_frame: frame::frame(MOMENT_EVENT, None, &moments_json),
            feed,
            moments,
            notice,
            notice_frame,
            generation: 0,
            new_frame: None,
        }
    }

    /// The newest notice's seq, if any.
    pub fn notice_seq(&self) -> Option<u64> {
        self.notice.as_ref().map(|notice| notice.seq)
    }

    /// The newest moment's identity (its event's seq and its kind), if any.
    pub fn newest_moment(&self) -> Option<(u64, &'static str)> {
        self.moments.newest()
    }
}

impl Deref for LiveState {
    type Target = State;

    fn deref(&self) -> &State {
        &self.state
    }
}

/// Starts following the live state; the receiver holds the newest state sent to clients.
/// States go out at the pace the `clients` take them.
#[allow(clippy::too_many_arguments)]
pub async fn follow(
    pool: PgPool,
    client: async_nats::Client,
    names: &Names,
    initial: State,
    mut pace: Pace,
    clients: Arc<LiveStreams>,
    reconnected: Arc<Notify>,
    shutdown: CancellationToken,
) -> Result<watch::Receiver<LiveState>, async_nats::SubscribeError> {
    let (sender, receiver) = watch::channel(LiveState::new(
        initial,
        LiveFeed::default().into(),
        Handover::unpaced(),
    ));
    if let Some(state) = reload(&pool).await {
        offer(&sender, state, None, Handover::unpaced());
    }
    let mut feed = Feed::default();
    let mut moments = Moments::default();
    let mut notice: Option<Notice> = None;
    reload_feed(&sender, &mut feed, &mut moments, &mut notice, &pool).await;
    let mut states = bus::StateSubscription::follow(&client, names).await?;
    tokio::spawn(async move {
        let mut every = tokio::time::interval(RELOAD_EVERY);
        // The newest state not sent yet: it waits for its turn (the feed with it).
        let mut waiting: Option<State> = None;
        let mut feed_changed = false;
        loop {
            let arrived = tokio::select! {
                () = shutdown.cancelled() => break,
                message = states.next() => match message {
                    Some(decoded) => match decoded {
                        Ok(bus::StateMessage { state, feed: entries, moments: made, notice: told }) => {
                            // Committed presses, moments and commands, whatever becomes of their
                            // state below.
                            feed_changed |= merge_feed(&mut feed, entries);
                            feed_changed |= merge_moments(&mut moments, made);
                            if let Some(told) = told
                                && notice.as_ref().is_none_or(|held| told.seq > held.seq)
                            {
                                notice = Some(told);
                                feed_changed = true;
                            }
                            let newest = waiting.as_ref().map_or(sender.borrow().state.id, |w| w.id);
                            if state.id == newest + 1 {
                                Some(state)
                            } else if state.id > newest + 1 {
                                // A jump (states lost on the way) or an id PostgreSQL never
                                // wrote: PostgreSQL says what the state is.
                                debug!(newest, arrived = state.id, "a jump in the live states: reloading");
                                confirm(&sender, &mut waiting, &pool).await;
                                if reload_feed(&sender, &mut feed, &mut moments, &mut notice, &pool).await {
                                    feed_changed = false;
                                }
                                None
                            } else {
                                None
                            }
                        }
                        Err(error) => {
                            warn!(%error, "undecodable state on the state subject");
                            None
                        }
                    },
                    None => break,
                },
                // Whatever was published while disconnected is lost: catch up from PostgreSQL.
                () = reconnected.notified() => {
                    confirm(&sender, &mut waiting, &pool).await;
                    if reload_feed(&sender, &mut feed, &mut moments, &mut notice, &pool).await {
                        feed_changed = false;
                    }
                    None
                }
                _ = every.tick() => {
                    confirm(&sender, &mut waiting, &pool).await;
                    if reload_feed(&sender, &mut feed, &mut moments, &mut notice, &pool).await {
                        feed_changed = false;
                    }
                    None
                }
                () = pace.wait(), if waiting.is_some() => None,
            };
            if let Some(state) = arrived
                && waiting.as_ref().is_none_or(|w| state.id > w.id)
            {
                waiting = Some(state);
            }
            let now = Instant::now();
            if pace.ready(now)
                && let Some(state) = waiting.take()
                && state.id > sender.borrow().state.id
            {
                let handover = pace.send(now, clients.open_now() as usize);
                let feed = feed_changed.then(|| {
                    let before = sender.borrow().feed.clone();
                    LiveFeed::after(&before, feed.clone(), moments.clone(), notice.clone())
                });
                offer(&sender, state, feed, handover);
                feed_changed = false;
            }
        }
        debug!("stopped following the live state");
    });
    Ok(receiver)
}

async fn reload(pool: &PgPool) -> Option<State> {
    match db::current_state(pool).await {
        Ok(state) => state,
        Err(error) => {
            warn!(%error, "could not reload the state from PostgreSQL");
            None
        }
    }
}

/// Reloads the newest committed state and makes it the truth: newer than what this server
/// holds, it waits for its turn as any other; the same id with other contents, or an older id
/// (a state from NATS that PostgreSQL never wrote), replaces what is held at once. The reload
/// starts after every state held arrived, and the reducer commits before it publishes, so a
/// genuine state is never newer than PostgreSQL's.
async fn confirm(sender: &watch::Sender<LiveState>, waiting: &mut Option<State>, pool: &PgPool) {
    let Some(truth) = reload(pool).await else {
        return;
    };
    if waiting
        .as_ref()
        .is_some_and(|w| w.id > truth.id || (w.id == truth.id && *w != truth))
    {
        warn!(
            waiting = waiting.as_ref().map(|w| w.id),
            truth = truth.id,
            "a live state PostgreSQL does not confirm was dropped"
        );
        *waiting = None;
    }
    let held = sender.borrow().state;
    if held.id > truth.id || (held.id == truth.id && held != truth) {
        warn!(
            held = held.id,
            truth = truth.id,
            "a live state PostgreSQL does not confirm was replaced"
        );
        let feed = sender.borrow().feed.clone();
        sender.send_replace(LiveState::new(truth, feed, Handover::unpaced()));
        crate::metrics::state_seen(&truth);
    } else if truth.id > held.id && waiting.as_ref().is_none_or(|w| truth.id > w.id) {
        *waiting = Some(truth);
    }
}

/// How many presses the feed reloads from PostgreSQL.
const FEED_LEN: u32 = Feed::LEN as u32;

/// Adds published entries to the feed; whether it has a newer press now (entries are committed
/// presses, published in order: a feed that changed has a new newest one).
fn merge_feed(feed: &mut Feed, entries: Vec<FeedEntry>) -> bool {
    if entries.is_empty() {
        return false;
    }
    let newest = feed.newest_seq();
    feed.merge(entries);
    feed.newest_seq() > newest
}

/// Adds published moments; whether there is a newer one now (moments are committed with their
/// state, published in order).
fn merge_moments(moments: &mut Moments, made: Vec<MomentEntry>) -> bool {
    if made.is_empty() {
        return false;
    }
    let before = moments.newest();
    moments.merge(made);
    moments.moments.truncate(MOMENTS_LEN);
    moments.newest() > before
}

/// Makes PostgreSQL's newest presses and moments the feed (a published entry PostgreSQL does not
/// hold goes), handed to the clients at once if it changed; whether the clients now have the feed
/// (false when PostgreSQL could not be read).
async fn reload_feed(
    sender: &watch::Sender<LiveState>,
    feed: &mut Feed,
    moments: &mut Moments,
    notice: &mut Option<Notice>,
    pool: &PgPool,
) -> bool {
    let read = tokio::try_join!(
        db::newest_presses(pool, FEED_LEN),
        db::newest_moments(pool, None, MOMENTS_LEN as i64),
        db::latest_notice(pool)
    );
    let (entries, newest_moments, notice_truth) = match read {
        Ok(read) => read,
        Err(error) => {
            warn!(%error, "could not reload the feed from PostgreSQL");
            return false;
        }
    };
    let truth = Feed { entries };
    let moments_truth = Moments {
        moments: newest_moments,
    };
    let held = {
        let live = sender.borrow();
        live.feed.feed == truth
            && live.feed.moments == moments_truth
            && live.feed.notice == notice_truth
    };
    *feed = truth.clone();
    *moments = moments_truth.clone();
    *notice = notice_truth.clone();
    if !held {
        sender.send_modify(|live| {
            live.feed = LiveFeed::replacing(&live.feed, truth, moments_truth, notice_truth);
            // The state's frame with the new presses was the feed before's.
            live.frame_and_new = None;
        });
    }
    true
}

/// Keeps the newer of the held state and `state` (with `feed`, if the feed changed, and handed
/// over by `handover`); whether `state` was newer.
fn offer(
    sender: &watch::Sender<LiveState>,
    state: State,
    feed: Option<Arc<LiveFeed>>,
    handover: Arc<Handover>,
) -> bool {
    let newer = sender.send_if_modified(|held| {
        if state.id > held.state.id {
            let feed = feed.unwrap_or_else(|| held.feed.clone());
            *held = LiveState::new(state, feed, handover);
            true
        } else {
            false
        }
    });
    if newer {
        crate::metrics::state_seen(&state);
    }
    newer
}
