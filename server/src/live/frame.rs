//! Server-Sent Events frames, encoded once for every client that is sent them: a state, the feed,
//! a moment go to thousands of streams, each a copy of a reference-counted buffer, never encoded
//! again per client.

use bytes::{BufMut, Bytes, BytesMut};

/// The comment a stream sends when it has been quiet, so that proxies and clients see it alive.
pub const KEEP_ALIVE: Bytes = Bytes::from_static(b":\n\n");

/// `event: {event}`, `id: {id}` if any, and `data` on as many `data:` lines as it has lines (a
/// line break inside `data` can never end the frame or start another field).
pub fn frame(event: &str, id: Option<u64>, data: &str) -> Bytes {
    let mut out = BytesMut::with_capacity(event.len() + data.len() + 40);
    out.put_slice(b"event: ");
    out.put_slice(event.as_bytes());
    out.put_u8(b'\n');
    if let Some(id) = id {
        out.put_slice(b"id: ");
        out.put_slice(itoa::Buffer::new().format(id).as_bytes());
        out.put_u8(b'\n');
    }
    for line in data.split(['\n', '\r']) {
        out.put_slice(b"data: ");
        out.put_slice(line.as_bytes());
        out.put_u8(b'\n');
    }
    out.put_u8(b'\n');
    out.freeze()
}

/// `first` then `second`, as one frame buffer.
pub fn joined(first: &[u8], second: &[u8]) -> Bytes {
    let mut out = BytesMut::with_capacity(first.len() + second.len());
    out.put_slice(first);
    out.put_slice(second);
    out.freeze()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_frame_names_its_event_and_id_and_ends_with_a_blank_line() {
        assert_eq!(
            &frame("state_update", Some(42), "{\"id\":42}")[..],
            b"event: state_update\nid: 42\ndata: {\"id\":42}\n\n"
        );
        assert_eq!(&frame("feed", None, "[]")[..], b"event: feed\ndata: []\n\n");
    }

    #[test]
    fn line_breaks_in_the_data_cannot_forge_fields_or_frames() {
        assert_eq!(
            &frame("receipt", None, "{}\n\nevent: state_update\r\ndata: x")[..],
            b"event: receipt\ndata: {}\ndata: \ndata: event: state_update\ndata: \ndata: data: x\n\n"
        );
    }

    #[test]
    fn two_frames_joined_are_the_same_two_events_in_one_buffer() {
        let state = frame("state_update", Some(7), "{\"id\":7}");
        let new = frame("feed_new", None, "[]");
        assert_eq!(
            &joined(&state, &new)[..],
            b"event: state_update\nid: 7\ndata: {\"id\":7}\n\nevent: feed_new\ndata: []\n\n"
        );
    }
}
