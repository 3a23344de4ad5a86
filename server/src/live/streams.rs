//! The live streams one web server holds: at most so many per client (an IPv4 address, an IPv6
//! /64) and so many in all, so that a stranger cannot hold every connection open. A slot is
//! given back when its stream ends, however it ends.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, PoisonError};

/// The count of open streams, per client and in all.
#[derive(Debug)]
pub struct LiveStreams {
    per_client: u32,
    total: u32,
    held: Mutex<Held>,
}

#[derive(Debug, Default)]
struct Held {
    total: u32,
    by_client: HashMap<IpAddr, u32>,
}

/// Why a stream was not opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum StreamRefused {
    /// This client holds `per_client` streams already.
    #[error("this client holds as many live streams as it may")]
    ClientFull,
    /// The server holds `total` streams already.
    #[error("this server holds as many live streams as it may")]
    ServerFull,
}

impl LiveStreams {
    /// At most `per_client` streams per client, `total` in all.
    pub fn new(per_client: u32, total: u32) -> Arc<LiveStreams> {
        Arc::new(LiveStreams {
            per_client,
            total,
            held: Mutex::new(Held::default()),
        })
    }

    /// A slot for one more stream of `player` (see `client_key::player_address`).
    pub fn open(self: &Arc<Self>, player: IpAddr) -> Result<StreamSlot, StreamRefused> {
        let mut held = self.held.lock().unwrap_or_else(PoisonError::into_inner);
        if held.total >= self.total {
            return Err(StreamRefused::ServerFull);
        }
        let mine = held.by_client.entry(player).or_insert(0);
        if *mine >= self.per_client {
            return Err(StreamRefused::ClientFull);
        }
        *mine += 1;
        held.total += 1;
        crate::metrics::sse_clients(held.total);
        Ok(StreamSlot {
            streams: self.clone(),
            player,
        })
    }

    /// Streams open now.
    pub fn open_now(&self) -> u32 {
        self.held
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .total
    }

    fn close(&self, player: IpAddr) {
        let mut held = self.held.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(mine) = held.by_client.get_mut(&player) {
            *mine -= 1;
            if *mine == 0 {
                // Nothing is kept for a client without streams.
                held.by_client.remove(&player);
            }
            held.total -= 1;
        }
        crate::metrics::sse_clients(held.total);
    }
}

/// One open stream; dropping it gives the slot back.
#[derive(Debug)]
pub struct StreamSlot {
    streams: Arc<LiveStreams>,
    player: IpAddr,
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        self.streams.close(self.player);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(198, 51, 100, 1));
    const B: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(198, 51, 100, 2));

    #[test]
    fn a_client_holds_at_most_its_share_and_gets_slots_back() {
        let streams = LiveStreams::new(2, 10);
        let first = streams.open(A).expect("one");
        let _second = streams.open(A).expect("two");
        assert_eq!(streams.open(A).err(), Some(StreamRefused::ClientFull));
        // Another client is not held back by the first.
        let _other = streams.open(B).expect("another client");
        drop(first);
        assert!(
            streams.open(A).is_ok(),
            "a closed stream gives its slot back"
        );
    }

    #[test]
    fn the_server_holds_at_most_its_total_and_forgets_idle_clients() {
        let streams = LiveStreams::new(5, 2);
        let a = streams.open(A).expect("one");
        let b = streams.open(B).expect("two");
        assert_eq!(streams.open(A).err(), Some(StreamRefused::ServerFull));
        drop((a, b));
        assert_eq!(streams.open_now(), 0);
        let held = streams.held.lock().expect("not poisoned");
        assert!(
            held.by_client.is_empty(),
            "no memory kept for clients without streams"
        );
    }
}
