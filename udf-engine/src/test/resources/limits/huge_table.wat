;; Declares a table of 20 million elements, over the engine's table limit.
(module (table 20000000 funcref) (func (export "f") (result i32) (i32.const 1)))
