//! The NATS names of one game instance, all prefixed by its namespace so that several instances
//! (and parallel tests) share one NATS server.

use app::game::PressId;

/// The names under one namespace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Names {
    namespace: String,
}

impl Names {
    /// Names under `namespace` (validated by the settings: letters, digits, `_`, `-`).
    pub fn new(namespace: impl Into<String>) -> Names {
        Names {
            namespace: namespace.into(),
        }
    }

    /// The namespace itself.
    pub fn namespace(&self) -> &str {
        &self.namespace
    }

    /// The JetStream stream that holds every event: `<ns>_EVENTS`.
    pub fn events_stream(&self) -> String {
        format!("{}_EVENTS", self.namespace)
    }

    /// The subjects of that stream: `<ns>.events.>`.
    pub fn events_subjects(&self) -> String {
        format!("{}.events.>", self.namespace)
    }

    /// The subject of one press: `<ns>.events.press.<press_id>`, so the stream can tell whether a
    /// press id was accepted before the reducer applies it.
    pub fn press_subject(&self, press_id: PressId) -> String {
        format!("{}.events.press.{press_id}", self.namespace)
    }

    /// The subject of the watcher's ticks: `<ns>.events.tick`.
    pub fn tick_subject(&self) -> String {
        format!("{}.events.tick", self.namespace)
    }

    /// The subject of the operators' commands: `<ns>.events.admin`.
    pub fn admin_subject(&self) -> String {
        format!("{}.events.admin", self.namespace)
    }

    /// The reducer's durable pull consumer: `<ns>_reducer`.
    pub fn reducer_consumer(&self) -> String {
        format!("{}_reducer", self.namespace)
    }

    /// The core NATS subject of live states: `<ns>.state`.
    pub fn state_subject(&self) -> String {
        format!("{}.state", self.namespace)
    }

    /// The core NATS subject of applied presses' receipts for their viewers: `<ns>.receipts`.
    pub fn receipts_subject(&self) -> String {
        format!("{}.receipts", self.namespace)
    }

    /// The core NATS subject where web servers say how many live clients they hold:
    /// `<ns>.presence`.
    pub fn presence_subject(&self) -> String {
        format!("{}.presence", self.namespace)
    }

    /// The KV bucket of per-player cooldowns: `<ns>_cooldowns`.
    pub fn cooldown_bucket(&self) -> String {
        format!("{}_cooldowns", self.namespace)
    }

    /// The PostgreSQL advisory lock key that makes the reducer the single writer.
    pub fn reducer_lock_key(&self) -> i64 {
        use sha2::{Digest, Sha256};
        let digest = Sha256::digest(format!("the-button reducer {}", self.namespace));
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest[..8]);
        i64::from_be_bytes(first)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_carries_the_namespace() {
        let names = Names::new("t42");
        assert_eq!(names.events_stream(), "t42_EVENTS");
        assert_eq!(names.events_subjects(), "t42.events.>");
        assert_eq!(names.tick_subject(), "t42.events.tick");
        assert_eq!(names.reducer_consumer(), "t42_reducer");
        assert_eq!(names.state_subject(), "t42.state");
        assert_eq!(names.cooldown_bucket(), "t42_cooldowns");
        let id = PressId(uuid::Uuid::nil());
        assert_eq!(
            names.press_subject(id),
            "t42.events.press.00000000-0000-0000-0000-000000000000"
        );
    }

    #[test]
    fn namespaces_get_different_reducer_locks() {
        assert_ne!(
            Names::new("a").reducer_lock_key(),
            Names::new("b").reducer_lock_key()
        );
        assert_eq!(
            Names::new("a").reducer_lock_key(),
            Names::new("a").reducer_lock_key()
        );
    }
}
