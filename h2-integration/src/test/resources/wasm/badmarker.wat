;; declares latin1+utf16 text arguments with the wrong kind of export: a global, not a () -> () function
(module
  (memory (export "memory") 1)
  (global (export "wasmudf:text-args:latin1+utf16") i32 (i32.const 1))
  (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32) (i32.const 16))
  (func (export "text_len") (param i32 i32) (result i32) (local.get 1)))
