//! The rules: the game's constants, validated when loaded and identified by their hash.

use serde::{Deserialize, Serialize};

use super::{Phase, RulesHash};

/// The longest a challenge may live: 10 minutes.
pub const MAX_CHALLENGE_TTL_MS: i64 = 600_000;

/// The rules as written in JSON, before validation. Arrays are indexed by phase.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesSpec {
    /// Entropy halves every this many milliseconds.
    pub entropy_half_life_ms: i64,
    /// The share of the gap to 1 that one press closes.
    pub press_gain: f64,
    /// Entropy at which each phase begins; starts at 0 and strictly increases below 1.
    pub phase_enter: Vec<f64>,
    /// How long each phase lasts with no press before it steps down.
    pub calm_down_ms: Vec<i64>,
    /// How long one player waits between two presses, per phase.
    pub press_cooldown_ms: Vec<i64>,
    /// Proof-of-work bits asked for new challenges, per phase.
    pub pow_difficulty_bits: Vec<u32>,
    /// How long clients show which press tipped the phase up, per phase reached.
    pub reveal_ms: Vec<i64>,
    /// How long a challenge can be used after it is issued.
    pub challenge_ttl_ms: i64,
}

impl Default for RulesSpec {
    /// GAME.md's default rules.
    fn default() -> Self {
        RulesSpec {
            entropy_half_life_ms: 10_000,
            press_gain: 0.04,
            phase_enter: vec![0.0, 0.25, 0.5, 0.8],
            calm_down_ms: vec![0, 30_000, 20_000, 10_000],
            press_cooldown_ms: vec![3_000, 2_000, 1_000, 500],
            pow_difficulty_bits: vec![16, 17, 18, 20],
            reveal_ms: vec![0, 3_000, 5_000, 10_000],
            challenge_ttl_ms: 60_000,
        }
    }
}

/// Why a set of rules was refused. `Invalid` names the offending field.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RulesError {
    /// The text is not JSON of the rules' shape (the message names a missing or unknown field).
    #[error("rules are not valid JSON of the expected shape: {0}")]
    Json(String),
    /// A field has a value the game cannot run with.
    #[error("invalid rules: `{field}` {problem}")]
    Invalid {
        /// The JSON name of the field.
        field: &'static str,
        /// What is wrong with it.
        problem: String,
    },
}

impl RulesError {
    /// The field at fault, when one is.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            RulesError::Invalid { field, .. } => Some(field),
            RulesError::Json(_) => None,
        }
    }

    fn invalid(field: &'static str, problem: impl Into<String>) -> RulesError {
        RulesError::Invalid {
            field,
            problem: problem.into(),
        }
    }
}

type PerPhase<T> = [T; Phase::COUNT];

/// Validated rules and their hash. The only way to get one is through validation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RulesSpec", into = "RulesSpec")]
pub struct Rules {
    entropy_half_life_ms: i64,
    press_gain: f64,
    phase_enter: PerPhase<f64>,
    calm_down_ms: PerPhase<i64>,
    press_cooldown_ms: PerPhase<i64>,
    pow_difficulty_bits: PerPhase<u32>,
    reveal_ms: PerPhase<i64>,
    challenge_ttl_ms: i64,
    hash: RulesHash,
}

impl Default for Rules {
    /// GAME.md's default rules.
    fn default() -> Self {
        // The default spec is valid: `default_rules_are_valid` pins it.
        Rules::try_from(RulesSpec::default()).unwrap_or_else(|e| unreachable!("{e}"))
    }
}

impl Rules {
    /// Parses and validates rules from JSON.
    pub fn from_json(json: &str) -> Result<Rules, RulesError> {
        let spec: RulesSpec =
            serde_json::from_str(json).map_err(|e| RulesError::Json(e.to_string()))?;
        Rules::try_from(spec)
    }

    /// The rules as their JSON spec.
    pub fn spec(&self) -> RulesSpec {
        RulesSpec {
            entropy_half_life_ms: self.entropy_half_life_ms,
            press_gain: self.press_gain,
            phase_enter: self.phase_enter.to_vec(),
            calm_down_ms: self.calm_down_ms.to_vec(),
            press_cooldown_ms: self.press_cooldown_ms.to_vec(),
            pow_difficulty_bits: self.pow_difficulty_bits.to_vec(),
            reveal_ms: self.reveal_ms.to_vec(),
            challenge_ttl_ms: self.challenge_ttl_ms,
        }
    }

    /// The canonical JSON: keys sorted, no white space, numbers as serde_json writes them.
    /// Its SHA-256 is the rules hash.
    pub fn canonical_json(&self) -> String {
        canonical_json(&self.spec())
    }

    /// The hash of the canonical JSON.
    pub fn hash(&self) -> RulesHash {
        self.hash
    }

    /// Entropy halves every this many milliseconds.
    pub fn entropy_half_life_ms(&self) -> i64 {
        self.entropy_half_life_ms
    }

    /// The share of the gap to 1 that one press closes.
    pub fn press_gain(&self) -> f64 {
        self.press_gain
    }

    /// The entropy at which `phase` begins.
    pub fn phase_enter(&self, phase: Phase) -> f64 {
        self.phase_enter[phase.index()]
    }

    /// How long `phase` lasts with no press before it steps down (unused for `CALM`).
    pub fn calm_down_ms(&self, phase: Phase) -> i64 {
        self.calm_down_ms[phase.index()]
    }

    /// How long a player waits between two presses in `phase`.
    pub fn press_cooldown_ms(&self, phase: Phase) -> i64 {
        self.press_cooldown_ms[phase.index()]
    }

    /// Proof-of-work bits asked for new challenges in `phase`.
    pub fn pow_difficulty_bits(&self, phase: Phase) -> u32 {
        self.pow_difficulty_bits[phase.index()]
    }

    /// How long clients show the tipping press after the phase rises to `phase`.
    pub fn reveal_ms(&self, phase: Phase) -> i64 {
        self.reveal_ms[phase.index()]
    }

    /// How long a challenge can be used after it is issued.
    pub fn challenge_ttl_ms(&self) -> i64 {
        self.challenge_ttl_ms
    }

    /// The highest phase whose entry threshold `entropy` has reached.
    #[inline]
    pub fn phase_for(&self, entropy: f64) -> Phase {
        let mut phase = Phase::Calm;
        for candidate in Phase::ALL {
            if entropy >= self.phase_enter[candidate.index()] {
                phase = candidate;
            }
        }
        phase
    }
}

impl TryFrom<RulesSpec> for Rules {
    type Error = RulesError;

    fn try_from(spec: RulesSpec) -> Result<Self, Self::Error> {
        let phase_enter = per_phase("phase_enter", &spec.phase_enter)?;
        let calm_down_ms = per_phase("calm_down_ms", &spec.calm_down_ms)?;
        let press_cooldown_ms = per_phase("press_cooldown_ms", &spec.press_cooldown_ms)?;
        let pow_difficulty_bits = per_phase("pow_difficulty_bits", &spec.pow_difficulty_bits)?;
        let reveal_ms = per_phase("reveal_ms", &spec.reveal_ms)?;

        if spec.entropy_half_life_ms <= 0 {
            return Err(RulesError::invalid(
                "entropy_half_life_ms",
                "must be above 0",
            ));
        }
        let gain = spec.press_gain;
        if !gain.is_finite() || gain <= 0.0 || gain >= 1.0 {
            return Err(RulesError::invalid(
                "press_gain",
                "must be above 0 and below 1",
            ));
        }
        if phase_enter.iter().any(|e| !e.is_finite()) {
            return Err(RulesError::invalid("phase_enter", "must be finite numbers"));
        }
        if phase_enter[0] != 0.0 {
            return Err(RulesError::invalid("phase_enter", "must start at 0"));
        }
        if phase_enter.windows(2).any(|w| w[0] >= w[1]) {
            return Err(RulesError::invalid("phase_enter", "must strictly increase"));
        }
        if phase_enter[Phase::COUNT - 1] >= 1.0 {
            return Err(RulesError::invalid("phase_enter", "must stay below 1"));
        }
        if calm_down_ms[0] < 0 {
            return Err(RulesError::invalid("calm_down_ms", "must not be negative"));
        }
        if calm_down_ms[1..].iter().any(|&ms| ms <= 0) {
            return Err(RulesError::invalid(
                "calm_down_ms",
                "must be above 0 for every phase above CALM",
            ));
        }
        if press_cooldown_ms.iter().any(|&ms| ms < 0) {
            return Err(RulesError::invalid(
                "press_cooldown_ms",
                "must not be negative",
            ));
        }
        if pow_difficulty_bits.iter().any(|&bits| bits > 32) {
            return Err(RulesError::invalid(
                "pow_difficulty_bits",
                "must be between 0 and 32 bits",
            ));
        }
        if reveal_ms.iter().any(|&ms| ms < 0) {
            return Err(RulesError::invalid("reveal_ms", "must not be negative"));
        }
        // Bounded so that JetStream's duplicate window, which must outlive every challenge,
        // stays affordable.
        if !(1..=MAX_CHALLENGE_TTL_MS).contains(&spec.challenge_ttl_ms) {
            return Err(RulesError::invalid(
                "challenge_ttl_ms",
                "must be between 1 and 600000 (10 minutes)",
            ));
        }

        let hash = RulesHash::of(canonical_json(&spec).as_bytes());
        Ok(Rules {
            entropy_half_life_ms: spec.entropy_half_life_ms,
            press_gain: spec.press_gain,
            phase_enter,
            calm_down_ms,
            press_cooldown_ms,
            pow_difficulty_bits,
            reveal_ms,
            challenge_ttl_ms: spec.challenge_ttl_ms,
            hash,
        })
    }
}

impl From<Rules> for RulesSpec {
    fn from(rules: Rules) -> Self {
        rules.spec()
    }
}

fn per_phase<T: Copy>(field: &'static str, values: &[T]) -> Result<PerPhase<T>, RulesError> {
    <PerPhase<T>>::try_from(values).map_err(|_| {
        RulesError::invalid(
            field,
            format!(
                "must have {} entries, one per phase, not {}",
                Phase::COUNT,
                values.len()
            ),
        )
    })
}

fn canonical_json(spec: &RulesSpec) -> String {
    // Through `Value` so that the keys come out sorted whatever serde_json's features are.
    match serde_json::to_value(spec) {
        Ok(mut value) => {
            if let Some(object) = value.as_object_mut() {
                object.sort_keys();
            }
            value.to_string()
        }
        // Serializing plain numbers and arrays cannot fail; the Debug form keeps this total.
        Err(_) => format!("{spec:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(change: impl FnOnce(&mut RulesSpec)) -> Result<Rules, RulesError> {
        let mut spec = RulesSpec::default();
        change(&mut spec);
        Rules::try_from(spec)
    }

    fn refused_field(change: impl FnOnce(&mut RulesSpec)) -> Option<&'static str> {
        with(change).err().and_then(|e| e.field())
    }

    #[test]
    fn default_rules_are_valid() {
        assert!(Rules::try_from(RulesSpec::default()).is_ok());
    }

    #[test]
    fn canonical_json_sorts_keys_and_has_no_white_space() {
        assert_eq!(
            Rules::default().canonical_json(),
            r#"{"calm_down_ms":[0,30000,20000,10000],"challenge_ttl_ms":60000,"entropy_half_life_ms":10000,"phase_enter":[0.0,0.25,0.5,0.8],"pow_difficulty_bits":[16,17,18,20],"press_cooldown_ms":[3000,2000,1000,500],"press_gain":0.04,"reveal_ms":[0,3000,5000,10000]}"#
        );
    }

    #[test]
    fn default_rules_hash_matches_an_independent_sha256() {
        // python3 -c 'import json,hashlib; r={...GAME.md defaults...};
        //   print(hashlib.sha256(json.dumps(r,sort_keys=True,separators=(",",":")).encode()).hexdigest())'
        assert_eq!(
            Rules::default().hash().to_string(),
            "a2cdb30bf26a2f4ac31f642a1fee21fd605a43e379da31dee159edc54b11ee20"
        );
    }

    #[test]
    fn rules_parse_from_game_md_json_whatever_the_key_order() {
        let json = r#"{
            "press_gain": 0.04, "entropy_half_life_ms": 10000,
            "phase_enter": [0.0, 0.25, 0.5, 0.8], "calm_down_ms": [0, 30000, 20000, 10000],
            "press_cooldown_ms": [3000, 2000, 1000, 500], "pow_difficulty_bits": [16, 17, 18, 20],
            "reveal_ms": [0, 3000, 5000, 10000], "challenge_ttl_ms": 60000
        }"#;
        assert_eq!(Rules::from_json(json), Ok(Rules::default()));
    }

    #[test]
    fn rules_serialize_back_to_their_spec() {
        let rules = Rules::default();
        let json = serde_json::to_string(&rules).unwrap_or_default();
        let back: Rules = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back, rules);
        assert_eq!(back.hash(), rules.hash());
    }

    #[test]
    fn different_rules_have_different_hashes() {
        let other = with(|s| s.press_gain = 0.05).unwrap_or_else(|e| panic!("{e}"));
        assert_ne!(other.hash(), Rules::default().hash());
    }

    #[test]
    fn every_array_needs_one_entry_per_phase() {
        assert_eq!(
            refused_field(|s| {
                s.phase_enter.pop();
            }),
            Some("phase_enter")
        );
        assert_eq!(
            refused_field(|s| s.calm_down_ms.push(1)),
            Some("calm_down_ms")
        );
        assert_eq!(
            refused_field(|s| s.press_cooldown_ms.clear()),
            Some("press_cooldown_ms")
        );
        assert_eq!(
            refused_field(|s| s.pow_difficulty_bits.push(1)),
            Some("pow_difficulty_bits")
        );
        assert_eq!(
            refused_field(|s| s.reveal_ms.truncate(3)),
            Some("reveal_ms")
        );
    }

    #[test]
    fn phase_enter_starts_at_zero_strictly_increases_and_stays_below_one() {
        assert_eq!(
            refused_field(|s| s.phase_enter[0] = 0.1),
            Some("phase_enter")
        );
        assert_eq!(
            refused_field(|s| s.phase_enter[2] = 0.25),
            Some("phase_enter")
        );
        assert_eq!(
            refused_field(|s| s.phase_enter[2] = 0.2),
            Some("phase_enter")
        );
        assert_eq!(
            refused_field(|s| s.phase_enter[3] = 1.0),
            Some("phase_enter")
        );
        assert_eq!(
            refused_field(|s| s.phase_enter[3] = f64::NAN),
            Some("phase_enter")
        );
    }

    #[test]
    fn press_gain_is_strictly_between_zero_and_one() {
        for gain in [0.0, 1.0, -0.1, 1.5, f64::NAN, f64::INFINITY] {
            assert_eq!(
                refused_field(|s| s.press_gain = gain),
                Some("press_gain"),
                "{gain}"
            );
        }
        assert!(with(|s| s.press_gain = 0.999).is_ok());
    }

    #[test]
    fn half_life_is_positive_and_challenge_lifetime_bounded() {
        assert_eq!(
            refused_field(|s| s.entropy_half_life_ms = 0),
            Some("entropy_half_life_ms")
        );
        assert_eq!(
            refused_field(|s| s.challenge_ttl_ms = -1),
            Some("challenge_ttl_ms")
        );
        assert_eq!(
            refused_field(|s| s.challenge_ttl_ms = MAX_CHALLENGE_TTL_MS + 1),
            Some("challenge_ttl_ms")
        );
    }

    #[test]
    fn calm_down_is_positive_above_calm() {
        assert_eq!(
            refused_field(|s| s.calm_down_ms[1] = 0),
            Some("calm_down_ms")
        );
        assert_eq!(
            refused_field(|s| s.calm_down_ms[3] = -5),
            Some("calm_down_ms")
        );
        assert_eq!(
            refused_field(|s| s.calm_down_ms[0] = -1),
            Some("calm_down_ms")
        );
    }

    #[test]
    fn difficulty_is_at_most_32_bits() {
        assert_eq!(
            refused_field(|s| s.pow_difficulty_bits[3] = 33),
            Some("pow_difficulty_bits")
        );
        assert!(with(|s| s.pow_difficulty_bits = vec![0, 0, 32, 32]).is_ok());
    }

    #[test]
    fn cooldowns_and_reveals_are_not_negative() {
        assert_eq!(
            refused_field(|s| s.press_cooldown_ms[1] = -1),
            Some("press_cooldown_ms")
        );
        assert_eq!(refused_field(|s| s.reveal_ms[2] = -1), Some("reveal_ms"));
    }

    #[test]
    fn malformed_json_is_refused_with_the_field_named() {
        let missing = Rules::from_json(r#"{"press_gain": 0.04}"#);
        assert!(matches!(&missing, Err(RulesError::Json(m)) if m.contains("missing field")));
        let unknown = Rules::from_json(
            &Rules::default()
                .canonical_json()
                .replace("press_gain", "press_gian"),
        );
        assert!(matches!(&unknown, Err(RulesError::Json(m)) if m.contains("press_gian")));
    }

    #[test]
    fn the_error_message_names_the_field() {
        let err = with(|s| s.press_gain = 2.0).err().map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("invalid rules: `press_gain` must be above 0 and below 1")
        );
    }

    #[test]
    fn phase_for_picks_the_highest_phase_reached() {
        let rules = Rules::default();
        assert_eq!(rules.phase_for(0.0), Phase::Calm);
        assert_eq!(rules.phase_for(0.2499), Phase::Calm);
        assert_eq!(rules.phase_for(0.25), Phase::Warm);
        assert_eq!(rules.phase_for(0.5), Phase::Hot);
        assert_eq!(rules.phase_for(0.79), Phase::Hot);
        assert_eq!(rules.phase_for(0.8), Phase::Chaos);
        assert_eq!(rules.phase_for(0.99), Phase::Chaos);
    }
}

/// The rules a game knows, by hash: those in force (the state names them) and those an operator
/// may switch to. The rules a book was made with are used for a state whose rules it does not
/// know (a game that began before its rules were stored).
#[derive(Debug, Clone, PartialEq)]
pub struct Rulebook {
    first: Rules,
    others: Vec<Rules>,
}

impl Rulebook {
    /// A book of `rules` alone.
    pub fn new(rules: Rules) -> Rulebook {
        Rulebook {
            first: rules,
            others: Vec::new(),
        }
    }

    /// Adds `rules` (nothing if the book has them).
    pub fn insert(&mut self, rules: Rules) {
        if self.get(rules.hash()).is_none() {
            self.others.push(rules);
        }
    }

    /// The rules with this hash, if the book has them.
    pub fn get(&self, hash: RulesHash) -> Option<&Rules> {
        std::iter::once(&self.first)
            .chain(&self.others)
            .find(|rules| rules.hash() == hash)
    }

    /// The rules the book was made with.
    pub fn first(&self) -> &Rules {
        &self.first
    }

    /// The rules `state` is played by.
    pub fn in_force(&self, state: &super::State) -> &Rules {
        self.get(state.rules_hash).unwrap_or(&self.first)
    }
}

impl From<Rules> for Rulebook {
    fn from(rules: Rules) -> Rulebook {
        Rulebook::new(rules)
    }
}
