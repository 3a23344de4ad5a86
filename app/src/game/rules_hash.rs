//! The SHA-256 of the rules' canonical JSON, written as 64 lowercase hex digits.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest, Sha256};

/// Identifies one set of rules; every state records the hash of the rules it was computed with.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct RulesHash([u8; 32]);

/// A rules hash that is not 64 hex digits.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a rules hash is 64 hex digits, got {0:?}")]
pub struct RulesHashError(String);

impl RulesHash {
    /// The hash of `bytes` (the canonical JSON of a set of rules).
    pub fn of(bytes: &[u8]) -> RulesHash {
        RulesHash(Sha256::digest(bytes).into())
    }

    /// The raw 32 bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Display for RulesHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut buf = [0u8; 64];
        // Encoding 32 bytes into 64 always fits, so this cannot fail.
        let _ = hex::encode_to_slice(self.0, &mut buf);
        f.write_str(std::str::from_utf8(&buf).map_err(|_| fmt::Error)?)
    }
}

impl fmt::Debug for RulesHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RulesHash({self})")
    }
}

impl FromStr for RulesHash {
    type Err = RulesHashError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut bytes = [0u8; 32];
        if s.len() != 64 || s.bytes().any(|b| b.is_ascii_uppercase()) {
            return Err(RulesHashError(s.to_owned()));
        }
        hex::decode_to_slice(s, &mut bytes).map_err(|_| RulesHashError(s.to_owned()))?;
        Ok(RulesHash(bytes))
    }
}

impl Serialize for RulesHash {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for RulesHash {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_of_empty_input_is_sha256_of_nothing() {
        // Python: hashlib.sha256(b"").hexdigest()
        assert_eq!(
            RulesHash::of(b"").to_string(),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn display_and_parse_round_trip() {
        let hash = RulesHash::of(b"rules");
        assert_eq!(hash.to_string().parse::<RulesHash>(), Ok(hash));
    }

    #[test]
    fn parse_refuses_anything_but_64_lowercase_hex_digits() {
        let good = RulesHash::of(b"x").to_string();
        assert!(good[..63].parse::<RulesHash>().is_err());
        assert!(format!("{good}0").parse::<RulesHash>().is_err());
        assert!(good.to_uppercase().parse::<RulesHash>().is_err());
        assert!("z".repeat(64).parse::<RulesHash>().is_err());
    }
}
