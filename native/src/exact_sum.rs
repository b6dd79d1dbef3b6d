//! Exactly rounded summation of f64s: every finite addend is added, without any rounding, into
//! a fixed-point integer wide enough for any double and 2^64 of them (a "superaccumulator");
//! only the final total is rounded, once, to nearest-even. Integer addition is associative, so
//! the result cannot depend on the order of the addends. Shared with the wasm build (rustc 1.63).

/// Limbs of the accumulator, little-endian, two's complement. Bit 0 weighs 2^-1074 (the least
/// subnormal); a finite double reaches bit 2098, and 2^64 of them need 64 more bits plus a sign:
/// 35 limbs = 2240 bits.
const LIMBS: usize = 35;
const MANTISSA_BITS: u32 = 52;
const MANTISSA_MASK: u64 = (1 << MANTISSA_BITS) - 1;

/// A running exact sum. Infinities and NaNs are counted aside, as IEEE addition treats them.
#[derive(Clone)]
pub struct ExactSum {
    limbs: [u64; LIMBS],
    nan: bool,
    pos_inf: bool,
    neg_inf: bool,
}

impl Default for ExactSum {
    fn default() -> Self {
        Self::new()
    }
}

impl ExactSum {
    pub fn new() -> Self {
        Self { limbs: [0; LIMBS], nan: false, pos_inf: false, neg_inf: false }
    }

    /// Adds `x` exactly.
    pub fn add(&mut self, x: f64) {
        if x.is_nan() {
            self.nan = true;
        } else if x.is_infinite() {
            if x > 0.0 {
                self.pos_inf = true;
            } else {
                self.neg_inf = true;
            }
        } else {
            let bits = x.to_bits();
            let field = ((bits >> MANTISSA_BITS) & 0x7ff) as u32;
            let frac = bits & MANTISSA_MASK;
            // x = m * 2^(shift - 1074): subnormals have no hidden bit and the same scale as
            // exponent field 1.
            let (m, shift) = if field == 0 { (frac, 0) } else { (frac | (1 << MANTISSA_BITS), field - 1) };
            if m != 0 {
                self.add_shifted(m, shift, x < 0.0);
            }
        }
    }

    fn add_shifted(&mut self, m: u64, shift: u32, negative: bool) {
        let wide = u128::from(m) << (shift % 64);
        let first = (shift / 64) as usize;
        let parts = [wide as u64, (wide >> 64) as u64];
        let mut carry = false;
        for i in first..LIMBS {
            let part = if i - first < 2 { parts[i - first] } else { 0 };
            if part == 0 && !carry && i - first >= 2 {
                break;
            }
            let (v, c) = if negative {
                let (a, b1) = self.limbs[i].overflowing_sub(part);
                let (a, b2) = a.overflowing_sub(u64::from(carry));
                (a, b1 || b2)
            } else {
                let (a, c1) = self.limbs[i].overflowing_add(part);
                let (a, c2) = a.overflowing_add(u64::from(carry));
                (a, c1 || c2)
            };
            self.limbs[i] = v;
            carry = c;
        }
    }

    /// The exact sum rounded to the nearest double (ties to even); an exact zero is +0, as
    /// IEEE's x + (-x) is. Any NaN, or both infinities, give NaN; one infinity gives it.
    pub fn round(&self) -> f64 {
        if self.nan || (self.pos_inf && self.neg_inf) {
            return f64::NAN;
        }
        if self.pos_inf {
            return f64::INFINITY;
        }
        if self.neg_inf {
            return f64::NEG_INFINITY;
        }
        let negative = self.limbs[LIMBS - 1] >> 63 == 1;
        let magnitude = if negative { negate(&self.limbs) } else { self.limbs };
        let rounded = round_magnitude(&magnitude);
        if negative {
            -rounded
        } else {
            rounded
        }
    }
}

fn negate(limbs: &[u64; LIMBS]) -> [u64; LIMBS] {
    let mut out = [0; LIMBS];
    let mut carry = true;
    for (o, &l) in out.iter_mut().zip(limbs) {
        let (v, c) = (!l).overflowing_add(u64::from(carry));
        *o = v;
        carry = c;
    }
    out
}

/// Bit `pos` of the little-endian integer `limbs` (0 past its end).
fn bit(limbs: &[u64; LIMBS], pos: usize) -> u64 {
    limbs.get(pos / 64).map_or(0, |l| (l >> (pos % 64)) & 1)
}

/// The 64 bits of `limbs` starting at bit `pos`.
fn bits_from(limbs: &[u64; LIMBS], pos: usize) -> u64 {
    let (i, off) = (pos / 64, pos % 64);
    let low = limbs.get(i).map_or(0, |l| l >> off);
    let high = if off == 0 { 0 } else { limbs.get(i + 1).map_or(0, |l| l << (64 - off)) };
    low | high
}

/// True when any bit below `pos` is set.
fn any_below(limbs: &[u64; LIMBS], pos: usize) -> bool {
    let (i, off) = (pos / 64, pos % 64);
    limbs[..i].iter().any(|&l| l != 0) || (off > 0 && limbs[i] & ((1u64 << off) - 1) != 0)
}

/// `magnitude * 2^-1074` rounded to nearest-even (non-negative `magnitude`).
fn round_magnitude(magnitude: &[u64; LIMBS]) -> f64 {
    let top_limb = match magnitude.iter().rposition(|&l| l != 0) {
        Some(i) => i,
        None => return 0.0,
    };
    let high = top_limb * 64 + 63 - magnitude[top_limb].leading_zeros() as usize;
    if high <= MANTISSA_BITS as usize {
        // Below 2^53 units the value is exact, and its bits are the double's bits: subnormal
        // below 2^52, exponent field 1 from there.
        return f64::from_bits(magnitude[0]);
    }
    let mut shift = high - MANTISSA_BITS as usize;
    let mut top = bits_from(magnitude, shift) & ((1 << (MANTISSA_BITS + 1)) - 1);
    let half = bit(magnitude, shift - 1) == 1;
    if half && (any_below(magnitude, shift - 1) || top & 1 == 1) {
        top += 1;
        if top == 1 << (MANTISSA_BITS + 1) {
            top >>= 1;
            shift += 1;
        }
    }
    let field = shift as u64 + 1;
    if field >= 0x7ff {
        return f64::INFINITY;
    }
    f64::from_bits((field << MANTISSA_BITS) | (top & MANTISSA_MASK))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sum(xs: &[f64]) -> f64 {
        let mut acc = ExactSum::new();
        xs.iter().for_each(|&x| acc.add(x));
        acc.round()
    }

    #[test]
    fn cancels_exactly_whatever_the_order() {
        assert_eq!(sum(&[1e100, 1.0, -1e100]), 1.0);
        assert_eq!(sum(&[1.0, 1e100, 1.0, -1e100]), 2.0);
        assert_eq!(sum(&[0.1, 0.2, 0.3, -0.6]).to_bits(), sum(&[-0.6, 0.3, 0.2, 0.1]).to_bits());
    }

    #[test]
    fn rounds_half_to_even_once() {
        // 1 + 2^-53 is a tie: to even gives 1; one more 2^-106 breaks the tie upwards.
        assert_eq!(sum(&[1.0, 2f64.powi(-53)]), 1.0);
        assert_eq!(sum(&[1.0, 2f64.powi(-53), 2f64.powi(-106)]), 1.0 + f64::EPSILON);
    }

    #[test]
    fn extremes() {
        assert_eq!(sum(&[f64::MAX, f64::MAX]), f64::INFINITY);
        assert_eq!(sum(&[f64::MAX, f64::MAX, -f64::MAX]), f64::MAX);
        assert_eq!(sum(&[-f64::MAX, -f64::MAX]), f64::NEG_INFINITY);
        let tiny = f64::from_bits(1);
        assert_eq!(sum(&[tiny, tiny, tiny]).to_bits(), 3);
        assert_eq!(sum(&[-tiny]).to_bits(), (-tiny).to_bits());
        assert_eq!(sum(&[-0.0]).to_bits(), 0);
        assert_eq!(sum(&[]).to_bits(), 0);
        assert!(sum(&[f64::INFINITY, f64::NEG_INFINITY]).is_nan());
        assert_eq!(sum(&[f64::INFINITY, 1.0]), f64::INFINITY);
    }
}
