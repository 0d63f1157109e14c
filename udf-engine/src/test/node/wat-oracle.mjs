// Oracle for the text parser's checks (WatOracleCheck): for every NAME.wat in a directory, writes
// NAME.wt.wasm as wasm-tools' text parser (from the npm package @bytecodealliance/jco) encodes it,
// or NAME.wt.err with its error; and NAME.v8 with V8's WebAssembly.validate verdict on our
// NAME.ours.wasm and on wasm-tools' binary ("ours theirs", each true/false/-).
// Usage: node [--experimental-wasm-...] wat-oracle.mjs DIR JCO_DIR
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [dir, jcoDir] = process.argv.slice(2);
const { parse } = await import(pathToFileURL(path.join(jcoDir, "dist", "api.js")).href);
const files = fs.readdirSync(dir).filter((f) => f.endsWith(".wat")).sort();
for (const f of files) {
  const base = path.join(dir, f.slice(0, -4));
  const text = fs.readFileSync(base + ".wat", "utf8");
  let theirs = null;
  try {
    theirs = await parse(text);
    fs.writeFileSync(base + ".wt.wasm", theirs);
  } catch (e) {
    fs.writeFileSync(base + ".wt.err", String(e && e.message ? e.message : e));
  }
  let oursValid = "-";
  if (fs.existsSync(base + ".ours.wasm")) {
    oursValid = String(WebAssembly.validate(fs.readFileSync(base + ".ours.wasm")));
  }
  const theirsValid = theirs ? String(WebAssembly.validate(theirs)) : "-";
  fs.writeFileSync(base + ".v8", oursValid + " " + theirsValid);
}
console.log(files.length + " modules");
