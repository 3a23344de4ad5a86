//! More than one machine, really run: a three-node NATS cluster with JetStream, two web servers,
//! two reducers. The events stream's leader node dies under load, then the working reducer: every
//! press that got a 202 is applied exactly once, and the game goes on.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::common::load::{assert_counted_exactly_once, press_until};
use crate::common::nats::NatsCluster;
use crate::common::{TestApp, TestOptions, kill_9, spawn_app, spawn_server_for};
use server::settings::Settings;

/// The node that leads the events stream now (JetStream moves the leadership when it dies).
async fn events_leader(app: &TestApp) -> String {
    let client =
        async_nats::connect(server::bus::server_addrs(&app.settings.nats_url).expect("NATS URLs"))
            .await
            .expect("connecting to the cluster");
    let js = async_nats::jetstream::new(client);
    let mut stream = js
        .get_stream(app.names.events_stream())
        .await
        .expect("the events stream");
    let info = stream.info().await.expect("the stream's info");
    assert_eq!(
        info.config.num_replicas, 3,
        "the stream is on all three nodes"
    );
    info.cluster
        .clone()
        .and_then(|cluster| cluster.leader)
        .expect("a replicated stream has a leader")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cluster_loses_the_stream_leader_node_then_the_working_reducer_and_no_202_is_lost() {
    let mut cluster = NatsCluster::start().await;
    let first = Arc::new(
        spawn_app(TestOptions {
            settings: Settings {
                nats_url: cluster.url(),
                stream_replicas: 3,
                ..Settings::for_tests()
            },
            reducer: false,
            alone: true,
            ..TestOptions::default()
        })
        .await,
    );
    let second = Arc::new(spawn_server_for(&first).await);

    // One reducer writes; the other, started once the first holds the lock, waits.
    let mut writer = first.spawn_reducer_process();
    let never = Arc::new(AtomicBool::new(false));
    let mut pressed = press_until(&first, 1, 1, 0, never.clone()).await;
    pressed.extend(press_until(&second, 1, 1, 1, never.clone()).await);
    assert_eq!(pressed.accepted.len(), 2, "{:?}", pressed.statuses());
    first.wait_for_counter(2, Duration::from_secs(20)).await;
    let mut standby = first.spawn_reducer_process();
    let leader = events_leader(&first).await;

    // Players press through both web servers while the faults happen.
    let done = Arc::new(AtomicBool::new(false));
    let players = |app: &Arc<TestApp>, first_player: u32| {
        let (app, done) = (app.clone(), done.clone());
        tokio::spawn(async move { press_until(&app, 3, 400, first_player, done).await })
    };
    let through_first = players(&first, 10);
    let through_second = players(&second, 20);

    tokio::time::sleep(Duration::from_millis(1_500)).await;
    cluster.node(&leader).kill();
    // JetStream elects another leader among the two nodes left; presses go on meanwhile.
    tokio::time::sleep(Duration::from_millis(3_000)).await;
    kill_9(&mut writer);
    tokio::time::sleep(Duration::from_millis(3_000)).await;
    done.store(true, Ordering::SeqCst);

    for task in [through_first, through_second] {
        pressed.extend(task.await.expect("a players' task"));
    }
    let new_leader = events_leader(&first).await;
    assert_ne!(new_leader, leader, "another node leads the stream");
    eprintln!(
        "{} presses accepted, {} refused, {} unconfirmed, through the loss of {leader} (now \
         {new_leader}) and of the working reducer",
        pressed.accepted.len(),
        pressed.refused.len(),
        pressed.unconfirmed.len()
    );
    assert!(
        pressed.unanswered.is_empty(),
        "the web servers stayed up: every press gets an answer"
    );
    // A refusal is only ever "unavailable, nothing was taken", while the leadership moves.
    assert!(
        pressed.refused.iter().all(|(_, status)| *status == 503),
        "{:?}",
        pressed.statuses()
    );

    // The game goes on: with one node and one reducer down, both web servers take presses and
    // the standby applies them.
    let mut later = press_until(&first, 2, 10, 40, never.clone()).await;
    later.extend(press_until(&second, 2, 10, 50, never).await);
    assert_eq!(later.accepted.len(), 40, "{:?}", later.statuses());
    pressed.extend(later);

    assert_counted_exactly_once(&first, &pressed).await;
    kill_9(&mut standby);
    if let Ok(second) = Arc::try_unwrap(second) {
        second.stop_server().await;
    }
    if let Ok(app) = Arc::try_unwrap(first) {
        app.stop().await;
    }
}
