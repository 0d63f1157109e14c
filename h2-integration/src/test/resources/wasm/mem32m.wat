;; Declares a minimum of 512 pages (32 MiB): fits the default cap, not wasm.max_memory = '16MB'.
(module
  (memory (export "memory") 512)
  (func (export "answer") (result i32) (i32.const 42)))
