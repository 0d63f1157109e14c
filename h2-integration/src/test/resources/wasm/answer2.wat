;; another module with an "answer" export (for OR REPLACE)
(module
  (func (export "answer") (result i32) (i32.const 43))
  (func (export "add_i32") (param i32 i32) (result i32) (i32.sub (local.get 0) (local.get 1))))
