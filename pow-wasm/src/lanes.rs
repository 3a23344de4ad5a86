//! Four 32-bit words side by side, one per nonce hashed at once: what SHA-256 needs of them.
//!
//! In the browser's WASM (built with `simd128`) the lanes are one WASM SIMD vector; everywhere
//! else they are a plain array with the same meaning, so the native tests run the same algorithm
//! the Web Worker runs. Eight lanes (two vectors interleaved) measured slower in V8: 4.9 against
//! 8 M hashes/s, the working variables and message words no longer fitting the registers.

use core::ops::{Add, BitAnd, BitXor};

/// How many nonces are hashed at once.
pub(crate) const LANES: usize = 4;

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod backend {
    use core::arch::wasm32::{
        u32x4, u32x4_add, u32x4_extract_lane, u32x4_shl, u32x4_shr, u32x4_splat, v128, v128_and,
        v128_or, v128_xor,
    };

    use super::LANES;

    /// Four words in a WASM SIMD vector.
    #[derive(Clone, Copy)]
    pub(crate) struct Lanes(v128);

    impl Lanes {
        /// The same word in every lane.
        #[inline(always)]
        pub(crate) fn splat(word: u32) -> Self {
            Self(u32x4_splat(word))
        }

        /// One word per lane, lane 0 first.
        #[inline(always)]
        pub(crate) fn from_array(w: [u32; LANES]) -> Self {
            Self(u32x4(w[0], w[1], w[2], w[3]))
        }

        /// The words back, lane 0 first.
        #[inline(always)]
        pub(crate) fn to_array(self) -> [u32; LANES] {
            [
                u32x4_extract_lane::<0>(self.0),
                u32x4_extract_lane::<1>(self.0),
                u32x4_extract_lane::<2>(self.0),
                u32x4_extract_lane::<3>(self.0),
            ]
        }

        /// Each word rotated right by `N` bits (0 < N < 32). WASM SIMD has no rotate.
        #[inline(always)]
        pub(crate) fn rotr<const N: u32>(self) -> Self {
            Self(v128_or(u32x4_shr(self.0, N), u32x4_shl(self.0, 32 - N)))
        }

        /// Each word shifted right by `N` bits.
        #[inline(always)]
        pub(crate) fn shr<const N: u32>(self) -> Self {
            Self(u32x4_shr(self.0, N))
        }

        #[inline(always)]
        pub(super) fn wrapping_add(self, other: Self) -> Self {
            Self(u32x4_add(self.0, other.0))
        }

        #[inline(always)]
        pub(super) fn xor(self, other: Self) -> Self {
            Self(v128_xor(self.0, other.0))
        }

        #[inline(always)]
        pub(super) fn and(self, other: Self) -> Self {
            Self(v128_and(self.0, other.0))
        }
    }
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
mod backend {
    use super::LANES;

    /// Four words in a plain array: the portable twin of the WASM SIMD vector.
    #[derive(Clone, Copy)]
    pub(crate) struct Lanes([u32; LANES]);

    /// `f` on each lane. Spelled out rather than a loop or `array::from_fn`: unoptimized test
    /// builds run this too, and there every loop step and closure call costs.
    macro_rules! lane_wise {
        (|$i:ident| $lane:expr) => {
            Lanes([
                {
                    let $i = 0;
                    $lane
                },
                {
                    let $i = 1;
                    $lane
                },
                {
                    let $i = 2;
                    $lane
                },
                {
                    let $i = 3;
                    $lane
                },
            ])
        };
    }

    impl Lanes {
        /// The same word in every lane.
        #[inline(always)]
        pub(crate) fn splat(word: u32) -> Self {
            Self([word; LANES])
        }

        /// One word per lane, lane 0 first.
        #[inline(always)]
        pub(crate) fn from_array(words: [u32; LANES]) -> Self {
            Self(words)
        }

        /// The words back, lane 0 first.
        #[inline(always)]
        pub(crate) fn to_array(self) -> [u32; LANES] {
            self.0
        }

        /// Each word rotated right by `N` bits (0 < N < 32).
        #[inline(always)]
        pub(crate) fn rotr<const N: u32>(self) -> Self {
            lane_wise!(|i| self.0[i].rotate_right(N))
        }

        /// Each word shifted right by `N` bits.
        #[inline(always)]
        pub(crate) fn shr<const N: u32>(self) -> Self {
            lane_wise!(|i| self.0[i] >> N)
        }

        #[inline(always)]
        pub(super) fn wrapping_add(self, other: Self) -> Self {
            lane_wise!(|i| self.0[i].wrapping_add(other.0[i]))
        }

        #[inline(always)]
        pub(super) fn xor(self, other: Self) -> Self {
            lane_wise!(|i| self.0[i] ^ other.0[i])
        }

        #[inline(always)]
        pub(super) fn and(self, other: Self) -> Self {
            lane_wise!(|i| self.0[i] & other.0[i])
        }
    }
}

pub(crate) use backend::Lanes;

/// Lane-wise wrapping addition.
impl Add for Lanes {
    type Output = Self;
    #[inline(always)]
    fn add(self, other: Self) -> Self {
        self.wrapping_add(other)
    }
}

impl BitXor for Lanes {
    type Output = Self;
    #[inline(always)]
    fn bitxor(self, other: Self) -> Self {
        self.xor(other)
    }
}

impl BitAnd for Lanes {
    type Output = Self;
    #[inline(always)]
    fn bitand(self, other: Self) -> Self {
        self.and(other)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lanes(seed: u32) -> [u32; LANES] {
        core::array::from_fn(|i| {
            seed.wrapping_mul(0x9e37_79b9).rotate_left(i as u32 * 5) ^ i as u32
        })
    }

    #[test]
    fn every_operation_is_lane_wise() {
        let (a, b) = (lanes(1), lanes(0xdead_beef));
        let (x, y) = (Lanes::from_array(a), Lanes::from_array(b));
        for i in 0..LANES {
            assert_eq!(
                (x + y).to_array()[i],
                a[i].wrapping_add(b[i]),
                "add lane {i}"
            );
            assert_eq!((x ^ y).to_array()[i], a[i] ^ b[i], "xor lane {i}");
            assert_eq!((x & y).to_array()[i], a[i] & b[i], "and lane {i}");
            assert_eq!(
                x.rotr::<7>().to_array()[i],
                a[i].rotate_right(7),
                "rotr lane {i}"
            );
            assert_eq!(x.shr::<10>().to_array()[i], a[i] >> 10, "shr lane {i}");
            assert_eq!(Lanes::splat(a[0]).to_array()[i], a[0], "splat lane {i}");
        }
    }
}
