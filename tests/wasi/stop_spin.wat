;; stop_spin.wat — an endless loop that calls nothing: only --timeout, a
;; signal or fuel can end it (stop_cli_test.sh).
(module
  (memory (export "memory") 1)
  (func (export "_start") (loop $l (br $l))))
