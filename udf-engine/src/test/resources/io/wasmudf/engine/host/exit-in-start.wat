;; Test module: a start function that calls proc_exit(5). Built with: wat2wasm exit-in-start.wat -o exit-in-start.wasm
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (func $main (call $proc_exit (i32.const 5)))
  (start $main))
