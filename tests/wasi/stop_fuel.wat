;; stop_fuel.wat — writes one "x" per loop iteration, forever: the number of
;; x's printed before "all fuel consumed" shows where fuel ran out
;; (stop_cli_test.sh compares it across runs, -O levels and bounds modes).
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "x")
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 16))   ;; iov.buf
    (i32.store (i32.const 4) (i32.const 1))    ;; iov.len
    (loop $l
      (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
      (br $l))))
