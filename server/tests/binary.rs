//! The `the-button` binary as an operator runs it.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A free port on loopback (released again for the child to bind).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("no free port: {e}"))
}

fn start_server(port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_the-button"))
        .arg("serve")
        .env("LEPTOS_OUTPUT_NAME", "the-button")
        .env("LEPTOS_SITE_ROOT", "target/site")
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("starting the-button: {e}"))
}

async fn wait_until_live(url: &str, child: &mut Child) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(response) = reqwest::get(url).await
            && response.status() == 200
        {
            return;
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!("the-button exited before serving: {status}");
        }
        assert!(
            Instant::now() < deadline,
            "the-button did not become live in 30 s"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn wait_for_exit(child: &mut Child, within: Duration) -> Option<std::process::ExitStatus> {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if let Ok(Some(status)) = child.try_wait() {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    None
}

#[tokio::test]
async fn sigterm_stops_the_server_gracefully() {
    let port = free_port();
    let mut child = start_server(port);
    wait_until_live(&format!("http://127.0.0.1:{port}/health/live"), &mut child).await;

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap_or_else(|e| panic!("running kill: {e}"));
    assert!(killed.success());

    let status = wait_for_exit(&mut child, Duration::from_secs(10));
    if status.is_none() {
        let _ = child.kill();
    }
    assert_eq!(
        status.map(|s| s.code()),
        Some(Some(0)),
        "exit status after SIGTERM"
    );
}
