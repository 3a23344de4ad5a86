//! The `<ns>.receipts` subject: the reducer publishes, with each committed batch, the receipts of
//! its presses that a page asked to be told of (a press sent with a `viewer`); every web server
//! follows, and hands each receipt to the live stream of that viewer if it holds it. So a page
//! learns what its press did without asking (no receipt polling), whichever web server took the
//! press and whichever holds its stream. Core NATS, best effort: a receipt lost here is still in
//! PostgreSQL, where the page finds it if none came.

use app::wire::Receipt;
use async_nats::{Client, Subscriber};
use futures::StreamExt;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::names::Names;

/// The receipts of one committed batch, for the viewers that pressed in it.
#[derive(Debug, Serialize)]
pub struct ReceiptsMessage<'a> {
    /// Each press's viewer and receipt, in the batch's order.
    pub receipts: Vec<ViewerReceipt<'a>>,
}

/// One receipt, for one viewer.
#[derive(Debug, Serialize)]
pub struct ViewerReceipt<'a> {
    /// The live stream to hand it to.
    pub viewer: &'a str,
    /// The receipt, as `GET /v1/presses/{press_id}` would give it.
    pub receipt: Receipt,
}

/// A receipt as a web server reads it: the viewer, and the receipt's JSON as it came (handed
/// to the stream without being decoded: most receipts are for viewers of other web servers).
#[derive(Debug, Deserialize)]
pub struct ReceivedReceipt<'a> {
    /// The live stream it is for.
    #[serde(borrow)]
    pub viewer: &'a str,
    /// The receipt's JSON.
    #[serde(borrow)]
    pub receipt: &'a RawValue,
}

#[derive(Debug, Deserialize)]
struct Received<'a> {
    #[serde(borrow)]
    receipts: Vec<ReceivedReceipt<'a>>,
}

/// Why receipts were not published.
#[derive(Debug, thiserror::Error)]
pub enum ReceiptsPublishError {
    /// They could not be encoded.
    #[error("encoding the receipts: {0}")]
    Encode(#[from] serde_json::Error),
    /// NATS did not take them.
    #[error("publishing the receipts: {0}")]
    Publish(#[from] async_nats::PublishError),
}

/// Publishes the receipts of committed batches (the reducer's).
#[derive(Clone)]
pub struct ReceiptsPublisher {
    client: Client,
    subject: String,
}

impl ReceiptsPublisher {
    /// A publisher on the namespace's receipts subject.
    pub fn new(client: Client, names: &Names) -> ReceiptsPublisher {
        ReceiptsPublisher {
            client,
            subject: names.receipts_subject(),
        }
    }

    /// Publishes `message` (nothing when it holds no receipt).
    pub async fn publish(&self, message: &ReceiptsMessage<'_>) -> Result<(), ReceiptsPublishError> {
        if message.receipts.is_empty() {
            return Ok(());
        }
        let payload = serde_json::to_vec(message)?;
        self.client
            .publish(self.subject.clone(), payload.into())
            .await?;
        Ok(())
    }
}

/// The receipts as they are published (a web server's).
pub struct ReceiptsSubscription {
    subscriber: Subscriber,
}

impl ReceiptsSubscription {
    /// Follows the namespace's receipts subject.
    pub async fn follow(
        client: &Client,
        names: &Names,
    ) -> Result<ReceiptsSubscription, async_nats::SubscribeError> {
        Ok(ReceiptsSubscription {
            subscriber: client.subscribe(names.receipts_subject()).await?,
        })
    }

    /// Calls `each` with every receipt of the next message (undecodable ones are passed over);
    /// `false` once the subscription ended.
    pub async fn next(&mut self, mut each: impl FnMut(&ReceivedReceipt<'_>)) -> bool {
        let Some(message) = self.subscriber.next().await else {
            return false;
        };
        match serde_json::from_slice::<Received<'_>>(&message.payload) {
            Ok(received) => received.receipts.iter().for_each(&mut each),
            Err(error) => tracing::warn!(%error, "undecodable receipts on the receipts subject"),
        }
        true
    }
}
