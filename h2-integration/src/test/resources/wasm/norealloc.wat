;; text -> integer function without cabi_realloc
(module
  (memory (export "memory") 1)
  (func (export "text_len") (param i32 i32) (result i32) (local.get 1)))
