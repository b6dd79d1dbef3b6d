//! The Node-API boundary: the handful of C functions the addon uses, declared by hand in `sys`
//! (the napi-rs crates are not available here), and safe wrappers over them (`work` holds the
//! async ones). This module tree is the only place allowed to write `unsafe`; everything else
//! sees `Env`, `Value`, `Args` and `JsResult`.
//!
//! Lifetimes: a `Value<'a>` is a handle valid for one callback (`'a`), which is also how long a
//! byte slice borrowed from a JS typed array lives. Nothing here keeps per-environment global
//! state, so the addon loads in any number of worker threads.
#![allow(unsafe_code)]

use std::any::Any;
use std::cell::RefCell;
use std::ffi::{c_void, CStr};
use std::marker::PhantomData;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

pub mod os;
mod sys;
mod work;

/// Which JS error constructor a [`JsError`] becomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    Error,
    Type,
    Range,
}

/// An error to hand to JS: thrown from a sync call, used to reject a promise from an async one.
/// `code` follows Node's convention (`ERR_INVALID_ARG_TYPE`, ...) so callers can match on it.
#[derive(Debug)]
pub struct JsError {
    kind: ErrorKind,
    code: &'static str,
    message: String,
}

impl JsError {
    pub fn type_error(code: &'static str, message: impl Into<String>) -> Self {
        Self { kind: ErrorKind::Type, code, message: message.into() }
    }

    pub fn range_error(code: &'static str, message: impl Into<String>) -> Self {
        Self { kind: ErrorKind::Range, code, message: message.into() }
    }

    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Self { kind: ErrorKind::Error, code, message: message.into() }
    }

    /// A failed Node-API call: a bug or an exhausted engine, never the caller's fault.
    fn status(call: &str, status: sys::Status) -> Self {
        Self::error("ERR_DERIVA_NATIVE", format!("Node-API call {call} failed (status {status})"))
    }

    fn panic(payload: &(dyn Any + Send)) -> Self {
        let what = payload
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
            .unwrap_or("unknown panic");
        Self::error("ERR_DERIVA_NATIVE", format!("native addon panicked: {what}"))
    }
}

pub type JsResult<T> = Result<T, JsError>;

fn check(call: &str, status: sys::Status) -> JsResult<()> {
    if status == sys::OK {
        Ok(())
    } else {
        Err(JsError::status(call, status))
    }
}

/// The JS type of a value, as far as the addon cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueType {
    Undefined,
    Null,
    Boolean,
    Number,
    String,
    Other,
}

/// One Node-API environment (a main thread or a worker), valid for one callback `'a`.
#[derive(Clone, Copy)]
pub struct Env<'a> {
    raw: sys::Env,
    _scope: PhantomData<&'a ()>,
}

/// A JS value handle, valid for one callback `'a`.
#[derive(Clone, Copy)]
pub struct Value<'a> {
    raw: sys::Value,
    _scope: PhantomData<&'a ()>,
}

impl<'a> Value<'a> {
    fn new(raw: sys::Value) -> Self {
        Self { raw, _scope: PhantomData }
    }
}

/// A function the addon exposes to JS; `data` pointers carry it through the C trampoline.
pub type Method = for<'a> fn(Env<'a>, &Args<'a>) -> JsResult<Value<'a>>;

const MAX_ARGS: usize = 4;

/// The receiver and (up to [`MAX_ARGS`]) arguments of a call; missing ones read as `undefined`.
pub struct Args<'a> {
    this: Value<'a>,
    argv: [sys::Value; MAX_ARGS],
    argc: usize,
    construct: bool,
}

impl<'a> Args<'a> {
    pub fn this(&self) -> Value<'a> {
        self.this
    }

    /// Argument `i`; `None` when the caller passed fewer (the JS side then sees `undefined`).
    pub fn get(&self, i: usize) -> Option<Value<'a>> {
        (i < self.argc.min(MAX_ARGS)).then(|| Value::new(self.argv[i]))
    }

    /// True when invoked with `new` (a class constructor call).
    pub fn is_construct_call(&self) -> bool {
        self.construct
    }
}

/// Implemented by Rust types stored inside JS objects. The tag marks objects this addon wrapped
/// with this type, so a method called on a foreign object fails cleanly instead of misreading it.
pub trait Wrapped: 'static {
    const TYPE_TAG: (u64, u64);
}

impl<'a> Env<'a> {
    fn new(raw: sys::Env) -> Self {
        Self { raw, _scope: PhantomData }
    }

    pub fn undefined(self) -> JsResult<Value<'a>> {
        let mut out = ptr::null_mut();
        check("napi_get_undefined", unsafe { sys::napi_get_undefined(self.raw, &mut out) })?;
        Ok(Value::new(out))
    }

    pub fn type_of(self, value: Value<'a>) -> JsResult<ValueType> {
        let mut t = 0;
        check("napi_typeof", unsafe { sys::napi_typeof(self.raw, value.raw, &mut t) })?;
        Ok(match t {
            sys::VALUE_TYPE_UNDEFINED => ValueType::Undefined,
            sys::VALUE_TYPE_NULL => ValueType::Null,
            sys::VALUE_TYPE_BOOLEAN => ValueType::Boolean,
            sys::VALUE_TYPE_NUMBER => ValueType::Number,
            sys::VALUE_TYPE_STRING => ValueType::String,
            _ => ValueType::Other,
        })
    }

    /// The number in `value`; the caller checks the type first.
    pub fn get_f64(self, value: Value<'a>) -> JsResult<f64> {
        let mut out = 0.0;
        check("napi_get_value_double", unsafe { sys::napi_get_value_double(self.raw, value.raw, &mut out) })?;
        Ok(out)
    }

    pub fn number(self, n: f64) -> JsResult<Value<'a>> {
        let mut out = ptr::null_mut();
        check("napi_create_double", unsafe { sys::napi_create_double(self.raw, n, &mut out) })?;
        Ok(Value::new(out))
    }

    pub fn get_bool(self, value: Value<'a>) -> JsResult<bool> {
        let mut out = false;
        check("napi_get_value_bool", unsafe { sys::napi_get_value_bool(self.raw, value.raw, &mut out) })?;
        Ok(out)
    }

    /// The string in `value` as UTF-8 (lone surrogates become U+FFFD, as with `Buffer.from`).
    pub fn get_string(self, value: Value<'a>) -> JsResult<String> {
        let mut len = 0;
        check("napi_get_value_string_utf8", unsafe {
            sys::napi_get_value_string_utf8(self.raw, value.raw, ptr::null_mut(), 0, &mut len)
        })?;
        let mut buf = vec![0u8; len + 1];
        let mut written = 0;
        check("napi_get_value_string_utf8", unsafe {
            sys::napi_get_value_string_utf8(
                self.raw,
                value.raw,
                buf.as_mut_ptr().cast(),
                buf.len(),
                &mut written,
            )
        })?;
        buf.truncate(written);
        String::from_utf8(buf).map_err(|_| JsError::error("ERR_DERIVA_NATIVE", "string was not UTF-8"))
    }

    /// A JS string holding `s`.
    pub fn string(self, s: &str) -> JsResult<Value<'a>> {
        let mut out = ptr::null_mut();
        check("napi_create_string_utf8", unsafe {
            sys::napi_create_string_utf8(self.raw, s.as_ptr().cast(), s.len(), &mut out)
        })?;
        Ok(Value::new(out))
    }

    /// Where `value`'s bytes live, if it is a `Uint8Array` (a `Buffer` is one); `None` otherwise.
    fn typed_array_raw(self, value: Value<'a>) -> JsResult<Option<(*const u8, usize)>> {
        let mut is_typed = false;
        check("napi_is_typedarray", unsafe { sys::napi_is_typedarray(self.raw, value.raw, &mut is_typed) })?;
        if !is_typed {
            return Ok(None);
        }
        let (mut kind, mut len, mut data) = (0, 0usize, ptr::null_mut());
        check("napi_get_typedarray_info", unsafe {
            sys::napi_get_typedarray_info(
                self.raw,
                value.raw,
                &mut kind,
                &mut len,
                &mut data,
                ptr::null_mut(),
                ptr::null_mut(),
            )
        })?;
        if kind != sys::TYPEDARRAY_UINT8 {
            return Ok(None);
        }
        Ok(Some((data as *const u8, len)))
    }

    /// Borrows the bytes of a `Uint8Array`/`Buffer` in place (no copy) for this callback.
    /// `None` when `value` is anything else.
    pub fn bytes(self, value: Value<'a>) -> JsResult<Option<&'a [u8]>> {
        Ok(self.typed_array_raw(value)?.map(|(data, len)| {
            if len == 0 || data.is_null() {
                &[][..]
            } else {
                // SAFETY: V8 keeps the backing store alive while `value` is reachable, which it is
                // for the whole callback (it is on the callback's handle scope). We never call
                // back into JS while holding the slice, so it cannot be detached under us.
                unsafe { std::slice::from_raw_parts(data, len) }
            }
        }))
    }

    /// Creates a `Buffer` of `len` bytes and lets `fill` write it in place (no extra copy).
    pub fn buffer_with(self, len: usize, fill: impl FnOnce(&mut [u8])) -> JsResult<Value<'a>> {
        let (mut data, mut out) = (ptr::null_mut(), ptr::null_mut());
        check("napi_create_buffer", unsafe { sys::napi_create_buffer(self.raw, len, &mut data, &mut out) })?;
        if len > 0 && !data.is_null() {
            // SAFETY: Node just allocated `len` writable bytes at `data`; only we hold them.
            fill(unsafe { std::slice::from_raw_parts_mut(data.cast::<u8>(), len) });
        } else {
            fill(&mut []);
        }
        Ok(Value::new(out))
    }

    /// A JS function that calls `method`.
    pub fn function(self, name: &CStr, method: Method) -> JsResult<Value<'a>> {
        let mut out = ptr::null_mut();
        check("napi_create_function", unsafe {
            sys::napi_create_function(
                self.raw,
                name.as_ptr(),
                name.to_bytes().len(),
                Some(trampoline),
                method as *mut c_void,
                &mut out,
            )
        })?;
        Ok(Value::new(out))
    }

    pub fn set_property(self, object: Value<'a>, name: &CStr, value: Value<'a>) -> JsResult<()> {
        check("napi_set_named_property", unsafe {
            sys::napi_set_named_property(self.raw, object.raw, name.as_ptr(), value.raw)
        })
    }

    /// A JS class: `constructor` runs on `new`, `methods` go on the prototype.
    pub fn define_class(
        self,
        name: &CStr,
        constructor: Method,
        methods: &[(&CStr, Method)],
    ) -> JsResult<Value<'a>> {
        let props: Vec<sys::PropertyDescriptor> = methods
            .iter()
            .map(|&(name, method)| sys::PropertyDescriptor {
                utf8name: name.as_ptr(),
                name: ptr::null_mut(),
                method: Some(trampoline),
                getter: None,
                setter: None,
                value: ptr::null_mut(),
                attributes: sys::PROP_WRITABLE | sys::PROP_CONFIGURABLE,
                data: method as *mut c_void,
            })
            .collect();
        let mut out = ptr::null_mut();
        check("napi_define_class", unsafe {
            sys::napi_define_class(
                self.raw,
                name.as_ptr(),
                name.to_bytes().len(),
                Some(trampoline),
                constructor as *mut c_void,
                props.len(),
                props.as_ptr(),
                &mut out,
            )
        })?;
        Ok(Value::new(out))
    }

    /// Moves `native` into JS object `object`; it is dropped when the object is collected.
    pub fn wrap<T: Wrapped>(self, object: Value<'a>, native: T) -> JsResult<()> {
        let (lower, upper) = T::TYPE_TAG;
        check("napi_type_tag_object", unsafe {
            sys::napi_type_tag_object(self.raw, object.raw, &sys::TypeTag { lower, upper })
        })?;
        let boxed = Box::into_raw(Box::new(RefCell::new(native)));
        let status = unsafe {
            sys::napi_wrap(
                self.raw,
                object.raw,
                boxed.cast(),
                Some(drop_wrapped::<T>),
                ptr::null_mut(),
                ptr::null_mut(),
            )
        };
        if status != sys::OK {
            // SAFETY: napi_wrap failed, so JS never took ownership of `boxed`.
            drop(unsafe { Box::from_raw(boxed) });
        }
        check("napi_wrap", status)
    }

    /// The `T` inside `object`, or `None` if `object` was not wrapped by [`Env::wrap`] with `T`.
    pub fn unwrap<T: Wrapped>(self, object: Value<'a>) -> JsResult<Option<&'a RefCell<T>>> {
        let (lower, upper) = T::TYPE_TAG;
        let mut tagged = false;
        check("napi_check_object_type_tag", unsafe {
            sys::napi_check_object_type_tag(self.raw, object.raw, &sys::TypeTag { lower, upper }, &mut tagged)
        })?;
        if !tagged {
            return Ok(None);
        }
        let mut data = ptr::null_mut();
        check("napi_unwrap", unsafe { sys::napi_unwrap(self.raw, object.raw, &mut data) })?;
        // SAFETY: the type tag proves `object` was wrapped by `wrap::<T>`, so `data` is a live
        // `Box<RefCell<T>>`; `object` is on this callback's handle scope, so the finalizer
        // cannot run before `'a` ends.
        Ok(Some(unsafe { &*data.cast::<RefCell<T>>() }))
    }

    fn error_value(self, error: &JsError) -> JsResult<Value<'a>> {
        let code = self.string(error.code)?;
        let message = self.string(&error.message)?;
        let create = match error.kind {
            ErrorKind::Error => sys::napi_create_error,
            ErrorKind::Type => sys::napi_create_type_error,
            ErrorKind::Range => sys::napi_create_range_error,
        };
        let mut out = ptr::null_mut();
        check("napi_create_error", unsafe { create(self.raw, code.raw, message.raw, &mut out) })?;
        Ok(Value::new(out))
    }

    fn throw(self, error: &JsError) {
        let mut pending = false;
        unsafe { sys::napi_is_exception_pending(self.raw, &mut pending) };
        if pending {
            return; // a Node-API call already threw; that exception is the informative one
        }
        if let Ok(value) = self.error_value(error) {
            unsafe { sys::napi_throw(self.raw, value.raw) };
        }
    }
}

unsafe extern "C" fn drop_wrapped<T: Wrapped>(_env: sys::Env, data: *mut c_void, _hint: *mut c_void) {
    // SAFETY: `data` is the Box<RefCell<T>> leaked in `Env::wrap::<T>`; GC finalizes it once.
    drop(unsafe { Box::from_raw(data.cast::<RefCell<T>>()) });
}

/// The one C entry point for every JS-callable function: recovers the [`Method`] from the
/// callback's data pointer, runs it, and turns `Err` (and panics) into a thrown JS error.
unsafe extern "C" fn trampoline(env: sys::Env, info: sys::CallbackInfo) -> sys::Value {
    let mut argv = [ptr::null_mut(); MAX_ARGS];
    let mut argc = MAX_ARGS;
    let mut this = ptr::null_mut();
    let mut data = ptr::null_mut();
    let mut new_target = ptr::null_mut();
    let status =
        unsafe { sys::napi_get_cb_info(env, info, &mut argc, argv.as_mut_ptr(), &mut this, &mut data) };
    let e = Env::new(env);
    if status != sys::OK || data.is_null() {
        e.throw(&JsError::status("napi_get_cb_info", status));
        return ptr::null_mut();
    }
    unsafe { sys::napi_get_new_target(env, info, &mut new_target) };
    // SAFETY: every trampoline registration stores a `Method` fn pointer as its data.
    let method: Method = unsafe { std::mem::transmute::<*mut c_void, Method>(data) };
    let args = Args { this: Value::new(this), argv, argc, construct: !new_target.is_null() };
    let result = catch_unwind(AssertUnwindSafe(|| method(e, &args)))
        .unwrap_or_else(|panic| Err(JsError::panic(&*panic)));
    match result {
        Ok(value) => value.raw,
        Err(error) => {
            e.throw(&error);
            ptr::null_mut()
        }
    }
}

/// Node calls this when the addon is loaded, once per environment (main thread and each worker).
///
/// # Safety
/// Called by Node with a live environment and its `exports` object.
#[no_mangle]
pub unsafe extern "C" fn napi_register_module_v1(env: sys::Env, exports: sys::Value) -> sys::Value {
    let e = Env::new(env);
    let registered = catch_unwind(AssertUnwindSafe(|| crate::bindings::register(e, Value::new(exports))))
        .unwrap_or_else(|panic| Err(JsError::panic(&*panic)));
    if let Err(error) = registered {
        e.throw(&error);
    }
    exports
}

/// The Node-API version this addon needs (type tags arrived in version 8).
#[no_mangle]
pub extern "C" fn node_api_module_get_api_version_v1() -> i32 {
    8
}
