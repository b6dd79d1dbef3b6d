//! Summary statistics of a column of doubles (the body of `stats@1`), defined so that the
//! order of the rows cannot change a single bit: every sum is exact and rounded once
//! (see `exact_sum`), and every other step is one IEEE operation on order-free values.
//! Shared with the wasm build (rustc 1.63).

use crate::exact_sum::ExactSum;
use crate::float::canonical;

/// How many values [`stats`] returns, in this order: count, sum, mean, min, max, variance
/// (population, divisor n), stddev.
pub const STATS_LEN: usize = 7;

/// count n; sum = round(exact Σx); mean = sum / n; min, max (-0 below +0, NaN if any NaN);
/// variance = round(exact Σ fl(fl(x - mean)^2)) / n; stddev = sqrt(variance). With no rows every
/// field but count and sum (0) is NaN. NaNs are canonical.
pub fn stats(xs: &[f64]) -> [f64; STATS_LEN] {
    let n = xs.len() as f64;
    let mut total = ExactSum::new();
    xs.iter().for_each(|&x| total.add(x));
    let sum = total.round();
    if xs.is_empty() {
        return [0.0, 0.0, f64::NAN, f64::NAN, f64::NAN, f64::NAN, f64::NAN].map(canonical);
    }
    let mean = sum / n;
    let mut squares = ExactSum::new();
    for &x in xs {
        let d = x - mean;
        squares.add(d * d);
    }
    let variance = squares.round() / n;
    let (min, max) = extremes(xs);
    [n, sum, mean, min, max, variance, libm::sqrt(variance)].map(canonical)
}

/// Smallest and largest, ordering -0 below +0 so that the result is the same in any order.
fn extremes(xs: &[f64]) -> (f64, f64) {
    if xs.iter().any(|x| x.is_nan()) {
        return (f64::NAN, f64::NAN);
    }
    let below = |a: f64, b: f64| a < b || (a == b && a.is_sign_negative() && b.is_sign_positive());
    let mut min = xs[0];
    let mut max = xs[0];
    for &x in &xs[1..] {
        if below(x, min) {
            min = x;
        }
        if below(max, x) {
            max = x;
        }
    }
    (min, max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_does_not_matter() {
        let xs = [1e16, 1.0, -1e16, 0.1, 3.5, -0.0, 0.0, 2.25];
        let mut reversed = xs;
        reversed.reverse();
        let bits = |s: [f64; STATS_LEN]| s.map(f64::to_bits);
        assert_eq!(bits(stats(&xs)), bits(stats(&reversed)));
        let s = stats(&xs);
        assert_eq!(s[1], 1.0 + 0.1 + 3.5 + 2.25);
        assert_eq!(s[3], -1e16);
        assert_eq!(s[4], 1e16);
    }

    #[test]
    fn signed_zeros_and_empty() {
        assert_eq!(stats(&[0.0, -0.0])[3].to_bits(), (-0.0f64).to_bits());
        assert_eq!(stats(&[-0.0, 0.0])[4].to_bits(), 0);
        let empty = stats(&[]);
        assert_eq!((empty[0], empty[1]), (0.0, 0.0));
        assert!(empty[2..].iter().all(|x| x.is_nan()));
    }

    #[test]
    fn population_variance() {
        let s = stats(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]);
        assert_eq!((s[2], s[5], s[6]), (5.0, 4.0, 2.0));
    }
}
