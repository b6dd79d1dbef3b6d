//! The deterministic float math (native/src/float.rs and the modules it uses, exact_sum.rs,
//! stats.rs: the very same files the addon compiles) built for wasm32-unknown-unknown by
//! Debian's rustc, so the tests can run it under Node's WebAssembly and demand bit-for-bit
//! agreement with the addon.
//!
//! Protocol, all in safe code: `prepare(n, m)` sizes the input arrays xs (n doubles) and ys (m)
//! and the output; `xs_ptr`, `ys_ptr`, `out_ptr` give their byte addresses in linear memory,
//! valid until the next `prepare` (which may grow memory: re-read the pointers after it). JS
//! writes the inputs there, calls `apply(op)` (or `stats()`), reads the output.
//!
//! Built by the Makefile with rustc alone (no cargo), so it must compile with rustc 1.63.
// The exports need `#[no_mangle]`, which this lint counts as unsafe; there is no `unsafe` here.
#![allow(unsafe_code)]

#[path = "../src/atan2.rs"]
mod atan2;
#[path = "../src/double_double.rs"]
mod double_double;
#[path = "../src/exact_sum.rs"]
mod exact_sum;
#[path = "../src/float.rs"]
mod float;
#[path = "../src/hyperbolic.rs"]
mod hyperbolic;
#[path = "../src/stats.rs"]
mod stats;

use std::cell::RefCell;

#[derive(Default)]
struct Buffers {
    xs: Vec<f64>,
    ys: Vec<f64>,
    out: Vec<f64>,
}

thread_local! {
    static BUFFERS: RefCell<Buffers> = RefCell::new(Buffers::default());
}

#[no_mangle]
pub extern "C" fn prepare(n: usize, m: usize) {
    BUFFERS.with(|b| {
        let mut b = b.borrow_mut();
        b.xs.resize(n, 0.0);
        b.ys.resize(m, 0.0);
        b.out.resize(n.max(stats::STATS_LEN), 0.0);
    });
}

#[no_mangle]
pub extern "C" fn xs_ptr() -> *mut f64 {
    BUFFERS.with(|b| b.borrow_mut().xs.as_mut_ptr())
}

#[no_mangle]
pub extern "C" fn ys_ptr() -> *mut f64 {
    BUFFERS.with(|b| b.borrow_mut().ys.as_mut_ptr())
}

#[no_mangle]
pub extern "C" fn out_ptr() -> *mut f64 {
    BUFFERS.with(|b| b.borrow_mut().out.as_mut_ptr())
}

/// Number of ops, to check that JS and the addon agree on the op table.
#[no_mangle]
pub extern "C" fn op_count() -> usize {
    float::OPS.len()
}

/// Maps xs (and ys) through op into out[..n]; 0 on success, -1 for a bad op or ys length.
#[no_mangle]
pub extern "C" fn apply(op: usize) -> i32 {
    BUFFERS.with(|b| {
        let b = &mut *b.borrow_mut();
        let n = b.xs.len();
        match float::apply(op, &b.xs, &b.ys, &mut b.out[..n]) {
            Ok(()) => 0,
            Err(_) => -1,
        }
    })
}

/// Summary statistics of xs into out[..7].
#[no_mangle]
pub extern "C" fn stats() {
    BUFFERS.with(|b| {
        let b = &mut *b.borrow_mut();
        b.out[..stats::STATS_LEN].copy_from_slice(&stats::stats(&b.xs));
    });
}
