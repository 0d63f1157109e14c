;; A start function that never returns: instantiation itself must be stoppable.
(module (func $start (loop $l (br $l))) (start $start))
