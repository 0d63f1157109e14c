;; text -> text function whose module does not export its memory
(module
  (memory 1)
  (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32) (i32.const 64))
  (func (export "upper") (param i32 i32) (result i32) (i32.const 0)))
