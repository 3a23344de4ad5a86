//! A minimal SSE reader over reqwest, for reading `/v1/states/stream` as a browser would.

use std::time::Duration;

use app::game::State;
use futures::StreamExt;

/// One `state_update` event.
#[derive(Debug, Clone)]
pub struct StateEvent {
    pub id: Option<String>,
    pub event: Option<String>,
    pub state: State,
}

pub struct SseClient {
    body: futures::stream::BoxStream<'static, reqwest::Result<bytes::Bytes>>,
    buffer: String,
}

impl SseClient {
    pub async fn connect(url: &str, last_event_id: Option<u64>) -> SseClient {
        let mut request = reqwest::Client::new()
            .get(url)
            .header("accept", "text/event-stream");
        if let Some(id) = last_event_id {
            request = request.header("last-event-id", id.to_string());
        }
        let response = request.send().await.unwrap_or_else(|e| panic!("{e}"));
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
            buffer: String::new(),
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
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let (mut id, mut event, mut data) = (None, None, String::new());
                for line in block.lines() {
                    if let Some(v) = line.strip_prefix("id:") {
                        id = Some(v.trim().to_owned());
                    } else if let Some(v) = line.strip_prefix("event:") {
                        event = Some(v.trim().to_owned());
                    } else if let Some(v) = line.strip_prefix("data:") {
                        data.push_str(v.trim_start());
                    }
                }
                if data.is_empty() {
                    continue; // a keep-alive comment
                }
                let state: State =
                    serde_json::from_str(&data).unwrap_or_else(|e| panic!("{e}: {data}"));
                return Some(StateEvent { id, event, state });
            }
            match self.body.next().await {
                Some(Ok(bytes)) => self.buffer.push_str(&String::from_utf8_lossy(&bytes)),
                _ => return None,
            }
        }
    }
}
