//! The country of a client address, from an offline database (MaxMind DB format, read by the
//! `maxminddb` crate; `scripts/setup.sh` installs npm's `@ip-location-db/geo-whois-asn-country-mmdb`).
//! Only the country travels on with the press; the address is never stored nor logged.

use std::net::IpAddr;
use std::path::Path;
use std::sync::Arc;

use app::game::Country;
use serde::Deserialize;
use tracing::{info, warn};

/// Looks up countries; without a database every address is of an unknown country.
#[derive(Clone, Default)]
pub struct Geo {
    reader: Option<Arc<maxminddb::Reader<Vec<u8>>>>,
}

/// The one field the game reads from a record.
#[derive(Deserialize)]
struct Record<'a> {
    country_code: Option<&'a str>,
}

impl Geo {
    /// The database at `path`; when there is none (or it cannot be read), a lookup that knows
    /// no country, said once with a warning: the game runs, and counts "unknown".
    pub fn open(path: Option<&Path>) -> Geo {
        let Some(path) = path else {
            warn!("no country database set (BUTTON_GEO_DATABASE): every press counts as unknown");
            return Geo::default();
        };
        match maxminddb::Reader::open_readfile(path) {
            Ok(reader) => {
                info!(path = %path.display(), built = reader.metadata().build_epoch,
                      "country database loaded");
                Geo {
                    reader: Some(Arc::new(reader)),
                }
            }
            Err(error) => {
                warn!(path = %path.display(), %error,
                      "no country database: every press counts as unknown");
                Geo::default()
            }
        }
    }

    /// Whether a database is loaded.
    pub fn is_loaded(&self) -> bool {
        self.reader.is_some()
    }

    /// The country of `address`, if the database knows it. An address that is nobody's on the
    /// internet (private, loopback, link-local, documentation…) has none, whatever a database
    /// says of it.
    pub fn country(&self, address: IpAddr) -> Option<Country> {
        let reader = self.reader.as_ref()?;
        if !is_public(address) {
            return None;
        }
        let record: Record = reader.lookup(address).ok()?.decode().ok()??;
        record.country_code?.parse().ok()
    }
}

/// Whether `address` can be someone's on the internet (the standard library's `is_global` is not
/// stable yet): not private, shared, loopback, link-local, documentation, unspecified nor
/// broadcast.
fn is_public(address: IpAddr) -> bool {
    match address {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_documentation()
                || v4.is_unspecified()
                || v4.is_broadcast()
                // Shared address space (carrier-grade NAT), 100.64.0.0/10.
                || (a == 100 && (b & 0xc0) == 64))
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                // Unique local (fc00::/7), link-local (fe80::/10), documentation (2001:db8::/32).
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                || (first == 0x2001 && v6.segments()[1] == 0x0db8))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_internet_addresses_are_looked_up() {
        for public in [
            "8.8.8.8",
            "100.128.0.1",
            "2001:4860:4860::8888",
            "::ffff:8.8.8.8",
        ] {
            assert!(is_public(public.parse().expect("an address")), "{public}");
        }
        for private in [
            "10.0.0.1",
            "192.168.1.1",
            "172.16.0.1",
            "127.0.0.1",
            "169.254.1.1",
            "198.51.100.7",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fd00::1",
            "fe80::1",
            "2001:db8::1",
            "::ffff:10.0.0.1",
        ] {
            assert!(
                !is_public(private.parse().expect("an address")),
                "{private}"
            );
        }
    }
}
