;; a module whose start function traps
(module
  (func $start unreachable)
  (start $start)
  (func (export "answer") (result i32) (i32.const 42)))
