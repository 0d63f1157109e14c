// Runs modules for LegacyExceptionV8Test in node 20's V8, which implements the legacy exception
// handling instructions (try/catch/catch_all/delegate/rethrow/throw). Input: a file of JSON lines
// {id, wasm (base64), calls: [{name, params, results, args}]}; output: one line per module, its id
// and then each call's outcome, or "instantiate <outcome>", separated by tabs. Outcomes: "ok <values>", "trap",
// "exception" (an uncaught WebAssembly.Exception), "stack" (call stack exhausted), "error <text>".
'use strict';
const fs = require('fs');

function bits(type, v) {
  const dv = new DataView(new ArrayBuffer(8));
  switch (type) {
    case 'i32': return String(v | 0);
    case 'i64': return BigInt.asIntN(64, BigInt(v)).toString();
    case 'f32': if (Number.isNaN(v)) return 'nan'; dv.setFloat32(0, v); return 'f32:' + dv.getUint32(0).toString(16);
    case 'f64': if (Number.isNaN(v)) return 'nan'; dv.setFloat64(0, v); return 'f64:' + dv.getBigUint64(0).toString(16);
    default: return 'ref';
  }
}

function outcome(f, results) {
  try {
    const r = f();
    const values = results.length === 1 ? [r] : results.length === 0 ? [] : Array.from(r);
    return 'ok ' + values.map((v, i) => bits(results[i], v)).join(',');
  } catch (e) {
    if (typeof WebAssembly.Exception === 'function' && e instanceof WebAssembly.Exception) return 'exception';
    if (e instanceof WebAssembly.RuntimeError) return 'trap';
    if (e instanceof RangeError && String(e.message).includes('call stack')) return 'stack';
    return 'error ' + e;
  }
}

for (const line of fs.readFileSync(process.argv[2], 'utf8').split('\n')) {
  if (!line) continue;
  const req = JSON.parse(line);
  let instance;
  const inst = outcome(() => { instance = new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(req.wasm, 'base64')), {}); }, []);
  if (inst !== 'ok ') {
    console.log(req.id + '\tinstantiate ' + inst);
    continue;
  }
  const calls = req.calls.map(c => outcome(
      () => instance.exports[c.name](...c.args.map((a, i) => c.params[i] === 'i64' ? BigInt(a) : a)), c.results));
  console.log([req.id, ...calls].join('\t'));
}
