;; A loop for HostCallBenchmarks: n calls of WASI's clock_time_get (a host function that checks
;; its grant, reads the clock and writes 8 bytes of guest memory). Built with: wat2wasm wasicall.wat -o wasicall.wasm
(module
  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock (param i32 i64 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "loop_clock") (param $n i32) (result i32) (local $x i32)
    (block $done (loop $more
      (br_if $done (i32.eqz (local.get $n)))
      (local.set $x (i32.add (local.get $x) (call $clock (i32.const 1) (i64.const 1) (i32.const 0))))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $more)))
    (local.get $x)))
