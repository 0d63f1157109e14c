// Checks every module in ../modules with V8 as the engine: instantiates it, marshals arguments
// and results per the canonical ABI (see include/wasmudf.h), and compares results with
// independent JavaScript implementations or with known published values.
// Run: node wasm-udfs/test/check.mjs   (exit code 1 on any failure)
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'modules');
let passed = 0, failed = 0;
const check = (ok, what) => {
  if (ok) passed++;
  else { failed++; console.log('FAIL', what); }
};
const eq = (actual, expected, what) => {
  const ok = Object.is(actual, expected)
    || (typeof actual === 'object' && JSON.stringify(actual) === JSON.stringify(expected));
  check(ok, `${what}: got ${fmt(actual)}, expected ${fmt(expected)}`);
};
const fmt = (v) => {
  const s = typeof v === 'bigint' ? v + 'n' : JSON.stringify(v);
  return s && s.length > 120 ? s.slice(0, 120) + '...' : s;
};
const traps = (fn, pattern, what) => {
  try {
    const r = fn();
    check(false, `${what}: expected a trap /${pattern}/, returned ${fmt(r)}`);
  } catch (e) {
    check(pattern.test(String(e)), `${what}: trap "${e}" does not match /${pattern}/`);
  }
};

const bytesOf = (name) => readFileSync(join(dir, name + '.wasm'));
const load = (name, imports = {}) =>
  new WebAssembly.Instance(new WebAssembly.Module(bytesOf(name)), imports).exports;

// ---------------------------------------------------------------- ABI marshalling (host side)
const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

class Guest {
  constructor(name) { this.x = load(name); this.name = name; }
  get mem() { return this.x.memory.buffer; }
  /** Lowers bytes into guest memory through cabi_realloc: returns [ptr, len]. */
  lower(bytes) {
    const ptr = this.x.cabi_realloc(0, 0, 1, bytes.length) >>> 0;
    new Uint8Array(this.mem, ptr, bytes.length).set(bytes);
    return [ptr, bytes.length];
  }
  lowerText(s) { return this.lower(utf8.encode(s)); }
  /** Reads the (ptr, len) pair of a return area at offset `off` after `retptr`. */
  readBytes(retptr, off = 0) {
    const v = new DataView(this.mem);
    const ptr = v.getUint32(retptr + off, true), len = v.getUint32(retptr + off + 4, true);
    return new Uint8Array(this.mem, ptr, len).slice();
  }
  /** Calls export `fn` with flat args, lifts with `lift`, then calls cabi_post_<fn>(results). */
  call(fn, args, lift = (r) => r) {
    const raw = this.x[fn](...args);
    const value = lift(raw);
    const post = this.x['cabi_post_' + fn];
    if (post) post(raw);
    return value;
  }
  text(fn, ...strs) { // STRICT text args -> text result
    const args = strs.flatMap((s) => (typeof s === 'string' ? this.lowerText(s) : this.lower(s)));
    return this.call(fn, args, (rp) => strictUtf8.decode(this.readBytes(rp)));
  }
  scalarOfText(fn, ...strs) { // STRICT text/bytea args -> scalar result
    const args = strs.flatMap((s) => (typeof s === 'string' ? this.lowerText(s) : this.lower(s)));
    return this.call(fn, args);
  }
  optText(fn, ...strs) { // option<text> args -> option<text> result (null = NULL)
    const args = strs.flatMap((s) => (s === null ? [0, 0, 0] : [1, ...this.lowerText(s)]));
    return this.call(fn, args, (rp) => {
      const disc = new DataView(this.mem).getUint8(rp);
      if (disc === 0) return null;
      if (disc !== 1) throw new Error('bad discriminant ' + disc);
      return strictUtf8.decode(this.readBytes(rp, 4));
    });
  }
  opt32(fn, ...args) { // option<T> args (null = NULL) -> packed option result: its 32 bits, or null
    const flat = args.flatMap((a) => (a === null ? [0, 0] : [1, a]));
    return this.call(fn, flat, (r) => {
      const disc = BigInt.asUintN(64, r) >> 32n;
      if (disc === 0n) return null;
      if (disc !== 1n) throw new Error('bad discriminant ' + disc);
      return Number(BigInt.asIntN(32, r));
    });
  }
  pages() { return this.mem.byteLength / 65536; }
}

/** Returns a copy of a module whose (single, defined) memory gets maximum `max` pages. */
function withMemoryMax(bytes, max) {
  const leb = (n) => { const out = []; do { let b = n & 0x7f; n >>>= 7; if (n) b |= 0x80; out.push(b); } while (n); return out; };
  const readLeb = (buf, pos) => { let r = 0, shift = 0, b; do { b = buf[pos++]; r |= (b & 0x7f) << shift; shift += 7; } while (b & 0x80); return [r >>> 0, pos]; };
  const out = [...bytes.subarray(0, 8)];
  let pos = 8;
  while (pos < bytes.length) {
    const id = bytes[pos];
    const [size, body] = readLeb(bytes, pos + 1);
    let section = [...bytes.subarray(body, body + size)];
    if (id === 5) { // memory section: count, then limits (flags, min[, max])
      const [count, p1] = readLeb(section, 0);
      if (count !== 1 || section[p1] !== 0) throw new Error('expected one memory without maximum');
      const [min] = readLeb(section, p1 + 1);
      section = [...leb(1), 1, ...leb(min), ...leb(max)];
    }
    out.push(id, ...leb(section.length), ...section);
    pos = body + size;
  }
  return Uint8Array.from(out);
}

// ---------------------------------------------------------------- reference implementations
const cps = (s) => Array.from(s);
function levRef(a, b) {
  const x = cps(a), y = cps(b);
  let row = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const next = [i];
    for (let j = 1; j <= y.length; j++)
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
    row = next;
  }
  return row[y.length];
}
// Transliteration of U+00C0..U+017F by Unicode decomposition, plus the letters that have none.
const noDecomp = { 'æ': 'ae', 'ð': 'd', 'ø': 'o', 'þ': 'th', 'ß': 'ss', 'đ': 'd', 'ħ': 'h', 'ı': 'i',
  'ĸ': 'k', 'ŀ': 'l', 'ł': 'l', 'ŋ': 'n', 'œ': 'oe', 'ŧ': 't', 'ſ': 's', 'ĳ': 'ij', 'ŉ': 'n' };
function slugRef(s) {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0);
    let t = '';
    if (/[a-z0-9]/i.test(ch) && c < 128) t = ch.toLowerCase();
    else if (c >= 0xc0 && c < 0x180 && c !== 0xd7 && c !== 0xf7) {
      const low = ch.toLowerCase();
      t = noDecomp[low] ?? noDecomp[ch] ?? low.normalize('NFKD').replace(/[^a-z]/g, '');
    }
    out += t === '' ? ' ' : t;
  }
  return out.trim().split(/ +/).filter(Boolean).join('-');
}
function jsonGetRef(doc, key) {
  if (doc === null || key === null) return null;
  let o;
  try { o = JSON.parse(doc); } catch { return null; }
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return null;
  if (!Object.prototype.hasOwnProperty.call(o, key)) return null;
  const v = o[key];
  if (v === null) return null;
  return typeof v === 'string' ? v : JSON.stringify(v); // docs below are compact
}
function fnvRef(bytes) {
  let h = 0xcbf29ce484222325n;
  for (const b of bytes) h = BigInt.asUintN(64, (h ^ BigInt(b)) * 0x100000001b3n);
  return BigInt.asIntN(64, h);
}
const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crcRef(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) | 0;
}
function isPrimeRef(n) { // trial division, BigInt
  if (n < 2n) return 0;
  for (let d = 2n; d * d <= n; d++) if (n % d === 0n) return 0;
  return 1;
}
function gcdRef(a, b) {
  a = a < 0n ? -a : a; b = b < 0n ? -b : b;
  while (b) [a, b] = [b, a % b];
  return a;
}

// ---------------------------------------------------------------- module shape
const UDF_MODULES = ['strings', 'hash', 'math'];
const manifest = readFileSync(join(dir, 'manifest.txt'), 'utf8').split('\n')
  .filter((l) => l.trim() && !l.startsWith('#'))
  .map((l) => {
    const m = /^(\S+) (\w+)\((.*)\) RETURNS (.+?) (STRICT|CALLED ON NULL INPUT)$/.exec(l);
    if (!m) throw new Error('bad manifest line: ' + l);
    const params = m[3] ? m[3].split(', ').map((p) => p.replace(/^\w+ /, '')) : [];
    return { module: m[1], name: m[2], params, returns: m[4], strict: m[5] === 'STRICT' };
  });
const flatCount = (t, strict) =>
  (t === 'text' || t === 'bytea' ? 2 : 1) + (strict ? 0 : 1);
for (const f of manifest) {
  const mod = new WebAssembly.Module(bytesOf(f.module));
  const exps = WebAssembly.Module.exports(mod).map((e) => e.name);
  check(exps.includes(f.name), `${f.module}: manifest function ${f.name} is exported`);
  if (f.module === 'test-imports') continue;
  const inst = new WebAssembly.Instance(mod, {});
  const fn = inst.exports[f.name];
  const want = f.params.reduce((n, t) => n + flatCount(t, f.strict), 0);
  eq(fn.length, want, `${f.module}.${f.name} core parameter count`);
}
for (const name of [...UDF_MODULES, 'test-traps', 'test-badabi', 'test-bad-realloc', 'test-no-realloc']) {
  const mod = new WebAssembly.Module(bytesOf(name));
  eq(WebAssembly.Module.imports(mod).length, 0, `${name} imports nothing`);
  const exps = WebAssembly.Module.exports(mod).map((e) => e.name);
  check(exps.includes('memory'), `${name} exports memory`);
  if (name !== 'test-no-realloc') check(exps.includes('cabi_realloc'), `${name} exports cabi_realloc`);
  else check(!exps.includes('cabi_realloc'), `${name} has no cabi_realloc`);
  // the SDK's arena is reclaimed by the next call, so the shipped modules define no post-return
  // (wasmudf.h: each one would be an extra guest call per row); the test modules keep theirs to
  // cover hosts calling one
  for (const e of exps.filter((e) => e !== 'memory' && !e.startsWith('cabi_'))) {
    if (UDF_MODULES.includes(name)) check(!exps.includes('cabi_post_' + e), `${name}.${e} has no cabi_post_${e}`);
  }
  // every exported UDF of the real modules is in the manifest
  for (const e of exps.filter((e) => e !== 'memory' && !e.startsWith('cabi_')))
    check(manifest.some((f) => f.module === name && f.name === e), `${name}.${e} is in the manifest`);
}
const imp = new WebAssembly.Module(bytesOf('test-imports'));
eq(JSON.stringify(WebAssembly.Module.imports(imp)), JSON.stringify([{ module: 'env', name: 'host_log', kind: 'function' }]),
  'test-imports imports env.host_log');

// ---------------------------------------------------------------- strings
const nordic = 'Ærøskøbing — naïve café 🎉';
const samples = ['', 'a', 'hello', 'Hello, World!', nordic, '日本語テキスト', '🎉🎉a🎉', 'é', 'e\u0301',
  '  --Already-Slugged--  ', 'ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖ×ØÙÚÛÜÝÞßàáâãäåæçèéêëìíîïðñòóôõö÷øùúûüýþÿ',
  'ĀāĂăĄąĆćĈĉĊċČčĎďĐđĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĦħĨĩĪīĬĭĮįİıĲĳĴĵĶķĸĹĺĻļĽľĿŀŁłŃńŅņŇňŉŊŋŌōŎŏŐőŒœŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŦŧŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžſ',
  'Straße Œuvre Łódź Þórr', 'ΑΒΓ δέλτα', 'x\u0000y', '\u{10FFFF}\u{10000}'];
const s = new Guest('strings');
for (const t of samples) {
  eq(s.scalarOfText('utf8_length', t), cps(t).length, `utf8_length(${fmt(t)})`);
  eq(s.text('reverse_text', t), cps(t).reverse().join(''), `reverse_text(${fmt(t)})`);
  eq(s.text('slugify', t), slugRef(t), `slugify(${fmt(t)})`);
  for (const u of samples.slice(0, 8))
    eq(s.scalarOfText('levenshtein', t, u), levRef(t, u), `levenshtein(${fmt(t)}, ${fmt(u)})`);
}
// hand-checked expectations (independent of the reference implementations above)
eq(s.text('slugify', nordic), 'aeroskobing-naive-cafe', 'slugify nordic');
eq(s.text('slugify', 'Hello, World!'), 'hello-world', 'slugify hello');
eq(s.text('slugify', '--ÉTÉ 2024!!'), 'ete-2024', 'slugify été');
eq(s.text('slugify', '🎉'), '', 'slugify emoji only');
eq(s.text('slugify', 'Straße Œuvre Łódź Þórr'), 'strasse-oeuvre-lodz-thorr', 'slugify ß Œ Ł Þ');
eq(s.scalarOfText('utf8_length', nordic), 25, 'utf8_length nordic');
eq(s.text('reverse_text', nordic), '🎉 éfac evïan — gnibøksørÆ', 'reverse nordic');
eq(s.scalarOfText('levenshtein', 'kitten', 'sitting'), 3, 'levenshtein kitten/sitting');
eq(s.scalarOfText('levenshtein', 'café', 'cafe'), 1, 'levenshtein by code point');
eq(s.scalarOfText('levenshtein', '🎉', '🎊'), 1, 'levenshtein 4-byte code points differing in last byte');
eq(s.scalarOfText('levenshtein', 'aé', 'aè'), 1, 'levenshtein shared lead byte');
eq(s.scalarOfText('levenshtein', '', nordic), 25, 'levenshtein empty');
// random strings over a small alphabet (with multibyte members) against the reference
const alphabet = ['a', 'b', 'é', 'è', '🎉', '🎊', 'ø'];
let seed = 12345;
const rnd = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
const rstr = () => Array.from({ length: rnd(12) }, () => alphabet[rnd(alphabet.length)]).join('');
for (let i = 0; i < 500; i++) {
  const a = rstr(), b = rstr();
  eq(s.scalarOfText('levenshtein', a, b), levRef(a, b), `levenshtein random ${fmt(a)} ${fmt(b)}`);
}

// json_get
const docs = [
  '{"a":1,"b":"two","c":true,"d":null,"e":{"x":[1,2,{"y":"}"}]},"f":[1,"]",3],"g":-15}',
  '  { "name" : "Ærø \\"quoted\\" \\\\ \\/ \\n\\t \\u00e9\\ud83c\\udf89" , "n" : 0 }  ',
  '{"dup":1,"dup":2}', '{}', '{"k\\u00e9y":"escaped key"}', '{"":"empty key"}',
  '[1,2]', '"str"', '42', 'null', '', '{"a":1', '{"a" 1}', '{"a":1,}', '{"a":1} x', '{a:1}',
  '{"a":"unterminated}', '{"a":[1,2}', '{"a":"x\\q"}', '{"a":"\\ud800"}'];
const keys = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'name', 'n', 'dup', 'kéy', '', 'missing', 'x', 'y'];
for (const d of docs) for (const k of keys) {
  const ref = d === '{"a":"\\ud800"}' && k === 'a' ? '\ufffd' : jsonGetRef(d, k);
  eq(s.optText('json_get', d, k), ref, `json_get(${fmt(d)}, ${fmt(k)})`);
}
eq(s.optText('json_get', null, 'a'), null, 'json_get(NULL, a)');
eq(s.optText('json_get', '{"a":1}', null), null, 'json_get(doc, NULL)');
eq(s.optText('json_get', null, null), null, 'json_get(NULL, NULL)');
eq(s.optText('json_get', '{"a":{"b": [1, 2]}}', 'a'), '{"b": [1, 2]}', 'json_get raw value keeps spacing');
eq(s.optText('json_get', '{"name":"Ærø 🎉"}', 'name'), 'Ærø 🎉', 'json_get non-ASCII value');

// fuzz: mutated documents never trap; when the mutant is valid JSON, string/absent/null results
// agree with JSON.parse
{
  const base = docs.slice(0, 6).concat(['{"a":"x","b":[{"c":"d"}],"e":"\\u00e9"}']);
  const pieces = ['{', '}', '[', ']', '"', '\\', ':', ',', 'a', '1', ' ', 'u', 'é', 'null'];
  let agreed = 0;
  for (let i = 0; i < 20000; i++) {
    let d = base[rnd(base.length)];
    for (let k = 0, n = 1 + rnd(3); k < n; k++) {
      const at = rnd(d.length + 1), op = rnd(3);
      const piece = pieces[rnd(pieces.length)];
      d = op === 0 ? d.slice(0, at) + piece + d.slice(at)
        : op === 1 ? d.slice(0, at) + d.slice(at + 1) : d.slice(0, at) + piece + d.slice(at + 1);
    }
    const key = ['a', 'b', 'e', 'name', 'dup', ''][rnd(6)];
    let got;
    try { got = s.optText('json_get', d, key); } catch (e) { check(false, `json_get(${fmt(d)}) threw ${e}`); continue; }
    let parsed;
    try { parsed = JSON.parse(d); } catch { continue; }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) { eq(got, null, `json_get non-object ${fmt(d)}`); continue; }
    const v = parsed[key];
    if (v === undefined || v === null || (typeof v === 'string' && !/[\ud800-\udfff]/.test(v))) {
      eq(got, v ?? null, `json_get fuzz ${fmt(d)} ${fmt(key)}`);
      agreed++;
    }
  }
  check(agreed > 1000, `json_get fuzz compared ${agreed} valid mutants`);
}
// fuzz: arbitrary bytes (mostly invalid UTF-8) never trap or read outside the input
for (let i = 0; i < 3000; i++) {
  const b = Uint8Array.from({ length: rnd(20) }, () => [0x80, 0xbf, 0xc3, 0xe2, 0xf0, 0xff, 0x41, 0x2d][rnd(8)]);
  try {
    const n = s.scalarOfText('utf8_length', b);
    // lengths 0-19 take every mix of the 8-, 4- and 1-byte steps: the count is the lead bytes
    eq(n, b.filter((x) => (x & 0xc0) !== 0x80).length, `utf8_length counts the lead bytes of ${b.length} bytes`);
    const r = s.call('reverse_text', s.lower(b), (rp) => s.readBytes(rp));
    eq(r.length, b.length, 'reverse_text keeps the byte length of invalid UTF-8');
    s.call('slugify', s.lower(b), (rp) => s.readBytes(rp));
    const d = s.scalarOfText('levenshtein', b, b.slice(1));
    check(n >= 0 && d >= 0 && d <= b.length, `levenshtein on invalid UTF-8 in range: ${d}`);
  } catch (e) { check(false, `invalid UTF-8 ${Array.from(b)} threw ${e}`); }
}

// ---------------------------------------------------------------- hash
const h = new Guest('hash');
const known = [['', 0xcbf29ce484222325n, 0], ['a', 0xaf63dc4c8601ec8cn, 0xe8b7be43],
  ['foobar', 0x85944171f73967e8n, 0x9ef61f95], ['123456789', null, 0xcbf43926]];
for (const [t, fnv, crc] of known) {
  if (fnv !== null) eq(h.scalarOfText('fnv1a64', t), BigInt.asIntN(64, fnv), `fnv1a64(${fmt(t)}) known value`);
  eq(h.scalarOfText('crc32', t), crc | 0, `crc32(${fmt(t)}) known value`);
}
for (let len = 0; len < 40; len++) {
  const b = Uint8Array.from({ length: len }, (_, i) => (i * 37 + len * 11) & 0xff);
  eq(h.scalarOfText('fnv1a64', b), fnvRef(b), `fnv1a64 ${len} bytes`);
  eq(h.scalarOfText('crc32', b), crcRef(b), `crc32 ${len} bytes`);
  eq(h.text('hex_encode', b), Buffer.from(b).toString('hex'), `hex_encode ${len} bytes`);
}

// ---------------------------------------------------------------- math
const m = new Guest('math');
for (const [a, b] of [[1, 2], [-5, 3], [2147483647, 1], [-2147483648, -1], [0, 0]])
  eq(m.call('add_i32', [a, b]), (a + b) | 0, `add_i32(${a}, ${b})`);
for (let n = -3n; n < 2000n; n++) eq(m.call('is_prime', [n]), isPrimeRef(n), `is_prime(${n})`);
for (let i = 0; i < 200; i++) {
  const n = BigInt(rnd(2 ** 31)) * 2n + 1n;
  eq(m.call('is_prime', [n]), isPrimeRef(n), `is_prime(${n})`);
}
const knownPrimes = [2305843009213693951n /* 2^61-1 */, 9223372036854775783n /* largest < 2^63 */,
  4294967291n, 1000000007n, 999999999989n];
const knownComposites = [561n, 2047n /* base-2 strong pseudoprime */, 3215031751n,
  3825123056546413051n /* strong pseudoprime to bases 2..23 */, 9223372036854775807n,
  4294967297n /* 641 * 6700417 */, 1000000007n * 998244353n, -7n, 0n, 1n];
for (const n of knownPrimes) eq(m.call('is_prime', [n]), 1, `is_prime(${n}) known prime`);
for (const n of knownComposites) eq(m.call('is_prime', [n]), 0, `is_prime(${n}) known composite`);
const I64MIN = -(2n ** 63n);
for (const [a, b] of [[12n, 18n], [-12n, 18n], [0n, 0n], [0n, -5n], [17n, 5n], [2n ** 62n, 2n ** 40n * 3n],
  [I64MIN, 6n], [9223372036854775807n, 9223372036854775806n]])
  eq(m.call('gcd', [a, b]), gcdRef(a, b), `gcd(${a}, ${b})`);
traps(() => m.call('gcd', [I64MIN, 0n]), /unreachable/, 'gcd(-2^63, 0) traps');
const hyp = [[3, 4], [0, 0], [-3, 4], [1e300, 1e300], [1e-300, 1e-300], [5e-324, 0], [1, 1e-20],
  [Infinity, NaN], [NaN, -Infinity], [NaN, 1], [1.5, 2.5]];
for (const [x, y] of hyp) {
  const got = m.call('hypot', [x, y]), want = Math.hypot(x, y);
  check(Object.is(got, want) || Math.abs(got - want) <= 4e-16 * want, `hypot(${x}, ${y}) = ${got}, Math.hypot ${want}`);
}
eq(m.call('hypot', [3, 4]), 5, 'hypot(3,4) exact');
const f = Math.fround;
for (const [x, lo, hi] of [[0.5, 0, 1], [-1, 0, 1], [2, 0, 1], [NaN, 0, 1], [0.1, 0.2, 0.3], [-0, 0, 1], [5, 1, 0]]) {
  const want = f(x) < f(lo) ? f(lo) : f(x) > f(hi) ? f(hi) : f(x);
  eq(m.call('clamp_real', [x, lo, hi]), want, `clamp_real(${x}, ${lo}, ${hi})`);
}
for (const [a, b, want] of [[null, null, null], [1, null, 1], [null, 2, 2], [3, 4, 7],
  [2147483647, 1, -2147483648], [-5, null, -5]])
  eq(m.opt32('coalesce_add', a, b), want, `coalesce_add(${a}, ${b})`);

// ---------------------------------------------------------------- large inputs (1 MiB+)
const big = 'Ærø naïve café 🎉 '.repeat(1 << 16); // 16 code points, 24 bytes each repetition
eq(utf8.encode(big).length, 24 << 16, 'big string is 1.5 MiB');
eq(s.scalarOfText('utf8_length', big), cps(big).length, 'utf8_length 1.5 MiB');
eq(s.text('reverse_text', big), cps(big).reverse().join(''), 'reverse_text 1.5 MiB');
eq(s.text('slugify', big), ('aero-naive-cafe-'.repeat(1 << 16)).slice(0, -1), 'slugify 1.5 MiB');
eq(s.scalarOfText('levenshtein', big, 'naïve'), cps(big).length - 5, 'levenshtein 1.5 MiB vs short');
const big2 = cps(big).map((c, i) => (i === 700000 ? 'X' : c)).join('');
eq(s.scalarOfText('levenshtein', big, big2), 1, 'levenshtein 1.5 MiB vs one substitution');
const bigDoc = JSON.stringify({ pad: 'x'.repeat(1 << 20), arr: Array(1000).fill({ a: '}' }), key: nordic });
eq(s.optText('json_get', bigDoc, 'key'), nordic, 'json_get 1 MiB doc');
{ // 40k top-level container fields: per-call scratch memory must not scale with fields x size
  const many = {};
  for (let i = 0; i < 40000; i++) many['k' + i] = [i, { v: i }];
  const doc = JSON.stringify(many);
  const g = new Guest('strings');
  eq(g.optText('json_get', doc, 'k39999'), '[39999,{"v":39999}]', 'json_get 40k container fields');
  check(g.pages() < 64, `json_get 40k container fields used ${g.pages()} pages (< 64)`);
}
const bigBytes = utf8.encode(big);
eq(h.scalarOfText('crc32', bigBytes), crcRef(bigBytes), 'crc32 1.5 MiB');
eq(h.scalarOfText('fnv1a64', bigBytes), fnvRef(bigBytes), 'fnv1a64 1.5 MiB');

// ---------------------------------------------------------------- memory stays flat
function steady(g, label, callOnce, n = 100000) {
  for (let i = 0; i < 1000; i++) callOnce(i);
  const before = g.pages();
  for (let i = 0; i < n; i++) callOnce(i);
  eq(g.pages(), before, `${label}: memory pages unchanged over ${n} calls (${before} pages)`);
}
const s2 = new Guest('strings'); // fresh instance so earlier 1.5 MiB calls do not hide growth
steady(s2, 'slugify', (i) => s2.text('slugify', nordic + i));
steady(s2, 'reverse_text', (i) => s2.text('reverse_text', nordic + i));
steady(s2, 'levenshtein', (i) => s2.scalarOfText('levenshtein', nordic, 'naive' + i));
steady(s2, 'json_get', (i) => s2.optText('json_get', `{"k\\u00e9":${i},"a":"v${i}"}`, 'a'));
steady(s2, 'utf8_length', (i) => s2.scalarOfText('utf8_length', nordic + i));
const h2 = new Guest('hash');
steady(h2, 'hex_encode', (i) => h2.text('hex_encode', 'abc' + i));
steady(h2, 'crc32', (i) => h2.scalarOfText('crc32', 'abc' + i));
const m2 = new Guest('math');
steady(m2, 'coalesce_add', (i) => m2.opt32('coalesce_add', i, null));
// a host that never calls cabi_post_*: the next call's cabi_realloc / entry reclaims the arena
const s3 = new Guest('strings');
const noPost = (i) => {
  const [p1, l1] = s3.lowerText(nordic + i);
  const rp = s3.x.slugify(p1, l1);
  return strictUtf8.decode(s3.readBytes(rp));
};
eq(noPost(7), 'aeroskobing-naive-cafe-7', 'slugify without cabi_post');
steady(s3, 'slugify without cabi_post', noPost);

// ---------------------------------------------------------------- hostile modules
const t = load('test-traps');
eq(t.div_by(7, 2), 3, 'div_by(7,2)');
traps(() => t.div_by(1, 0), /divide by zero/, 'div_by(1,0)');
traps(() => t.div_by(-2147483648, -1), /divide result unrepresentable|overflow/, 'div_by(MIN,-1)');
new DataView(t.memory.buffer).setInt32(t.memory.buffer.byteLength - 8, -123456789, true);
eq(t.read_at(t.memory.buffer.byteLength - 8), -123456789, 'read_at in bounds');
traps(() => t.read_at(-16), /out of bounds/, 'read_at(-16)');
traps(() => t.read_at(t.memory.buffer.byteLength - 2), /out of bounds/, 'read_at(straddling the end)');
traps(() => t.unreachable_trap(), /unreachable/, 'unreachable_trap');
eq(t.recurse(1000), 1000, 'recurse(1000)');
traps(() => t.recurse(100000000), /call stack|Maximum call stack/, 'recurse(1e8)');
eq(t.stack_smash(3), 6, 'stack_smash(3)');
traps(() => t.stack_smash(100), /out of bounds/, 'stack_smash(100)');
eq(t.spin_for(0n), 88172645463325252n, 'spin_for(0)');
{
  let x = 88172645463325252n;
  for (let i = 0; i < 1000; i++) {
    x = BigInt.asUintN(64, x ^ (x << 13n)); x ^= x >> 7n; x = BigInt.asUintN(64, x ^ (x << 17n));
  }
  eq(t.spin_for(1000n), BigInt.asIntN(64, x), 'spin_for(1000) xorshift64');
}
traps(() => t.bad_indirect(), /signature mismatch|type mismatch/, 'bad_indirect');
traps(() => t.null_call(), /null function|uninitialized|table index/, 'null_call');
traps(() => t.trunc_nan(NaN), /float unrepresentable|invalid conversion/, 'trunc_nan(NaN)');
traps(() => t.trunc_nan(3e9), /float unrepresentable|overflow/, 'trunc_nan(3e9)');
eq(t.trunc_nan(-7.9), -7, 'trunc_nan(-7.9)');
eq(t.memory_pages(), 2, 'memory_pages initially 2');
eq(t.grow_pages(3), 2, 'grow_pages(3) returns old size');
eq(t.memory_pages(), 5, 'memory_pages after growing');
{ // memory bombs against a capped memory: V8 enforces a declared maximum, so patch none in —
  // instead run them in a worker with a resource limit and check they end (trap), not hang.
  const runIsolated = (fn, ms) => new Promise((resolve) => {
    const w = new Worker(`
      const { parentPort, workerData } = require('node:worker_threads');
      const x = new WebAssembly.Instance(new WebAssembly.Module(workerData.bytes), {}).exports;
      try { parentPort.postMessage({ result: x[workerData.fn]() }); }
      catch (e) { parentPort.postMessage({ trap: String(e) }); }`,
    { eval: true, workerData: { bytes: bytesOf('test-traps'), fn } });
    const timer = setTimeout(() => { w.terminate(); resolve({ timeout: true }); }, ms);
    w.on('message', (msg) => { clearTimeout(timer); w.terminate(); resolve(msg); });
    w.on('error', (e) => { clearTimeout(timer); resolve({ error: String(e) }); });
  });
  const spin = await runIsolated('spin', 1000);
  check(spin.timeout === true, `spin never returns (got ${JSON.stringify(spin)})`);
}
{ // memory bombs against a capped memory: V8 has no cap option, so give the module's memory a
  // declared maximum of 40 pages by rewriting its memory section (what an engine cap emulates).
  const capped = withMemoryMax(bytesOf('test-traps'), 40);
  const c = new WebAssembly.Instance(new WebAssembly.Module(capped), {}).exports;
  eq(c.grow_forever(), 38, 'grow_forever under a 40-page cap gains 38 pages');
  eq(c.grow_pages(1), -1, 'grow_pages refused at the cap');
  const c2 = new WebAssembly.Instance(new WebAssembly.Module(capped), {}).exports;
  traps(() => c2.alloc_bomb(), /unreachable/, 'alloc_bomb under a cap');
  const pagesLeft = 40 - c2.memory.buffer.byteLength / 65536;
  check(pagesLeft >= 0 && pagesLeft < 16, `alloc_bomb stopped within one 16-page block of the cap (${pagesLeft} left)`);
}

const bad = new Guest('test-badabi');
const area = (rp) => { const v = new DataView(bad.mem); return [v.getUint32(rp, true), v.getUint32(rp + 4, true)]; };
eq(area(bad.x.text_ptr_oob()), [0xfffffff0, 100], 'text_ptr_oob return area');
eq(area(bad.x.text_len_huge())[1], 0x7fffffff, 'text_len_huge length');
eq(bad.x.retptr_oob() >>> 0, 0xfffffffc, 'retptr_oob pointer');
eq(Array.from(bad.readBytes(bad.x.bad_utf8())), [0xff, 0xfe, 0x41], 'bad_utf8 bytes');
traps(() => strictUtf8.decode(bad.readBytes(bad.x.bad_utf8())), /not valid|encoded data/, 'bad_utf8 rejected by a strict decoder');
eq(new DataView(bad.mem).getUint8(bad.x.bad_option()), 2, 'bad_option discriminant');

const br = load('test-bad-realloc');
const brMem = () => br.memory.buffer.byteLength;
eq(br.cabi_realloc(0, 0, 1, 39) >>> 0, 0xfffffff0, 'bad realloc: 39 -> out of bounds');
eq(br.cabi_realloc(0, 0, 1, 42) >>> 0, brMem() - 4, 'bad realloc: 42 -> runs past the end');
traps(() => br.cabi_realloc(0, 0, 1, 45), /unreachable/, 'bad realloc: 45 traps');
const okp = br.cabi_realloc(0, 0, 1, 5) >>> 0;
check(okp > 0 && okp + 5 <= brMem(), 'bad realloc: 5 -> valid block');
eq(br.text_len(okp, 5), 5, 'bad realloc: text_len works');
// ---------------------------------------------------------------- latin1+utf16 text arguments
{
  const t = new Guest('test-text16');
  check(WebAssembly.Module.exports(new WebAssembly.Module(bytesOf('test-text16'))).some(
    (e) => e.name === 'wasmudf:text-args:latin1+utf16' && e.kind === 'function'), 'test-text16 declares latin1+utf16');
  // lowered as the host does: Latin-1 bytes, or UTF-16LE units with the high bit in the length
  const lower16 = (s) => {
    const units = [...Array(s.length).keys()].map((i) => s.charCodeAt(i));
    const latin1 = units.every((u) => u < 0x100);
    const ptr = t.x.cabi_realloc(0, 0, 2, latin1 ? units.length : 2 * units.length) >>> 0;
    if (latin1) new Uint8Array(t.mem, ptr, units.length).set(units);
    else units.forEach((u, i) => new DataView(t.mem).setUint16(ptr + 2 * i, u, true));
    return [ptr, latin1 ? units.length : (units.length | 0x80000000) | 0];
  };
  for (const s of ['', 'a', 'naïve café', 'ÿ', '日本語テキスト', 'emoji 🎉🚀 ok', '\u{10FFFF}\u{10000}', 'x\uD800y', '\uDC00\uD800']) {
    const want = [...s].length; // code points; a lone surrogate counts as one, as in Java
    eq(t.call('code_points', lower16(s)), want, `code_points(${fmt(s)})`);
    eq(t.call('aligned', lower16(s)), 1, `aligned(${fmt(s)})`);
  }
}
// ---------------------------------------------------------------- packed option results
{
  const o = new Guest('test-options');
  const bitsOf = (x) => new Int32Array(new Float32Array([x]).buffer)[0];
  for (const [x, want] of [[null, null], [7, null], [0, 0], [21, 42], [-3, -6], [0x7fffffff, -2], [-2147483648, 0]])
    eq(o.opt32('opt_int', x), want, `opt_int(${x})`);
  for (const x of [1.5, -0, 0, Infinity, -Infinity, 3.4e38])
    eq(o.opt32('opt_real', x), bitsOf(-Math.fround(x)), `opt_real(${x}) bits`);
  eq(o.opt32('opt_real', 7), null, 'opt_real(7) is NULL');
  eq(o.opt32('opt_real', null), null, 'opt_real(NULL)');
  check((o.opt32('opt_real', NaN) & 0x7f800000) === 0x7f800000 && (o.opt32('opt_real', NaN) & 0x7fffff) !== 0, 'opt_real(NaN) is a NaN');
  eq(o.opt32('opt_bool', 1), 0, 'opt_bool(true)');
  eq(o.opt32('opt_bool', 0), 1, 'opt_bool(false)');
  eq(o.opt32('opt_bool', null), null, 'opt_bool(NULL)');
  eq(o.opt32('opt_small', 32767), 32768, 'opt_small(32767) leaves smallint (the host refuses it)');
  traps(() => o.opt32('bad_packed', 5), /bad discriminant 2/, 'bad_packed: discriminant 2');
  const types = Object.fromEntries(WebAssembly.Module.exports(new WebAssembly.Module(bytesOf('test-options'))).map((e) => [e.name, e.kind]));
  check(types.opt_int === 'function' && types.wide === 'function', 'test-options exports its functions');
}
const nr = load('test-no-realloc');
eq(nr.answer(), 42, 'no-realloc answer()');

console.log(`${passed} checks passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
