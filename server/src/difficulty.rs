//! How much work a challenge asks for: the phase's bits (the rules), raised by levels of how busy
//! the whole game is (presses in the last minute, mCaptcha-style) and of how much one network
//! pressed lately (an IPv4 /24, an IPv6 /48). A flood from one network, whatever number of its
//! addresses it uses, pays more and more for each press, while everyone else pays what the game's
//! phase and busyness ask.
//!
//! Pure but for the clock, which callers pass in: [`DifficultyPolicy`] decides, [`NetworkPresses`]
//! counts each network's recent presses (this web server's: behind a balancer each server counts
//! what it saw, which a flood spread over servers divides but does not escape).

use std::collections::HashMap;
use std::net::IpAddr;
use std::str::FromStr;
use std::sync::Mutex;

use ipnet::{IpNet, Ipv4Net, Ipv6Net};

/// Extra bits by rate: at or above `presses` in a minute, `extra` more bits; the highest level
/// reached counts. Written `presses:bits,…` (`600:1,3000:2`); empty for none.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Levels(Vec<(u64, u32)>);

/// The most bits a level may add: each one doubles the work.
pub const MAX_EXTRA_BITS: u32 = 16;

impl FromStr for Levels {
    type Err = String;

    fn from_str(text: &str) -> Result<Levels, String> {
        let mut levels: Vec<(u64, u32)> = Vec::new();
        for level in text.split(',').map(str::trim).filter(|l| !l.is_empty()) {
            let (presses, bits) = level
                .split_once(':')
                .ok_or_else(|| format!("{level:?} is not presses:bits"))?;
            let presses: u64 = presses
                .trim()
                .parse()
                .map_err(|_| format!("{level:?}: presses must be a whole number"))?;
            let bits: u32 = bits
                .trim()
                .parse()
                .map_err(|_| format!("{level:?}: bits must be a whole number"))?;
            if presses == 0 || !(1..=MAX_EXTRA_BITS).contains(&bits) {
                return Err(format!(
                    "{level:?}: presses above 0, bits from 1 to {MAX_EXTRA_BITS}"
                ));
            }
            if levels
                .last()
                .is_some_and(|(p, b)| presses <= *p || bits <= *b)
            {
                return Err(format!(
                    "{level:?}: each level needs more presses and gives more bits than the one before"
                ));
            }
            levels.push((presses, bits));
        }
        Ok(Levels(levels))
    }
}

impl Levels {
    /// Whether no level is set (the policy then needs no count at all).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The extra bits at `presses` a minute.
    pub fn extra(&self, presses: u64) -> u32 {
        self.0
            .iter()
            .rev()
            .find(|(at_least, _)| presses >= *at_least)
            .map_or(0, |(_, bits)| *bits)
    }
}

/// The policy: the phase's bits plus the game's level plus the network's, at most `max_bits`
/// (never below the phase's own).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DifficultyPolicy {
    /// By the whole game's presses in the last minute.
    pub game: Levels,
    /// By one network's presses in the last minute (none: networks are not counted).
    pub network: Levels,
    /// The most bits a challenge asks for.
    pub max_bits: u32,
}

impl DifficultyPolicy {
    /// The bits of a challenge for a client whose network pressed `network_presses` times in
    /// the last minute, while the game took `game_presses`.
    pub fn bits(&self, phase_bits: u32, game_presses: u64, network_presses: u64) -> u32 {
        let raised = phase_bits
            .saturating_add(self.game.extra(game_presses))
            .saturating_add(self.network.extra(network_presses));
        raised.min(self.max_bits.max(phase_bits))
    }
}

/// The network an address belongs to for the policy: its /24 (IPv4) or /48 (IPv6). One actor
/// easily has many addresses of one such network, rarely many networks.
pub fn network_of(address: IpAddr) -> IpNet {
    match address {
        IpAddr::V4(v4) => Ipv4Net::new(v4, 24).map(|n| IpNet::V4(n.trunc())),
        IpAddr::V6(v6) => Ipv6Net::new(v6, 48).map(|n| IpNet::V6(n.trunc())),
    }
    .unwrap_or_else(|_| IpNet::from(address))
}

/// A minute, in milliseconds: the policy's window.
const WINDOW_MS: i64 = 60_000;

/// One network's presses: this window's and the one before (a sliding minute is estimated from
/// the two, as rate limiters do, in constant memory).
#[derive(Debug, Clone, Copy, Default)]
struct Window {
    /// Start of the current window.
    start_ms: i64,
    current: u64,
    previous: u64,
}

impl Window {
    /// Moves the window to the one holding `now_ms`.
    fn roll(&mut self, now_ms: i64) {
        let start = now_ms - now_ms.rem_euclid(WINDOW_MS);
        if start == self.start_ms {
            return;
        }
        self.previous = if start - self.start_ms == WINDOW_MS {
            self.current
        } else {
            0
        };
        self.current = 0;
        self.start_ms = start;
    }

    /// Presses in the minute up to `now_ms`: this window's, and the share of the last one's that
    /// the sliding minute still covers.
    fn estimate(&self, now_ms: i64) -> u64 {
        let mut window = *self;
        window.roll(now_ms);
        let elapsed = now_ms - window.start_ms;
        let share = (WINDOW_MS - elapsed) as f64 / WINDOW_MS as f64;
        window.current + (window.previous as f64 * share).round() as u64
    }
}

/// Every network's recent presses, at most `capacity` networks: past it, the quietest are
/// forgotten first (a stranger with addresses in many networks cannot grow it without bound).
#[derive(Debug)]
pub struct NetworkPresses {
    windows: Mutex<HashMap<IpNet, Window>>,
    capacity: usize,
}

impl NetworkPresses {
    /// Counts at most `capacity` networks.
    pub fn new(capacity: usize) -> NetworkPresses {
        NetworkPresses {
            windows: Mutex::new(HashMap::new()),
            capacity: capacity.max(1),
        }
    }

    /// Presses from `network` in the minute up to `now_ms`.
    pub fn recent(&self, network: IpNet, now_ms: i64) -> u64 {
        let windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        windows.get(&network).map_or(0, |w| w.estimate(now_ms))
    }

    /// Counts a press from `network` at `now_ms`.
    pub fn add(&self, network: IpNet, now_ms: i64) {
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        if windows.len() >= self.capacity && !windows.contains_key(&network) {
            // Networks quiet for two windows count nothing: forget them; if none is, the
            // quietest half goes.
            windows.retain(|_, w| w.estimate(now_ms) > 0);
            if windows.len() >= self.capacity {
                let mut rates: Vec<u64> = windows.values().map(|w| w.estimate(now_ms)).collect();
                let middle = rates.len() / 2;
                let (_, median, _) = rates.select_nth_unstable(middle);
                let median = *median;
                windows.retain(|_, w| w.estimate(now_ms) > median);
            }
        }
        let window = windows.entry(network).or_default();
        window.roll(now_ms);
        window.current += 1;
    }

    /// How many networks are counted now.
    pub fn len(&self) -> usize {
        self.windows.lock().map_or(0, |w| w.len())
    }

    /// Whether none is.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(game: &str, network: &str) -> DifficultyPolicy {
        DifficultyPolicy {
            game: game.parse().expect("game levels"),
            network: network.parse().expect("network levels"),
            max_bits: 26,
        }
    }

    #[test]
    fn levels_are_read_in_order_and_refused_out_of_it() {
        let levels: Levels = "600:1, 3000:2,12000:4".parse().expect("levels");
        assert_eq!(
            (levels.extra(0), levels.extra(600), levels.extra(2_999)),
            (0, 1, 1)
        );
        assert_eq!((levels.extra(3_000), levels.extra(1_000_000)), (2, 4));
        assert_eq!("".parse::<Levels>(), Ok(Levels::default()));
        assert!("".parse::<Levels>().is_ok_and(|l| l.is_empty()) && !levels.is_empty());
        for wrong in [
            "600",
            "600:0",
            "0:1",
            "600:2,300:3",
            "600:2,900:2",
            "x:1",
            "600:17",
        ] {
            assert!(wrong.parse::<Levels>().is_err(), "{wrong}");
        }
    }

    #[test]
    fn the_phase_is_raised_by_the_games_level_and_the_networks_and_capped() {
        let policy = policy("600:1,3000:2", "20:1,60:2,180:4,600:6");
        // A quiet game, a quiet network: the phase's bits.
        assert_eq!(policy.bits(16, 10, 0), 16);
        // A busy game: everyone pays one or two bits more.
        assert_eq!(policy.bits(16, 700, 0), 17);
        assert_eq!(policy.bits(16, 5_000, 3), 18);
        // One network flooding pays more on top, the harder the more it presses.
        assert_eq!(policy.bits(16, 700, 200), 21);
        assert_eq!(policy.bits(20, 5_000, 10_000), 26, "capped");
        // The cap never lowers the phase's own bits.
        assert_eq!(policy.bits(27, 5_000, 10_000), 27);
    }

    #[test]
    fn networks_are_slash_24_and_slash_48() {
        let a = network_of("203.0.113.7".parse().expect("v4"));
        let b = network_of("203.0.113.250".parse().expect("v4"));
        let c = network_of("203.0.114.7".parse().expect("v4"));
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(a.to_string(), "203.0.113.0/24");
        let v6 = network_of("2001:db8:1:2::9".parse().expect("v6"));
        assert_eq!(v6.to_string(), "2001:db8:1::/48");
        assert_eq!(v6, network_of("2001:db8:1:ffff::1".parse().expect("v6")));
    }

    #[test]
    fn a_networks_presses_slide_out_of_the_minute() {
        let presses = NetworkPresses::new(100);
        let net = network_of("203.0.113.1".parse().expect("v4"));
        let t0 = 1_000 * WINDOW_MS;
        for i in 0..30 {
            presses.add(net, t0 + i * 1_000);
        }
        assert_eq!(presses.recent(net, t0 + 30_000), 30);
        // Half a minute into the next window, half of the last one's still counts.
        assert_eq!(presses.recent(net, t0 + WINDOW_MS + 30_000), 15);
        // Two windows on, nothing.
        assert_eq!(presses.recent(net, t0 + 2 * WINDOW_MS + 1), 0);
        let other = network_of("198.51.100.1".parse().expect("v4"));
        assert_eq!(presses.recent(other, t0), 0);
    }

    #[test]
    fn the_count_of_networks_is_bounded_and_the_loudest_stay() {
        let presses = NetworkPresses::new(10);
        let t0 = 1_000 * WINDOW_MS;
        let loud = network_of("203.0.113.1".parse().expect("v4"));
        for _ in 0..50 {
            presses.add(loud, t0);
        }
        for i in 0..1_000u32 {
            let address = IpAddr::from([10, (i >> 8) as u8, i as u8, 1]);
            presses.add(network_of(address), t0 + 1);
        }
        assert!(presses.len() <= 10, "{}", presses.len());
        assert_eq!(
            presses.recent(loud, t0 + 2),
            50,
            "the flood is not forgotten"
        );
    }
}
