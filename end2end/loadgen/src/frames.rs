//! Reading a live stream (`/v1/states/stream`) as a browser's `EventSource` does: bytes in, one
//! event at a time out, whatever the chunks. One reader for the load generator (which must cost
//! little next to the server it measures, so fields are read only when asked for) and for the
//! server's tests (which read whole states).

/// Splits an SSE byte stream into events. Events end with a blank line (`\n\n`, as the server
/// writes them).
#[derive(Debug, Default)]
pub struct Frames {
    buffer: Vec<u8>,
    /// Where the first event not yet handed out starts.
    start: usize,
}

impl Frames {
    /// Adds the next chunk of the stream.
    pub fn push(&mut self, chunk: &[u8]) {
        if self.start > 0 {
            self.buffer.drain(..self.start);
            self.start = 0;
        }
        self.buffer.extend_from_slice(chunk);
    }

    /// The next complete event, if the stream holds one yet; keep-alive comments are events
    /// with no data.
    pub fn next_frame(&mut self) -> Option<Frame<'_>> {
        let rest = &self.buffer[self.start..];
        let end = rest.windows(2).position(|w| w == b"\n\n")?;
        let raw = &self.buffer[self.start..self.start + end];
        self.start += end + 2;
        Some(Frame { raw })
    }
}

/// One event as it was sent.
#[derive(Debug, Clone, Copy)]
pub struct Frame<'a> {
    raw: &'a [u8],
}

impl<'a> Frame<'a> {
    /// `(field, value)` of each line, comments left out; one space after the colon is not part
    /// of the value.
    fn fields(self) -> impl Iterator<Item = (&'a [u8], &'a [u8])> {
        self.raw
            .split(|b| *b == b'\n')
            .filter(|line| !line.is_empty() && !line.starts_with(b":"))
            .map(|line| match line.iter().position(|b| *b == b':') {
                Some(colon) => {
                    let value = &line[colon + 1..];
                    (&line[..colon], value.strip_prefix(b" ").unwrap_or(value))
                }
                None => (line, &b""[..]),
            })
    }

    fn last(self, name: &[u8]) -> Option<&'a str> {
        self.fields()
            .filter(|(field, _)| *field == name)
            .last()
            .and_then(|(_, value)| std::str::from_utf8(value).ok())
    }

    /// The `id:` field.
    pub fn id(self) -> Option<&'a str> {
        self.last(b"id")
    }

    /// The `id:` field as a number (state ids are).
    pub fn numeric_id(self) -> Option<u64> {
        self.id().and_then(|id| id.trim().parse().ok())
    }

    /// The state an event carries: its `id:` when that is a number (the game's state ids are),
    /// else the `"id"` its data opens with (a pub/sub server that numbers events its own way).
    pub fn state_id(self) -> Option<u64> {
        self.numeric_id().or_else(|| {
            let data = self
                .fields()
                .find(|(field, _)| *field == b"data")
                .map(|(_, value)| value)?;
            let digits = data.strip_prefix(b"{\"id\":")?;
            let end = digits
                .iter()
                .position(|b| !b.is_ascii_digit())
                .unwrap_or(digits.len());
            std::str::from_utf8(&digits[..end]).ok()?.parse().ok()
        })
    }

    /// The `event:` field.
    pub fn event(self) -> Option<&'a str> {
        self.last(b"event")
    }

    /// The `data:` lines joined by newlines; `None` for an event without data (a keep-alive).
    pub fn data(self) -> Option<String> {
        let mut lines = self.fields().filter(|(field, _)| *field == b"data");
        let (_, first) = lines.next()?;
        let mut data = String::from_utf8_lossy(first).into_owned();
        for (_, line) in lines {
            data.push('\n');
            data.push_str(&String::from_utf8_lossy(line));
        }
        Some(data)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STREAM: &[u8] = b"event: state_update\nid: 7\ndata: {\"a\":1}\n\n: keep-alive\n\nid:8\ndata: x\ndata:y\n\nid: 9\n";

    /// `(id, event, data)` of every event read, the stream cut into two chunks at `split`.
    fn read(split: usize) -> Vec<(Option<String>, Option<String>, Option<String>)> {
        let mut frames = Frames::default();
        let mut events = Vec::new();
        for chunk in [&STREAM[..split], &STREAM[split..]] {
            frames.push(chunk);
            while let Some(frame) = frames.next_frame() {
                events.push((
                    frame.id().map(str::to_owned),
                    frame.event().map(str::to_owned),
                    frame.data(),
                ));
            }
        }
        events
    }

    #[test]
    fn events_are_read_whole_across_chunk_boundaries() {
        let s = |v: &str| Some(v.to_owned());
        let expected = vec![
            (s("7"), s("state_update"), s("{\"a\":1}")),
            (None, None, None),
            (s("8"), None, s("x\ny")),
        ];
        for split in 0..=STREAM.len() {
            assert_eq!(read(split), expected, "split at {split}");
        }
    }

    #[test]
    fn ids_are_numbers_when_they_are() {
        let mut frames = Frames::default();
        frames.push(b"id: 12\n\nid: twelve\n\n");
        assert_eq!(frames.next_frame().and_then(Frame::numeric_id), Some(12));
        assert_eq!(frames.next_frame().and_then(Frame::numeric_id), None);
        assert!(frames.next_frame().is_none());
    }

    #[test]
    fn a_state_is_known_by_its_event_id_or_by_the_id_its_data_opens_with() {
        let mut frames = Frames::default();
        frames.push(b"id: 12\ndata: {\"id\":99}\n\n");
        frames.push(b"id: 1733412345:0\ndata: {\"id\":13,\"counter\":13}\n\n");
        frames.push(b"data: [{\"id\":1}]\n\n: keep-alive\n\n");
        assert_eq!(frames.next_frame().and_then(Frame::state_id), Some(12));
        assert_eq!(frames.next_frame().and_then(Frame::state_id), Some(13));
        assert_eq!(frames.next_frame().and_then(Frame::state_id), None);
        assert_eq!(frames.next_frame().and_then(Frame::state_id), None);
    }
}
