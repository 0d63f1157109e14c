// V8's side of the QuickJS workload (see QuickJsWorkload.java): the same emscripten-module.wasm bytes
// of @jitl/quickjs-wasmfile-release-sync, the same deterministic stubs, the same script (evaluated by
// QuickJS running inside V8); prints QTS_Dump of the result, run times on stderr.
// usage: node quickjs-workload.mjs emscripten-module.wasm quickjs-workload.js [runs]
import { readFileSync } from 'node:fs';

const [wasmPath, scriptPath, runsArg] = process.argv.slice(2);
const module = new WebAssembly.Module(readFileSync(wasmPath));
const script = readFileSync(scriptPath, 'utf8');

function run() {
  const mem = new WebAssembly.Memory({ initial: 256, maximum: 32768 });
  const u8 = () => new Uint8Array(mem.buffer);
  const dv = () => new DataView(mem.buffer);
  const stub = {};
  for (const imp of WebAssembly.Module.imports(module)) {
    if (imp.kind === 'function') stub[imp.name] = () => 0;
  }
  Object.assign(stub, {
    a: mem,
    b: () => { throw new Error('quickjs: assertion failed'); },
    q: () => { throw new Error('quickjs: abort'); },
    p: () => 1.7e12,
    k: (requested) => {
      const need = requested >>> 0, pages = Math.ceil(need / 65536) - mem.buffer.byteLength / 65536;
      if (pages <= 0) return 1;
      try { mem.grow(pages); return 1; } catch (e) { return 0; }
    },
    f: (count, size) => { dv().setInt32(count, 0, true); dv().setInt32(size, 0, true); return 0; },
    d: () => 52,
    o: () => 70,
    c: (fd, iov, iovcnt, pnum) => { let n = 0; for (let i = 0; i < iovcnt; i++) n += dv().getInt32(iov + 8 * i + 4, true); dv().setInt32(pnum, n, true); return 0; },
  });
  const x = new WebAssembly.Instance(module, { a: stub }).exports;
  x.u();
  const str = (s) => { const b = new TextEncoder().encode(s + '\0'); const p = x.v(b.length); u8().set(b, p); return [p, b.length - 1]; };
  const cstr = (p) => { const a = u8(); let e = p; while (a[e] !== 0) e++; return new TextDecoder().decode(a.subarray(p, e)); };
  const rt = x.K();
  const ctx = x.N(rt, 0);
  const [code, len] = str(script);
  const [file] = str('workload.js');
  const value = x.pa(ctx, code, len, file, 0, 0);
  return cstr(x.oa(ctx, value));
}

const runs = Number(runsArg || 1);
let out;
for (let i = 0; i < runs; i++) {
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  out = run();
  const c = process.cpuUsage(c0);
  console.error(`v8 run ${i + 1}: ${Number(process.hrtime.bigint() - t0) / 1e6} ms (cpu ${(c.user + c.system) / 1e3} ms)`);
}
process.stdout.write(out + '\n');
