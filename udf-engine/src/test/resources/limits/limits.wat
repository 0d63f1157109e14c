;; Guest code for LimitsTest and ConcurrencyTest: runaway loops and recursion, memory growth,
;; and a per-instance memory counter. Assemble with: wat2wasm limits.wat -o limits.wasm
(module
  (type $i2i (func (param i32) (result i32)))
  (import "host" "callback" (func $callback (param i32) (result i32)))
  (memory 1)
  (table 2 funcref)
  (elem (i32.const 0) $deep_indirect $loop_forever)

  ;; never returns
  (func $loop_forever (export "loop_forever") (param i32) (result i32)
    (loop $l (br $l))
    (i32.const 0))

  ;; sums 0..n-1 in a loop: n + 1 loop iterations (fuel tests)
  (func (export "count") (param $n i32) (result i32)
    (local $i i32)
    (local $sum i32)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $sum (i32.add (local.get $sum) (local.get $i)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (local.get $sum))

  ;; recursion n deep, returns n
  (func $deep (export "deep") (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 0))
      (else (i32.add (call $deep (i32.sub (local.get $n) (i32.const 1))) (i32.const 1)))))

  ;; the same through call_indirect, so every level crosses the instance's own table
  (func $deep_indirect (export "deep_indirect") (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 0))
      (else (i32.add
        (call_indirect (type $i2i) (i32.sub (local.get $n) (i32.const 1)) (i32.const 0))
        (i32.const 1)))))

  ;; unbounded recursion
  (func $runaway (export "runaway") (param i32) (result i32)
    (call $runaway (local.get 0)))

  ;; unbounded recursion of a function with a large frame (200 i64 locals)
  (func $runaway_big (export "runaway_big") (param i32) (result i32)
    (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64
           i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64
           i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64
           i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64
           i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64
           i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64
           i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64
           i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64
           i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64
           i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
    (call $runaway_big (local.get 0)))

  ;; calls the host, which may call back into this instance
  (func (export "via_host") (param $n i32) (result i32)
    (call $callback (local.get $n)))

  ;; memory.grow by n pages: the old size or -1
  (func (export "grow") (param $pages i32) (result i32)
    (memory.grow (local.get $pages)))

  ;; grows one page at a time until it fails; returns the final size in pages
  (func (export "grow_all") (result i32)
    (loop $l
      (br_if $l (i32.ne (memory.grow (i32.const 1)) (i32.const -1))))
    (memory.size))

  ;; stores v at address a, returns the value that was there before
  (func (export "swap") (param $a i32) (param $v i32) (result i32)
    (local $old i32)
    (local.set $old (i32.load (local.get $a)))
    (i32.store (local.get $a) (local.get $v))
    (local.get $old))

  ;; adds v to the counter at address 0 n times (re-reading memory each time), returns it
  (func (export "accumulate") (param $v i32) (param $n i32) (result i32)
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get $n)))
        (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (local.get $v)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $l)))
    (i32.load (i32.const 0))))
