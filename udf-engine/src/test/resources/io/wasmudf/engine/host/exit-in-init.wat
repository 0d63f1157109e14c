;; Test module: a reactor whose _initialize calls proc_exit(7). Built with: wat2wasm exit-in-init.wat -o exit-in-init.wasm
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_initialize") (call $proc_exit (i32.const 7))))
