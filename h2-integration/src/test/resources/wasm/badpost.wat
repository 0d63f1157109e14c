;; cabi_post_ with the wrong signature
(module
  (func (export "add_i32") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "cabi_post_add_i32") (param i64)))
