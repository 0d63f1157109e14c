// Oracle for the text parser's checks (WatOracleCheck): for every NAME.wat in a directory, writes
// NAME.wt.wasm as wasm-tools' text parser (from the npm package @bytecodealliance/jco) encodes it,
// or NAME.wt.err with its error; and NAME.v8 with V8's WebAssembly.validate verdict on our
// NAME.ours.wasm and on wasm-tools' binary ("ours theirs", each true/false/-).
// Usage: node [--experimental-wasm-...] wat-oracle.mjs DIR JCO_DIR
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [dir, jcoDir] = process.argv.slice(2);
const { parse, print } = await import(pathToFileURL(path.join(jcoDir, "dist", "api.js")).href);

// Drops custom sections named "name" (wasm-tools writes them for $names; we do not).
function stripNames(m) {
  const out = [...m.slice(0, 8)];
  let p = 8;
  while (p < m.length) {
    const s = p;
    const id = m[p++];
    let size = 0, sh = 0;
    for (;;) { const b = m[p++]; size |= (b & 0x7f) << sh; sh += 7; if (!(b & 0x80)) break; }
    const e = p + size;
    const drop = id === 0 && Buffer.from(m.slice(p + 1, p + 1 + m[p])).toString() === "name";
    if (!drop) out.push(...m.slice(s, e));
    p = e;
  }
  return Uint8Array.from(out);
}

// Encodings that legitimately differ between writers, mapped to one form in the printed text:
// element segments with an explicit table 0, and all-ref.func lists written as function indices.
function normalize(text) {
  return text
    .replace(/\(elem (\(;\d+;\) )?\(table 0\) /g, "(elem $1")
    .replace(/ funcref((?: \(ref\.func \d+\))*)\)$/gm, (m, items) => " func" + items.replace(/\(ref\.func (\d+)\)/g, "$1") + ")")
    .replace(/ (block|loop|if|try)( \$?[\w.]+)? \(type \d+\)/g, " $1$2 (type)");
}
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
  if (theirs) {
    const ours = fs.readFileSync(base + ".ours.wasm");
    const a = Buffer.from(ours), b = Buffer.from(stripNames(theirs));
    let verdict = "equal";
    if (!a.equals(b)) {
      try {
        const pa = normalize(await print(ours)), pb = normalize(await print(b));
        verdict = pa === pb ? "equivalent" : "differ";
      } catch (e) {
        verdict = "differ";
      }
    }
    fs.writeFileSync(base + ".cmp", verdict);
  }
}
console.log(files.length + " modules");
