//! The links between the parts, as an operator runs them across machines: NATS with a password
//! and with TLS, PostgreSQL with TLS and a password. A credential never shows in an error.
//!
//! Each test starts its own server (nats-server, or a PostgreSQL cluster of Debian's binaries) on
//! a free loopback port, with certificates made here by `openssl`.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::common::{TestOptions, kill_9, player, spawn_app};
use server::bus::{self, NatsConfig};
use server::settings::Settings;
use tokio::sync::Notify;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn run(command: &mut Command) {
    let output = command.output().expect("the command runs");
    assert!(
        output.status.success(),
        "{command:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A CA, and a certificate for 127.0.0.1 that it signed, in `dir`: (ca.crt, server.crt, server.key).
fn certificates(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let at = |name: &str| dir.join(name);
    run(Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        ])
        .args(["-subj", "/CN=The Button test CA", "-keyout"])
        .arg(at("ca.key"))
        .arg("-out")
        .arg(at("ca.crt")));
    run(Command::new("openssl")
        .args([
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-subj",
            "/CN=127.0.0.1",
        ])
        .arg("-keyout")
        .arg(at("server.key"))
        .arg("-out")
        .arg(at("server.csr")));
    std::fs::write(at("san.ext"), "subjectAltName=IP:127.0.0.1\n").expect("an extension file");
    run(Command::new("openssl")
        .args(["x509", "-req", "-days", "1", "-CAcreateserial"])
        .arg("-in")
        .arg(at("server.csr"))
        .arg("-CA")
        .arg(at("ca.crt"))
        .arg("-CAkey")
        .arg(at("ca.key"))
        .arg("-extfile")
        .arg(at("san.ext"))
        .arg("-out")
        .arg(at("server.crt")));
    (at("ca.crt"), at("server.crt"), at("server.key"))
}

fn wait_for_port(port: u16, child: &mut Child) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("the server exited: {status}");
        }
        assert!(
            Instant::now() < deadline,
            "the server did not listen on {port}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        kill_9(&mut self.0);
    }
}

fn nats_server(port: u16, store: &Path, extra: &[&str]) -> Server {
    let mut child = Command::new("/usr/sbin/nats-server")
        .args(["-a", "127.0.0.1", "-p", &port.to_string(), "-js", "-sd"])
        .arg(store)
        .args(extra)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("starting nats-server");
    wait_for_port(port, &mut child);
    Server(child)
}

#[tokio::test]
async fn the_game_runs_on_a_nats_that_asks_for_a_password_and_never_echoes_it() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let port = free_port();
    let _nats = nats_server(
        port,
        dir.path(),
        &["--user", "button", "--pass", "nats-pass-1"],
    );
    let app = spawn_app(TestOptions::with_settings(Settings {
        nats_url: format!("nats://127.0.0.1:{port}"),
        nats_user: Some("button".into()),
        nats_password: Some("nats-pass-1".into()),
        ..Settings::for_tests()
    }))
    .await;
    assert_eq!(app.press(&player(1)).await.status(), 202);
    app.wait_for_counter(1, Duration::from_secs(10)).await;

    // A wrong password, in the URL: refused, and the error does not repeat it.
    let wrong = NatsConfig {
        url: format!("nats://button:wrong-pass-2@127.0.0.1:{port}"),
        ..NatsConfig::default()
    };
    let error = bus::connect(&wrong, "test", Arc::new(Notify::new()))
        .await
        .expect_err("a wrong password is refused")
        .to_string();
    assert!(!error.contains("wrong-pass-2"), "{error}");
    assert!(error.contains("button:***@"), "{error}");
    app.stop().await;
}

#[tokio::test]
async fn the_game_runs_on_a_nats_that_speaks_only_tls() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let (ca, cert, key) = certificates(dir.path());
    let port = free_port();
    let _nats = nats_server(
        port,
        &dir.path().join("store"),
        &[
            "--tls",
            "--tlscert",
            cert.to_str().expect("a path"),
            "--tlskey",
            key.to_str().expect("a path"),
        ],
    );
    let url = format!("tls://127.0.0.1:{port}");
    // Without the CA, the server's certificate is not trusted.
    let untrusted = NatsConfig {
        url: url.clone(),
        tls_required: true,
        ..NatsConfig::default()
    };
    assert!(
        bus::connect(&untrusted, "test", Arc::new(Notify::new()))
            .await
            .is_err(),
        "a certificate of an unknown CA was trusted"
    );
    let trusted = NatsConfig {
        tls_ca_file: Some(ca.clone()),
        ..untrusted
    };
    let client = bus::connect(&trusted, "test", Arc::new(Notify::new()))
        .await
        .expect("TLS with the CA");
    client.flush().await.expect("a round trip over TLS");
    drop(client);

    // The whole game over it: the CA is handed over in the settings, as an operator would.
    let app = spawn_app(TestOptions::with_settings(Settings {
        nats_url: url,
        nats_tls_required: true,
        nats_tls_ca_file: Some(ca.clone()),
        ..Settings::for_tests()
    }))
    .await;
    assert_eq!(app.press(&player(1)).await.status(), 202);
    app.wait_for_counter(1, Duration::from_secs(10)).await;
    app.stop().await;
    let _ = std::fs::remove_file(std::env::temp_dir().join(format!("button-test-ca-{port}.crt")));
}

/// A PostgreSQL cluster of its own that takes only TLS connections with a password.
struct TlsPostgres {
    port: u16,
    server: Option<Server>,
    bin: PathBuf,
    _dir: tempfile::TempDir,
}

impl TlsPostgres {
    fn start(password: &str) -> (TlsPostgres, PathBuf) {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .expect("Debian's PostgreSQL server in /usr/lib/postgresql")
            .filter_map(Result::ok)
            .map(|entry| entry.path().join("bin"))
            .find(|bin| bin.join("initdb").exists())
            .expect("initdb");
        let dir = tempfile::tempdir().expect("a temp dir");
        let (ca, cert, key) = certificates(dir.path());
        let data = dir.path().join("data");
        std::fs::write(dir.path().join("pw"), password).expect("a password file");
        run(Command::new("chown")
            .args(["-R", "postgres"])
            .arg(dir.path()));
        run(Command::new("chmod").arg("600").arg(&key));
        run(Command::new("chmod").arg("755").arg(dir.path()));
        run(Command::new("runuser")
            .args(["-u", "postgres", "--"])
            .arg(bin.join("initdb"))
            .args(["-U", "button", "-A", "scram-sha-256", "--pwfile"])
            .arg(dir.path().join("pw"))
            .arg("-D")
            .arg(&data));
        std::fs::write(
            data.join("pg_hba.conf"),
            "hostssl all all 127.0.0.1/32 scram-sha-256\nhost all all 127.0.0.1/32 reject\n",
        )
        .expect("pg_hba.conf");
        let port = free_port();
        let mut child = Command::new("runuser")
            .args(["-u", "postgres", "--"])
            .arg(bin.join("postgres"))
            .arg("-D")
            .arg(&data)
            .args(["-p", &port.to_string(), "-c", "listen_addresses=127.0.0.1"])
            .arg("-c")
            .arg(format!("unix_socket_directories={}", dir.path().display()))
            .args(["-c", "ssl=on"])
            .arg("-c")
            .arg(format!("ssl_cert_file={}", cert.display()))
            .arg("-c")
            .arg(format!("ssl_key_file={}", key.display()))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("starting postgres");
        wait_for_port(port, &mut child);
        // A listening port is not yet a server that takes logins: during start-up PostgreSQL
        // answers "the database system is starting up" (57P03, seen in CI). pg_isready says
        // when it accepts connections.
        let deadline = Instant::now() + Duration::from_secs(20);
        while !Command::new(bin.join("pg_isready"))
            .args(["-q", "-h", "127.0.0.1", "-p", &port.to_string()])
            .status()
            .is_ok_and(|status| status.success())
        {
            assert!(Instant::now() < deadline, "postgres never took connections");
            std::thread::sleep(Duration::from_millis(50));
        }
        (
            TlsPostgres {
                port,
                server: Some(Server(child)),
                bin,
                _dir: dir,
            },
            ca,
        )
    }
}

impl Drop for TlsPostgres {
    fn drop(&mut self) {
        // The child is `runuser`: killing it would orphan the postgres it started (one left
        // running after every run). pg_ctl stops the server itself.
        let _ = Command::new("runuser")
            .args(["-u", "postgres", "--"])
            .arg(self.bin.join("pg_ctl"))
            .arg("-D")
            .arg(self._dir.path().join("data"))
            .args(["stop", "-m", "immediate", "-w"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        drop(self.server.take());
    }
}

#[tokio::test]
async fn the_game_stores_in_a_postgresql_reached_over_tls_with_a_password() {
    let _machine = crate::common::machine(false).await;
    let (postgres, ca) = TlsPostgres::start("pg-pass-3");
    let url = |password: &str, mode: &str| {
        format!(
            "postgres://button:{password}@127.0.0.1:{}/button?sslmode={mode}&sslrootcert={}",
            postgres.port,
            ca.display()
        )
    };
    let settings = server::settings::Settings {
        database_url: url("pg-pass-3", "verify-full"),
        ..server::settings::Settings::default()
    };
    server::roles::migrate(&settings)
        .await
        .expect("migrating over TLS");
    let pool = server::db::connect(&settings.database_url)
        .await
        .expect("a pool over TLS");
    let over_tls: bool =
        sqlx::query_scalar("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            .fetch_one(&pool)
            .await
            .expect("asking PostgreSQL");
    assert!(over_tls, "the connection is not encrypted");
    pool.close().await;

    // Without TLS: refused by the server. With a wrong password: refused, never echoed.
    assert!(
        server::db::connect(&url("pg-pass-3", "disable"))
            .await
            .is_err()
    );
    let error = server::db::connect(&url("wrong-pass-4", "verify-full"))
        .await
        .expect_err("a wrong password is refused")
        .to_string();
    assert!(!error.contains("wrong-pass-4"), "{error}");
    drop(postgres);
}
