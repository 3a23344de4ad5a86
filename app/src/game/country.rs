//! Where a press came from, as far as the game keeps it: a country code (ISO 3166-1 alpha-2),
//! looked up by the web server from the client's address, which is never stored.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A country, by its two-letter code: `"DE"`, `"JP"`, `"US"`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Country([u8; 2]);

/// Not two ASCII letters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a country is two letters (ISO 3166-1 alpha-2)")]
pub struct NotACountry;

impl Country {
    /// The code, in capitals.
    pub fn code(&self) -> &str {
        // Two ASCII capitals, by construction.
        std::str::from_utf8(&self.0).unwrap_or("??")
    }

    /// The country's flag: its two regional indicator symbols (an emoji on most systems).
    pub fn flag(&self) -> String {
        self.0
            .iter()
            .filter_map(|letter| char::from_u32(0x1F1E6 + u32::from(letter - b'A')))
            .collect()
    }
}

impl FromStr for Country {
    type Err = NotACountry;

    fn from_str(code: &str) -> Result<Country, NotACountry> {
        match code.as_bytes() {
            [a, b] if a.is_ascii_alphabetic() && b.is_ascii_alphabetic() => {
                Ok(Country([a.to_ascii_uppercase(), b.to_ascii_uppercase()]))
            }
            _ => Err(NotACountry),
        }
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl fmt::Debug for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Country({})", self.code())
    }
}

impl Serialize for Country {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Country {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Country, D::Error> {
        let code = String::deserialize(deserializer)?;
        code.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_country_is_two_letters_in_capitals_with_a_flag() {
        let japan: Country = "jp".parse().expect("a country");
        assert_eq!(japan.code(), "JP");
        assert_eq!(japan.flag(), "🇯🇵");
        assert!("JPN".parse::<Country>().is_err());
        assert!("J1".parse::<Country>().is_err());
        assert!("".parse::<Country>().is_err());
        assert_eq!(
            serde_json::to_string(&japan).ok().as_deref(),
            Some("\"JP\"")
        );
    }
}
