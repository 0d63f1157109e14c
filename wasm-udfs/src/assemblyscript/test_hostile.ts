// A test module in AssemblyScript (modules/test-as-hostile.wasm, asc's default options): abort,
// trace and Math.random through AssemblyScript's own env imports.
import { text, returnText } from "../../assemblyscript/assembly/wasmudf";
export { cabi_realloc } from "../../assemblyscript/assembly/wasmudf";

// checked(s text) RETURNS text STRICT: s, or an abort (assert) when it is empty or too long
export function checked(ptr: usize, len: usize): usize {
  const s = text(ptr, len);
  assert(s.length > 0, "empty input");
  if (s.length > 10) throw new Error("too long: " + s);
  return returnText(s);
}

// traced(x integer) RETURNS integer STRICT: x * 2, tracing x
export function traced(x: i32): i32 {
  trace("traced", 2, <f64>x, 0.5);
  return x * 2;
}

// random_unit() RETURNS double precision STRICT: Math.random() (seeded through env.seed)
export function random_unit(): f64 {
  return Math.random();
}
