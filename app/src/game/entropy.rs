//! Entropy: the crowd's heat in `[0, 1)`, raised by presses and halved every half-life.

/// The largest entropy there is: the last `f64` below 1.
pub const MAX_ENTROPY: f64 = 1.0 - f64::EPSILON / 2.0;

/// Entropy `elapsed_ms` after it was `entropy`: `entropy · 2^(-elapsed / half_life)`.
///
/// `half_life_ms` must be positive (the rules guarantee it); a negative `elapsed_ms` is treated as 0
/// because state time never goes back.
#[inline]
pub fn decay(entropy: f64, elapsed_ms: i64, half_life_ms: i64) -> f64 {
    if elapsed_ms <= 0 || entropy == 0.0 {
        return entropy;
    }
    entropy * (-(elapsed_ms as f64) / half_life_ms as f64).exp2()
}

/// Entropy just after a press: `entropy + gain · (1 - entropy)`, kept below 1.
///
/// The exact value is always below 1, but with a gain close to 1 the `f64` sum can round up to
/// 1.0; the clamp keeps the `[0, 1)` promise.
#[inline]
pub fn entropy_after_press(entropy: f64, gain: f64) -> f64 {
    (entropy + gain * (1.0 - entropy)).min(MAX_ENTROPY)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_half_life_halves_entropy() {
        assert_eq!(decay(0.5, 10_000, 10_000), 0.25);
        assert_eq!(decay(0.8, 20_000, 10_000), 0.2);
    }

    #[test]
    fn no_time_or_backwards_time_changes_nothing() {
        assert_eq!(decay(0.5, 0, 10_000), 0.5);
        assert_eq!(decay(0.5, -5_000, 10_000), 0.5);
    }

    #[test]
    fn a_press_closes_gain_of_the_gap_to_one() {
        assert_eq!(entropy_after_press(0.0, 0.04), 0.04);
        assert!((entropy_after_press(0.5, 0.04) - 0.52).abs() < 1e-15);
    }

    #[test]
    fn entropy_never_reaches_one_even_with_a_huge_gain() {
        let gain = MAX_ENTROPY;
        assert!(entropy_after_press(MAX_ENTROPY, gain) < 1.0);
    }

    #[test]
    fn max_entropy_is_the_last_float_below_one() {
        assert_eq!(MAX_ENTROPY.to_bits() + 1, 1.0f64.to_bits());
    }
}
