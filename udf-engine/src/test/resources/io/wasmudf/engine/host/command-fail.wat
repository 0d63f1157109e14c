;; Test module for WASI commands: _start prints and exits with the code in the i32 at 64
;; (a data segment: 3), then exports a function. Built with: wat2wasm command-fail.wat -o command-fail.wasm
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 100) "main ran\n")
  (data (i32.const 64) "\03\00\00\00")
  (global $started (mut i32) (i32.const 0))
  (func (export "_start")
    (global.set $started (i32.add (global.get $started) (i32.const 1)))
    (i32.store (i32.const 0) (i32.const 100))
    (i32.store (i32.const 4) (i32.const 9))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (call $proc_exit (i32.load (i32.const 64))))
  (func (export "started") (result i32) (global.get $started)))
