//! A live client over reqwest, reading `/v1/states/stream` as a browser would (the events are
//! read by the load generator's `Frames`, the one SSE reader of the project's tools).

use std::collections::VecDeque;
use std::time::Duration;

use app::game::State;
use app::wire::{Crowd, Feed, FeedEntry, MomentEntry};
use futures::StreamExt;
use loadgen::frames::Frames;

/// One `state_update` event.
#[derive(Debug, Clone)]
pub struct StateEvent {
    pub id: Option<String>,
    pub event: Option<String>,
    pub state: State,
}

pub struct SseClient {
    body: futures::stream::BoxStream<'static, reqwest::Result<bytes::Bytes>>,
    frames: Frames,
    /// Events read while looking for another kind, oldest first.
    states: VecDeque<StateEvent>,
    feeds: VecDeque<Vec<FeedEntry>>,
    /// The feed as a page holds it: each `feed` replaces it, each `feed_new` adds to it.
    feed: Feed,
    /// How many `feed_new` events came (the presses new since the last feed, not all of it).
    pub feed_news: usize,
    crowds: VecDeque<Crowd>,
    moments: VecDeque<Vec<MomentEntry>>,
    notices: VecDeque<app::wire::Notice>,
    receipts: VecDeque<app::wire::Receipt>,
}

impl SseClient {
    pub async fn connect(url: &str, last_event_id: Option<u64>) -> SseClient {
        let mut request = reqwest::Client::new()
            .get(url)
            .header("accept", "text/event-stream");
        if let Some(id) = last_event_id {
            request = request.header("last-event-id", id.to_string());
        }
        let response = request.send().await.expect("an answer");
        assert_eq!(response.status(), 200);
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        assert!(
            content_type.starts_with("text/event-stream"),
            "{content_type}"
        );
        assert_eq!(
            response
                .headers()
                .get("x-accel-buffering")
                .and_then(|v| v.to_str().ok()),
            Some("no")
        );
        SseClient {
            body: response.bytes_stream().boxed(),
            frames: Frames::default(),
            states: VecDeque::new(),
            feeds: VecDeque::new(),
            feed: Feed::default(),
            feed_news: 0,
            crowds: VecDeque::new(),
            moments: VecDeque::new(),
            notices: VecDeque::new(),
            receipts: VecDeque::new(),
        }
    }

    /// The next state event within `within`; `None` if none came (or the stream ended).
    pub async fn next_state(&mut self, within: Duration) -> Option<StateEvent> {
        self.next(within, |client| client.states.pop_front()).await
    }

    /// The feed after the next `feed` or `feed_new` event within `within`.
    pub async fn next_feed(&mut self, within: Duration) -> Option<Vec<FeedEntry>> {
        self.next(within, |client| client.feeds.pop_front()).await
    }

    /// The next `crowd` event within `within`.
    pub async fn next_crowd(&mut self, within: Duration) -> Option<Crowd> {
        self.next(within, |client| client.crowds.pop_front()).await
    }

    /// The next `moment` event within `within`.
    pub async fn next_moments(&mut self, within: Duration) -> Option<Vec<MomentEntry>> {
        self.next(within, |client| client.moments.pop_front()).await
    }

    /// The next `receipt` event (a press of this stream's viewer, applied) within `within`.
    pub async fn next_receipt(&mut self, within: Duration) -> Option<app::wire::Receipt> {
        self.next(within, |client| client.receipts.pop_front())
            .await
    }

    /// The next `notice` event (an operator's command) within `within`.
    pub async fn next_notice(&mut self, within: Duration) -> Option<app::wire::Notice> {
        self.next(within, |client| client.notices.pop_front()).await
    }

    async fn next<T>(
        &mut self,
        within: Duration,
        mut take: impl FnMut(&mut Self) -> Option<T>,
    ) -> Option<T> {
        let read = async {
            loop {
                if let Some(found) = take(self) {
                    return Some(found);
                }
                if !self.read_event().await {
                    return None;
                }
            }
        };
        tokio::time::timeout(within, read).await.ok().flatten()
    }

    /// Whether the server ended the stream within `within`.
    pub async fn ended_within(&mut self, within: Duration) -> bool {
        let ended = async {
            while let Some(chunk) = self.body.next().await {
                if chunk.is_err() {
                    return true;
                }
            }
            true
        };
        tokio::time::timeout(within, ended).await.unwrap_or(false)
    }

    /// Reads one more event into its queue; `false` once the stream ended.
    async fn read_event(&mut self) -> bool {
        loop {
            while let Some(frame) = self.frames.next_frame() {
                let Some(data) = frame.data() else {
                    continue; // a keep-alive comment
                };
                match frame.event() {
                    Some("feed") => {
                        self.feed = Feed {
                            entries: decode(&data),
                        };
                        self.feeds.push_back(self.feed.entries.clone());
                    }
                    Some("feed_new") => {
                        self.feed_news += 1;
                        self.feed.merge(decode::<Vec<FeedEntry>>(&data));
                        self.feeds.push_back(self.feed.entries.clone());
                    }
                    Some("crowd") => self.crowds.push_back(decode(&data)),
                    Some("moment") => self.moments.push_back(decode(&data)),
                    Some("notice") => self.notices.push_back(decode(&data)),
                    Some("receipt") => self.receipts.push_back(decode(&data)),
                    event => {
                        let state: State = decode(&data);
                        self.states.push_back(StateEvent {
                            id: frame.id().map(str::to_owned),
                            event: event.map(str::to_owned),
                            state,
                        });
                    }
                }
                return true;
            }
            match self.body.next().await {
                Some(Ok(bytes)) => self.frames.push(&bytes),
                _ => return false,
            }
        }
    }
}

fn decode<T: serde::de::DeserializeOwned>(data: &str) -> T {
    serde_json::from_str(data).unwrap_or_else(|e| panic!("{e}: {data}"))
}
