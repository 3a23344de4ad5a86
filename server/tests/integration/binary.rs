//! The `the-button` binary as an operator runs it.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A free port on loopback (released again for the child to bind).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("no free port")
}

fn the_button(args: &[&str], database: &str, port: u16) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_the-button"));
    command
        .args(args)
        .env("DATABASE_URL", crate::common::pg_url(database))
        .env("BUTTON_NAMESPACE", database)
        .env(
            "BUTTON_POW_SECRET",
            "the binary tests' secret, not for production",
        )
        .env_remove("LEPTOS_ENV")
        .env_remove("LEPTOS_WATCH")
        .env("LEPTOS_OUTPUT_NAME", "the-button")
        .env("LEPTOS_SITE_ROOT", "target/site")
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    command
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

fn unique_name() -> String {
    format!("button_bin_{:08x}", rand::random::<u32>())
}

async fn drop_database(name: &str) {
    use sqlx::{Connection, Executor};
    if let Ok(client) =
        async_nats::connect(format!("nats://{}", crate::common::nats_address())).await
    {
        let js = async_nats::jetstream::new(client);
        let _ = js.delete_stream(format!("{name}_EVENTS")).await;
        let _ = js.delete_stream(format!("KV_{name}_cooldowns")).await;
    }
    if let Ok(mut admin) = sqlx::PgConnection::connect(&crate::common::pg_url("postgres")).await {
        let _ = admin
            .execute(format!(r#"DROP DATABASE IF EXISTS "{name}" WITH (FORCE)"#).as_str())
            .await;
    }
}

#[tokio::test]
async fn all_creates_its_database_serves_and_stops_gracefully_on_sigterm() {
    let _machine = crate::common::machine(false).await;
    let (database, port) = (unique_name(), free_port());
    let mut child = the_button(&["all"], &database, port)
        .spawn()
        .expect("starting the-button");
    wait_until_live(&format!("http://127.0.0.1:{port}/health/ready"), &mut child).await;

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("running kill");
    assert!(killed.success());
    let status = wait_for_exit(&mut child, Duration::from_secs(15));
    if status.is_none() {
        let _ = child.kill();
    }
    assert_eq!(
        status.map(|s| s.code()),
        Some(Some(0)),
        "exit status after SIGTERM"
    );
    drop_database(&database).await;
}

#[test]
fn invalid_configuration_stops_start_up_naming_the_setting() {
    let output = the_button(&["serve"], "unused", free_port())
        .env("BUTTON_REDUCER_BATCH_SIZE", "0")
        .output()
        .expect("the binary runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("BUTTON_REDUCER_BATCH_SIZE"), "{stderr}");
}

#[test]
fn a_binary_not_explicitly_in_development_refuses_to_start_without_the_secret() {
    for role in ["serve", "all"] {
        let mut command = the_button(&[role], "unused", free_port());
        command.env_remove("BUTTON_POW_SECRET");
        let output = command.output().expect("the binary runs");
        assert!(!output.status.success(), "{role} started without a secret");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("BUTTON_POW_SECRET"), "{role}: {stderr}");
    }
}

#[tokio::test]
async fn a_development_run_says_so_and_may_use_the_development_secret() {
    let (database, port) = (unique_name(), free_port());
    let mut child = the_button(&["all"], &database, port)
        .env_remove("BUTTON_POW_SECRET")
        .env("LEPTOS_ENV", "DEV")
        .spawn()
        .expect("starting the-button");
    wait_until_live(&format!("http://127.0.0.1:{port}/health/ready"), &mut child).await;
    let _ = child.kill();
    let _ = child.wait();
    drop_database(&database).await;
}

#[test]
fn invalid_rules_stop_start_up_naming_the_field() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let rules = dir.path().join("rules.json");
    let spec = app::game::RulesSpec {
        press_gain: 1.5,
        ..Default::default()
    };
    std::fs::write(&rules, serde_json::to_string(&spec).unwrap_or_default())
        .expect("writing the file");
    let output = the_button(&["migrate"], "unused", free_port())
        .env("BUTTON_RULES", &rules)
        .output()
        .expect("the binary runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("press_gain"), "{stderr}");
}
