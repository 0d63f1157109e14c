// AssemblyScript UDFs on the WasmUDF SDK (assemblyscript/assembly/wasmudf.ts), built by
// ../../build.sh with asc's default options: modules/as-udfs.wasm (imports env.abort).
import { bytes, text, returnText } from "../../assemblyscript/assembly/wasmudf";
export { cabi_realloc } from "../../assemblyscript/assembly/wasmudf";

// ---- SHA-256 (FIPS 180-4) and HMAC (RFC 2104) ------------------------------------------------

const K: StaticArray<u32> = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

function sha256(data: Uint8Array): Uint8Array {
  const h = new StaticArray<u32>(8);
  h[0] = 0x6a09e667; h[1] = 0xbb67ae85; h[2] = 0x3c6ef372; h[3] = 0xa54ff53a;
  h[4] = 0x510e527f; h[5] = 0x9b05688c; h[6] = 0x1f83d9ab; h[7] = 0x5be0cd19;
  const len = data.length;
  const total = ((len + 9 + 63) >> 6) << 6; // message, 0x80, 64-bit length, padded to 64 bytes
  const msg = new Uint8Array(total);
  msg.set(data);
  msg[len] = 0x80;
  const bits = <u64>len * 8;
  for (let i = 0; i < 8; i++) msg[total - 1 - i] = <u8>(bits >> (8 * i));
  const w = new StaticArray<u32>(64);
  for (let off = 0; off < total; off += 64) {
    for (let t = 0; t < 16; t++) {
      const o = off + 4 * t;
      w[t] = (<u32>msg[o] << 24) | (<u32>msg[o + 1] << 16) | (<u32>msg[o + 2] << 8) | <u32>msg[o + 3];
    }
    for (let t = 16; t < 64; t++) {
      const s0 = rotr<u32>(w[t - 15], 7) ^ rotr<u32>(w[t - 15], 18) ^ (w[t - 15] >>> 3);
      const s1 = rotr<u32>(w[t - 2], 17) ^ rotr<u32>(w[t - 2], 19) ^ (w[t - 2] >>> 10);
      w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }
    let a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (let t = 0; t < 64; t++) {
      const t1 = hh + (rotr<u32>(e, 6) ^ rotr<u32>(e, 11) ^ rotr<u32>(e, 25)) + ((e & f) ^ (~e & g)) + K[t] + w[t];
      const t2 = (rotr<u32>(a, 2) ^ rotr<u32>(a, 13) ^ rotr<u32>(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
      hh = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
  }
  const out = new Uint8Array(32);
  for (let i = 0; i < 8; i++) {
    out[4 * i] = <u8>(h[i] >>> 24); out[4 * i + 1] = <u8>(h[i] >>> 16);
    out[4 * i + 2] = <u8>(h[i] >>> 8); out[4 * i + 3] = <u8>h[i];
  }
  return out;
}

function hex(b: Uint8Array): string {
  const digits = "0123456789abcdef";
  let s = "";
  for (let i = 0; i < b.length; i++) s += digits.charAt(b[i] >> 4) + digits.charAt(b[i] & 15);
  return s;
}

function hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array {
  let k = key.length > 64 ? sha256(key) : key;
  const inner = new Uint8Array(64 + data.length);
  const outer = new Uint8Array(64 + 32);
  for (let i = 0; i < 64; i++) {
    const kb: u8 = i < k.length ? k[i] : 0;
    inner[i] = kb ^ 0x36;
    outer[i] = kb ^ 0x5c;
  }
  inner.set(data, 64);
  outer.set(sha256(inner), 64);
  return sha256(outer);
}

// sha256_hex(data bytea) RETURNS text STRICT: lower-case hex SHA-256, as encode(sha256(data), 'hex').
export function sha256_hex(ptr: usize, len: usize): usize {
  return returnText(hex(sha256(bytes(ptr, len))));
}

// hmac_sha256_hex(key bytea, data bytea) RETURNS text STRICT: lower-case hex HMAC-SHA-256, as
// pgcrypto's encode(hmac(data, key, 'sha256'), 'hex').
export function hmac_sha256_hex(kp: usize, kl: usize, dp: usize, dl: usize): usize {
  const key = bytes(kp, kl);
  return returnText(hex(hmacSha256(key, bytes(dp, dl))));
}

// ---- geography ----------------------------------------------------------------------------------

// haversine_km(lat1, lon1, lat2, lon2 double precision) RETURNS double precision STRICT: the
// great-circle distance in km between two points given in degrees, on a sphere of radius
// 6378.168 km (the radius of PostgreSQL's earthdistance, earth()).
export function haversine_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64): f64 {
  const r = 6378.168;
  const rad = Math.PI / 180;
  const dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
  const a = Math.sin(dlat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dlon / 2) ** 2;
  return 2 * r * Math.asin(Math.min(1, Math.sqrt(a)));
}

// ---- text ---------------------------------------------------------------------------------------

function isAlnum(c: i32): bool {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

// email_valid(s text) RETURNS boolean STRICT: whether s is a "valid e-mail address" of the HTML
// standard (WHATWG): a local part of letters, digits and !#$%&'*+/=?^_`{|}~.- then @ then
// labels of letters, digits and hyphens (1-63 long, no hyphen first or last) separated by dots.
export function email_valid(ptr: usize, len: usize): i32 {
  const s = text(ptr, len);
  const at = s.indexOf("@");
  if (at <= 0 || at == s.length - 1) return 0;
  const local = "!#$%&'*+/=?^_`{|}~.-";
  for (let i = 0; i < at; i++) {
    const c = s.charCodeAt(i);
    if (!isAlnum(c) && local.indexOf(String.fromCharCode(c)) < 0) return 0;
  }
  const labels = s.substring(at + 1).split(".");
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (l.length == 0 || l.length > 63 || l.charCodeAt(0) == 45 || l.charCodeAt(l.length - 1) == 45) return 0;
    for (let j = 0; j < l.length; j++) {
      const c = l.charCodeAt(j);
      if (!isAlnum(c) && c != 45) return 0;
    }
  }
  return 1;
}

// title_case(s text) RETURNS text STRICT: PostgreSQL's initcap for ASCII letters: the first letter
// of each word upper case, the others lower case, a word being a run of ASCII letters and digits.
// Other characters are kept as they are and end a word.
export function title_case(ptr: usize, len: usize): usize {
  const s = text(ptr, len);
  let out = "";
  let inWord = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isAlnum(c)) {
      const ch = String.fromCharCode(c);
      out += inWord ? ch.toLowerCase() : ch.toUpperCase();
      inWord = true;
    } else {
      out += String.fromCharCode(c);
      inWord = false;
    }
  }
  return returnText(out);
}
