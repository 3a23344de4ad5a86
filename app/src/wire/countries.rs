//! Presses by country (`GET /v1/countries?period=…`): a ranked list, with the countries of too
//! few presses counted together as "other" so that nobody is singled out.

use serde::{Deserialize, Serialize};

use crate::game::Country;

/// Presses by country over a period, most first.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Countries {
    /// `today` (the current UTC day) or `all`.
    pub period: String,
    /// A country is named only with at least this many presses in a day; below, its presses
    /// count as `other`.
    pub k: u64,
    /// The countries named, most presses first.
    pub countries: Vec<CountryCount>,
    /// Presses of countries with fewer than `k` presses that day.
    pub other: u64,
    /// Presses whose country is not known.
    pub unknown: u64,
}

/// One country's presses.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountryCount {
    /// The country (ISO 3166-1 alpha-2).
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "JP"))]
    pub country: Country,
    /// Its presses.
    pub presses: u64,
}

impl Countries {
    /// Every press counted: named countries, other and unknown.
    pub fn total(&self) -> u64 {
        self.countries.iter().map(|c| c.presses).sum::<u64>() + self.other + self.unknown
    }
}
