;; Test module for LimitsSqlTest, SessionIsolationTest and ConcurrencySqlTest: no imports,
;; one page of memory, functions that loop, recurse, grow memory and keep a marker in memory.
(module
  (memory (export "memory") 1)
  ;; the marker word lives at address 1024
  (func (export "put_marker") (param $v i32) (result i32)
    (local $old i32)
    (local.set $old (i32.load (i32.const 1024)))
    (i32.store (i32.const 1024) (local.get $v))
    (local.get $old))
  (func (export "get_marker") (result i32)
    (i32.load (i32.const 1024)))
  (func (export "spin") (result i32)
    (loop $l (br $l))
    (i32.const 0))
  ;; burn(n): n iterations of an xorshift step; a deterministic amount of work for fuel tests
  (func (export "burn") (param $n i64) (result i64)
    (local $x i64)
    (local.set $x (i64.const 88172645463325252))
    (block $done
      (loop $l
        (br_if $done (i64.eqz (local.get $n)))
        (local.set $x (i64.xor (local.get $x) (i64.shl (local.get $x) (i64.const 13))))
        (local.set $x (i64.xor (local.get $x) (i64.shr_u (local.get $x) (i64.const 7))))
        (local.set $x (i64.xor (local.get $x) (i64.shl (local.get $x) (i64.const 17))))
        (local.set $n (i64.sub (local.get $n) (i64.const 1)))
        (br $l)))
    (local.get $x))
  ;; depth(n): recursion n calls deep; returns n
  (func $depth (export "depth") (param $n i32) (result i32)
    (if (result i32) (i32.le_s (local.get $n) (i32.const 0))
      (then (i32.const 0))
      (else (i32.add (i32.const 1) (call $depth (i32.sub (local.get $n) (i32.const 1)))))))
  ;; grow(n): memory.grow n pages; the old size or -1
  (func (export "grow") (param $n i32) (result i32)
    (memory.grow (local.get $n)))
  (func (export "pages") (result i32)
    (memory.size))
  (func (export "div_by") (param $a i32) (param $b i32) (result i32)
    (i32.div_s (local.get $a) (local.get $b)))
)
