//! A live client over reqwest, reading `/v1/states/stream` as a browser would (the events are
//! read by the load generator's `Frames`, the one SSE reader of the project's tools).

use std::time::Duration;

use app::game::State;
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
        }
    }

    /// The next state event within `within`; `None` if none came (or the stream ended).
    pub async fn next_state(&mut self, within: Duration) -> Option<StateEvent> {
        tokio::time::timeout(within, self.read_state())
            .await
            .ok()
            .flatten()
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

    async fn read_state(&mut self) -> Option<StateEvent> {
        loop {
            while let Some(frame) = self.frames.next_frame() {
                let Some(data) = frame.data() else {
                    continue; // a keep-alive comment
                };
                let state: State =
                    serde_json::from_str(&data).unwrap_or_else(|e| panic!("{e}: {data}"));
                return Some(StateEvent {
                    id: frame.id().map(str::to_owned),
                    event: frame.event().map(str::to_owned),
                    state,
                });
            }
            match self.body.next().await {
                Some(Ok(bytes)) => self.frames.push(&bytes),
                _ => return None,
            }
        }
    }
}
