//! Who a player is, publicly: a handle such as "amber-otter-42", derived from the keyed hash of
//! the player's token (GAME.md, "Players"). Word lists, no free text: nothing to moderate.
//!
//! The token stays in the browser; the server keeps only its keyed hash (a [`Player`]), and
//! everyone else sees only the handle. Two players can share a handle (1 in 16,384,000 for any
//! two): a handle then names them together.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The keyed hash of a player's token: 16 bytes, 32 hex digits on the wire and in PostgreSQL.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Player(pub [u8; 16]);

impl Player {
    /// The player's public name.
    pub fn handle(&self) -> Handle {
        let [a0, a1, b0, b1, n0, n1, n2, n3, ..] = self.0;
        Handle {
            adjective: usize::from(u16::from_be_bytes([a0, a1])) % ADJECTIVES.len(),
            animal: usize::from(u16::from_be_bytes([b0, b1])) % ANIMALS.len(),
            number: u32::from_be_bytes([n0, n1, n2, n3]) % NUMBERS,
        }
    }
}

impl fmt::Debug for Player {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Player({self})")
    }
}

impl fmt::Display for Player {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex::encode(self.0))
    }
}

/// Not 32 lowercase hex digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a player is 32 lowercase hex digits")]
pub struct NotAPlayer;

impl FromStr for Player {
    type Err = NotAPlayer;

    fn from_str(s: &str) -> Result<Player, NotAPlayer> {
        if s.len() != 32 || !s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            return Err(NotAPlayer);
        }
        let mut bytes = [0; 16];
        hex::decode_to_slice(s, &mut bytes).map_err(|_| NotAPlayer)?;
        Ok(Player(bytes))
    }
}

impl Serialize for Player {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Player {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Player, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// A player's public name: "adjective-animal-number", from the word lists below.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Handle {
    adjective: usize,
    animal: usize,
    number: u32,
}

/// How many numbers a handle can end with (0 to 999).
const NUMBERS: u32 = 1000;

impl fmt::Display for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}-{}-{}",
            ADJECTIVES[self.adjective], ANIMALS[self.animal], self.number
        )
    }
}

/// Not a handle the game could give anyone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a handle is adjective-animal-number from the game's word lists, such as amber-otter-42")]
pub struct NotAHandle;

impl FromStr for Handle {
    type Err = NotAHandle;

    fn from_str(s: &str) -> Result<Handle, NotAHandle> {
        let mut parts = s.split('-');
        let (Some(adjective), Some(animal), Some(number), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(NotAHandle);
        };
        let position = |list: &[&str], word: &str| list.iter().position(|w| *w == word);
        // "007" or "+7" would name the same player as "7": one spelling per handle.
        let canonical = !number.is_empty()
            && number.bytes().all(|b| b.is_ascii_digit())
            && (number == "0" || !number.starts_with('0'));
        match (
            position(&ADJECTIVES, adjective),
            position(&ANIMALS, animal),
            number
                .parse::<u32>()
                .ok()
                .filter(|n| canonical && *n < NUMBERS),
        ) {
            (Some(adjective), Some(animal), Some(number)) => Ok(Handle {
                adjective,
                animal,
                number,
            }),
            _ => Err(NotAHandle),
        }
    }
}

/// 128 adjectives: short, kind, easy to say.
const ADJECTIVES: [&str; 128] = [
    "amber", "azure", "bold", "brave", "breezy", "bright", "brisk", "bubbly", "calm", "candid",
    "cheery", "chill", "clever", "cosmic", "cozy", "crisp", "curious", "daring", "dapper", "dizzy",
    "dreamy", "eager", "early", "electric", "fancy", "fearless", "feisty", "fizzy", "fluffy",
    "frosty", "funky", "fuzzy", "gentle", "giddy", "glad", "gleaming", "golden", "graceful",
    "grand", "groovy", "happy", "hasty", "hazel", "hearty", "heroic", "honest", "humble", "icy",
    "indigo", "jazzy", "jolly", "jumpy", "keen", "kind", "lively", "lucky", "lunar", "magic",
    "mellow", "merry", "mighty", "minty", "misty", "modest", "nimble", "noble", "nifty", "odd",
    "olive", "plucky", "polite", "proud", "quick", "quiet", "quirky", "rapid", "rosy", "royal",
    "rusty", "sandy", "scarlet", "shiny", "silent", "silver", "sleepy", "slick", "smooth",
    "snappy", "snowy", "solar", "sparkly", "speedy", "spicy", "spry", "starry", "steady", "stormy",
    "sturdy", "sunny", "swift", "teal", "tender", "thrifty", "tidy", "tiny", "tipsy", "topaz",
    "tough", "tranquil", "trusty", "twinkly", "velvet", "violet", "vivid", "wacky", "warm", "wavy",
    "whimsy", "wild", "windy", "wise", "witty", "wobbly", "woolly", "yellow", "zany", "zesty",
    "zippy",
];

/// 128 animals.
const ANIMALS: [&str; 128] = [
    "aardvark",
    "albatross",
    "alpaca",
    "antelope",
    "badger",
    "bat",
    "beaver",
    "bee",
    "beetle",
    "bison",
    "boar",
    "bobcat",
    "buffalo",
    "camel",
    "capybara",
    "cat",
    "chameleon",
    "cheetah",
    "chick",
    "chinchilla",
    "cobra",
    "cougar",
    "cow",
    "coyote",
    "crab",
    "crane",
    "crow",
    "deer",
    "dingo",
    "dolphin",
    "donkey",
    "dove",
    "duck",
    "eagle",
    "eel",
    "elephant",
    "elk",
    "emu",
    "falcon",
    "ferret",
    "finch",
    "flamingo",
    "fox",
    "frog",
    "gazelle",
    "gecko",
    "gerbil",
    "gibbon",
    "giraffe",
    "gnu",
    "goat",
    "goose",
    "gopher",
    "gorilla",
    "grouse",
    "gull",
    "hamster",
    "hare",
    "hawk",
    "hedgehog",
    "heron",
    "hippo",
    "hornet",
    "horse",
    "hyena",
    "ibex",
    "ibis",
    "iguana",
    "impala",
    "jackal",
    "jaguar",
    "jay",
    "kangaroo",
    "kiwi",
    "koala",
    "lemur",
    "leopard",
    "lion",
    "lizard",
    "llama",
    "lobster",
    "lynx",
    "macaw",
    "magpie",
    "manatee",
    "marmot",
    "meerkat",
    "mink",
    "mole",
    "moose",
    "moth",
    "mouse",
    "narwhal",
    "newt",
    "ocelot",
    "octopus",
    "okapi",
    "opossum",
    "orca",
    "ostrich",
    "otter",
    "owl",
    "ox",
    "panda",
    "panther",
    "parrot",
    "pelican",
    "penguin",
    "pigeon",
    "platypus",
    "puffin",
    "quail",
    "rabbit",
    "raccoon",
    "raven",
    "seal",
    "shark",
    "sloth",
    "snail",
    "sparrow",
    "squid",
    "swan",
    "tapir",
    "tiger",
    "toucan",
    "turtle",
    "walrus",
    "yak",
];

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use proptest::prelude::*;

    use super::*;

    #[test]
    fn a_player_has_one_handle_for_life() {
        let player: Player = "0011223344556677889900aabbccddee"
            .parse()
            .expect("a player");
        assert_eq!(player.handle().to_string(), player.handle().to_string());
        assert_eq!(player.to_string(), "0011223344556677889900aabbccddee");
        // 0x0011 % 128 = 17, 0x2233 % 128 = 51, 0x44556677 % 1000 = 479. The lists never change: that would rename every player.
        assert_eq!(player.handle().to_string(), "daring-goose-479");
    }

    #[test]
    fn the_word_lists_make_handles_that_read_back() {
        for list in [&ADJECTIVES[..], &ANIMALS[..]] {
            let words: HashSet<_> = list.iter().collect();
            assert_eq!(words.len(), 128, "a word twice");
            for word in list {
                assert!(
                    !word.is_empty() && word.bytes().all(|b| b.is_ascii_lowercase()),
                    "{word}: lowercase letters only, so '-' always separates"
                );
            }
        }
    }

    #[test]
    fn only_a_handle_the_game_could_give_parses() {
        for good in ["amber-otter-42", "zippy-yak-0", "calm-cat-999"] {
            assert_eq!(
                good.parse::<Handle>().map(|h| h.to_string()),
                Ok(good.into())
            );
        }
        for bad in [
            "",
            "amber-otter",
            "amber-otter-42-1",
            "amber-otter-1000",
            "amber-otter-042",
            "amber-otter-+42",
            "amber-otter--42",
            "Amber-otter-42",
            "amber-unicorn-42",
            "nasty-otter-42",
            "amber-otter-",
            "amber otter 42",
        ] {
            assert_eq!(bad.parse::<Handle>(), Err(NotAHandle), "{bad:?}");
        }
    }

    #[test]
    fn a_player_is_exactly_32_lowercase_hex_digits() {
        for bad in [
            "",
            "0011223344556677889900aabbccddeE",
            "0011223344556677889900aabbccdde",
            "0011223344556677889900aabbccddee0",
            "0011223344556677889900aabbccddeg",
        ] {
            assert_eq!(bad.parse::<Player>(), Err(NotAPlayer), "{bad:?}");
        }
        let json = serde_json::to_string(&Player([0xab; 16])).expect("encodes");
        assert_eq!(json, format!("\"{}\"", "ab".repeat(16)));
        assert_eq!(
            serde_json::from_str::<Player>(&json).ok(),
            Some(Player([0xab; 16]))
        );
        assert!(serde_json::from_str::<Player>("\"ABAB\"").is_err());
    }

    proptest! {
        #[test]
        fn every_player_gets_a_handle_that_parses_back(bytes in any::<[u8; 16]>()) {
            let handle = Player(bytes).handle();
            let text = handle.to_string();
            prop_assert_eq!(text.parse::<Handle>(), Ok(handle));
            prop_assert!(text.len() <= 24, "{} is short enough for a feed line", text);
        }

        #[test]
        fn a_player_reads_back_from_its_hex(bytes in any::<[u8; 16]>()) {
            prop_assert_eq!(Player(bytes).to_string().parse::<Player>(), Ok(Player(bytes)));
        }
    }
}
