;; a module that needs an import
(module
  (import "env" "log" (func $log (param i32)))
  (func (export "add_i32") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))
