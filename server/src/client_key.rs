//! Who is pressing: the client's IP (believing `X-Forwarded-For` only from trusted proxies), the
//! player it stands for (an IPv4 address, or an IPv6 /64: one subscriber's network), and the
//! salted hash of that which the game stores and limits by. A raw IP is never stored.

use std::net::{IpAddr, Ipv6Addr, SocketAddr};

use axum::http::HeaderMap;
use hmac::{Hmac, Mac};
use ipnet::IpNet;
use sha2::Sha256;

/// The client's IP: the peer, unless the peer is a trusted proxy, in which case the right-most
/// address of `X-Forwarded-For` that is not itself a trusted proxy.
pub fn client_ip(peer: SocketAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    let peer_ip = peer.ip().to_canonical();
    if !is_trusted(&peer_ip) {
        return peer_ip;
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .filter_map(|part| forwarded_ip(part.trim()))
        .map(|ip| ip.to_canonical())
        .collect();
    forwarded
        .iter()
        .rev()
        .find(|ip| !is_trusted(ip))
        .or_else(|| forwarded.first())
        .copied()
        .unwrap_or(peer_ip)
}

/// One `X-Forwarded-For` entry: `1.2.3.4`, `1.2.3.4:5678`, `2001:db8::1`, `[2001:db8::1]` or
/// `[2001:db8::1]:80`.
fn forwarded_ip(entry: &str) -> Option<IpAddr> {
    entry
        .parse::<IpAddr>()
        .ok()
        .or_else(|| entry.parse::<SocketAddr>().ok().map(|addr| addr.ip()))
        .or_else(|| {
            entry
                .strip_prefix('[')
                .and_then(|rest| rest.strip_suffix(']'))
                .and_then(|inner| inner.parse::<IpAddr>().ok())
        })
}

/// The player an address stands for: an IPv4 address itself, an IPv6 address its /64 (one
/// subscriber gets a whole /64, so each /128 as a player would give anyone 2^64 cooldowns).
pub fn player_address(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V4(v4) => IpAddr::V4(v4),
        IpAddr::V6(v6) => {
            let network = u128::from(v6) & !((1u128 << 64) - 1);
            IpAddr::V6(Ipv6Addr::from(network))
        }
    }
}

/// Turns client IPs into stable, salted, non-reversible keys.
#[derive(Clone)]
pub struct ClientKeys {
    mac: Hmac<Sha256>,
}

impl ClientKeys {
    /// Keys salted with the server's secret.
    pub fn new(secret: &[u8]) -> Result<ClientKeys, hmac::digest::InvalidLength> {
        let mut mac = Hmac::<Sha256>::new_from_slice(secret)?;
        mac.update(b"client-key:");
        Ok(ClientKeys { mac })
    }

    /// 32 hex digits identifying the player of `ip` (see [`player_address`]) to this game only.
    pub fn key(&self, ip: IpAddr) -> String {
        let mut mac = self.mac.clone();
        mac.update(player_address(ip).to_string().as_bytes());
        hex::encode(&mac.finalize().into_bytes()[..16])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap_or(IpAddr::from([0, 0, 0, 0]))
    }

    fn headers(xff: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        if let Ok(value) = HeaderValue::from_str(xff) {
            headers.insert("x-forwarded-for", value);
        }
        headers
    }

    fn proxies() -> Vec<IpNet> {
        vec![
            "10.0.0.0/8"
                .parse()
                .unwrap_or_else(|_| IpNet::from(ip("10.0.0.1"))),
        ]
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_forwards() {
        let peer = SocketAddr::new(ip("203.0.113.7"), 4000);
        assert_eq!(
            client_ip(peer, &headers("198.51.100.1"), &proxies()),
            ip("203.0.113.7")
        );
    }

    #[test]
    fn a_trusted_proxy_is_believed() {
        let peer = SocketAddr::new(ip("10.0.0.2"), 4000);
        assert_eq!(
            client_ip(peer, &headers("198.51.100.1"), &proxies()),
            ip("198.51.100.1")
        );
    }

    #[test]
    fn spoofed_entries_left_of_the_real_client_are_ignored() {
        // The client claims 1.2.3.4; our proxy appended the address it saw.
        let peer = SocketAddr::new(ip("10.0.0.2"), 4000);
        let xff = headers("1.2.3.4, 198.51.100.1, 10.0.0.9");
        assert_eq!(client_ip(peer, &xff, &proxies()), ip("198.51.100.1"));
    }

    #[test]
    fn a_trusted_peer_without_the_header_is_the_client() {
        let peer = SocketAddr::new(ip("10.0.0.2"), 4000);
        assert_eq!(
            client_ip(peer, &HeaderMap::new(), &proxies()),
            ip("10.0.0.2")
        );
    }

    #[test]
    fn client_keys_are_stable_salted_and_distinct() {
        let keys = ClientKeys::new(b"one secret, long enough").unwrap_or_else(|e| panic!("{e}"));
        let other = ClientKeys::new(b"another secret, long too").unwrap_or_else(|e| panic!("{e}"));
        let a = keys.key(ip("198.51.100.1"));
        assert_eq!(a, keys.key(ip("198.51.100.1")));
        assert_ne!(a, keys.key(ip("198.51.100.2")));
        assert_ne!(a, other.key(ip("198.51.100.1")));
        assert_eq!(a.len(), 32);
        assert!(!a.contains("198"));
    }

    #[test]
    fn forwarded_entries_with_ports_and_brackets_are_understood() {
        let peer = SocketAddr::new(ip("10.0.0.2"), 4000);
        for (entry, expected) in [
            ("198.51.100.1:5678", "198.51.100.1"),
            ("[2001:db8::7]:80", "2001:db8::7"),
            ("[2001:db8::7]", "2001:db8::7"),
            ("2001:db8::7", "2001:db8::7"),
        ] {
            assert_eq!(
                client_ip(peer, &headers(entry), &proxies()),
                ip(expected),
                "{entry}"
            );
        }
        // Garbage is skipped, not believed.
        assert_eq!(
            client_ip(peer, &headers("198.51.100.1, nonsense:port"), &proxies()),
            ip("198.51.100.1")
        );
    }

    #[test]
    fn one_ipv6_slash_64_is_one_player() {
        let keys = ClientKeys::new(b"one secret, long enough").unwrap_or_else(|e| panic!("{e}"));
        let a = keys.key(ip("2001:db8:1:2:aaaa::1"));
        assert_eq!(a, keys.key(ip("2001:db8:1:2:ffff:ffff:ffff:ffff")));
        assert_ne!(a, keys.key(ip("2001:db8:1:3::1")));
        assert_eq!(
            player_address(ip("2001:db8:1:2:aaaa::1")),
            ip("2001:db8:1:2::")
        );
        // IPv4, and IPv4 seen through an IPv6 socket, are the address itself.
        assert_eq!(player_address(ip("198.51.100.1")), ip("198.51.100.1"));
        assert_eq!(
            player_address(ip("::ffff:198.51.100.1")),
            ip("198.51.100.1")
        );
        assert_ne!(keys.key(ip("198.51.100.1")), keys.key(ip("198.51.100.2")));
    }
}
