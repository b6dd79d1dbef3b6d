//! What JS sees: argument checking (defensive; src/native/index.ts checks first with nicer
//! types) and the mapping of each exported function onto `hashing`.
//!
//! Exports: `hash(data, outLen?, parallel?)`, `keyedHash(key, data, outLen?)`,
//! `deriveKey(context, material, outLen?)`, `hashAsync(data, parallel?)`, class
//! `Hasher(keyOrContext?)` with `update(data, parallel?)` and `finalize(outLen?)`, and the numbers
//! `MAX_OUT_LEN`, `PARALLEL_THRESHOLD`; `releaseMappedPages(path)` and `fileSize(path, fresh)`; then the float exports of
//! `float_bindings`.

use crate::hashing::{self, Parallelism, KEY_LEN, MAX_OUT_LEN, PARALLEL_THRESHOLD};
use crate::napi::{Args, Env, JsError, JsResult, Value, ValueType, Wrapped};

const DEFAULT_OUT_LEN: usize = blake3::OUT_LEN;

pub fn register<'a>(env: Env<'a>, exports: Value<'a>) -> JsResult<()> {
    let functions: [(&std::ffi::CStr, crate::napi::Method); 6] = [
        (c"hash", js_hash),
        (c"keyedHash", js_keyed_hash),
        (c"deriveKey", js_derive_key),
        (c"hashAsync", js_hash_async),
        (c"releaseMappedPages", js_release_mapped_pages),
        (c"fileSize", js_file_size),
    ];
    for (name, method) in functions {
        env.set_property(exports, name, env.function(name, method)?)?;
    }
    let class = env.define_class(
        c"Hasher",
        js_hasher_new,
        &[(c"update", js_hasher_update), (c"finalize", js_hasher_finalize)],
    )?;
    env.set_property(exports, c"Hasher", class)?;
    env.set_property(exports, c"MAX_OUT_LEN", env.number(MAX_OUT_LEN as f64)?)?;
    env.set_property(exports, c"PARALLEL_THRESHOLD", env.number(PARALLEL_THRESHOLD as f64)?)?;
    crate::float_bindings::register(env, exports)
}

fn js_hash<'a>(env: Env<'a>, args: &Args<'a>) -> JsResult<Value<'a>> {
    let data = bytes_arg(env, args.get(0), "hash", "data")?;
    let out_len = out_len_arg(env, args.get(1), "hash")?;
    let parallelism = parallel_arg(env, args.get(2), "hash")?;
    env.buffer_with(out_len, |out| hashing::hash_into(blake3::Hasher::new(), data, parallelism, out))
}

fn js_keyed_hash<'a>(env: Env<'a>, args: &Args<'a>) -> JsResult<Value<'a>> {
    let key = key_arg(env, args.get(0), "keyedHash")?;
    let data = bytes_arg(env, args.get(1), "keyedHash", "data")?;
    let out_len = out_len_arg(env, args.get(2), "keyedHash")?;
    let hasher = blake3::Hasher::new_keyed(&key);
    env.buffer_with(out_len, |out| hashing::hash_into(hasher, data, Parallelism::Auto, out))
}

fn js_derive_key<'a>(env: Env<'a>, args: &Args<'a>) -> JsResult<Value<'a>> {
    let context = context_arg(env, args.get(0), "deriveKey")?;
    let material = bytes_arg(env, args.get(1), "deriveKey", "material")?;
    let out_len = out_len_arg(env, args.get(2), "deriveKey")?;
    let hasher = blake3::Hasher::new_derive_key(&context);
    env.buffer_with(out_len, |out| hashing::hash_into(hasher, material, Parallelism::Auto, out))
}

fn js_hash_async<'a>(env: Env<'a>, args: &Args<'a>) -> JsResult<Value<'a>> {
    let data = args.get(0);
    let parallelism = parallel_arg(env, args.get(1), "hashAsync")?;
    let work = move |bytes: &[u8]| {
        let mut out = [0u8; DEFAULT_OUT_LEN];
        hashing::hash_into(blake3::Hasher::new(), bytes, parallelism, &mut out);
        out
    };
    match data {
        Some(data) => env.spawn_bytes_work(data, work, digest_buffer)?,
        None => None,
    }
    .ok_or_else(|| not_bytes("hashAsync", "data"))
}

fn digest_buffer(env: Env<'_>, digest: [u8; DEFAULT_OUT_LEN]) -> JsResult<Value<'_>> {
    env.buffer_with(digest.len(), |out| out.copy_from_slice(&digest))
}

/// `releaseMappedPages(path)`: drops this process's resident pages of every shared mapping of
/// the file `path` (they stay in the page cache); returns the bytes of mappings advised.
fn js_release_mapped_pages<'a>(env: Env<'a>, args: &Args<'a>) -> JsResult<Value<'a>> {
    let path = match args.get(0) {
        Some(v) if env.type_of(v)? == ValueType::String => env.get_string(v)?,
        _ => {
            return Err(JsError::type_error(
                "ERR_INVALID_ARG_TYPE",
                "releaseMappedPages: path must be a string",
            ))
        }
    };
    let maps = std::fs::read_to_string("/proc/self/maps")
        .map_err(|e| JsError::error("ERR_PROC_MAPS", format!("releaseMappedPages: /proc/self/maps: {e}")))?;
    let mut released = 0;
    for (start, len) in crate::mapped::shared_ranges_of(&maps, &path) {
        // A mapping can go away between reading the list and advising it: that is not an error.
        if crate::napi::os::release_shared_file_pages(start, len).is_ok() {
            released += len;
        }
    }
    env.number(released as f64)
}

/// `fileSize(path: Uint8Array, fresh: boolean)`: a promise of the file's size as the kernel
/// holds it, asking the filesystem afresh if `fresh` (run on the libuv pool: on our own FUSE
/// mount the answer comes from the JS thread); rejects with the OS error.
fn js_file_size<'a>(env: Env<'a>, args: &Args<'a>) -> JsResult<Value<'a>> {
    let fresh = match args.get(1) {
        Some(v) if env.type_of(v)? == ValueType::Boolean => env.get_bool(v)?,
        _ => return Err(JsError::type_error("ERR_INVALID_ARG_TYPE", "fileSize: fresh must be a boolean")),
    };
    let work = move |path: &[u8]| crate::napi::os::file_size(path, fresh).map_err(|e| e.to_string());
    match args.get(0) {
        Some(path) => env.spawn_bytes_work(path, work, size_number)?,
        None => None,
    }
    .ok_or_else(|| not_bytes("fileSize", "path"))
}

fn size_number(env: Env<'_>, size: Result<u64, String>) -> JsResult<Value<'_>> {
    match size {
        Ok(n) => env.number(n as f64),
        Err(e) => Err(JsError::error("ERR_STATX", format!("fileSize: {e}"))),
    }
}

/// The state behind a JS `Hasher`.
struct Hasher(blake3::Hasher);

impl Wrapped for Hasher {
    const TYPE_TAG: (u64, u64) = (0x6465_7269_7661_2d62, 0x6c61_6b65_332d_6831); // "deriva-blake3-h1"
}

/// `new Hasher()` plain, `new Hasher(key: Uint8Array)` keyed, `new Hasher(context: string)`.
fn js_hasher_new<'a>(env: Env<'a>, args: &Args<'a>) -> JsResult<Value<'a>> {
    if !args.is_construct_call() {
        return Err(JsError::type_error("ERR_CONSTRUCT_CALL_REQUIRED", "Hasher must be called with new"));
    }
    let hasher = match args.get(0) {
        None => blake3::Hasher::new(),
        Some(arg) => match env.type_of(arg)? {
            ValueType::Undefined => blake3::Hasher::new(),
            ValueType::String => blake3::Hasher::new_derive_key(&env.get_string(arg)?),
            _ => blake3::Hasher::new_keyed(&key_arg(env, Some(arg), "Hasher")?),
        },
    };
    env.wrap(args.this(), Hasher(hasher))?;
    env.undefined()
}

fn js_hasher_update<'a>(env: Env<'a>, args: &Args<'a>) -> JsResult<Value<'a>> {
    let cell = this_hasher(env, args, "update")?;
    let data = bytes_arg(env, args.get(0), "Hasher.update", "data")?;
    let parallelism = parallel_arg(env, args.get(1), "Hasher.update")?;
    hashing::update(&mut cell.borrow_mut().0, data, parallelism);
    Ok(args.this())
}

fn js_hasher_finalize<'a>(env: Env<'a>, args: &Args<'a>) -> JsResult<Value<'a>> {
    let cell = this_hasher(env, args, "finalize")?;
    let out_len = out_len_arg(env, args.get(0), "Hasher.finalize")?;
    let hasher = cell.borrow();
    env.buffer_with(out_len, |out| hashing::finalize_into(&hasher.0, out))
}

fn this_hasher<'a>(env: Env<'a>, args: &Args<'a>, method: &str) -> JsResult<&'a std::cell::RefCell<Hasher>> {
    env.unwrap::<Hasher>(args.this())?.ok_or_else(|| {
        JsError::type_error(
            "ERR_INVALID_THIS",
            format!("Hasher.{method} called on an object that is not a Hasher"),
        )
    })
}

fn not_bytes(function: &str, param: &str) -> JsError {
    JsError::type_error("ERR_INVALID_ARG_TYPE", format!("{function}: {param} must be a Uint8Array or Buffer"))
}

fn bytes_arg<'a>(env: Env<'a>, value: Option<Value<'a>>, function: &str, param: &str) -> JsResult<&'a [u8]> {
    match value {
        Some(v) => env.bytes(v)?,
        None => None,
    }
    .ok_or_else(|| not_bytes(function, param))
}

fn key_arg<'a>(env: Env<'a>, value: Option<Value<'a>>, function: &str) -> JsResult<[u8; KEY_LEN]> {
    let key = bytes_arg(env, value, function, "key")?;
    key.try_into().map_err(|_| {
        JsError::range_error(
            "ERR_INVALID_KEY_LENGTH",
            format!("{function}: key must be exactly {KEY_LEN} bytes, got {}", key.len()),
        )
    })
}

fn context_arg<'a>(env: Env<'a>, value: Option<Value<'a>>, function: &str) -> JsResult<String> {
    match value {
        Some(v) if env.type_of(v)? == ValueType::String => env.get_string(v),
        _ => {
            Err(JsError::type_error("ERR_INVALID_ARG_TYPE", format!("{function}: context must be a string")))
        }
    }
}

fn out_len_arg<'a>(env: Env<'a>, value: Option<Value<'a>>, function: &str) -> JsResult<usize> {
    let Some(v) = value else {
        return Ok(DEFAULT_OUT_LEN);
    };
    match env.type_of(v)? {
        ValueType::Undefined => Ok(DEFAULT_OUT_LEN),
        ValueType::Number => {
            let n = env.get_f64(v)?;
            if n.fract() == 0.0 && (0.0..=MAX_OUT_LEN as f64).contains(&n) {
                Ok(n as usize)
            } else {
                Err(JsError::range_error(
                    "ERR_OUT_OF_RANGE",
                    format!("{function}: outLen must be an integer from 0 to {MAX_OUT_LEN}, got {n}"),
                ))
            }
        }
        _ => Err(JsError::type_error("ERR_INVALID_ARG_TYPE", format!("{function}: outLen must be a number"))),
    }
}

fn parallel_arg<'a>(env: Env<'a>, value: Option<Value<'a>>, function: &str) -> JsResult<Parallelism> {
    let Some(v) = value else {
        return Ok(Parallelism::Auto);
    };
    match env.type_of(v)? {
        ValueType::Undefined => Ok(Parallelism::Auto),
        ValueType::Boolean if env.get_bool(v)? => Ok(Parallelism::On),
        ValueType::Boolean => Ok(Parallelism::Off),
        _ => Err(JsError::type_error(
            "ERR_INVALID_ARG_TYPE",
            format!("{function}: parallel must be a boolean"),
        )),
    }
}
