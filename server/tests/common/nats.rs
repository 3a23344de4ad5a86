//! A test's own `nats-server`, so that the test can kill it and start it again on its store;
//! and a test's own JetStream cluster of three of them, joined by cluster routes on loopback.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct NatsServer {
    pub port: u16,
    pub store: tempfile::TempDir,
    /// What else it is started with (a cluster node's name and routes).
    args: Vec<String>,
    child: Option<Child>,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("no free port")
}

impl NatsServer {
    /// Starts `/usr/sbin/nats-server -js` on a free loopback port with a fresh store.
    pub fn start() -> NatsServer {
        NatsServer::start_with(free_port(), Vec::new())
    }

    fn start_with(port: u16, args: Vec<String>) -> NatsServer {
        let mut server = NatsServer {
            port,
            store: tempfile::tempdir().expect("a temporary directory"),
            args,
            child: None,
        };
        server.restart();
        server
    }

    pub fn url(&self) -> String {
        format!("nats://127.0.0.1:{}", self.port)
    }

    /// Starts it again on the same port and store.
    pub fn restart(&mut self) {
        let child = Command::new("/usr/sbin/nats-server")
            .args([
                "-a",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-js",
                "-sd",
            ])
            .arg(self.store.path())
            .args(&self.args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("starting nats-server");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(Instant::now() < deadline, "nats-server did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// SIGKILL: the broker dies without a word.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            super::kill_9(&mut child);
        }
    }
}

impl Drop for NatsServer {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Three `nats-server -js` joined in one cluster (`node-0`, `node-1`, `node-2`), each with a
/// store of its own: the smallest JetStream cluster that keeps a quorum when a node is lost.
pub struct NatsCluster {
    pub nodes: Vec<NatsServer>,
}

impl NatsCluster {
    /// Starts the three nodes and waits until JetStream has a leader (streams can be made).
    pub async fn start() -> NatsCluster {
        let client_ports: Vec<u16> = (0..3).map(|_| free_port()).collect();
        let route_ports: Vec<u16> = (0..3).map(|_| free_port()).collect();
        let routes = route_ports
            .iter()
            .map(|port| format!("nats://127.0.0.1:{port}"))
            .collect::<Vec<_>>()
            .join(",");
        let nodes = (0..3)
            .map(|i| {
                let args = [
                    "--name",
                    &format!("node-{i}"),
                    "--cluster_name",
                    "the-button-test",
                    "--cluster",
                    &format!("nats://127.0.0.1:{}", route_ports[i]),
                    "--routes",
                    &routes,
                ]
                .map(String::from)
                .to_vec();
                NatsServer::start_with(client_ports[i], args)
            })
            .collect();
        let cluster = NatsCluster { nodes };
        cluster.wait_for_jetstream().await;
        cluster
    }

    /// Every node's address, comma-separated, as `NATS_URL` takes them.
    pub fn url(&self) -> String {
        self.nodes
            .iter()
            .map(NatsServer::url)
            .collect::<Vec<_>>()
            .join(",")
    }

    /// The node named `name` (`node-1`).
    pub fn node(&mut self, name: &str) -> &mut NatsServer {
        let i: usize = name
            .strip_prefix("node-")
            .and_then(|i| i.parse().ok())
            .unwrap_or_else(|| panic!("not a node of this cluster: {name}"));
        &mut self.nodes[i]
    }

    /// A new cluster elects its JetStream meta leader a few seconds after its routes connect;
    /// until then no stream can be made.
    async fn wait_for_jetstream(&self) {
        let client =
            async_nats::connect(server::bus::server_addrs(&self.url()).expect("NATS URLs"))
                .await
                .expect("connecting to the cluster");
        let js = async_nats::jetstream::new(client);
        let probe = format!("probe{:08x}", rand::random::<u32>());
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let made = js
                .create_stream(async_nats::jetstream::stream::Config {
                    name: probe.clone(),
                    subjects: vec![format!("{probe}.>")],
                    num_replicas: 3,
                    ..Default::default()
                })
                .await;
            if made.is_ok() {
                let _ = js.delete_stream(&probe).await;
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the cluster's JetStream did not come up: {:?}",
                made.err()
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
}
