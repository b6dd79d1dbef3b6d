//! Raw declarations from node_api.h / js_native_api.h (Node-API 8, shipped by Node >= 12.22).
use std::ffi::{c_char, c_void};

#[repr(C)]
pub struct OpaqueEnv(u8);
#[repr(C)]
pub struct OpaqueValue(u8);
#[repr(C)]
pub struct OpaqueRef(u8);
#[repr(C)]
pub struct OpaqueCbInfo(u8);
#[repr(C)]
pub struct OpaqueDeferred(u8);
#[repr(C)]
pub struct OpaqueAsyncWork(u8);

pub type Env = *mut OpaqueEnv;
pub type Value = *mut OpaqueValue;
pub type Ref = *mut OpaqueRef;
pub type CallbackInfo = *mut OpaqueCbInfo;
pub type Deferred = *mut OpaqueDeferred;
pub type AsyncWork = *mut OpaqueAsyncWork;
pub type Status = i32;

pub const OK: Status = 0;

pub const VALUE_TYPE_UNDEFINED: i32 = 0;
pub const VALUE_TYPE_NULL: i32 = 1;
pub const VALUE_TYPE_BOOLEAN: i32 = 2;
pub const VALUE_TYPE_NUMBER: i32 = 3;
pub const VALUE_TYPE_STRING: i32 = 4;
pub const TYPEDARRAY_UINT8: i32 = 1;

pub const PROP_WRITABLE: i32 = 1;
pub const PROP_CONFIGURABLE: i32 = 4;

pub type Callback = Option<unsafe extern "C" fn(Env, CallbackInfo) -> Value>;
pub type Finalize = Option<unsafe extern "C" fn(Env, *mut c_void, *mut c_void)>;
pub type AsyncExecute = Option<unsafe extern "C" fn(Env, *mut c_void)>;
pub type AsyncComplete = Option<unsafe extern "C" fn(Env, Status, *mut c_void)>;

#[repr(C)]
pub struct PropertyDescriptor {
    pub utf8name: *const c_char,
    pub name: Value,
    pub method: Callback,
    pub getter: Callback,
    pub setter: Callback,
    pub value: Value,
    pub attributes: i32,
    pub data: *mut c_void,
}

#[repr(C)]
pub struct TypeTag {
    pub lower: u64,
    pub upper: u64,
}

extern "C" {
    pub fn napi_get_cb_info(
        env: Env,
        info: CallbackInfo,
        argc: *mut usize,
        argv: *mut Value,
        this: *mut Value,
        data: *mut *mut c_void,
    ) -> Status;
    pub fn napi_get_new_target(env: Env, info: CallbackInfo, result: *mut Value) -> Status;
    pub fn napi_get_undefined(env: Env, result: *mut Value) -> Status;
    pub fn napi_typeof(env: Env, value: Value, result: *mut i32) -> Status;
    pub fn napi_get_value_double(env: Env, value: Value, result: *mut f64) -> Status;
    pub fn napi_create_double(env: Env, value: f64, result: *mut Value) -> Status;
    pub fn napi_get_value_bool(env: Env, value: Value, result: *mut bool) -> Status;
    pub fn napi_get_value_string_utf8(
        env: Env,
        value: Value,
        buf: *mut c_char,
        bufsize: usize,
        result: *mut usize,
    ) -> Status;
    pub fn napi_create_string_utf8(env: Env, s: *const c_char, len: usize, result: *mut Value) -> Status;
    pub fn napi_is_typedarray(env: Env, value: Value, result: *mut bool) -> Status;
    pub fn napi_get_typedarray_info(
        env: Env,
        value: Value,
        kind: *mut i32,
        length: *mut usize,
        data: *mut *mut c_void,
        arraybuffer: *mut Value,
        byte_offset: *mut usize,
    ) -> Status;
    pub fn napi_create_buffer(env: Env, size: usize, data: *mut *mut c_void, result: *mut Value) -> Status;
    pub fn napi_create_function(
        env: Env,
        name: *const c_char,
        len: usize,
        cb: Callback,
        data: *mut c_void,
        result: *mut Value,
    ) -> Status;
    pub fn napi_set_named_property(env: Env, object: Value, name: *const c_char, value: Value) -> Status;
    pub fn napi_define_class(
        env: Env,
        name: *const c_char,
        len: usize,
        constructor: Callback,
        data: *mut c_void,
        property_count: usize,
        properties: *const PropertyDescriptor,
        result: *mut Value,
    ) -> Status;
    pub fn napi_wrap(
        env: Env,
        object: Value,
        native: *mut c_void,
        finalize: Finalize,
        hint: *mut c_void,
        result: *mut Ref,
    ) -> Status;
    pub fn napi_unwrap(env: Env, object: Value, result: *mut *mut c_void) -> Status;
    pub fn napi_type_tag_object(env: Env, object: Value, tag: *const TypeTag) -> Status;
    pub fn napi_check_object_type_tag(
        env: Env,
        object: Value,
        tag: *const TypeTag,
        result: *mut bool,
    ) -> Status;
    pub fn napi_create_reference(env: Env, value: Value, count: u32, result: *mut Ref) -> Status;
    pub fn napi_delete_reference(env: Env, reference: Ref) -> Status;
    pub fn napi_create_promise(env: Env, deferred: *mut Deferred, result: *mut Value) -> Status;
    pub fn napi_resolve_deferred(env: Env, deferred: Deferred, value: Value) -> Status;
    pub fn napi_reject_deferred(env: Env, deferred: Deferred, value: Value) -> Status;
    pub fn napi_create_error(env: Env, code: Value, msg: Value, result: *mut Value) -> Status;
    pub fn napi_create_type_error(env: Env, code: Value, msg: Value, result: *mut Value) -> Status;
    pub fn napi_create_range_error(env: Env, code: Value, msg: Value, result: *mut Value) -> Status;
    pub fn napi_throw(env: Env, error: Value) -> Status;
    pub fn napi_is_exception_pending(env: Env, result: *mut bool) -> Status;
    pub fn napi_create_async_work(
        env: Env,
        resource: Value,
        resource_name: Value,
        execute: AsyncExecute,
        complete: AsyncComplete,
        data: *mut c_void,
        result: *mut AsyncWork,
    ) -> Status;
    pub fn napi_queue_async_work(env: Env, work: AsyncWork) -> Status;
    pub fn napi_delete_async_work(env: Env, work: AsyncWork) -> Status;
}
