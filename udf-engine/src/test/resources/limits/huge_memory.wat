;; Declares a 1 GiB minimum memory (16384 pages).
(module (memory (export "memory") 16384) (func (export "size") (result i32) (memory.size)))
