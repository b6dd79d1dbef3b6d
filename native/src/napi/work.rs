//! Work off the JS thread: a closure over the bytes of a pinned Uint8Array runs on the libuv
//! thread pool, and its result settles a promise back on the JS thread.

use std::ffi::c_void;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

use super::{check, sys, Env, JsError, JsResult, Value};

impl<'a> Env<'a> {
    /// Runs `work` over the bytes of Uint8Array `input` on the libuv thread pool and returns a
    /// promise settled on the JS thread by `settle`. `input` is kept alive (not copied) until
    /// then; the JS caller must not mutate or transfer it meanwhile. `None` if `input` is not a
    /// Uint8Array.
    pub fn spawn_bytes_work<R, F>(
        self,
        input: Value<'a>,
        work: F,
        settle: for<'b> fn(Env<'b>, R) -> JsResult<Value<'b>>,
    ) -> JsResult<Option<Value<'a>>>
    where
        R: Send + 'static,
        F: FnOnce(&[u8]) -> R + Send + 'static,
    {
        let Some((data, len)) = self.typed_array_raw(input)? else {
            return Ok(None);
        };
        let mut keep = ptr::null_mut();
        check("napi_create_reference", unsafe {
            sys::napi_create_reference(self.raw, input.raw, 1, &mut keep)
        })?;
        let job = Box::new(Job {
            data,
            len,
            keep,
            work: Some(work),
            settle,
            output: None,
            deferred: ptr::null_mut(),
            handle: ptr::null_mut(),
        });
        let job = Box::into_raw(job);
        match self.queue_job(job) {
            Ok(promise) => Ok(Some(promise)),
            Err(e) => {
                // SAFETY: the job was not queued, so it is still ours alone.
                let job = unsafe { Box::from_raw(job) };
                unsafe { sys::napi_delete_reference(self.raw, job.keep) };
                if !job.handle.is_null() {
                    unsafe { sys::napi_delete_async_work(self.raw, job.handle) };
                }
                Err(e)
            }
        }
    }

    fn queue_job<R, F>(self, job: *mut Job<R, F>) -> JsResult<Value<'a>>
    where
        R: Send + 'static,
        F: FnOnce(&[u8]) -> R + Send + 'static,
    {
        let name = self.string("deriva:native")?;
        // SAFETY (whole block): `job` is a live Box owned by this function until queued.
        unsafe {
            check(
                "napi_create_async_work",
                sys::napi_create_async_work(
                    self.raw,
                    ptr::null_mut(),
                    name.raw,
                    Some(job_execute::<R, F>),
                    Some(job_complete::<R, F>),
                    job.cast(),
                    &mut (*job).handle,
                ),
            )?;
            let mut promise = ptr::null_mut();
            check(
                "napi_create_promise",
                sys::napi_create_promise(self.raw, &mut (*job).deferred, &mut promise),
            )?;
            check("napi_queue_async_work", sys::napi_queue_async_work(self.raw, (*job).handle))?;
            Ok(Value::new(promise))
        }
    }
}

/// One queued `spawn_bytes_work` call. Lives in a Box from queueing until `job_complete`.
struct Job<R, F> {
    data: *const u8,
    len: usize,
    keep: sys::Ref,
    work: Option<F>,
    settle: for<'b> fn(Env<'b>, R) -> JsResult<Value<'b>>,
    output: Option<std::thread::Result<R>>,
    deferred: sys::Deferred,
    handle: sys::AsyncWork,
}

/// Runs on a libuv pool thread: no Node-API calls allowed here, only the pure-Rust `work`.
unsafe extern "C" fn job_execute<R, F>(_env: sys::Env, data: *mut c_void)
where
    R: Send + 'static,
    F: FnOnce(&[u8]) -> R + Send + 'static,
{
    // SAFETY: `data` is the Job queued by `queue_job`; libuv hands it to exactly one thread, and
    // the JS thread does not touch it until `job_complete`. The input bytes are pinned by `keep`.
    let job = unsafe { &mut *data.cast::<Job<R, F>>() };
    let input = if job.len == 0 || job.data.is_null() {
        &[][..]
    } else {
        unsafe { std::slice::from_raw_parts(job.data, job.len) }
    };
    if let Some(work) = job.work.take() {
        job.output = Some(catch_unwind(AssertUnwindSafe(|| work(input))));
    }
}

/// Back on the JS thread: release the input, settle the promise, free the job.
unsafe extern "C" fn job_complete<R, F>(env: sys::Env, status: sys::Status, data: *mut c_void)
where
    R: Send + 'static,
    F: FnOnce(&[u8]) -> R + Send + 'static,
{
    // SAFETY: execute has finished (or was cancelled); we now own the Job again.
    let job = unsafe { Box::from_raw(data.cast::<Job<R, F>>()) };
    unsafe {
        sys::napi_delete_reference(env, job.keep);
        sys::napi_delete_async_work(env, job.handle);
    }
    let env = Env::new(env);
    let settle = job.settle;
    let result = match (status, job.output) {
        (sys::OK, Some(Ok(value))) => catch_unwind(AssertUnwindSafe(|| settle(env, value)))
            .unwrap_or_else(|panic| Err(JsError::panic(&*panic))),
        (sys::OK, Some(Err(panic))) => Err(JsError::panic(&*panic)),
        (status, _) => {
            Err(JsError::error("ERR_DERIVA_CANCELLED", format!("native work did not run (status {status})")))
        }
    };
    // A failure to settle leaves nothing sensible to do, so those statuses are dropped.
    match result {
        Ok(value) => unsafe { sys::napi_resolve_deferred(env.raw, job.deferred, value.raw) },
        Err(error) => match env.error_value(&error) {
            Ok(value) => unsafe { sys::napi_reject_deferred(env.raw, job.deferred, value.raw) },
            Err(_) => sys::OK,
        },
    };
}
