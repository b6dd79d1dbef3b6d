//! Double-double arithmetic: a value carried as an unevaluated sum `hi + lo` of two doubles,
//! about 106 bits, built from error-free transformations of IEEE basic operations (Knuth's
//! TwoSum, Dekker's FastTwoSum, Veltkamp's split and Dekker's product). No fused multiply-add:
//! every step is one correctly rounded operation, so the results are the same bits on every
//! target (see float.rs). Used where one rounding too many would cost an ulp: `hyperbolic`,
//! `atan2`. Shared with the wasm build (rustc 1.63).
//!
//! Preconditions are about magnitude: inputs of `two_prod` below 2^995 (the split scales by
//! 2^27) and products far from the subnormal range, or the error term is itself rounded.

/// `a + b` exactly as `(s, e)`: `s = fl(a + b)`, `e` its rounding error.
pub fn two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    let bb = s - a;
    (s, (a - (s - bb)) + (b - bb))
}

/// [`two_sum`] when `a` is zero or its exponent is at least `b`'s (e.g. `|a| >= |b|`).
pub fn fast_two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    (s, b - (s - a))
}

/// Veltkamp's split: `a = hi + lo`, each half fitting in 26 bits, so their products are exact.
fn split(a: f64) -> (f64, f64) {
    const SPLITTER: f64 = 134_217_729.0; // 2^27 + 1
    let c = SPLITTER * a;
    let hi = c - (c - a);
    (hi, a - hi)
}

/// `a * b` exactly as `(p, e)`: `p = fl(a * b)`, `e` its rounding error (Dekker).
pub fn two_prod(a: f64, b: f64) -> (f64, f64) {
    let p = a * b;
    let (ah, al) = split(a);
    let (bh, bl) = split(b);
    (p, ((ah * bh - p) + ah * bl + al * bh) + al * bl)
}

/// `(nh + nl) / (dh + dl)` as a double-double, relative error near 2^-104 (`dh` nonzero). One
/// division: the quotient's first half `nh * (1/dh)` may be an ulp off, the exact remainder
/// puts that right in the second.
pub fn div(nh: f64, nl: f64, dh: f64, dl: f64) -> (f64, f64) {
    div_by_inverse(nh, nl, dh, dl, 1.0 / dh)
}

/// [`div`] when `inv = 1 / dh` is at hand.
pub fn div_by_inverse(nh: f64, nl: f64, dh: f64, dl: f64, inv: f64) -> (f64, f64) {
    let q = nh * inv;
    let (p, pe) = two_prod(q, dh);
    // nh - p is exact: p is within a few ulps of nh (Sterbenz).
    fast_two_sum(q, ((nh - p) - pe + nl - q * dl) * inv)
}

/// 2^k as a double, for k in -1022..=1023 (normal powers of two only).
pub fn pow2(k: i32) -> f64 {
    f64::from_bits(((1023 + k) as u64) << 52)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn products_and_sums_are_exact() {
        let (a, b) = (1.0 + 2f64.powi(-30), 1.0 - 2f64.powi(-29));
        let (p, e) = two_prod(a, b);
        assert_eq!(p, 1.0 - 2f64.powi(-30));
        assert_eq!(e, -(2f64.powi(-59)));
        assert_eq!(two_sum(1.0, 2f64.powi(-60)), (1.0, 2f64.powi(-60)));
        assert_eq!(two_sum(2f64.powi(-60), 1.0), (1.0, 2f64.powi(-60)));
        assert_eq!(fast_two_sum(1.0, -(2f64.powi(-60))), (1.0, -(2f64.powi(-60))));
    }

    #[test]
    fn division_carries_the_remainder() {
        let (h, l) = div(1.0, 0.0, 3.0, 0.0);
        // 1/3 = h + l to ~106 bits: 3h + 3l - 1 vanishes at double precision.
        let (p, pe) = two_prod(3.0, h);
        assert_eq!((p - 1.0) + pe + 3.0 * l, 0.0);
        assert_eq!(div_by_inverse(1.0, 0.0, 3.0, 0.0, 1.0 / 3.0), (h, l));
        assert_eq!(pow2(-1022), f64::MIN_POSITIVE);
        assert_eq!(pow2(1023), 2f64.powi(1023));
    }
}
