// Runs calls on one module in V8 for LoopsV8 (DotLoopsV8Test, ScanLoopsV8Test): argv[2] the .wasm file,
// argv[3] a file of lines "name arg..." (i32 arguments); prints one line per call: "= v1 v2 ..." (i32
// results; "=" for none) or "trap".
const fs = require('fs');
const mod = new WebAssembly.Module(fs.readFileSync(process.argv[2]));
const inst = new WebAssembly.Instance(mod, {});
const out = [];
for (const line of fs.readFileSync(process.argv[3], 'utf8').split('\n')) {
  if (!line) continue;
  const [name, ...args] = line.split(' ');
  try {
    const r = inst.exports[name](...args.map(Number));
    const values = r === undefined ? [] : Array.isArray(r) ? r : [r];
    out.push(['=', ...values.map(v => v | 0)].join(' '));
  } catch (e) {
    if (!(e instanceof WebAssembly.RuntimeError)) throw e;
    out.push('trap');
  }
}
process.stdout.write(out.join('\n') + '\n');
