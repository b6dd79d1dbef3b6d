//! Deriva's native addon: BLAKE3 (plain, keyed, derive-key, extendable output, multithreaded)
//! exposed to Node over Node-API. `napi` is the only place `unsafe` may appear; `bindings` maps
//! JS calls onto `hashing`, which knows nothing of JS. Loaded only by src/native/index.ts.
#![deny(unsafe_code)]

mod bindings;
mod hashing;
mod mapped;
mod napi;
