//! Who a player is: the keyed hash of the token their browser made (app/GAME.md, "Players").
//! The token itself is never stored nor logged; the hash is what the game keeps, and the handle
//! everyone sees is derived from it.

use app::game::Player;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Turns player tokens into [`Player`]s, keyed with the server's secret: the same token is the
/// same player on every web server, and nobody without the secret can tell a token's handle.
#[derive(Clone)]
pub struct PlayerKeys {
    mac: Hmac<Sha256>,
}

impl PlayerKeys {
    /// Keys made with the server's secret (changing it renames every player).
    pub fn new(secret: &[u8]) -> Result<PlayerKeys, hmac::digest::InvalidLength> {
        let mut mac = Hmac::<Sha256>::new_from_slice(secret)?;
        // Apart from the client keys made with the same secret.
        mac.update(b"player:");
        Ok(PlayerKeys { mac })
    }

    /// The player whose token is `token`.
    pub fn player(&self, token: &str) -> Player {
        let mut mac = self.mac.clone();
        mac.update(token.as_bytes());
        let mut bytes = [0; 16];
        bytes.copy_from_slice(&mac.finalize().into_bytes()[..16]);
        Player(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_one_player_for_one_secret_and_never_shows() {
        let keys = PlayerKeys::new(b"a secret of sixteen bytes").expect("a key");
        let token = "0123456789abcdef0123456789abcdef";
        assert_eq!(keys.player(token), keys.player(token));
        assert_ne!(
            keys.player(token),
            keys.player("0123456789abcdef0123456789abcdee")
        );
        let other = PlayerKeys::new(b"another secret, sixteen").expect("a key");
        assert_ne!(keys.player(token), other.player(token));
        assert!(!keys.player(token).to_string().contains("0123456789abcdef"));
    }
}
