//! The admin tokens: `BUTTON_ADMIN_TOKEN` holds one secret (named `admin`) or several named ones,
//! `name:secret,name:secret`. A request's bearer token is compared with each in constant time,
//! and what the audit keeps is the matching token's name, never the token.

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// The shortest secret accepted: long enough that guessing it through a rate-limited API is
/// hopeless.
pub const MIN_SECRET_BYTES: usize = 16;

/// The name of a token given without one.
const DEFAULT_NAME: &str = "admin";

/// The configured admin tokens (none: the admin routes answer 404).
#[derive(Clone, Default)]
pub struct AdminTokens {
    /// Each token's name and its secret's SHA-256 (equal lengths, so the comparison does not
    /// depend on the secret's length either).
    tokens: Vec<(String, [u8; 32])>,
}

impl std::fmt::Debug for AdminTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.tokens.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("AdminTokens")
            .field("names", &names)
            .finish()
    }
}

fn digest(secret: &str) -> [u8; 32] {
    Sha256::digest(secret.as_bytes()).into()
}

impl AdminTokens {
    /// Parses the setting's value; the error says what is wrong without repeating a secret.
    pub fn parse(value: Option<&str>) -> Result<AdminTokens, String> {
        let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
            return Ok(AdminTokens::default());
        };
        let mut tokens: Vec<(String, [u8; 32])> = Vec::new();
        for (i, entry) in value.split(',').map(str::trim).enumerate() {
            let (name, secret) = match entry.split_once(':') {
                Some((name, secret)) => (name.trim(), secret.trim()),
                None if i == 0 && !value.contains(',') => (DEFAULT_NAME, entry),
                None => return Err(format!("token {} has no name (name:secret)", i + 1)),
            };
            let name_ok = !name.is_empty()
                && name.len() <= 32
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.');
            if !name_ok {
                return Err(format!(
                    "token {}'s name must be 1 to 32 letters, digits, '-', '_' or '.'",
                    i + 1
                ));
            }
            if secret.len() < MIN_SECRET_BYTES {
                return Err(format!(
                    "token {name} must be at least {MIN_SECRET_BYTES} bytes long"
                ));
            }
            if tokens.iter().any(|(other, _)| other == name) {
                return Err(format!("token name {name} is given twice"));
            }
            tokens.push((name.to_owned(), digest(secret)));
        }
        Ok(AdminTokens { tokens })
    }

    /// Whether any token is configured (the admin routes exist).
    pub fn enabled(&self) -> bool {
        !self.tokens.is_empty()
    }

    /// The name of the token `presented` is, if it is one. Every configured token is compared,
    /// whichever matches, so the time taken says nothing about which nor how close.
    pub fn name_of(&self, presented: &str) -> Option<&str> {
        let presented = digest(presented);
        let mut found = None;
        for (name, secret) in &self.tokens {
            if bool::from(secret.ct_eq(&presented)) {
                found = Some(name.as_str());
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_secret_is_named_admin_and_several_carry_names() {
        let one = AdminTokens::parse(Some("0123456789abcdef")).expect("valid");
        assert_eq!(one.name_of("0123456789abcdef"), Some("admin"));
        assert_eq!(one.name_of("0123456789abcdeF"), None);
        let two = AdminTokens::parse(Some("alice:aaaaaaaaaaaaaaaa, bob:bbbbbbbbbbbbbbbb"))
            .expect("valid");
        assert_eq!(two.name_of("bbbbbbbbbbbbbbbb"), Some("bob"));
        assert_eq!(two.name_of(""), None);
    }

    #[test]
    fn none_configured_means_no_admin_routes() {
        assert!(!AdminTokens::parse(None).expect("valid").enabled());
        assert!(!AdminTokens::parse(Some("  ")).expect("valid").enabled());
    }

    #[test]
    fn short_unnamed_or_twice_named_tokens_are_refused_without_repeating_them() {
        let short = AdminTokens::parse(Some("alice:short")).expect_err("too short");
        assert!(!short.contains("short,") && short.contains("16 bytes"));
        assert!(AdminTokens::parse(Some("aaaaaaaaaaaaaaaa,bbbbbbbbbbbbbbbb")).is_err());
        assert!(AdminTokens::parse(Some("a:aaaaaaaaaaaaaaaa,a:bbbbbbbbbbbbbbbb")).is_err());
        assert!(AdminTokens::parse(Some("no spaces:aaaaaaaaaaaaaaaa")).is_err());
    }
}
