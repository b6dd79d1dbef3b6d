//! Deriva's native addon: BLAKE3 (plain, keyed, derive-key, extendable output, multithreaded)
//! and deterministic f64 math, exposed to Node over Node-API. `napi` is the only place `unsafe`
//! may appear; `bindings` and `float_bindings` map JS calls onto `hashing`, `float` and `stats`,
//! which know nothing of JS (`float`, with `hyperbolic`, `atan2` and `double_double`, and
//! `exact_sum` and `stats` also build for wasm32, see native/wasm). Loaded only by
//! src/native/index.ts.
#![deny(unsafe_code)]

mod atan2;
mod bindings;
mod double_double;
mod exact_sum;
mod float;
mod float_bindings;
mod hashing;
mod hyperbolic;
mod mapped;
mod napi;
mod stats;
