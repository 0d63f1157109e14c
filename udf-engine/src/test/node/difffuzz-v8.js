'use strict';
// The V8 side of the differential fuzzer (io.wasmudf.engine.difffuzz). Reads one JSON request per
// line on stdin ({id, wasm: base64, imports: [{module, name, kind, type}], calls: [{export, args}]})
// and answers one JSON line per request: the instantiation and every call observed as canonical
// strings, which DiffTrace on the Java side builds the same way (see docs/FUZZING.md):
//   outcome  "ok [i32:5,f64:nan]" | "trap <kind>" | "host-exception" | "stack-exhausted" | "error <msg>"
//   log      host calls in order: "log-i32 i32:5", "call-export 3", "call-export-catch 3 -> 1", ...
//   mem      exact hash of the memory words, memNan the same with NaN-pattern words canonicalised
//   globals  every global's value (the Java side exports them all under "__diff_g<i>")
const readline = require('readline');

const HIDDEN = '__diff_';
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

function hex(n, digits) {
  return n.toString(16).padStart(digits, '0');
}

/** The canonical text of a value of Wasm type t, as DiffTrace.format does. */
function format(t, v) {
  switch (t) {
    case 'i32': return 'i32:' + (v | 0);
    case 'i64': return 'i64:' + BigInt.asIntN(64, v);
    case 'f32':
      if (Number.isNaN(v)) return 'f32:nan';
      f32[0] = v;
      return 'f32:' + hex(u32[0], 8);
    case 'f64':
      if (Number.isNaN(v)) return 'f64:nan';
      f64[0] = v;
      return 'f64:' + hex(u64[0], 16);
    case 'funcref': return v === null ? 'funcref:null' : 'funcref:func';
    case 'externref': return v === null ? 'externref:null' : 'externref:obj';
    default: throw new Error('unknown type ' + t);
  }
}

/** The JS value of an argument given as "type:text" (floats as raw bits in hex). */
function parseArg(a) {
  const i = a.indexOf(':');
  const t = a.substring(0, i);
  const s = a.substring(i + 1);
  switch (t) {
    case 'i32': return Number(s) | 0;
    case 'i64': return BigInt(s);
    case 'f32': u32[0] = parseInt(s, 16); return f32[0];
    case 'f64': u64[0] = BigInt('0x' + s); return f64[0];
    default: return null; // references: only null is ever passed
  }
}

// The trap messages of V8 (node 20) mapped onto the kinds the Java side maps TrapKind to.
const TRAPS = [
  ['unreachable', 'unreachable'],
  ['memory access out of bounds', 'memory-oob'],
  ['data segment out of bounds', 'memory-oob'],
  ['divide by zero', 'div-zero'],
  ['remainder by zero', 'div-zero'],
  // V8 says the same for a NaN and an out-of-range float-to-int conversion, and the engine's
  // INTEGER_OVERFLOW is both i32.div_s's INT_MIN / -1 and an out-of-range conversion: one kind
  ['divide result unrepresentable', 'overflow-or-conversion'],
  ['float unrepresentable in integer range', 'overflow-or-conversion'],
  ['table index is out of bounds', 'table-oob'],
  ['element segment out of bounds', 'table-oob'],
  ['table access out of bounds', 'table-oob'],
  ['null function or function signature mismatch', 'indirect-call'],
  ['function signature mismatch', 'indirect-call'],
  ['invalid index into function table', 'table-oob'],
];

function outcomeOf(e) {
  if (e instanceof WebAssembly.RuntimeError) {
    const m = String(e.message);
    for (const [text, kind] of TRAPS) {
      if (m.includes(text)) return 'trap ' + kind;
    }
    return 'trap unmapped: ' + m;
  }
  if (e instanceof RangeError && String(e.message).includes('Maximum call stack size exceeded')) {
    return 'stack-exhausted';
  }
  if (e instanceof HostException || e instanceof TypeError || e instanceof RangeError) {
    return 'host-exception';
  }
  return 'error ' + e;
}

class HostException extends Error {}

function isTrapOrLimit(e) {
  return e instanceof WebAssembly.RuntimeError
      || (e instanceof RangeError && String(e.message).includes('Maximum call stack size exceeded'));
}

function run(req) {
  const bytes = Buffer.from(req.wasm, 'base64');
  let module;
  try {
    module = new WebAssembly.Module(bytes);
  } catch (e) {
    return { id: req.id, compile: String(e.message) };
  }
  const exportList = WebAssembly.Module.exports(module).filter(e => !e.name.startsWith(HIDDEN));
  const types = req.exports; // export name -> {params, results}
  let log = [];
  let exports = null;

  function callExport(index) {
    const entry = exportList[index];
    if (entry === undefined || entry.kind !== 'function') {
      throw new HostException('no function export ' + index);
    }
    callWithNulls(exports[entry.name]);
  }

  // binaryen's convention: null for every parameter, which converts to 0 for numbers and stays
  // null for references; an i64 parameter cannot take null: a TypeError (a host exception)
  function callWithNulls(func) {
    func.apply(null, Array(func.length).fill(null));
  }

  function tryCall(f) {
    try {
      f();
      return 0;
    } catch (e) {
      if (isTrapOrLimit(e)) throw e;
      return 1;
    }
  }

  function table() {
    const t = exports.table;
    if (!(t instanceof WebAssembly.Table)) throw new HostException('no table export');
    return t;
  }

  const hosts = {
    'call-export': (index) => { log.push('call-export ' + (index | 0)); callExport(index | 0); },
    'call-export-catch': (index) => {
      log.push('call-export-catch ' + (index | 0));
      const r = tryCall(() => callExport(index | 0));
      log.push('caught ' + r);
      return r;
    },
    'call-ref': (ref) => { log.push('call-ref'); callRef(ref); },
    'call-ref-catch': (ref) => {
      log.push('call-ref-catch');
      const r = tryCall(() => callRef(ref));
      log.push('caught ' + r);
      return r;
    },
    'table-get': (index) => { log.push('table-get ' + (index >>> 0)); return table().get(index >>> 0); },
    'table-set': (index, value) => { log.push('table-set ' + (index >>> 0)); table().set(index >>> 0, value); },
    'sleep': (ms, id) => { log.push('sleep ' + (id | 0)); return id; },
    'throw': () => { log.push('throw'); throw new HostException('thrown by the host'); },
  };

  function callRef(ref) {
    if (ref === null || typeof ref !== 'function') throw new HostException('null reference');
    callWithNulls(ref);
  }

  const importObject = {};
  const externObject = { extern: true };
  for (const imp of req.imports) {
    importObject[imp.module] = importObject[imp.module] || {};
    let value;
    if (imp.kind === 'func' && imp.module === 'fuzzing-support') {
      if (imp.name.startsWith('log')) {
        const params = imp.params;
        value = (...args) => { log.push(imp.name + ' ' + params.map((t, i) => format(t, args[i])).join(' ')); };
      } else if (hosts[imp.name]) {
        value = hosts[imp.name];
      }
    } else if (imp.kind === 'global' && imp.type === 'externref') {
      value = externObject;
    }
    if (value === undefined) {
      return { id: req.id, unsupported: imp.module + '.' + imp.name };
    }
    importObject[imp.module][imp.name] = value;
  }

  const start = Date.now();
  const steps = [];
  let instance;
  try {
    instance = new WebAssembly.Instance(module, importObject);
    exports = instance.exports;
    steps.push(observe('ok'));
  } catch (e) {
    steps.push({ outcome: outcomeOf(e), log });
    return { id: req.id, instantiate: steps[0], calls: [], ms: Date.now() - start };
  }

  function observe(outcome) {
    const o = { outcome, log };
    const mem = exports[HIDDEN + 'mem'];
    if (mem) {
      const words = new Int32Array(mem.buffer);
      let h = 0x811c9dc5 | 0;
      let hn = h;
      for (let i = 0; i < words.length; i++) {
        const w = words[i];
        h = Math.imul(h ^ w, 16777619);
        const nan = (w & 0x7f800000) === 0x7f800000 && (w & 0x7fffff) !== 0;
        hn = Math.imul(hn ^ (nan ? 0x7fc00000 : w), 16777619);
      }
      o.mem = words.length + ':' + hex(h >>> 0, 8);
      o.memNan = words.length + ':' + hex(hn >>> 0, 8);
    }
    const gtypes = req.globals;
    if (gtypes.length > 0) {
      let values = exports[HIDDEN + 'globals']();
      if (gtypes.length === 1) values = [values];
      o.globals = gtypes.map((t, i) => format(t, values[i])).join(' ');
    } else {
      o.globals = '';
    }
    log = [];
    return o;
  }

  const calls = [];
  for (const call of req.calls) {
    let outcome;
    const sig = types[call.export];
    try {
      const r = exports[call.export].apply(null, call.args.map(parseArg));
      const results = sig.results.length === 1 ? [r] : sig.results.length === 0 ? [] : r;
      outcome = 'ok [' + sig.results.map((t, i) => format(t, results[i])).join(',') + ']';
    } catch (e) {
      outcome = outcomeOf(e);
    }
    calls.push(observe(outcome));
  }
  return { id: req.id, instantiate: steps[0], calls, ms: Date.now() - start };
}

const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
rl.on('line', (line) => {
  if (line.trim() === '') return;
  let answer;
  let req;
  try {
    req = JSON.parse(line);
    answer = run(req);
  } catch (e) {
    answer = { id: req ? req.id : -1, fatal: String(e && e.stack || e) };
  }
  process.stdout.write(JSON.stringify(answer) + '\n');
});
