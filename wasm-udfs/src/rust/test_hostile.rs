//! A hostile Rust module for wasm32-wasi (modules/test-rust-hostile.wasm), built with std the
//! ordinary way: each export tries something a sandboxed UDF must not be able to do and reports
//! what std told it.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::io::Write;

// read_passwd() RETURNS text: the error std gives for /etc/passwd (or its first line, if it could)
wasmudf::udf!(read_passwd, || -> String {
    match std::fs::read_to_string("/etc/passwd") {
        Ok(s) => s.lines().next().unwrap_or("").to_string(),
        Err(e) => format!("error: {}", e),
    }
});

// home() RETURNS text: $HOME, or NULL
wasmudf::udf!(home, || -> Option<String> { std::env::var("HOME").ok() });

// connect() RETURNS text: the error of a TCP connect to 127.0.0.1:5432
wasmudf::udf!(connect, || -> String {
    match std::net::TcpStream::connect("127.0.0.1:5432") {
        Ok(_) => "connected".to_string(),
        Err(e) => format!("error: {:?}", e.kind()),
    }
});

// sleep_ms(ms bigint) RETURNS integer: std::thread::sleep
wasmudf::udf!(sleep_ms, |ms: i64| -> i32 {
    std::thread::sleep(std::time::Duration::from_millis(ms as u64));
    0
});

// shout(s text) RETURNS text: println! to stdout, eprintln! to stderr
wasmudf::udf!(shout, |s: &str| -> String {
    println!("{}!", s);
    eprintln!("shouted {}", s.len());
    std::io::stdout().flush().ok();
    s.to_uppercase()
});

// exit_with(code integer) RETURNS integer: std::process::exit (not named exit: a #[no_mangle] export shares the namespace of libc's symbols)
wasmudf::udf!(exit_with, |code: i32| -> i32 { std::process::exit(code) });

// now_ns() RETURNS bigint: SystemTime since the epoch (panics when the clock is not granted)
wasmudf::udf!(now_ns, || -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos() as i64).unwrap_or(-1)
});

// hash_seed() RETURNS bigint: a hash under a fresh RandomState (random_get underneath)
wasmudf::udf!(hash_seed, || -> i64 {
    let mut h = RandomState::new().build_hasher();
    h.write_u32(42);
    h.finish() as i64
});

// fail(msg text) RETURNS integer: panics with the message
wasmudf::udf!(fail, |msg: &str| -> i32 { panic!("{}", msg) });
