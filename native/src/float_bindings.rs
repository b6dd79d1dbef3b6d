//! What JS sees of the deterministic float math (`float`, `stats`): batches of doubles travel
//! as the little-endian bytes of a `Float64Array` (a `Uint8Array` view of it), so one call maps
//! a whole batch and no `unsafe` is needed outside `napi`.
//!
//! Exports: `FLOAT_OPS` ("name:arity,..." in op-code order), `floatApply(op, xs, ys)` and
//! `floatStats(xs)`, each returning a new Buffer of little-endian doubles.

use crate::float::{self, BatchError, Kernel, OPS};
use crate::napi::{Args, Env, JsError, JsResult, Value, ValueType};
use crate::stats::{stats, STATS_LEN};

pub fn register<'a>(env: Env<'a>, exports: Value<'a>) -> JsResult<()> {
    let names: Vec<String> = OPS
        .iter()
        .map(|op| format!("{}:{}", op.name, if matches!(op.kernel, Kernel::Unary(_)) { 1 } else { 2 }))
        .collect();
    env.set_property(exports, c"FLOAT_OPS", env.string(&names.join(","))?)?;
    env.set_property(exports, c"floatApply", env.function(c"floatApply", js_float_apply)?)?;
    env.set_property(exports, c"floatStats", env.function(c"floatStats", js_float_stats)?)?;
    Ok(())
}

fn js_float_apply<'a>(env: Env<'a>, args: &Args<'a>) -> JsResult<Value<'a>> {
    let op = op_arg(env, args.get(0))?;
    let xs = doubles_arg(env, args.get(1), "xs")?;
    let ys = doubles_arg(env, args.get(2), "ys")?;
    let mut out = vec![0.0; xs.len()];
    float::apply(op, &xs, &ys, &mut out).map_err(batch_error)?;
    doubles_buffer(env, &out)
}

fn js_float_stats<'a>(env: Env<'a>, args: &Args<'a>) -> JsResult<Value<'a>> {
    let xs = doubles_arg(env, args.get(0), "xs")?;
    let out: [f64; STATS_LEN] = stats(&xs);
    doubles_buffer(env, &out)
}

fn op_arg<'a>(env: Env<'a>, value: Option<Value<'a>>) -> JsResult<usize> {
    let n = match value {
        Some(v) if env.type_of(v)? == ValueType::Number => env.get_f64(v)?,
        _ => return Err(JsError::type_error("ERR_INVALID_ARG_TYPE", "floatApply: op must be a number")),
    };
    if n.fract() == 0.0 && n >= 0.0 && n < OPS.len() as f64 {
        Ok(n as usize)
    } else {
        Err(JsError::range_error(
            "ERR_OUT_OF_RANGE",
            format!("floatApply: op must be 0..{}, got {n}", OPS.len() - 1),
        ))
    }
}

/// Decodes the doubles in a `Uint8Array` of little-endian `f64`s (a view of a `Float64Array`).
fn doubles_arg<'a>(env: Env<'a>, value: Option<Value<'a>>, param: &str) -> JsResult<Vec<f64>> {
    let bytes = match value {
        Some(v) => env.bytes(v)?,
        None => None,
    }
    .ok_or_else(|| {
        JsError::type_error("ERR_INVALID_ARG_TYPE", format!("float: {param} must be a Uint8Array"))
    })?;
    if bytes.len() % 8 != 0 {
        return Err(JsError::range_error(
            "ERR_OUT_OF_RANGE",
            format!("float: {param} must hold whole doubles (8 bytes each), got {} bytes", bytes.len()),
        ));
    }
    Ok(bytes
        .chunks_exact(8)
        .map(|c| f64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
        .collect())
}

fn doubles_buffer<'a>(env: Env<'a>, values: &[f64]) -> JsResult<Value<'a>> {
    env.buffer_with(values.len() * 8, |out| {
        for (chunk, v) in out.chunks_exact_mut(8).zip(values) {
            chunk.copy_from_slice(&v.to_le_bytes());
        }
    })
}

fn batch_error(error: BatchError) -> JsError {
    let message = match error {
        BatchError::UnknownOp(op) => format!("floatApply: unknown op {op}"),
        BatchError::ArgLength { xs, ys } => {
            format!("floatApply: a binary op needs ys of length 1 or {xs} (the length of xs), got {ys}")
        }
        BatchError::OutLength { xs, out } => format!("floatApply: output length {out} is not {xs}"),
    };
    JsError::range_error("ERR_OUT_OF_RANGE", message)
}
