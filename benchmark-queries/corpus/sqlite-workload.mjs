// V8's side of the SQLite workload (see SqliteWorkload.java): the same sql-wasm.wasm bytes, the same
// deterministic stub imports, the same statements; prints the same output, and the run time in ms on stderr.
// usage: node sqlite-workload.mjs sql-wasm.wasm sqlite-workload.sql [runs]
import { readFileSync } from 'node:fs';

const [wasmPath, sqlPath, runsArg] = process.argv.slice(2);
const bytes = readFileSync(wasmPath);
const statements = readFileSync(sqlPath, 'utf8').split('\n').filter(l => l.trim() !== '');
const module = new WebAssembly.Module(bytes);

function run() {
  let mem;
  const u8 = () => new Uint8Array(mem.buffer);
  const dv = () => new DataView(mem.buffer);
  const env = {};
  for (const imp of WebAssembly.Module.imports(module)) {
    if (imp.kind === 'function') env[imp.name] = () => -52; // syscalls: ENOSYS
  }
  const stub = {
    a: () => { throw new Error('sqlite: assertion failed'); },
    m: () => { throw new Error('sqlite: abort'); },
    c: () => 0.0,
    d: () => 1.7e12,
    s: () => 2147483648,
    o: (requested) => {
      const need = requested >>> 0, pages = Math.ceil(need / 65536) - mem.buffer.byteLength / 65536;
      if (pages <= 0) return 1;
      try { mem.grow(pages); return 1; } catch (e) { return 0; }
    },
    A: (time, tm) => {
      const d = new Date(Number(time) * 1000);
      const start = Date.UTC(d.getUTCFullYear(), 0, 1);
      const f = [d.getUTCSeconds(), d.getUTCMinutes(), d.getUTCHours(), d.getUTCDate(), d.getUTCMonth(),
        d.getUTCFullYear() - 1900, d.getUTCDay(), Math.floor((d.getTime() - start) / 86400000), 0, 0];
      f.forEach((v, i) => dv().setInt32(tm + 4 * i, v, true));
    },
    B: (tz, daylight, std, dst) => {
      dv().setInt32(tz, 0, true); dv().setInt32(daylight, 0, true);
      u8().set([85, 84, 67, 0], std); u8().set([85, 84, 67, 0], dst);
    },
    E: () => 0,
    F: (count, size) => { dv().setInt32(count, 0, true); dv().setInt32(size, 0, true); return 0; },
    l: () => {},
  };
  // functions returning nothing must return nothing
  for (const imp of WebAssembly.Module.imports(module)) {
    if (imp.kind === 'function' && !(imp.name in stub)) stub[imp.name] = env[imp.name];
  }
  const inst = new WebAssembly.Instance(module, { a: stub });
  const x = inst.exports;
  mem = x.M;
  x.N();
  const str = (s) => { const b = new TextEncoder().encode(s + '\0'); const p = x.Da(b.length); u8().set(b, p); return p; };
  const cstr = (p) => { if (p === 0) return 'NULL'; const a = u8(); let e = p; while (a[e] !== 0) e++; return new TextDecoder().decode(a.subarray(p, e)); };
  let out = '';
  const pp = x.Da(4);
  if (x.Ca(str(':memory:'), pp) !== 0) throw new Error('sqlite3_open');
  const db = dv().getInt32(pp, true);
  for (const sql of statements) {
    const text = str(sql);
    let rc = x.R(db, text, -1, pp, 0);
    if (rc !== 0) { out += `error ${rc}: ${cstr(x.Z(db))}\n`; x.Ea(text); continue; }
    const stmt = dv().getInt32(pp, true);
    const columns = x.ma(stmt);
    while ((rc = x.S(stmt)) === 100) {
      const row = [];
      for (let c = 0; c < columns; c++) row.push(cstr(x.X(stmt, c)));
      out += row.join('|') + '\n';
    }
    if (rc !== 101) out += `error ${rc}: ${cstr(x.Z(db))}\n`;
    x.V(stmt); x.Ea(text);
    out += '--\n';
  }
  x.za(db);
  return out;
}

const runs = Number(runsArg || 1);
let out;
for (let i = 0; i < runs; i++) {
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  out = run();
  const c = process.cpuUsage(c0);
  // cpu: the whole process (V8 compiles on background threads), user + system
  console.error(`v8 run ${i + 1}: ${Number(process.hrtime.bigint() - t0) / 1e6} ms (cpu ${(c.user + c.system) / 1e3} ms)`);
}
process.stdout.write(out);
