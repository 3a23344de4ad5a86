//! The JetStream payload of an event: what the reducer needs beyond the rules' `Event`.

use app::game::{Command, Country, Event, Player, PressId};
use serde::{Deserialize, Serialize};

/// One message of the events stream.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EventMessage {
    /// An accepted press.
    Press {
        /// Given by the web server with the 202.
        press_id: PressId,
        /// The challenge it solved (also the message's `Nats-Msg-Id`).
        challenge_id: String,
        /// Salted hash of the player's IP.
        client_key: String,
        /// The keyed hash of the player's token; none for an anonymous press (and for presses
        /// published before players existed).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        player: Option<Player>,
        /// The country of the client's address, when the web server's database knows it (the
        /// address itself never leaves the web server).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        country: Option<Country>,
        /// When the web server accepted it.
        at_ms: i64,
        /// The page's live stream its receipt goes to once applied (`<ns>.receipts`); none when
        /// nobody waits for it there.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        viewer: Option<String>,
    },
    /// The watcher's tick.
    Tick {
        /// When the watcher sent it.
        at_ms: i64,
    },
    /// An operator's command, from the admin API (`<ns>.events.admin`).
    Admin {
        /// The action's id (also the message's `Nats-Msg-Id`, so a retried request is one
        /// action).
        action_id: uuid::Uuid,
        /// What was asked.
        #[serde(flatten)]
        command: Command,
        /// The name of the admin token that asked (never the token).
        by: String,
        /// What the operator says to the players (a pause's reason, a season's name).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message: Option<String>,
        /// When the web server took it.
        at_ms: i64,
    },
}

impl EventMessage {
    /// The event the rules apply.
    pub fn event(&self) -> Event {
        match self {
            EventMessage::Press {
                press_id,
                at_ms,
                player,
                ..
            } => Event::Press {
                press_id: *press_id,
                at_ms: *at_ms,
                player: *player,
            },
            EventMessage::Tick { at_ms } => Event::Tick { at_ms: *at_ms },
            EventMessage::Admin { command, at_ms, .. } => Event::Admin {
                at_ms: *at_ms,
                command: *command,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_press_message_on_the_wire() {
        let message = EventMessage::Press {
            press_id: PressId(uuid::Uuid::from_u128(7)),
            challenge_id: "00112233445566778899aabbccddeeff".into(),
            client_key: "abc".into(),
            player: None,
            country: None,
            at_ms: 5,
            viewer: None,
        };
        let json = serde_json::to_value(&message).unwrap_or_default();
        assert_eq!(
            json,
            serde_json::json!({
                "kind": "press",
                "press_id": "00000000-0000-0000-0000-000000000007",
                "challenge_id": "00112233445566778899aabbccddeeff",
                "client_key": "abc",
                "at_ms": 5
            })
        );
        assert_eq!(
            message.event(),
            Event::Press {
                press_id: PressId(uuid::Uuid::from_u128(7)),
                at_ms: 5,
                player: None,
            }
        );
    }
}
