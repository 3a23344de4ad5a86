//! A test's own `nats-server`, so that the test can kill it and start it again on its store.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct NatsServer {
    pub port: u16,
    pub store: tempfile::TempDir,
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
        let mut server = NatsServer {
            port: free_port(),
            store: tempfile::tempdir().expect("a temporary directory"),
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
