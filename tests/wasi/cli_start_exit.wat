;; cli_start_exit: the start function calls proc_exit(9) during instantiation.
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func $s i32.const 9 call $exit)
  (start $s)
  (func (export "_start")))
