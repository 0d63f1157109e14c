//! Rust UDFs on the WasmUDF SDK (rust/wasmudf): built by ../../build.sh for wasm32-unknown-unknown
//! (modules/rust-udfs.wasm) and wasm32-wasi (modules/rust-udfs-wasi.wasm), both with Debian's rustc.

mod regex;

// semver_cmp(a text, b text) RETURNS integer STRICT: -1, 0 or 1 by SemVer 2.0.0 precedence
// (build metadata ignored); an invalid version is an error (22P02).
wasmudf::udf!(semver_cmp, |a: &str, b: &str| -> i32 {
    let (x, y) = (semver(a), semver(b));
    match x.cmp(&y) {
        std::cmp::Ordering::Less => -1,
        std::cmp::Ordering::Equal => 0,
        std::cmp::Ordering::Greater => 1,
    }
});

#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum Ident<'a> {
    // numeric identifiers have lower precedence than alphanumeric ones
    Num(u64),
    Alnum(&'a str),
}

#[derive(PartialEq, Eq)]
struct Version<'a> {
    core: [u64; 3],
    pre: Vec<Ident<'a>>,
}

impl<'a> Ord for Version<'a> {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        self.core.cmp(&o.core).then_with(|| match (self.pre.is_empty(), o.pre.is_empty()) {
            (true, true) => std::cmp::Ordering::Equal,
            (true, false) => std::cmp::Ordering::Greater, // 1.0.0 > 1.0.0-alpha
            (false, true) => std::cmp::Ordering::Less,
            (false, false) => self.pre.cmp(&o.pre), // element-wise, a shorter prefix first
        })
    }
}

impl<'a> PartialOrd for Version<'a> {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}

fn number(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|c| c.is_ascii_digit()) || (s.len() > 1 && s.starts_with('0')) {
        return None;
    }
    s.parse().ok()
}

fn ident_ok(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-')
}

fn semver(v: &str) -> Version<'_> {
    parse_semver(v).unwrap_or_else(|| wasmudf::raise("22P02", &format!("invalid semantic version: \"{}\"", v)))
}

fn parse_semver(v: &str) -> Option<Version<'_>> {
    let (rest, build) = match v.split_once('+') {
        Some((r, b)) => (r, Some(b)),
        None => (v, None),
    };
    if let Some(b) = build {
        if !b.split('.').all(ident_ok) {
            return None;
        }
    }
    let (core, pre) = match rest.split_once('-') {
        Some((c, p)) => (c, Some(p)),
        None => (rest, None),
    };
    let mut parts = core.split('.');
    let mut c = [0u64; 3];
    for slot in c.iter_mut() {
        *slot = number(parts.next()?)?;
    }
    if parts.next().is_some() {
        return None;
    }
    let mut ids = Vec::new();
    if let Some(p) = pre {
        for id in p.split('.') {
            if !ident_ok(id) {
                return None;
            }
            if id.bytes().all(|c| c.is_ascii_digit()) {
                ids.push(Ident::Num(number(id)?));
            } else {
                ids.push(Ident::Alnum(id));
            }
        }
    }
    Some(Version { core: c, pre: ids })
}

// iban_valid(s text) RETURNS boolean STRICT: ISO 13616 structure (two letters, two check digits,
// up to 30 letters or digits, 15 to 34 in all, no spaces) and the ISO 7064 mod-97 check.
wasmudf::udf!(iban_valid, |s: &str| -> bool {
    let b = s.as_bytes();
    if b.len() < 15 || b.len() > 34 || !b[..2].iter().all(u8::is_ascii_uppercase) || !b[2..4].iter().all(u8::is_ascii_digit)
        || !b.iter().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    {
        return false;
    }
    let mut rem: u32 = 0;
    for &c in b[4..].iter().chain(b[..4].iter()) {
        let v = if c.is_ascii_digit() { (c - b'0') as u32 } else { (c - b'A') as u32 + 10 };
        rem = if v >= 10 { (rem * 100 + v) % 97 } else { (rem * 10 + v) % 97 };
    }
    rem == 1
});

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// base64_encode(data bytea) RETURNS text STRICT: RFC 4648 base64, padded, no line breaks.
wasmudf::udf!(base64_encode, |data: &[u8]| -> String {
    let mut out = Vec::with_capacity((data.len() + 2) / 3 * 4);
    for chunk in data.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &c)| n | (c as u32) << (16 - 8 * i));
        for i in 0..4 {
            out.push(if i <= chunk.len() { B64[(n >> (18 - 6 * i) & 63) as usize] } else { b'=' });
        }
    }
    String::from_utf8(out).unwrap()
});

// base64_decode(t text) RETURNS bytea CALLED ON NULL INPUT: the bytes of RFC 4648 base64, with or
// without padding (padding, when present, complete); NULL for NULL or anything else.
wasmudf::udf!(base64_decode, |t: Option<&str>| -> Option<Vec<u8>> {
    let t = t?.as_bytes();
    let body = t.iter().position(|&c| c == b'=').unwrap_or(t.len());
    let pad = t.len() - body;
    if pad > 0 && (t[body..].iter().any(|&c| c != b'=') || pad > 2 || t.len() % 4 != 0) {
        return None;
    }
    if body % 4 == 1 || (pad > 0 && (body + pad) % 4 != 0) {
        return None;
    }
    let mut out = Vec::with_capacity(body / 4 * 3 + 2);
    let (mut acc, mut bits) = (0u32, 0);
    for &c in &t[..body] {
        let v = B64.iter().position(|&x| x == c)? as u32;
        acc = acc << 6 | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
});

// regex_match(s text, pattern text) RETURNS boolean STRICT: whether the pattern matches anywhere
// in s (PostgreSQL's ~ for this subset): literals, ., [...] and [^...] with ranges, \d \w \s \D \W
// \S and escaped punctuation, * + ? {m} {m,} {m,n}, ^ $, | and ( ). A Pike VM: linear in the text,
// so no pattern can make it backtrack exponentially. An invalid pattern is an error (2201B).
wasmudf::udf!(regex_match, |s: &str, pattern: &str| -> bool {
    match regex::Regex::new(pattern) {
        Ok(r) => r.is_match(s),
        Err(e) => wasmudf::raise("2201B", &format!("invalid regular expression: {}", e)),
    }
});

// url_host(u text) RETURNS text CALLED ON NULL INPUT: the host of an absolute URL with an
// authority (scheme://[user[:pass]@]host[:port][/...]), lower-cased, IPv6 literals in brackets;
// NULL when there is none.
wasmudf::udf!(url_host, |u: Option<&str>| -> Option<String> {
    let u = u?.trim();
    let colon = u.find(':')?;
    let scheme = &u[..colon];
    let mut sc = scheme.bytes();
    if !sc.next()?.is_ascii_alphabetic() || !sc.all(|c| c.is_ascii_alphanumeric() || c == b'+' || c == b'-' || c == b'.') {
        return None;
    }
    let rest = u[colon + 1..].strip_prefix("//")?;
    let authority = &rest[..rest.find(|c| c == '/' || c == '?' || c == '#').unwrap_or(rest.len())];
    let host_port = match authority.rfind('@') {
        Some(at) => &authority[at + 1..],
        None => authority,
    };
    let host = if host_port.starts_with('[') {
        &host_port[..=host_port.find(']')?]
    } else {
        &host_port[..host_port.find(':').unwrap_or(host_port.len())]
    };
    if host.is_empty() {
        return None;
    }
    Some(host.to_ascii_lowercase())
});
