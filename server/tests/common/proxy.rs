//! A TCP proxy the test owns, between one part of the game and NATS, for the faults of a link
//! while nats-server stays up: `cut()` drops every connection in flight (whatever bytes were on
//! their way are lost), as a network blip or a load balancer's reset would; `hold()` stops
//! forwarding without closing anything (a silent link: bytes wait, nobody is told) until
//! `release()`. New connections go through again.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub struct CuttingProxy {
    addr: SocketAddr,
    generation: watch::Sender<u64>,
    held: watch::Sender<bool>,
    connections: Arc<AtomicU64>,
    accept: JoinHandle<()>,
}

impl CuttingProxy {
    /// Listens on a free loopback port and forwards to `upstream`.
    pub async fn start(upstream: SocketAddr) -> CuttingProxy {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free port for the proxy");
        let addr = listener.local_addr().expect("the proxy's address");
        let (generation, _) = watch::channel(0u64);
        let (held, _) = watch::channel(false);
        let connections = Arc::new(AtomicU64::new(0));
        let accept = tokio::spawn({
            let generation = generation.clone();
            let held = held.clone();
            let connections = connections.clone();
            async move {
                while let Ok((client, _)) = listener.accept().await {
                    connections.fetch_add(1, Ordering::SeqCst);
                    let mut cut = generation.subscribe();
                    let held = held.clone();
                    tokio::spawn(async move {
                        let Ok(upstream) = TcpStream::connect(upstream).await else {
                            return;
                        };
                        let (client_read, client_write) = client.into_split();
                        let (upstream_read, upstream_write) = upstream.into_split();
                        tokio::select! {
                            _ = pump(client_read, upstream_write, held.subscribe()) => {}
                            _ = pump(upstream_read, client_write, held.subscribe()) => {}
                            _ = cut.changed() => {}
                        }
                        // Both sockets drop here, with whatever was in flight.
                    });
                }
            }
        });
        CuttingProxy {
            addr,
            generation,
            held,
            connections,
            accept,
        }
    }

    pub fn url(&self) -> String {
        format!("nats://{}", self.addr)
    }

    /// Drops every connection in flight.
    pub fn cut(&self) {
        self.generation.send_modify(|g| *g += 1);
    }

    /// Stops forwarding, both ways, on every connection; nothing is closed.
    pub fn hold(&self) {
        self.held.send_replace(true);
    }

    /// Forwards again, the bytes that waited first.
    pub fn release(&self) {
        self.held.send_replace(false);
    }

    /// How many connections went through so far (each reconnect is one more).
    pub fn connections(&self) -> u64 {
        self.connections.load(Ordering::SeqCst)
    }
}

/// Copies `from` to `to`, waiting whenever the proxy is held; ends when either side does.
async fn pump(mut from: OwnedReadHalf, mut to: OwnedWriteHalf, mut held: watch::Receiver<bool>) {
    let mut buffer = vec![0u8; 16 * 1_024];
    loop {
        if held.wait_for(|held| !held).await.is_err() {
            return;
        }
        let read = match from.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(read) => read,
        };
        // Bytes read just as the hold began wait with the rest.
        if held.wait_for(|held| !held).await.is_err() {
            return;
        }
        if to.write_all(&buffer[..read]).await.is_err() {
            return;
        }
    }
}

impl Drop for CuttingProxy {
    fn drop(&mut self) {
        self.cut();
        self.accept.abort();
    }
}
