;; Declares a table of 20,000,000 elements: over the engine's 10,000,000 limit, refused at CREATE.
(module
  (table 20000000 funcref)
  (func (export "answer") (result i32) (i32.const 42)))
