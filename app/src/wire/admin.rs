//! The operators' API (`/v1/admin/…`) and what players see of it: the notice of the newest
//! command (`notice` on the live stream).

use serde::{Deserialize, Serialize};

use crate::game::{Command, RulesSpec, State};

/// The longest message an operator may give players, in characters.
pub const MAX_NOTICE_CHARS: usize = 280;

/// `POST /v1/admin/pause` and `/v1/admin/season`: what to tell the players, if anything.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdminMessage {
    /// Shown to players with the notice (at most 280 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// `PUT /v1/admin/rules`: the new rules, validated before anything is sent.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesChange {
    /// The rules, as a rules file holds them (GAME.md, "Default rules").
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub rules: RulesSpec,
    /// Shown to players with the notice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// 202: the command is in the events stream; the reducer applies it in order, once.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminAccepted {
    /// The action's id (in the audit).
    #[cfg_attr(feature = "ssr", schema(value_type = String, format = Uuid))]
    pub action_id: uuid::Uuid,
    /// Its place in the events stream: it takes effect there.
    pub seq: u64,
}

/// A command as players see it: what, when, in which season, and the operator's message.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Notice {
    /// Its place in the events stream.
    pub seq: u64,
    /// When it took effect.
    pub at_ms: i64,
    /// The season after it.
    pub season: u32,
    /// The command (`pause`, `resume`, `new_season`, `rules` with its `rules_hash`).
    #[serde(flatten)]
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub command: Command,
    /// What the operator said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// One line of the audit: the notice, and who gave the command (an admin token's name).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminAction {
    /// What, when.
    #[serde(flatten)]
    pub notice: Notice,
    /// The name of the token that asked.
    pub by: String,
    /// The action's id.
    #[cfg_attr(feature = "ssr", schema(value_type = String, format = Uuid))]
    pub action_id: uuid::Uuid,
}

/// `GET /v1/admin/status`: the game as an operator sees it.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminStatus {
    /// The newest committed state (its `season`, `paused`, `rules_hash`).
    pub state: State,
    /// The rules in force.
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub rules: RulesSpec,
    /// The newest commands, newest first.
    pub audit: Vec<AdminAction>,
}

/// A message players may be shown: trimmed, not empty, at most [`MAX_NOTICE_CHARS`], no control
/// characters.
pub fn notice_message(message: Option<&str>) -> Result<Option<String>, String> {
    let Some(message) = message.map(str::trim).filter(|m| !m.is_empty()) else {
        return Ok(None);
    };
    if message.chars().count() > MAX_NOTICE_CHARS {
        return Err(format!(
            "the message is longer than {MAX_NOTICE_CHARS} characters"
        ));
    }
    if message.chars().any(char::is_control) {
        return Err("the message holds control characters".into());
    }
    Ok(Some(message.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_is_trimmed_bounded_and_printable() {
        assert_eq!(notice_message(None), Ok(None));
        assert_eq!(notice_message(Some("   ")), Ok(None));
        assert_eq!(
            notice_message(Some(" back at noon ")),
            Ok(Some("back at noon".into()))
        );
        assert!(notice_message(Some(&"x".repeat(281))).is_err());
        assert!(notice_message(Some("line\nbreak")).is_err());
    }

    #[test]
    fn a_notice_names_its_command_flat() {
        let notice = Notice {
            seq: 9,
            at_ms: 5,
            season: 2,
            command: Command::NewSeason,
            message: None,
        };
        let json = serde_json::to_value(&notice).unwrap_or_default();
        assert_eq!(
            json,
            serde_json::json!({"seq": 9, "at_ms": 5, "season": 2, "command": "new_season"})
        );
    }
}
