//! atan2(y, x), faithfully rounded (max error 0.5 ulp plus a few thousandths, against musl's
//! 1.19): musl rounds y/x, then atan of it, then adds pi; here the quotient, the reduction of
//! its arctangent and the quadrant's multiple of pi are carried as double-doubles and the result
//! is rounded once. The special values are musl's, which follow C99 Annex F: signed zeros give
//! ±0 or ±pi, infinities ±pi/4, ±3pi/4, ±pi/2, ±0 or ±pi, any NaN a NaN.
//! Shared with the wasm build (rustc 1.63).

use crate::double_double::{div, div_by_inverse, fast_two_sum, pow2, two_prod, two_sum};
use std::f64::consts::{FRAC_PI_2, PI};

/// The rest of pi and pi/2: PI + PI_LO, FRAC_PI_2 + FRAC_PI_2_LO are exact to 2^-107.
const PI_LO: f64 = 1.2246467991473532e-16;
const FRAC_PI_2_LO: f64 = 6.123233995736766e-17;

/// atan(i/16) for i in 0..=16 as double-doubles (native/tools/make_float_tables.py).
const ATAN_I_16: [(f64, f64); 17] = [
    (0.0, 0.0),
    (0.06241880999595735, -1.5490756308295046e-18),
    (0.12435499454676144, -3.1253241424539383e-18),
    (0.18534794999569476, 4.180692268843079e-18),
    (0.24497866312686414, 1.0698755618734451e-17),
    (0.3028848683749714, -1.1010827903001369e-17),
    (0.35877067027057225, -2.4623815582638635e-17),
    (0.4124104415973873, -1.587652227770689e-17),
    (0.4636476090008061, 2.2698777452961687e-17),
    (0.5123894603107377, -2.5462781472855804e-17),
    (0.5585993153435624, -5.4556305485916264e-18),
    (0.6022873461349642, 2.950430737228402e-17),
    (0.6435011087932844, 1.5834785051444286e-17),
    (0.6823165548747481, 6.943223671560008e-18),
    (0.7188299996216245, -2.1478388444456983e-17),
    (0.7531512809621944, -2.4256934659182068e-17),
    (std::f64::consts::FRAC_PI_4, 3.061616997868383e-17),
];

/// `v = m 2^e` with m in [1, 2), for finite nonzero v >= 0.
fn unit_and_exponent(v: f64) -> (f64, i32) {
    let (v, bias) = if v < f64::MIN_POSITIVE { (v * pow2(64), 64) } else { (v, 0) };
    let bits = v.to_bits();
    let m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    (m, (bits >> 52) as i32 - 1023 - bias)
}

/// atan(n/d) for 0 < n <= d, n/d >= 2^-70, as a double-double with relative error below 2^-60.
fn atan_ratio(n: f64, d: f64) -> (f64, f64) {
    // atan t = atan c + atan u, c = i/16 nearest t, u = (t - c) / (1 + tc) = (n - cd) / (d + cn),
    // |u| <= 1/32: numerator and denominator are exact double-doubles, then one division.
    let inv = 1.0 / d;
    let i = (n * inv * 16.0 + 0.5) as usize;
    let (uh, ul) = if i == 0 {
        div_by_inverse(n, 0.0, d, 0.0, inv)
    } else {
        let c = i as f64 / 16.0;
        let (p, pe) = two_prod(c, d);
        let (nh, ne) = two_sum(n, -p);
        let (q, qe) = two_prod(c, n);
        let (dh, de) = fast_two_sum(d, q);
        div(nh, ne - pe, dh, de + qe)
    };
    // atan u = u - u^3/3 + ... + u^13/13: the rest is below 2^-74 u.
    let z = uh * uh;
    let p =
        -1.0 / 3.0 + z * (0.2 + z * (-1.0 / 7.0 + z * (1.0 / 9.0 + z * (-1.0 / 11.0 + z * (1.0 / 13.0)))));
    let (ah, al) = ATAN_I_16[i];
    let (sh, se) = fast_two_sum(ah, uh);
    (sh, se + al + ul + uh * z * p)
}

/// Arctangent of y/x in (-pi, pi], the quadrant from the signs of both.
pub fn atan2(y: f64, x: f64) -> f64 {
    if x.is_nan() || y.is_nan() {
        return x + y;
    }
    let (ax, ay) = (x.abs(), y.abs());
    let x_negative = x.is_sign_negative();
    let signed = |v: f64| if y.is_sign_negative() { -v } else { v };
    if ay == 0.0 {
        return if x_negative { signed(PI) } else { y };
    }
    if ax == 0.0 {
        return signed(FRAC_PI_2);
    }
    if ax == f64::INFINITY {
        return signed(match (ay == f64::INFINITY, x_negative) {
            (true, false) => PI / 4.0,
            (true, true) => 3.0 * PI / 4.0,
            (false, false) => 0.0,
            (false, true) => PI,
        });
    }
    // The high words compare the exponents (as musl): past 2^64 either way the ratio's
    // arctangent is pi/2, y/x or 0 to far below half an ulp.
    let (hx, hy) = ((ax.to_bits() >> 32) as u32, (ay.to_bits() >> 32) as u32);
    if hx + (64 << 20) < hy || ay == f64::INFINITY {
        return signed(FRAC_PI_2);
    }
    if hy + (64 << 20) < hx {
        return signed(if x_negative { PI } else { ay / ax });
    }
    // From the significands, so that no step overflows or underflows: |y/x| = n/d or d/n with
    // n <= d, n/d in (2^-66, 1]; then atan |y/x| = atan(n/d) or pi/2 - atan(n/d).
    let ((my, ey), (mx, ex)) = (unit_and_exponent(ay), unit_and_exponent(ax));
    let (zh, zl) = if ay > ax {
        let (ah, al) = atan_ratio(mx * pow2(ex - ey), my);
        let (h, e) = two_sum(FRAC_PI_2, -ah);
        (h, e + FRAC_PI_2_LO - al)
    } else {
        atan_ratio(my * pow2(ey - ex), mx)
    };
    signed(if x_negative {
        let (h, e) = two_sum(PI, -zh);
        h + (e + PI_LO - zl)
    } else {
        zh + zl
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::FRAC_PI_4;

    #[test]
    fn annex_f_special_values() {
        let (inf, nan) = (f64::INFINITY, f64::NAN);
        let bits = |v: f64| v.to_bits();
        for (y, x, want) in [
            (0.0, 0.0, 0.0),
            (-0.0, 0.0, -0.0),
            (0.0, -0.0, PI),
            (-0.0, -0.0, -PI),
            (0.0, -3.0, PI),
            (-0.0, -3.0, -PI),
            (0.0, 3.0, 0.0),
            (-0.0, 3.0, -0.0),
            (-3.0, 0.0, -FRAC_PI_2),
            (3.0, -0.0, FRAC_PI_2),
            (3.0, -inf, PI),
            (-3.0, -inf, -PI),
            (3.0, inf, 0.0),
            (-3.0, inf, -0.0),
            (inf, 3.0, FRAC_PI_2),
            (-inf, -3.0, -FRAC_PI_2),
            (inf, -inf, 3.0 * FRAC_PI_4),
            (-inf, -inf, -3.0 * FRAC_PI_4),
            (inf, inf, FRAC_PI_4),
            (-inf, inf, -FRAC_PI_4),
        ] {
            assert_eq!(bits(atan2(y, x)), bits(want), "atan2({y}, {x})");
        }
        assert!(atan2(nan, 1.0).is_nan() && atan2(1.0, nan).is_nan());
    }

    #[test]
    fn quadrants_and_extremes() {
        assert_eq!(atan2(1.0, 1.0), FRAC_PI_4);
        assert_eq!(atan2(1.0, -1.0), 3.0 * FRAC_PI_4);
        assert_eq!(atan2(-1.0, -1.0), -3.0 * FRAC_PI_4);
        assert_eq!(atan2(-1.0, 1.0), -FRAC_PI_4);
        assert_eq!(atan2(f64::MAX, 5e-324), FRAC_PI_2);
        assert_eq!(atan2(5e-324, f64::MAX), 0.0);
        assert_eq!(atan2(-5e-324, -f64::MAX), -PI);
        // Subnormal over subnormal: the ratio alone counts.
        assert_eq!(atan2(5e-324, 5e-324), FRAC_PI_4);
        assert_eq!(atan2(f64::from_bits(3), -f64::from_bits(80)), atan2(3.0, -80.0));
        assert_eq!(atan2(f64::from_bits(3), -f64::from_bits(80)), 3.104110216898132);
    }
}
