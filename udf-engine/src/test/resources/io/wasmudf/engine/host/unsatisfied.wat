;; Test module: imports the host cannot satisfy (unknown names, a wrong type, a memory) beside valid ones.
;; Built with: wat2wasm unsatisfied.wat -o unsatisfied.wasm
(module
  (import "env" "host_log" (func (param i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open_v2" (func))
  (import "wasmudf" "notice" (func (param i32 i32)))
  (import "env" "memory" (memory 1))
  (import "spectest" "print" (func)))
