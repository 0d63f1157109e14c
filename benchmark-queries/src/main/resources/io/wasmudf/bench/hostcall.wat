;; Loops for HostCallBenchmarks: n calls of an imported host function and of the same function
;; defined in the module. Built with: wat2wasm hostcall.wat -o hostcall.wasm
(module
  (import "bench" "inc" (func $inc (param i32) (result i32)))
  (memory (export "memory") 1)
  (func $local_inc (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (func (export "loop_host") (param $n i32) (result i32) (local $x i32)
    (block $done (loop $more
      (br_if $done (i32.eqz (local.get $n)))
      (local.set $x (call $inc (local.get $x)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $more)))
    (local.get $x))
  (func (export "loop_local") (param $n i32) (result i32) (local $x i32)
    (block $done (loop $more
      (br_if $done (i32.eqz (local.get $n)))
      (local.set $x (call $local_inc (local.get $x)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $more)))
    (local.get $x)))
