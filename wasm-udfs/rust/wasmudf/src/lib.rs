//! Guest-side SDK for WasmUDF user-defined functions written in Rust.
//!
//! A UDF is one macro call; the SDK does the canonical-ABI glue (docs/ABI.md): `cabi_realloc`,
//! `(ptr, len)` text and bytea arguments, return areas, `option<T>` for nullable arguments and
//! results.
//!
//! ```ignore
//! wasmudf::udf!(slugify, |s: &str| -> String {
//!     s.to_lowercase().split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join("-")
//! });
//! // CREATE FUNCTION slugify(s text) RETURNS text LANGUAGE wasm IMMUTABLE STRICT AS 'm', 'slugify';
//! ```
//!
//! Parameter types: `i32` (integer), `i16` (smallint), `i64` (bigint), `f32` (real), `f64`
//! (double precision), `bool`, `&str` (text), `&[u8]` (bytea), and `Option<_>` of each for a
//! `CALLED ON NULL INPUT` function (NULL is `None`). Result types: the same by value (`String`
//! for text, `Vec<u8>` for bytea), or `Option<_>` of them. A function with an `Option` parameter
//! or result must be declared `CALLED ON NULL INPUT` (PostgreSQL's default); one without, `STRICT`.
//! Nullable `i32`/`i16`/`f32`/`bool` results use the packed `i64` form, the others a return area.
//!
//! Builds with Debian's rustc 1.63, offline, for `wasm32-unknown-unknown` and `wasm32-wasi`:
//! `rustc --edition 2021 --crate-type cdylib --target wasm32-wasi -O --extern wasmudf=libwasmudf.rlib m.rs`
//! (the SDK compiled first with `--crate-type rlib`), or cargo with a path dependency.
//!
//! Memory: argument blocks the host allocates through `cabi_realloc` are freed when the call
//! returns; a text or bytea result is kept until the next call starts, after the host has read it.
//! A panic becomes an SQL error (SQLSTATE 38000) through `wasmudf.raise_error`, carrying the panic
//! message; [`raise`] raises one with an SQLSTATE of your choice, [`notice`] and [`warning`] send
//! messages to the client.

use std::alloc::{alloc, dealloc, realloc, Layout};

#[link(wasm_import_module = "wasmudf")]
extern "C" {
    #[link_name = "raise_error"]
    fn host_raise_error(state: *const u8, state_len: usize, message: *const u8, message_len: usize);
    #[link_name = "notice"]
    fn host_notice(message: *const u8, len: usize);
    #[link_name = "warning"]
    fn host_warning(message: *const u8, len: usize);
}

/// Ends the call with an SQL error: `sqlstate` is five digits or upper-case letters (e.g.
/// "22023" invalid_parameter_value), as PostgreSQL's `ereport(ERROR)`.
pub fn raise(sqlstate: &str, message: &str) -> ! {
    unsafe { host_raise_error(sqlstate.as_ptr(), sqlstate.len(), message.as_ptr(), message.len()) };
    unreachable!("wasmudf.raise_error returned")
}

/// Sends a NOTICE to the client.
pub fn notice(message: &str) {
    unsafe { host_notice(message.as_ptr(), message.len()) }
}

/// Sends a WARNING to the client.
pub fn warning(message: &str) {
    unsafe { host_warning(message.as_ptr(), message.len()) }
}

// ---- memory ------------------------------------------------------------------------------------

/// Blocks handed to the host for this call's arguments: (ptr, size, align), freed when it returns.
static mut PENDING: Vec<(usize, usize, usize)> = Vec::new();
/// The text/bytea result of the last call, kept until the next call stores its own.
static mut RESULT: Vec<u8> = Vec::new();
static mut HOOKED: bool = false;

#[doc(hidden)]
#[no_mangle]
pub unsafe extern "C" fn cabi_realloc(old: *mut u8, old_size: usize, align: usize, new_size: usize) -> *mut u8 {
    let align = if align == 0 { 1 } else { align };
    if new_size == 0 {
        return align as *mut u8; // a dangling, aligned pointer: nothing is read or written through it
    }
    let layout = match Layout::from_size_align(new_size, align) {
        Ok(l) => l,
        Err(_) => std::process::abort(),
    };
    let p = if old.is_null() || old_size == 0 {
        alloc(layout)
    } else {
        let p = realloc(old, Layout::from_size_align_unchecked(old_size, align), new_size);
        PENDING.retain(|&(q, _, _)| q != old as usize);
        p
    };
    if p.is_null() {
        std::alloc::handle_alloc_error(layout);
    }
    PENDING.push((p as usize, new_size, align));
    p
}

#[doc(hidden)]
pub fn __enter() {
    unsafe {
        if !HOOKED {
            HOOKED = true;
            std::panic::set_hook(Box::new(|info| {
                let msg = info.to_string();
                raise("38000", &msg);
            }));
        }
    }
}

#[doc(hidden)]
pub fn __leave() {
    unsafe {
        for (p, size, align) in PENDING.drain(..) {
            dealloc(p as *mut u8, Layout::from_size_align_unchecked(size, align));
        }
    }
}

// ---- arguments -----------------------------------------------------------------------------------

#[doc(hidden)]
pub unsafe fn __str<'a>(ptr: i32, len: i32) -> &'a str {
    let b = __bytes(ptr, len);
    match std::str::from_utf8(b) {
        Ok(s) => s,
        Err(_) => raise("22021", "invalid UTF-8 in a text argument"),
    }
}

#[doc(hidden)]
pub unsafe fn __bytes<'a>(ptr: i32, len: i32) -> &'a [u8] {
    if len == 0 {
        &[]
    } else {
        std::slice::from_raw_parts(ptr as usize as *const u8, len as u32 as usize)
    }
}

// ---- results -------------------------------------------------------------------------------------

#[repr(C)]
struct TextArea {
    ptr: u32,
    len: u32,
}

#[repr(C)]
struct OptTextArea {
    is_some: u32,
    ptr: u32,
    len: u32,
}

#[repr(C, align(8))]
struct OptWideArea {
    is_some: u32,
    pad: u32,
    value: u64,
}

static mut TEXT_AREA: TextArea = TextArea { ptr: 0, len: 0 };
static mut OPT_TEXT_AREA: OptTextArea = OptTextArea { is_some: 0, ptr: 0, len: 0 };
static mut OPT_WIDE_AREA: OptWideArea = OptWideArea { is_some: 0, pad: 0, value: 0 };

unsafe fn keep(bytes: Vec<u8>) -> (u32, u32) {
    RESULT = bytes;
    (RESULT.as_ptr() as usize as u32, RESULT.len() as u32)
}

/// A value a UDF may return, with its core-Wasm form.
pub trait Result {
    /// The export's core result type.
    type Wasm;
    #[doc(hidden)]
    fn lower(self) -> Self::Wasm;
}

macro_rules! plain_result {
    ($($t:ty => $w:ty, |$v:ident| $e:expr;)*) => {$(
        impl Result for $t {
            type Wasm = $w;
            fn lower(self) -> $w { let $v = self; $e }
        }
    )*};
}

plain_result! {
    i32 => i32, |v| v;
    i16 => i32, |v| v as i32;
    bool => i32, |v| v as i32;
    i64 => i64, |v| v;
    f32 => f32, |v| v;
    f64 => f64, |v| v;
}

impl Result for String {
    type Wasm = i32;
    fn lower(self) -> i32 {
        self.into_bytes().lower()
    }
}

impl Result for Vec<u8> {
    type Wasm = i32;
    fn lower(self) -> i32 {
        unsafe {
            let (ptr, len) = keep(self);
            TEXT_AREA = TextArea { ptr, len };
            std::ptr::addr_of!(TEXT_AREA) as usize as i32
        }
    }
}

impl Result for &'static str {
    type Wasm = i32;
    fn lower(self) -> i32 {
        unsafe {
            TEXT_AREA = TextArea { ptr: self.as_ptr() as usize as u32, len: self.len() as u32 };
            std::ptr::addr_of!(TEXT_AREA) as usize as i32
        }
    }
}

macro_rules! packed_result {
    ($($t:ty, |$v:ident| $bits:expr;)*) => {$(
        impl Result for Option<$t> {
            type Wasm = i64;
            fn lower(self) -> i64 {
                match self { Some($v) => (1i64 << 32) | (($bits) as u32 as i64), None => 0 }
            }
        }
    )*};
}

packed_result! {
    i32, |v| v;
    i16, |v| v as i32;
    bool, |v| v as i32;
    f32, |v| v.to_bits();
}

macro_rules! wide_result {
    ($($t:ty, |$v:ident| $bits:expr;)*) => {$(
        impl Result for Option<$t> {
            type Wasm = i32;
            fn lower(self) -> i32 {
                unsafe {
                    OPT_WIDE_AREA = match self {
                        Some($v) => OptWideArea { is_some: 1, pad: 0, value: $bits },
                        None => OptWideArea { is_some: 0, pad: 0, value: 0 },
                    };
                    std::ptr::addr_of!(OPT_WIDE_AREA) as usize as i32
                }
            }
        }
    )*};
}

wide_result! {
    i64, |v| v as u64;
    f64, |v| v.to_bits();
}

fn opt_text(v: Option<Vec<u8>>) -> i32 {
    unsafe {
        OPT_TEXT_AREA = match v {
            Some(b) => {
                let (ptr, len) = keep(b);
                OptTextArea { is_some: 1, ptr, len }
            }
            None => OptTextArea { is_some: 0, ptr: 0, len: 0 },
        };
        std::ptr::addr_of!(OPT_TEXT_AREA) as usize as i32
    }
}

impl Result for Option<String> {
    type Wasm = i32;
    fn lower(self) -> i32 {
        opt_text(self.map(String::into_bytes))
    }
}

impl Result for Option<Vec<u8>> {
    type Wasm = i32;
    fn lower(self) -> i32 {
        opt_text(self)
    }
}

// ---- the export macro ----------------------------------------------------------------------------

/// Exports a UDF: `udf!(name, |arg: Type, ...| -> Result { body })`; see the crate docs for the types.
#[macro_export]
macro_rules! udf {
    ($name:ident, || $($rest:tt)*) => {
        $crate::__udf_params!{ $name [] [] [] | $($rest)* }
    };
    ($name:ident, | $($rest:tt)*) => {
        $crate::__udf_params!{ $name [] [] [] $($rest)* }
    };
}

/// Turns the closure's parameters, one at a time, into the export's core parameters and the
/// bindings that lift them; then emits the export.
#[doc(hidden)]
#[macro_export]
macro_rules! __udf_params {
    // all parameters done: `| -> R { body }`
    ($name:ident [$($w:tt)*] [$($l:tt)*] [$($a:ident)*] | -> $r:ty $body:block) => {
        #[no_mangle]
        pub unsafe extern "C" fn $name($($w)*) -> <$r as $crate::Result>::Wasm {
            $crate::__enter();
            $($l)*
            // a closure, so that `return` and `?` in the body work as in any function
            let result: $r = (move || -> $r { $body })();
            $crate::__leave();
            $crate::Result::lower(result)
        }
    };
    ($name:ident $w:tt $l:tt $a:tt $p:ident : $($rest:tt)*) => {
        $crate::__udf_param!{ $name $w $l $a $p ; $($rest)* }
    };
    ($name:ident $w:tt $l:tt $a:tt , $($rest:tt)*) => {
        $crate::__udf_params!{ $name $w $l $a $($rest)* }
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __udf_param {
    ($name:ident [$($w:tt)*] [$($l:tt)*] [$($a:ident)*] $p:ident ; &str $($rest:tt)*) => {
        $crate::__udf_params!{ $name [$($w)* ptr: i32, len: i32,] [$($l)* let $p: &str = $crate::__str(ptr, len);] [$($a)* $p] $($rest)* }
    };
    ($name:ident [$($w:tt)*] [$($l:tt)*] [$($a:ident)*] $p:ident ; &[u8] $($rest:tt)*) => {
        $crate::__udf_params!{ $name [$($w)* ptr: i32, len: i32,] [$($l)* let $p: &[u8] = $crate::__bytes(ptr, len);] [$($a)* $p] $($rest)* }
    };
    ($name:ident [$($w:tt)*] [$($l:tt)*] [$($a:ident)*] $p:ident ; Option<&str> $($rest:tt)*) => {
        $crate::__udf_params!{ $name [$($w)* some: i32, ptr: i32, len: i32,]
            [$($l)* let $p: Option<&str> = if some != 0 { Some($crate::__str(ptr, len)) } else { None };] [$($a)* $p] $($rest)* }
    };
    ($name:ident [$($w:tt)*] [$($l:tt)*] [$($a:ident)*] $p:ident ; Option<&[u8]> $($rest:tt)*) => {
        $crate::__udf_params!{ $name [$($w)* some: i32, ptr: i32, len: i32,]
            [$($l)* let $p: Option<&[u8]> = if some != 0 { Some($crate::__bytes(ptr, len)) } else { None };] [$($a)* $p] $($rest)* }
    };
    ($name:ident [$($w:tt)*] [$($l:tt)*] [$($a:ident)*] $p:ident ; bool $($rest:tt)*) => {
        $crate::__udf_params!{ $name [$($w)* v: i32,] [$($l)* let $p: bool = v != 0;] [$($a)* $p] $($rest)* }
    };
    ($name:ident [$($w:tt)*] [$($l:tt)*] [$($a:ident)*] $p:ident ; i16 $($rest:tt)*) => {
        $crate::__udf_params!{ $name [$($w)* v: i32,] [$($l)* let $p: i16 = v as i16;] [$($a)* $p] $($rest)* }
    };
    ($name:ident [$($w:tt)*] [$($l:tt)*] [$($a:ident)*] $p:ident ; Option<bool> $($rest:tt)*) => {
        $crate::__udf_params!{ $name [$($w)* some: i32, v: i32,] [$($l)* let $p: Option<bool> = if some != 0 { Some(v != 0) } else { None };] [$($a)* $p] $($rest)* }
    };
    ($name:ident [$($w:tt)*] [$($l:tt)*] [$($a:ident)*] $p:ident ; Option<i16> $($rest:tt)*) => {
        $crate::__udf_params!{ $name [$($w)* some: i32, v: i32,] [$($l)* let $p: Option<i16> = if some != 0 { Some(v as i16) } else { None };] [$($a)* $p] $($rest)* }
    };
    ($name:ident [$($w:tt)*] [$($l:tt)*] [$($a:ident)*] $p:ident ; Option<$t:ident> $($rest:tt)*) => {
        $crate::__udf_params!{ $name [$($w)* some: i32, v: $t,] [$($l)* let $p: Option<$t> = if some != 0 { Some(v) } else { None };] [$($a)* $p] $($rest)* }
    };
    // i32, i64, f32, f64: passed as they are
    ($name:ident [$($w:tt)*] [$($l:tt)*] [$($a:ident)*] $p:ident ; $t:ident $($rest:tt)*) => {
        $crate::__udf_params!{ $name [$($w)* $p: $t,] [$($l)*] [$($a)* $p] $($rest)* }
    };
}
