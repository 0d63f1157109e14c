;; Declares a minimum of 1100 pages (68.75 MiB): over the default 64 MiB cap, refused at CREATE.
(module
  (memory (export "memory") 1100)
  (func (export "answer") (result i32) (i32.const 42)))
