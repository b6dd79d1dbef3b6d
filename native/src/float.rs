//! Deterministic f64 math, free of any Node-API concern so that the very same source compiles
//! into the addon and (through native/wasm/float_wasm.rs) into the wasm32 module the tests use
//! to prove bit-for-bit agreement across targets.
//!
//! Why results are identical everywhere: every function is musl's libm ported to plain Rust
//! (the `libm` crate, from Debian) or, for sinh, cosh, tanh and atan2, where musl's error passes
//! 1 ulp, our own double-double versions (`hyperbolic`, `atan2`); all are built only from
//! IEEE-754 basic operations, which are correctly rounded on every target Rust supports (x86_64
//! uses SSE2, never x87; rustc never contracts `a * b + c` into a fused multiply-add). What IEEE
//! leaves open is the payload of a NaN result, so every NaN result is replaced by the one NaN of
//! [`CANONICAL_NAN_BITS`].
//!
//! This file must keep compiling with Debian's rustc 1.63 (the wasm build): no let-else, no
//! `ilog2`, nothing newer.

use crate::{atan2, hyperbolic};

/// The bits of the one NaN this module returns: quiet, positive, zero payload.
pub const CANONICAL_NAN_BITS: u64 = 0x7ff8_0000_0000_0000;

/// A function of one or two arguments.
#[derive(Clone, Copy)]
pub enum Kernel {
    Unary(fn(f64) -> f64),
    Binary(fn(f64, f64) -> f64),
}

/// One operation: its stable name (what `fmap@1` recipes spell) and its body.
pub struct Op {
    pub name: &'static str,
    pub kernel: Kernel,
}

const fn unary(name: &'static str, f: fn(f64) -> f64) -> Op {
    Op { name, kernel: Kernel::Unary(f) }
}

const fn binary(name: &'static str, f: fn(f64, f64) -> f64) -> Op {
    Op { name, kernel: Kernel::Binary(f) }
}

fn add(a: f64, b: f64) -> f64 {
    a + b
}
fn sub(a: f64, b: f64) -> f64 {
    a - b
}
fn mul(a: f64, b: f64) -> f64 {
    a * b
}
fn div(a: f64, b: f64) -> f64 {
    a / b
}

/// Every operation, indexed by its op code. Append only: the index is how JS and wasm name an
/// operation, and the golden vectors record names, so a reorder would be caught there too.
pub const OPS: [Op; 27] = [
    binary("add", add),
    binary("sub", sub),
    binary("mul", mul),
    binary("div", div),
    unary("sqrt", libm::sqrt),
    unary("cbrt", libm::cbrt),
    unary("exp", libm::exp),
    unary("expm1", libm::expm1),
    unary("log", libm::log),
    unary("log1p", libm::log1p),
    unary("log2", libm::log2),
    unary("log10", libm::log10),
    binary("pow", libm::pow),
    unary("sin", libm::sin),
    unary("cos", libm::cos),
    unary("tan", libm::tan),
    unary("asin", libm::asin),
    unary("acos", libm::acos),
    unary("atan", libm::atan),
    binary("atan2", atan2::atan2),
    unary("sinh", hyperbolic::sinh),
    unary("cosh", hyperbolic::cosh),
    unary("tanh", hyperbolic::tanh),
    binary("hypot", libm::hypot),
    // The remaining basic operations, for completeness of `fmap`.
    unary("neg", neg),
    unary("abs", libm::fabs),
    binary("rem", libm::fmod),
];

fn neg(x: f64) -> f64 {
    -x
}

/// `x`, or the canonical NaN if `x` is any NaN.
pub fn canonical(x: f64) -> f64 {
    if x.is_nan() {
        f64::from_bits(CANONICAL_NAN_BITS)
    } else {
        x
    }
}

/// Why a batch could not run.
#[derive(Debug, PartialEq, Eq)]
pub enum BatchError {
    UnknownOp(usize),
    /// A binary op got a second operand array that is neither of length 1 nor `xs.len()`.
    ArgLength {
        xs: usize,
        ys: usize,
    },
    /// `out` is not as long as `xs`.
    OutLength {
        xs: usize,
        out: usize,
    },
}

/// `out[i] = op(xs[i])` for a unary op (`ys` unused); for a binary one `op(xs[i], ys[i])`, or
/// `op(xs[i], ys[0])` for every i when `ys` has one element. Every NaN result is canonical.
pub fn apply(op: usize, xs: &[f64], ys: &[f64], out: &mut [f64]) -> Result<(), BatchError> {
    let kernel = OPS.get(op).ok_or(BatchError::UnknownOp(op))?.kernel;
    if out.len() != xs.len() {
        return Err(BatchError::OutLength { xs: xs.len(), out: out.len() });
    }
    match kernel {
        Kernel::Unary(f) => {
            for (o, &x) in out.iter_mut().zip(xs) {
                *o = canonical(f(x));
            }
        }
        Kernel::Binary(f) if ys.len() == 1 => {
            let y = ys[0];
            for (o, &x) in out.iter_mut().zip(xs) {
                *o = canonical(f(x, y));
            }
        }
        Kernel::Binary(f) if ys.len() == xs.len() => {
            for ((o, &x), &y) in out.iter_mut().zip(xs).zip(ys) {
                *o = canonical(f(x, y));
            }
        }
        Kernel::Binary(_) => return Err(BatchError::ArgLength { xs: xs.len(), ys: ys.len() }),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(name: &str) -> usize {
        OPS.iter().position(|o| o.name == name).unwrap()
    }

    #[test]
    fn nan_results_are_canonical() {
        let weird = f64::from_bits(0xfff0_0000_dead_beef);
        let mut out = [0.0; 3];
        apply(op("log"), &[-1.0, weird, f64::NAN], &[], &mut out).unwrap();
        assert!(out.iter().all(|x| x.to_bits() == CANONICAL_NAN_BITS));
    }

    #[test]
    fn binary_broadcasts_a_single_argument() {
        let mut out = [0.0; 2];
        apply(op("pow"), &[2.0, 3.0], &[2.0], &mut out).unwrap();
        assert_eq!(out, [4.0, 9.0]);
        assert_eq!(
            apply(op("pow"), &[2.0, 3.0], &[1.0, 2.0, 3.0], &mut out),
            Err(BatchError::ArgLength { xs: 2, ys: 3 })
        );
        assert_eq!(apply(OPS.len(), &[], &[], &mut []), Err(BatchError::UnknownOp(OPS.len())));
    }

    #[test]
    fn names_are_unique() {
        for (i, a) in OPS.iter().enumerate() {
            assert!(OPS[i + 1..].iter().all(|b| b.name != a.name), "{} twice", a.name);
        }
    }
}
