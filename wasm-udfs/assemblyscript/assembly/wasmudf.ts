// WasmUDF's AssemblyScript SDK: the canonical-ABI glue (docs/ABI.md), so a UDF is its function
// plus one line that says how its arguments and result travel.
//
//   import { text, returnText } from "./wasmudf";
//   export { cabi_realloc } from "./wasmudf";          // once per module
//
//   function shout(s: string): string { return s.toUpperCase() + "!"; }
//   // shout(s text) RETURNS text STRICT
//   export function shout_udf(ptr: usize, len: usize): usize { return returnText(shout(text(ptr, len))); }
//
// Arguments: text(ptr, len) -> string, bytes(ptr, len) -> Uint8Array (bytea), and for CALLED ON
// NULL INPUT functions optText / optBytes (string | null, Uint8Array | null) and the i32
// discriminant before plain numbers. Results: numbers as they are (bool as i32), returnText /
// returnBytes for text and bytea, returnOptText / returnOptBytes, some32 / someF32 / none32 for a
// nullable integer/real/boolean (the packed i64 form), returnOptI64 / returnOptF64 for bigint and
// double precision. Build with asc's default options: `npx asc m.ts -o m.wasm --optimize`
// (the module then imports env.abort, which WasmUDF provides: an abort becomes an SQL error with
// its message and location). raise(sqlstate, message), notice(message) and warning(message) are
// WasmUDF's host functions.
//
// Memory: an argument block from cabi_realloc is copied into a managed string or array and freed
// as soon as it is lifted; a result is kept in a global (a GC root) until the next call replaces
// it, after the host has read it.

// A pointer for zero-length blocks: never read or written, never freed.
const EMPTY: usize = 16;

export function cabi_realloc(old: usize, oldSize: usize, align: usize, newSize: usize): usize {
  if (newSize == 0) return EMPTY;
  if (old != 0 && old != EMPTY) return heap.realloc(old, newSize);
  return heap.alloc(newSize); // 16-byte aligned: enough for every canonical-ABI alignment
}

function release(ptr: usize): void {
  if (ptr != 0 && ptr != EMPTY) heap.free(ptr);
}

// ---- arguments ------------------------------------------------------------------------------

/** A text argument (UTF-8 from the host). */
export function text(ptr: usize, len: usize): string {
  const s = String.UTF8.decodeUnsafe(ptr, len);
  release(ptr);
  return s;
}

/** A bytea argument. */
export function bytes(ptr: usize, len: usize): Uint8Array {
  const a = new Uint8Array(<i32>len);
  memory.copy(a.dataStart, ptr, len);
  release(ptr);
  return a;
}

/** A nullable text argument. */
export function optText(isSome: i32, ptr: usize, len: usize): string | null {
  return isSome ? text(ptr, len) : null;
}

/** A nullable bytea argument. */
export function optBytes(isSome: i32, ptr: usize, len: usize): Uint8Array | null {
  return isSome ? bytes(ptr, len) : null;
}

// ---- results --------------------------------------------------------------------------------

// the last text/bytea result: a GC root until the next call stores its own
let kept: ArrayBuffer = new ArrayBuffer(0);
const TEXT_AREA: usize = memory.data(8, 4);     // {u32 ptr, u32 len}
const OPT_TEXT_AREA: usize = memory.data(12, 4); // {u8 is_some, u32 ptr @4, u32 len @8}
const OPT_WIDE_AREA: usize = memory.data(16, 8); // {u8 is_some, u64 value @8}

function keep(buf: ArrayBuffer): usize {
  kept = buf;
  return changetype<usize>(buf);
}

/** Returns text (encoded as UTF-8). */
export function returnText(s: string): usize {
  const buf = String.UTF8.encode(s);
  store<u32>(TEXT_AREA, <u32>keep(buf));
  store<u32>(TEXT_AREA, <u32>buf.byteLength, 4);
  return TEXT_AREA;
}

/** Returns bytea. */
export function returnBytes(b: Uint8Array): usize {
  const buf = b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
  store<u32>(TEXT_AREA, <u32>keep(buf));
  store<u32>(TEXT_AREA, <u32>buf.byteLength, 4);
  return TEXT_AREA;
}

function optArea(buf: ArrayBuffer | null): usize {
  if (buf === null) {
    store<u32>(OPT_TEXT_AREA, 0);
    store<u32>(OPT_TEXT_AREA, 0, 4);
    store<u32>(OPT_TEXT_AREA, 0, 8);
  } else {
    store<u32>(OPT_TEXT_AREA, 1);
    store<u32>(OPT_TEXT_AREA, <u32>keep(buf), 4);
    store<u32>(OPT_TEXT_AREA, <u32>buf.byteLength, 8);
  }
  return OPT_TEXT_AREA;
}

/** Returns nullable text. */
export function returnOptText(s: string | null): usize {
  return optArea(s === null ? null : String.UTF8.encode(s));
}

/** Returns nullable bytea. */
export function returnOptBytes(b: Uint8Array | null): usize {
  return optArea(b === null ? null : b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

/** A non-NULL integer, smallint or boolean result of a CALLED ON NULL INPUT function (the packed i64 form). */
export function some32(v: i32): i64 {
  return (1 << 32) | <i64><u32>v;
}

/** A non-NULL real result (packed). */
export function someF32(v: f32): i64 {
  return (1 << 32) | <i64>reinterpret<u32>(v);
}

/** A NULL integer, smallint, boolean or real result (packed). */
export function none32(): i64 {
  return 0;
}

/** A nullable bigint result. */
export function returnOptI64(isSome: bool, v: i64): usize {
  store<u64>(OPT_WIDE_AREA, isSome ? 1 : 0);
  store<i64>(OPT_WIDE_AREA, isSome ? v : 0, 8);
  return OPT_WIDE_AREA;
}

/** A nullable double precision result. */
export function returnOptF64(isSome: bool, v: f64): usize {
  store<u64>(OPT_WIDE_AREA, isSome ? 1 : 0);
  store<f64>(OPT_WIDE_AREA, isSome ? v : 0, 8);
  return OPT_WIDE_AREA;
}

// ---- host functions -------------------------------------------------------------------------

// @ts-ignore: decorator
@external("wasmudf", "raise_error")
declare function hostRaiseError(state: usize, stateLen: usize, message: usize, messageLen: usize): void;
// @ts-ignore: decorator
@external("wasmudf", "notice")
declare function hostNotice(message: usize, len: usize): void;
// @ts-ignore: decorator
@external("wasmudf", "warning")
declare function hostWarning(message: usize, len: usize): void;

/** Ends the call with an SQL error with this SQLSTATE (five digits or upper-case letters). */
export function raise(sqlstate: string, message: string): void {
  const s = String.UTF8.encode(sqlstate);
  const m = String.UTF8.encode(message);
  hostRaiseError(changetype<usize>(s), s.byteLength, changetype<usize>(m), m.byteLength);
}

/** Sends a NOTICE to the client. */
export function notice(message: string): void {
  const m = String.UTF8.encode(message);
  hostNotice(changetype<usize>(m), m.byteLength);
}

/** Sends a WARNING to the client. */
export function warning(message: string): void {
  const m = String.UTF8.encode(message);
  hostWarning(changetype<usize>(m), m.byteLength);
}
