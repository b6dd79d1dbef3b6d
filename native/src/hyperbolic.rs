//! sinh, cosh and tanh, faithfully rounded (max error 0.5 ulp plus a few thousandths, against
//! musl's 1.27, 1.12 and 1.38): musl builds them from a rounded expm1 or exp and rounds again
//! in each further step; here e^x is carried as a double-double and the result rounded once.
//! Near zero, where e^x - e^-x cancels, an odd Taylor polynomial whose leading term is exact.
//!
//! Special values as C99 Annex F and musl: sinh and tanh keep the sign of a zero, subnormal
//! arguments come back unchanged, sinh(±inf) = ±inf, cosh(±inf) = +inf, tanh(±inf) = ±1, and
//! sinh, cosh overflow to infinity exactly when the rounded result passes the largest double.
//! Shared with the wasm build (rustc 1.63).

use crate::double_double::{div, fast_two_sum, pow2, two_prod, two_sum};

/// 2^(j/32) for j in 0..32 as double-doubles: hi the nearest double, lo the nearest double to
/// the rest. This table and the ln2/32 constants: native/tools/make_float_tables.py (mpmath).
const EXP2_J_32: [(f64, f64); 32] = [
    (1.0, 0.0),
    (1.0218971486541166, 5.109225028973444e-17),
    (1.0442737824274138, 8.551889705537965e-17),
    (1.0671404006768237, -7.899853966841582e-17),
    (1.0905077326652577, -3.046782079812471e-17),
    (1.1143867425958924, 1.0410278456845571e-16),
    (1.1387886347566916, 8.912812676025408e-17),
    (1.1637248587775775, 3.8292048369240935e-17),
    (1.189207115002721, 3.982015231465646e-17),
    (1.215247359980469, -7.712630692681488e-17),
    (1.241857812073484, 4.658027591836937e-17),
    (1.2690509571917332, 2.667932131342186e-18),
    (1.2968395546510096, 2.5382502794888315e-17),
    (1.3252366431597413, -2.8587312100388614e-17),
    (1.3542555469368927, 7.70094837980299e-17),
    (1.383909881963832, -6.770511658794786e-17),
    (std::f64::consts::SQRT_2, -9.667293313452913e-17),
    (1.4451808069770467, -3.0237581349939873e-17),
    (1.4768261459394993, -3.483994556892796e-17),
    (1.5091644275934228, -1.016455327754295e-16),
    (1.5422108254079407, 7.949834809697621e-17),
    (1.5759808451078865, -1.0136916471278304e-17),
    (1.6104903319492543, 2.4707192569797888e-17),
    (1.645755478153965, -1.0125679913674773e-16),
    (1.681792830507429, 8.199010020581497e-17),
    (1.718619298122478, -1.851380418263111e-17),
    (1.7562521603732995, 2.960140695448873e-17),
    (1.7947090750031072, 1.8227458427912087e-17),
    (1.8340080864093424, 3.283107224245627e-17),
    (1.8741676341103, -6.122763413004143e-17),
    (1.9152065613971474, -1.0619946056195963e-16),
    (1.9571441241754002, 8.960767791036668e-17),
];

/// 32 / ln 2.
const INV_LN2_32: f64 = 46.16624130844683;
/// ln2 / 32 = LN2_32_HI + LN2_32_LO (to 2^-128): HI has 36 significant bits, so n * HI is
/// exact for |n| < 2^17.
const LN2_32_HI: f64 = 0.021660849392446835;
const LN2_32_LO: f64 = 5.145609244655338e-14;
/// Adding then subtracting it rounds a double below 2^51 to an integer (ties to even).
const ROUND_SHIFT: f64 = 6755399441055744.0; // 1.5 * 2^52

/// x = n ln2/32 + (rh + rl), |rh + rl| <= ln2/64 (and a hair), for |x| <= 745.
fn reduce(x: f64) -> (i32, f64, f64) {
    let nf = (x * INV_LN2_32 + ROUND_SHIFT) - ROUND_SHIFT;
    // x - n*HI is exact (Sterbenz); n*LO is off by at most 2^-80.
    let (rh, rl) = two_sum(x - nf * LN2_32_HI, -(nf * LN2_32_LO));
    (nf as i32, rh, rl)
}

/// The even and odd parts of e^r - 1 - r to r^8 (the rest is below 2^-75), relative error
/// near 2^-52: e^r = 1 + r + even + odd, e^-r = 1 - r + even - odd. Estrin's scheme, for
/// shorter chains of dependent operations.
fn exp_poly(r: f64) -> (f64, f64) {
    let r2 = r * r;
    let r4 = r2 * r2;
    let even = r2 * ((0.5 + r2 * (1.0 / 24.0)) + r4 * (1.0 / 720.0 + r2 * (1.0 / 40320.0)));
    let odd = r2 * r * ((1.0 / 6.0 + r2 * (1.0 / 120.0)) + r4 * (1.0 / 5040.0));
    (even, odd)
}

/// 2^(n/32) e^(rh + rl) with q = e^rh - 1 - rh as `(k, hi, lo)`: 2^k (hi + lo), hi + lo in
/// [0.98, 2.03], relative error below 2^-64, normalized (|lo| <= ulp(hi) / 2).
fn reconstruct(n: i32, rh: f64, rl: f64, q: f64) -> (i32, f64, f64) {
    let (th, tl) = EXP2_J_32[(n & 31) as usize];
    // (th + tl)(1 + rh + rl + q), the product th*rh exact.
    let (p, pe) = two_prod(th, rh);
    let (h, e) = fast_two_sum(th, p);
    let lo = e + pe + th * (q + rl + rh * rl) + tl * (1.0 + rh);
    let (h, lo) = fast_two_sum(h, lo);
    (n >> 5, h, lo)
}

/// e^x as [`reconstruct`] gives it, for |x| <= 745 (not NaN).
fn exp_dd(x: f64) -> (i32, f64, f64) {
    let (n, rh, rl) = reduce(x);
    let (even, odd) = exp_poly(rh);
    reconstruct(n, rh, rl, even + odd)
}

/// e^x and e^-x as double-doubles, from one reduction and no division, for |x| < 700.
fn exp_both(x: f64) -> ((f64, f64), (f64, f64)) {
    let (n, rh, rl) = reduce(x);
    let (even, odd) = exp_poly(rh);
    let (k, h, l) = reconstruct(n, rh, rl, even + odd);
    let (k_, h_, l_) = reconstruct(-n, -rh, -rl, even - odd);
    ((h * pow2(k), l * pow2(k)), (h_ * pow2(k_), l_ * pow2(k_)))
}

/// The largest |x| whose sinh, cosh rounds to a finite double is a little below this.
const OVERFLOW_ABOVE: f64 = 710.5;
/// From here on e^-|x| is below 2^-106 e^|x|: sinh, cosh are e^|x| / 2 to double-double accuracy.
const EXP_ONLY_FROM: f64 = 37.0;
/// Below this, the Taylor polynomials (sinh, tanh) or 1 (cosh) are used.
const SMALL: f64 = 0.03125; // 2^-5
/// Below this, sinh and tanh are x and cosh is 1 to within 1/6 ulp.
const TINY: f64 = 7.450580596923828e-9; // 2^-27

/// `(hi + lo) 2^k`, rounded once: `hi + lo` is in [0.98, 2.03] and k at most 1025.
fn scaled(k: i32, hi: f64, lo: f64) -> f64 {
    let m = hi + lo;
    if k > 1021 {
        // Two steps: 2^k itself may not be a double. The first is exact.
        m * pow2(k - 1021) * pow2(1021)
    } else {
        m * pow2(k)
    }
}

/// Hyperbolic sine.
pub fn sinh(x: f64) -> f64 {
    let a = x.abs();
    if a < SMALL {
        if a < TINY {
            return x; // also ±0 and subnormals
        }
        // x + x^3 (1/3! + x^2/5! + x^4/7! + x^6/9!): the sum is below 2^-12.5 x.
        let z = x * x;
        return x + x * z * (1.0 / 6.0 + z * (1.0 / 120.0 + z * (1.0 / 5040.0 + z * (1.0 / 362880.0))));
    }
    if a >= OVERFLOW_ABOVE || a.is_nan() {
        return x * f64::INFINITY; // ±inf, NaN
    }
    let r = if a >= EXP_ONLY_FROM {
        let (k, h, l) = exp_dd(a);
        scaled(k - 1, h, l)
    } else {
        let ((eh, el), (ih, il)) = exp_both(a);
        let (dh, de) = fast_two_sum(eh, -ih);
        0.5 * (dh + (de + el - il))
    };
    if x < 0.0 {
        -r
    } else {
        r
    }
}

/// Hyperbolic cosine.
pub fn cosh(x: f64) -> f64 {
    let a = x.abs();
    if a < TINY {
        return 1.0;
    }
    if a >= OVERFLOW_ABOVE || a.is_nan() {
        return a * f64::INFINITY; // +inf, NaN
    }
    if a >= EXP_ONLY_FROM {
        let (k, h, l) = exp_dd(a);
        return scaled(k - 1, h, l);
    }
    let ((eh, el), (ih, il)) = exp_both(a);
    let (sh, se) = fast_two_sum(eh, ih);
    0.5 * (sh + (se + el + il))
}

/// From here on tanh(|x|) rounds to 1: 1 - tanh(20) is below 2^-55.
const TANH_ONE_FROM: f64 = 20.0;

/// Hyperbolic tangent.
pub fn tanh(x: f64) -> f64 {
    let a = x.abs();
    if a < SMALL {
        if a < TINY {
            return x; // also ±0 and subnormals
        }
        // x - x^3/3 + 2x^5/15 - 17x^7/315 + 62x^9/2835 - 1382x^11/155925 + 21844x^13/6081075.
        let z = x * x;
        let p = -1.0 / 3.0
            + z * (2.0 / 15.0
                + z * (-17.0 / 315.0
                    + z * (62.0 / 2835.0 + z * (-1382.0 / 155925.0 + z * (21844.0 / 6081075.0)))));
        return x + x * z * p;
    }
    if a.is_nan() {
        return x;
    }
    if a >= TANH_ONE_FROM {
        return if x < 0.0 { -1.0 } else { 1.0 };
    }
    // (e^2a - 1) / (e^2a + 1), numerator and denominator as double-doubles.
    let (k, h, l) = exp_dd(2.0 * a);
    let (eh, el) = (h * pow2(k), l * pow2(k));
    let (nh, ne) = two_sum(eh, -1.0);
    let (dh, de) = fast_two_sum(eh, 1.0);
    let (qh, ql) = div(nh, ne + el, dh, de + el);
    let r = qh + ql;
    if x < 0.0 {
        -r
    } else {
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_values() {
        for f in [sinh, tanh] {
            assert_eq!(f(0.0).to_bits(), 0f64.to_bits());
            assert_eq!(f(-0.0).to_bits(), (-0f64).to_bits());
            assert_eq!(f(-5e-324).to_bits(), (-5e-324f64).to_bits());
            assert!(f(f64::NAN).is_nan());
        }
        assert_eq!(cosh(-0.0), 1.0);
        assert!(cosh(f64::NAN).is_nan());
        assert_eq!(sinh(f64::NEG_INFINITY), f64::NEG_INFINITY);
        assert_eq!(cosh(f64::NEG_INFINITY), f64::INFINITY);
        assert_eq!(tanh(f64::NEG_INFINITY), -1.0);
        assert_eq!(tanh(-19.5), -1.0);
        assert_eq!(tanh(1e300), 1.0);
    }

    #[test]
    fn overflow_threshold() {
        // sinh, cosh(710.4758600739439) = 1.79769313486231...e308 is the last finite result.
        let last = 710.4758600739439;
        assert!(sinh(last).is_finite() && cosh(last).is_finite());
        assert_eq!(sinh(-last), -sinh(last));
        let next = f64::from_bits(last.to_bits() + 1);
        assert_eq!(sinh(next), f64::INFINITY);
        assert_eq!(sinh(-next), f64::NEG_INFINITY);
        assert_eq!(cosh(-next), f64::INFINITY);
    }

    #[test]
    fn exact_points() {
        // e^(ln 2 * m) near powers of two, through the table: cosh(ln 2) = 1.25, sinh = 0.75.
        assert_eq!(cosh(std::f64::consts::LN_2), 1.25);
        assert_eq!(sinh(std::f64::consts::LN_2), 0.75);
        assert_eq!(tanh(std::f64::consts::LN_2), 0.6);
    }
}
