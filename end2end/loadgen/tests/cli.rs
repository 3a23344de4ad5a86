//! The command line as scripts use it.

use std::process::Command;

#[test]
fn a_target_off_this_machine_is_refused_with_a_reason_and_a_failing_exit() {
    let output = Command::new(env!("CARGO_BIN_EXE_loadgen"))
        .args(["--json", "press", "--url", "http://192.0.2.1:3000"])
        .output()
        .expect("loadgen runs");
    assert!(!output.status.success());
    assert!(output.stdout.is_empty(), "no report");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("only targets loopback"), "{stderr}");
}
