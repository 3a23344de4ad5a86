//! The live streams on this web server that wait for their presses' receipts: a page names its
//! stream with a random viewer id (`?viewer=…`) and sends the same id with its presses; the
//! reducer publishes each applied press's receipt for its viewer (`<ns>.receipts`), and the web
//! server holding that viewer's stream hands it over as `event: receipt`. So the page never
//! polls for a receipt, whichever web server took its press.
//!
//! A viewer is held by one stream at a time (a page's reconnect takes it over); it is let go
//! when its stream ends. Each stream keeps at most [`RECEIPTS_WAITING`] receipts not yet written:
//! a page presses once per cooldown, and a stream that does not read loses the surplus (the
//! receipt is in PostgreSQL all the same).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use tracing::debug;

use crate::bus::ReceiptsSubscription;
use crate::names::Names;

/// Receipts one stream may have waiting to be written.
pub const RECEIPTS_WAITING: usize = 8;

type Held = HashMap<String, (u64, mpsc::Sender<Arc<str>>)>;

/// The viewers whose streams this web server holds.
#[derive(Debug, Default)]
pub struct Viewers {
    held: Mutex<Held>,
    tickets: AtomicU64,
}

/// A stream's hold on its viewer: dropping it lets the viewer go (unless a newer stream took it
/// over meanwhile).
#[derive(Debug)]
pub struct Watching {
    viewers: Arc<Viewers>,
    viewer: String,
    ticket: u64,
}

impl Viewers {
    /// None yet.
    pub fn new() -> Arc<Viewers> {
        Arc::new(Viewers::default())
    }

    /// `viewer`'s receipts, from now on, until the hold is dropped.
    pub fn watch(self: &Arc<Self>, viewer: &str) -> (Watching, mpsc::Receiver<Arc<str>>) {
        let (sender, receiver) = mpsc::channel(RECEIPTS_WAITING);
        let ticket = self.tickets.fetch_add(1, Ordering::Relaxed);
        self.lock().insert(viewer.to_owned(), (ticket, sender));
        let watching = Watching {
            viewers: self.clone(),
            viewer: viewer.to_owned(),
            ticket,
        };
        (watching, receiver)
    }

    /// Hands `receipt` (its JSON) to `viewer`'s stream if this server holds it; whether it did.
    pub fn hand(&self, viewer: &str, receipt: &str) -> bool {
        let held = self.lock();
        let Some((_, sender)) = held.get(viewer) else {
            return false;
        };
        sender.try_send(Arc::from(receipt)).is_ok()
    }

    /// Viewers held now.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether none is.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Held> {
        self.held.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Drop for Watching {
    fn drop(&mut self) {
        let mut held = self.viewers.lock();
        if held
            .get(&self.viewer)
            .is_some_and(|(ticket, _)| *ticket == self.ticket)
        {
            held.remove(&self.viewer);
        }
    }
}

/// Follows the receipts the reducer publishes, handing each to its viewer's stream if this web
/// server holds it, until `shutdown`.
pub async fn follow(
    client: &async_nats::Client,
    names: &Names,
    viewers: Arc<Viewers>,
    shutdown: CancellationToken,
) -> Result<(), async_nats::SubscribeError> {
    let mut receipts = ReceiptsSubscription::follow(client, names).await?;
    tokio::spawn(async move {
        loop {
            let more = tokio::select! {
                () = shutdown.cancelled() => break,
                more = receipts.next(|received| {
                    if viewers.hand(received.viewer, received.receipt.get()) {
                        crate::metrics::receipt_pushed();
                    }
                }) => more,
            };
            if !more {
                break;
            }
        }
        debug!("stopped following the receipts");
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_receipt_reaches_the_stream_of_its_viewer_only() {
        let viewers = Viewers::new();
        let (_mine, mut receipts) = viewers.watch("a");
        assert!(viewers.hand("a", "{\"n\":1}"));
        assert!(!viewers.hand("b", "{\"n\":2}"), "nobody holds b here");
        assert_eq!(receipts.recv().await.as_deref(), Some("{\"n\":1}"));
    }

    #[tokio::test]
    async fn a_reconnect_takes_the_viewer_over_and_the_old_stream_lets_go_of_nothing() {
        let viewers = Viewers::new();
        let (old, _old_receipts) = viewers.watch("a");
        let (_new, mut receipts) = viewers.watch("a");
        drop(old);
        assert!(viewers.hand("a", "{}"), "the new stream still holds it");
        assert_eq!(receipts.recv().await.as_deref(), Some("{}"));
    }

    #[test]
    fn a_stream_that_ends_lets_its_viewer_go_and_one_that_does_not_read_loses_the_surplus() {
        let viewers = Viewers::new();
        let (watching, _receipts) = viewers.watch("a");
        for _ in 0..RECEIPTS_WAITING {
            assert!(viewers.hand("a", "{}"));
        }
        assert!(!viewers.hand("a", "{}"), "at most RECEIPTS_WAITING wait");
        drop(watching);
        assert!(viewers.is_empty());
    }
}
