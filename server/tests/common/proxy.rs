//! A TCP proxy the test owns, between one part of the game and NATS: `cut()` drops every
//! connection in flight (whatever bytes were on their way are lost) while nats-server stays up,
//! as a network blip or a load balancer's reset would. New connections go through again.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub struct CuttingProxy {
    addr: SocketAddr,
    generation: watch::Sender<u64>,
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
        let connections = Arc::new(AtomicU64::new(0));
        let accept = tokio::spawn({
            let generation = generation.clone();
            let connections = connections.clone();
            async move {
                while let Ok((client, _)) = listener.accept().await {
                    connections.fetch_add(1, Ordering::SeqCst);
                    let mut cut = generation.subscribe();
                    tokio::spawn(async move {
                        let Ok(upstream) = TcpStream::connect(upstream).await else {
                            return;
                        };
                        let (mut client, mut upstream) = (client, upstream);
                        tokio::select! {
                            _ = tokio::io::copy_bidirectional(&mut client, &mut upstream) => {}
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

    /// How many connections went through so far (each reconnect is one more).
    pub fn connections(&self) -> u64 {
        self.connections.load(Ordering::SeqCst)
    }
}

impl Drop for CuttingProxy {
    fn drop(&mut self) {
        self.cut();
        self.accept.abort();
    }
}
